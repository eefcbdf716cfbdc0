// Rollback: removes what a run created from the target — never what it only updated, and never a
// record that existed before (only links whose createdByRunId is the run qualify) — in reverse
// dependency order (ticket messages before tickets, people before companies), through the
// connector's remove(). Resumable: each batch commits its links as `removed` with its event, and
// the run stays `rolling_back` until nothing is left, so a runner can pick it up after a crash.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import { commit, type LinkWrite } from "./commit";
import { buildContext, loadRun, openSessions, type RunContext } from "./context";
import { describeError, exhausted, stepErrorAction } from "./error-policy";
import { plural } from "./events";
import { reconcilePending } from "./reconcile";
import { ROLLBACK_FROM, SliceSupersededError, takeSliceToken, transition, type RunStatus } from "./run-state";
import { systemInfo, type SessionResolver } from "./sessions";

export const ROLLBACK_FAILED = "ROLLBACK_FAILED";
const DEFAULT_ROLLBACK_BUDGET_MS = 10 * 60_000;

export const rollbackReportSchema = z.object({
  runId: z.string(),
  status: z.string(),
  removed: z.number().int(),
  /** Records already gone from the target (deleted by hand): counted as removed. */
  alreadyGone: z.number().int(),
  failed: z.array(z.object({ objectType: z.string(), sourceId: z.string(), targetId: z.string(), message: z.string() })),
  /** Records the run only updated (delta, duplicate policy "update"), left as they are. */
  keptUpdated: z.number().int(),
  /** Records that existed in the target before, linked by the duplicate policy "skip": untouched. */
  keptExisting: z.number().int(),
  objects: z.array(z.object({ objectType: z.string(), targetObjectType: z.string(), removed: z.number().int(), remaining: z.number().int() })),
});
export type RollbackReport = z.infer<typeof rollbackReportSchema>;

const removableWhere = (runId: string, objectType: string) => ({
  createdByRunId: runId,
  objectType,
  status: { in: ["created", "updated"] },
  targetId: { not: null },
  OR: [{ errorCode: null }, { errorCode: { not: ROLLBACK_FAILED } }],
});

/** Removes one batch; false when nothing is left to remove. */
async function removeBatch(ctx: RunContext): Promise<boolean> {
  const objects = await ctx.database.runObject.findMany({ where: { runId: ctx.run.id }, orderBy: { position: "desc" }, select: { objectType: true, targetObjectType: true } });
  const batchSize = Math.max(1, Math.min(ctx.target.system.maxBatchSize || 50, 100));
  for (const object of objects) {
    const links = await ctx.database.recordLink.findMany({ where: removableWhere(ctx.run.id, object.objectType), select: { id: true, sourceId: true, targetId: true, targetObjectType: true }, take: batchSize, orderBy: { sourceId: "asc" } });
    if (links.length === 0) continue;
    const targetObject = links[0].targetObjectType ?? object.targetObjectType;
    const results = await ctx.target.session.remove(
      targetObject,
      links.map((link) => link.targetId as string),
    );
    const byId = new Map(results.map((result) => [result.id, result]));
    const writes: LinkWrite[] = [];
    let removed = 0;
    let gone = 0;
    const failures: string[] = [];
    for (const link of links) {
      const result = byId.get(link.targetId as string);
      if (result && (result.status === "removed" || result.status === "not_found")) {
        if (result.status === "removed") removed += 1;
        else gone += 1;
        writes.push({ op: "update", id: link.id, data: { status: "removed", errorCode: null, errorMessage: result.status === "not_found" ? "Already gone from the target when the run was rolled back" : null } });
      } else {
        const message = result?.message ?? "The target gave no answer for this record";
        failures.push(`${link.sourceId} (${message})`);
        writes.push({ op: "update", id: link.id, data: { errorCode: ROLLBACK_FAILED, errorMessage: `Could not be removed: ${message}` } });
      }
    }
    const targetName = ctx.target.system.name;
    await commit(ctx, {
      links: writes,
      events: [
        {
          kind: "rollback_batch",
          level: failures.length > 0 ? "warn" : "info",
          message:
            `Removed ${plural(removed, "record")} of ${object.objectType} from ${targetName}` +
            (gone > 0 ? `; ${plural(gone, "record")} ${gone === 1 ? "was" : "were"} already gone` : "") +
            (failures.length > 0 ? `; ${plural(failures.length, "record")} could not be removed: ${failures.slice(0, 3).join("; ")}` : "") +
            ".",
          data: { objectType: object.objectType, removed, alreadyGone: gone, failed: failures.length },
        },
      ],
    });
    return true;
  }
  return false;
}

export async function rollbackReport(database: Database, runId: string, status: string): Promise<RollbackReport> {
  const [grouped, failed, objects] = await Promise.all([
    database.recordLink.groupBy({ by: ["objectType", "status"], where: { createdByRunId: runId }, _count: { _all: true } }),
    database.recordLink.findMany({ where: { createdByRunId: runId, errorCode: ROLLBACK_FAILED }, select: { objectType: true, sourceId: true, targetId: true, errorMessage: true }, take: 100 }),
    database.runObject.findMany({ where: { runId }, orderBy: { position: "asc" }, select: { objectType: true, targetObjectType: true } }),
  ]);
  const gone = await database.recordLink.count({ where: { createdByRunId: runId, status: "removed", errorMessage: { startsWith: "Already gone" } } });
  const [keptUpdated, keptExisting] = await Promise.all([
    database.recordLink.count({ where: { runId, status: "updated", OR: [{ createdByRunId: null }, { createdByRunId: { not: runId } }] } }),
    database.recordLink.count({ where: { runId, status: "skipped", targetId: { not: null } } }),
  ]);
  const count = (objectType: string, statuses: string[]) => grouped.filter((row) => row.objectType === objectType && statuses.includes(row.status)).reduce((sum, row) => sum + row._count._all, 0);
  const removedTotal = grouped.filter((row) => row.status === "removed").reduce((sum, row) => sum + row._count._all, 0);
  return {
    runId,
    status,
    removed: removedTotal - gone,
    alreadyGone: gone,
    failed: failed.map((row) => ({ objectType: row.objectType, sourceId: row.sourceId, targetId: row.targetId ?? "", message: row.errorMessage ?? "" })),
    keptUpdated,
    keptExisting,
    objects: objects.map((object) => ({ objectType: object.objectType, targetObjectType: object.targetObjectType, removed: count(object.objectType, ["removed"]), remaining: count(object.objectType, ["created", "updated"]) })),
  };
}

/**
 * Works on a run in `rolling_back` for up to budgetMs. Returns the status afterwards. Transient
 * errors wait (retryAt) and leave the run rolling_back for the next call.
 */
export async function rollbackSlice(database: Database, runId: string, options: { budgetMs: number; resolveSession?: SessionResolver; now?: () => Date; sleep?: (ms: number) => Promise<void> }): Promise<{ status: RunStatus; processed: number }> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  let run = await loadRun(database, runId);
  if (run.status !== "rolling_back") return { status: run.status, processed: 0 };
  let processed = 0;
  const token = await takeSliceToken(database, runId);
  let ctx: RunContext;
  try {
    ctx = await buildContext(database, run, token, await openSessions(database, run, options.resolveSession), now);
  } catch (error) {
    return handleRollbackError(database, run, token, error, now);
  }
  try {
    await reconcilePending(ctx);
    while (Date.now() - started < options.budgetMs) {
      if (!(await removeBatch(ctx))) {
        const report = await rollbackReport(database, runId, "rolled_back");
        const keptSentence = report.keptUpdated + report.keptExisting > 0 ? ` ${plural(report.keptUpdated + report.keptExisting, "record")} that existed before or were only updated were left as they are.` : "";
        await transition(database, runId, ["rolling_back"], "rolled_back", {
          kind: "rolled_back",
          level: report.failed.length > 0 ? "warn" : "info",
          message: `Rollback finished: ${plural(report.removed, "record")} removed from ${ctx.target.system.name}${report.alreadyGone > 0 ? `, ${report.alreadyGone} already gone` : ""}${report.failed.length > 0 ? `, ${report.failed.length} could not be removed` : ""}.${keptSentence}`,
          data: { removed: report.removed, alreadyGone: report.alreadyGone, failed: report.failed.length, keptUpdated: report.keptUpdated, keptExisting: report.keptExisting },
        }, { rolledBackAt: now(), retryAt: null, transientFailures: 0 });
        return { status: "rolled_back", processed };
      }
      processed += 1;
      run = { ...run, transientFailures: 0 };
    }
    return { status: "rolling_back", processed };
  } catch (error) {
    if (error instanceof SliceSupersededError) return { status: (await loadRun(database, runId)).status, processed };
    return handleRollbackError(database, run, token, error, now);
  }
}

async function handleRollbackError(database: Database, run: Awaited<ReturnType<typeof loadRun>>, token: string, error: unknown, now: () => Date): Promise<{ status: RunStatus; processed: number }> {
  const action = stepErrorAction(error, run.transientFailures, systemInfo(run.migration.targetConnection.systemId).name);
  const failures = run.transientFailures + 1;
  if (action.kind === "retry_later" && !exhausted(failures)) {
    await database.$transaction([
      database.run.updateMany({ where: { id: run.id, sliceToken: token }, data: { transientFailures: failures, retryAt: new Date(now().getTime() + action.waitMs) } }),
      database.runEvent.create({ data: { runId: run.id, kind: "retry", level: "warn", message: `Rollback paused briefly: ${describeError(error)}. Ferry tries again in ${Math.ceil(action.waitMs / 1000)} s.` } }),
    ]);
    return { status: "rolling_back", processed: 0 };
  }
  // Credentials, or too many failures: the rollback stops; starting it again resumes it.
  const reason = action.kind === "pause" ? action.reason : `The rollback stopped: ${describeError(error)}. Start the rollback again to resume it.`;
  await transition(database, run.id, ["rolling_back"], "paused", { kind: "paused", level: "error", message: reason }, { pauseReason: reason });
  return { status: "paused", processed: 0 };
}

/** Starts (or resumes) rolling a run back and works on it for up to budgetMs (10 minutes by default). */
export async function rollbackRun(database: Database, runId: string, options: { resolveSession?: SessionResolver; budgetMs?: number; now?: () => Date } = {}): Promise<RollbackReport> {
  const run = await loadRun(database, runId);
  if (!ROLLBACK_FROM.includes(run.status) && run.status !== "queued") {
    throw new UserFacingError(run.status === "rolled_back" ? "This run was already rolled back." : "Pause or cancel the run before rolling it back.");
  }
  if (run.status !== "rolling_back") {
    const started = await transition(
      database,
      runId,
      [...ROLLBACK_FROM.filter((status) => status !== "rolling_back"), "queued"],
      "rolling_back",
      { kind: "rollback_started", message: `Rollback started: every record this run created is being removed from the target, last objects first. Records that existed before, or that the run only updated, stay.` },
      { retryAt: null, transientFailures: 0, pauseReason: null },
    );
    if (!started) throw new UserFacingError("The run changed state meanwhile; reload and try again.");
  }
  const deadline = Date.now() + (options.budgetMs ?? DEFAULT_ROLLBACK_BUDGET_MS);
  let status: RunStatus = "rolling_back";
  while (status === "rolling_back" && Date.now() < deadline) {
    const current = await loadRun(database, runId);
    const wait = current.retryAt ? current.retryAt.getTime() - Date.now() : 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, Math.max(0, deadline - Date.now()))));
    ({ status } = await rollbackSlice(database, runId, { budgetMs: Math.max(1_000, deadline - Date.now()), resolveSession: options.resolveSession, now: options.now }));
  }
  return rollbackReport(database, runId, status);
}
