// Step 5: the target's prerequisite checks for the plan, the fixes Ferry can apply with the
// user's consent, and the manual confirmations. The last report and the confirmations are saved.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import type { OrgContext } from "@/lib/team";
import { toPlanForPrerequisites } from "@/lib/plan";
import { alignCreatedFields } from "@/lib/migration/setup";
import { recordFixChanges } from "@/lib/settings/changes";
import { auditActor, recordAudit } from "@/lib/audit-log";
import { getConnector, isConnectorId } from "@/connectors/registry";
import { declaredFix, type FixResult, type PrerequisiteReport } from "@/connectors/types";
import { connectorProblem, lockedState, openSide, readWizard, writeWizard } from "./migration";

/** What each fix the system offers changes, by fix id, for the consent dialog (FixDeclaration.effect). */
export function fixEffects(systemId: string | null | undefined): Record<string, string> {
  if (!systemId || !isConnectorId(systemId)) return {};
  return Object.fromEntries(getConnector(systemId).manifest.fixes.map((fix) => [fix.id, fix.effect]));
}

/** What a check found, in one sentence: "Checked: 5 pass, 1 warning, 1 failure that blocks the full run." ("Checked again" after the first). */
export function checkSentence(report: PrerequisiteReport, again: boolean): string {
  const count = (status: "pass" | "warn" | "fail") => report.checks.filter((check) => check.status === status).length;
  const blocking = report.checks.filter((check) => check.status === "fail" && check.blocking).length;
  const failures = count("fail");
  const parts = [`${count("pass")} pass`];
  if (count("warn") > 0) parts.push(`${count("warn")} warning${count("warn") === 1 ? "" : "s"}`);
  if (failures > 0) parts.push(`${failures} failure${failures === 1 ? "" : "s"}${blocking > 0 ? ` (${blocking} blocking the full run)` : ""}`);
  return `${again ? "Checked again" : "Checked"}: ${parts.join(", ")}.`;
}

export async function checkPrerequisites(
  database: Database,
  context: OrgContext,
  migrationId: string,
): Promise<PrerequisiteReport & { summary: string; checkedBefore: boolean }> {
  const { migration, plan, state: before } = await readWizard(database, context, migrationId);
  if (!plan) throw new UserFacingError("Choose the objects to migrate first (step 3).");
  const target = await openSide(database, context, migration.targetConnectionId, "target");
  let report: PrerequisiteReport;
  try {
    report = await target.prerequisites(toPlanForPrerequisites(plan));
  } catch (error) {
    throw connectorProblem(error, "Ferry could not check the target");
  }
  await writeWizard(database, context, migrationId, {
    updateState: (current) => ({
      ...current,
      prerequisites: { checkedAt: new Date().toISOString(), report },
      // Confirmations the target no longer asks for are forgotten.
      confirmations: Object.fromEntries(
        Object.entries(current.confirmations).filter(([id]) => report.confirmations.some((confirmation) => confirmation.id === id)),
      ),
    }),
  });
  return { ...report, summary: checkSentence(report, before.prerequisites !== null), checkedBefore: before.prerequisites !== null };
}

export const fixInputSchema = z.object({ migrationId: z.string().min(1).max(100), fixId: z.string().min(1).max(200) });

/**
 * Applies a fix the last report offered (no other fix id is accepted), records what it changed
 * (SettingChange rows, before anything else can fail), re-points the plan at the fields the
 * target created, and checks again.
 */
export async function applyPrerequisiteFix(
  database: Database,
  context: OrgContext,
  input: unknown,
): Promise<{ changed: string[]; report: PrerequisiteReport }> {
  const { migrationId, fixId } = fixInputSchema.parse(input);
  const { migration, plan, state } = await readWizard(database, context, migrationId);
  if (!plan) throw new UserFacingError("Choose the objects to migrate first (step 3).");
  const offered = state.prerequisites?.report.checks.find((check) => check.fix?.id === fixId && check.status !== "pass");
  if (!offered) throw new UserFacingError("That fix is not offered by the last check. Re-check, then try again.");
  const target = await openSide(database, context, migration.targetConnectionId, "target");
  if (!target.applyFix) throw new UserFacingError("This target has no automatic fixes; follow the steps shown instead.");
  let result: FixResult;
  try {
    result = await target.applyFix(fixId, toPlanForPrerequisites(plan));
  } catch (error) {
    throw connectorProblem(error, "The fix did not complete");
  }
  const { changed } = result;
  await recordFixChanges(database, { migrationId, connectionId: migration.targetConnectionId as string, fixId, changes: result.changes ?? [] });
  await recordAudit(database, auditActor(context), {
    kind: "fix.applied",
    migrationId,
    summary: `Applied "${offered.fix?.label ?? fixId}" on the target of "${migration.name}"${changed.length > 0 ? `: ${changed.join("; ")}` : ""}.`,
  });
  const fresh = await readWizard(database, context, migrationId);
  let nextPlan = fresh.plan ?? plan;
  if (declaredFix(getConnector(plan.targetSystem).manifest, fixId)?.changesSchema) {
    // A target may name created fields its own way ("customfields.271" → "customfields271"): follow them.
    nextPlan = alignCreatedFields(nextPlan, await target.describe());
  }
  await writeWizard(database, context, migrationId, { plan: nextPlan });
  const report = await checkPrerequisites(database, context, migrationId);
  return { changed, report };
}

export const confirmationInputSchema = z.object({
  migrationId: z.string().min(1).max(100),
  confirmationId: z.string().min(1).max(200),
  confirmed: z.boolean(),
});

export async function setConfirmation(database: Database, context: OrgContext, input: unknown): Promise<void> {
  const { migrationId, confirmationId, confirmed } = confirmationInputSchema.parse(input);
  const { migration, state } = await readWizard(database, context, migrationId);
  const confirmation = state.prerequisites?.report.confirmations.find((entry) => entry.id === confirmationId);
  if (!confirmation) throw new UserFacingError("Run the checks again: that confirmation is not part of the last report.");
  await writeWizard(database, context, migrationId, {
    updateState: (current) => ({ ...current, confirmations: withConfirmation(current.confirmations, confirmationId, confirmed) }),
  });
  await recordAudit(database, auditActor(context), {
    kind: confirmed ? "confirmation.given" : "confirmation.withdrawn",
    migrationId,
    summary: `${confirmed ? "Confirmed" : "Withdrew the confirmation"} "${confirmation.title}" for "${migration.name}".`,
  });
}

/**
 * After Ferry put settings back, the last report no longer describes the target (triggers are on
 * again): it is forgotten, so the full run waits for a new check. By migration id: call it only
 * for a migration already checked to be the caller's.
 */
export async function forgetPrerequisiteReport(database: Database, migrationId: string): Promise<void> {
  await database.$transaction(async (transaction) => {
    const state = await lockedState(transaction, migrationId);
    if (state === null) return;
    await transaction.migration.update({ where: { id: migrationId }, data: { wizardState: JSON.stringify({ ...state, prerequisites: null }) } });
  });
}

function withConfirmation(confirmations: Record<string, string>, confirmationId: string, confirmed: boolean): Record<string, string> {
  const next = { ...confirmations };
  if (confirmed) next[confirmationId] = new Date().toISOString();
  else delete next[confirmationId];
  return next;
}
