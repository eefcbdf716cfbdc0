// Saving a slice's work: link changes, counters, cursor moves and the RunEvent together in ONE
// transaction, fenced by the slice token (a superseded slice saves nothing).
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RunContext } from "./context";
import { withBusyRetry } from "./database";
import { eventData, type RunEventInput } from "./events";
import { assertSliceOwner } from "./run-state";

export type Counts = { processed: number; created: number; updated: number; skipped: number; failed: number };

export const zeroCounts = (): Counts => ({ processed: 0, created: 0, updated: 0, skipped: 0, failed: 0 });

export function addCount(counts: Map<string, Counts>, objectType: string, key: keyof Omit<Counts, "processed">, amount = 1): void {
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

export type LinkWrite = { op: "update"; id: string; data: Prisma.RecordLinkUncheckedUpdateInput } | { op: "create"; data: Prisma.RecordLinkCreateManyInput } | { op: "delete"; id: string };

export type CommitInput = {
  links?: LinkWrite[];
  counts?: Map<string, Counts>;
  /** RunObject changes by objectType (cursor, done, startedAt…). */
  objects?: { objectType: string; data: Prisma.RunObjectUncheckedUpdateInput }[];
  events?: RunEventInput[];
  run?: Prisma.RunUncheckedUpdateManyInput;
};

const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 120_000 } as const;

// Link updates are the one per-record statement of a commit (a batch's records go pending, then
// final). One Prisma `update` per link cost ~0.9 ms of CPU per record (query compiler, the
// UPDATE and re-reading the row) — the largest share of the engine's time (bench/RESULTS.md).
// Consecutive updates that only set plain values go out as one `UPDATE … FROM (VALUES …)`
// per set of columns; anything else (increments, deletes, an id seen twice) keeps its order.
/** Rows per statement: (columns + 1) × rows stays far under SQLite's 32,766 variables. */
const LINK_UPDATE_ROWS_PER_STATEMENT = 200;
const RECORD_LINK_COLUMNS: ReadonlySet<string> = new Set([
  "migrationId", "objectType", "sourceId", "targetId", "targetObjectType", "status", "runId", "createdByRunId", "parentSourceId",
  "errorCode", "errorMessage", "sourceUpdatedAt", "pendingMode", "pendingKeys", "previous", "expected", "updatedAt",
]);
type PlainValue = string | number | null | Date;
type PlainUpdate = { id: string; columns: string[]; values: PlainValue[] };
type Transaction = Prisma.TransactionClient;

const isPlainValue = (value: unknown): value is PlainValue => value === null || value instanceof Date || typeof value === "string" || typeof value === "number";

/** The update as plain column values, or null when Prisma has to do it (increments, relations…). */
function plainUpdate(id: string, data: Prisma.RecordLinkUncheckedUpdateInput): PlainUpdate | null {
  const entries = Object.entries(data).filter(([, value]) => value !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return null;
  for (const [column, value] of entries) if (!RECORD_LINK_COLUMNS.has(column) || !isPlainValue(value)) return null;
  return { id, columns: entries.map(([column]) => column), values: entries.map(([, value]) => value as PlainValue) };
}

/** DateTime as Prisma's libSQL adapter stores it (text, `…T…+00:00`), so comparisons and reads agree. */
const sqlValue = (value: PlainValue) => (value instanceof Date ? value.toISOString().replace("Z", "+00:00") : value);

async function updateLinksTogether(tx: Transaction, updates: PlainUpdate[], now: Date): Promise<void> {
  const groups = new Map<string, PlainUpdate[]>();
  for (const update of updates) {
    const key = update.columns.join(",");
    groups.set(key, [...(groups.get(key) ?? []), update]);
  }
  for (const group of groups.values()) {
    const columns = group[0].columns;
    const setsUpdatedAt = columns.includes("updatedAt");
    for (let start = 0; start < group.length; start += LINK_UPDATE_ROWS_PER_STATEMENT) {
      const rows = group.slice(start, start + LINK_UPDATE_ROWS_PER_STATEMENT);
      const tuple = `(${["?", ...columns.map(() => "?")].join(", ")})`;
      const sql =
        `WITH v("id", ${columns.map((column) => `"${column}"`).join(", ")}) AS (VALUES ${rows.map(() => tuple).join(", ")}) ` +
        `UPDATE "RecordLink" SET ${[...columns.map((column) => `"${column}" = v."${column}"`), ...(setsUpdatedAt ? [] : [`"updatedAt" = ?`])].join(", ")} ` +
        `FROM v WHERE "RecordLink"."id" = v."id"`;
      const parameters = [...rows.flatMap((row) => [row.id, ...row.values.map(sqlValue)]), ...(setsUpdatedAt ? [] : [sqlValue(now)])];
      const changed = await tx.$executeRawUnsafe(sql, ...parameters);
      // Same guarantee as Prisma's update: every link must exist.
      if (changed !== rows.length) throw new Error(`Record link update matched ${changed} of ${rows.length} links`);
    }
  }
}

export async function commit(ctx: RunContext, input: CommitInput): Promise<void> {
  const runId = ctx.run.id;
  const total = totalOf(input.counts ?? new Map());
  await withBusyRetry(() =>
    ctx.database.$transaction(async (tx) => {
      // First statement: the fence (and SQLite's write lock).
      await assertSliceOwner(tx, runId, ctx.token, {
        ...input.run,
        ...(total.processed > 0
          ? {
              processedRecords: { increment: total.processed },
              createdRecords: { increment: total.created },
              updatedRecords: { increment: total.updated },
              skippedRecords: { increment: total.skipped },
              failedRecords: { increment: total.failed },
            }
          : {}),
      });
      const creates = (input.links ?? []).flatMap((write) => (write.op === "create" ? [write.data] : []));
      if (creates.length > 0) await tx.recordLink.createMany({ data: creates });
      const linkNow = new Date();
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
      for (const [objectType, counts] of input.counts ?? []) {
        if (counts.processed === 0) continue;
        await tx.runObject.update({
          where: { runId_objectType: { runId, objectType } },
          data: {
            processed: { increment: counts.processed },
            created: { increment: counts.created },
            updated: { increment: counts.updated },
            skipped: { increment: counts.skipped },
            failed: { increment: counts.failed },
          },
        });
      }
      for (const object of input.objects ?? []) await tx.runObject.update({ where: { runId_objectType: { runId, objectType: object.objectType } }, data: object.data });
      const at = new Date();
      // Same instant for all, ordered by creation; a few ms apart keeps them sorted in the log.
      for (const [index, event] of (input.events ?? []).entries()) await tx.runEvent.create({ data: eventData(runId, event, new Date(at.getTime() + index)) });
    }, TRANSACTION_OPTIONS),
  );
}
