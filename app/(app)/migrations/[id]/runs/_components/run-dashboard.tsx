"use client";

// The run dashboard, shared by the organization's page and the staff page (/admin/runs/[runId]):
// live progress per object, counters, throughput and ETA, the chart, failures, verification,
// the audit log, and the buttons the run's state allows.
import { useEffect, useMemo, useRef, useState, useTransition, type ReactNode } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { Download, Pause, Play, RotateCcw, Square, RefreshCw } from "lucide-react";
import {
  cancelRunAction,
  deltaRunAction,
  pauseRunAction,
  resumeRunAction,
  retryFailedAction,
  staffCancelAction,
  staffRetryAction,
} from "@/app/actions/run-actions";
import { DataTable } from "@/app/_components/data-table";
import { ProgressBar, ProgressLegend } from "@/app/_components/progress-bar";
import { RUN_MODE_LABELS, RunStatusBadge } from "@/app/_components/run-status-badge";
import { ThroughputChart } from "@/app/_components/throughput-chart";
import { Alert, Badge, Button, Card, Select } from "@/app/_components/ui";
import type { ActionResult } from "@/lib/action-result";
import { formatDateTime, formatTime } from "@/lib/format-date";
import { describePhase, type RunPhase } from "@/lib/migration/phase";
import { failuresDescription } from "@/lib/runs/failures-text";
import type { AuditEvent, FailureRow, RunDashboardData, WarningRow } from "@/lib/runs/dashboard";
import type { ObjectVerification } from "@/lib/migration/verify";
import { RollbackConfirm, RollbackProgressPanel } from "./rollback-confirm";
import { useRunProgress } from "./use-run-progress";

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

const when = formatDateTime;

/** Waits are news (the counters stand still on purpose); the rest is a quiet line. */
function PhaseLine({ phase }: { phase: RunPhase }) {
  const text = describePhase(phase, formatTime);
  if (phase.kind === "waiting_rate_limit" || phase.kind === "waiting_retry") return <Alert tone="info">{text}</Alert>;
  if (phase.kind === "finished" || phase.kind === "paused") return null;
  return (
    <p className="text-sm text-slate-700" data-testid="run-phase">
      {text}
      {phase.since ? <span className="text-slate-500"> Since {formatTime(phase.since)}.</span> : null}
    </p>
  );
}

/** How often at most the server-rendered parts (failures table, log) are reloaded while failures come in. */
const FAILURES_REFRESH_MS = 10_000;

const LEVEL_TONE = { info: "slate", warn: "amber", error: "red" } as const;

const failureColumns: ColumnDef<FailureRow, unknown>[] = [
  { accessorKey: "objectType", header: "Object" },
  { accessorKey: "sourceId", header: "Source id", cell: ({ getValue }) => <code className="text-xs">{String(getValue())}</code> },
  { accessorKey: "errorCode", header: "Code", cell: ({ getValue }) => <Badge tone="red">{String(getValue() ?? "UNKNOWN")}</Badge> },
  { accessorKey: "reason", header: "Reason", cell: ({ getValue }) => <span className="text-slate-700">{String(getValue())}</span> },
  { accessorKey: "nextStep", header: "What to do", cell: ({ getValue }) => <span className="text-xs text-slate-600">{String(getValue())}</span> },
];

const warningColumns: ColumnDef<WarningRow, unknown>[] = [
  { accessorKey: "objectType", header: "Object" },
  { accessorKey: "sourceId", header: "Source id", cell: ({ getValue }) => <code className="text-xs">{String(getValue())}</code> },
  { accessorKey: "field", header: "Field" },
  { accessorKey: "original", header: "Original value", cell: ({ getValue }) => <span className="break-all text-slate-700">{String(getValue())}</span> },
  { accessorKey: "action", header: "Done", cell: ({ getValue }) => <Badge tone="amber">{String(getValue())}</Badge> },
  { accessorKey: "details", header: "Details", cell: ({ getValue }) => <span className="text-xs text-slate-600">{String(getValue())}</span> },
];

const verificationColumns: ColumnDef<ObjectVerification, unknown>[] = [
  { accessorKey: "objectType", header: "Object", cell: ({ row }) => `${row.original.objectType} → ${row.original.targetObjectType}` },
  { accessorKey: "selected", header: "Selected" },
  {
    id: "written",
    header: "Created / updated / skipped / failed",
    cell: ({ row }) => `${row.original.created} / ${row.original.updated} / ${row.original.skipped} / ${row.original.failed}`,
  },
  { id: "found", header: "Found in target", cell: ({ row }) => `${row.original.found} of ${row.original.linked}` },
  {
    id: "relations",
    header: "Relations",
    cell: ({ row }) =>
      row.original.relations.checked === 0
        ? "—"
        : `${row.original.relations.checked - row.original.relations.problems} of ${row.original.relations.checked} intact`,
  },
  {
    id: "result",
    header: "Result",
    cell: ({ row }) =>
      row.original.discrepancies.length === 0 ? (
        row.original.failed > 0 ? (
          <Badge tone="amber">{row.original.failed.toLocaleString("en")} failed</Badge>
        ) : (
          <Badge tone="green">Clean</Badge>
        )
      ) : (
        <div className="space-y-1">
          <Badge tone="amber">
            {row.original.discrepancies.length} discrepanc{row.original.discrepancies.length === 1 ? "y" : "ies"}
          </Badge>
          <ul className="list-inside list-disc text-xs text-slate-600">
            {row.original.discrepancies.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      ),
  },
];

/** Green "Clean" only when the target matches and no record failed. */
function VerificationBadge({ report }: { report: NonNullable<RunDashboardData["verification"]> }) {
  const failed = report.objects.reduce((sum, object) => sum + object.failed, 0);
  if (!report.clean) return <Badge tone="amber">{report.discrepancies.length} discrepancies</Badge>;
  if (failed > 0) return <Badge tone="amber">{failed.toLocaleString("en")} failed</Badge>;
  return <Badge tone="green">Clean</Badge>;
}

const eventColumns: ColumnDef<AuditEvent, unknown>[] = [
  { accessorKey: "at", header: "When", cell: ({ getValue }) => <span className="whitespace-nowrap text-xs text-slate-500">{when(String(getValue()))}</span> },
  {
    accessorKey: "level",
    header: "Level",
    cell: ({ getValue }) => <Badge tone={LEVEL_TONE[String(getValue()) as keyof typeof LEVEL_TONE] ?? "slate"}>{String(getValue())}</Badge>,
  },
  { accessorKey: "kind", header: "Kind", cell: ({ getValue }) => <span className="text-xs text-slate-500">{String(getValue()).replace(/_/g, " ")}</span> },
  { accessorKey: "message", header: "Message" },
];

function Stat({ label, value, tone }: { label: string; value: ReactNode; tone?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 shadow-xs">
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div className={`mt-0.5 text-xl font-semibold tabular-nums ${tone ?? "text-slate-900"}`}>{value}</div>
    </div>
  );
}

/** The failures table is server-rendered: reload it when the live count says new failures arrived. */
function useRefreshOnNewFailures(listed: number, rendered: number) {
  const router = useRouter();
  const lastRefresh = useRef(0);
  useEffect(() => {
    if (listed === rendered) return;
    const wait = Math.max(0, lastRefresh.current + FAILURES_REFRESH_MS - Date.now());
    const timer = setTimeout(() => {
      lastRefresh.current = Date.now();
      router.refresh();
    }, wait);
    return () => clearTimeout(timer);
  }, [listed, rendered, router]);
}

export function RunDashboard({ data, staff = false, canRollBack = false }: { data: RunDashboardData; staff?: boolean; canRollBack?: boolean }) {
  const router = useRouter();
  const { progress, error: pollError } = useRunProgress(data.progress, { staff });
  useRefreshOnNewFailures(progress.failuresListed, data.failuresTotal);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [level, setLevel] = useState("all");
  const apiBase = `/api/runs/${encodeURIComponent(data.run.id)}`;
  const scope = staff ? "?scope=staff" : "";
  const dashboardPath = (runId: string) => (staff ? `/admin/runs/${runId}` : `/migrations/${data.run.migrationId}/runs/${runId}`);

  // Polled events are newer than the server-rendered log; merge them in, newest first.
  const events = useMemo(() => {
    const seen = new Set(data.events.map((event) => `${event.at}|${event.message}`));
    const fresh = progress.events
      .filter((event) => !seen.has(`${event.at}|${event.message}`))
      .map((event, index) => ({ ...event, id: `live-${index}-${event.at}` }));
    const all = [...fresh, ...data.events].sort((a, b) => b.at.localeCompare(a.at));
    return level === "all" ? all : all.filter((event) => event.level === level);
  }, [data.events, progress.events, level]);

  function act(work: () => Promise<ActionResult<{ runId: string } | void>>) {
    startTransition(async () => {
      const result = await work();
      if (!result.ok) {
        setMessage({ tone: "error", text: result.error });
        return;
      }
      setMessage({ tone: "success", text: result.message ?? "Done." });
      const created = result.data && typeof result.data === "object" && "runId" in result.data ? result.data.runId : null;
      if (created) router.push(dashboardPath(created));
      else router.refresh();
    });
  }

  const { totals, status } = progress;
  const actions = data.actions;
  const input = { runId: data.run.id };

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-3">
        <RunStatusBadge status={status} failed={totals.failed} />
        <span className="text-sm text-slate-600">
          {RUN_MODE_LABELS[data.run.mode] ?? data.run.mode} · {data.run.sourceLabel} → {data.run.targetLabel}
          {staff ? ` · ${data.run.organizationName}` : ""}
        </span>
        <span className="text-xs text-slate-500">
          Started {when(progress.startedAt)}
          {progress.finishedAt ? ` · finished ${when(progress.finishedAt)}` : ""}
        </span>
        {progress.active ? (
          <span className="inline-flex items-center gap-1 text-xs text-indigo-700">
            <span aria-hidden className="h-2 w-2 animate-pulse rounded-full bg-indigo-500" /> Live
          </span>
        ) : null}
        <a
          className="ml-auto inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline"
          href={`/api/migrations/${encodeURIComponent(data.run.migrationId)}/report${scope}`}
          title="One HTML document for the whole migration: every run per object, warnings and failures by record name, verification, settings changed and restored"
        >
          <Download aria-hidden className="h-4 w-4" /> Download report
        </a>
      </div>

      {progress.pauseReason && status === "paused" ? <Alert tone="info">Paused: {progress.pauseReason}</Alert> : null}
      {progress.error ? <Alert tone="error">{progress.error}</Alert> : null}
      {progress.active ? <PhaseLine phase={progress.phase} /> : null}
      {pollError ? <Alert tone="error">{pollError}</Alert> : null}
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}

      <div className="flex flex-wrap gap-2">
        {!staff && actions.pause ? (
          <Button variant="secondary" disabled={pending} onClick={() => act(() => pauseRunAction(input))}>
            <Pause aria-hidden className="h-4 w-4" /> Pause
          </Button>
        ) : null}
        {!staff && actions.resume ? (
          <Button disabled={pending} onClick={() => act(() => resumeRunAction(input))}>
            <Play aria-hidden className="h-4 w-4" /> Resume
          </Button>
        ) : null}
        {actions.cancel ? (
          <Button variant="danger" disabled={pending} onClick={() => act(() => (staff ? staffCancelAction(input) : cancelRunAction(input)))}>
            <Square aria-hidden className="h-4 w-4" /> Cancel
          </Button>
        ) : null}
        {actions.retry ? (
          <Button variant="secondary" disabled={pending} onClick={() => act(() => (staff ? staffRetryAction(input) : retryFailedAction(input)))}>
            <RotateCcw aria-hidden className="h-4 w-4" /> Retry failed records
          </Button>
        ) : null}
        {!staff && actions.delta ? (
          <Button variant="secondary" disabled={pending} onClick={() => act(() => deltaRunAction(input))}>
            <RefreshCw aria-hidden className="h-4 w-4" /> Delta run (changes since)
          </Button>
        ) : null}
      </div>
      {progress.rollback ? <RollbackProgressPanel progress={progress.rollback} status={status} /> : null}
      {!staff && canRollBack && actions.rollback && data.rollback.total > 0 ? (
        <RollbackConfirm preview={data.rollback} label={data.rollback.runs.length > 1 ? "Roll back this migration's runs" : "Roll back this run"} />
      ) : null}
      {!staff && !canRollBack && actions.rollback && data.rollback.total > 0 ? (
        <p className="text-xs text-slate-500">
          Your role cannot roll back runs (that needs the Rollback and deletion permission): ask someone who manages members.
        </p>
      ) : null}

      <div className="grid grid-cols-2 gap-3 sm:grid-cols-5 lg:grid-cols-9">
        <Stat label="Processed" value={`${totals.processed.toLocaleString("en")} / ${totals.total.toLocaleString("en")}`} />
        <Stat label="Created" value={totals.created.toLocaleString("en")} tone="text-emerald-700" />
        <Stat label="Updated" value={totals.updated.toLocaleString("en")} tone="text-sky-700" />
        <Stat label="Skipped" value={totals.skipped.toLocaleString("en")} />
        <Stat label="Repaired" value={totals.repaired.toLocaleString("en")} tone={totals.repaired > 0 ? "text-amber-700" : undefined} />
        <Stat label="Value dropped" value={totals.valueDropped.toLocaleString("en")} tone={totals.valueDropped > 0 ? "text-amber-700" : undefined} />
        <Stat label="Failed" value={totals.failed.toLocaleString("en")} tone={totals.failed > 0 ? "text-red-700" : undefined} />
        <Stat label="Throughput" value={`${progress.recordsPerSecond.toLocaleString("en")}/s`} />
        <Stat label="ETA" value={progress.active && progress.phase.kind !== "verifying" ? formatSeconds(progress.etaSeconds) : "—"} />
      </div>

      <div className="grid gap-5 lg:grid-cols-2">
        <Card title="Progress per object" actions={<ProgressLegend />}>
          <ul className="space-y-3">
            {progress.objects.map((object) => (
              <li key={object.objectType}>
                <div className="mb-1 flex justify-between gap-2 text-sm">
                  <span className={object.parentObjectType ? "pl-4 text-slate-600" : "font-medium text-slate-800"}>
                    {object.objectType} → {object.targetObjectType}
                    {object.done ? (
                      <span className="ml-2 text-xs text-emerald-700">done</span>
                    ) : object.started ? (
                      <span className="ml-2 text-xs text-indigo-700">in progress</span>
                    ) : null}
                  </span>
                  <span className="tabular-nums text-slate-500">
                    {object.processed.toLocaleString("en")} / {object.total.toLocaleString("en")}
                  </span>
                </div>
                <ProgressBar label={`${object.objectType} progress`} value={object.processed} total={object.total} segments={object} />
                <div className="mt-0.5 text-xs text-slate-500">
                  {object.created} created · {object.updated} updated · {object.skipped} skipped ·{" "}
                  <span className={object.failed > 0 ? "text-red-700" : undefined}>{object.failed} failed</span>
                  {object.repaired + object.valueDropped > 0 ? (
                    <span className="text-amber-700">
                      {" "}
                      · {object.repaired} repaired · {object.valueDropped} value dropped
                    </span>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Throughput over time" description="Records processed per second, from the run's batches.">
          <ThroughputChart points={progress.series} />
        </Card>
      </div>

      <Card
        title={`Failures (${progress.failuresListed.toLocaleString("en")})`}
        description={failuresDescription(totals.failed, progress.failuresListed, {
          shown: data.failures.length,
          truncated: data.failuresTotal > data.failures.length,
        })}
        actions={
          <div className="flex gap-2">
            <a className="inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline" href={`${apiBase}/failures.csv${scope}`}>
              <Download aria-hidden className="h-4 w-4" /> Failures CSV
            </a>
            <a
              className="inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline"
              href={`${apiBase}/warnings.csv${scope}`}
              title="Records written with a repaired value or without one, with the original value"
            >
              <Download aria-hidden className="h-4 w-4" /> Warnings CSV
            </a>
            <a className="inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline" href={`${apiBase}/ledger.csv${scope}`}>
              <Download aria-hidden className="h-4 w-4" /> Ledger CSV
            </a>
          </div>
        }
      >
        <DataTable columns={failureColumns} data={data.failures} label="Failed records" filterPlaceholder="Filter failures…" emptyMessage="No record failed." />
      </Card>

      {data.warningsTotal > 0 ? (
        <Card
          title={`Warnings (${data.warningsTotal.toLocaleString("en")})`}
          description={`Records written with a repaired value or without one: they arrived; the original values are kept here${data.warningsTotal > data.warnings.length ? ` (the newest ${data.warnings.length} shown; the CSV has them all)` : ""}.`}
          actions={
            <a className="inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline" href={`${apiBase}/warnings.csv${scope}`}>
              <Download aria-hidden className="h-4 w-4" /> Warnings CSV
            </a>
          }
        >
          <DataTable columns={warningColumns} data={data.warnings} label="Warnings" filterPlaceholder="Filter warnings…" emptyMessage="No warning." />
        </Card>
      ) : null}

      <Card
        title="Verification"
        description={
          data.verification
            ? `Checked ${when(data.verification.checkedAt)} by reading the target back.`
            : "The target is read back and compared when the run finishes."
        }
        actions={data.verification ? <VerificationBadge report={data.verification} /> : null}
      >
        {data.verification ? (
          <div className="space-y-2">
            <DataTable columns={verificationColumns} data={data.verification.objects} label="Verification per object" emptyMessage="No object verified." />
            {data.verification.notes.length > 0 ? (
              <ul className="list-inside list-disc text-xs text-slate-600">
                {data.verification.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-slate-500">Not verified yet.</p>
        )}
      </Card>

      <Card
        title="Audit log"
        description="Everything this run did, newest first."
        actions={
          <Select aria-label="Filter by level" value={level} onChange={(event) => setLevel(event.target.value)}>
            <option value="all">All levels</option>
            <option value="info">Info</option>
            <option value="warn">Warnings</option>
            <option value="error">Errors</option>
          </Select>
        }
      >
        <DataTable columns={eventColumns} data={events} label="Audit log" filterPlaceholder="Search the log…" emptyMessage="No event at this level." />
      </Card>

      {staff ? null : (
        <p className="text-xs text-slate-500">
          <Link className="text-indigo-700 hover:underline" href={`/migrations/${data.run.migrationId}/runs`}>
            All runs of this migration
          </Link>
        </p>
      )}
    </div>
  );
}
