"use server";

// Run buttons: demo, full run, pause, resume, cancel, retry failed, delta, rollback; and the staff
// monitor's retry and cancel. Each checks the caller (requireOrgContext / requireStaff), then
// lib/runs/commands.ts validates with zod, checks the run is visible, calls the engine, dispatches.
import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/action-result";
import { requireOrgContext, requireStaff } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { ForbiddenError } from "@/lib/errors";
import { organizationAccess, staffAccess } from "@/lib/runs/access";
import { cancelRunCommand, followUpRun, pauseRunCommand, resumeRunCommand, rollbackRunCommand, startDemoRun, startFullRun } from "@/lib/runs/commands";

async function runner() {
  const context = await requireOrgContext();
  if (!can(context.role, "migrations:run")) throw new ForbiddenError("Your role cannot start or change runs.");
  return { context, access: organizationAccess(context) };
}

export async function startDemoRunAction(input: { migrationId: string; sampleSize: number | string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(async () => {
    const { context, access } = await runner();
    const started = await startDemoRun(db(), context, access, input);
    revalidatePath(`/migrations/${input.migrationId}/demo`);
    return started;
  }, "Demo run started.");
}

export async function startFullRunAction(input: { migrationId: string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(async () => {
    const { context, access } = await runner();
    return startFullRun(db(), context, access, input);
  }, "Full run started.");
}

export async function pauseRunAction(input: { runId: string }): Promise<ActionResult> {
  return runAction(async () => pauseRunCommand(db(), (await runner()).access, input), "Pausing after the current batch.");
}

export async function resumeRunAction(input: { runId: string }): Promise<ActionResult> {
  return runAction(async () => resumeRunCommand(db(), (await runner()).access, input), "Resumed.");
}

export async function cancelRunAction(input: { runId: string }): Promise<ActionResult> {
  return runAction(async () => cancelRunCommand(db(), (await runner()).access, input), "Cancelling after the current batch.");
}

export async function retryFailedAction(input: { runId: string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(async () => followUpRun(db(), (await runner()).access, input, "retry"), "Retry of the failed records started.");
}

export async function deltaRunAction(input: { runId: string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(async () => followUpRun(db(), (await runner()).access, input, "delta"), "Delta run started.");
}

export async function rollbackRunAction(input: { runId: string; confirm: boolean }): Promise<ActionResult> {
  return runAction(async () => {
    const { context, access } = await runner();
    await rollbackRunCommand(db(), { access, role: context.role }, input);
  }, "Rollback started.");
}

export async function staffRetryAction(input: { runId: string }): Promise<ActionResult<{ runId: string }>> {
  return runAction(async () => {
    const created = await followUpRun(db(), staffAccess(await requireStaff()), input, "retry");
    revalidatePath("/admin");
    return created;
  }, "Retry started.");
}

export async function staffCancelAction(input: { runId: string }): Promise<ActionResult> {
  return runAction(async () => {
    await cancelRunCommand(db(), staffAccess(await requireStaff()), input);
    revalidatePath("/admin");
  }, "Cancelling.");
}
