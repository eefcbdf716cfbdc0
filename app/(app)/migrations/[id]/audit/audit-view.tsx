"use client";

import { useEffect, useMemo, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { Loader2, Undo2 } from "lucide-react";
import { applySuggestionAction, auditStatusAction, startAuditAction, undoSuggestionAction } from "@/app/actions/wizard-actions";
import { DataTable } from "@/app/_components/data-table";
import { Alert, Badge, Button, Card } from "@/app/_components/ui";
import type { AuditProgress } from "@/lib/wizard/state";
import { formatDateTime } from "@/lib/format-date";

/** How often the page asks for the audit's progress while it runs. */
const POLL_MS = 1_000;

export type FindingRow = { id: string; kind: string; object: string; field: string; count: number; severity: "info" | "warn"; message: string; examples: string[]; suggestion: string | null; appliedAt: string | null };

export function AuditView(props: { migrationId: string; status: string | null; error: string | null; finishedAt: string | null; maxRecords: number; progress: AuditProgress[]; findings: FindingRow[] }) {
  const { migrationId } = props;
  const router = useRouter();
  const [progress, setProgress] = useState(props.progress);
  const [status, setStatus] = useState(props.status);
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    if (status !== "running") return;
    const timer = setInterval(async () => {
      const result = await auditStatusAction(migrationId);
      if (!result.ok || !result.data) return;
      setProgress(result.data.progress);
      if (result.data.status !== "running") {
        setStatus(result.data.status);
        router.refresh();
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [status, migrationId, router]);

  function start() {
    setNotice(null);
    startTransition(async () => {
      const result = await startAuditAction(migrationId);
      if (!result.ok) setNotice({ tone: "error", text: result.error });
      else setStatus("running");
      router.refresh();
    });
  }

  const columns = useMemo<ColumnDef<FindingRow, unknown>[]>(
    () => [
      { accessorKey: "kind", header: "Finding", cell: ({ row }) => <Badge tone={row.original.severity === "warn" ? "amber" : "slate"}>{row.original.kind.replace(/-/g, " ")}</Badge> },
      { accessorKey: "object", header: "Object" },
      { accessorKey: "field", header: "Field", cell: ({ row }) => row.original.field || "—" },
      { accessorKey: "count", header: "Records" },
      {
        id: "details",
        header: "Details",
        enableSorting: false,
        accessorFn: (row) => row.message,
        cell: ({ row }) => (
          <div className="max-w-md space-y-1">
            <p className="text-xs text-slate-700">{row.original.message}</p>
            {row.original.examples.length > 0 ? (
              <details className="text-xs text-slate-500">
                <summary className="cursor-pointer">Examples ({row.original.examples.length})</summary>
                <ul className="mt-1 list-disc pl-4">
                  {row.original.examples.map((example) => (
                    <li key={example} className="break-all">
                      {example}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </div>
        ),
      },
      {
        id: "suggestion",
        header: "Suggestion",
        enableSorting: false,
        cell: ({ row }) =>
          row.original.suggestion === null ? (
            <span className="text-xs text-slate-400">Needs a person to decide</span>
          ) : row.original.appliedAt ? (
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone="green">Applied</Badge>
              <Button
                variant="ghost"
                disabled={pending}
                aria-label={`Undo: ${row.original.suggestion}`}
                onClick={() =>
                  startTransition(async () => {
                    const result = await undoSuggestionAction({ migrationId, findingId: row.original.id });
                    setNotice(result.ok ? { tone: "success", text: result.message ?? "Undone." } : { tone: "error", text: result.error });
                    router.refresh();
                  })
                }
              >
                <Undo2 aria-hidden className="h-3.5 w-3.5" /> Undo
              </Button>
            </div>
          ) : (
            <Button
              variant="secondary"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  const result = await applySuggestionAction({ migrationId, findingId: row.original.id });
                  setNotice(result.ok ? { tone: "success", text: `${row.original.suggestion}: applied to the plan.` } : { tone: "error", text: result.error });
                  router.refresh();
                })
              }
            >
              {row.original.suggestion}
            </Button>
          ),
      },
    ],
    [migrationId, pending, router],
  );

  const capped = progress.filter((item) => item.capped);
  const running = status === "running";
  return (
    <div className="space-y-5">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {status === "failed" && props.error ? <Alert tone="error">{props.error}</Alert> : null}
      {status === "interrupted" ? <Alert tone="error">The audit was interrupted (the server restarted). Run it again; it starts over.</Alert> : null}
      <Card
        title="Progress"
        description={running ? "You can leave this page: the audit goes on and its result is kept." : props.finishedAt ? `Last audit finished ${formatDateTime(props.finishedAt)}.` : "The audit has not run yet."}
        actions={
          <Button onClick={start} disabled={running || pending}>
            {running ? <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> : null}
            {running ? "Auditing…" : status ? "Run the audit again" : "Run the audit"}
          </Button>
        }
      >
        {progress.length === 0 ? (
          <p className="text-sm text-slate-500">Run the audit to see what Ferry finds in the source data.</p>
        ) : (
          <ul className="space-y-2" aria-live="polite">
            {progress.map((item) => {
              const total = item.total === null ? null : Math.min(item.total, props.maxRecords);
              const percent = item.done ? 100 : total ? Math.min(100, Math.round((item.read / total) * 100)) : 0;
              return (
                <li key={item.objectType} className="text-sm">
                  <div className="flex justify-between gap-2 text-xs text-slate-600">
                    <span className="font-medium text-slate-800">{item.label}</span>
                    <span>
                      {item.read.toLocaleString()} {item.total !== null ? `of ${item.total.toLocaleString()}` : ""} records read{item.capped ? " (cap reached)" : item.done ? " · done" : ""}
                    </span>
                  </div>
                  <div className="mt-1 h-1.5 overflow-hidden rounded bg-slate-100" role="progressbar" aria-label={`${item.label} audit progress`} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
                    <div className="h-full bg-indigo-500 transition-all" style={{ width: `${percent}%` }} />
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        {capped.length > 0 ? (
          <p className="mt-3 text-xs text-amber-800">
            The audit stopped at {props.maxRecords.toLocaleString("en")} records for {capped.map((item) => item.label).join(", ")}: findings there cover only the records read. The migration itself is not capped.
          </p>
        ) : null}
      </Card>
      {status === "done" ? (
        <Card title={`Findings (${props.findings.length})`} description="Apply a suggestion to change the plan; undo it here if you change your mind.">
          <DataTable label="Audit findings" columns={columns} data={props.findings} filterPlaceholder="Filter findings" emptyMessage="No problems found in the source data." />
        </Card>
      ) : null}
    </div>
  );
}
