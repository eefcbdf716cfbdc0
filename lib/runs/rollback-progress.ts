// How far a rollback is: records removed so far of the total fixed when it started, the rate and
// an ETA, from the record map (the same selection lib/migration/rollback.ts removes). Polled with
// the run's progress while it rolls back.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { parseJsonColumn } from "@/lib/migration/database";
import { removableLinkCount, rollbackFailedCount } from "@/lib/migration/record-map";
import { storedScope } from "@/lib/migration/rollback";

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

type RollbackRun = {
  id: string;
  migrationId: string;
  status: string;
  rollbackScope: string | null;
  rollbackTotal: number | null;
  rollbackStartedAt: Date | null;
};

/** Null, without a query, unless the run is (or was) rolled back. */
export async function rollbackProgress(database: Database, run: RollbackRun, now: Date = new Date()): Promise<RollbackProgress | null> {
  if (run.rollbackTotal === null || !["rolling_back", "rolled_back", "paused"].includes(run.status)) return null;
  const scope = storedScope(run);
  const [remaining, failed] = await Promise.all([removableLinkCount(database, run.migrationId, scope), rollbackFailedCount(database, run.migrationId, scope)]);
  const total = run.rollbackTotal;
  const removed = Math.max(0, total - remaining - failed);
  const rate = run.status === "rolling_back" ? await recentRate(database, run.id, run.rollbackStartedAt, removed, now) : 0;
  const etaSeconds = remaining === 0 ? 0 : rate > 0 ? Math.round(remaining / rate) : null;
  return {
    removed,
    total,
    remaining,
    failed,
    runs: scope.length,
    recordsPerSecond: Math.round(rate * 10) / 10,
    etaSeconds,
    startedAt: run.rollbackStartedAt?.toISOString() ?? null,
  };
}

const RATE_WINDOW_MS = 60_000;
const batchData = z.object({ removed: z.number(), alreadyGone: z.number() }).loose();

/**
 * Records removed per second over the last minute of the rollback (its batches' events), so a
 * wait for the target's rate limit or an outage shows in the ETA; before a minute has passed,
 * since the rollback started.
 */
async function recentRate(database: Database, runId: string, startedAt: Date | null, removed: number, now: Date): Promise<number> {
  if (!startedAt) return 0;
  const windowStart = new Date(Math.max(startedAt.getTime(), now.getTime() - RATE_WINDOW_MS));
  const seconds = (now.getTime() - windowStart.getTime()) / 1000;
  if (seconds <= 0) return 0;
  if (windowStart.getTime() === startedAt.getTime()) return removed / seconds;
  const events = await database.runEvent.findMany({ where: { runId, kind: "rollback_batch", at: { gte: windowStart } }, select: { data: true } });
  const recent = events.reduce((sum, event) => {
    const batch = parseJsonColumn(event.data, batchData, null);
    return sum + (batch ? batch.removed + batch.alreadyGone : 0);
  }, 0);
  return recent / seconds;
}
