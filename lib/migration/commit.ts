// Saving a slice's work: link changes, counters, cursor moves and the RunEvent together in ONE
// transaction, fenced by the slice token (a superseded slice saves nothing).
import crypto from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RunContext } from "./context";
import { withConflictRetry } from "./database";
import { eventData, type RunEventInput } from "./events";
import { assertSliceOwner } from "./run-state";
import type { WarningAction } from "./transform";
import { countWarnings } from "./warnings";

/** Per outcome; repaired and valueDropped count records written with warnings (also counted created or updated). */
export type Counts = { processed: number; created: number; updated: number; skipped: number; failed: number; repaired: number; valueDropped: number };

export const zeroCounts = (): Counts => ({ processed: 0, created: 0, updated: 0, skipped: 0, failed: 0, repaired: 0, valueDropped: 0 });

export function addCount(counts: Map<string, Counts>, objectType: string, key: "created" | "updated" | "skipped" | "failed", amount = 1): void {
  const entry = counts.get(objectType) ?? zeroCounts();
  entry[key] += amount;
  entry.processed += amount;
  counts.set(objectType, entry);
}

export function totalOf(counts: Map<string, Counts>): Counts {
  const total = zeroCounts();
  for (const entry of counts.values()) for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += entry[key];
  return total;
}

export type LinkWrite =
  | { op: "update"; id: string; data: Prisma.RecordLinkUncheckedUpdateInput }
  | { op: "create"; data: Prisma.RecordLinkCreateManyInput }
  | { op: "delete"; id: string };

export type CommitInput = {
  links?: LinkWrite[];
  counts?: Map<string, Counts>;
  /** RunObject changes by objectType (cursor, done, startedAt…). */
  objects?: { objectType: string; data: Prisma.RunObjectUncheckedUpdateInput }[];
  events?: RunEventInput[];
  run?: Prisma.RunUncheckedUpdateManyInput;
  /** Warnings of records reaching their final state; `replace` first removes (and uncounts) this run's earlier ones for those records. */
  warnings?: { replace: { objectType: string; sourceIds: string[] } | null; rows: Prisma.RecordWarningCreateManyInput[] };
};

const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 120_000 } as const;

// Link writes are the one per-record work of a commit (a batch's records go pending, then final).
// One Prisma `update` per link cost ~0.9 ms of CPU per record (query compiler, the UPDATE and
// re-reading the row) — the largest share of the engine's time (bench/RESULTS.md). So links are
// created with one INSERT and plain updates go out as one UPDATE per set of columns, the rows
// passed as ONE jsonb parameter read with jsonb_array_elements: one statement and one parameter
// per 500 links instead of one parameter per value. Anything else (increments, deletes, an id
// seen twice) keeps its order through Prisma.
const LINK_ROWS_PER_STATEMENT = 500;
const RECORD_LINK_COLUMNS = [
  "migrationId",
  "objectType",
  "sourceId",
  "targetId",
  "targetObjectType",
  "status",
  "runId",
  "createdByRunId",
  "parentSourceId",
  "errorCode",
  "errorMessage",
  "sourceUpdatedAt",
  "pendingMode",
  "pendingKeys",
  "previous",
  "expected",
  "sourceName",
  "targetVersion",
  "updatedAt",
] as const;
const RECORD_LINK_COLUMN_SET: ReadonlySet<string> = new Set(RECORD_LINK_COLUMNS);
/** RecordLink's timestamp(3) columns; every other column it writes here is text. */
const RECORD_LINK_TIMESTAMPS: ReadonlySet<string> = new Set(["sourceUpdatedAt", "updatedAt"]);
type PlainValue = string | number | null | Date;
type PlainUpdate = { id: string; columns: string[]; values: PlainValue[] };
type Transaction = Prisma.TransactionClient;

const isPlainValue = (value: unknown): value is PlainValue => value === null || value instanceof Date || typeof value === "string" || typeof value === "number";

/** The update as plain column values, or null when Prisma has to do it (increments, relations…). */
function plainUpdate(id: string, data: Prisma.RecordLinkUncheckedUpdateInput): PlainUpdate | null {
  const entries = Object.entries(data)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return null;
  for (const [column, value] of entries) if (!RECORD_LINK_COLUMN_SET.has(column) || !isPlainValue(value)) return null;
  return { id, columns: entries.map(([column]) => column), values: entries.map(([, value]) => value as PlainValue) };
}

/** A DateTime travels as ISO-8601 UTC text; the timestamp cast in jsonRows reads it back exactly. */
const sqlValue = (value: PlainValue) => (value instanceof Date ? value.toISOString() : value);

const jsonColumn = (column: string, index: number) => (RECORD_LINK_TIMESTAMPS.has(column) ? `(value->>${index})::timestamp(3)` : `value->>${index}`);

/** `SELECT value->>0 AS "id", value->>1 AS "a" … FROM jsonb_array_elements($1)`: the rows of one JSON array of arrays. */
const jsonRows = (columns: readonly string[]) =>
  `SELECT ${columns.map((column, index) => `${jsonColumn(column, index)} AS "${column}"`).join(", ")} FROM jsonb_array_elements($1::jsonb) AS value`;

async function updateLinksTogether(tx: Transaction, updates: PlainUpdate[], now: Date): Promise<void> {
  const groups = new Map<string, PlainUpdate[]>();
  for (const update of updates) {
    const key = update.columns.join(",");
    const group = groups.get(key);
    if (group) group.push(update);
    else groups.set(key, [update]);
  }
  for (const group of groups.values()) {
    const columns = group[0].columns.includes("updatedAt") ? group[0].columns : [...group[0].columns, "updatedAt"];
    const sql = `WITH v AS (${jsonRows(["id", ...columns])}) UPDATE "RecordLink" SET ${columns.map((column) => `"${column}" = v."${column}"`).join(", ")} FROM v WHERE "RecordLink"."id" = v."id"`;
    for (let start = 0; start < group.length; start += LINK_ROWS_PER_STATEMENT) {
      const rows = group.slice(start, start + LINK_ROWS_PER_STATEMENT);
      const values = rows.map((row) => [row.id, ...row.values.map(sqlValue), ...(columns.length > row.columns.length ? [sqlValue(now)] : [])]);
      const changed = await tx.$executeRawUnsafe(sql, JSON.stringify(values));
      // Same guarantee as Prisma's update: every link must exist.
      if (changed !== rows.length) throw new Error(`Record link update matched ${changed} of ${rows.length} links`);
    }
  }
}

/** Every new link in one INSERT per LINK_ROWS_PER_STATEMENT rows; a unique clash fails the commit, as createMany does. */
async function createLinksTogether(tx: Transaction, creates: Prisma.RecordLinkCreateManyInput[], now: Date): Promise<void> {
  const rows = creates.map((data) => {
    const record = data as Record<string, unknown>;
    for (const [column, value] of Object.entries(record)) {
      if (column !== "id" && !RECORD_LINK_COLUMN_SET.has(column)) throw new Error(`Record link column "${column}" is not written by commit()`);
      if (value !== undefined && !isPlainValue(value)) throw new Error(`Record link column "${column}" needs a plain value`);
    }
    return [
      (record.id as string | undefined) ?? crypto.randomUUID(),
      ...RECORD_LINK_COLUMNS.map((column) =>
        sqlValue(column === "updatedAt" ? ((record.updatedAt as PlainValue | undefined) ?? now) : ((record[column] as PlainValue | undefined) ?? null)),
      ),
    ];
  });
  const columns = ["id", ...RECORD_LINK_COLUMNS];
  const sql = `INSERT INTO "RecordLink" (${columns.map((column) => `"${column}"`).join(", ")}) ${jsonRows(columns)}`;
  for (let start = 0; start < rows.length; start += LINK_ROWS_PER_STATEMENT) {
    await tx.$executeRawUnsafe(sql, JSON.stringify(rows.slice(start, start + LINK_ROWS_PER_STATEMENT)));
  }
}

/** Removes a run's warnings of records written once more and subtracts them from `counts`. */
async function replaceWarnings(
  tx: Transaction,
  runId: string,
  replace: { objectType: string; sourceIds: string[] },
  counts: Map<string, Counts>,
): Promise<void> {
  const where = { runId, objectType: replace.objectType, sourceId: { in: replace.sourceIds } };
  const earlier = await tx.recordWarning.findMany({ where, select: { sourceId: true, action: true } });
  if (earlier.length === 0) return;
  for (const sourceId of new Set(earlier.map((row) => row.sourceId))) {
    countWarnings(
      counts,
      replace.objectType,
      earlier.filter((row) => row.sourceId === sourceId).map((row) => ({ field: "", original: "", message: "", action: row.action as WarningAction })),
      -1,
    );
  }
  await tx.recordWarning.deleteMany({ where });
}

/** Whether a commit moves any counter (warnings can change without a record being processed). */
function movesCounters(entry: Counts): boolean {
  return entry.processed !== 0 || entry.repaired !== 0 || entry.valueDropped !== 0;
}

/** Each counter as a Prisma increment; the Run's columns carry a "Records" suffix, RunObject's none. */
function increments(entry: Counts, suffix: "" | "Records"): Record<string, { increment: number }> {
  return Object.fromEntries((Object.keys(entry) as (keyof Counts)[]).map((key) => [`${key}${suffix}`, { increment: entry[key] }]));
}

function runCounters(total: Counts): Prisma.RunUncheckedUpdateManyInput {
  return movesCounters(total) ? increments(total, "Records") : {};
}

/** Requests split over the objects a commit settles, by their records processed (the last one takes what rounding leaves). */
function requestsPerObject(counts: Map<string, Counts>, requests: number): Map<string, number> {
  const split = new Map<string, number>();
  const settled = [...counts].filter(([, entry]) => entry.processed > 0);
  const processed = settled.reduce((sum, [, entry]) => sum + entry.processed, 0);
  let left = requests;
  for (const [index, [objectType, entry]] of settled.entries()) {
    const share = index === settled.length - 1 ? left : Math.round((requests * entry.processed) / processed);
    split.set(objectType, share);
    left -= share;
  }
  return split;
}

export async function commit(ctx: RunContext, input: CommitInput): Promise<void> {
  const runId = ctx.run.id;
  const sourceRequests = ctx.source.traffic.takeRequests();
  const targetRequests = ctx.target.traffic.takeRequests();
  const targetLimit = ctx.target.session.rateLimit?.() ?? null;
  // The target requests since the last commit that settled records are these records' cost.
  const settles = [...(input.counts?.values() ?? [])].some((entry) => entry.processed > 0);
  const objectTraffic = settles ? ctx.target.traffic.takeForObjects() : 0;
  const requests = {
    ...(sourceRequests > 0 ? { sourceRequests: { increment: sourceRequests } } : {}),
    ...(targetRequests > 0 ? { targetRequests: { increment: targetRequests } } : {}),
    // The pace the ETA and the next estimate assume: the limit the target's session keeps to now (a learned live limit included).
    ...(targetLimit && Number.isFinite(targetLimit.requests) ? { targetRateLimit: targetLimit.requests, targetRateWindowMs: targetLimit.perMs } : {}),
  };
  await withConflictRetry(() =>
    ctx.database.$transaction(async (tx) => {
      // Counters are copied per attempt: a busy retry must not subtract replaced warnings twice.
      const counts = new Map([...(input.counts ?? new Map<string, Counts>())].map(([objectType, entry]) => [objectType, { ...entry }]));
      const replace = input.warnings?.replace ?? null;
      // First statement: the fence (it locks the Run row until commit), with the run's counters when they are already final.
      await assertSliceOwner(tx, runId, ctx.token, { ...input.run, ...requests, ...(replace ? {} : runCounters(totalOf(counts))) });
      if (replace) {
        await replaceWarnings(tx, runId, replace, counts);
        await tx.run.update({ where: { id: runId }, data: runCounters(totalOf(counts)) });
      }
      if (input.warnings && input.warnings.rows.length > 0) await tx.recordWarning.createMany({ data: input.warnings.rows });
      const linkNow = new Date();
      const creates = (input.links ?? []).flatMap((write) => (write.op === "create" ? [write.data] : []));
      if (creates.length > 0) await createLinksTogether(tx, creates, linkNow);
      let together: PlainUpdate[] = [];
      const flush = async () => {
        if (together.length > 0) await updateLinksTogether(tx, together, linkNow);
        together = [];
      };
      for (const write of input.links ?? []) {
        if (write.op === "create") continue;
        const plain = write.op === "update" ? plainUpdate(write.id, write.data) : null;
        if (plain && !together.some((pending) => pending.id === plain.id)) {
          together.push(plain);
          continue;
        }
        await flush();
        if (plain) together.push(plain);
        else if (write.op === "update") await tx.recordLink.update({ where: { id: write.id }, data: write.data });
        else await tx.recordLink.delete({ where: { id: write.id } });
      }
      await flush();
      const objectRequests = requestsPerObject(counts, objectTraffic);
      for (const [objectType, entry] of counts) {
        const spent = objectRequests.get(objectType) ?? 0;
        if (movesCounters(entry) || spent > 0)
          await tx.runObject.update({
            where: { runId_objectType: { runId, objectType } },
            data: { ...increments(entry, ""), ...(spent > 0 ? { targetRequests: { increment: spent } } : {}) },
          });
      }
      for (const object of input.objects ?? [])
        await tx.runObject.update({ where: { runId_objectType: { runId, objectType: object.objectType } }, data: object.data });
      const at = new Date();
      // Same instant for all, ordered by creation; a few ms apart keeps them sorted in the log.
      for (const [index, event] of (input.events ?? []).entries()) await tx.runEvent.create({ data: eventData(runId, event, new Date(at.getTime() + index)) });
    }, TRANSACTION_OPTIONS),
  );
}
