// The embedded runner: an in-process loop, started with the server (instrumentation.ts), that
// claims workable runs with a lease, drives each with runSlice while renewing its heartbeat, and
// takes over runs whose lease expired because their previous owner crashed or was restarted.
// Runs on different target connections go in parallel; one target gets one run at a time (lease.ts).
import crypto from "node:crypto";
import os from "node:os";
import type { Database } from "@/lib/db";
import { afterRunFinished } from "@/lib/runs/after-run";
import { probeOutage as engineProbeOutage, runsAwaitingProbe, runSlice as engineRunSlice, type ProbeResult, type SliceOptions, type SliceResult } from "@/lib/migration/engine";
import { claimRun, isWorkableStatus, LEASE_MS, releaseLease, renewLease } from "./lease";

export const POLL_MS = 1_000;
export const SLICE_BUDGET_MS = 5_000;
export const MAX_PARALLEL_RUNS = 4;
/** How often the loop looks for runs paused for an outage whose probe is due (each run's own schedule is Run.retryAt). */
export const OUTAGE_CHECK_MS = 5_000;

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

function createLoop(options: EmbeddedRunnerOptions & { ownerId: string }): EmbeddedRunner {
  const { database, ownerId } = options;
  const pollMs = options.pollMs ?? POLL_MS;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const sliceBudgetMs = options.sliceBudgetMs ?? SLICE_BUDGET_MS;
  const maxParallel = Math.max(1, options.maxParallel ?? MAX_PARALLEL_RUNS);
  const now = options.now ?? (() => new Date());
  const runSlice: SliceRunner = options.runSlice ?? engineRunSlice;
  const afterRun = options.afterRun ?? afterRunFinished;
  const probe = options.probeOutage ?? ((db: Database, runId: string) => engineProbeOutage(db, runId, { now }));
  const outageCheckMs = options.outageCheckMs ?? OUTAGE_CHECK_MS;
  let lastOutageCheck = Number.NEGATIVE_INFINITY;
  const logger = options.logger ?? console;
  // Renew well before expiry so a slow slice never loses its lease to a healthy-owner takeover.
  const heartbeatMs = Math.max(5, Math.floor(leaseMs / 3));

  const workers = new Map<string, Promise<void>>();
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ticking: Promise<void> | undefined;
  let tickAgain = false;

  function schedule(delayMs: number) {
    if (stopping) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      tick();
    }, delayMs);
  }

  function tick(): void {
    if (ticking) {
      tickAgain = true;
      return;
    }
    ticking = claimAvailable().finally(() => {
      ticking = undefined;
      const again = tickAgain;
      tickAgain = false;
      schedule(again ? 0 : pollMs);
    });
  }

  /** Runs paused for an outage resume by themselves once their systems answer; claiming them follows. */
  async function probeOutages(): Promise<void> {
    if (Date.now() - lastOutageCheck < outageCheckMs) return;
    lastOutageCheck = Date.now();
    for (const { runId } of await runsAwaitingProbe(database, now())) {
      if (stopping) return;
      const outcome = await probe(database, runId);
      if (outcome === "resumed") logger.info(`[ferry] run ${runId} resumed on its own: its systems answer again`);
    }
  }

  async function claimAvailable(): Promise<void> {
    try {
      await probeOutages();
    } catch (error) {
      logger.warn(`[ferry] embedded runner could not probe paused runs: ${describe(error)}`);
    }
    try {
      while (!stopping && workers.size < maxParallel) {
        const claimed = await claimRun(database, { owner: ownerId, now: now(), leaseMs, excludeRunIds: [...workers.keys()] });
        if (!claimed) break;
        if (stopping) {
          // Claimed while stopping: give it straight back.
          await releaseLease(database, { runId: claimed.runId, owner: ownerId });
          break;
        }
        const runId = claimed.runId;
        workers.set(
          runId,
          work(runId).finally(() => {
            workers.delete(runId);
            // A slot (and maybe a target) is free: look for the next run now, not at the next poll.
            schedule(0);
          }),
        );
      }
    } catch (error) {
      logger.error(`[ferry] embedded runner could not claim runs: ${describe(error)}`);
    }
  }

  async function work(runId: string): Promise<void> {
    let lost = false;
    let release = true;
    try {
      while (!stopping && !lost) {
        const heartbeat = setInterval(() => {
          renewLease(database, { runId, owner: ownerId, now: now(), leaseMs })
            .then((held) => {
              if (!held) lost = true;
            })
            .catch((error) => logger.warn(`[ferry] heartbeat for run ${runId} failed: ${describe(error)}`));
        }, heartbeatMs);
        heartbeat.unref?.();
        let result: SliceResult;
        try {
          result = await runSlice(database, runId, { budgetMs: sliceBudgetMs, now });
        } finally {
          clearInterval(heartbeat);
        }
        if (result.done || !isWorkableStatus(result.status)) {
          await afterRun(database, runId);
          break;
        }
        if (!(await renewLease(database, { runId, owner: ownerId, now: now(), leaseMs }))) lost = true;
      }
      if (lost) logger.warn(`[ferry] run ${runId} was taken over by another worker; this one stepped back`);
    } catch (error) {
      // Keep the lease and let it expire: the run is retried after leaseMs (a natural backoff)
      // instead of being re-claimed in a tight loop against a failing target or database.
      release = false;
      logger.error(`[ferry] slice of run ${runId} failed, retrying after the lease expires: ${describe(error)}`);
    } finally {
      if (release && !lost) {
        await releaseLease(database, { runId, owner: ownerId }).catch((error) =>
          logger.warn(`[ferry] could not release run ${runId}: ${describe(error)}`),
        );
      }
    }
  }

  const runner: EmbeddedRunner = {
    ownerId,
    activeRunIds: () => [...workers.keys()],
    wake: () => {
      if (!stopping) schedule(0);
    },
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        if (timer) clearTimeout(timer);
        await ticking;
        await Promise.all(workers.values());
        if (runners().get(ownerId) === runner) runners().delete(ownerId);
      })();
      return stopped;
    },
  };
  schedule(0);
  return runner;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
