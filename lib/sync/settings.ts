// A migration's sync settings (columns on Migration), parsed with zod: how often, what happens to
// source records that disappeared, and who wins when the target was edited since Ferry wrote.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { parseJsonColumn } from "@/lib/migration/database";

export const SYNC_STATUSES = ["active", "paused", "cutting_over", "cut_over"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];
/** Statuses in which the target is still fed from the source (settings stay changed, cycles may run). */
export const SYNCING_STATUSES: readonly SyncStatus[] = ["active", "paused", "cutting_over"];

export const CONFLICT_POLICIES = ["report", "target_wins", "source_wins"] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];
export const DELETION_CHOICES = ["delete", "archive", "report"] as const;
export type DeletionChoice = (typeof DELETION_CHOICES)[number];

export const DEFAULT_INTERVAL_MINUTES = 15;
export const MIN_INTERVAL_MINUTES = 5;
export const MAX_INTERVAL_MINUTES = 24 * 60;
/** Failed syncs in a row before the organization is told (the "sync failing" notification). */
export const SYNC_FAILURES_TO_NOTIFY = 3;

export const deletionChoicesSchema = z.record(z.string().min(1).max(200), z.enum(DELETION_CHOICES));
export type DeletionChoices = z.infer<typeof deletionChoicesSchema>;

export const syncSettingsSchema = z.object({
  intervalMinutes: z.number().int().min(MIN_INTERVAL_MINUTES).max(MAX_INTERVAL_MINUTES),
  conflictPolicy: z.enum(CONFLICT_POLICIES),
  deletions: deletionChoicesSchema,
});
export type SyncSettings = z.infer<typeof syncSettingsSchema>;

export type MigrationSync = SyncSettings & {
  status: SyncStatus | null;
  startedAt: Date | null;
  baselineAt: Date | null;
  nextAt: Date | null;
  failures: number;
  cutOverAt: Date | null;
};

export const SYNC_SELECT = {
  syncStatus: true,
  syncIntervalMinutes: true,
  syncConflictPolicy: true,
  syncDeletions: true,
  syncStartedAt: true,
  syncBaselineAt: true,
  syncNextAt: true,
  syncFailures: true,
  cutOverAt: true,
} as const;

type SyncColumns = {
  syncStatus: string | null;
  syncIntervalMinutes: number;
  syncConflictPolicy: string;
  syncDeletions: string;
  syncStartedAt: Date | null;
  syncBaselineAt: Date | null;
  syncNextAt: Date | null;
  syncFailures: number;
  cutOverAt: Date | null;
};

export function syncOf(row: SyncColumns): MigrationSync {
  const status = (SYNC_STATUSES as readonly string[]).includes(row.syncStatus ?? "") ? (row.syncStatus as SyncStatus) : null;
  const policy = CONFLICT_POLICIES.find((candidate) => candidate === row.syncConflictPolicy) ?? "report";
  return {
    status,
    intervalMinutes: row.syncIntervalMinutes,
    conflictPolicy: policy,
    deletions: parseJsonColumn<DeletionChoices>(row.syncDeletions, deletionChoicesSchema, {}),
    startedAt: row.syncStartedAt,
    baselineAt: row.syncBaselineAt,
    nextAt: row.syncNextAt,
    failures: row.syncFailures,
    cutOverAt: row.cutOverAt,
  };
}

export async function loadMigrationSync(database: Database, migrationId: string): Promise<MigrationSync | null> {
  const row = await database.migration.findUnique({ where: { id: migrationId }, select: SYNC_SELECT });
  return row ? syncOf(row) : null;
}

export function deletionChoiceFor(deletions: DeletionChoices, objectType: string): DeletionChoice {
  return deletions[objectType] ?? "report";
}
