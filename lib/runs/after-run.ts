// After a full, delta or retry run reaches a terminal state: reactivate the Teamwork Desk triggers
// the wizard deactivated for the migration (prerequisite fix "deactivate-triggers"), forget them,
// and say so in the run's audit log. Idempotent: the ids are cleared once restored, so a second
// call (both runners, a retried Inngest step) finds nothing to do. Never throws: a runner calls it.
import type { Database } from "@/lib/db";
import { parsePlan, toPlanForPrerequisites } from "@/lib/migration/plan";
import { defaultSessionResolver, type SessionResolver } from "@/lib/migration/sessions";
import { clearTriggersToRestore, triggersToRestore } from "./wizard-bridge";

const TERMINAL = ["completed", "failed", "cancelled", "rolled_back"];
const ACTIVE = ["queued", "running", "paused", "cancelling", "rolling_back"];
const RESTORE_FIX_PREFIX = "restore-triggers:";

export type AfterRunResult = { restored: string[]; skipped?: string };

export type AfterRunOptions = {
  resolveSession?: SessionResolver;
  logger?: Pick<Console, "warn">;
};

export async function afterRunFinished(database: Database, runId: string, options: AfterRunOptions = {}): Promise<AfterRunResult> {
  const logger = options.logger ?? console;
  try {
    const run = await database.run.findUnique({
      where: { id: runId },
      select: { id: true, mode: true, status: true, migrationId: true, migration: { select: { organizationId: true, plan: true, targetConnectionId: true, targetConnection: { select: { systemId: true } } } } },
    });
    if (!run) return { restored: [], skipped: "no such run" };
    if (run.mode === "demo") return { restored: [], skipped: "demo run" };
    if (!TERMINAL.includes(run.status)) return { restored: [], skipped: `run is ${run.status}` };
    // Another run of the migration still going (a retry started at once): restore after that one.
    const other = await database.run.count({ where: { migrationId: run.migrationId, id: { not: runId }, mode: { not: "demo" }, status: { in: ACTIVE } } });
    if (other > 0) return { restored: [], skipped: "another run of the migration is active" };
    const ids = await triggersToRestore(database, run.migrationId);
    if (ids.length === 0) return { restored: [], skipped: "nothing to restore" };
    const { targetConnectionId, targetConnection, organizationId } = run.migration;
    if (!targetConnectionId || targetConnection?.systemId !== "teamwork-desk") return { restored: [], skipped: "target is not Teamwork Desk" };

    const resolve = options.resolveSession ?? defaultSessionResolver(database);
    let changed: string[];
    try {
      const session = await resolve(targetConnectionId, organizationId);
      if (!session.applyFix) throw new Error("The target connector cannot reactivate triggers.");
      // connectors/teamwork-desk/prerequisites.ts: "restore-triggers:<ids>" reactivates exactly those (PATCH /triggers/{id}.json).
      const plan = safePlan(run.migration.plan);
      ({ changed } = await session.applyFix(`${RESTORE_FIX_PREFIX}${ids.join(",")}`, plan));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await database.runEvent.create({
        data: { runId, level: "error", kind: "triggers_restore_failed", message: `Could not reactivate the ${ids.length} Teamwork Desk trigger(s) Ferry turned off (${reason}). Turn them back on in Settings → Inboxes → Triggers, or finish another run to retry.`, data: JSON.stringify({ triggerIds: ids }) },
      });
      return { restored: [], skipped: `restore failed: ${reason}` };
    }
    await clearTriggersToRestore(database, run.migrationId, ids);
    await database.runEvent.create({
      data: { runId, level: "info", kind: "triggers_restored", message: `Reactivated the ${ids.length} Teamwork Desk trigger(s) Ferry turned off for the migration (ids ${ids.join(", ")}).`, data: JSON.stringify({ triggerIds: ids, changed }) },
    });
    return { restored: ids };
  } catch (error) {
    logger.warn(`[ferry] after-run hook for run ${runId} failed: ${error instanceof Error ? error.message : String(error)}`);
    return { restored: [], skipped: "error" };
  }
}

function safePlan(json: string) {
  try {
    return toPlanForPrerequisites(parsePlan(json));
  } catch {
    return { objectTypes: [], users: [], fallbackUserId: null, customFields: [] };
  }
}
