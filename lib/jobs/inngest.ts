// The Inngest runner (hosted, scales out): `run-migration` drives one run with one `step.run` per
// slice, chains itself with a continuation event far below Inngest's per-run step limit, keeps
// one executing slice per target connection (concurrency key) and stops on the cancel event.
// The database stays the source of truth: every slice takes the run's lease (lease.ts), so the
// embedded runner and Inngest can pick up each other's runs but never work one at the same time.
import { eventType, Inngest } from "inngest";
import { z } from "zod";
import { shareApiBudgetsThrough } from "@/lib/api-budget";
import { db, type Database } from "@/lib/db";
import { withConflictRetry } from "@/lib/migration/database";
import { probeOutage as engineProbeOutage, runsAwaitingProbe, runSlice as engineRunSlice, type ProbeResult } from "@/lib/migration/engine";
import { afterRunFinished } from "@/lib/runs/after-run";
import { syncTick } from "@/lib/sync/cycles";
import type { SliceRunner } from "./embedded-runner";
import { claimRun, isWorkableStatus, LEASE_MS, releaseLease, renewLease, WORKABLE_RUN_STATUSES } from "./lease";

/**
 * Slices per function run before it hands over to a fresh one. Inngest allows 1,000 steps per
 * run (https://www.inngest.com/docs/usage-limits/inngest, "Number of Steps per Function"). A
 * generation uses at most 2 steps per slice (the slice, then a wait when the run is busy or
 * backing off) plus the continuation event: 200 slices stay at or under 401 steps.
 */
export const SLICES_PER_FUNCTION_RUN = 200;
/** Work per step: short enough for serverless request limits, long enough to amortise a request. */
export const INNGEST_SLICE_BUDGET_MS = 10_000;
/** A workable run with no live lease and no heartbeat for this long has lost its function run. */
export const STALL_MS = 15 * 60_000;
const SWEEP_LIMIT = 100;
/** Slices the cancel finisher may need (pending writes to reconcile first), far under the step limit. */
const CANCEL_SLICES = 20;

// Event payloads: zod schemas the SDK checks when an event is created with `.validate()` and when
// a function receives it (a bad payload fails the run without retries).
const runIdSchema = z.string().min(1).max(100);
const targetConnectionIdSchema = z.string().min(1).max(100);
export const runRequestedEvent = eventType("ferry/run.requested", {
  schema: z.object({ runId: runIdSchema, targetConnectionId: targetConnectionIdSchema }),
});
export const runContinueEvent = eventType("ferry/run.continue", {
  schema: z.object({ runId: runIdSchema, targetConnectionId: targetConnectionIdSchema, generation: z.number().int().min(1) }),
});
export const runCancelledEvent = eventType("ferry/run.cancelled", { schema: z.object({ runId: runIdSchema }) });

// Reads INNGEST_EVENT_KEY, INNGEST_SIGNING_KEY and INNGEST_DEV from the environment itself.
export const inngest = new Inngest({ id: "ferry" });

/** A slice's outcome as a step result (JSON: dates as ISO strings). */
export type SliceOutcome =
  | { kind: "sliced"; status: string; done: boolean; processed: number; retryAt: string | null }
  | { kind: "busy"; status: string }
  | { kind: "idle"; status: string };

export type RunMigrationFunctionOptions = {
  database?: () => Database;
  slicesPerFunctionRun?: number;
  sliceBudgetMs?: number;
  leaseMs?: number;
  runSlice?: SliceRunner;
};

/** One slice under the run's lease; `busy` when another worker holds the run or its target. */
export async function sliceUnderLease(
  database: Database,
  options: {
    runId: string;
    owner: string;
    budgetMs: number;
    leaseMs: number;
    runSlice: SliceRunner;
    afterRun?: (database: Database, runId: string) => Promise<unknown>;
  },
): Promise<SliceOutcome> {
  const { runId, owner, leaseMs } = options;
  const claimed = await claimRun(database, { owner, runId, leaseMs });
  if (!claimed) {
    const run = await withConflictRetry(() => database.run.findUnique({ where: { id: runId }, select: { status: true } }));
    if (!run) return { kind: "idle", status: "missing" };
    return isWorkableStatus(run.status) ? { kind: "busy", status: run.status } : { kind: "idle", status: run.status };
  }
  const heartbeat = setInterval(
    () => {
      void renewLease(database, { runId, owner, leaseMs }).catch(() => undefined);
    },
    Math.max(5, Math.floor(leaseMs / 3)),
  );
  try {
    const result = await options.runSlice(database, runId, { budgetMs: options.budgetMs });
    // Inside the slice's step, so a replay does not repeat it (lib/runs/after-run.ts is idempotent anyway).
    if (result.done) await (options.afterRun ?? afterRunFinished)(database, runId);
    return { kind: "sliced", status: result.status, done: result.done, processed: result.processed, retryAt: result.retryAt?.toISOString() ?? null };
  } finally {
    clearInterval(heartbeat);
    await releaseLease(database, { runId, owner });
  }
}

type StepTools = {
  run: (id: string, fn: () => Promise<SliceOutcome>) => Promise<SliceOutcome>;
  sleep: (id: string, time: number) => Promise<void>;
  sleepUntil: (id: string, time: Date | string) => Promise<void>;
};

/**
 * Drives a run for at most `slices` slices, numbered from `first` (step ids are stable across
 * replays: the loop is deterministic given the memoised step results). Returns the last status
 * and whether the runner is done with the run.
 */
async function driveRun(
  step: StepTools,
  options: { runId: string; owner: string; first: number; slices: number; budgetMs: number; leaseMs: number; database: () => Database; runSlice: SliceRunner },
): Promise<{ status: string; done: boolean; slices: number }> {
  let status = "queued";
  for (let index = 0; index < options.slices; index += 1) {
    const slice = options.first + index;
    const outcome = await step.run(`slice-${slice}`, () =>
      sliceUnderLease(options.database(), {
        runId: options.runId,
        owner: options.owner,
        budgetMs: options.budgetMs,
        leaseMs: options.leaseMs,
        runSlice: options.runSlice,
      }),
    );
    status = outcome.status;
    if (outcome.kind === "idle") return { status, done: true, slices: index + 1 };
    if (outcome.kind === "busy") {
      // Another worker (an embedded runner, a duplicate event) holds the run: wait out its lease.
      await step.sleep(`wait-${slice}`, options.leaseMs);
      continue;
    }
    if (outcome.done || !isWorkableStatus(outcome.status)) return { status, done: true, slices: index + 1 };
    // Backing off after RATE_LIMITED/TEMPORARY: sleep durably instead of holding a step open.
    if (outcome.retryAt) await step.sleepUntil(`backoff-${slice}`, outcome.retryAt);
  }
  return { status, done: false, slices: options.slices };
}

export function createRunMigrationFunction(options: RunMigrationFunctionOptions = {}) {
  const database = options.database ?? db;
  const slicesPerRun = options.slicesPerFunctionRun ?? SLICES_PER_FUNCTION_RUN;
  const budgetMs = options.sliceBudgetMs ?? INNGEST_SLICE_BUDGET_MS;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const runSlice: SliceRunner = options.runSlice ?? engineRunSlice;
  return inngest.createFunction(
    {
      id: "run-migration",
      name: "Run a migration",
      triggers: [{ event: runRequestedEvent }, { event: runContinueEvent }],
      // Counts executing steps, not runs (https://www.inngest.com/docs/guides/concurrency): one
      // slice at a time writes to a target connection, whatever the number of runs aimed at it.
      concurrency: { limit: 1, key: "event.data.targetConnectionId" },
      // Stops this function between steps; finish-cancelled-run completes the run's cancellation.
      cancelOn: [{ event: runCancelledEvent, if: "async.data.runId == event.data.runId" }],
      retries: 5,
    },
    async ({ event, step, runId: functionRunId }) => {
      const data = event.data;
      const generation = "generation" in data ? data.generation : 0;
      // The lease owner is this function run: a retried step re-claims its own lease at once.
      const owner = `inngest:${functionRunId}`;
      // Hosted workers are separate processes: each target's API budget is shared through the database.
      if (!options.database) shareApiBudgetsThrough(db());
      const driven = await driveRun(step, {
        runId: data.runId,
        owner,
        first: generation * slicesPerRun,
        slices: slicesPerRun,
        budgetMs,
        leaseMs,
        database,
        runSlice,
      });
      if (driven.done) return { runId: data.runId, status: driven.status, generation, slices: driven.slices, continued: false };
      // A fresh function run (a new step budget) picks up from the database where this one stopped.
      await step.sendEvent("continue", runContinueEvent.create({ runId: data.runId, targetConnectionId: data.targetConnectionId, generation: generation + 1 }));
      return { runId: data.runId, status: driven.status, generation, slices: driven.slices, continued: true };
    },
  );
}

/**
 * cancelOn stops run-migration between steps, but a run that was running is only "cancelling":
 * the engine finishes the cancellation in a slice (pending writes reconciled, counters saved).
 * This function, triggered by the same event, drives those last slices under the lease.
 */
export function createFinishCancelledRunFunction(options: Omit<RunMigrationFunctionOptions, "slicesPerFunctionRun"> = {}) {
  const database = options.database ?? db;
  const budgetMs = options.sliceBudgetMs ?? INNGEST_SLICE_BUDGET_MS;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const runSlice: SliceRunner = options.runSlice ?? engineRunSlice;
  return inngest.createFunction(
    {
      id: "finish-cancelled-run",
      name: "Finish cancelling a run",
      triggers: [{ event: runCancelledEvent }],
      concurrency: { limit: 1, key: "event.data.runId" },
      retries: 5,
    },
    async ({ event, step, runId: functionRunId }) => {
      const driven = await driveRun(step, {
        runId: event.data.runId,
        owner: `inngest:${functionRunId}`,
        first: 0,
        slices: CANCEL_SLICES,
        budgetMs,
        leaseMs,
        database,
        runSlice,
      });
      return { runId: event.data.runId, status: driven.status, slices: driven.slices };
    },
  );
}

/**
 * The sweeper: a workable run nobody has touched for STALL_MS (its event was lost, its function
 * run failed or was cancelled) is requested again. Duplicates are harmless: slices take the lease.
 */
export function createSweepStalledRunsFunction(options: { database?: () => Database; stallMs?: number; now?: () => Date } = {}) {
  const database = options.database ?? db;
  const stallMs = options.stallMs ?? STALL_MS;
  const now = options.now ?? (() => new Date());
  return inngest.createFunction(
    { id: "sweep-stalled-runs", name: "Re-request stalled runs", triggers: [{ cron: "*/5 * * * *" }], concurrency: { limit: 1 } },
    async ({ step }) => {
      const stalled = await step.run("find-stalled-runs", () => findStalledRuns(database(), { stallMs, now: now() }));
      if (stalled.length === 0) return { requested: 0 };
      await step.sendEvent(
        "request-stalled-runs",
        stalled.map((run) => runRequestedEvent.create({ runId: run.runId, targetConnectionId: run.targetConnectionId })),
      );
      return { requested: stalled.length };
    },
  );
}

export async function findStalledRuns(database: Database, options: { stallMs: number; now: Date }): Promise<{ runId: string; targetConnectionId: string }[]> {
  const cutoff = new Date(options.now.getTime() - options.stallMs);
  const runs = await withConflictRetry(() =>
    database.run.findMany({
      where: {
        status: { in: [...WORKABLE_RUN_STATUSES] },
        OR: [{ leaseOwner: null }, { leaseExpiresAt: null }, { leaseExpiresAt: { lte: options.now } }],
        AND: [{ OR: [{ heartbeatAt: { lt: cutoff } }, { heartbeatAt: null, createdAt: { lt: cutoff } }] }],
      },
      select: { id: true, migration: { select: { targetConnectionId: true } } },
      orderBy: { createdAt: "asc" },
      take: SWEEP_LIMIT,
    }),
  );
  return runs.flatMap((run) => (run.migration.targetConnectionId ? [{ runId: run.id, targetConnectionId: run.migration.targetConnectionId }] : []));
}

/**
 * A run paused for an outage has no function run driving it. Every minute this probes the runs
 * whose probe is due (the connectors' verify, engine.ts probeOutage) and requests the ones that
 * resumed, so they go on by themselves once their systems answer again.
 */
export function createResumeAfterOutageFunction(
  options: { database?: () => Database; now?: () => Date; probe?: (database: Database, runId: string) => Promise<ProbeResult> } = {},
) {
  const database = options.database ?? db;
  const now = options.now ?? (() => new Date());
  const probe = options.probe ?? ((base: Database, runId: string) => engineProbeOutage(base, runId, { now }));
  return inngest.createFunction(
    { id: "resume-after-outage", name: "Resume runs paused for an outage", triggers: [{ cron: "* * * * *" }], concurrency: { limit: 1 } },
    async ({ step }) => {
      const resumed = await step.run("probe-paused-runs", () => probeDueRuns(database(), { now: now(), probe }));
      if (resumed.length === 0) return { resumed: 0 };
      await step.sendEvent(
        "request-resumed-runs",
        resumed.map((run) => runRequestedEvent.create({ runId: run.runId, targetConnectionId: run.targetConnectionId })),
      );
      return { resumed: resumed.length };
    },
  );
}

/** Probes every run whose outage probe is due; returns the ones that resumed. */
export async function probeDueRuns(
  database: Database,
  options: { now: Date; probe: (database: Database, runId: string) => Promise<ProbeResult> },
): Promise<{ runId: string; targetConnectionId: string }[]> {
  const resumed: { runId: string; targetConnectionId: string }[] = [];
  for (const run of await runsAwaitingProbe(database, options.now)) {
    if ((await options.probe(database, run.runId)) === "resumed" && run.targetConnectionId)
      resumed.push({ runId: run.runId, targetConnectionId: run.targetConnectionId });
  }
  return resumed;
}

/**
 * Sync until cutover (lib/sync): every minute, closes the syncs whose run ended and starts the
 * ones due, then requests their runs like any other.
 */
export function createSyncScheduleFunction(options: { database?: () => Database; now?: () => Date } = {}) {
  const database = options.database ?? db;
  const now = options.now ?? (() => new Date());
  return inngest.createFunction(
    { id: "sync-schedule", name: "Start due syncs", triggers: [{ cron: "* * * * *" }], concurrency: { limit: 1 } },
    async ({ step }) => {
      const started = await step.run("start-due-syncs", () => startDueSyncRuns(database(), now()));
      if (started.length === 0) return { started: 0 };
      await step.sendEvent(
        "request-sync-runs",
        started.map((run) => runRequestedEvent.create(run)),
      );
      return { started: started.length };
    },
  );
}

/** syncTick, with each started run's target connection (the concurrency key). */
export async function startDueSyncRuns(database: Database, now: Date): Promise<{ runId: string; targetConnectionId: string }[]> {
  const runIds = await syncTick(database, { now });
  const runs = await database.run.findMany({ where: { id: { in: runIds } }, select: { id: true, migration: { select: { targetConnectionId: true } } } });
  return runs.flatMap((run) => (run.migration.targetConnectionId ? [{ runId: run.id, targetConnectionId: run.migration.targetConnectionId }] : []));
}

export const runMigration = createRunMigrationFunction();
export const finishCancelledRun = createFinishCancelledRunFunction();
export const sweepStalledRuns = createSweepStalledRunsFunction();
export const resumeAfterOutage = createResumeAfterOutageFunction();
export const syncSchedule = createSyncScheduleFunction();
export const inngestFunctions = [runMigration, finishCancelledRun, sweepStalledRuns, resumeAfterOutage, syncSchedule];
