// Before a run writes anything: what it will go through, per object (counted by the source, or
// the failed records for a retry), and for a demo the records it takes. Done once, by the first
// slice (and early by createRun, for the dashboard, when it can open the connections).
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Database } from "@/lib/db";
import { ConnectorError } from "@/connectors/types";
import { commit } from "./commit";
import { openSessions, type RunContext, type RunRow } from "./context";
import { withConflictRetry } from "./database";
import { selectDemoRecords } from "./demo-selection";
import { plural, type RunEventInput } from "./events";
import { hasUniqueFields, stampsSourceId } from "./record-keys";
import { failedLinksByObject } from "./record-map";
import type { SessionResolver } from "./sessions";

type ObjectUpdate = { objectType: string; data: Prisma.RunObjectUncheckedUpdateInput };

/** Counts what the run will go through, per object, before anything is written; null when the source cannot count it. */
async function countTotals(database: Database, run: RunRow, ctxLike: Pick<RunContext, "source">): Promise<Map<string, number | null>> {
  const objects = await database.runObject.findMany({ where: { runId: run.id }, select: { objectType: true } });
  const totals = new Map<string, number | null>();
  if (run.mode === "retry") {
    const failed = await failedLinksByObject(database, run.migrationId);
    for (const object of objects) totals.set(object.objectType, failed.get(object.objectType) ?? 0);
    return totals;
  }
  for (const object of objects) {
    try {
      totals.set(
        object.objectType,
        await ctxLike.source.session.count(object.objectType, run.mode === "delta" && run.since ? { since: run.since.toISOString() } : {}),
      );
    } catch (error) {
      // Some sources cannot count an object on its own (ticket threads): the total then grows as pages are read.
      if (!(error instanceof ConnectorError) || !["VALIDATION", "NOT_FOUND", "UNKNOWN"].includes(error.code)) throw error;
      totals.set(object.objectType, null);
    }
  }
  return totals;
}

/** Totals counted as soon as the run is created, for the dashboard (a demo's come with its selection). */
export async function prepareTotals(database: Database, run: RunRow, resolver: SessionResolver): Promise<void> {
  if (run.mode === "demo") return;
  const sessions = await openSessions(database, run, resolver);
  const totals = await countTotals(database, run, sessions);
  await writeTotals(database, run.id, totals);
}

async function writeTotals(database: Database, runId: string, totals: Map<string, number | null>): Promise<void> {
  let sum = 0;
  for (const value of totals.values()) sum += value ?? 0;
  await withConflictRetry(() =>
    database.$transaction([
      ...[...totals].map(([objectType, total]) =>
        database.runObject.updateMany({ where: { runId, objectType }, data: { total: total ?? 0, totalExact: total !== null } }),
      ),
      database.run.update({ where: { id: runId }, data: { totalRecords: sum } }),
    ]),
  );
}

/** A demo: the records it takes (and their children), saved per object with the event that names them. */
async function prepareDemo(ctx: RunContext): Promise<void> {
  const sampleSize = ctx.run.sampleSize ?? ctx.plan.demoSampleSize;
  const selection = await selectDemoRecords(ctx, sampleSize);
  const objects: ObjectUpdate[] = [];
  let total = 0;
  for (const entry of ctx.pairs) {
    const records = selection.get(entry.pair.sourceObject) ?? [];
    objects.push({ objectType: entry.pair.sourceObject, data: { selection: JSON.stringify(records), total: records.length } });
    total += records.length;
    for (const { child } of entry.children) {
      const count = records.reduce((sum, record) => sum + (record.children?.[child.childKey]?.length ?? 0), 0);
      objects.push({ objectType: child.sourceObject, data: { total: count } });
      total += count;
    }
  }
  const events: RunEventInput[] = [
    {
      kind: "demo_selected",
      message: `Chose the demo records: ${objects.map((object) => `${object.data.total as number} ${object.objectType}`).join(", ")}, picked to show as many mapped fields, long threads and attachments as possible, with the records they depend on.`,
      data: Object.fromEntries(objects.map((object) => [object.objectType, object.data.total])),
    },
  ];
  await commit(ctx, { objects, events, run: { preparedAt: ctx.now(), totalRecords: total, ...(ctx.run.startedAt ? {} : { startedAt: ctx.now() }) } });
}

/** A warning per target object an interrupted write can only be recognised in by its natural key (record-keys.ts). */
function reconcileWarnings(ctx: RunContext): RunEventInput[] {
  const events: RunEventInput[] = [];
  for (const entry of ctx.pairs) {
    const target = entry.schemas.target;
    if (hasUniqueFields(target) || stampsSourceId(target, ctx.target.system.sourceIdField)) continue;
    const natural = target.fields
      .filter((field) => field.required && !field.readOnly && ["text", "email", "url"].includes(field.type))
      .map((field) => field.label);
    events.push({
      kind: "warning",
      level: "warn",
      message:
        `${ctx.target.system.name} ${target.label} has no unique field and no Ferry source id field: after an interruption in the middle of a write, Ferry recognises what was already written ` +
        (natural.length > 0 ? `by ${natural.join(" and ")} and creation time only.` : `by nothing, so a record could be created twice.`) +
        (ctx.target.session.applyFix ? ` The "Ferry source id" fix in the prerequisites rules this out where the system offers it.` : ""),
    });
  }
  return events;
}

/** First slice: totals (and the demo's selection) before anything is written. */
export async function prepareRun(ctx: RunContext): Promise<void> {
  const fresh = await ctx.database.run.findUnique({ where: { id: ctx.run.id }, select: { preparedAt: true } });
  if (fresh?.preparedAt) return;
  await commit(ctx, { run: { phase: "preparing", phaseAt: ctx.now() } });
  if (ctx.run.mode === "demo") return prepareDemo(ctx);
  const totals = await countTotals(ctx.database, ctx.run, ctx);
  let sum = 0;
  for (const value of totals.values()) sum += value ?? 0;
  const parts = [...totals].map(([objectType, count]) =>
    count === null ? `${objectType} (counted as they are read)` : `${count.toLocaleString("en")} ${objectType}`,
  );
  const events: RunEventInput[] = [
    { kind: "started", message: `Counted ${plural(sum, "record")} to go through: ${parts.join(", ")}.`, data: Object.fromEntries(totals) },
    ...reconcileWarnings(ctx),
  ];
  await ctx.database.migration.updateMany({ where: { id: ctx.run.migrationId }, data: { status: "running" } });
  await commit(ctx, {
    objects: [...totals].map(([objectType, total]) => ({ objectType, data: { total: total ?? 0, totalExact: total !== null } })),
    events,
    run: { preparedAt: ctx.now(), totalRecords: sum, ...(ctx.run.startedAt ? {} : { startedAt: ctx.now() }) },
  });
}
