// Staff-only views across organizations. Callers must have checked the staff flag (requireStaff);
// these read every organization's runs unscoped, on purpose.
import type { Database } from "./db";
import { failedLinksByMigration } from "./migration/record-map";

const ACTIVE_RUN_STATUSES = ["queued", "running", "paused", "cancelling", "rolling_back"];
/** Statuses a runner should be driving right now: a stale heartbeat in one of them means a stalled run. */
const WORKED_STATUSES = ["queued", "running", "cancelling", "rolling_back"];
/** A worked run whose heartbeat is older than this is flagged as stalled. */
export const STALLED_AFTER_MS = 3 * 60_000;
/** Runs listed in the monitor, newest first. */
export const STAFF_RUN_LIMIT = 500;
/** Throughput of active runs is measured over this recent window (as the dashboard does). */
const RECENT_WINDOW_MS = 60_000;

export async function staffOverview(database: Database) {
  const [organizations, users, connections, activeRuns] = await Promise.all([
    database.organization.count(),
    database.user.count(),
    database.connection.count(),
    database.run.count({ where: { status: { in: ACTIVE_RUN_STATUSES } } }),
  ]);
  return { organizations, users, connections, activeRuns };
}

export type StaffRunRow = {
  id: string;
  status: string;
  mode: string;
  organizationId: string;
  organizationName: string;
  migrationId: string;
  migrationName: string;
  createdAt: string;
  /** Seconds since the run was created. */
  ageSeconds: number;
  processed: number;
  total: number;
  failed: number;
  /** failed / processed, 0 to 1. */
  errorRate: number;
  /** Records per second: the last minute for a run being worked, the average over its life otherwise. */
  recordsPerSecond: number;
  heartbeatAt: string | null;
  leaseOwner: string | null;
  stalled: boolean;
  canRetry: boolean;
  canCancel: boolean;
};

function processedOf(data: string | null): number {
  if (!data) return 0;
  try {
    const value = (JSON.parse(data) as { processed?: unknown }).processed;
    return typeof value === "number" ? value : 0;
  } catch {
    return 0;
  }
}

export function isStalled(run: { status: string; heartbeatAt: Date | null; createdAt: Date; startedAt: Date | null }, now: Date): boolean {
  if (!WORKED_STATUSES.includes(run.status)) return false;
  const last = run.heartbeatAt ?? run.startedAt ?? run.createdAt;
  return now.getTime() - last.getTime() > STALLED_AFTER_MS;
}

/** Every run across organizations (newest first), with the numbers the monitor shows. */
export async function staffRuns(database: Database, now: Date = new Date()): Promise<StaffRunRow[]> {
  const runs = await database.run.findMany({
    orderBy: { createdAt: "desc" },
    take: STAFF_RUN_LIMIT,
    select: {
      id: true,
      migrationId: true,
      status: true,
      mode: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      heartbeatAt: true,
      leaseOwner: true,
      totalRecords: true,
      processedRecords: true,
      failedRecords: true,
      migration: { select: { id: true, name: true, organizationId: true, organization: { select: { name: true } } } },
    },
  });
  const worked = runs.filter((run) => WORKED_STATUSES.includes(run.status)).map((run) => run.id);
  const windowStart = new Date(now.getTime() - RECENT_WINDOW_MS);
  const recent =
    worked.length > 0
      ? await database.runEvent.findMany({ where: { runId: { in: worked }, kind: "batch", at: { gte: windowStart } }, select: { runId: true, data: true } })
      : [];
  const recentByRun = new Map<string, number>();
  for (const event of recent) recentByRun.set(event.runId, (recentByRun.get(event.runId) ?? 0) + processedOf(event.data));
  const failedByMigration = await failedLinksByMigration(database, [...new Set(runs.map((run) => run.migrationId))]);
  const activeMigrations = new Set(runs.filter((run) => ACTIVE_RUN_STATUSES.includes(run.status)).map((run) => run.migration.id));

  return runs.map((run) => {
    let recordsPerSecond: number;
    if (WORKED_STATUSES.includes(run.status)) {
      const since = Math.max(windowStart.getTime(), run.startedAt?.getTime() ?? now.getTime());
      recordsPerSecond = (recentByRun.get(run.id) ?? 0) / Math.max(1, (now.getTime() - since) / 1000);
    } else {
      const seconds = run.startedAt ? Math.max(1, ((run.finishedAt ?? now).getTime() - run.startedAt.getTime()) / 1000) : 0;
      recordsPerSecond = seconds > 0 ? run.processedRecords / seconds : 0;
    }
    return {
      id: run.id,
      status: run.status,
      mode: run.mode,
      organizationId: run.migration.organizationId,
      organizationName: run.migration.organization.name,
      migrationId: run.migration.id,
      migrationName: run.migration.name,
      createdAt: run.createdAt.toISOString(),
      ageSeconds: Math.max(0, Math.round((now.getTime() - run.createdAt.getTime()) / 1000)),
      processed: run.processedRecords,
      total: run.totalRecords,
      failed: run.failedRecords,
      errorRate: run.processedRecords > 0 ? run.failedRecords / run.processedRecords : 0,
      recordsPerSecond: Math.round(recordsPerSecond * 10) / 10,
      heartbeatAt: run.heartbeatAt?.toISOString() ?? null,
      leaseOwner: run.leaseOwner,
      stalled: isStalled(run, now),
      canRetry:
        run.mode !== "demo" &&
        ["completed", "failed", "cancelled"].includes(run.status) &&
        (failedByMigration.get(run.migrationId) ?? 0) > 0 &&
        !activeMigrations.has(run.migration.id),
      canCancel: ["queued", "running", "paused"].includes(run.status),
    };
  });
}
