// Rollback: removes what a migration's runs created from the target — never what they only
// updated, and never a record that existed before (only links whose createdByRunId is a run of the
// scope qualify) — in reverse dependency order (ticket messages before tickets, people before
// companies), through the connector's remove(). The scope is fixed when the rollback starts: a
// demo run's rollback ("delete demo data") covers that demo; any other run's covers every run of
// the migration not rolled back yet (full, retries, deltas, a demo whose data was kept), so no
// record of a retry is left pointing at a deleted company. Resumable: each batch commits its links
// as `removed` with its event, and the run stays `rolling_back` until nothing is left, so a runner
// can pick it up after a crash.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import { commit, type LinkWrite } from "./commit";
import { buildContext, loadRun, openSessions, type RunContext } from "./context";
import { parseJsonColumn, withConflictRetry } from "./database";
import { describeError, exhausted, stepErrorAction } from "./error-policy";
import { plural } from "./events";
import { reconcilePending } from "./reconcile";
import { removableLinkCount, removableLinks, removedLinkWrite, rollbackFailedWrite, rollbackLinkSummary, twinRemovedWrites } from "./record-map";
import { ROLLBACK_FROM, SliceSupersededError, takeSliceToken, transition, type RunStatus } from "./run-state";
import { systemInfo, type SessionResolver } from "./sessions";

/** Run states a covered run other than the one rolled back may be in (nothing of it still working). */
const COVERABLE: readonly RunStatus[] = ["completed", "failed", "cancelled"];
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

/** The run ids a rollback started now would cover (see the header). */
export async function rollbackScopeFor(database: Database, run: { id: string; mode: string; migrationId: string }): Promise<string[]> {
  if (run.mode === "demo") return [run.id];
  const runs = await database.run.findMany({
    where: { migrationId: run.migrationId, id: { not: run.id }, status: { not: "rolled_back" } },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  return [run.id, ...runs.map((other) => other.id)];
}

/** The scope a rollback in progress was started with (older rollbacks: the run alone). */
export function storedScope(run: { id: string; rollbackScope: string | null }): string[] {
  const ids = parseJsonColumn(run.rollbackScope, z.array(z.string()), []);
  return ids.includes(run.id) ? ids : [run.id, ...ids];
}

async function scopeOf(database: Database, runId: string): Promise<string[]> {
  const run = await database.run.findUnique({ where: { id: runId }, select: { id: true, rollbackScope: true } });
  return run ? storedScope(run) : [runId];
}

/** Objects of the covered runs, last in dependency order first. */
async function objectsInRemovalOrder(database: Database, runIds: string[]): Promise<{ objectType: string; targetObjectType: string }[]> {
  const rows = await database.runObject.findMany({ where: { runId: { in: runIds } }, select: { objectType: true, targetObjectType: true, position: true } });
  const byType = new Map<string, { objectType: string; targetObjectType: string; position: number }>();
  for (const row of rows) if ((byType.get(row.objectType)?.position ?? -1) < row.position) byType.set(row.objectType, row);
  return [...byType.values()].sort((a, b) => b.position - a.position);
}

/** Removes one batch; false when nothing is left to remove. */
async function removeBatch(ctx: RunContext, scope: string[]): Promise<boolean> {
  const objects = await objectsInRemovalOrder(ctx.database, scope);
  const batchSize = Math.max(1, Math.min(ctx.target.system.maxBatchSize || 50, 100));
  for (const object of objects) {
    const links = await removableLinks(ctx.database, ctx.run.migrationId, scope, object.objectType, batchSize);
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
        writes.push(removedLinkWrite(link.id, result.status === "not_found"));
      } else {
        const message = result?.message ?? "The target gave no answer for this record";
        failures.push(`${link.sourceId} (${message})`);
        writes.push(rollbackFailedWrite(link.id, message));
      }
    }
    const targetName = ctx.target.system.name;
    const removedTargets = links
      .filter((link) => writes.some((write) => write.op === "update" && write.id === link.id && write.data.status === "removed"))
      .map((link) => link.targetId as string);
    await commit(ctx, {
      links: [...writes, ...(await twinWrites(ctx, object.objectType, removedTargets))],
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

/**
 * Duplicates the covered runs linked to a record just removed (same-run duplicates, status
 * skipped) lose their link too: otherwise the next run would take them as migrated, pointing at
 * a deleted record.
 */
async function twinWrites(ctx: RunContext, objectType: string, removedTargets: string[]): Promise<LinkWrite[]> {
  if (removedTargets.length === 0) return [];
  return twinRemovedWrites(ctx.database, ctx.run.migrationId, objectType, removedTargets);
}

export async function rollbackReport(database: Database, runId: string, status: string): Promise<RollbackReport> {
  const scope = await scopeOf(database, runId);
  const [{ grouped, failed, gone }, objects] = await Promise.all([
    rollbackLinkSummary(database, scope),
    objectsInRemovalOrder(database, scope).then((rows) => rows.reverse()),
  ]);
  const { keptUpdated, keptExisting } = await keptCounts(database, scope);
  const count = (objectType: string, statuses: string[]) =>
    grouped.filter((row) => row.objectType === objectType && statuses.includes(row.status)).reduce((sum, row) => sum + row.count, 0);
  const removedTotal = grouped.filter((row) => row.status === "removed").reduce((sum, row) => sum + row.count, 0);
  return {
    runId,
    status,
    removed: removedTotal - gone,
    alreadyGone: gone,
    failed: failed.map((row) => ({ objectType: row.objectType, sourceId: row.sourceId, targetId: row.targetId ?? "", message: row.errorMessage ?? "" })),
    keptUpdated,
    keptExisting,
    objects: objects.map((object) => ({
      objectType: object.objectType,
      targetObjectType: object.targetObjectType,
      removed: count(object.objectType, ["removed"]),
      remaining: count(object.objectType, ["created", "updated"]),
    })),
  };
}

/**
 * What the covered runs linked without creating, counted once per record: updated records Ferry
 * did not create (kept as they are), and duplicates linked to a record that existed before Ferry
 * (kept). Duplicates linked to a record the migration created are not "existing": they go with it.
 */
export async function keptCounts(database: Database, scope: string[]): Promise<{ keptUpdated: number; keptExisting: number; duplicatesOfCreated: number }> {
  const scopeJson = JSON.stringify(scope);
  const [updated, skipped] = await Promise.all([
    database.recordLink.count({ where: { runId: { in: scope }, status: "updated", OR: [{ createdByRunId: null }, { createdByRunId: { notIn: scope } }] } }),
    withConflictRetry(
      () => database.$queryRaw<{ existing: number | bigint | null; duplicates: number | bigint | null }[]>`
        SELECT
          SUM(CASE WHEN created."id" IS NULL THEN 1 ELSE 0 END) AS "existing",
          SUM(CASE WHEN created."id" IS NULL THEN 0 ELSE 1 END) AS "duplicates"
        FROM "RecordLink" AS skipped
        LEFT JOIN "RecordLink" AS created ON created."id" = (
          SELECT inner_link."id" FROM "RecordLink" AS inner_link
          WHERE inner_link."migrationId" = skipped."migrationId" AND inner_link."objectType" = skipped."objectType"
            AND inner_link."targetId" = skipped."targetId" AND inner_link."createdByRunId" IS NOT NULL
          LIMIT 1)
        WHERE skipped."runId" IN (SELECT jsonb_array_elements_text(${scopeJson}::jsonb))
          AND skipped."status" = 'skipped' AND skipped."targetId" IS NOT NULL`,
    ),
  ]);
  const row = skipped[0];
  return { keptUpdated: updated, keptExisting: Number(row?.existing ?? 0), duplicatesOfCreated: Number(row?.duplicates ?? 0) };
}

/** The other covered runs are rolled back too once nothing of the scope is left. */
async function markCoveredRuns(database: Database, runId: string, scope: string[], now: () => Date): Promise<void> {
  for (const otherId of scope.filter((id) => id !== runId)) {
    await transition(
      database,
      otherId,
      COVERABLE,
      "rolled_back",
      { kind: "rolled_back", level: "info", message: `Rolled back with run ${runId}: the records this run created were removed from the target.` },
      { rolledBackAt: now() },
    );
  }
}

/**
 * Works on a run in `rolling_back` for up to budgetMs. Returns the status afterwards. Transient
 * errors wait (retryAt) and leave the run rolling_back for the next call.
 */
export async function rollbackSlice(
  database: Database,
  runId: string,
  options: { budgetMs: number; resolveSession?: SessionResolver; now?: () => Date; sleep?: (ms: number) => Promise<void> },
): Promise<{ status: RunStatus; processed: number }> {
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
  const scope = await scopeOf(database, runId);
  try {
    await reconcilePending(ctx);
    while (Date.now() - started < options.budgetMs) {
      if (!(await removeBatch(ctx, scope))) {
        const report = await rollbackReport(database, runId, "rolled_back");
        await markCoveredRuns(database, runId, scope, now);
        const keptSentence =
          report.keptUpdated + report.keptExisting > 0
            ? ` ${plural(report.keptUpdated + report.keptExisting, "record")} that existed before or were only updated were left as they are.`
            : "";
        await transition(
          database,
          runId,
          ["rolling_back"],
          "rolled_back",
          {
            kind: "rolled_back",
            level: report.failed.length > 0 ? "warn" : "info",
            message: `Rollback finished: ${plural(report.removed, "record")} removed from ${ctx.target.system.name}${report.alreadyGone > 0 ? `, ${report.alreadyGone} already gone` : ""}${report.failed.length > 0 ? `, ${report.failed.length} could not be removed` : ""}.${keptSentence}`,
            data: {
              removed: report.removed,
              alreadyGone: report.alreadyGone,
              failed: report.failed.length,
              keptUpdated: report.keptUpdated,
              keptExisting: report.keptExisting,
            },
          },
          { rolledBackAt: now(), retryAt: null, transientFailures: 0 },
        );
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

async function handleRollbackError(
  database: Database,
  run: Awaited<ReturnType<typeof loadRun>>,
  token: string,
  error: unknown,
  now: () => Date,
): Promise<{ status: RunStatus; processed: number }> {
  const action = stepErrorAction(error, run.transientFailures, systemInfo(run.migration.targetConnection.systemId).name);
  const failures = run.transientFailures + 1;
  if (action.kind === "retry_later" && !exhausted(failures)) {
    await database.$transaction([
      database.run.updateMany({
        where: { id: run.id, sliceToken: token },
        data: { transientFailures: failures, retryAt: new Date(now().getTime() + action.waitMs) },
      }),
      database.runEvent.create({
        data: {
          runId: run.id,
          kind: "retry",
          level: "warn",
          message: `Rollback paused briefly: ${describeError(error)}. Ferry tries again in ${Math.ceil(action.waitMs / 1000)} s.`,
        },
      }),
    ]);
    return { status: "rolling_back", processed: 0 };
  }
  // Credentials, or too many failures: the rollback stops; starting it again resumes it.
  const reason = action.kind === "pause" ? action.reason : `The rollback stopped: ${describeError(error)}. Start the rollback again to resume it.`;
  await transition(database, run.id, ["rolling_back"], "paused", { kind: "paused", level: "error", message: reason }, { pauseReason: reason });
  return { status: "paused", processed: 0 };
}

/** Run states of another run of the migration that keep a rollback from starting. */
const BLOCKING: readonly RunStatus[] = ["queued", "running", "paused", "cancelling", "rolling_back"];

/**
 * Starts a rollback: refuses while another run of the migration is still working, fixes the
 * scope and its total (for progress), and moves the run to rolling_back.
 */
async function startRollback(database: Database, run: Awaited<ReturnType<typeof loadRun>>, now: () => Date): Promise<void> {
  const scope = await rollbackScopeFor(database, run);
  const blocking = await database.run.findFirst({
    where: { migrationId: run.migrationId, id: { not: run.id }, status: { in: [...BLOCKING] } },
    select: { mode: true, status: true },
  });
  if (blocking)
    throw new UserFacingError(`A ${blocking.mode} run of this migration is ${blocking.status.replace(/_/g, " ")}. Cancel it or let it finish, then roll back.`);
  if (run.mode === "demo") {
    // A later run took the demo's records as migrated and links to them: removing them alone would break those links.
    const { createdAt } = await database.run.findUniqueOrThrow({ where: { id: run.id }, select: { createdAt: true } });
    const later = await database.run.count({
      where: { migrationId: run.migrationId, mode: { not: "demo" }, status: { not: "rolled_back" }, createdAt: { gt: createdAt } },
    });
    if (later > 0)
      throw new UserFacingError(
        "A full run came after this demo and links to the records it created. Roll back the full run instead: that covers the demo's records too.",
      );
  }
  const total = await removableLinkCount(database, run.migrationId, scope);
  const others = scope.length - 1;
  const started = await transition(
    database,
    run.id,
    [...ROLLBACK_FROM.filter((status) => status !== "rolling_back"), "queued"],
    "rolling_back",
    {
      kind: "rollback_started",
      message: `Rollback started: ${plural(total, "record")} ${others > 0 ? `created by this run and ${plural(others, "other run")} of the migration` : "this run created"} ${total === 1 ? "is" : "are"} being removed from the target, last objects first. Records that existed before, or that were only updated, stay.`,
      data: { scope, total },
    },
    { retryAt: null, transientFailures: 0, pauseReason: null, rollbackScope: JSON.stringify(scope), rollbackTotal: total, rollbackStartedAt: now() },
  );
  if (!started) throw new UserFacingError("The run changed state meanwhile; reload and try again.");
}

/** Starts (or resumes) rolling a run back and works on it for up to budgetMs (10 minutes by default). */
export async function rollbackRun(
  database: Database,
  runId: string,
  options: { resolveSession?: SessionResolver; budgetMs?: number; now?: () => Date } = {},
): Promise<RollbackReport> {
  const run = await loadRun(database, runId);
  if (!ROLLBACK_FROM.includes(run.status) && run.status !== "queued") {
    throw new UserFacingError(run.status === "rolled_back" ? "This run was already rolled back." : "Pause or cancel the run before rolling it back.");
  }
  if (run.status !== "rolling_back") await startRollback(database, run, options.now ?? (() => new Date()));
  const deadline = Date.now() + (options.budgetMs ?? DEFAULT_ROLLBACK_BUDGET_MS);
  let status: RunStatus = "rolling_back";
  while (status === "rolling_back" && Date.now() < deadline) {
    const current = await loadRun(database, runId);
    const wait = current.retryAt ? current.retryAt.getTime() - Date.now() : 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, Math.max(0, deadline - Date.now()))));
    ({ status } = await rollbackSlice(database, runId, {
      budgetMs: Math.max(1_000, deadline - Date.now()),
      resolveSession: options.resolveSession,
      now: options.now,
    }));
  }
  return rollbackReport(database, runId, status);
}
