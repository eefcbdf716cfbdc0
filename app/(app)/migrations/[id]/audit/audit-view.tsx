"use client";

import { useEffect, useMemo, useRef, useState, useTransition } from "react";
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

/** A record a suggestion would leave out: its id, what the audit saw, and the record it repeats. */
export type SkippedRecord = { sourceId: string; value: string; sameAs: string | null };

export type FindingRow = {
  id: string;
  kind: string;
  object: string;
  field: string;
  count: number;
  severity: "info" | "warn";
  message: string;
  examples: string[];
  suggestion: string | null;
  /** Records the suggestion leaves out (0: it changes values only) and the ones the audit listed. */
  skips: number;
  skipped: SkippedRecord[];
  appliedAt: string | null;
};

/** Rows shown in the confirmation before a scroll; the rest is counted. */
const LISTED_IN_CONFIRMATION = 500;

export function AuditView(props: {
  migrationId: string;
  status: string | null;
  error: string | null;
  finishedAt: string | null;
  maxRecords: number;
  progress: AuditProgress[];
  findings: FindingRow[];
  invalidValues: string[];
}) {
  const { migrationId } = props;
  const router = useRouter();
  const [progress, setProgress] = useState(props.progress);
  const [status, setStatus] = useState(props.status);
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState<FindingRow | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  function apply(row: FindingRow) {
    dialog.current?.close();
    startTransition(async () => {
      const result = await applySuggestionAction({ migrationId, findingId: row.id, ...(row.skips > 0 ? { confirmSkipping: row.skips } : {}) });
      setNotice(
        result.ok
          ? {
              tone: "success",
              text: `${row.suggestion}: applied to the plan${row.skips > 0 ? ` (${row.skips.toLocaleString("en")} record${row.skips === 1 ? "" : "s"} skipped)` : ""}.`,
            }
          : { tone: "error", text: result.error },
      );
      router.refresh();
    });
  }

  /** A suggestion that leaves records out is applied only after the list of those records was shown. */
  function ask(row: FindingRow) {
    if (row.skips === 0) return apply(row);
    setConfirming(row);
    dialog.current?.showModal();
  }

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
      {
        accessorKey: "kind",
        header: "Finding",
        cell: ({ row }) => <Badge tone={row.original.severity === "warn" ? "amber" : "slate"}>{row.original.kind.replace(/-/g, " ")}</Badge>,
      },
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
            <Button variant="secondary" disabled={pending} onClick={() => ask(row.original)}>
              {row.original.suggestion}
              {row.original.skips > 0 ? ` (${row.original.skips.toLocaleString("en")})` : ""}
            </Button>
          ),
      },
    ],
    // ask/apply only close over the stable values listed here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
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
        description={
          running
            ? "You can leave this page: the audit goes on and its result is kept."
            : props.finishedAt
              ? `Last audit finished ${formatDateTime(props.finishedAt)}.`
              : "The audit has not run yet."
        }
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
                      {item.read.toLocaleString()} {item.total !== null ? `of ${item.total.toLocaleString()}` : ""} records read
                      {item.capped ? " (cap reached)" : item.done ? " · done" : ""}
                    </span>
                  </div>
                  <div
                    className="mt-1 h-1.5 overflow-hidden rounded bg-slate-100"
                    role="progressbar"
                    aria-label={`${item.label} audit progress`}
                    aria-valuenow={percent}
                    aria-valuemin={0}
                    aria-valuemax={100}
                  >
                    <div className="h-full bg-indigo-500 transition-all" style={{ width: `${percent}%` }} />
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        {capped.length > 0 ? (
          <p className="mt-3 text-xs text-amber-800">
            The audit stopped at {props.maxRecords.toLocaleString("en")} records for {capped.map((item) => item.label).join(", ")}: findings there cover only
            the records read. The migration itself is not capped.
          </p>
        ) : null}
      </Card>
      {status === "done" ? (
        <Card
          title={`Findings (${props.findings.length})`}
          description="Apply a suggestion to change the plan; undo it here if you change your mind. A suggestion that leaves records out lists them first."
        >
          <DataTable
            label="Audit findings"
            columns={columns}
            data={props.findings}
            filterPlaceholder="Filter findings"
            emptyMessage="No problems found in the source data."
          />
        </Card>
      ) : null}
      {status === "done" && props.invalidValues.length > 0 ? (
        <Card
          title="Invalid values: what the plan does"
          description='Per mapped field, by its policy (Mapping step): "Repair" (default) fixes typing slips, else writes the record without the value; "Drop value" writes it without; "Fail record" is strict.'
        >
          <ul className="list-inside list-disc space-y-1 text-sm text-slate-700">
            {props.invalidValues.map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ul>
        </Card>
      ) : null}
      <dialog ref={dialog} aria-labelledby="skip-title" className="m-auto w-full max-w-2xl rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        {confirming ? <SkipConfirmation row={confirming} onCancel={() => dialog.current?.close()} onConfirm={() => apply(confirming)} /> : null}
      </dialog>
    </div>
  );
}

function SkipConfirmation({ row, onCancel, onConfirm }: { row: FindingRow; onCancel: () => void; onConfirm: () => void }) {
  const listed = row.skipped.slice(0, LISTED_IN_CONFIRMATION);
  const repeats = row.skipped.some((record) => record.sameAs !== null);
  return (
    <div className="space-y-3 p-5">
      <h2 id="skip-title" className="text-base font-semibold text-slate-900">
        Skip {row.skips.toLocaleString("en")} record{row.skips === 1 ? "" : "s"} of {row.object}?
      </h2>
      <p className="text-sm text-slate-700">
        {row.suggestion}.{" "}
        {repeats
          ? "Each record below is not written: it is linked to the record it repeats, and what points at it (tickets, notes) goes to that record."
          : "The records below are left out of the migration; what points at them loses that link."}{" "}
        Undo brings them back.
      </p>
      <div className="max-h-72 overflow-auto rounded border border-slate-200">
        <table className="w-full text-left text-xs" aria-label="Records this suggestion skips">
          <thead className="sticky top-0 bg-slate-50 text-slate-600">
            <tr>
              <th className="px-2 py-1 font-medium">Record</th>
              <th className="px-2 py-1 font-medium">{repeats ? row.field || "Value" : "Why"}</th>
              {repeats ? <th className="px-2 py-1 font-medium">Same as</th> : null}
            </tr>
          </thead>
          <tbody>
            {listed.map((record) => (
              <tr key={record.sourceId} className="border-t border-slate-100">
                <td className="px-2 py-1 font-mono">{record.sourceId}</td>
                <td className="break-all px-2 py-1">{record.value}</td>
                {repeats ? <td className="px-2 py-1 font-mono">{record.sameAs}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {row.skips > listed.length ? <p className="text-xs text-slate-500">and {(row.skips - listed.length).toLocaleString("en")} more.</p> : null}
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button onClick={onConfirm}>
          Skip {row.skips.toLocaleString("en")} record{row.skips === 1 ? "" : "s"}
        </Button>
      </div>
    </div>
  );
}
