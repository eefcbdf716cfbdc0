// What the run dashboard polls: per-object counters, throughput over the recent window, ETA,
// status and the last events. One query (progress-query.ts).
import { z } from "zod";
import type { Database } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { parseJsonColumn } from "./database";
import { runPhase, type RunPhase } from "./phase";
import { readProgressRow, type ProgressRow, type ProgressRowOptions } from "./progress-query";
import { asRunStatus, type RunStatus } from "./run-state";
import { systemInfo } from "./sessions";
import { parseVerification } from "./verify";

/** Throughput is measured over this recent window. */
export const THROUGHPUT_WINDOW_MS = 60_000;
export const PROGRESS_EVENTS = 20;

export type ObjectProgress = {
  objectType: string;
  targetObjectType: string;
  parentObjectType: string | null;
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  /** Records written with a repaired value / without a value the target could not hold (also counted created or updated). */
  repaired: number;
  valueDropped: number;
  started: boolean;
  done: boolean;
};

export type RunProgress = {
  runId: string;
  migrationId: string;
  mode: string;
  status: RunStatus;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  pauseReason: string | null;
  error: string | null;
  /** While waiting after a rate limit or outage: when writing resumes. */
  retryAt: Date | null;
  totals: { total: number; processed: number; created: number; updated: number; skipped: number; failed: number; repaired: number; valueDropped: number };
  objects: ObjectProgress[];
  /** What the run is doing now. */
  phase: RunPhase;
  /** Records per second over the last minute. */
  recordsPerSecond: number;
  /** Seconds until every selected record is written (see estimateEtaSeconds); null when unknown, or while verifying. */
  etaSeconds: number | null;
  /** Failed records still listed under this run (the failures table and CSV); a later retry run takes over the ones it retries. */
  failuresListed: number;
  events: { at: Date; level: string; kind: string; message: string }[];
  verification: { clean: boolean; discrepancies: string[]; checkedAt: string } | null;
};

const batchDataSchema = z.object({ processed: z.number() }).loose();

type Limit = { requests: number; perMs: number } | null;
type SideCost = { requests: number; limit: Limit };

/** Requests a target write costs per record before any is measured: the look-up and the write per full batch. */
const ESTIMATED_REQUESTS_PER_BATCH = 2;

export type EtaInput = {
  remaining: number;
  processed: number;
  /** Records per second measured over the recent window (0 when none). */
  measuredPerSecond: number;
  source: SideCost;
  target: SideCost & { maxBatchSize: number };
  /** Target requests the remaining records will cost, each object at its own measured cost (targetRequestsLeft); else the run's average. */
  targetRequestsLeft?: number | null;
  /** Target requests per second the run has sent since it started (its real pace: the limit's, or slower when the engine is). */
  targetRequestsPerSecond?: number;
  /** A rate-limit or retry wait in force: nothing moves before it ends. */
  waitMs: number;
  /**
   * The limiter waiting for its window to free (Run.waitingUntil): part of the pace the limit
   * bound already counts, so a floor, not an addition (added, a full window counted twice: the
   * ETA at 25 % of a run at 50 a minute said 172 s for 64).
   */
  paceWaitMs?: number;
};

/**
 * With each object's own cost known: the requests left at the run's own pace, never faster than
 * the target's limit allows. The records-per-second rate is not used then: a batch carrying
 * several pages settles its children in one commit, so the rate of the last minute jumps.
 */
function etaFromTargetRequests(input: EtaInput, requestsLeft: number): number | null {
  const limit = input.target.limit;
  const limitRate = limit && Number.isFinite(limit.requests) ? limit.requests / (limit.perMs / 1000) : Number.POSITIVE_INFINITY;
  const observed = input.targetRequestsPerSecond ?? 0;
  const pace = Math.min(limitRate, observed > 0 ? observed : limitRate);
  const target = Number.isFinite(pace) && pace > 0 ? requestsLeft / pace : 0;
  const perRecordSource = input.processed > 0 && input.source.requests > 0 ? input.source.requests / input.processed : 0;
  const seconds = Math.max(target, secondsAtLimit(input.remaining, perRecordSource, input.source.limit));
  if (seconds <= 0) return null;
  return Math.ceil(Math.max(seconds, (input.paceWaitMs ?? 0) / 1000) + input.waitMs / 1000);
}

function secondsAtLimit(records: number, requestsPerRecord: number, limit: Limit): number {
  if (!limit || !Number.isFinite(limit.requests) || requestsPerRecord <= 0) return 0;
  return (records * requestsPerRecord) / (limit.requests / (limit.perMs / 1000));
}

/**
 * Seconds until the remaining records are written. The rate of the last minute alone is wrong
 * early: a fresh rate-limit window lets the first requests through at once, so 1,772 records in
 * 15 s promised an end 15 s later for a run that took 3 minutes. Each side's published limit
 * bounds the rate from below, at the requests per record this run has actually spent (before the
 * first batch: one look-up and one write per full batch). Requests per record are the run's
 * average over its objects so far; an object that costs more per record (one request each
 * instead of a batch) lengthens the estimate when its turn comes.
 */
export function estimateEtaSeconds(input: EtaInput): number | null {
  if (input.remaining <= 0) return null;
  if (typeof input.targetRequestsLeft === "number") return etaFromTargetRequests(input, input.targetRequestsLeft);
  const perRecord = (side: SideCost, fallback: number) => (input.processed > 0 && side.requests > 0 ? side.requests / input.processed : fallback);
  const targetFallback = input.target.maxBatchSize > 0 ? ESTIMATED_REQUESTS_PER_BATCH / input.target.maxBatchSize : 0;
  const bounds = [
    input.measuredPerSecond > 0 ? input.remaining / input.measuredPerSecond : 0,
    secondsAtLimit(input.remaining, perRecord(input.source, 0), input.source.limit),
    typeof input.targetRequestsLeft === "number"
      ? secondsAtLimit(input.targetRequestsLeft, 1, input.target.limit)
      : secondsAtLimit(input.remaining, perRecord(input.target, targetFallback), input.target.limit),
  ];
  const seconds = Math.max(...bounds);
  if (seconds <= 0) return null;
  return Math.ceil(Math.max(seconds, (input.paceWaitMs ?? 0) / 1000) + input.waitMs / 1000);
}

/**
 * Target requests the records still to process will cost: each object's remaining records at that
 * object's own cost so far (Twenty notes bring their link rows: about three times a company's), an
 * object not started at the run's average. Null before any request was counted.
 */
export function targetRequestsLeft(objects: { total: number; processed: number; targetRequests: number }[]): number | null {
  const spent = objects.reduce((sum, object) => sum + object.targetRequests, 0);
  const settled = objects.reduce((sum, object) => sum + (object.targetRequests > 0 ? object.processed : 0), 0);
  if (spent === 0 || settled === 0) return null;
  const average = spent / settled;
  return objects.reduce((sum, object) => {
    const left = Math.max(0, object.total - object.processed);
    const own = object.processed > 0 && object.targetRequests > 0 ? object.targetRequests / object.processed : average;
    return sum + left * own;
  }, 0);
}

/** The limit the run's target session kept to at its last commit (a live limit it learned included); null before the first. */
export function runTargetLimit(run: { targetRateLimit: number | null; targetRateWindowMs: number | null }): Limit {
  return run.targetRateLimit && run.targetRateWindowMs ? { requests: run.targetRateLimit, perMs: run.targetRateWindowMs } : null;
}

function runTotalsOf(run: ProgressRow): RunProgress["totals"] {
  return {
    total: run.totalRecords,
    processed: run.processedRecords,
    created: run.createdRecords,
    updated: run.updatedRecords,
    skipped: run.skippedRecords,
    failed: run.failedRecords,
    repaired: run.repairedRecords,
    valueDropped: run.valueDroppedRecords,
  };
}

/** Records per second over the throughput window, or since the run started when that is later. */
function measuredPerSecond(recentBatches: (string | null)[], windowStart: Date, startedAt: Date | null, now: Date): number {
  const recentProcessed = recentBatches.reduce((sum, data) => sum + parseJsonColumn(data, batchDataSchema, { processed: 0 }).processed, 0);
  const since = Math.max(windowStart.getTime(), startedAt?.getTime() ?? now.getTime());
  const seconds = Math.max(1, (now.getTime() - since) / 1000);
  return recentProcessed / seconds;
}

export async function runProgress(database: Database, runId: string, now: Date = new Date()): Promise<RunProgress> {
  const run = await readProgressRow(database, runId, progressRowOptions(now, 0));
  if (!run) throw new NotFoundError("That run");
  return progressOf(run, now);
}

/** What runProgress reads, with the newest `seriesEvents` batch events for a chart too. */
export function progressRowOptions(now: Date, seriesEvents: number): ProgressRowOptions {
  return { windowStart: new Date(now.getTime() - THROUGHPUT_WINDOW_MS), events: PROGRESS_EVENTS, seriesEvents };
}

/** The progress of the run read by readProgressRow, as of `now`. */
export function progressOf(run: ProgressRow, now: Date): RunProgress {
  const windowStart = new Date(now.getTime() - THROUGHPUT_WINDOW_MS);
  const status = asRunStatus(run.status);
  const objects: ObjectProgress[] = run.objects.map(({ targetRequests: _cost, ...object }) => object);
  const source = systemInfo(run.sourceSystemId ?? "");
  const target = systemInfo(run.targetSystemId ?? "");
  const current = objects.find((object) => object.started && !object.done && object.parentObjectType === null) ?? null;
  const phase = runPhase(
    {
      status,
      phase: run.phase,
      phaseAt: run.phaseAt,
      waitingUntil: run.waitingUntil,
      waitingFor: run.waitingFor,
      retryAt: run.retryAt,
      sourceName: source.name,
      targetName: target.name,
      currentObject: current?.objectType ?? null,
    },
    now,
  );
  const recordsPerSecond = status === "running" ? measuredPerSecond(run.recentBatches, windowStart, run.startedAt, now) : 0;
  const remaining = objects.reduce((sum, object) => sum + Math.max(0, object.total - object.processed), 0);
  const retryUntil = run.retryAt?.getTime() ?? 0;
  const paceUntil = run.waitingUntil?.getTime() ?? 0;
  const etaSeconds =
    status === "running" && phase.kind !== "verifying"
      ? estimateEtaSeconds({
          remaining,
          processed: run.processedRecords,
          measuredPerSecond: recordsPerSecond,
          source: { requests: run.sourceRequests, limit: source.rateLimit },
          target: { requests: run.targetRequests, limit: runTargetLimit(run) ?? target.rateLimit, maxBatchSize: target.maxBatchSize },
          targetRequestsLeft: targetRequestsLeft(run.objects),
          targetRequestsPerSecond: run.startedAt ? run.targetRequests / Math.max(1, (now.getTime() - run.startedAt.getTime()) / 1000) : 0,
          waitMs: Math.max(0, retryUntil - now.getTime()),
          paceWaitMs: Math.max(0, paceUntil - now.getTime()),
        })
      : null;
  const verification = parseVerification(run.verification);
  return {
    runId: run.id,
    migrationId: run.migrationId,
    mode: run.mode,
    status,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    pauseReason: run.pauseReason,
    error: run.error,
    retryAt: run.retryAt,
    totals: runTotalsOf(run),
    objects,
    phase,
    recordsPerSecond: Math.round(recordsPerSecond * 10) / 10,
    etaSeconds,
    failuresListed: run.failuresListed,
    events: run.events,
    verification: verification ? { clean: verification.clean, discrepancies: verification.discrepancies, checkedAt: verification.checkedAt } : null,
  };
}
