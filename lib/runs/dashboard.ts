// Everything the run dashboard renders on first load: progress (then polled), failures, the
// verification report, the audit log and the rollback preview. The same loader serves the
// organization's page and the staff page; only the RunAccess differs.
import type { Database } from "@/lib/db";
import { parseVerification, type VerificationReport } from "@/lib/migration/engine";
import { findRun, type RunAccess, type RunSummary } from "./access";
import { failedLinkCount, runFailedCount, runFailures } from "@/lib/migration/record-map";
import { WARNING_ACTION_LABELS } from "./csv";
import { nextStepFor } from "./outcome";
import { loadRunProgress, type RunProgressJson } from "./progress";
import { rollbackPreview, type RollbackPreview } from "./rollback-preview";

/** Failures shown in the table; the CSV has them all. */
export const DASHBOARD_FAILURES = 500;
/** Newest audit-log events shown. */
export const DASHBOARD_EVENTS = 500;

export type FailureRow = { id: string; objectType: string; sourceId: string; errorCode: string | null; reason: string; nextStep: string; at: string };
/** A record written with a repaired or left-out value: the original value and what was done. */
export type WarningRow = { id: string; objectType: string; sourceId: string; field: string; original: string; action: string; details: string };
export type AuditEvent = { id: string; at: string; level: string; kind: string; message: string };

export type RunActions = { pause: boolean; resume: boolean; cancel: boolean; retry: boolean; delta: boolean; rollback: boolean };

export type RunDashboardData = {
  run: {
    id: string;
    mode: string;
    migrationId: string;
    migrationName: string;
    organizationName: string;
    sourceLabel: string;
    targetLabel: string;
    targetSystemId: string | null;
  };
  progress: RunProgressJson;
  failures: FailureRow[];
  failuresTotal: number;
  /** The newest DASHBOARD_FAILURES warnings; warnings.csv has them all. */
  warnings: WarningRow[];
  warningsTotal: number;
  verification: VerificationReport | null;
  events: AuditEvent[];
  rollback: RollbackPreview;
  actions: RunActions;
};

const FINISHED = ["completed", "failed", "cancelled"];

/** Which buttons make sense in this state; the engine re-checks every transition. */
export function availableActions(
  run: Pick<RunSummary, "mode">,
  status: string,
  context: { failedInMigration: number; hasFinishedFullRun: boolean; otherActiveRun: boolean },
): RunActions {
  const idle = !context.otherActiveRun;
  return {
    pause: status === "running" || status === "queued",
    resume: status === "paused",
    cancel: ["queued", "running", "paused"].includes(status),
    retry: run.mode !== "demo" && FINISHED.includes(status) && context.failedInMigration > 0 && idle,
    delta: run.mode !== "demo" && status === "completed" && context.hasFinishedFullRun && idle,
    rollback: ["completed", "failed", "cancelled", "paused"].includes(status),
  };
}

export async function loadRunDashboard(database: Database, access: RunAccess, runId: string, now: Date = new Date()): Promise<RunDashboardData> {
  const run = await findRun(database, access, runId);
  const [progress, failures, failuresTotal, warnings, warningsTotal, verificationRow, events, rollback, failedInMigration, finishedFull, otherActive] =
    await Promise.all([
      loadRunProgress(database, access, runId, now),
      runFailures(database, runId, DASHBOARD_FAILURES),
      runFailedCount(database, runId),
      database.recordWarning.findMany({
        where: { runId },
        orderBy: { createdAt: "desc" },
        take: DASHBOARD_FAILURES,
        select: { id: true, objectType: true, sourceId: true, field: true, original: true, action: true, message: true },
      }),
      database.recordWarning.count({ where: { runId } }),
      database.run.findUnique({ where: { id: runId }, select: { verification: true } }),
      database.runEvent.findMany({
        where: { runId, kind: { not: "batch_writing" } },
        orderBy: [{ at: "desc" }, { id: "desc" }],
        take: DASHBOARD_EVENTS,
        select: { id: true, at: true, level: true, kind: true, message: true },
      }),
      rollbackPreview(database, access, runId),
      failedLinkCount(database, run.migrationId),
      database.run.count({ where: { migrationId: run.migrationId, status: "completed", mode: { in: ["full", "delta"] } } }),
      database.run.count({
        where: { migrationId: run.migrationId, id: { not: runId }, status: { in: ["queued", "running", "paused", "cancelling", "rolling_back"] } },
      }),
    ]);
  return {
    run: {
      id: run.id,
      mode: run.mode,
      migrationId: run.migrationId,
      migrationName: run.migration.name,
      organizationName: run.migration.organizationName,
      sourceLabel: run.migration.source?.label ?? "Source",
      targetLabel: run.migration.target?.label ?? "Target",
      targetSystemId: run.migration.target?.systemId ?? null,
    },
    progress,
    failures: failures.map((link) => ({
      id: link.id,
      objectType: link.objectType,
      sourceId: link.sourceId,
      errorCode: link.errorCode,
      reason: link.errorMessage ?? "No reason recorded",
      nextStep: nextStepFor(link.errorCode),
      at: link.updatedAt.toISOString(),
    })),
    failuresTotal,
    warnings: warnings.map((warning) => ({
      id: warning.id,
      objectType: warning.objectType,
      sourceId: warning.sourceId,
      field: warning.field,
      original: warning.original,
      action: WARNING_ACTION_LABELS[warning.action] ?? warning.action,
      details: warning.message,
    })),
    warningsTotal,
    verification: parseVerification(verificationRow?.verification ?? null),
    events: events.map((event) => ({ ...event, at: event.at.toISOString() })),
    rollback,
    actions: availableActions(run, progress.status, { failedInMigration, hasFinishedFullRun: finishedFull > 0, otherActiveRun: otherActive > 0 }),
  };
}
