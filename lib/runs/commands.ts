// What the run buttons do, for server actions: check access, call the engine, hand the run to the
// runner. The engine checks every state transition again; its UserFacingErrors reach the user as is.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { requirePermission, type RoleView } from "@/lib/auth/roles";
import { UserFacingError } from "@/lib/errors";
import { dispatchCancel as jobsDispatchCancel, dispatchRun as jobsDispatchRun } from "@/lib/jobs/dispatch";
import { createRun, pauseRun, resumeRun, rollbackRun, type SessionResolver } from "@/lib/migration/engine";
import { DEFAULT_DEMO_SAMPLE_SIZE, MAX_DEMO_SAMPLE_SIZE } from "@/lib/plan";
import type { OrgContext } from "@/lib/team";
import { findMigration, findRun, type RunAccess } from "./access";
import { demoReadiness, fullRunReadiness } from "./wizard-bridge";

export type RunDispatcher = {
  dispatchRun(runId: string): Promise<unknown>;
  dispatchCancel(runId: string): Promise<unknown>;
};

const defaultDispatcher: RunDispatcher = {
  dispatchRun: (runId) => jobsDispatchRun(runId),
  dispatchCancel: (runId) => jobsDispatchCancel(runId),
};

export type CommandOptions = { dispatcher?: RunDispatcher; resolveSession?: SessionResolver };

export const runIdSchema = z.object({ runId: z.string().trim().min(1).max(100) });
export const demoInputSchema = z.object({
  migrationId: z.string().trim().min(1).max(100),
  sampleSize: z.coerce
    .number({ error: "Enter a number of records." })
    .int("Enter a whole number.")
    .min(1, "At least 1 record per object.")
    .max(MAX_DEMO_SAMPLE_SIZE, `At most ${MAX_DEMO_SAMPLE_SIZE} records per object.`)
    .default(DEFAULT_DEMO_SAMPLE_SIZE),
});
export const migrationIdSchema = z.object({ migrationId: z.string().trim().min(1).max(100) });
export const rollbackInputSchema = runIdSchema.extend({ confirm: z.literal(true, { error: "Confirm the deletion first." }) });

/** Demo: writes into the live target like the full run, so it re-checks the same prerequisite gate on the server. */
export async function startDemoRun(
  database: Database,
  context: OrgContext,
  access: RunAccess,
  input: unknown,
  options: CommandOptions & { readiness?: typeof demoReadiness } = {},
): Promise<{ runId: string; migrationId: string }> {
  const { migrationId, sampleSize } = demoInputSchema.parse(input);
  await findMigration(database, access, migrationId);
  const readiness = await (options.readiness ?? demoReadiness)(database, context, migrationId);
  if (!readiness.ok) throw new UserFacingError(`The demo cannot start yet: ${readiness.reasons.join(" ")}`);
  const { runId } = await createRun(database, { migrationId, mode: "demo", sampleSize }, options.resolveSession);
  await (options.dispatcher ?? defaultDispatcher).dispatchRun(runId);
  return { runId, migrationId };
}

/** Full run: re-checks the wizard's readiness on the server, whatever the page showed. */
export async function startFullRun(
  database: Database,
  context: OrgContext,
  access: RunAccess,
  input: unknown,
  options: CommandOptions & { readiness?: typeof fullRunReadiness } = {},
): Promise<{ runId: string }> {
  const { migrationId } = migrationIdSchema.parse(input);
  await findMigration(database, access, migrationId);
  const readiness = await (options.readiness ?? fullRunReadiness)(database, context, migrationId);
  if (!readiness.ok) throw new UserFacingError(`The full run cannot start yet: ${readiness.reasons.join(" ")}`);
  const { runId } = await createRun(database, { migrationId, mode: "full" }, options.resolveSession);
  await (options.dispatcher ?? defaultDispatcher).dispatchRun(runId);
  return { runId };
}

export async function pauseRunCommand(database: Database, access: RunAccess, input: unknown): Promise<void> {
  const { runId } = runIdSchema.parse(input);
  await findRun(database, access, runId);
  await pauseRun(database, runId);
}

export async function resumeRunCommand(database: Database, access: RunAccess, input: unknown, options: CommandOptions = {}): Promise<void> {
  const { runId } = runIdSchema.parse(input);
  await findRun(database, access, runId);
  await resumeRun(database, runId);
  // A paused run's Inngest function has ended: it must be requested again.
  await (options.dispatcher ?? defaultDispatcher).dispatchRun(runId);
}

export async function cancelRunCommand(database: Database, access: RunAccess, input: unknown, options: CommandOptions = {}): Promise<void> {
  const { runId } = runIdSchema.parse(input);
  await findRun(database, access, runId);
  await (options.dispatcher ?? defaultDispatcher).dispatchCancel(runId);
}

/** A new run of the same migration: retry (its failed records) or delta (what changed since the last finished run). */
export async function followUpRun(
  database: Database,
  access: RunAccess,
  input: unknown,
  mode: "retry" | "delta",
  options: CommandOptions = {},
): Promise<{ runId: string }> {
  const { runId } = runIdSchema.parse(input);
  const run = await findRun(database, access, runId);
  if (run.mode === "demo") throw new UserFacingError("A demo run cannot be retried or continued; start a new demo or the full run.");
  const created = await createRun(database, { migrationId: run.migrationId, mode }, options.resolveSession);
  await (options.dispatcher ?? defaultDispatcher).dispatchRun(created.runId);
  return created;
}

/**
 * Needs the rollback permission (it deletes records from a live system): moves the run to rolling_back and lets the
 * runner remove the records in the background; the dashboard polls its progress.
 */
export async function rollbackRunCommand(
  database: Database,
  actor: { access: RunAccess; role: RoleView },
  input: unknown,
  options: CommandOptions = {},
): Promise<void> {
  const { runId } = rollbackInputSchema.parse(input);
  requirePermission(actor, "rollback");
  await findRun(database, actor.access, runId);
  // A zero budget: only the transition happens here, the slices run in the runner (no request holds for minutes).
  await rollbackRun(database, runId, { budgetMs: 0, resolveSession: options.resolveSession });
  await (options.dispatcher ?? defaultDispatcher).dispatchRun(runId);
}
