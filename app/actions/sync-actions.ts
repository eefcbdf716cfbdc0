"use server";

// The sync page's buttons: switch sync on or change its settings, Sync now, pause, resume, Cut
// over. Each needs the runs permission (like the run buttons); lib/sync/commands.ts parses the
// input with zod, finds the migration in the caller's organization and records the audit entry.
import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/action-result";
import { auditActor } from "@/lib/audit-log";
import { requirePermission } from "@/lib/auth/roles";
import { requireOrgContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { organizationAccess } from "@/lib/runs/access";
import {
  cutOverCommand,
  pauseSyncCommand,
  resumeSyncCommand,
  saveSyncSettingsCommand,
  syncMigrationSchema,
  syncNowCommand,
  type SyncCommand,
} from "@/lib/sync/commands";
import { syncPath } from "@/lib/sync/paths";
import { actionText } from "@/lib/i18n/action-text";

async function command(): Promise<SyncCommand> {
  const context = await requireOrgContext();
  requirePermission(context, "runs");
  return { database: db(), access: organizationAccess(context), actor: auditActor(context) };
}

function refresh(input: unknown): void {
  const parsed = syncMigrationSchema.safeParse(input);
  if (parsed.success) revalidatePath(syncPath(parsed.data.migrationId));
}

export async function saveSyncSettingsAction(input: {
  migrationId: string;
  intervalMinutes: number | string;
  conflictPolicy: string;
  deletions: Record<string, string>;
}): Promise<ActionResult> {
  return runAction(
    async () => {
      await saveSyncSettingsCommand(await command(), input);
      refresh(input);
    },
    await actionText("syncSettingsSaved"),
  );
}

export async function syncNowAction(input: { migrationId: string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(
    async () => {
      const started = await syncNowCommand(await command(), input);
      refresh(input);
      return started;
    },
    await actionText("syncStarted"),
  );
}

export async function pauseSyncAction(input: { migrationId: string }): Promise<ActionResult> {
  return runAction(
    async () => {
      await pauseSyncCommand(await command(), input);
      refresh(input);
    },
    await actionText("syncPaused"),
  );
}

export async function resumeSyncAction(input: { migrationId: string }): Promise<ActionResult> {
  return runAction(
    async () => {
      await resumeSyncCommand(await command(), input);
      refresh(input);
    },
    await actionText("syncResumed"),
  );
}

export async function cutOverAction(input: { migrationId: string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(
    async () => {
      const started = await cutOverCommand(await command(), input);
      refresh(input);
      return started;
    },
    await actionText("cutoverStarted"),
  );
}
