"use client";

import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { PlugZap, Plus } from "lucide-react";
import { removeConnectionAction } from "@/app/actions/connection-actions";
import { AddConnection } from "@/app/_components/add-connection-form";
import { DataTable } from "@/app/_components/data-table";
import { useActionNotice } from "@/app/_components/use-action-notice";
import { Alert, Badge, Button, Card, EmptyState } from "@/app/_components/ui";
import type { ConnectorCatalogEntry } from "@/connectors/registry";
import { needsNoAccount } from "@/connectors/types";
import { formatDateTime } from "@/lib/format-date";

type ConnectionRow = { id: string; label: string; system: string; account: string; lastVerifiedAt: string | null };

export function ConnectionsView({ canManage, catalog, connections }: { canManage: boolean; catalog: ConnectorCatalogEntry[]; connections: ConnectionRow[] }) {
  const t = useTranslations("connections");
  const locale = useLocale();
  const router = useRouter();
  const [adding, setAdding] = useState(false);
  const tryout = catalog.find(needsNoAccount);
  const { pending, notice, setNotice, perform } = useActionNotice();

  const columns = useMemo<ColumnDef<ConnectionRow, unknown>[]>(
    () => [
      { accessorKey: "label", header: t("name"), cell: ({ row }) => <span className="font-medium">{row.original.label}</span> },
      { accessorKey: "system", header: t("system"), cell: ({ row }) => <Badge tone="indigo">{row.original.system}</Badge> },
      { accessorKey: "account", header: t("account"), cell: ({ row }) => <span translate="no">{row.original.account}</span> },
      {
        accessorKey: "lastVerifiedAt",
        header: t("lastVerified"),
        cell: ({ row }) => (row.original.lastVerifiedAt ? formatDateTime(row.original.lastVerifiedAt, locale) : t("never")),
      },
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
                  onClick={() => {
                    if (!confirm(t("removeConfirm", { label: row.original.label }))) return;
                    perform(() => removeConnectionAction(row.original.id));
                  }}
                >
                  {t("remove")}
                </Button>
              ),
            } satisfies ColumnDef<ConnectionRow, unknown>,
          ]
        : []),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- perform only closes over stable setters
    [canManage, pending, t, locale],
  );

  return (
    <div className="space-y-5">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {canManage && !adding ? (
        <Button onClick={() => setAdding(true)}>
          <Plus aria-hidden className="h-4 w-4" />
          {t("add")}
        </Button>
      ) : null}
      {!canManage ? <Alert tone="info">{t("readOnly")}</Alert> : null}
      {adding ? (
        <AddConnection
          catalog={catalog}
          onCancel={() => setAdding(false)}
          onAdded={(message) => {
            setAdding(false);
            setNotice({ tone: "success", text: message });
            router.refresh();
          }}
        />
      ) : null}
      {connections.length === 0 && !adding ? (
        <EmptyState icon={<PlugZap className="h-8 w-8" aria-hidden />} title={t("emptyTitle")}>
          {canManage ? `${t("empty")}${tryout ? ` ${t("emptyTryout", { name: tryout.name })}` : ""}` : t("emptyReadOnly")}
        </EmptyState>
      ) : connections.length > 0 ? (
        <Card title={t("count", { count: connections.length })}>
          <DataTable label={t("title")} columns={columns} data={connections} filterPlaceholder={t("filter")} emptyMessage={t("noMatch")} />
        </Card>
      ) : null}
    </div>
  );
}
