// The end of sync: after the final cycle completed, the schedule stops for good, the settings
// Ferry changed in the connected systems are put back (as a full run's end does outside sync),
// and the cutover run's log says what sync did since it began.
import type { Database } from "@/lib/db";
import { eventData } from "@/lib/migration/events";
import { defaultSessionResolver, type SessionResolver } from "@/lib/migration/sessions";
import { restoreSettingChanges, restoreSummary } from "@/lib/settings/changes";
import { addCounts, parseCycleCounts, totalOf, type CycleCounts } from "./counts";

/** Counts per object over every finished cycle since sync started. */
export async function countsSinceSyncStarted(database: Database, migrationId: string, since: Date | null): Promise<CycleCounts> {
  const cycles = await database.syncCycle.findMany({
    where: { migrationId, finishedAt: { not: null }, ...(since ? { startedAt: { gte: since } } : {}) },
    select: { counts: true },
  });
  const total: CycleCounts = {};
  for (const cycle of cycles) for (const [objectType, counts] of Object.entries(parseCycleCounts(cycle.counts))) addCounts(total, objectType, counts);
  return total;
}

export async function finishCutOver(database: Database, migrationId: string, runId: string, options: { now: Date; resolver?: SessionResolver }): Promise<void> {
  const { count } = await database.migration.updateMany({
    where: { id: migrationId, syncStatus: "cutting_over" },
    data: { syncStatus: "cut_over", cutOverAt: options.now, syncNextAt: null },
  });
  if (count !== 1) return;
  const migration = await database.migration.findUniqueOrThrow({ where: { id: migrationId }, select: { syncStartedAt: true } });
  const outcome = await restoreSettingChanges(database, migrationId, { resolveSession: options.resolver ?? defaultSessionResolver(database) });
  const total = totalOf(await countsSinceSyncStarted(database, migrationId, migration.syncStartedAt));
  const failed = outcome.failed.length > 0;
  await database.runEvent.create({
    data: eventData(runId, {
      kind: "cut_over",
      level: failed ? "warn" : "info",
      message: `Cut over: the final sync is done and the schedule stopped. Since sync began: ${total.created} created, ${total.updated} updated, ${total.deleted} deleted, ${total.conflicts} conflicts. ${restoreSummary(outcome)}`,
      data: { ...total, restore: outcome },
    }),
  });
}
