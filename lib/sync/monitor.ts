// The staff monitor's view of syncs across Ferry: every migration in sync mode, its last and next
// sync, and whether it is stalled (a sync running far longer than its interval, a schedule
// overdue — no runner picks it up — or failing syncs in a row).
import type { Database } from "@/lib/db";
import { SYNC_FAILURES_TO_NOTIFY } from "./settings";

/** A schedule this late means no runner is starting syncs. */
export const OVERDUE_AFTER_MS = 5 * 60_000;

export type StaffSyncRow = {
  migrationId: string;
  migrationName: string;
  organizationName: string;
  status: string;
  intervalMinutes: number;
  lastSyncAt: string | null;
  lastSyncStatus: string | null;
  nextAt: string | null;
  failures: number;
  stalled: string | null;
};

type SyncFacts = { status: string; intervalMinutes: number; nextAt: Date | null; failures: number; runningSince: Date | null };

/** Why a sync counts as stalled, or null. */
export function syncStall(sync: SyncFacts, now: Date): string | null {
  if (sync.status !== "active" && sync.status !== "cutting_over") return null;
  const minutes = (ms: number) => Math.round(ms / 60_000);
  if (sync.runningSince) {
    const running = now.getTime() - sync.runningSince.getTime();
    if (running > Math.max(2 * sync.intervalMinutes * 60_000, 30 * 60_000)) return `A sync has been running for ${minutes(running)} minutes.`;
  } else if (sync.nextAt && now.getTime() - sync.nextAt.getTime() > OVERDUE_AFTER_MS) {
    return `The next sync is ${minutes(now.getTime() - sync.nextAt.getTime())} minutes overdue: no runner is starting syncs.`;
  }
  if (sync.failures >= SYNC_FAILURES_TO_NOTIFY) return `${sync.failures} syncs failed in a row.`;
  return null;
}

export async function staffSyncs(database: Database, now: Date = new Date()): Promise<StaffSyncRow[]> {
  const migrations = await database.migration.findMany({
    where: { syncStatus: { not: null } },
    orderBy: { updatedAt: "desc" },
    take: 200,
    select: {
      id: true,
      name: true,
      syncStatus: true,
      syncIntervalMinutes: true,
      syncNextAt: true,
      syncFailures: true,
      organization: { select: { name: true } },
      syncCycles: { orderBy: { startedAt: "desc" }, take: 1, select: { status: true, startedAt: true, finishedAt: true } },
    },
  });
  return migrations.map((migration) => {
    const last = migration.syncCycles[0] ?? null;
    const status = migration.syncStatus ?? "";
    return {
      migrationId: migration.id,
      migrationName: migration.name,
      organizationName: migration.organization.name,
      status,
      intervalMinutes: migration.syncIntervalMinutes,
      lastSyncAt: (last?.finishedAt ?? last?.startedAt)?.toISOString() ?? null,
      lastSyncStatus: last?.status ?? null,
      nextAt: migration.syncNextAt?.toISOString() ?? null,
      failures: migration.syncFailures,
      stalled: syncStall(
        {
          status,
          intervalMinutes: migration.syncIntervalMinutes,
          nextAt: migration.syncNextAt,
          failures: migration.syncFailures,
          runningSince: last?.status === "running" ? last.startedAt : null,
        },
        now,
      ),
    };
  });
}
