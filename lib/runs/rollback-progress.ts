// How far a rollback is: records removed so far of the total fixed when it started, the rate and
// an ETA, from the record map (the same selection lib/migration/rollback.ts removes). Polled with
// the run's progress while it rolls back.
import type { Database } from "@/lib/db";
import { ROLLBACK_FAILED, removableWhere, storedScope } from "@/lib/migration/rollback";

export type RollbackProgress = {
  /** Records removed (or found already gone) since the rollback started. */
  removed: number;
  total: number;
  remaining: number;
  /** Records the target refused to delete (listed in the audit log). */
  failed: number;
  /** How many runs the rollback covers (this one included). */
  runs: number;
  recordsPerSecond: number;
  etaSeconds: number | null;
  startedAt: string | null;
};

export async function rollbackProgress(database: Database, runId: string, now: Date = new Date()): Promise<RollbackProgress | null> {
  const run = await database.run.findUnique({ where: { id: runId }, select: { id: true, migrationId: true, status: true, rollbackScope: true, rollbackTotal: true, rollbackStartedAt: true } });
  if (!run || run.rollbackTotal === null || !["rolling_back", "rolled_back", "paused"].includes(run.status)) return null;
  const scope = storedScope(run);
  const [remaining, failed] = await Promise.all([
    database.recordLink.count({ where: { migrationId: run.migrationId, ...removableWhere(scope) } }),
    database.recordLink.count({ where: { migrationId: run.migrationId, createdByRunId: { in: scope }, errorCode: ROLLBACK_FAILED } }),
  ]);
  const total = run.rollbackTotal;
  const removed = Math.max(0, total - remaining - failed);
  const elapsedSeconds = run.rollbackStartedAt ? Math.max(0.001, (now.getTime() - run.rollbackStartedAt.getTime()) / 1000) : 0;
  const recordsPerSecond = elapsedSeconds > 0 ? Math.round((removed / elapsedSeconds) * 10) / 10 : 0;
  const etaSeconds = remaining === 0 ? 0 : removed > 0 && elapsedSeconds > 0 ? Math.round(remaining / (removed / elapsedSeconds)) : null;
  return { removed, total, remaining, failed, runs: scope.length, recordsPerSecond, etaSeconds, startedAt: run.rollbackStartedAt?.toISOString() ?? null };
}
