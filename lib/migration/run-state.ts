// The run's state machine. Every transition is one conditional update on the Run row
// (`where: { id, status: EXPECTED }`) with its RunEvent in the same transaction, so two
// processes racing (a runner and a user's click) cannot both win.
import crypto from "node:crypto";
import { z } from "zod";
import type { Database } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { queueRunStatusNotices } from "@/lib/notifications/run-notices";
import { withConflictRetry } from "./database";
import { eventData, type RunEventInput } from "./events";

export const RUN_MODES = ["demo", "full", "delta", "retry"] as const;
export type RunMode = (typeof RUN_MODES)[number];
export const runModeSchema = z.enum(RUN_MODES);

export const RUN_STATUSES = ["queued", "running", "paused", "cancelling", "cancelled", "completed", "failed", "rolling_back", "rolled_back"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses nothing moves on from by itself (rollback can still start from some). */
export const FINISHED_STATUSES: readonly RunStatus[] = ["cancelled", "completed", "failed", "rolled_back"];
/** A run can be rolled back once it stopped writing. */
export const ROLLBACK_FROM: readonly RunStatus[] = ["completed", "failed", "cancelled", "paused", "rolling_back"];

export function asRunStatus(value: string): RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(value) ? (value as RunStatus) : "failed";
}

/** The run's status as it is now in the database. */
export async function statusOf(database: Database, runId: string): Promise<RunStatus> {
  const run = await database.run.findUnique({ where: { id: runId }, select: { status: true } });
  if (!run) throw new NotFoundError("That run");
  return asRunStatus(run.status);
}

export function isFinished(status: RunStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

/** Thrown when a slice's fencing token no longer matches: another process took the run over. */
export class SliceSupersededError extends Error {
  constructor(runId: string) {
    super(`Run ${runId} was taken over by another worker; this slice stops without saving.`);
    this.name = "SliceSupersededError";
  }
}

export class RunStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunStateError";
  }
}

/**
 * Moves a run from one of `from` to `to`, with an event; false when the run was not in `from`
 * (someone else moved it first). `data` carries the other columns the transition sets.
 */
export async function transition(
  database: Database,
  runId: string,
  from: readonly RunStatus[],
  to: RunStatus,
  event: RunEventInput | null,
  data: Prisma.RunUncheckedUpdateManyInput = {},
): Promise<boolean> {
  return withConflictRetry(() =>
    database.$transaction(async (tx) => {
      const { count } = await tx.run.updateMany({ where: { id: runId, status: { in: [...from] } }, data: { ...data, status: to } });
      if (count !== 1) return false;
      if (event) await tx.runEvent.create({ data: eventData(runId, event) });
      // Notifications (finished, failed, paused) are queued with the change itself: none is lost or sent for a change that lost the race.
      await queueRunStatusNotices(tx, {
        runId,
        status: to,
        eventMessage: event?.message,
        data: { pauseReason: data.pauseReason, pauseKind: data.pauseKind, error: data.error },
      });
      return true;
    }),
  );
}

/** Starts a slice: a fresh fencing token every later commit of this slice is conditional on. */
export async function takeSliceToken(database: Database, runId: string): Promise<string> {
  const token = crypto.randomUUID();
  await withConflictRetry(() => database.run.update({ where: { id: runId }, data: { sliceToken: token } }));
  return token;
}

/**
 * The fencing check inside a commit transaction: touches the Run row only if this slice still
 * owns it. Must be the first statement of the transaction (it locks the Run row until commit).
 */
export async function assertSliceOwner(
  tx: Prisma.TransactionClient,
  runId: string,
  token: string,
  data: Prisma.RunUncheckedUpdateManyInput = {},
): Promise<void> {
  const { count } = await tx.run.updateMany({ where: { id: runId, sliceToken: token }, data: { sliceToken: token, ...data } });
  if (count !== 1) throw new SliceSupersededError(runId);
}
