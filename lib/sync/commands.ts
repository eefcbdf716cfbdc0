// What the sync page's buttons do, for server actions: parse the input with zod, find the
// migration in the caller's organization, act (cycles.ts), hand a started run to the runner.
import { z } from "zod";
import { getConnector, isConnectorId } from "@/connectors/registry";
import type { Database } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import { recordAudit, type AuditActor } from "@/lib/audit-log";
import { dispatchRun } from "@/lib/jobs/dispatch";
import { findMigration, type RunAccess } from "@/lib/runs/access";
import { cutOver, pauseSync, resumeSync, saveSyncSettings, startSyncCycle } from "./cycles";
import { CONFLICT_POLICIES, DEFAULT_INTERVAL_MINUTES, deletionChoicesSchema, MAX_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES } from "./settings";

const migrationId = z.string().trim().min(1).max(100);
export const syncMigrationSchema = z.object({ migrationId });
export const syncSettingsInputSchema = z.object({
  migrationId,
  intervalMinutes: z.coerce
    .number({ error: "Enter a number of minutes." })
    .int("Enter whole minutes.")
    .min(MIN_INTERVAL_MINUTES, `At least every ${MIN_INTERVAL_MINUTES} minutes.`)
    .max(MAX_INTERVAL_MINUTES, "At most once a day.")
    .default(DEFAULT_INTERVAL_MINUTES),
  conflictPolicy: z.enum(CONFLICT_POLICIES, { error: "Choose what happens to a record edited in the target." }),
  deletions: deletionChoicesSchema,
});

export type SyncCommand = { database: Database; access: RunAccess; actor: AuditActor; dispatch?: (runId: string) => Promise<unknown> };

async function audit(command: SyncCommand, id: string, summary: string, runId?: string): Promise<void> {
  await recordAudit(command.database, command.actor, { kind: "sync.changed", summary, migrationId: id, ...(runId ? { runId } : {}) });
}

export async function saveSyncSettingsCommand(command: SyncCommand, input: unknown): Promise<void> {
  const { migrationId: id, ...settings } = syncSettingsInputSchema.parse(input);
  const migration = await findMigration(command.database, command.access, id);
  const unavailable = Object.entries(settings.deletions).find(([, choice]) => choice === "archive");
  const target = await command.database.migration.findUnique({ where: { id }, select: { syncStatus: true, targetConnection: { select: { systemId: true } } } });
  if (unavailable && !archiveOffered(target?.targetConnection?.systemId))
    throw new UserFacingError(`The target cannot archive records: choose delete or report for ${unavailable[0]}.`);
  await saveSyncSettings(command.database, id, settings);
  await audit(
    command,
    id,
    `${target?.syncStatus ? "Changed the sync of" : "Switched on sync for"} “${migration.name}”: every ${settings.intervalMinutes} minutes, conflicts: ${settings.conflictPolicy.replace("_", " ")}.`,
  );
}

function archiveOffered(systemId: string | undefined): boolean {
  return Boolean(systemId && isConnectorId(systemId) && getConnector(systemId).manifest.sync?.archive);
}

export async function syncNowCommand(command: SyncCommand, input: unknown): Promise<{ runId: string }> {
  const { migrationId: id } = syncMigrationSchema.parse(input);
  const migration = await findMigration(command.database, command.access, id);
  const { runId } = await startSyncCycle(command.database, id, "manual");
  await (command.dispatch ?? dispatchRun)(runId);
  await audit(command, id, `Started a sync of “${migration.name}” now.`, runId);
  return { runId };
}

export async function pauseSyncCommand(command: SyncCommand, input: unknown): Promise<void> {
  const { migrationId: id } = syncMigrationSchema.parse(input);
  const migration = await findMigration(command.database, command.access, id);
  await pauseSync(command.database, id);
  await audit(command, id, `Paused the sync of “${migration.name}”.`);
}

export async function resumeSyncCommand(command: SyncCommand, input: unknown): Promise<void> {
  const { migrationId: id } = syncMigrationSchema.parse(input);
  const migration = await findMigration(command.database, command.access, id);
  await resumeSync(command.database, id);
  await audit(command, id, `Resumed the sync of “${migration.name}”.`);
}

export async function cutOverCommand(command: SyncCommand, input: unknown): Promise<{ runId: string }> {
  const { migrationId: id } = syncMigrationSchema.parse(input);
  const migration = await findMigration(command.database, command.access, id);
  const { runId } = await cutOver(command.database, id);
  await (command.dispatch ?? dispatchRun)(runId);
  await audit(command, id, `Started the cutover of “${migration.name}”: a final sync, then the schedule stops.`, runId);
  return { runId };
}
