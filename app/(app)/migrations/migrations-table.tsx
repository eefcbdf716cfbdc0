"use client";

import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { DataTable } from "@/app/_components/data-table";
import { Badge, Card } from "@/app/_components/ui";
import type { MigrationListRow } from "@/lib/wizard/load";
import { formatDateTime } from "@/lib/format-date";

const STATUS_TONES: Record<string, "slate" | "green" | "amber" | "red" | "indigo"> = {
  draft: "slate",
  ready: "indigo",
  running: "amber",
  completed: "green",
  failed: "red",
};

export function MigrationsTable({ migrations }: { migrations: MigrationListRow[] }) {
  const t = useTranslations("migrations");
  const status = useTranslations("migrationStatus");
  const runStatus = useTranslations("runStatus");
  const locale = useLocale();
  const columns = useMemo<ColumnDef<MigrationListRow, unknown>[]>(
    () => [
      {
        accessorKey: "name",
        header: t("name"),
        cell: ({ row }) => (
          <Link href={`/migrations/${row.original.id}`} className="font-medium text-indigo-700 hover:underline">
            {row.original.name}
          </Link>
        ),
      },
      {
        id: "route",
        header: t("route"),
        accessorFn: (row) => `${row.source ?? ""} ${row.target ?? ""}`,
        cell: ({ row }) => (
          <span className="text-slate-700">
            {row.original.source ?? <span className="text-slate-400">{t("noSource")}</span>} →{" "}
            {row.original.target ?? <span className="text-slate-400">{t("noTarget")}</span>}
          </span>
        ),
      },
      {
        accessorKey: "status",
        header: t("status"),
        cell: ({ row }) => (
          <Badge tone={STATUS_TONES[row.original.status] ?? "slate"}>
            {status.has(row.original.status as "draft") ? status(row.original.status as "draft") : row.original.status}
          </Badge>
        ),
      },
      {
        accessorKey: "lastRunAt",
        header: t("lastRun"),
        cell: ({ row }) =>
          row.original.lastRunAt ? (
            `${formatDateTime(row.original.lastRunAt, locale)} (${runStatus.has(row.original.lastRunStatus as "queued") ? runStatus(row.original.lastRunStatus as "queued") : row.original.lastRunStatus})`
          ) : (
            <span className="text-slate-400">{t("never")}</span>
          ),
      },
      { accessorKey: "updatedAt", header: t("updated"), cell: ({ row }) => formatDateTime(row.original.updatedAt, locale) },
    ],
    [t, status, runStatus, locale],
  );
  return (
    <Card title={t("count", { count: migrations.length })}>
      <DataTable label={t("title")} columns={columns} data={migrations} filterPlaceholder={t("filter")} emptyMessage={t("noMatch")} />
    </Card>
  );
}
