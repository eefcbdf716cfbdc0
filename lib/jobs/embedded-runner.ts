// The embedded runner: an in-process loop, started with the server (instrumentation.ts), that
// claims workable runs with a lease, drives each with runSlice while renewing its heartbeat, and
// takes over runs whose lease expired because their previous owner crashed or was restarted.
// Runs on different target connections go in parallel; one target gets one run at a time (lease.ts).
import crypto from "node:crypto";
import os from "node:os";
import type { Database } from "@/lib/db";
import { afterRunFinished } from "@/lib/runs/after-run";
import {
  probeOutage as engineProbeOutage,
  runsAwaitingProbe,
  runSlice as engineRunSlice,
  type ProbeResult,
  type SliceOptions,
  type SliceResult,
} from "@/lib/migration/engine";
import { syncTick } from "@/lib/sync/cycles";
import { claimRun, isWorkableStatus, LEASE_MS, releaseLease, renewLease } from "./lease";

export const POLL_MS = 1_000;
export const SLICE_BUDGET_MS = 5_000;
export const MAX_PARALLEL_RUNS = 4;
/** How often the loop looks for runs paused for an outage whose probe is due (each run's own schedule is Run.retryAt). */
export const OUTAGE_CHECK_MS = 5_000;
/** How often the loop starts the syncs that are due and closes the ones that ended (lib/sync). */
export const SYNC_CHECK_MS = 5_000;

/** The engine's runSlice, or a wrapper of it (tests pass sessions for the sandboxes). */
export type SliceRunner = (database: Database, runId: string, options: SliceOptions) => Promise<SliceResult>;

export type RunnerLogger = Pick<Console, "info" | "warn" | "error">;

export type EmbeddedRunnerOptions = {
  database: Database;
  /** Identifies this process in Run.leaseOwner; one loop per owner id per process. */
  ownerId?: string;
  pollMs?: number;
  leaseMs?: number;
  sliceBudgetMs?: number;
  maxParallel?: number;
  /** Clock for leases (tests); defaults to the wall clock. */
  now?: () => Date;
  /** The engine's runSlice; tests wrap it to observe slices. */
  runSlice?: SliceRunner;
  /** The engine's probeOutage; tests pass one with sessions for the sandboxes. */
  probeOutage?: (database: Database, runId: string) => Promise<ProbeResult>;
  outageCheckMs?: number;
  /** Starts due syncs and closes ended ones (lib/sync/cycles.ts syncTick); the runs it starts are claimed like any other. */
  syncTick?: (database: Database, now: Date) => Promise<unknown>;
  syncCheckMs?: number;
  /** Called once a slice reports the run done (lib/runs/after-run.ts: restores Teamwork Desk triggers). */
  afterRun?: (database: Database, runId: string) => Promise<unknown>;
  logger?: RunnerLogger;
};

export type EmbeddedRunner = {
  readonly ownerId: string;
  /** Run ids this loop is working on right now. */
  activeRunIds(): string[];
  /** Claims runs now instead of at the next poll (after dispatchRun in the same process). */
  wake(): void;
  /** Stops claiming, lets every current slice finish, releases the leases. */
  stop(): Promise<void>;
};

// Next's dev server re-evaluates modules on reload; the registry lives on globalThis so a reload
// finds the loop that is already running instead of starting a second one.
const holder = globalThis as typeof globalThis & {
  ferryEmbeddedRunners?: Map<string, EmbeddedRunner>;
  ferryProcessOwnerId?: string;
};

function runners(): Map<string, EmbeddedRunner> {
  holder.ferryEmbeddedRunners ??= new Map();
  return holder.ferryEmbeddedRunners;
}

/** This process's lease owner id: host, pid and a random part (a restarted container may reuse pid 1). */
export function processOwnerId(): string {
  holder.ferryProcessOwnerId ??= `embedded:${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  return holder.ferryProcessOwnerId;
}

/** The loops running in this process (the app wakes them after dispatchRun). */
export function runningEmbeddedRunners(): EmbeddedRunner[] {
  return [...runners().values()];
}

export function startEmbeddedRunner(options: EmbeddedRunnerOptions): EmbeddedRunner {
  const ownerId = options.ownerId ?? processOwnerId();
  const existing = runners().get(ownerId);
  if (existing) return existing;
  const runner = createLoop({ ...options, ownerId });
  runners().set(ownerId, runner);
  return runner;
}

type LoopSettings = {
  database: Database;
  ownerId: string;
  pollMs: number;
  leaseMs: number;
  sliceBudgetMs: number;
  maxParallel: number;
  now: () => Date;
  runSlice: SliceRunner;
  afterRun: (database: Database, runId: string) => Promise<unknown>;
  probe: (database: Database, runId: string) => Promise<ProbeResult>;
  outageCheckMs: number;
  syncTick: (database: Database, now: Date) => Promise<unknown>;
  syncCheckMs: number;
  logger: RunnerLogger;
  heartbeatMs: number;
};

/** A loop's settings and what it is doing: its workers (one per run) and its poll timer. */
type Loop = LoopSettings & {
  workers: Map<string, Promise<void>>;
  stopping: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  ticking: Promise<void> | undefined;
  tickAgain: boolean;
  lastOutageCheck: number;
  lastSyncCheck: number;
};

function settingsOf(options: EmbeddedRunnerOptions & { ownerId: string }): LoopSettings {
  const now = options.now ?? (() => new Date());
  const leaseMs = options.leaseMs ?? LEASE_MS;
  return {
    database: options.database,
    ownerId: options.ownerId,
    pollMs: options.pollMs ?? POLL_MS,
    leaseMs,
    sliceBudgetMs: options.sliceBudgetMs ?? SLICE_BUDGET_MS,
    maxParallel: Math.max(1, options.maxParallel ?? MAX_PARALLEL_RUNS),
    now,
    runSlice: options.runSlice ?? engineRunSlice,
    afterRun: options.afterRun ?? afterRunFinished,
    probe: options.probeOutage ?? ((db: Database, runId: string) => engineProbeOutage(db, runId, { now })),
    outageCheckMs: options.outageCheckMs ?? OUTAGE_CHECK_MS,
    syncTick: options.syncTick ?? ((database: Database, at: Date) => syncTick(database, { now: at })),
    syncCheckMs: options.syncCheckMs ?? SYNC_CHECK_MS,
    logger: options.logger ?? console,
    // Renew well before expiry so a slow slice never loses its lease to a healthy-owner takeover.
    heartbeatMs: Math.max(5, Math.floor(leaseMs / 3)),
  };
}

function schedule(loop: Loop, delayMs: number): void {
  if (loop.stopping) return;
  if (loop.timer) clearTimeout(loop.timer);
  loop.timer = setTimeout(() => {
    loop.timer = undefined;
    tick(loop);
  }, delayMs);
}

function tick(loop: Loop): void {
  if (loop.ticking) {
    loop.tickAgain = true;
    return;
  }
  loop.ticking = claimAvailable(loop).finally(() => {
    loop.ticking = undefined;
    const again = loop.tickAgain;
    loop.tickAgain = false;
    schedule(loop, again ? 0 : loop.pollMs);
  });
}

/** Runs paused for an outage resume by themselves once their systems answer; claiming them follows. */
async function probeOutages(loop: Loop): Promise<void> {
  if (Date.now() - loop.lastOutageCheck < loop.outageCheckMs) return;
  loop.lastOutageCheck = Date.now();
  for (const { runId } of await runsAwaitingProbe(loop.database, loop.now())) {
    if (loop.stopping) return;
    const outcome = await loop.probe(loop.database, runId);
    if (outcome === "resumed") loop.logger.info(`[ferry] run ${runId} resumed on its own: its systems answer again`);
  }
}

/** Syncs due now get their run queued here; the claim below picks it up like any run. */
async function tickSyncs(loop: Loop): Promise<void> {
  if (Date.now() - loop.lastSyncCheck < loop.syncCheckMs) return;
  loop.lastSyncCheck = Date.now();
  await loop.syncTick(loop.database, loop.now());
}

async function claimAvailable(loop: Loop): Promise<void> {
  const { database, ownerId, logger, workers } = loop;
  try {
    await probeOutages(loop);
  } catch (error) {
    logger.warn(`[ferry] embedded runner could not probe paused runs: ${describe(error)}`);
  }
  try {
    await tickSyncs(loop);
  } catch (error) {
    logger.warn(`[ferry] embedded runner could not start or close syncs: ${describe(error)}`);
  }
  try {
    while (!loop.stopping && workers.size < loop.maxParallel) {
      const claimed = await claimRun(database, { owner: ownerId, now: loop.now(), leaseMs: loop.leaseMs, excludeRunIds: [...workers.keys()] });
      if (!claimed) break;
      if (loop.stopping) {
        // Claimed while stopping: give it straight back.
        await releaseLease(database, { runId: claimed.runId, owner: ownerId });
        break;
      }
      const runId = claimed.runId;
      workers.set(
        runId,
        work(loop, runId).finally(() => {
          workers.delete(runId);
          // A slot (and maybe a target) is free: look for the next run now, not at the next poll.
          schedule(loop, 0);
        }),
      );
    }
  } catch (error) {
    logger.error(`[ferry] embedded runner could not claim runs: ${describe(error)}`);
  }
}

/** One slice with the lease renewed every heartbeatMs; `lease.lost` once a renewal finds it gone. */
async function sliceWithHeartbeat(loop: Loop, runId: string, lease: { lost: boolean }): Promise<SliceResult> {
  const { database, ownerId, logger } = loop;
  const heartbeat = setInterval(() => {
    renewLease(database, { runId, owner: ownerId, now: loop.now(), leaseMs: loop.leaseMs })
      .then((held) => {
        if (!held) lease.lost = true;
      })
      .catch((error) => logger.warn(`[ferry] heartbeat for run ${runId} failed: ${describe(error)}`));
  }, loop.heartbeatMs);
  heartbeat.unref?.();
  try {
    return await loop.runSlice(database, runId, { budgetMs: loop.sliceBudgetMs, now: loop.now });
  } finally {
    clearInterval(heartbeat);
  }
}

async function work(loop: Loop, runId: string): Promise<void> {
  const { database, ownerId, logger } = loop;
  const lease = { lost: false };
  let release = true;
  try {
    while (!loop.stopping && !lease.lost) {
      const result = await sliceWithHeartbeat(loop, runId, lease);
      if (result.done || !isWorkableStatus(result.status)) {
        await loop.afterRun(database, runId);
        break;
      }
      if (!(await renewLease(database, { runId, owner: ownerId, now: loop.now(), leaseMs: loop.leaseMs }))) lease.lost = true;
    }
    if (lease.lost) logger.warn(`[ferry] run ${runId} was taken over by another worker; this one stepped back`);
  } catch (error) {
    // Keep the lease and let it expire: the run is retried after leaseMs (a natural backoff)
    // instead of being re-claimed in a tight loop against a failing target or database.
    release = false;
    logger.error(`[ferry] slice of run ${runId} failed, retrying after the lease expires: ${describe(error)}`);
  } finally {
    if (release && !lease.lost) {
      await releaseLease(database, { runId, owner: ownerId }).catch((error) => logger.warn(`[ferry] could not release run ${runId}: ${describe(error)}`));
    }
  }
}

function createLoop(options: EmbeddedRunnerOptions & { ownerId: string }): EmbeddedRunner {
  const loop: Loop = {
    ...settingsOf(options),
    workers: new Map(),
    stopping: false,
    timer: undefined,
    ticking: undefined,
    tickAgain: false,
    lastOutageCheck: Number.NEGATIVE_INFINITY,
    lastSyncCheck: Number.NEGATIVE_INFINITY,
  };
  const { ownerId } = loop;
  let stopped: Promise<void> | undefined;
  const runner: EmbeddedRunner = {
    ownerId,
    activeRunIds: () => [...loop.workers.keys()],
    wake: () => {
      if (!loop.stopping) schedule(loop, 0);
    },
    stop: () => {
      stopped ??= (async () => {
        loop.stopping = true;
        if (loop.timer) clearTimeout(loop.timer);
        await loop.ticking;
        await Promise.all(loop.workers.values());
        if (runners().get(ownerId) === runner) runners().delete(ownerId);
      })();
      return stopped;
    },
  };
  schedule(loop, 0);
  return runner;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
