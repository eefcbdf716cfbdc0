// What the dashboard polls (GET /api/runs/[runId]/progress): the engine's runProgress, a
// throughput series for the chart, and the run's identity, as JSON (dates as ISO strings).
import { z } from "zod";
import type { Database } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { RunProgress } from "@/lib/migration/engine";
import { progressOf, progressRowOptions } from "@/lib/migration/progress";
import { readProgressRow } from "@/lib/migration/progress-query";
import type { RunAccess } from "./access";
import { rollbackProgress, type RollbackProgress } from "./rollback-progress";

/** Points in the throughput chart; batches are summed into this many equal time buckets at most. */
export const THROUGHPUT_POINTS = 40;
/** Newest batch events the series reads: bounds the query on very long runs (older ones fall off the left). */
export const SERIES_EVENT_LIMIT = 5_000;
/** Active runs the dashboard polls this often; the brief asks for updates within 2 s. */
export const PROGRESS_POLL_MS = 1_500;

export type ThroughputPoint = { at: string; recordsPerSecond: number };

export type RunProgressJson = Omit<RunProgress, "createdAt" | "startedAt" | "finishedAt" | "retryAt" | "events"> & {
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  retryAt: string | null;
  events: { at: string; level: string; kind: string; message: string }[];
  series: ThroughputPoint[];
  /** failed / processed, 0 to 1. */
  errorRate: number;
  active: boolean;
  /** While (and after) the run is rolled back: removed so far of the total, and an ETA. */
  rollback: RollbackProgress | null;
};

const ACTIVE = new Set(["queued", "running", "cancelling", "rolling_back"]);
const batchData = z.object({ processed: z.number() }).loose();

function processedOf(data: string | null): number {
  if (!data) return 0;
  try {
    const parsed = batchData.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data.processed : 0;
  } catch {
    return 0;
  }
}

/** Records per second over time, from the run's newest `batch` events (newest first), in at most THROUGHPUT_POINTS buckets. */
export function throughputSeries(
  events: { at: Date; data: string | null }[],
  window: { startedAt: Date | null; finishedAt: Date | null },
  now: Date = new Date(),
): ThroughputPoint[] {
  if (!window.startedAt) return [];
  if (events.length === 0) return [];
  const oldest = events[events.length - 1].at.getTime();
  const start = Math.max(window.startedAt.getTime(), Math.min(oldest, now.getTime())) - 1;
  const end = Math.max(start + 1_000, (window.finishedAt ?? now).getTime());
  const bucketMs = Math.max(1_000, Math.ceil((end - start) / THROUGHPUT_POINTS));
  const buckets = Math.ceil((end - start) / bucketMs);
  const sums = new Array<number>(buckets).fill(0);
  for (const event of events) {
    const index = Math.min(buckets - 1, Math.max(0, Math.floor((event.at.getTime() - start) / bucketMs)));
    sums[index] += processedOf(event.data);
  }
  return sums.map((sum, index) => ({
    at: new Date(start + (index + 1) * bucketMs).toISOString(),
    recordsPerSecond: Math.round((sum / (bucketMs / 1000)) * 10) / 10,
  }));
}

export function toProgressJson(progress: RunProgress, series: ThroughputPoint[], rollback: RollbackProgress | null = null): RunProgressJson {
  const processed = progress.totals.processed;
  return {
    ...progress,
    createdAt: progress.createdAt.toISOString(),
    startedAt: progress.startedAt?.toISOString() ?? null,
    finishedAt: progress.finishedAt?.toISOString() ?? null,
    retryAt: progress.retryAt?.toISOString() ?? null,
    events: progress.events.map((event) => ({ ...event, at: event.at.toISOString() })),
    series,
    errorRate: processed > 0 ? progress.totals.failed / processed : 0,
    active: ACTIVE.has(progress.status),
    rollback,
  };
}

/**
 * The progress payload for one run the caller may see (NotFoundError otherwise): one query
 * (lib/migration/progress-query.ts), plus the rollback's counts while a rollback is under way.
 */
export async function loadRunProgress(database: Database, access: RunAccess, runId: string, now: Date = new Date()): Promise<RunProgressJson> {
  const run = await readProgressRow(database, runId, progressRowOptions(now, SERIES_EVENT_LIMIT));
  // The same answer as for a run that does not exist (lib/runs/access.ts).
  if (!run || (access.kind === "organization" && run.organizationId !== access.organizationId)) throw new NotFoundError("That run");
  const progress = progressOf(run, now);
  const rollback = await rollbackProgress(database, run, now);
  return toProgressJson(progress, throughputSeries(run.seriesBatches, progress, now), rollback);
}
