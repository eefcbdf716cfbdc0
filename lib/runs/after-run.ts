// After a run reaches a terminal state: when it completed the migration (a full, retry or delta run
// completed, or one rolled back) and no other run of the migration is still going, put back every
// setting Ferry changed in the connected systems for it (lib/settings/changes.ts) and say so in the
// run's audit log. Demo runs restore nothing: the full run still needs the settings off. Idempotent:
// restored changes are never sent again, so both runners or a retried Inngest step may call it.
// Never throws: a runner calls it.
import type { Database } from "@/lib/db";
import { defaultSessionResolver, type SessionResolver } from "@/lib/migration/sessions";
import { restoreSettingChanges, restoreSummary } from "@/lib/settings/changes";

const RESTORE_AFTER = ["completed", "rolled_back"];
const ACTIVE = ["queued", "running", "paused", "cancelling", "rolling_back"];

export type AfterRunResult = { restored: string[]; skipped?: string };

export type AfterRunOptions = {
  resolveSession?: SessionResolver;
  logger?: Pick<Console, "warn">;
};

export async function afterRunFinished(database: Database, runId: string, options: AfterRunOptions = {}): Promise<AfterRunResult> {
  const logger = options.logger ?? console;
  try {
    const run = await database.run.findUnique({ where: { id: runId }, select: { id: true, mode: true, status: true, migrationId: true } });
    if (!run) return { restored: [], skipped: "no such run" };
    if (run.mode === "demo") return { restored: [], skipped: "demo run" };
    if (!RESTORE_AFTER.includes(run.status)) return { restored: [], skipped: `run is ${run.status}` };
    // In sync mode the target keeps receiving changes until cutover, which restores them (lib/sync/cycles.ts).
    const migration = await database.migration.findUnique({ where: { id: run.migrationId }, select: { syncStatus: true } });
    if (migration?.syncStatus && migration.syncStatus !== "cut_over" && run.status === "completed")
      return { restored: [], skipped: "the migration syncs until cutover" };
    // Another run of the migration still going (a retry started at once): restore after that one.
    const other = await database.run.count({ where: { migrationId: run.migrationId, id: { not: runId }, mode: { not: "demo" }, status: { in: ACTIVE } } });
    if (other > 0) return { restored: [], skipped: "another run of the migration is active" };
    const outcome = await restoreSettingChanges(database, run.migrationId, { resolveSession: options.resolveSession ?? defaultSessionResolver(database) });
    const touched = outcome.restored.length + outcome.settled.length + outcome.failed.length;
    if (touched === 0) return { restored: [], skipped: "nothing to restore" };
    const failed = outcome.failed.length > 0;
    await database.runEvent.create({
      data: {
        runId,
        level: failed ? "error" : "info",
        kind: failed ? "settings_restore_failed" : "settings_restored",
        message: `The migration is complete: ${restoreSummary(outcome)}${failed ? " Use Restore now on the migration once the connection works, or change them back by hand." : ""}`,
        data: JSON.stringify(outcome),
      },
    });
    return { restored: outcome.restored, ...(failed ? { skipped: "some settings could not be restored" } : {}) };
  } catch (error) {
    logger.warn(`[ferry] after-run hook for run ${runId} failed: ${error instanceof Error ? error.message : String(error)}`);
    return { restored: [], skipped: "error" };
  }
}
