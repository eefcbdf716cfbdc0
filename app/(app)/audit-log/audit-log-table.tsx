"use client";

import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/app/_components/data-table";
import { Badge } from "@/app/_components/ui";
import { formatDateTime } from "@/lib/format-date";

export type AuditRow = { id: string; at: string; user: string; email: string; kind: string; action: string; summary: string; migrationId: string | null };

export function AuditLogTable({ entries }: { entries: AuditRow[] }) {
  const columns = useMemo<ColumnDef<AuditRow, unknown>[]>(
    () => [
      { accessorKey: "at", header: "When", cell: ({ row }) => <span className="whitespace-nowrap tabular-nums">{formatDateTime(row.original.at)}</span> },
      {
        accessorKey: "user",
        header: "Who",
        cell: ({ row }) => (
          <span>
            <span className="font-medium">{row.original.user}</span> <span className="text-xs text-slate-500">{row.original.email}</span>
          </span>
        ),
      },
      {
        accessorKey: "action",
        header: "Action",
        cell: ({ row }) => (
          <span data-kind={row.original.kind}>
            <Badge tone={row.original.kind.startsWith("run.") ? "indigo" : "slate"}>{row.original.action}</Badge>
          </span>
        ),
      },
      {
        accessorKey: "summary",
        header: "What",
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
    [],
  );
  return (
    <DataTable
      label="Audit log"
      columns={columns}
      data={entries}
      filterPlaceholder="Filter by user or text"
      emptyMessage="Nothing recorded for these filters."
    />
  );
}
