// What the sync page shows: the settings, the last cycle and the totals since sync began per
// object, the last and next sync, the conflicts to review, and what the target offers (archive).
import { getConnector, isConnectorId } from "@/connectors/registry";
import type { SyncSupport } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { enabledPairs } from "@/lib/migration/context";
import { parsePlan } from "@/lib/plan";
import { parseCycleCounts, totalOf, type CycleCounts, type ObjectCounts } from "./counts";
import { countsSinceSyncStarted } from "./cutover";
import { deletionChoiceFor, syncOf, SYNC_SELECT, type DeletionChoice, type MigrationSync } from "./settings";

export type CycleView = {
  id: string;
  runId: string;
  kind: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  counts: CycleCounts;
  total: ObjectCounts;
};

export type SyncObjectView = {
  sourceObject: string;
  targetObject: string;
  deletion: DeletionChoice;
  last: ObjectCounts | null;
  sinceStart: ObjectCounts | null;
};

export type ConflictView = {
  id: string;
  objectType: string;
  sourceId: string;
  targetId: string;
  sourceName: string | null;
  resolution: string;
  detectedAt: string;
};

export type SyncDashboard = {
  migrationId: string;
  migrationName: string;
  targetName: string;
  /** The id of the target's connector, for its own words (connectors/<id>/messages); null without a target. */
  targetSystemId: string | null;
  sync: Omit<MigrationSync, "startedAt" | "baselineAt" | "nextAt" | "cutOverAt"> & {
    startedAt: string | null;
    nextAt: string | null;
    cutOverAt: string | null;
  };
  support: SyncSupport;
  hasFullRun: boolean;
  current: CycleView | null;
  last: CycleView | null;
  sinceStart: ObjectCounts;
  objects: SyncObjectView[];
  conflicts: ConflictView[];
};

type CycleRow = { id: string; runId: string; kind: string; status: string; startedAt: Date; finishedAt: Date | null; error: string | null; counts: string };

function cycleView(row: CycleRow | null): CycleView | null {
  if (!row) return null;
  const counts = parseCycleCounts(row.counts);
  return {
    id: row.id,
    runId: row.runId,
    kind: row.kind,
    status: row.status,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: row.error,
    counts,
    total: totalOf(counts),
  };
}

function supportOf(systemId: string | undefined): SyncSupport {
  if (!systemId || !isConnectorId(systemId)) return { reportsUpdatedAt: false, archive: null };
  return getConnector(systemId).manifest.sync ?? { reportsUpdatedAt: false, archive: null };
}

const CYCLE_SELECT = { id: true, runId: true, kind: true, status: true, startedAt: true, finishedAt: true, error: true, counts: true } as const;

export async function loadSyncDashboard(database: Database, migrationId: string): Promise<SyncDashboard> {
  const migration = await database.migration.findUnique({
    where: { id: migrationId },
    select: { id: true, name: true, plan: true, targetConnection: { select: { systemId: true, label: true } }, ...SYNC_SELECT },
  });
  if (!migration) throw new NotFoundError("That migration");
  const sync = syncOf(migration);
  const [current, last, conflicts, fullRuns, sinceStart] = await Promise.all([
    database.syncCycle.findFirst({ where: { migrationId, status: "running" }, orderBy: { startedAt: "desc" }, select: CYCLE_SELECT }),
    database.syncCycle.findFirst({ where: { migrationId, status: { not: "running" } }, orderBy: { startedAt: "desc" }, select: CYCLE_SELECT }),
    database.syncConflict.findMany({ where: { migrationId }, orderBy: { detectedAt: "desc" }, take: 50 }),
    database.run.count({ where: { migrationId, mode: "full" } }),
    countsSinceSyncStarted(database, migrationId, sync.startedAt),
  ]);
  const lastView = cycleView(last);
  const objects = enabledPairs(parsePlan(migration.plan)).map((pair) => ({
    sourceObject: pair.sourceObject,
    targetObject: pair.targetObject,
    deletion: deletionChoiceFor(sync.deletions, pair.sourceObject),
    last: lastView?.counts[pair.sourceObject] ?? null,
    sinceStart: sinceStart[pair.sourceObject] ?? null,
  }));
  return {
    migrationId,
    migrationName: migration.name,
    targetName: migration.targetConnection?.label ?? "the target",
    targetSystemId: migration.targetConnection?.systemId ?? null,
    sync: {
      ...sync,
      startedAt: sync.startedAt?.toISOString() ?? null,
      nextAt: sync.nextAt?.toISOString() ?? null,
      cutOverAt: sync.cutOverAt?.toISOString() ?? null,
    },
    support: supportOf(migration.targetConnection?.systemId),
    hasFullRun: fullRuns > 0,
    current: cycleView(current),
    last: lastView,
    sinceStart: totalOf(sinceStart),
    objects,
    conflicts: conflicts.map((row) => ({
      id: row.id,
      objectType: row.objectType,
      sourceId: row.sourceId,
      targetId: row.targetId,
      sourceName: row.sourceName,
      resolution: row.resolution,
      detectedAt: row.detectedAt.toISOString(),
    })),
  };
}
