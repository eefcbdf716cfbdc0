// Sync until cutover: a migration switched to sync gets a delta run every N minutes (a cycle),
// which also carries deletions and holds conflicts (run-hooks.ts). Everything here is a
// conditional update on the Migration or SyncCycle row, so two schedulers (or a click and a
// scheduler) never start two cycles; the engine's one-active-run rule does the rest.
import type { Database } from "@/lib/db";
import { UserFacingError, NotFoundError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { cancelRun, createRun } from "@/lib/migration/engine";
import { withConflictRetry } from "@/lib/migration/database";
import type { SessionResolver } from "@/lib/migration/sessions";
import { syncFailingMessage } from "@/lib/notifications/messages";
import { notifyOrganization } from "@/lib/notifications/notify";
import { addCounts, parseCycleCounts, type CycleCounts } from "./counts";
import { finishCutOver } from "./cutover";
import { syncPath } from "./paths";
import { loadMigrationSync, SYNC_FAILURES_TO_NOTIFY, syncSettingsSchema, type SyncSettings } from "./settings";

export const CYCLE_KINDS = ["scheduled", "manual", "cutover"] as const;
export type CycleKind = (typeof CYCLE_KINDS)[number];
const ACTIVE_RUN_STATUSES = ["queued", "running", "paused", "cancelling", "rolling_back"];
const FINISHED_RUN_STATUSES = ["completed", "failed", "cancelled", "rolled_back"];

const minutesAfter = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

/** Switches a migration to sync (or changes its settings while it syncs). Needs a full run that finished or is under way. */
export async function saveSyncSettings(database: Database, migrationId: string, input: SyncSettings, now: Date = new Date()): Promise<void> {
  const settings = syncSettingsSchema.parse(input);
  const migration = await database.migration.findUnique({ where: { id: migrationId }, select: { syncStatus: true } });
  if (!migration) throw new NotFoundError("That migration");
  if (migration.syncStatus === "cut_over" || migration.syncStatus === "cutting_over")
    throw new UserFacingError("This migration is cut over: sync has stopped for good. Start a delta run by hand if the source changed since.");
  const columns = {
    syncIntervalMinutes: settings.intervalMinutes,
    syncConflictPolicy: settings.conflictPolicy,
    syncDeletions: JSON.stringify(settings.deletions),
  };
  if (migration.syncStatus) {
    await database.migration.update({ where: { id: migrationId }, data: columns });
    return;
  }
  const full = await database.run.findFirst({
    where: { migrationId, mode: { in: ["full", "delta"] }, status: { in: ["completed", ...ACTIVE_RUN_STATUSES] } },
    orderBy: { createdAt: "desc" },
    select: { status: true, finishedAt: true },
  });
  if (!full) throw new UserFacingError("Sync keeps the target up to date after a full run: start the full run first.");
  await database.migration.update({
    where: { id: migrationId },
    data: {
      ...columns,
      syncStatus: "active",
      syncStartedAt: now,
      // Ferry's writes so far happened by the end of the last run (or now, while it still runs).
      syncBaselineAt: full.status === "completed" ? (full.finishedAt ?? now) : null,
      syncNextAt: minutesAfter(now, settings.intervalMinutes),
      syncFailures: 0,
    },
  });
}

/** When Ferry's writes before sync ended: the last finished full or delta run (sync switched on while the full run ran). */
async function lastRunEnd(database: Database, migrationId: string, now: Date): Promise<Date> {
  const last = await database.run.findFirst({
    where: { migrationId, mode: { in: ["full", "delta"] }, status: "completed", finishedAt: { not: null } },
    orderBy: { finishedAt: "desc" },
    select: { finishedAt: true },
  });
  return last?.finishedAt ?? now;
}

/**
 * Starts one cycle: a delta run and its SyncCycle row. Null when the migration is not syncing or
 * another run is active (a cycle still going); Sync now and Cut over then say why.
 */
export async function startSyncCycle(
  database: Database,
  migrationId: string,
  kind: CycleKind,
  options: { now?: Date; resolver?: SessionResolver } = {},
): Promise<{ runId: string; cycleId: string }> {
  const now = options.now ?? new Date();
  const sync = await loadMigrationSync(database, migrationId);
  if (!sync) throw new NotFoundError("That migration");
  if (sync.status !== "active" && !(kind === "manual" && sync.status === "paused"))
    throw new UserFacingError(
      sync.status ? `Sync is ${sync.status.replace("_", " ")}: nothing to start.` : "This migration does not sync. Switch sync on first.",
    );
  const { runId } = await createRun(database, { migrationId, mode: "delta" }, options.resolver);
  const baseline = sync.baselineAt ? {} : { syncBaselineAt: await lastRunEnd(database, migrationId, now) };
  const cycle = await withConflictRetry(() =>
    database.$transaction(async (tx) => {
      const created = await tx.syncCycle.create({ data: { migrationId, runId, kind, startedAt: now }, select: { id: true } });
      const next =
        kind === "cutover"
          ? { syncStatus: "cutting_over", syncNextAt: null }
          : sync.status === "active"
            ? { syncNextAt: minutesAfter(now, sync.intervalMinutes) }
            : {};
      await tx.migration.update({ where: { id: migrationId }, data: { ...next, ...baseline } });
      return created;
    }),
  );
  return { runId, cycleId: cycle.id };
}

export async function pauseSync(database: Database, migrationId: string): Promise<void> {
  const { count } = await database.migration.updateMany({ where: { id: migrationId, syncStatus: "active" }, data: { syncStatus: "paused", syncNextAt: null } });
  if (count !== 1) throw new UserFacingError("Only an active sync can be paused.");
}

export async function resumeSync(database: Database, migrationId: string, now: Date = new Date()): Promise<void> {
  const { count } = await database.migration.updateMany({
    where: { id: migrationId, syncStatus: "paused" },
    data: { syncStatus: "active", syncNextAt: now, syncFailures: 0 },
  });
  if (count !== 1) throw new UserFacingError("Only a paused sync can be resumed.");
}

/** Cut over: one final cycle; when it completes, the schedule stops and Ferry's setting changes are put back (cutover.ts). */
export async function cutOver(database: Database, migrationId: string, options: { now?: Date; resolver?: SessionResolver } = {}) {
  const sync = await loadMigrationSync(database, migrationId);
  if (sync?.status === "paused") await resumeSync(database, migrationId, options.now);
  return startSyncCycle(database, migrationId, "cutover", options);
}

/** Counts of a finished cycle: its run's created and updated per object, plus the deletions and conflicts it recorded. */
async function finalCounts(tx: Prisma.TransactionClient, cycle: { id: string; runId: string; counts: string }): Promise<CycleCounts> {
  const counts = parseCycleCounts(cycle.counts);
  for (const object of Object.keys(counts)) counts[object] = { ...counts[object], conflicts: 0 };
  const objects = await tx.runObject.findMany({ where: { runId: cycle.runId }, select: { objectType: true, created: true, updated: true } });
  for (const object of objects) addCounts(counts, object.objectType, { created: object.created, updated: object.updated });
  const conflicts = await tx.syncConflict.groupBy({ by: ["objectType"], where: { cycleId: cycle.id }, _count: { _all: true } });
  for (const row of conflicts) addCounts(counts, row.objectType, { conflicts: row._count._all });
  return counts;
}

type FinishedCycle = {
  id: string;
  runId: string;
  kind: string;
  counts: string;
  migrationId: string;
  run: { status: string; error: string | null; pauseReason: string | null };
};

/** Closes one cycle whose run ended: its counts, the failure streak (told after SYNC_FAILURES_TO_NOTIFY), the cutover's end. */
async function settleCycle(database: Database, cycle: FinishedCycle, now: Date, resolver?: SessionResolver): Promise<void> {
  const succeeded = cycle.run.status === "completed";
  const settled = await withConflictRetry(() =>
    database.$transaction(async (tx) => {
      const counts = await finalCounts(tx, cycle);
      const { count } = await tx.syncCycle.updateMany({
        where: { id: cycle.id, status: "running" },
        data: {
          status: succeeded ? "completed" : cycle.run.status === "failed" ? "failed" : "cancelled",
          counts: JSON.stringify(counts),
          finishedAt: now,
          error: cycle.run.error,
        },
      });
      if (count !== 1) return false;
      const migration = await tx.migration.update({
        where: { id: cycle.migrationId },
        data: succeeded ? { syncFailures: 0 } : { syncFailures: { increment: 1 } },
        select: { name: true, organizationId: true, syncFailures: true, syncStatus: true },
      });
      if (!succeeded && cycle.kind === "cutover" && migration.syncStatus === "cutting_over")
        await tx.migration.update({ where: { id: cycle.migrationId }, data: { syncStatus: "active", syncNextAt: now } });
      if (!succeeded && migration.syncFailures === SYNC_FAILURES_TO_NOTIFY)
        await notifyOrganization(tx, {
          organizationId: migration.organizationId,
          kind: "sync_failing",
          message: (locale) =>
            syncFailingMessage(
              {
                migrationName: migration.name,
                failures: migration.syncFailures,
                reason: cycle.run.error ?? cycle.run.pauseReason ?? `The last sync was ${cycle.run.status.replace("_", " ")}.`,
              },
              locale,
            ),
          link: syncPath(cycle.migrationId),
          runId: cycle.runId,
        });
      return true;
    }),
  );
  if (settled && succeeded && cycle.kind === "cutover") await finishCutOver(database, cycle.migrationId, cycle.runId, { now, resolver });
}

/** Cycles whose run has ended, closed. */
export async function settleSyncCycles(database: Database, options: { now?: Date; resolver?: SessionResolver } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const open = await database.syncCycle.findMany({
    where: { status: "running" },
    select: { id: true, runId: true, kind: true, counts: true, migrationId: true },
  });
  if (open.length === 0) return 0;
  const runs = new Map(
    (
      await database.run.findMany({
        where: { id: { in: open.map((cycle) => cycle.runId) } },
        select: { id: true, status: true, error: true, pauseReason: true },
      })
    ).map((run) => [run.id, run]),
  );
  let settled = 0;
  for (const cycle of open) {
    const run = runs.get(cycle.runId) ?? { status: "cancelled", error: "The sync's run no longer exists.", pauseReason: null };
    if (!FINISHED_RUN_STATUSES.includes(run.status)) continue;
    await settleCycle(database, { ...cycle, run }, now, options.resolver);
    settled += 1;
  }
  return settled;
}

/**
 * A scheduled cycle whose run paused by itself (a refused key, an outage, too many errors) when the
 * next one is due: it is cancelled, so it counts as a failed sync (settled at the next tick) and
 * the one after starts afresh; enough of them in a row tell the organization.
 */
async function giveUpStuckCycle(database: Database, migrationId: string): Promise<boolean> {
  const stuck = await database.syncCycle.findFirst({
    where: { migrationId, status: "running", kind: { not: "cutover" } },
    select: { runId: true },
  });
  if (!stuck) return false;
  const run = await database.run.findUnique({ where: { id: stuck.runId }, select: { status: true, pauseKind: true } });
  if (run?.status !== "paused" || run.pauseKind === "user") return false;
  await cancelRun(database, stuck.runId);
  return true;
}

/**
 * The scheduler's tick (embedded runner every few seconds, Inngest every minute): closes ended
 * cycles, then starts the due ones. Returns the runs started, for the runner to dispatch.
 */
export async function syncTick(database: Database, options: { now?: Date; resolver?: SessionResolver } = {}): Promise<string[]> {
  const now = options.now ?? new Date();
  await settleSyncCycles(database, { now, resolver: options.resolver });
  const due = await database.migration.findMany({ where: { syncStatus: "active", syncNextAt: { lte: now } }, select: { id: true, syncIntervalMinutes: true } });
  const started: string[] = [];
  for (const migration of due) {
    if (await giveUpStuckCycle(database, migration.id)) continue;
    const busy = await database.run.count({ where: { migrationId: migration.id, status: { in: ACTIVE_RUN_STATUSES } } });
    if (busy > 0) {
      // A cycle (or another run) is still going: look again in a minute rather than queue behind it.
      await database.migration.updateMany({ where: { id: migration.id, syncStatus: "active" }, data: { syncNextAt: minutesAfter(now, 1) } });
      continue;
    }
    try {
      started.push((await startSyncCycle(database, migration.id, "scheduled", { now })).runId);
    } catch (error) {
      if (!(error instanceof UserFacingError)) throw error;
      await database.migration.updateMany({
        where: { id: migration.id, syncStatus: "active" },
        data: { syncNextAt: minutesAfter(now, migration.syncIntervalMinutes) },
      });
    }
  }
  return started;
}
