"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { AlertTriangle } from "lucide-react";
import { staffCancelAction, staffRetryAction } from "@/app/actions/run-actions";
import { DataTable } from "@/app/_components/data-table";
import { useActionNotice } from "@/app/_components/use-action-notice";
import { RunStatusBadge, useRunModeLabel } from "@/app/_components/run-status-badge";
import { Alert, Badge, Button } from "@/app/_components/ui";
import type { StaffRunRow } from "@/lib/admin";
import { formatDateTime, formatNumber } from "@/lib/format-date";

/** "5 min", "3 h", "2 d" / "2 j": Intl's narrow units in the reader's language. */
function age(seconds: number, locale: string): string {
  const unit = (value: number, name: "second" | "minute" | "hour" | "day") =>
    new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "narrow" }).format(value);
  if (seconds < 60) return unit(seconds, "second");
  if (seconds < 3600) return unit(Math.floor(seconds / 60), "minute");
  if (seconds < 86_400) return unit(Math.floor(seconds / 3600), "hour");
  return unit(Math.floor(seconds / 86_400), "day");
}

export function AdminRunsTable({ runs }: { runs: StaffRunRow[] }) {
  const { pending, notice: message, perform: act } = useActionNotice();
  const t = useTranslations("admin");
  const locale = useLocale();
  const modeLabel = useRunModeLabel();

  const columns: ColumnDef<StaffRunRow, unknown>[] = [
    {
      accessorKey: "status",
      header: t("status"),
      cell: ({ row }) => (
        <span className="inline-flex items-center gap-1.5">
          <RunStatusBadge status={row.original.status} failed={row.original.failed} />
          {row.original.stalled ? (
            <Badge tone="red">
              <AlertTriangle aria-hidden className="mr-1 h-3 w-3" /> {t("stalled")}
            </Badge>
          ) : null}
        </span>
      ),
    },
    { accessorKey: "organizationName", header: t("organization") },
    {
      accessorKey: "migrationName",
      header: t("migration"),
      cell: ({ row }) => (
        <Link className="text-indigo-700 hover:underline" href={`/admin/runs/${row.original.id}`}>
          {row.original.migrationName}
        </Link>
      ),
    },
    { accessorKey: "mode", header: t("mode"), cell: ({ getValue }) => modeLabel(String(getValue())) },
    { accessorKey: "ageSeconds", header: t("age"), cell: ({ getValue }) => age(Number(getValue()), locale) },
    {
      accessorKey: "processed",
      header: t("processed"),
      cell: ({ row }) => `${formatNumber(row.original.processed, locale)} / ${formatNumber(row.original.total, locale)}`,
    },
    { accessorKey: "recordsPerSecond", header: t("throughput"), cell: ({ getValue }) => `${formatNumber(Number(getValue()), locale)}/s` },
    {
      accessorKey: "errorRate",
      header: t("errorRate"),
      cell: ({ row }) => (
        <span className={row.original.errorRate > 0.05 ? "font-medium text-red-700" : undefined}>{(row.original.errorRate * 100).toFixed(1)}%</span>
      ),
    },
    {
      accessorKey: "heartbeatAt",
      header: t("heartbeat"),
      cell: ({ row }) =>
        row.original.heartbeatAt ? (
          <span className={row.original.stalled ? "font-medium text-red-700" : "text-slate-600"}>{formatDateTime(row.original.heartbeatAt, locale)}</span>
        ) : (
          <span className="text-slate-400">{t("never")}</span>
        ),
    },
    {
      id: "actions",
      header: "",
      cell: ({ row }) => (
        <div className="flex gap-1">
          {row.original.canRetry ? (
            <Button variant="secondary" disabled={pending} onClick={() => act(() => staffRetryAction({ runId: row.original.id }))}>
              {t("retry")}
            </Button>
          ) : null}
          {row.original.canCancel ? (
            <Button variant="danger" disabled={pending} onClick={() => act(() => staffCancelAction({ runId: row.original.id }))}>
              {t("cancel")}
            </Button>
          ) : null}
        </div>
      ),
    },
  ];
  return (
    <div className="space-y-3">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {runs.some((run) => run.stalled) ? <Alert tone="error">{t("stalledAlert", { count: runs.filter((run) => run.stalled).length })}</Alert> : null}
      <DataTable columns={columns} data={runs} label={t("tableLabel")} filterPlaceholder={t("filter")} emptyMessage={t("empty")} />
    </div>
  );
}
