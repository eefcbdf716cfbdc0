// Everything the run dashboard's poll reads, in ONE query: the run's counters, its objects, its
// migration's organization and systems, the last events, the batches of the throughput window,
// the failures listed and (optionally) the batches of the throughput chart. Measured under 10–20
// concurrent runs on 2 cores (bench/RESULTS.md, "The progress endpoint"): the 15 Prisma queries
// in 9 round trips this replaces cost the poller ~11 ms of CPU per poll against ~1 ms here, and
// each round trip is another wait for a core on a loaded machine, while PostgreSQL needed < 1 ms.
import { z } from "zod";
import type { Database } from "@/lib/db";

/** Epoch milliseconds of a timestamp column inside JSON (Prisma's DateTime columns hold UTC without a zone). */
const EPOCH_MS = (column: string) => `(EXTRACT(EPOCH FROM ${column}) * 1000)::float8`;

const PROGRESS_SQL = `
SELECT r."id", r."migrationId", r."mode", r."status", r."createdAt", r."startedAt", r."finishedAt",
  r."pauseReason", r."error", r."retryAt", r."phase", r."phaseAt", r."waitingUntil", r."waitingFor",
  r."sourceRequests", r."targetRequests", r."targetRateLimit", r."targetRateWindowMs", r."totalRecords", r."processedRecords", r."createdRecords",
  r."updatedRecords", r."skippedRecords", r."failedRecords", r."repairedRecords", r."valueDroppedRecords",
  r."verification", r."rollbackScope", r."rollbackTotal", r."rollbackStartedAt", m."organizationId",
  (SELECT c."systemId" FROM "Connection" c WHERE c."id" = m."sourceConnectionId") AS "sourceSystemId",
  (SELECT c."systemId" FROM "Connection" c WHERE c."id" = m."targetConnectionId") AS "targetSystemId",
  (SELECT COALESCE(json_agg(json_build_object(
      'objectType', o."objectType", 'targetObjectType', o."targetObjectType", 'parentObjectType', o."parentObjectType",
      'total', o."total", 'processed', o."processed", 'created', o."created", 'updated', o."updated",
      'skipped', o."skipped", 'failed', o."failed", 'repaired', o."repaired", 'valueDropped', o."valueDropped",
      'started', o."startedAt" IS NOT NULL, 'done', o."done", 'targetRequests', o."targetRequests") ORDER BY o."position"), '[]')::text
    FROM "RunObject" o WHERE o."runId" = r."id") AS "objects",
  (SELECT COALESCE(json_agg(json_build_object('at', ${EPOCH_MS('e."at"')}, 'level', e."level", 'kind', e."kind", 'message', e."message")
      ORDER BY e."at" DESC, e."id" DESC), '[]')::text
    FROM (SELECT * FROM "RunEvent" e WHERE e."runId" = r."id" AND e."kind" <> 'batch_writing'
          ORDER BY e."at" DESC, e."id" DESC LIMIT $2) e) AS "events",
  (SELECT COALESCE(json_agg(e."data"), '[]')::text
    FROM "RunEvent" e WHERE e."runId" = r."id" AND e."kind" = 'batch' AND e."at" >= $3) AS "recentBatches",
  (SELECT COUNT(*)::int FROM "RecordLink" l WHERE l."runId" = r."id" AND l."status" = 'failed') AS "failuresListed",
  (SELECT COALESCE(json_agg(json_build_array(${EPOCH_MS('e."at"')}, e."data") ORDER BY e."at" DESC), '[]')::text
    FROM (SELECT e."at", e."data" FROM "RunEvent" e WHERE e."runId" = r."id" AND e."kind" = 'batch'
          ORDER BY e."at" DESC LIMIT $4) e) AS "seriesBatches"
FROM "Run" r JOIN "Migration" m ON m."id" = r."migrationId"
WHERE r."id" = $1`;

type ProgressRowColumns = {
  id: string;
  migrationId: string;
  mode: string;
  status: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  pauseReason: string | null;
  error: string | null;
  retryAt: Date | null;
  phase: string | null;
  phaseAt: Date | null;
  waitingUntil: Date | null;
  waitingFor: string | null;
  sourceRequests: number;
  targetRequests: number;
  targetRateLimit: number | null;
  targetRateWindowMs: number | null;
  totalRecords: number;
  processedRecords: number;
  createdRecords: number;
  updatedRecords: number;
  skippedRecords: number;
  failedRecords: number;
  repairedRecords: number;
  valueDroppedRecords: number;
  verification: string | null;
  rollbackScope: string | null;
  rollbackTotal: number | null;
  rollbackStartedAt: Date | null;
  organizationId: string;
  sourceSystemId: string | null;
  targetSystemId: string | null;
  objects: string;
  events: string;
  recentBatches: string;
  failuresListed: number;
  seriesBatches: string;
};

const objectsSchema = z.array(
  z.object({
    objectType: z.string(),
    targetObjectType: z.string(),
    parentObjectType: z.string().nullable(),
    total: z.number(),
    processed: z.number(),
    created: z.number(),
    updated: z.number(),
    skipped: z.number(),
    failed: z.number(),
    repaired: z.number(),
    valueDropped: z.number(),
    started: z.boolean(),
    done: z.boolean(),
    targetRequests: z.number(),
  }),
);
const eventsSchema = z.array(z.object({ at: z.number(), level: z.string(), kind: z.string(), message: z.string() }));
const batchDataSchema = z.array(z.string().nullable());
const seriesSchema = z.array(z.tuple([z.number(), z.string().nullable()]));

export type ProgressRow = Omit<ProgressRowColumns, "objects" | "events" | "recentBatches" | "seriesBatches"> & {
  objects: z.infer<typeof objectsSchema>;
  events: { at: Date; level: string; kind: string; message: string }[];
  /** `data` of the run's batch events in the throughput window. */
  recentBatches: (string | null)[];
  /** The newest `seriesEvents` batch events, newest first. */
  seriesBatches: { at: Date; data: string | null }[];
};

export type ProgressRowOptions = { windowStart: Date; events: number; seriesEvents: number };

/** The run as the dashboard shows it, or null when there is no such run. */
export async function readProgressRow(database: Database, runId: string, options: ProgressRowOptions): Promise<ProgressRow | null> {
  const [row] = await database.$queryRawUnsafe<ProgressRowColumns[]>(PROGRESS_SQL, runId, options.events, options.windowStart, options.seriesEvents);
  if (!row) return null;
  return {
    ...row,
    objects: objectsSchema.parse(JSON.parse(row.objects)),
    events: eventsSchema.parse(JSON.parse(row.events)).map((event) => ({ ...event, at: new Date(event.at) })),
    recentBatches: batchDataSchema.parse(JSON.parse(row.recentBatches)),
    seriesBatches: seriesSchema.parse(JSON.parse(row.seriesBatches)).map(([at, data]) => ({ at: new Date(at), data })),
  };
}
