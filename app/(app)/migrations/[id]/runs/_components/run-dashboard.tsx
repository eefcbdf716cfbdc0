"use client";

// The run dashboard, shared by the organization's page and the staff page (/admin/runs/[runId]):
// live progress per object, counters, throughput and ETA, the chart, failures, verification,
// the audit log, and the buttons the run's state allows.
import { useEffect, useMemo, useRef, useState, useTransition, type ReactNode } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
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
import { RunStatusBadge, useRunModeLabel } from "@/app/_components/run-status-badge";
import { ThroughputChart } from "@/app/_components/throughput-chart";
import { Alert, Badge, Button, Card, Select } from "@/app/_components/ui";
import type { ActionResult } from "@/lib/action-result";
import { formatDateTime, formatNumber, formatTime } from "@/lib/format-date";
import type { Locale } from "@/lib/i18n/locale";
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

type Translate = ReturnType<typeof useTranslations<"runDashboard">>;

/** Waits are news (the counters stand still on purpose); the rest is a quiet line. */
function PhaseLine({ phase }: { phase: RunPhase }) {
  const t = useTranslations("runDashboard");
  const locale = useLocale();
  const text = describePhase(phase, (value) => formatTime(value, locale));
  // describePhase (lib/migration/phase.ts) still speaks English: lang marks it.
  if (phase.kind === "waiting_rate_limit" || phase.kind === "waiting_retry")
    return (
      <Alert tone="info">
        <span lang="en">{text}</span>
      </Alert>
    );
  if (phase.kind === "finished" || phase.kind === "paused") return null;
  return (
    <p className="text-sm text-slate-700" data-testid="run-phase">
      <span lang="en">{text}</span>
      {phase.since ? <span className="text-slate-500"> {t("since", { time: formatTime(phase.since, locale) })}</span> : null}
    </p>
  );
}

/** How often at most the server-rendered parts (failures table, log) are reloaded while failures come in. */
const FAILURES_REFRESH_MS = 10_000;

const LEVEL_TONE = { info: "slate", warn: "amber", error: "red" } as const;

const failureColumns = (t: Translate): ColumnDef<FailureRow, unknown>[] => [
  { accessorKey: "objectType", header: t("column.object"), cell: ({ getValue }) => <span translate="no">{String(getValue())}</span> },
  { accessorKey: "sourceId", header: t("column.sourceId"), cell: ({ getValue }) => <code className="text-xs">{String(getValue())}</code> },
  { accessorKey: "errorCode", header: t("column.code"), cell: ({ getValue }) => <Badge tone="red">{String(getValue() ?? "UNKNOWN")}</Badge> },
  {
    accessorKey: "reason",
    header: t("column.reason"),
    cell: ({ getValue }) => (
      <span lang="en" className="text-slate-700">
        {String(getValue())}
      </span>
    ),
  },
  {
    accessorKey: "nextStep",
    header: t("column.nextStep"),
    cell: ({ getValue }) => (
      <span lang="en" className="text-xs text-slate-600">
        {String(getValue())}
      </span>
    ),
  },
];

const warningColumns = (t: Translate): ColumnDef<WarningRow, unknown>[] => [
  { accessorKey: "objectType", header: t("column.object") },
  { accessorKey: "sourceId", header: t("column.sourceId"), cell: ({ getValue }) => <code className="text-xs">{String(getValue())}</code> },
  { accessorKey: "field", header: t("column.field") },
  { accessorKey: "original", header: t("column.original"), cell: ({ getValue }) => <span className="break-all text-slate-700">{String(getValue())}</span> },
  { accessorKey: "action", header: t("column.action"), cell: ({ getValue }) => <Badge tone="amber">{String(getValue())}</Badge> },
  { accessorKey: "details", header: t("column.details"), cell: ({ getValue }) => <span className="text-xs text-slate-600">{String(getValue())}</span> },
];

const verificationColumns = (t: Translate, locale: Locale): ColumnDef<ObjectVerification, unknown>[] => [
  {
    accessorKey: "objectType",
    header: t("column.object"),
    cell: ({ row }) => <span translate="no">{`${row.original.objectType} → ${row.original.targetObjectType}`}</span>,
  },
  { accessorKey: "selected", header: t("column.selected") },
  {
    id: "written",
    header: t("column.written"),
    cell: ({ row }) => `${row.original.created} / ${row.original.updated} / ${row.original.skipped} / ${row.original.failed}`,
  },
  { id: "found", header: t("column.found"), cell: ({ row }) => t("xOfY", { x: row.original.found, y: row.original.linked }) },
  {
    id: "relations",
    header: t("column.relations"),
    cell: ({ row }) =>
      row.original.relations.checked === 0
        ? "—"
        : t("intact", { x: row.original.relations.checked - row.original.relations.problems, y: row.original.relations.checked }),
  },
  {
    id: "result",
    header: t("column.result"),
    cell: ({ row }) =>
      row.original.discrepancies.length === 0 ? (
        row.original.failed > 0 ? (
          <Badge tone="amber">{t("failedCount", { count: formatNumber(row.original.failed, locale) })}</Badge>
        ) : (
          <Badge tone="green">{t("clean")}</Badge>
        )
      ) : (
        <div className="space-y-1">
          <Badge tone="amber">{t("discrepancies", { count: row.original.discrepancies.length })}</Badge>
          <ul lang="en" className="list-inside list-disc text-xs text-slate-600">
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
  const t = useTranslations("runDashboard");
  const locale = useLocale();
  const failed = report.objects.reduce((sum, object) => sum + object.failed, 0);
  if (!report.clean) return <Badge tone="amber">{t("discrepancies", { count: report.discrepancies.length })}</Badge>;
  if (failed > 0) return <Badge tone="amber">{t("failedCount", { count: formatNumber(failed, locale) })}</Badge>;
  return <Badge tone="green">{t("clean")}</Badge>;
}

const eventColumns = (t: Translate, locale: Locale): ColumnDef<AuditEvent, unknown>[] => [
  {
    accessorKey: "at",
    header: t("column.when"),
    cell: ({ getValue }) => <span className="whitespace-nowrap text-xs text-slate-500">{formatDateTime(String(getValue()), locale)}</span>,
  },
  {
    accessorKey: "level",
    header: t("column.level"),
    cell: ({ getValue }) => <Badge tone={LEVEL_TONE[String(getValue()) as keyof typeof LEVEL_TONE] ?? "slate"}>{String(getValue())}</Badge>,
  },
  {
    accessorKey: "kind",
    header: t("column.kind"),
    // The event's kind is a stable code (as in the CSV and the API), not a sentence.
    cell: ({ getValue }) => (
      <span translate="no" className="text-xs text-slate-500">
        {String(getValue()).replace(/_/g, " ")}
      </span>
    ),
  },
  { accessorKey: "message", header: t("column.message"), cell: ({ getValue }) => <span lang="en">{String(getValue())}</span> },
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
  const t = useTranslations("runDashboard");
  const locale = useLocale();
  const modeLabel = useRunModeLabel();
  const when = (value: string | null) => formatDateTime(value, locale);
  const number = (value: number) => formatNumber(value, locale);
  const columns = useMemo(
    () => ({ failures: failureColumns(t), warnings: warningColumns(t), verification: verificationColumns(t, locale), events: eventColumns(t, locale) }),
    [t, locale],
  );
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
      setMessage({ tone: "success", text: result.message ?? t("done") });
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
          {modeLabel(data.run.mode)} · {data.run.sourceLabel} → {data.run.targetLabel}
          {staff ? ` · ${data.run.organizationName}` : ""}
        </span>
        <span className="text-xs text-slate-500">
          {t("started", { date: when(progress.startedAt) })}
          {progress.finishedAt ? ` · ${t("finished", { date: when(progress.finishedAt) })}` : ""}
        </span>
        {progress.active ? (
          <span className="inline-flex items-center gap-1 text-xs text-indigo-700">
            <span aria-hidden className="h-2 w-2 animate-pulse rounded-full bg-indigo-500" /> {t("live")}
          </span>
        ) : null}
        <a
          className="ml-auto inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline"
          href={`/api/migrations/${encodeURIComponent(data.run.migrationId)}/report${scope}`}
          title={t("reportTitle")}
        >
          <Download aria-hidden className="h-4 w-4" /> {t("downloadReport")}
        </a>
      </div>

      {progress.pauseReason && status === "paused" ? (
        <Alert tone="info">{t.rich("pausedBecause", { reason: progress.pauseReason, en: (chunks) => <span lang="en">{chunks}</span> })}</Alert>
      ) : null}
      {progress.error ? (
        <Alert tone="error">
          <span lang="en">{progress.error}</span>
        </Alert>
      ) : null}
      {progress.active ? <PhaseLine phase={progress.phase} /> : null}
      {pollError ? <Alert tone="error">{pollError}</Alert> : null}
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}

      <div className="flex flex-wrap gap-2">
        {!staff && actions.pause ? (
          <Button variant="secondary" disabled={pending} onClick={() => act(() => pauseRunAction(input))}>
            <Pause aria-hidden className="h-4 w-4" /> {t("pause")}
          </Button>
        ) : null}
        {!staff && actions.resume ? (
          <Button disabled={pending} onClick={() => act(() => resumeRunAction(input))}>
            <Play aria-hidden className="h-4 w-4" /> {t("resume")}
          </Button>
        ) : null}
        {actions.cancel ? (
          <Button variant="danger" disabled={pending} onClick={() => act(() => (staff ? staffCancelAction(input) : cancelRunAction(input)))}>
            <Square aria-hidden className="h-4 w-4" /> {t("cancel")}
          </Button>
        ) : null}
        {actions.retry ? (
          <Button variant="secondary" disabled={pending} onClick={() => act(() => (staff ? staffRetryAction(input) : retryFailedAction(input)))}>
            <RotateCcw aria-hidden className="h-4 w-4" /> {t("retry")}
          </Button>
        ) : null}
        {!staff && actions.delta ? (
          <Button variant="secondary" disabled={pending} onClick={() => act(() => deltaRunAction(input))}>
            <RefreshCw aria-hidden className="h-4 w-4" /> {t("delta")}
          </Button>
        ) : null}
      </div>
      {progress.rollback ? <RollbackProgressPanel progress={progress.rollback} status={status} /> : null}
      {!staff && canRollBack && actions.rollback && data.rollback.total > 0 ? (
        <RollbackConfirm preview={data.rollback} label={data.rollback.runs.length > 1 ? t("rollBackAll") : t("rollBackOne")} />
      ) : null}
      {!staff && !canRollBack && actions.rollback && data.rollback.total > 0 ? <p className="text-xs text-slate-500">{t("rollbackRefused")}</p> : null}

      <div className="grid grid-cols-2 gap-3 sm:grid-cols-5 lg:grid-cols-9">
        <Stat label={t("stat.processed")} value={`${number(totals.processed)} / ${number(totals.total)}`} />
        <Stat label={t("stat.created")} value={number(totals.created)} tone="text-emerald-700" />
        <Stat label={t("stat.updated")} value={number(totals.updated)} tone="text-sky-700" />
        <Stat label={t("stat.skipped")} value={number(totals.skipped)} />
        <Stat label={t("stat.repaired")} value={number(totals.repaired)} tone={totals.repaired > 0 ? "text-amber-700" : undefined} />
        <Stat label={t("stat.valueDropped")} value={number(totals.valueDropped)} tone={totals.valueDropped > 0 ? "text-amber-700" : undefined} />
        <Stat label={t("stat.failed")} value={number(totals.failed)} tone={totals.failed > 0 ? "text-red-700" : undefined} />
        <Stat label={t("stat.throughput")} value={`${number(progress.recordsPerSecond)}/s`} />
        <Stat label={t("stat.eta")} value={progress.active && progress.phase.kind !== "verifying" ? formatSeconds(progress.etaSeconds) : "—"} />
      </div>

      <div className="grid gap-5 lg:grid-cols-2">
        <Card title={t("perObject")} actions={<ProgressLegend />}>
          <ul className="space-y-3">
            {progress.objects.map((object) => (
              <li key={object.objectType}>
                <div className="mb-1 flex justify-between gap-2 text-sm">
                  <span className={object.parentObjectType ? "pl-4 text-slate-600" : "font-medium text-slate-800"}>
                    <span translate="no">
                      {object.objectType} → {object.targetObjectType}
                    </span>
                    {object.done ? (
                      <span className="ml-2 text-xs text-emerald-700">{t("objectDone")}</span>
                    ) : object.started ? (
                      <span className="ml-2 text-xs text-indigo-700">{t("inProgress")}</span>
                    ) : null}
                  </span>
                  <span className="tabular-nums text-slate-500">
                    {number(object.processed)} / {number(object.total)}
                  </span>
                </div>
                <ProgressBar label={t("objectProgress", { object: object.objectType })} value={object.processed} total={object.total} segments={object} />
                <div className="mt-0.5 text-xs text-slate-500">
                  {t("objectCounts", { created: object.created, updated: object.updated, skipped: object.skipped })} ·{" "}
                  <span className={object.failed > 0 ? "text-red-700" : undefined}>{t("failedCount", { count: object.failed })}</span>
                  {object.repaired + object.valueDropped > 0 ? (
                    <span className="text-amber-700"> · {t("objectWarnings", { repaired: object.repaired, dropped: object.valueDropped })}</span>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        </Card>
        <Card title={t("throughputTitle")} description={t("throughputDescription")}>
          <ThroughputChart points={progress.series} />
        </Card>
      </div>

      <Card
        title={t("failuresTitle", { count: number(progress.failuresListed) })}
        description={
          <span lang="en">
            {failuresDescription(totals.failed, progress.failuresListed, {
              shown: data.failures.length,
              truncated: data.failuresTotal > data.failures.length,
            })}
          </span>
        }
        actions={
          <div className="flex gap-2">
            <a className="inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline" href={`${apiBase}/failures.csv${scope}`}>
              <Download aria-hidden className="h-4 w-4" /> {t("failuresCsv")}
            </a>
            <a
              className="inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline"
              href={`${apiBase}/warnings.csv${scope}`}
              title={t("warningsCsvTitle")}
            >
              <Download aria-hidden className="h-4 w-4" /> {t("warningsCsv")}
            </a>
            <a className="inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline" href={`${apiBase}/ledger.csv${scope}`}>
              <Download aria-hidden className="h-4 w-4" /> {t("ledgerCsv")}
            </a>
          </div>
        }
      >
        <DataTable
          columns={columns.failures}
          data={data.failures}
          label={t("failedRecords")}
          filterPlaceholder={t("filterFailures")}
          emptyMessage={t("noFailure")}
        />
      </Card>

      {data.warningsTotal > 0 ? (
        <Card
          title={t("warningsTitle", { count: number(data.warningsTotal) })}
          description={data.warningsTotal > data.warnings.length ? t("warningsDescriptionNewest", { shown: data.warnings.length }) : t("warningsDescription")}
          actions={
            <a className="inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline" href={`${apiBase}/warnings.csv${scope}`}>
              <Download aria-hidden className="h-4 w-4" /> {t("warningsCsv")}
            </a>
          }
        >
          <DataTable
            columns={columns.warnings}
            data={data.warnings}
            label={t("warnings")}
            filterPlaceholder={t("filterWarnings")}
            emptyMessage={t("noWarning")}
          />
        </Card>
      ) : null}

      <Card
        title={t("verification")}
        description={data.verification ? t("verifiedAt", { date: when(data.verification.checkedAt) }) : t("verifyLater")}
        actions={data.verification ? <VerificationBadge report={data.verification} /> : null}
      >
        {data.verification ? (
          <div className="space-y-2">
            <DataTable columns={columns.verification} data={data.verification.objects} label={t("verificationPerObject")} emptyMessage={t("noVerified")} />
            {data.verification.notes.length > 0 ? (
              <ul lang="en" className="list-inside list-disc text-xs text-slate-600">
                {data.verification.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-slate-500">{t("notVerified")}</p>
        )}
      </Card>

      <Card
        title={t("log")}
        description={t("logDescription")}
        actions={
          <Select aria-label={t("filterLevel")} value={level} onChange={(event) => setLevel(event.target.value)}>
            <option value="all">{t("level.all")}</option>
            <option value="info">{t("level.info")}</option>
            <option value="warn">{t("level.warn")}</option>
            <option value="error">{t("level.error")}</option>
          </Select>
        }
      >
        <DataTable columns={columns.events} data={events} label={t("log")} filterPlaceholder={t("searchLog")} emptyMessage={t("noEvent")} />
      </Card>

      {staff ? null : (
        <p className="text-xs text-slate-500">
          <Link className="text-indigo-700 hover:underline" href={`/migrations/${data.run.migrationId}/runs`}>
            {t("allRuns")}
          </Link>
        </p>
      )}
    </div>
  );
}
