"use client";

// The staff monitor's syncs: every migration in sync mode, stalled ones flagged with the reason.
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/app/_components/data-table";
import { Badge } from "@/app/_components/ui";
import { formatDateTime } from "@/lib/format-date";
import type { StaffSyncRow } from "@/lib/sync/monitor";

const columns: ColumnDef<StaffSyncRow, unknown>[] = [
  { accessorKey: "organizationName", header: "Organization" },
  { accessorKey: "migrationName", header: "Migration" },
  {
    accessorKey: "status",
    header: "Sync",
    cell: ({ row }) => (row.original.stalled ? <Badge tone="amber">stalled</Badge> : <Badge>{row.original.status.replace("_", " ")}</Badge>),
  },
  { accessorKey: "intervalMinutes", header: "Every (min)" },
  {
    id: "last",
    header: "Last sync",
    cell: ({ row }) => (row.original.lastSyncAt ? `${formatDateTime(row.original.lastSyncAt)} (${row.original.lastSyncStatus})` : "none yet"),
  },
  { id: "next", header: "Next sync", cell: ({ row }) => formatDateTime(row.original.nextAt) },
  { accessorKey: "failures", header: "Failed in a row" },
  { id: "why", header: "Why stalled", cell: ({ row }) => row.original.stalled ?? "—" },
];

export function AdminSyncsTable({ syncs }: { syncs: StaffSyncRow[] }) {
  return <DataTable columns={columns} data={syncs} emptyMessage="No migration syncs." label="Syncs" filterPlaceholder="Filter syncs" />;
}
