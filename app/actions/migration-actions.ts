"use server";

// Migration-wide actions: restore the settings Ferry changed (migrations permission), delete a
// migration (rollback permission). lib/runs/migration-commands.ts parses the input with zod and
// checks the permission and organization; the change is recorded in the audit log.
import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/action-result";
import { auditActor, recordAudit } from "@/lib/audit-log";
import { requireOrgContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { deleteMigrationCommand, restoreSettingsCommand, restoreSettingsInputSchema } from "@/lib/runs/migration-commands";
import { restoreSummary, type RestoreOutcome } from "@/lib/settings/changes";
import type { OrgContext } from "@/lib/team";
import { actionText } from "@/lib/i18n/action-text";

const actorOf = (context: OrgContext) => ({ organizationId: context.organization.id, role: context.role });

export async function restoreSettingsAction(input: { migrationId: string }): Promise<ActionResult<RestoreOutcome>> {
  const result = await runAction(async () => {
    const context = await requireOrgContext();
    const outcome = await restoreSettingsCommand(db(), actorOf(context), input);
    const { migrationId } = restoreSettingsInputSchema.parse(input);
    await recordAudit(db(), auditActor(context), { kind: "settings.restored", migrationId, summary: restoreSummary(outcome) });
    return outcome;
  });
  if (!result.ok || !result.data) return result;
  revalidatePath("/migrations", "layout");
  const outcome = result.data;
  if (outcome.failed.length > 0) return { ok: false, error: `${restoreSummary(outcome)} Check the target connection on the Connections page, then try again.` };
  return { ...result, message: restoreSummary(outcome) };
}

export async function deleteMigrationAction(input: {
  migrationId: string;
  confirm: boolean;
  settingsRestoredByHand?: boolean;
}): Promise<ActionResult<{ name: string }>> {
  return runAction(
    async () => {
      const context = await requireOrgContext();
      const { name } = await deleteMigrationCommand(db(), actorOf(context), input);
      await recordAudit(db(), auditActor(context), {
        kind: "migration.deleted",
        summary: `Deleted the migration "${name}" (the records it migrated stay in the target).`,
      });
      revalidatePath("/migrations");
      return { name };
    },
    await actionText("migrationDeletedTheRecords"),
  );
}
