// The stale filter's pre-pass. A customer is stale when neither their own record nor any record
// pointing at them (their tickets and the tickets' messages, deals, tasks, notes) moved for N
// years, counted exactly as the audit counts it (lib/audit/activity.ts). Customers are written
// before the tickets that point at them, so before the run's first page the objects that count as
// activity are read once, page by page, and the latest activity per customer is kept in
// RelatedActivity: memory holds one page, the database one row per record someone points at. The
// filter then looks each page's customers up (relatedActivityFor). A run whose plan has no stale filter
// does none of this.
import { z } from "zod";
import type { CanonicalRecord } from "@/connectors/types";
import { activityFeeders, forEachRelatedActivity } from "@/lib/audit/activity";
import type { BatchStop } from "./group";
import type { RunContext } from "./context";
import { parseJsonColumn, withConflictRetry } from "./database";
import { stepErrorAction } from "./error-policy";
import { eventData, plural, type RunEventInput } from "./events";
import { failedLinkCountIn } from "./record-map";
import type { MigrationPlan } from "@/lib/plan";
import { assertSliceOwner } from "./run-state";

/** Records per source page while scanning; the connectors cap it at their own page size. */
const SCAN_PAGE_SIZE = 100;
/** Ids per look-up query (PostgreSQL's parameter limit is far above; keeps statements small). */
const LOOKUP_CHUNK = 500;
/** Activity rows per upsert statement, passed as one JSON text (see commit.ts for why). */
const UPSERT_ROWS_PER_STATEMENT = 500;

const scanStateSchema = z.union([
  z.strictObject({ done: z.literal(true) }),
  z.strictObject({ done: z.literal(false), objectType: z.string(), cursor: z.string().nullable() }),
]);
export type ActivityScanState = z.infer<typeof scanStateSchema>;

/** Source objects the plan's stale filter judges (none without the filter). */
export function staleTracked(plan: MigrationPlan): ReadonlySet<string> {
  return new Set(plan.filters.skipStaleYears === null ? [] : plan.filters.staleObjects);
}

/**
 * The source objects whose records count as activity, the same ones the audit reads (lib/audit:
 * every readable object, planned or not, so leaving tickets out of the plan does not make their
 * customers stale); empty when the stale filter judges none of the run's objects.
 */
export function activityScanObjects(ctx: Pick<RunContext, "plan" | "pairs" | "sourceReadable">): string[] {
  const tracked = staleTracked(ctx.plan);
  if (!ctx.pairs.some((entry) => tracked.has(entry.pair.sourceObject))) return [];
  return activityFeeders(ctx.sourceReadable, tracked);
}

/** Where this run's pre-pass stands; null when the run needs none. */
export async function activityScanState(ctx: RunContext): Promise<ActivityScanState | null> {
  const objects = activityScanObjects(ctx);
  if (objects.length === 0) return null;
  if (ctx.run.mode === "retry") {
    // A retry only judges failed records again: no failed record the filter judges, no scan.
    const judged = await failedLinkCountIn(ctx.database, ctx.run.migrationId, [...staleTracked(ctx.plan)]);
    if (judged === 0) return null;
  }
  const row = await ctx.database.run.findUnique({ where: { id: ctx.run.id }, select: { activityScan: true } });
  return parseJsonColumn(row?.activityScan, scanStateSchema, { done: false, objectType: objects[0], cursor: null });
}

async function readScanPage(ctx: RunContext, objectType: string, cursor: string | null): Promise<{ records: CanonicalRecord[]; nextCursor: string | null }> {
  if (ctx.run.mode === "demo") {
    // A demo judges its sample by the sample's own activity: reading the whole source would make it as slow as a full run.
    const object = await ctx.database.runObject.findUnique({ where: { runId_objectType: { runId: ctx.run.id, objectType } }, select: { selection: true } });
    return { records: parseJsonColumn<CanonicalRecord[]>(object?.selection, z.array(z.custom<CanonicalRecord>()), []), nextCursor: null };
  }
  // Every record counts, also in a delta run: an unchanged ticket still keeps its customer active.
  const generator = ctx.source.session.read(objectType, { cursor, pageSize: ctx.pageSize ?? SCAN_PAGE_SIZE });
  try {
    const first = await generator.next();
    return first.done ? { records: [], nextCursor: null } : first.value;
  } finally {
    await generator.return(undefined);
  }
}

/** The latest activity per tracked record on one page, as rows. */
function activityRows(records: CanonicalRecord[], tracked: ReadonlySet<string>): [string, string, number][] {
  const latest = new Map<string, [string, string, number]>();
  for (const record of records) {
    forEachRelatedActivity(record, tracked, (objectType, id, ms) => {
      const key = `${objectType}\u0000${id}`;
      const current = latest.get(key);
      if (!current || ms > current[2]) latest.set(key, [objectType, id, ms]);
    });
  }
  return [...latest.values()];
}

// One statement per chunk, keeping the later of the stored and the new activity.
const UPSERT_SQL =
  `INSERT INTO "RelatedActivity" ("runId", "objectType", "sourceId", "lastActivityMs") ` +
  `SELECT $1, value->>0, value->>1, (value->>2)::double precision FROM jsonb_array_elements($2::jsonb) AS value ` +
  `ON CONFLICT ("runId", "objectType", "sourceId") DO UPDATE SET "lastActivityMs" = GREATEST("RelatedActivity"."lastActivityMs", excluded."lastActivityMs")`;

/**
 * Reads one page of the pre-pass and saves its activity with the scan's next position in one
 * fenced transaction, so a crash repeats at most that page (the upsert keeps the maximum, so a
 * page read twice changes nothing).
 */
export async function scanActivityPage(
  ctx: RunContext,
  state: Extract<ActivityScanState, { done: false }>,
): Promise<{ state: ActivityScanState; stop: BatchStop | null }> {
  const objects = activityScanObjects(ctx);
  let page: { records: CanonicalRecord[]; nextCursor: string | null };
  try {
    page = await readScanPage(ctx, state.objectType, state.cursor);
  } catch (error) {
    return { state, stop: { action: stepErrorAction(error, ctx.run.transientFailures, ctx.source.system.name, ctx.retryWait), error } };
  }
  const nextObject = objects[objects.indexOf(state.objectType) + 1];
  const next: ActivityScanState =
    page.nextCursor !== null
      ? { done: false, objectType: state.objectType, cursor: page.nextCursor }
      : nextObject
        ? { done: false, objectType: nextObject, cursor: null }
        : { done: true };
  const rows = activityRows(page.records, staleTracked(ctx.plan));
  const events: RunEventInput[] = [];
  const tracked = [...staleTracked(ctx.plan)].join(", ");
  if (state.objectType === objects[0] && state.cursor === null) {
    events.push({
      kind: "activity_scan",
      message: `Reading ${objects.join(", ")} once to find when each of the ${tracked} was last active, so the stale filter counts their related records as the audit does.`,
      data: { objects },
    });
  }
  await withConflictRetry(() =>
    ctx.database.$transaction(async (tx) => {
      await assertSliceOwner(tx, ctx.run.id, ctx.token, { activityScan: JSON.stringify(next), transientFailures: 0, outageSince: null });
      for (let start = 0; start < rows.length; start += UPSERT_ROWS_PER_STATEMENT) {
        await tx.$executeRawUnsafe(UPSERT_SQL, ctx.run.id, JSON.stringify(rows.slice(start, start + UPSERT_ROWS_PER_STATEMENT)));
      }
      if (next.done) {
        const active = await tx.relatedActivity.count({ where: { runId: ctx.run.id } });
        events.push({
          kind: "activity_scan",
          message: `Found the latest related activity of ${plural(active, "record")} of ${tracked}; the stale filter counts it.`,
          data: { records: active },
        });
      }
      const at = new Date();
      for (const [index, event] of events.entries()) await tx.runEvent.create({ data: eventData(ctx.run.id, event, new Date(at.getTime() + index)) });
    }),
  );
  return { state: next, stop: null };
}

/** The latest related activity the pre-pass found for a page's records of `objectType`; empty when the stale filter does not judge them. */
export async function relatedActivityFor(ctx: RunContext, objectType: string, ids: readonly string[]): Promise<ReadonlyMap<string, number>> {
  const related = new Map<string, number>();
  if (!staleTracked(ctx.plan).has(objectType)) return related;
  for (let start = 0; start < ids.length; start += LOOKUP_CHUNK) {
    const rows = await ctx.database.relatedActivity.findMany({
      where: { runId: ctx.run.id, objectType, sourceId: { in: ids.slice(start, start + LOOKUP_CHUNK) } },
      select: { sourceId: true, lastActivityMs: true },
    });
    for (const row of rows) related.set(row.sourceId, row.lastActivityMs);
  }
  return related;
}

/** A finished run's activity rows are of no further use. */
export async function forgetActivity(ctx: Pick<RunContext, "database" | "run">): Promise<void> {
  await withConflictRetry(() => ctx.database.relatedActivity.deleteMany({ where: { runId: ctx.run.id } }));
}
