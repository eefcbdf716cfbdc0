"use client";

// The staff monitor's syncs: every migration in sync mode, stalled ones flagged with the reason.
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { DataTable } from "@/app/_components/data-table";
import { Badge } from "@/app/_components/ui";
import { formatDateTime } from "@/lib/format-date";
import type { StaffSyncRow } from "@/lib/sync/monitor";

export function AdminSyncsTable({ syncs }: { syncs: StaffSyncRow[] }) {
  const t = useTranslations("admin");
  const tSync = useTranslations("sync");
  const locale = useLocale();
  const statusLabel = (status: string) => (t.has(`syncStatus.${status as "active"}`) ? t(`syncStatus.${status as "active"}`) : status);
  const cycleLabel = (status: string) => (tSync.has(`cycleStatus.${status as "running"}`) ? tSync(`cycleStatus.${status as "running"}`) : status);
  const columns: ColumnDef<StaffSyncRow, unknown>[] = [
    { accessorKey: "organizationName", header: t("organization") },
    { accessorKey: "migrationName", header: t("migration") },
    {
      accessorKey: "status",
      header: t("syncsTable.sync"),
      cell: ({ row }) => (row.original.stalled ? <Badge tone="amber">{t("syncsTable.stalled")}</Badge> : <Badge>{statusLabel(row.original.status)}</Badge>),
    },
    { accessorKey: "intervalMinutes", header: t("syncsTable.every") },
    {
      id: "last",
      header: t("syncsTable.lastSync"),
      cell: ({ row }) =>
        row.original.lastSyncAt
          ? `${formatDateTime(row.original.lastSyncAt, locale)} (${cycleLabel(row.original.lastSyncStatus ?? "")})`
          : t("syncsTable.noneYet"),
    },
    { id: "next", header: t("syncsTable.nextSync"), cell: ({ row }) => formatDateTime(row.original.nextAt, locale) },
    { accessorKey: "failures", header: t("syncsTable.failures") },
    // The reason is written in English by lib/sync/monitor.ts.
    { id: "why", header: t("syncsTable.why"), cell: ({ row }) => (row.original.stalled ? <span lang="en">{row.original.stalled}</span> : "—") },
  ];
  return (
    <DataTable columns={columns} data={syncs} emptyMessage={t("syncsTable.empty")} label={t("syncsTable.label")} filterPlaceholder={t("syncsTable.filter")} />
  );
}
