"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/app/_components/data-table";
import { RUN_MODE_LABELS, RunStatusBadge } from "@/app/_components/run-status-badge";
import type { RunListRow } from "@/lib/runs/list";
import { formatDateTime } from "@/lib/format-date";

export function RunsList({ migrationId, runs }: { migrationId: string; runs: RunListRow[] }) {
  const columns: ColumnDef<RunListRow, unknown>[] = [
    {
      accessorKey: "createdAt",
      header: "Started",
      cell: ({ row }) => (
        <Link className="text-indigo-700 hover:underline" href={`/migrations/${migrationId}/runs/${row.original.id}`}>
          {formatDateTime(row.original.createdAt)}
        </Link>
      ),
    },
    { accessorKey: "mode", header: "Mode", cell: ({ getValue }) => RUN_MODE_LABELS[String(getValue())] ?? String(getValue()) },
    { accessorKey: "status", header: "Status", cell: ({ row }) => <RunStatusBadge status={row.original.status} failed={row.original.failed} /> },
    {
      accessorKey: "processed",
      header: "Processed",
      cell: ({ row }) => `${row.original.processed.toLocaleString("en")} / ${row.original.total.toLocaleString("en")}`,
    },
    { accessorKey: "created", header: "Created" },
    {
      id: "warnings",
      header: "Repaired / value dropped",
      cell: ({ row }) => `${row.original.repaired.toLocaleString("en")} / ${row.original.valueDropped.toLocaleString("en")}`,
    },
    { accessorKey: "failed", header: "Failed" },
  ];
  return <DataTable columns={columns} data={runs} label="Runs" filterPlaceholder="Filter runs…" emptyMessage="No run yet: start with the demo." />;
}
