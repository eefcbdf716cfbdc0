"use server";

// Run buttons: demo, full run, pause, resume, cancel, retry failed, delta, rollback; and the staff
// monitor's retry and cancel. Each checks the caller (the runs or rollback permission, or staff),
// then lib/runs/commands.ts validates with zod, checks the run is visible, calls the engine,
// dispatches; the change is recorded in the run's organization's audit log.
import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/action-result";
import { requireOrgContext, requireStaff } from "@/lib/auth/session";
import { requirePermission } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { organizationAccess, staffAccess } from "@/lib/runs/access";
import {
  cancelRunCommand,
  followUpRun,
  pauseRunCommand,
  resumeRunCommand,
  rollbackRunCommand,
  runIdSchema,
  startDemoRun,
  startFullRun,
} from "@/lib/runs/commands";
import { recordRunAudit } from "@/lib/runs/run-audit";
import { actionText } from "@/lib/i18n/action-text";

async function runner() {
  const context = await requireOrgContext();
  requirePermission(context, "runs");
  return { context, access: organizationAccess(context) };
}

export async function startDemoRunAction(input: { migrationId: string; sampleSize: number | string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(
    async () => {
      const { context, access } = await runner();
      const started = await startDemoRun(db(), context, access, input);
      await recordRunAudit(db(), context.user, "run.started", started.runId);
      revalidatePath(`/migrations/${started.migrationId}/demo`);
      return { runId: started.runId };
    },
    await actionText("demoRunStarted"),
  );
}

export async function startFullRunAction(input: { migrationId: string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(
    async () => {
      const { context, access } = await runner();
      const started = await startFullRun(db(), context, access, input);
      await recordRunAudit(db(), context.user, "run.started", started.runId);
      return { runId: started.runId };
    },
    await actionText("fullRunStarted"),
  );
}

export async function pauseRunAction(input: { runId: string }): Promise<ActionResult> {
  return runAction(
    async () => {
      const { context, access } = await runner();
      await pauseRunCommand(db(), access, input);
      await recordRunAudit(db(), context.user, "run.paused", runIdSchema.parse(input).runId);
    },
    await actionText("pausingAfterTheCurrent"),
  );
}

export async function resumeRunAction(input: { runId: string }): Promise<ActionResult> {
  return runAction(
    async () => {
      const { context, access } = await runner();
      await resumeRunCommand(db(), access, input);
      await recordRunAudit(db(), context.user, "run.resumed", runIdSchema.parse(input).runId);
    },
    await actionText("resumed"),
  );
}

export async function cancelRunAction(input: { runId: string }): Promise<ActionResult> {
  return runAction(
    async () => {
      const { context, access } = await runner();
      await cancelRunCommand(db(), access, input);
      await recordRunAudit(db(), context.user, "run.cancelled", runIdSchema.parse(input).runId);
    },
    await actionText("cancellingAfterTheCurrent"),
  );
}

export async function retryFailedAction(input: { runId: string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(
    async () => {
      const { context, access } = await runner();
      const created = await followUpRun(db(), access, input, "retry");
      await recordRunAudit(db(), context.user, "run.started", created.runId);
      return created;
    },
    await actionText("retryOfTheFailed"),
  );
}

export async function deltaRunAction(input: { runId: string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(
    async () => {
      const { context, access } = await runner();
      const created = await followUpRun(db(), access, input, "delta");
      await recordRunAudit(db(), context.user, "run.started", created.runId);
      return created;
    },
    await actionText("deltaRunStarted"),
  );
}

export async function rollbackRunAction(input: { runId: string; confirm: boolean }): Promise<ActionResult> {
  return runAction(
    async () => {
      const context = await requireOrgContext();
      requirePermission(context, "rollback");
      await rollbackRunCommand(db(), { access: organizationAccess(context), role: context.role }, input);
      await recordRunAudit(db(), context.user, "run.rolled_back", runIdSchema.parse(input).runId);
    },
    await actionText("rollbackStarted"),
  );
}

export async function staffRetryAction(input: { runId: string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(
    async () => {
      const staff = await requireStaff();
      const created = await followUpRun(db(), staffAccess(staff), input, "retry");
      await recordRunAudit(db(), staff.user, "run.started", created.runId, { asStaff: true });
      revalidatePath("/admin");
      return created;
    },
    await actionText("retryStarted"),
  );
}

export async function staffCancelAction(input: { runId: string }): Promise<ActionResult> {
  return runAction(
    async () => {
      const staff = await requireStaff();
      await cancelRunCommand(db(), staffAccess(staff), input);
      await recordRunAudit(db(), staff.user, "run.cancelled", runIdSchema.parse(input).runId, { asStaff: true });
      revalidatePath("/admin");
    },
    await actionText("cancelling"),
  );
}
