// Migration-wide commands: put back the settings Ferry changed in the connected systems ("Restore
// now", migrations permission), and delete a migration (rollback permission; settings put back first;
// migrated records are never touched). Each parses its input with zod, checks the permission and the organization, then acts.
import { z } from "zod";
import { requirePermission, type RoleView } from "@/lib/auth/roles";
import type { Database } from "@/lib/db";
import { NotFoundError, UserFacingError } from "@/lib/errors";
import { defaultSessionResolver, type SessionResolver } from "@/lib/migration/sessions";
import { scopedDb } from "@/lib/org-scope";
import { restoreSettingChanges, restoreSummary, type RestoreOutcome } from "@/lib/settings/changes";
import { forgetPrerequisiteReport } from "./wizard-bridge";

export type MigrationActor = { organizationId: string; role: RoleView };
type Options = { resolveSession?: SessionResolver };

const migrationId = z.string().trim().min(1, "Choose a migration.").max(100);
export const restoreSettingsInputSchema = z.object({ migrationId });
export const deleteMigrationInputSchema = z.object({
  migrationId,
  confirm: z.literal(true, { error: "Confirm the deletion first." }),
  /** The admin put back by hand what Ferry could not: delete anyway. */
  settingsRestoredByHand: z.boolean().default(false),
});

/** Runs in these states hold work a deletion would cut short. */
const BLOCKING_RUN_STATUSES = ["queued", "running", "paused", "cancelling", "rolling_back"];

async function ownedMigration(database: Database, actor: MigrationActor, id: string) {
  const migration = await scopedDb(database, actor.organizationId).migration.findFirst({ where: { id }, select: { id: true, name: true } });
  if (!migration) throw new NotFoundError("That migration");
  return migration;
}

async function refuseWhileActive(database: Database, actor: MigrationActor, migrationId: string, then: string): Promise<void> {
  const active = await scopedDb(database, actor.organizationId).run.findFirst({
    where: { migrationId, status: { in: BLOCKING_RUN_STATUSES } },
    select: { mode: true, status: true },
  });
  if (active) throw new UserFacingError(`A ${active.mode} run of this migration is ${active.status.replace(/_/g, " ")}. Cancel it or let it finish, ${then}.`);
}

export async function restoreSettingsCommand(database: Database, actor: MigrationActor, input: unknown, options: Options = {}): Promise<RestoreOutcome> {
  const parsed = restoreSettingsInputSchema.parse(input);
  requirePermission(actor, "migrations");
  const migration = await ownedMigration(database, actor, parsed.migrationId);
  // Triggers switched back on mid-run would answer every record the run still writes.
  await refuseWhileActive(database, actor, migration.id, "then restore the settings");
  const outcome = await restoreSettingChanges(database, migration.id, { resolveSession: options.resolveSession ?? defaultSessionResolver(database) });
  if (outcome.restored.length > 0) await forgetPrerequisiteReport(database, migration.id);
  return outcome;
}

/**
 * Deletes the migration from Ferry (runs, record map, logs, recorded changes). The settings Ferry
 * changed are put back first; if that fails the migration stays, unless the admin says they put
 * them back by hand. Records already written to the target stay there: roll runs back first to
 * remove them.
 */
export async function deleteMigrationCommand(
  database: Database,
  actor: MigrationActor,
  input: unknown,
  options: Options = {},
): Promise<{ name: string; settings: RestoreOutcome }> {
  const parsed = deleteMigrationInputSchema.parse(input);
  requirePermission(actor, "rollback");
  const migration = await ownedMigration(database, actor, parsed.migrationId);
  await refuseWhileActive(database, actor, migration.id, "then delete the migration");
  const settings = await restoreSettingChanges(database, migration.id, { resolveSession: options.resolveSession ?? defaultSessionResolver(database) });
  if (settings.failed.length > 0 && !parsed.settingsRestoredByHand) {
    throw new UserFacingError(
      `The migration was not deleted: ${restoreSummary(settings)} Check the target connection and try again, or change them back by hand and confirm that you did.`,
    );
  }
  const { count } = await scopedDb(database, actor.organizationId).migration.deleteMany({ where: { id: migration.id } });
  if (count === 0) throw new NotFoundError("That migration");
  return { name: migration.name, settings };
}
