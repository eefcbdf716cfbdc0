"use client";

import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { DataTable } from "@/app/_components/data-table";
import { Badge } from "@/app/_components/ui";
import { formatDateTime } from "@/lib/format-date";

export type AuditRow = { id: string; at: string; user: string; email: string; kind: string; action: string; summary: string; migrationId: string | null };

export function AuditLogTable({ entries }: { entries: AuditRow[] }) {
  const t = useTranslations("auditLog");
  const locale = useLocale();
  const columns = useMemo<ColumnDef<AuditRow, unknown>[]>(
    () => [
      {
        accessorKey: "at",
        header: t("when"),
        cell: ({ row }) => <span className="whitespace-nowrap tabular-nums">{formatDateTime(row.original.at, locale)}</span>,
      },
      {
        accessorKey: "user",
        header: t("who"),
        cell: ({ row }) => (
          <span>
            <span className="font-medium">{row.original.user}</span> <span className="text-xs text-slate-500">{row.original.email}</span>
          </span>
        ),
      },
      {
        accessorKey: "action",
        header: t("action"),
        cell: ({ row }) => (
          <span data-kind={row.original.kind}>
            <Badge tone={row.original.kind.startsWith("run.") ? "indigo" : "slate"}>{row.original.action}</Badge>
          </span>
        ),
      },
      {
        accessorKey: "summary",
        header: t("what"),
        cell: ({ row }) =>
          row.original.migrationId ? (
            <Link className="hover:underline" href={`/migrations/${row.original.migrationId}`}>
              {row.original.summary}
            </Link>
          ) : (
            row.original.summary
          ),
      },
    ],
    [t, locale],
  );
  return <DataTable label={t("title")} columns={columns} data={entries} filterPlaceholder={t("filter")} emptyMessage={t("empty")} />;
}
