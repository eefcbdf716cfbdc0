"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { DataTable } from "@/app/_components/data-table";
import { RunStatusBadge, useRunModeLabel } from "@/app/_components/run-status-badge";
import type { RunListRow } from "@/lib/runs/list";
import { formatDateTime, formatNumber } from "@/lib/format-date";

export function RunsList({ migrationId, runs }: { migrationId: string; runs: RunListRow[] }) {
  const t = useTranslations("runsList");
  const locale = useLocale();
  const modeLabel = useRunModeLabel();
  const number = (value: number) => formatNumber(value, locale);
  const columns: ColumnDef<RunListRow, unknown>[] = [
    {
      accessorKey: "createdAt",
      header: t("started"),
      cell: ({ row }) => (
        <Link className="text-indigo-700 hover:underline" href={`/migrations/${migrationId}/runs/${row.original.id}`}>
          {formatDateTime(row.original.createdAt, locale)}
        </Link>
      ),
    },
    { accessorKey: "mode", header: t("mode"), cell: ({ getValue }) => modeLabel(String(getValue())) },
    { accessorKey: "status", header: t("status"), cell: ({ row }) => <RunStatusBadge status={row.original.status} failed={row.original.failed} /> },
    {
      accessorKey: "processed",
      header: t("processed"),
      cell: ({ row }) => `${number(row.original.processed)} / ${number(row.original.total)}`,
    },
    { accessorKey: "created", header: t("created") },
    {
      id: "warnings",
      header: t("warnings"),
      cell: ({ row }) => `${number(row.original.repaired)} / ${number(row.original.valueDropped)}`,
    },
    { accessorKey: "failed", header: t("failed") },
  ];
  return <DataTable columns={columns} data={runs} label={t("label")} filterPlaceholder={t("filter")} emptyMessage={t("empty")} />;
}
