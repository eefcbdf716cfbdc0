// What the run dashboard polls: per-object counters, throughput over the recent window, ETA,
// status and the last events. Three indexed queries.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { parseJsonColumn } from "./database";
import { asRunStatus, type RunStatus } from "./run-state";
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
  /** Records per second over the last minute. */
  recordsPerSecond: number;
  /** Seconds until every selected record is processed at the recent rate; null when unknown. */
  etaSeconds: number | null;
  events: { at: Date; level: string; kind: string; message: string }[];
  verification: { clean: boolean; discrepancies: string[]; checkedAt: string } | null;
};

const batchDataSchema = z.object({ processed: z.number() }).loose();

export async function runProgress(database: Database, runId: string, now: Date = new Date()): Promise<RunProgress> {
  const windowStart = new Date(now.getTime() - THROUGHPUT_WINDOW_MS);
  const [run, events, recent] = await Promise.all([
    database.run.findUnique({
      where: { id: runId },
      select: {
        id: true,
        migrationId: true,
        mode: true,
        status: true,
        createdAt: true,
        startedAt: true,
        finishedAt: true,
        pauseReason: true,
        error: true,
        retryAt: true,
        totalRecords: true,
        processedRecords: true,
        createdRecords: true,
        updatedRecords: true,
        skippedRecords: true,
        failedRecords: true,
        repairedRecords: true,
        valueDroppedRecords: true,
        verification: true,
        objects: { orderBy: { position: "asc" } },
      },
    }),
    database.runEvent.findMany({ where: { runId, kind: { not: "batch_writing" } }, orderBy: [{ at: "desc" }, { id: "desc" }], take: PROGRESS_EVENTS, select: { at: true, level: true, kind: true, message: true } }),
    database.runEvent.findMany({ where: { runId, kind: "batch", at: { gte: windowStart } }, select: { at: true, data: true } }),
  ]);
  if (!run) throw new NotFoundError("That run");
  const status = asRunStatus(run.status);
  const objects: ObjectProgress[] = run.objects.map((object) => ({
    objectType: object.objectType,
    targetObjectType: object.targetObjectType,
    parentObjectType: object.parentObjectType,
    total: object.total,
    processed: object.processed,
    created: object.created,
    updated: object.updated,
    skipped: object.skipped,
    failed: object.failed,
    repaired: object.repaired,
    valueDropped: object.valueDropped,
    started: object.startedAt !== null,
    done: object.done,
  }));
  const recentProcessed = recent.reduce((sum, event) => sum + parseJsonColumn(event.data, batchDataSchema, { processed: 0 }).processed, 0);
  const since = Math.max(windowStart.getTime(), run.startedAt?.getTime() ?? now.getTime());
  const seconds = Math.max(1, (now.getTime() - since) / 1000);
  const recordsPerSecond = status === "running" ? recentProcessed / seconds : 0;
  const remaining = objects.reduce((sum, object) => sum + Math.max(0, object.total - object.processed), 0);
  const etaSeconds = status === "running" && recordsPerSecond > 0 ? Math.ceil(remaining / recordsPerSecond) : remaining === 0 && run.startedAt ? 0 : null;
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
    totals: { total: run.totalRecords, processed: run.processedRecords, created: run.createdRecords, updated: run.updatedRecords, skipped: run.skippedRecords, failed: run.failedRecords, repaired: run.repairedRecords, valueDropped: run.valueDroppedRecords },
    objects,
    recordsPerSecond: Math.round(recordsPerSecond * 10) / 10,
    etaSeconds,
    events,
    verification: verification ? { clean: verification.clean, discrepancies: verification.discrepancies, checkedAt: verification.checkedAt } : null,
  };
}
