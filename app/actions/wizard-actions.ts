"use server";

// The wizard's server actions: parse with zod, check the user, organization and the migrations
// permission, call lib/wizard (which records audit entries). Errors are mapped in one place
// (runAction); nothing here returns credentials.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { db } from "@/lib/db";
import { runAction, type ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/session";
import { requirePermission } from "@/lib/auth/roles";
import { idSchema } from "@/lib/action-input";
import type { OrgContext } from "@/lib/team";
import {
  applyPrerequisiteFix,
  applySuggestion,
  checkPrerequisites,
  countObject,
  createMigrationDraft,
  previewRecords,
  saveMapping,
  saveObjects,
  selectConnection,
  selectSystem,
  setConfirmation,
  sideSchema,
  startAudit,
  testConnection,
  undoSuggestion,
  loadWizard,
  type ConnectionTest,
  type PreviewRecord,
} from "@/lib/wizard";
import { actionText } from "@/lib/i18n/action-text";

/** Every wizard change: the migration id parsed, then the migrations permission checked. */
async function withContext<T>(migrationId: unknown, work: (context: OrgContext, id: string) => Promise<T>): Promise<T> {
  const id = idSchema.parse(migrationId);
  const context = await requireOrgContext();
  requirePermission(context, "migrations");
  const result = await work(context, id);
  revalidatePath(`/migrations/${id}`, "layout");
  return result;
}

export async function createMigrationAction(input: { name: string }): Promise<ActionResult<{ id: string }>> {
  const result = await runAction(async () => {
    const context = await requireOrgContext();
    requirePermission(context, "migrations");
    return createMigrationDraft(db(), context, { name: z.object({ name: z.string() }).parse(input).name });
  });
  if (result.ok && result.data) {
    revalidatePath("/migrations");
    redirect(`/migrations/${result.data.id}/source`);
  }
  return result;
}

export async function selectSystemAction(input: { migrationId: string; side: string; systemId: string }): Promise<ActionResult> {
  return runAction(async () => {
    const data = z.object({ migrationId: idSchema, side: sideSchema, systemId: z.string().min(1).max(50) }).parse(input);
    await withContext(data.migrationId, (context, id) => selectSystem(db(), context, id, data.side, data.systemId));
  });
}

export async function selectConnectionAction(input: {
  migrationId: string;
  side: string;
  connectionId: string;
  confirmDiscard?: boolean;
}): Promise<ActionResult> {
  return runAction(
    async () => {
      const data = z.object({ migrationId: idSchema, side: sideSchema, connectionId: idSchema, confirmDiscard: z.boolean().default(false) }).parse(input);
      await withContext(data.migrationId, (context, id) =>
        selectConnection(db(), context, id, data.side, data.connectionId, { confirmDiscard: data.confirmDiscard }),
      );
    },
    await actionText("connectionChosen"),
  );
}

export async function testConnectionAction(input: { migrationId: string; side: string }): Promise<ActionResult<ConnectionTest>> {
  return runAction(async () => {
    const data = z.object({ migrationId: idSchema, side: sideSchema }).parse(input);
    return withContext(data.migrationId, (context, id) => testConnection(db(), context, id, data.side));
  });
}

export async function countObjectAction(input: {
  migrationId: string;
  side: string;
  objectType: string;
}): Promise<ActionResult<{ count: number | null; error?: string }>> {
  return runAction(async () => {
    const data = z.object({ migrationId: idSchema, side: sideSchema, objectType: z.string().min(1).max(200) }).parse(input);
    return withContext(data.migrationId, (context, id) => countObject(db(), context, id, data.side, data.objectType));
  });
}

export async function saveObjectsAction(input: unknown): Promise<ActionResult> {
  return runAction(
    async () => {
      const migrationId = z.object({ migrationId: idSchema }).passthrough().parse(input).migrationId;
      await withContext(migrationId, (context) => saveObjects(db(), context, input));
    },
    await actionText("objectsAndFiltersSaved"),
  );
}

export async function startAuditAction(migrationId: string): Promise<ActionResult> {
  return runAction(
    async () => {
      await withContext(migrationId, (context, id) => startAudit(db(), context, id));
    },
    await actionText("auditStarted"),
  );
}

/** The stored audit, for the page's polling while the audit runs. */
export async function auditStatusAction(
  migrationId: string,
): Promise<
  ActionResult<{ status: string | null; progress: { objectType: string; label: string; total: number | null; read: number; done: boolean; capped: boolean }[] }>
> {
  return runAction(async () => {
    const id = idSchema.parse(migrationId);
    const view = await loadWizard(db(), await requireOrgContext(), id);
    return { status: view.state.audit?.status ?? null, progress: view.state.audit?.progress ?? [] };
  });
}

export async function applySuggestionAction(input: { migrationId: string; findingId: string; confirmSkipping?: number }): Promise<ActionResult> {
  return runAction(
    async () => {
      await withContext(input?.migrationId, (context) => applySuggestion(db(), context, input));
    },
    await actionText("suggestionAppliedToThe"),
  );
}

export async function undoSuggestionAction(input: { migrationId: string; findingId: string }): Promise<ActionResult> {
  return runAction(
    async () => {
      await withContext(input?.migrationId, (context) => undoSuggestion(db(), context, input));
    },
    await actionText("suggestionUndone"),
  );
}

export async function checkPrerequisitesAction(migrationId: string): Promise<ActionResult> {
  const result = await runAction(() => withContext(migrationId, (context, id) => checkPrerequisites(db(), context, id)));
  if (!result.ok || !result.data) return result.ok ? { ok: true } : result;
  const count = (status: "pass" | "warn" | "fail") => result.data!.checks.filter((check) => check.status === status).length;
  const blocking = result.data.checks.filter((check) => check.status === "fail" && check.blocking).length;
  const message = await actionText(result.data.checkedBefore ? "checkedAgain" : "checked", {
    pass: count("pass"),
    warn: count("warn"),
    fail: count("fail"),
    blocking,
  });
  return { ok: true, message };
}

export async function applyFixAction(input: { migrationId: string; fixId: string }): Promise<ActionResult<{ changed: string[] }>> {
  return runAction(
    async () => {
      const { changed } = await withContext(input?.migrationId, (context) => applyPrerequisiteFix(db(), context, input));
      return { changed };
    },
    await actionText("fixAppliedAndChecked"),
  );
}

export async function setConfirmationAction(input: { migrationId: string; confirmationId: string; confirmed: boolean }): Promise<ActionResult> {
  return runAction(async () => {
    await withContext(input?.migrationId, (context) => setConfirmation(db(), context, input));
  });
}

export async function saveMappingAction(input: unknown): Promise<ActionResult<{ warnings: string[] }>> {
  return runAction(
    async () => {
      const migrationId = z.object({ migrationId: idSchema }).passthrough().parse(input).migrationId;
      const { warnings } = await withContext(migrationId, (context) => saveMapping(db(), context, input));
      return { warnings: warnings.map((warning) => `${warning.sourceObject} → ${warning.targetObject}: ${warning.message}`) };
    },
    await actionText("mappingSaved"),
  );
}

export async function previewRecordsAction(input: unknown): Promise<ActionResult<PreviewRecord[]>> {
  return runAction(async () => previewRecords(db(), await requireOrgContext(), input));
}
