"use client";

import { useMemo, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { Copy, UserPlus } from "lucide-react";
import { changeRoleAction, createInviteAction, removeMemberAction, revokeInviteAction } from "@/app/actions/team-actions";
import { RolesCard, type PermissionInfo, type RoleRow } from "./roles-card";
import { DataTable } from "@/app/_components/data-table";
import { useActionNotice } from "@/app/_components/use-action-notice";
import { Alert, Badge, Button, Card, Field, Input, Select } from "@/app/_components/ui";
import { formatDate } from "@/lib/format-date";

type MemberRow = { id: string; role: string; roleName: string; joinedAt: string; userId: string; name: string; email: string };
type InviteRow = { id: string; email: string; roleName: string; expiresAt: string; invitedBy: string };

function RoleOptions({ roles }: { roles: RoleRow[] }) {
  return roles.map((role) => (
    <option key={role.key} value={role.key}>
      {role.name}
    </option>
  ));
}

export function TeamView({
  canManage,
  currentUserId,
  permissions,
  roles,
  members,
  invites,
}: {
  canManage: boolean;
  currentUserId: string;
  permissions: PermissionInfo[];
  roles: RoleRow[];
  members: MemberRow[];
  invites: InviteRow[];
}) {
  const t = useTranslations("team");
  const locale = useLocale();
  const router = useRouter();
  const { pending, notice, perform } = useActionNotice();

  const memberColumns = useMemo<ColumnDef<MemberRow, unknown>[]>(
    () => [
      {
        accessorKey: "name",
        header: t("name"),
        cell: ({ row }) => (
          <span className="font-medium">
            {row.original.name}
            {row.original.userId === currentUserId ? <span className="ml-1 text-xs text-slate-400">{t("you")}</span> : null}
          </span>
        ),
      },
      { accessorKey: "email", header: t("email") },
      {
        accessorKey: "role",
        header: t("role"),
        cell: ({ row }) =>
          canManage ? (
            <Select
              aria-label={t("roleOf", { email: row.original.email })}
              value={row.original.role}
              disabled={pending}
              onChange={(event) => perform(() => changeRoleAction(row.original.id, event.target.value))}
            >
              {roles.some((role) => role.key === row.original.role) ? null : <option value={row.original.role}>{row.original.roleName}</option>}
              <RoleOptions roles={roles} />
            </Select>
          ) : (
            <Badge tone={row.original.role === "admin" ? "indigo" : "slate"}>{row.original.roleName}</Badge>
          ),
      },
      { accessorKey: "joinedAt", header: t("joined"), cell: ({ row }) => formatDate(row.original.joinedAt, locale) },
      ...(canManage
        ? [
            {
              id: "actions",
              header: "",
              enableSorting: false,
              cell: ({ row }) => (
                <Button
                  variant="danger"
                  disabled={pending}
                  onClick={() => confirm(t("removeConfirm", { email: row.original.email })) && perform(() => removeMemberAction(row.original.id))}
                >
                  {t("remove")}
                </Button>
              ),
            } satisfies ColumnDef<MemberRow, unknown>,
          ]
        : []),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- perform only closes over stable setters
    [canManage, currentUserId, pending, roles, t, locale],
  );

  const inviteColumns = useMemo<ColumnDef<InviteRow, unknown>[]>(
    () => [
      { accessorKey: "email", header: t("email") },
      { accessorKey: "roleName", header: t("role"), cell: ({ row }) => <Badge>{row.original.roleName}</Badge> },
      { accessorKey: "invitedBy", header: t("invitedBy") },
      {
        accessorKey: "expiresAt",
        header: t("expires"),
        cell: ({ row }) =>
          new Date(row.original.expiresAt) < new Date() ? <Badge tone="amber">{t("expired")}</Badge> : formatDate(row.original.expiresAt, locale),
      },
      ...(canManage
        ? [
            {
              id: "actions",
              header: "",
              enableSorting: false,
              cell: ({ row }) => (
                <Button variant="secondary" disabled={pending} onClick={() => perform(() => revokeInviteAction(row.original.id))}>
                  {t("withdraw")}
                </Button>
              ),
            } satisfies ColumnDef<InviteRow, unknown>,
          ]
        : []),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- perform only closes over stable setters
    [canManage, pending, t, locale],
  );

  return (
    <div className="space-y-5">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {canManage ? <InviteForm roles={roles} onInvited={() => router.refresh()} /> : null}
      <Card title={t("members", { count: members.length })}>
        <DataTable label={t("membersLabel")} columns={memberColumns} data={members} filterPlaceholder={t("filterMembers")} emptyMessage={t("noMembers")} />
      </Card>
      <Card title={t("invites", { count: invites.length })} description={t("invitesDescription")}>
        <DataTable label={t("invitesLabel")} columns={inviteColumns} data={invites} emptyMessage={canManage ? t("noInvitesManage") : t("noInvites")} />
      </Card>
      <RolesCard canManage={canManage} permissions={permissions} roles={roles} onChanged={() => router.refresh()} />
    </div>
  );
}

function InviteForm({ roles, onInvited }: { roles: RoleRow[]; onInvited: () => void }) {
  const t = useTranslations("team");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const [mailedTo, setMailedTo] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    const result = await createInviteAction({ email: String(form.get("email") ?? ""), role: String(form.get("role") ?? "") });
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      setFieldErrors(result.fieldErrors ?? {});
      setLink(null);
      setMailedTo(null);
      return;
    }
    setError(null);
    setFieldErrors({});
    setCopied(false);
    setLink(result.data?.link ?? null);
    setMailedTo(result.data?.mailedTo ?? null);
    onInvited();
  }

  return (
    <Card title={t("inviteTitle")} description={t("inviteDescription")}>
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate>
        <div className="w-72">
          <Field label={t("email")} htmlFor="invite-email" error={fieldErrors.email}>
            <Input id="invite-email" name="email" type="email" placeholder={t("emailPlaceholder")} invalid={!!fieldErrors.email} required />
          </Field>
        </div>
        <Field label={t("role")} htmlFor="invite-role" error={fieldErrors.role}>
          <Select id="invite-role" name="role" defaultValue="operator">
            <RoleOptions roles={roles} />
          </Select>
        </Field>
        <Button type="submit" disabled={pending}>
          <UserPlus aria-hidden className="h-4 w-4" />
          {pending ? t("creatingLink") : t("createLink")}
        </Button>
      </form>
      {error && !Object.keys(fieldErrors).length ? (
        <div className="mt-3">
          <Alert tone="error">{error}</Alert>
        </div>
      ) : null}
      {mailedTo ? (
        <div className="mt-3">
          <Alert tone="success">{link ? t("queued", { email: mailedTo }) : t("mailed", { email: mailedTo })}</Alert>
        </div>
      ) : null}
      {link ? (
        <div className="mt-3 flex items-center gap-2 rounded-md border border-emerald-200 bg-emerald-50 p-2">
          <span className="text-xs font-medium text-emerald-800">{t("inviteLink")}</span>
          <code data-testid="invite-link" className="min-w-0 flex-1 truncate rounded bg-white px-2 py-1 text-xs">
            {link}
          </code>
          <Button
            variant="secondary"
            onClick={async () => {
              await navigator.clipboard?.writeText(link).catch(() => undefined);
              setCopied(true);
            }}
          >
            <Copy aria-hidden className="h-3.5 w-3.5" />
            {copied ? t("copied") : t("copy")}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
