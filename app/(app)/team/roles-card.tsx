"use client";

import { useState, type FormEvent } from "react";
import { Check, Minus } from "lucide-react";
import { useTranslations } from "next-intl";
import { createRoleAction, deleteRoleAction, updateRoleAction } from "@/app/actions/team-actions";
import { useActionNotice } from "@/app/_components/use-action-notice";
import { Alert, Badge, Button, Card, Field, Input } from "@/app/_components/ui";

export type PermissionInfo = { key: string; label: string; allows: string };
export type RoleRow = { id: string | null; key: string; name: string; permissions: string[]; custom: boolean; members: number };

/** The roles and what each may change; members with the Members permission define their own. */
export function RolesCard({
  canManage,
  permissions,
  roles,
  onChanged,
}: {
  canManage: boolean;
  permissions: PermissionInfo[];
  roles: RoleRow[];
  onChanged: () => void;
}) {
  const t = useTranslations("roles");
  const [editing, setEditing] = useState<RoleRow | "new" | null>(null);
  const { pending, notice, perform } = useActionNotice();
  return (
    <Card
      title={t("title")}
      description={t("description")}
      actions={
        canManage && editing === null ? (
          <Button variant="secondary" className="whitespace-nowrap" onClick={() => setEditing("new")}>
            {t("define")}
          </Button>
        ) : null
      }
    >
      {notice ? (
        <div className="mb-3">
          <Alert tone={notice.tone}>{notice.text}</Alert>
        </div>
      ) : null}
      <div className="overflow-x-auto">
        <table className="w-full text-sm" aria-label={t("tableLabel")}>
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs text-slate-500">
              <th className="py-1.5 pr-3 font-medium">{t("role")}</th>
              {permissions.map((permission) => (
                <th key={permission.key} className="px-2 py-1.5 font-medium" title={permission.allows}>
                  {permission.label}
                </th>
              ))}
              <th className="px-2 py-1.5 font-medium">{t("heldBy")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {roles.map((role) => (
              <tr key={role.key} className="border-b border-slate-100">
                <td className="py-1.5 pr-3 font-medium">
                  {role.name} {role.custom ? <Badge>{t("custom")}</Badge> : null}
                </td>
                {permissions.map((permission) => (
                  <td key={permission.key} className="px-2 py-1.5">
                    {role.permissions.includes(permission.key) ? (
                      <Check aria-label={t("allowed")} className="h-4 w-4 text-emerald-600" />
                    ) : (
                      <Minus aria-label={t("notAllowed")} className="h-4 w-4 text-slate-300" />
                    )}
                  </td>
                ))}
                <td className="px-2 py-1.5 tabular-nums">{t("members", { count: role.members })}</td>
                <td className="py-1.5 text-right">
                  {canManage && role.custom && role.id ? (
                    <div className="flex justify-end gap-2">
                      <Button variant="secondary" disabled={pending} onClick={() => setEditing(role)}>
                        {t("edit")}
                      </Button>
                      <Button
                        variant="danger"
                        disabled={pending}
                        onClick={() => confirm(t("deleteConfirm", { name: role.name })) && perform(() => deleteRoleAction(role.id as string))}
                      >
                        {t("delete")}
                      </Button>
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="mt-3 space-y-0.5 text-xs text-slate-500">
        {permissions.map((permission) => (
          <li key={permission.key}>
            <span className="font-medium text-slate-700">{permission.label}</span>: {permission.allows}.
          </li>
        ))}
      </ul>
      {editing !== null ? (
        <RoleForm
          permissions={permissions}
          role={editing === "new" ? null : editing}
          onDone={() => {
            setEditing(null);
            onChanged();
          }}
          onCancel={() => setEditing(null)}
        />
      ) : null}
    </Card>
  );
}

function RoleForm({ permissions, role, onDone, onCancel }: { permissions: PermissionInfo[]; role: RoleRow | null; onDone: () => void; onCancel: () => void }) {
  const t = useTranslations("roles");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { name: String(form.get("name") ?? ""), permissions: form.getAll("permissions").map(String) };
    setPending(true);
    const result = role?.id ? await updateRoleAction(role.id, input) : await createRoleAction(input);
    setPending(false);
    if (!result.ok) {
      setError(Object.values(result.fieldErrors ?? {})[0] ?? result.error);
      return;
    }
    onDone();
  }

  return (
    <form
      onSubmit={onSubmit}
      className="mt-4 space-y-3 rounded-md border border-slate-200 p-3"
      aria-label={role ? t("editLabel", { name: role.name }) : t("define")}
      noValidate
    >
      <div className="w-72">
        <Field label={t("name")} htmlFor="role-name">
          <Input id="role-name" name="name" defaultValue={role?.name ?? ""} placeholder={t("namePlaceholder")} required />
        </Field>
      </div>
      <fieldset className="flex flex-wrap gap-x-5 gap-y-2">
        <legend className="mb-1 text-xs font-medium text-slate-600">{t("mayChange")}</legend>
        {permissions.map((permission) => (
          <label key={permission.key} className="flex items-center gap-1.5 text-sm" title={permission.allows}>
            <input type="checkbox" name="permissions" value={permission.key} defaultChecked={role?.permissions.includes(permission.key) ?? false} />
            {permission.label}
          </label>
        ))}
      </fieldset>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : role ? t("save") : t("create")}
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
