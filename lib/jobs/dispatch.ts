// The one place the app and the CLI hand a run to whichever runner is configured
// (env().jobRunner). Create the run with the engine's createRun first; resume with resumeRun and
// then dispatchRun again (a paused run's Inngest function has ended).
import { db, type Database } from "@/lib/db";
import { env } from "@/lib/env";
import { cancelRun } from "@/lib/migration/engine";
import { runningEmbeddedRunners } from "./embedded-runner";
import { inngest, runCancelledEvent, runRequestedEvent } from "./inngest";

export type JobRunner = "embedded" | "inngest";

type SendableEvent = ReturnType<typeof runRequestedEvent.create> | ReturnType<typeof runCancelledEvent.create>;

export type DispatchOptions = {
  database?: Database;
  jobRunner?: JobRunner;
  /** Sends an event to Inngest; tests capture it instead. */
  sendEvent?: (event: SendableEvent) => Promise<unknown>;
};

export class RunNotFoundError extends Error {
  constructor(runId: string) {
    super(`Run ${runId} does not exist.`);
    this.name = "RunNotFoundError";
  }
}

/**
 * Starts (or resumes driving) a queued or running run. Embedded: nothing to send, the loop claims
 * queued runs; a loop in this process is woken so the run starts now rather than at the next poll.
 * Inngest: sends `ferry/run.requested` with the target connection for the concurrency key.
 */
export async function dispatchRun(runId: string, options: DispatchOptions = {}): Promise<{ runner: JobRunner }> {
  const runner = options.jobRunner ?? env().jobRunner;
  if (runner === "embedded") {
    for (const loop of runningEmbeddedRunners()) loop.wake();
    return { runner };
  }
  const database = options.database ?? db();
  const run = await database.run.findUnique({ where: { id: runId }, select: { migration: { select: { targetConnectionId: true } } } });
  if (!run) throw new RunNotFoundError(runId);
  const { targetConnectionId } = run.migration;
  if (!targetConnectionId) throw new RunNotFoundError(runId);
  await send(options, runRequestedEvent.create({ runId, targetConnectionId }));
  return { runner };
}

/**
 * Cancels a run: the engine's cancelRun moves its status (the source of truth; slices stop between
 * batches), then with Inngest `ferry/run.cancelled` stops the function run between steps.
 */
export async function dispatchCancel(runId: string, options: DispatchOptions = {}): Promise<{ runner: JobRunner }> {
  const runner = options.jobRunner ?? env().jobRunner;
  const database = options.database ?? db();
  await cancelRun(database, runId);
  if (runner === "embedded") {
    for (const loop of runningEmbeddedRunners()) loop.wake();
    return { runner };
  }
  await send(options, runCancelledEvent.create({ runId }));
  return { runner };
}

async function send(options: DispatchOptions, event: SendableEvent): Promise<void> {
  // Validates the payload against the event's zod schema before it leaves the process.
  await event.validate();
  if (options.sendEvent) await options.sendEvent(event);
  // https://www.inngest.com/docs/reference/events/send
  else await inngest.send(event);
}
