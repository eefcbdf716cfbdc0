"use server";

// Migration-wide actions for admins: restore the settings Ferry changed, delete a migration.
// lib/runs/migration-commands.ts parses the input with zod and checks the role and organization.
import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { deleteMigrationCommand, restoreSettingsCommand } from "@/lib/runs/migration-commands";
import { restoreSummary, type RestoreOutcome } from "@/lib/settings/changes";
import type { OrgContext } from "@/lib/team";

const actorOf = (context: OrgContext) => ({ organizationId: context.organization.id, role: context.role });

export async function restoreSettingsAction(input: { migrationId: string }): Promise<ActionResult<RestoreOutcome>> {
  const result = await runAction(async () => restoreSettingsCommand(db(), actorOf(await requireOrgContext()), input));
  if (!result.ok || !result.data) return result;
  revalidatePath("/migrations", "layout");
  const outcome = result.data;
  if (outcome.failed.length > 0) return { ok: false, error: `${restoreSummary(outcome)} Check the target connection on the Connections page, then try again.` };
  return { ...result, message: restoreSummary(outcome) };
}

export async function deleteMigrationAction(input: { migrationId: string; confirm: boolean; settingsRestoredByHand?: boolean }): Promise<ActionResult<{ name: string }>> {
  return runAction(async () => {
    const { name } = await deleteMigrationCommand(db(), actorOf(await requireOrgContext()), input);
    revalidatePath("/migrations");
    return { name };
  }, "Migration deleted. The records it migrated are still in the target.");
}
