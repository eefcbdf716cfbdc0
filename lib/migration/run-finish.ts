// How a run ends: after its last page (verification, the failure summary, completed) or after a
// cancel between batches (cancelled; what was written stays until a rollback).
import { commit } from "./commit";
import type { RunContext } from "./context";
import { forgetActivity } from "./activity-scan";
import { countsSentence, modeLabel, plural, type RunEventInput } from "./events";
import { runFailuresByCode } from "./record-map";
import { statusOf, transition, type RunStatus } from "./run-state";
import { buildVerification, saveVerification } from "./verify";

/** One event naming the run's failed records per object and reason; null when none failed. */
async function failureSummary(ctx: RunContext): Promise<RunEventInput | null> {
  const grouped = await runFailuresByCode(ctx.database, ctx.run.id);
  if (grouped.length === 0) return null;
  const total = grouped.reduce((sum, row) => sum + row.count, 0);
  const parts = grouped.map((row) => `${row.count} ${row.objectType} (${(row.errorCode ?? "UNKNOWN").toLowerCase().replace(/_/g, " ")})`);
  return {
    kind: "failures",
    level: "warn",
    message: `${plural(total, "record")} failed and ${total === 1 ? "was" : "were"} not migrated: ${parts.join(", ")}. Each has its reason in the report; fix the cause and start a retry run.`,
    data: { total, byCode: grouped.map((row) => ({ objectType: row.objectType, code: row.errorCode, count: row.count })) },
  };
}

/** The end of a run that went through everything: verification, the summary, then completed. */
export async function finishRun(ctx: RunContext): Promise<RunStatus> {
  await forgetActivity(ctx);
  const summary = await failureSummary(ctx);
  await commit(ctx, { run: { phase: "verifying", phaseAt: ctx.now() } });
  // Link rows the writer had confirmed one by one are not read again here; verifyRun reads them.
  const report = await buildVerification(ctx.database, ctx.run, ctx.target, ctx.now(), { separateRelations: false });
  if (summary) await commit(ctx, { events: [summary] });
  await saveVerification(ctx.database, ctx.run.id, report);
  const totals = await ctx.database.run.findUnique({
    where: { id: ctx.run.id },
    select: { createdRecords: true, updatedRecords: true, skippedRecords: true, failedRecords: true, repairedRecords: true, valueDroppedRecords: true },
  });
  const counts = {
    created: totals?.createdRecords ?? 0,
    updated: totals?.updatedRecords ?? 0,
    skipped: totals?.skippedRecords ?? 0,
    failed: totals?.failedRecords ?? 0,
    repaired: totals?.repairedRecords ?? 0,
    valueDropped: totals?.valueDroppedRecords ?? 0,
  };
  // A run that failed records is never "clean", even when the target matches the record map.
  const verdict = !report.clean
    ? `Verification found ${plural(report.discrepancies.length, "discrepancy", "discrepancies")}.`
    : counts.failed > 0
      ? `Verification found every written record in ${ctx.target.system.name}; the ${plural(counts.failed, "failed record")} ${counts.failed === 1 ? "is" : "are"} not there: see each reason and what to do, then Retry failed records.`
      : "Verification is clean.";
  await transition(
    ctx.database,
    ctx.run.id,
    ["running"],
    "completed",
    {
      kind: "completed",
      level: counts.failed > 0 || !report.clean ? "warn" : "info",
      message: `${modeLabel(ctx.run.mode)} finished: ${countsSentence(counts)}. ${verdict}`,
      data: counts,
    },
    { finishedAt: ctx.now(), retryAt: null },
  );
  if (ctx.run.mode !== "demo")
    await ctx.database.migration.updateMany({ where: { id: ctx.run.migrationId, status: "running" }, data: { status: "completed" } });
  return statusOf(ctx.database, ctx.run.id);
}

/** The end of a cancelled run: what it wrote stays in the target. */
export async function finishCancel(ctx: RunContext): Promise<RunStatus> {
  await forgetActivity(ctx);
  const totals = await ctx.database.run.findUnique({ where: { id: ctx.run.id }, select: { createdRecords: true, updatedRecords: true } });
  await transition(
    ctx.database,
    ctx.run.id,
    ["cancelling"],
    "cancelled",
    {
      kind: "cancelled",
      message: `Cancelled after ${plural(totals?.createdRecords ?? 0, "record")} created and ${totals?.updatedRecords ?? 0} updated. They stay in the target; roll the run back to remove them.`,
    },
    { finishedAt: ctx.now(), retryAt: null },
  );
  if (ctx.run.mode !== "demo") await ctx.database.migration.updateMany({ where: { id: ctx.run.migrationId, status: "running" }, data: { status: "ready" } });
  return statusOf(ctx.database, ctx.run.id);
}
