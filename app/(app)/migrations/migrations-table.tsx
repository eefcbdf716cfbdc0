"use client";

import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
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
  const columns = useMemo<ColumnDef<MigrationListRow, unknown>[]>(
    () => [
      {
        accessorKey: "name",
        header: "Name",
        cell: ({ row }) => (
          <Link href={`/migrations/${row.original.id}`} className="font-medium text-indigo-700 hover:underline">
            {row.original.name}
          </Link>
        ),
      },
      {
        id: "route",
        header: "Source → target",
        accessorFn: (row) => `${row.source ?? ""} ${row.target ?? ""}`,
        cell: ({ row }) => (
          <span className="text-slate-700">
            {row.original.source ?? <span className="text-slate-400">no source yet</span>} →{" "}
            {row.original.target ?? <span className="text-slate-400">no target yet</span>}
          </span>
        ),
      },
      { accessorKey: "status", header: "Status", cell: ({ row }) => <Badge tone={STATUS_TONES[row.original.status] ?? "slate"}>{row.original.status}</Badge> },
      {
        accessorKey: "lastRunAt",
        header: "Last run",
        cell: ({ row }) =>
          row.original.lastRunAt ? `${formatDateTime(row.original.lastRunAt)} (${row.original.lastRunStatus})` : <span className="text-slate-400">never</span>,
      },
      { accessorKey: "updatedAt", header: "Updated", cell: ({ row }) => formatDateTime(row.original.updatedAt) },
    ],
    [],
  );
  return (
    <Card title={`Migrations (${migrations.length})`}>
      <DataTable label="Migrations" columns={columns} data={migrations} filterPlaceholder="Filter migrations" emptyMessage="No migrations match." />
    </Card>
  );
}
