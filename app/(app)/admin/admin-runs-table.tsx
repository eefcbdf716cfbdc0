"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { AlertTriangle } from "lucide-react";
import { staffCancelAction, staffRetryAction } from "@/app/actions/run-actions";
import { DataTable } from "@/app/_components/data-table";
import { useActionNotice } from "@/app/_components/use-action-notice";
import { RUN_MODE_LABELS, RunStatusBadge } from "@/app/_components/run-status-badge";
import { Alert, Badge, Button } from "@/app/_components/ui";
import type { StaffRunRow } from "@/lib/admin";
import { formatDateTime } from "@/lib/format-date";

function age(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

export function AdminRunsTable({ runs }: { runs: StaffRunRow[] }) {
  const { pending, notice: message, perform: act } = useActionNotice();

  const columns: ColumnDef<StaffRunRow, unknown>[] = [
    {
      accessorKey: "status",
      header: "Status",
      cell: ({ row }) => (
        <span className="inline-flex items-center gap-1.5">
          <RunStatusBadge status={row.original.status} failed={row.original.failed} />
          {row.original.stalled ? (
            <Badge tone="red">
              <AlertTriangle aria-hidden className="mr-1 h-3 w-3" /> Stalled
            </Badge>
          ) : null}
        </span>
      ),
    },
    { accessorKey: "organizationName", header: "Organization" },
    {
      accessorKey: "migrationName",
      header: "Migration",
      cell: ({ row }) => (
        <Link className="text-indigo-700 hover:underline" href={`/admin/runs/${row.original.id}`}>
          {row.original.migrationName}
        </Link>
      ),
    },
    { accessorKey: "mode", header: "Mode", cell: ({ getValue }) => RUN_MODE_LABELS[String(getValue())] ?? String(getValue()) },
    { accessorKey: "ageSeconds", header: "Age", cell: ({ getValue }) => age(Number(getValue())) },
    {
      accessorKey: "processed",
      header: "Processed",
      cell: ({ row }) => `${row.original.processed.toLocaleString("en")} / ${row.original.total.toLocaleString("en")}`,
    },
    { accessorKey: "recordsPerSecond", header: "Throughput", cell: ({ getValue }) => `${Number(getValue()).toLocaleString("en")}/s` },
    {
      accessorKey: "errorRate",
      header: "Error rate",
      cell: ({ row }) => (
        <span className={row.original.errorRate > 0.05 ? "font-medium text-red-700" : undefined}>{(row.original.errorRate * 100).toFixed(1)}%</span>
      ),
    },
    {
      accessorKey: "heartbeatAt",
      header: "Last heartbeat",
      cell: ({ row }) =>
        row.original.heartbeatAt ? (
          <span className={row.original.stalled ? "font-medium text-red-700" : "text-slate-600"}>{formatDateTime(row.original.heartbeatAt)}</span>
        ) : (
          <span className="text-slate-400">never</span>
        ),
    },
    {
      id: "actions",
      header: "",
      cell: ({ row }) => (
        <div className="flex gap-1">
          {row.original.canRetry ? (
            <Button variant="secondary" disabled={pending} onClick={() => act(() => staffRetryAction({ runId: row.original.id }))}>
              Retry
            </Button>
          ) : null}
          {row.original.canCancel ? (
            <Button variant="danger" disabled={pending} onClick={() => act(() => staffCancelAction({ runId: row.original.id }))}>
              Cancel
            </Button>
          ) : null}
        </div>
      ),
    },
  ];
  return (
    <div className="space-y-3">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {runs.some((run) => run.stalled) ? (
        <Alert tone="error">
          {runs.filter((run) => run.stalled).length} run(s) stalled: their heartbeat stopped more than 3 minutes ago. Check the runner.
        </Alert>
      ) : null}
      <DataTable
        columns={columns}
        data={runs}
        label="Runs across organizations"
        filterPlaceholder="Filter by organization, migration, status…"
        emptyMessage="No run yet in any organization."
      />
    </div>
  );
}
