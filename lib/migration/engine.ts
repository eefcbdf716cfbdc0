// The migration engine's public API. Runners (lib/jobs), the app and the CLI call these; all
// state is in the database, so any process holding a run's lease can call runSlice, and a
// slice picks up where a crashed one stopped (reconciling its pending writes first).
import { z } from "zod";
import type { CanonicalRecord } from "@/connectors/types";
import type { Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { NotFoundError, UserFacingError } from "@/lib/errors";
import { activityScanState, relatedActivityFor, scanActivityPage } from "./activity-scan";
import { processGroup } from "./batch";
import type { GroupResult, GroupSpec } from "./group";
import { commit } from "./commit";
import { buildContext, childKeysToRead, enabledPairs, loadRun, openSessions, recordChildren, type EnginePair, type RunContext, type RunRow } from "./context";
import { parseJsonColumn, withConflictRetry } from "./database";
import { afterRetryLater, describeError, OUTAGE_PROBE_MS, outageReason, stepErrorAction, type ErrorAction, type RetryWaitPolicy } from "./error-policy";
import { countsSentence, eventData, modeLabel, plural } from "./events";
import { MAX_DEMO_SAMPLE_SIZE, parsePlan, type MigrationPlan, type ObjectPair } from "@/lib/plan";
import { failedLinkCount } from "./record-map";
import { reconcilePending } from "./reconcile";
import { rollbackSlice } from "./rollback";
import { finishCancel, finishRun } from "./run-finish";
import { prepareRun, prepareTotals } from "./run-preparation";
import { RUN_MODES, SliceSupersededError, statusOf, takeSliceToken, transition, type RunMode, type RunStatus } from "./run-state";
import { defaultSessionResolver, runSessionCache, systemInfo, type SessionResolver } from "./sessions";
import { syncDeletionStep } from "@/lib/sync/run-hooks";

export type { RunMode, RunStatus } from "./run-state";
export type { SessionResolver } from "./sessions";
export { RUN_MODES, RUN_STATUSES } from "./run-state";
export { rollbackRun, rollbackReportSchema, type RollbackReport } from "./rollback";
export { verifyRun, verificationReportSchema, objectVerificationSchema, parseVerification, type VerificationReport, type ObjectVerification } from "./verify";
export { runProgress, type RunProgress, type ObjectProgress } from "./progress";

/** Statuses a runner keeps calling runSlice for. */
export const WORKABLE_STATUSES: readonly RunStatus[] = ["queued", "running", "cancelling", "rolling_back"];
/** Statuses during which no other run of the same migration may start (they share the record map). */
const ACTIVE_STATUSES: RunStatus[] = ["queued", "running", "paused", "cancelling", "rolling_back"];
/** Pages per slice when the caller sets no maxBatches: the budget decides. */
const DEFAULT_MAX_BATCHES = Number.POSITIVE_INFINITY;
const MIN_PAGE_SIZE = 20;
/** A page fills the target's largest batch (twenty-api §2.3: 200 records per call). */
const MAX_PAGE_SIZE = 200;
/**
 * A source page whose records bring children (a ticket's messages, written as Twenty notes with
 * their link rows) is written with the pages after it until its largest group holds this many
 * batches: each group's last write is the only one not full, once per batch instead of once per page.
 */
const FULL_BATCHES_PER_GROUP = 5;
/** Pages read into one batch at most (the batch is what pause and cancel wait for). */
const MAX_PAGES_PER_BATCH = 4;

// ---------------------------------------------------------------------------------------------
// Creating a run
// ---------------------------------------------------------------------------------------------

const createRunInputSchema = z.object({
  migrationId: z.string().min(1),
  mode: z.enum(RUN_MODES),
  sampleSize: z.number().int().min(1).max(MAX_DEMO_SAMPLE_SIZE).optional(),
});

/** The plan's enabled pairs; throws when it migrates nothing or sends one source object to two targets. */
function runnablePairs(plan: MigrationPlan): ObjectPair[] {
  const pairs = enabledPairs(plan);
  if (pairs.length === 0) throw new UserFacingError("The plan migrates no object. Turn on at least one object in the mapping step.");
  const sources = pairs.flatMap((pair) => [pair.sourceObject, ...recordChildren(pair).map((child) => child.sourceObject)]);
  const twice = sources.find((source, index) => sources.indexOf(source) !== index);
  if (twice) throw new UserFacingError(`${twice} goes into two target objects; a run can migrate each source object once. Turn one of the pairs off.`);
  return pairs;
}

/** Checks what the mode needs of earlier runs; a delta run's `since` is when the last finished run started. */
async function modeStartingPoint(database: Database, migrationId: string, mode: RunMode): Promise<Date | null> {
  let since: Date | null = null;
  if (mode === "delta") {
    const last = await database.run.findFirst({
      where: { migrationId, status: "completed", mode: { in: ["full", "delta"] }, startedAt: { not: null } },
      orderBy: { startedAt: "desc" },
      select: { startedAt: true },
    });
    if (!last?.startedAt) throw new UserFacingError("A delta run copies what changed since the last finished run: run a full migration first.");
    since = last.startedAt;
  }
  if (mode === "retry") {
    if ((await failedLinkCount(database, migrationId)) === 0) throw new UserFacingError("No record of this migration has failed: there is nothing to retry.");
  }
  return since;
}

/** The run's objects in the order the engine works through them: each parent, then its children. */
function runObjectRows(pairs: ObjectPair[]): Prisma.RunObjectCreateManyRunInput[] {
  const objects: Prisma.RunObjectCreateManyRunInput[] = [];
  for (const pair of pairs) {
    objects.push({ objectType: pair.sourceObject, targetObjectType: pair.targetObject, position: objects.length });
    for (const child of recordChildren(pair))
      objects.push({ objectType: child.sourceObject, targetObjectType: child.targetObject, parentObjectType: pair.sourceObject, position: objects.length });
  }
  return objects;
}

/** Queues a run of a migration. Validates the plan and the mode's preconditions; writes nothing anywhere else. */
export async function createRun(
  database: Database,
  input: { migrationId: string; mode: RunMode; sampleSize?: number },
  resolver?: SessionResolver,
): Promise<{ runId: string }> {
  const { migrationId, mode, sampleSize } = createRunInputSchema.parse(input);
  const migration = await database.migration.findUnique({
    where: { id: migrationId },
    select: { id: true, plan: true, sourceConnectionId: true, targetConnectionId: true },
  });
  if (!migration) throw new NotFoundError("That migration");
  if (!migration.sourceConnectionId || !migration.targetConnectionId) {
    throw new UserFacingError("Choose a source and a target connection before starting a run.");
  }
  const plan = parsePlan(migration.plan);
  const pairs = runnablePairs(plan);
  const since = await modeStartingPoint(database, migrationId, mode);
  const objects = runObjectRows(pairs);
  const sampleText = mode === "demo" ? ` of up to ${sampleSize ?? plan.demoSampleSize} records per object` : "";
  const runId = await withConflictRetry(() =>
    database.$transaction(async (tx) => {
      // One active run per migration: runs share the record map. The migration's row lock makes
      // two starts at once take turns, so the second sees the first's run.
      await tx.$queryRaw`SELECT "id" FROM "Migration" WHERE "id" = ${migrationId} FOR UPDATE`;
      const active = await tx.run.findFirst({ where: { migrationId, status: { in: ACTIVE_STATUSES } }, select: { id: true, status: true } });
      if (active)
        throw new UserFacingError(
          `Another run of this migration is ${active.status.replace("_", " ")}. Let it finish, or cancel it, before starting a new one.`,
        );
      const run = await tx.run.create({
        data: {
          migrationId,
          mode,
          sampleSize: mode === "demo" ? (sampleSize ?? plan.demoSampleSize) : null,
          since,
          objects: { createMany: { data: objects } },
        },
        select: { id: true },
      });
      await tx.runEvent.create({
        data: eventData(run.id, {
          kind: "created",
          message: `${modeLabel(mode)}${sampleText} queued${since ? ` (changes since ${since.toISOString()})` : ""}.`,
          data: { mode, since: since?.toISOString() ?? null },
        }),
      });
      return run.id;
    }),
  );
  if (resolver) {
    // Totals early for the dashboard; a failure here only means they are counted when the run starts.
    try {
      await prepareTotals(database, await loadRun(database, runId), resolver);
    } catch {
      // Counted by the first slice.
    }
  }
  return { runId };
}

// ---------------------------------------------------------------------------------------------
// Pause, resume, cancel
// ---------------------------------------------------------------------------------------------

/** Takes effect between batches: the batch being written finishes and is saved first. */
export async function pauseRun(database: Database, runId: string): Promise<void> {
  const ok = await transition(
    database,
    runId,
    ["running", "queued"],
    "paused",
    { kind: "paused", message: "Paused on request. The batch being written, if any, is finished and saved first." },
    { pauseReason: "Paused on request.", pauseKind: "user" },
  );
  if (!ok) throw new UserFacingError(`The run is ${await statusOf(database, runId)}; only a queued or running run can be paused.`);
}

export async function resumeRun(database: Database, runId: string): Promise<void> {
  const ok = await transition(
    database,
    runId,
    ["paused"],
    "running",
    { kind: "resumed", message: "Resumed: the run continues where it stopped." },
    { pauseReason: null, pauseKind: null, retryAt: null, transientFailures: 0, outageSince: null, error: null },
  );
  if (!ok) throw new UserFacingError(`The run is ${await statusOf(database, runId)}; only a paused run can be resumed.`);
}

// ---------------------------------------------------------------------------------------------
// Outages: a run paused because a system stopped answering resumes by itself
// ---------------------------------------------------------------------------------------------

/** Runs paused for an outage whose next probe is due; runners call probeOutage for each. */
export async function runsAwaitingProbe(database: Database, now: Date = new Date()): Promise<{ runId: string; targetConnectionId: string | null }[]> {
  const runs = await withConflictRetry(() =>
    database.run.findMany({
      where: { status: "paused", pauseKind: "outage", OR: [{ retryAt: null }, { retryAt: { lte: now } }] },
      select: { id: true, migration: { select: { targetConnectionId: true } } },
      orderBy: { retryAt: "asc" },
      take: 50,
    }),
  );
  return runs.map((run) => ({ runId: run.id, targetConnectionId: run.migration.targetConnectionId }));
}

export type ProbeResult = "resumed" | "still_down" | "not_waiting";

/**
 * Asks both systems of a run paused for an outage whether they answer (the connectors' verify, a
 * request or two each). Both answer → the run resumes where it stopped; otherwise the next probe
 * is scheduled OUTAGE_PROBE_MS later (credentials refused meanwhile turn it into a credentials pause).
 */
export async function probeOutage(
  database: Database,
  runId: string,
  options: { resolveSession?: SessionResolver; now?: () => Date } = {},
): Promise<ProbeResult> {
  const now = options.now ?? (() => new Date());
  const run = await loadRun(database, runId);
  if (run.status !== "paused" || run.pauseKind !== "outage") return "not_waiting";
  const resolve = options.resolveSession ?? defaultSessionResolver(database);
  const { migration } = run;
  const sides = [
    { connectionId: migration.targetConnectionId, name: systemInfo(migration.targetConnection.systemId).name },
    { connectionId: migration.sourceConnectionId, name: systemInfo(migration.sourceConnection.systemId).name },
  ];
  for (const side of sides) {
    try {
      // Fresh sessions, not the run's cached ones: the probe must reach the system.
      await (await resolve(side.connectionId, migration.organizationId)).verify();
    } catch (error) {
      const action = stepErrorAction(error, 0, side.name);
      if (action.kind === "pause") {
        const moved = await transition(
          database,
          runId,
          ["paused"],
          "paused",
          { kind: "paused", level: "error", message: action.reason, data: { pauseKind: "credentials" } },
          { pauseReason: action.reason, pauseKind: "credentials", retryAt: null },
        );
        return moved ? "still_down" : "not_waiting";
      }
      const since = run.outageSince ?? now();
      const reason = outageReason(side.name, now().getTime() - since.getTime(), describeError(error));
      await withConflictRetry(() =>
        database.run.updateMany({
          where: { id: runId, status: "paused", pauseKind: "outage" },
          data: { retryAt: new Date(now().getTime() + OUTAGE_PROBE_MS), pauseReason: reason },
        }),
      );
      return "still_down";
    }
  }
  const minutes = run.outageSince ? Math.max(1, Math.round((now().getTime() - run.outageSince.getTime()) / 60_000)) : null;
  const resumed = await transition(
    database,
    runId,
    ["paused"],
    "running",
    {
      kind: "resumed",
      message: `${sides[0].name} answers again${minutes ? ` after ${plural(minutes, "minute")}` : ""}: the run resumed on its own where it stopped.`,
    },
    { pauseReason: null, pauseKind: null, retryAt: null, transientFailures: 0, outageSince: null, error: null },
  );
  return resumed ? "resumed" : "not_waiting";
}

/** A queued or paused run stops at once; a running one stops after its current batch. */
export async function cancelRun(database: Database, runId: string): Promise<void> {
  const now = new Date();
  const stopped = await transition(
    database,
    runId,
    ["queued", "paused"],
    "cancelled",
    { kind: "cancelled", message: "Cancelled. Records already written stay in the target; roll the run back to remove them." },
    { finishedAt: now },
  );
  if (stopped) return;
  const asked = await transition(database, runId, ["running"], "cancelling", {
    kind: "cancel_requested",
    message: "Cancelling: the batch being written is finished and saved, then the run stops.",
  });
  if (!asked) {
    const status = await statusOf(database, runId);
    if (status === "cancelling" || status === "cancelled") return;
    throw new UserFacingError(`The run is ${status}; it cannot be cancelled.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Slices
// ---------------------------------------------------------------------------------------------

export type SliceOptions = {
  budgetMs: number;
  maxBatches?: number;
  resolveSession?: SessionResolver;
  now?: () => Date;
  /** Real waits (backoff); tests may shorten them. */
  sleep?: (ms: number) => Promise<void>;
  /** Backoff after transient errors (default: 2 s doubling up to 5 min). */
  retryWait?: RetryWaitPolicy;
  /** Records per source page, i.e. per batch (default: the target's batch size, 20 to 100). */
  pageSize?: number;
};

export type SliceResult = {
  status: RunStatus;
  /** True when the runner has nothing more to do for this run (finished, paused, cancelled). */
  done: boolean;
  /** Records processed (created, updated, skipped or failed) in this slice. */
  processed: number;
  /** Set while the run waits after a transient error: no write happens before this instant. */
  retryAt?: Date | null;
};

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function result(status: RunStatus, processed: number, retryAt: Date | null = null): SliceResult {
  return { status, done: !WORKABLE_STATUSES.includes(status), processed, ...(retryAt ? { retryAt } : {}) };
}

/** Does a bounded amount of work on a run and returns. Safe to call from any process holding the run's lease. */
export async function runSlice(database: Database, runId: string, options: SliceOptions): Promise<SliceResult> {
  let outcome: SliceResult | undefined;
  try {
    outcome = await sliceOfWork(database, runId, options);
    return outcome;
  } finally {
    // A run that stopped or hit an error starts its next slice from fresh sessions (and schemas).
    if (!outcome || outcome.done || outcome.retryAt) runSessionCache.forget(runId, options.resolveSession ?? defaultSessionResolver(database));
  }
}

async function sliceOfWork(database: Database, runId: string, options: SliceOptions): Promise<SliceResult> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;
  const remaining = () => options.budgetMs - (Date.now() - started);
  let run = await loadRun(database, runId);

  if (run.status === "rolling_back") {
    const outcome = await rollbackSlice(database, runId, { budgetMs: options.budgetMs, resolveSession: options.resolveSession, now });
    return result(outcome.status, outcome.processed);
  }
  if (run.status === "queued") {
    await transition(database, runId, ["queued"], "running", { kind: "started", message: `${modeLabel(run.mode)} started.` }, { startedAt: now() });
    run = await loadRun(database, runId);
  }
  if (run.status !== "running" && run.status !== "cancelling") return result(run.status, 0);

  // Backoff after a transient error: wait inside the budget, or hand back and be called again.
  if (run.retryAt && run.retryAt.getTime() > now().getTime() && run.status === "running") {
    const wait = run.retryAt.getTime() - now().getTime();
    if (wait > remaining()) {
      await sleep(Math.max(0, remaining()));
      return result(run.status, 0, run.retryAt);
    }
    await sleep(wait);
  }

  const token = await takeSliceToken(database, runId);
  let ctx: RunContext;
  try {
    ctx = await buildContext(database, run, token, await openSessions(database, run, options.resolveSession), now, {
      retryWait: options.retryWait,
      pageSize: options.pageSize,
    });
  } catch (error) {
    return handleStepError(database, run, token, error, now, 0, undefined, options.retryWait);
  }

  let processed = 0;
  let batches = 0;
  const maxBatches = options.maxBatches ?? DEFAULT_MAX_BATCHES;
  try {
    await reconcilePending(ctx);
    if (run.status === "cancelling") return result(await finishCancel(ctx), 0);
    await prepareRun(ctx);
    let scan = await activityScanState(ctx);
    for (;;) {
      if (remaining() <= 0 || batches >= maxBatches) break;
      const status = await statusOf(database, runId);
      if (status === "cancelling") return result(await finishCancel(ctx), processed);
      if (status !== "running") return result(status, processed);
      if (scan && !scan.done) {
        // The stale filter's pre-pass comes before any record is judged (activity-scan.ts).
        const scanned = await scanActivityPage(ctx, scan);
        batches += 1;
        if (scanned.stop) return handleStepError(database, run, token, scanned.stop.error, now, processed, scanned.stop.action, options.retryWait);
        scan = scanned.state;
        continue;
      }
      const object = await database.runObject.findFirst({ where: { runId, done: false, parentObjectType: null }, orderBy: { position: "asc" } });
      if (!object) {
        // Sync cycles: source records that disappeared, one object per step (lib/sync).
        if (await syncDeletionStep(ctx)) {
          batches += 1;
          continue;
        }
        return result(await finishRun(ctx), processed);
      }
      if (!object.startedAt) await startObject(ctx, object.objectType, object.total);
      const page = await processPage(ctx, object);
      processed += page.processed;
      batches += 1;
      if (page.stop) return handleStepError(database, run, token, page.stop.error, now, processed, page.stop.action, options.retryWait);
    }
    return result(await statusOf(database, runId), processed);
  } catch (error) {
    if (error instanceof SliceSupersededError) return result(await statusOf(database, runId), processed);
    return handleStepError(database, run, token, error, now, processed, undefined, options.retryWait);
  }
}

/** Children written inside their parent ("; Notes on Tickets go in as Ticket threads"): not counted apart, so the log names them. */
function insideText(entry: EnginePair): string {
  const inside = Object.values(entry.inlineChildSchemas).map(({ source, target }) =>
    source.label === target.label ? `${source.label} inside` : `${source.label} go in as ${target.label}`,
  );
  return inside.length > 0 ? `; ${inside.join(", ")}` : "";
}

async function startObject(ctx: RunContext, objectType: string, total: number): Promise<void> {
  const entry = ctx.pairFor(objectType);
  const children = entry.children.map((child) => child.child.sourceObject);
  await commit(ctx, {
    run: { phase: "reading", phaseAt: ctx.now() },
    objects: [objectType, ...children].map((key) => ({ objectType: key, data: { startedAt: ctx.now() } })),
    events: [
      {
        kind: "object_started",
        message: `Started ${entry.schemas.source.label} → ${ctx.target.system.name} ${entry.schemas.target.label}: ${plural(total, "record")}${children.length > 0 ? ` with their ${children.join(", ")}` : ""}${insideText(entry)}.`,
        data: { objectType, total },
      },
    ],
  });
}

type RunObjectRow = { objectType: string; cursor: string | null; selection: string | null; total: number };

function pageSizeFor(ctx: RunContext): number {
  if (ctx.pageSize) return ctx.pageSize;
  return Math.max(MIN_PAGE_SIZE, Math.min(MAX_PAGE_SIZE, ctx.target.system.maxBatchSize || MAX_PAGE_SIZE));
}

async function readPage(ctx: RunContext, object: RunObjectRow): Promise<{ records: CanonicalRecord[]; nextCursor: string | null }> {
  const pageSize = pageSizeFor(ctx);
  if (ctx.run.mode === "demo") {
    const selection = parseJsonColumn<CanonicalRecord[]>(object.selection, z.array(z.custom<CanonicalRecord>()), []);
    const offset = Number(object.cursor ?? 0) || 0;
    const end = offset + pageSize;
    return { records: selection.slice(offset, end), nextCursor: end >= selection.length ? null : String(end) };
  }
  // Source API: one page from the saved cursor (the connector's own pagination, resumable).
  const since = ctx.run.mode === "delta" && ctx.run.since ? ctx.run.since.toISOString() : null;
  const generator = ctx.source.session.read(object.objectType, {
    cursor: object.cursor,
    since,
    pageSize,
    children: childKeysToRead(ctx.pairFor(object.objectType).pair),
  });
  try {
    const first = await generator.next();
    if (first.done) return { records: [], nextCursor: null };
    const records = [...first.value.records];
    let nextCursor = first.value.nextCursor;
    // Carry: the next pages join this batch while its largest group would end in a part-filled write.
    const targetBatch = ctx.target.system.maxBatchSize || MAX_PAGE_SIZE;
    for (let pages = 1; nextCursor !== null && pages < MAX_PAGES_PER_BATCH && !groupsFill(records, targetBatch); pages += 1) {
      const more = await generator.next();
      if (more.done) break;
      records.push(...more.value.records);
      nextCursor = more.value.nextCursor;
    }
    return { records, nextCursor };
  } finally {
    await generator.return(undefined);
  }
}

/** Whether the batch's largest group (the records, or one kind of their children) fills FULL_BATCHES_PER_GROUP writes; records without children never wait for more. */
function groupsFill(records: CanonicalRecord[], batchSize: number): boolean {
  const children = new Map<string, number>();
  for (const record of records) for (const [key, list] of Object.entries(record.children ?? {})) children.set(key, (children.get(key) ?? 0) + list.length);
  if (children.size === 0) return true;
  return Math.max(records.length, ...children.values()) >= FULL_BATCHES_PER_GROUP * batchSize;
}

type PageResult = { processed: number; stop: { action: ErrorAction; error: unknown } | null };

/**
 * What each object the source could not count grows by with this page; applied once, with the
 * cursor move, so a retried page does not count twice.
 */
async function estimatedGrowth(
  ctx: RunContext,
  objectType: string,
  entry: EnginePair,
  records: CanonicalRecord[],
): Promise<{ objectType: string; count: number }[]> {
  const estimated = new Set(
    (
      await ctx.database.runObject.findMany({
        where: { runId: ctx.run.id, totalExact: false, objectType: { in: [objectType, ...entry.children.map((child) => child.child.sourceObject)] } },
        select: { objectType: true },
      })
    ).map((row) => row.objectType),
  );
  return [
    { objectType, count: records.length },
    ...entry.children.map((child) => ({
      objectType: child.child.sourceObject,
      count: records.reduce((sum, record) => sum + (record.children?.[child.child.childKey]?.length ?? 0), 0),
    })),
  ].filter((item) => estimated.has(item.objectType) && item.count > 0);
}

/** A group that stopped, or left writes pending, stops the page: the next slice reconciles them first. */
function groupStop(group: GroupResult): PageResult["stop"] {
  if (!group.stop && !group.pendingLeft) return null;
  return group.stop ?? { action: { kind: "retry_later", waitMs: 1_000, cause: "error" }, error: new Error("Writes are still pending") };
}

/** The children's objects finish with their parent; the events carry the final counts. */
async function finishPageObjects(ctx: RunContext, objectType: string, childrenTypes: string[]): Promise<void> {
  const rows = await ctx.database.runObject.findMany({
    where: { runId: ctx.run.id, objectType: { in: [objectType, ...childrenTypes] } },
    orderBy: { position: "asc" },
  });
  await commit(ctx, {
    objects: childrenTypes.map((childType) => ({ objectType: childType, data: { done: true, finishedAt: ctx.now() } })),
    events: rows.map((row) => ({
      kind: "object_finished" as const,
      level: row.failed > 0 ? ("warn" as const) : ("info" as const),
      message: `Finished ${row.objectType}: ${row.processed.toLocaleString("en")} processed, ${countsSentence(row)}.`,
      data: {
        objectType: row.objectType,
        total: row.total,
        processed: row.processed,
        created: row.created,
        updated: row.updated,
        skipped: row.skipped,
        failed: row.failed,
      },
    })),
  });
}

/** One page: parents, then each kind of child, the cursor moving with the last group's results. */
async function processPage(ctx: RunContext, object: RunObjectRow): Promise<PageResult> {
  const entry = ctx.pairFor(object.objectType);
  let page: { records: CanonicalRecord[]; nextCursor: string | null };
  try {
    page = await readPage(ctx, object);
  } catch (error) {
    return { processed: 0, stop: { action: stepErrorAction(error, ctx.run.transientFailures, ctx.source.system.name, ctx.retryWait), error } };
  }
  const done = page.nextCursor === null;
  const grow = await estimatedGrowth(ctx, object.objectType, entry, page.records);
  const advanceFor = (): GroupSpec["advance"] => ({ objectType: object.objectType, cursor: page.nextCursor, done, grow });
  const childrenTypes = entry.children.map((child) => child.child.sourceObject);
  const label = `${entry.schemas.source.label} → ${entry.schemas.target.label}`;

  const parents = await processGroup(ctx, {
    objectType: object.objectType,
    targetObject: entry.pair.targetObject,
    label,
    items: page.records.map((record) => ({ record })),
    entry,
    relatedActivity: await relatedActivityFor(
      ctx,
      object.objectType,
      page.records.map((record) => record.id),
    ),
    advance: entry.children.length === 0 ? advanceFor() : undefined,
  });
  let processed = parents.processed;
  const parentsStop = groupStop(parents);
  if (parentsStop) return { processed, stop: parentsStop };
  for (const [index, child] of entry.children.entries()) {
    const last = index === entry.children.length - 1;
    const items = page.records.flatMap((record) =>
      (record.children?.[child.child.childKey] ?? []).map((item) => ({ record: item, parent: parents.states.get(record.id), parentRecord: record })),
    );
    const group = await processGroup(ctx, {
      objectType: child.child.sourceObject,
      targetObject: child.child.targetObject,
      label: `${child.schemas.source.label} → ${child.schemas.target.label}`,
      items,
      entry,
      child,
      advance: last ? advanceFor() : undefined,
    });
    processed += group.processed;
    const childStop = groupStop(group);
    if (childStop) return { processed, stop: childStop };
  }
  if (done) await finishPageObjects(ctx, object.objectType, childrenTypes);
  return { processed, stop: null };
}

/** Applies the error policy's decision for an error that stopped a step. */
async function handleStepError(
  database: Database,
  run: RunRow,
  token: string,
  error: unknown,
  now: () => Date,
  processed: number,
  decided?: ErrorAction,
  retryWait?: RetryWaitPolicy,
): Promise<SliceResult> {
  const system = systemInfo(run.migration.targetConnection.systemId).name;
  const streak = (await database.run.findUnique({ where: { id: run.id }, select: { transientFailures: true, outageSince: true } })) ?? run;
  const action = decided ?? stepErrorAction(error, streak.transientFailures, system, retryWait);
  const detail = describeError(error);
  if (action.kind === "retry_later") {
    const next = afterRetryLater(action, streak, now(), action.system ?? system, detail);
    if (next.kind === "wait") {
      const { retryAt } = next;
      const message =
        action.cause === "rate_limit"
          ? `${action.system ?? system} asked Ferry to slow down (${detail}). Ferry sends again in ${Math.max(1, Math.round(action.waitMs / 1000))} s; nothing is lost.`
          : `Interrupted by a temporary problem (${detail}). Ferry tries again in ${Math.max(1, Math.round(action.waitMs / 1000))} s; nothing is lost.`;
      await withConflictRetry(() =>
        database.$transaction(async (tx) => {
          const { count } = await tx.run.updateMany({
            where: { id: run.id, sliceToken: token, status: { in: ["running", "cancelling"] } },
            data: { transientFailures: next.transientFailures, outageSince: next.outageSince, retryAt },
          });
          if (count === 1)
            await tx.runEvent.create({
              data: eventData(run.id, { kind: "retry", level: "warn", message, data: { attempt: next.transientFailures, cause: action.cause } }),
            });
        }),
      );
      return result(await statusOf(database, run.id), processed, retryAt);
    }
    await transition(
      database,
      run.id,
      ["running", "cancelling"],
      "paused",
      { kind: "paused", level: next.pauseKind === "outage" ? "warn" : "error", message: next.reason, data: { pauseKind: next.pauseKind } },
      { pauseReason: next.reason, pauseKind: next.pauseKind, retryAt: next.retryAt, transientFailures: next.transientFailures, outageSince: next.outageSince },
    );
    return result(await statusOf(database, run.id), processed);
  }
  if (action.kind === "fail_run") {
    await transition(
      database,
      run.id,
      ["running", "cancelling"],
      "failed",
      { kind: "failed", level: "error", message: `The run failed: ${action.reason}` },
      { error: action.reason, finishedAt: now() },
    );
    if (run.mode !== "demo") await database.migration.updateMany({ where: { id: run.migrationId, status: "running" }, data: { status: "failed" } });
    return result(await statusOf(database, run.id), processed);
  }
  const reason =
    action.kind === "pause" ? action.reason : `Paused after a failed attempt (last: ${detail}). Check that the systems are reachable, then resume the run.`;
  await transition(
    database,
    run.id,
    ["running", "cancelling"],
    "paused",
    { kind: "paused", level: "error", message: reason },
    { pauseReason: reason, pauseKind: "credentials", retryAt: null },
  );
  return result(await statusOf(database, run.id), processed);
}
