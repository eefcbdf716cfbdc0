// One batch: a page of source records (and their children) through the record map, the
// transform and the target's write, exactly once.
//
// The protocol, per group of records (a page's parents, then their children), one function each:
//  1. classify each record against its RecordLink (done in this run, already migrated, filtered,
//     to create, to update) — classify.ts;
//  2. transform; records with problems fail as data — prepare.ts;
//  3. look every create up in the target first — its unique values, its source id where the
//     target stamps one (Twenty's ferrySourceId), else its natural key — for the duplicate policy,
//     and so a crash can never mistake a record that existed before for one Ferry created — existing.ts;
//  4. mark the records to write `pending` and COMMIT (nothing else in that transaction but its
//     "writing" event) — pending is durable before anything leaves — markPending;
//  5. write — writeGroup; 6. save results, counters, the cursor move and the event in ONE
//     transaction — commitResults.
// A crash anywhere leaves either nothing pending (page done or not started) or pending links,
// which reconcile.ts settles with findExisting before anything is written again.
import type { WriteRequest, WriteResult } from "@/connectors/types";
import { ConnectorError } from "@/connectors/types";
import { classifyGroup, type Classified } from "./classify";
import { commit, type Counts, type LinkWrite } from "./commit";
import type { RunContext } from "./context";
import { recordErrorAction, stepErrorAction } from "./error-policy";
import { countsSentence, plural, type RunEventInput } from "./events";
import { lookUpCreates, resolveConflicts } from "./existing";
import {
  countOutcome,
  refreshedOf,
  repeatMessage,
  stateOf,
  type BatchStop,
  type GroupResult,
  type GroupSpec,
  type Outcome,
  type Outcomes,
  type ParentState,
  type PreparedRecord,
} from "./group";
import { prepareGroup } from "./prepare";
import { finalLinkWrite, loadLinks, pendingLinkWrite, type LinkRow, type LinkScope } from "./record-map";
import { recordDisplayName } from "./record-name";
import { countWarnings, warningRows, type WarningRow } from "./warnings";
import { holdConflicts, versionsOfWritten } from "@/lib/sync/run-hooks";

const scopeOf = (ctx: RunContext, spec: GroupSpec): LinkScope => ({
  migrationId: ctx.run.migrationId,
  runId: ctx.run.id,
  objectType: spec.objectType,
  targetObject: spec.targetObject,
});

/** Step 4: the records about to be written go `pending`, committed before the write leaves. */
async function markPending(ctx: RunContext, spec: GroupSpec, sending: PreparedRecord[]): Promise<void> {
  if (sending.length === 0) return;
  const scope = scopeOf(ctx, spec);
  const pendingWrites: LinkWrite[] = sending.map((entry) => {
    const { write, link } = pendingLinkWrite(scope, entry);
    entry.link = link;
    return write;
  });
  await commit(ctx, {
    links: pendingWrites,
    events: [
      {
        kind: "batch_writing",
        message: `Writing ${plural(sending.length, "record")} of ${spec.label} to ${ctx.target.system.name}.`,
        data: { objectType: spec.objectType, count: sending.length },
      },
    ],
    run: { phase: "writing", phaseAt: ctx.now() },
  });
}

/** What one write result makes of its record; `stop` (lazily: the first one counts) when the batch must stop, `conflict` when a create was refused as a duplicate. */
type ResultReading = { outcome: Outcome; stop?: () => BatchStop; conflict?: boolean };

function readResult(ctx: RunContext, entry: PreparedRecord, result: WriteResult | undefined, mode: "create" | "update"): ResultReading {
  const targetName = ctx.target.system.name;
  const stopFor = (error: ConnectorError, recorded: unknown) => () => ({
    action: stepErrorAction(error, ctx.run.transientFailures, targetName, ctx.retryWait),
    error: recorded,
  });
  const id = entry.item.record.id;
  if (!result) return { outcome: { kind: "pending" }, stop: stopFor(new ConnectorError("TEMPORARY", `${targetName} gave no result for record ${id}`), null) };
  if (result.status !== "failed") {
    if (result.unfinished) {
      // Never a failure: the record stays, the page is read again and its write finished then.
      const status = entry.refresh ? (refreshedOf(entry.link).status === "updated" ? "updated" : "created") : result.status;
      const { code, message, retryAfterMs } = result.unfinished;
      return {
        outcome: { kind: "unfinished", status, targetId: result.targetId, expected: entry.expected, counted: !entry.refresh, warnings: entry.warnings },
        stop: stopFor(new ConnectorError(code, message, { retryAfterMs }), new ConnectorError(code, message)),
      };
    }
    if (entry.refresh) return { outcome: { ...refreshedOf(entry.link), warnings: entry.warnings } };
    return { outcome: { kind: result.status, targetId: result.targetId, expected: entry.expected, warnings: entry.warnings } };
  }
  const { code, message } = result.error;
  const action = recordErrorAction(code);
  if (action.kind === "retry_later" || action.kind === "pause") {
    const error = new ConnectorError(code, message);
    return { outcome: { kind: "pending" }, stop: action.kind === "pause" ? () => ({ action, error }) : stopFor(new ConnectorError(code, message), error) };
  }
  // The record exists (found after a crash); only rewriting its content failed.
  if (entry.refresh) return { outcome: refreshedOf(entry.link) };
  // Refused as a duplicate: maybe of itself (an earlier attempt landed; Twenty's ferrySourceId is unique too).
  if (code === "CONFLICT" && mode === "create") return { outcome: { kind: "failed", code, message }, conflict: true };
  if (code === "NOT_FOUND" && mode === "update") {
    return {
      outcome: {
        kind: "failed",
        code: "NOT_FOUND",
        message: `The linked ${targetName} record ${entry.targetId} no longer exists (deleted in ${targetName}?); a retry run creates it again`,
      },
    };
  }
  return { outcome: { kind: "failed", code, message } };
}

/** One call of the target's write for the records of one mode; their outcomes go to `outcomes`, refused creates to `conflicts`. */
async function writeBatch(
  ctx: RunContext,
  spec: GroupSpec,
  batch: PreparedRecord[],
  mode: "create" | "update",
  outcomes: Outcomes,
  conflicts: PreparedRecord[],
): Promise<BatchStop | null> {
  const requests: WriteRequest[] = batch.map((entry) => ({
    sourceId: entry.item.record.id,
    record: entry.record,
    ...(entry.targetId ? { targetId: entry.targetId } : {}),
  }));
  let results: WriteResult[];
  try {
    results = await ctx.target.session.write(spec.targetObject, requests, mode);
  } catch (error) {
    // The whole call failed: its records stay pending; reconciliation decides later.
    for (const entry of batch) outcomes.set(entry.item.record.id, { kind: "pending" });
    return { action: stepErrorAction(error, ctx.run.transientFailures, ctx.target.system.name, ctx.retryWait), error };
  }
  const bySource = new Map(results.map((result) => [result.sourceId, result]));
  let stop: BatchStop | null = null;
  for (const entry of batch) {
    const reading = readResult(ctx, entry, bySource.get(entry.item.record.id), mode);
    outcomes.set(entry.item.record.id, reading.outcome);
    if (reading.stop) stop ??= reading.stop();
    if (reading.conflict) conflicts.push(entry);
  }
  return stop;
}

/** Step 5: creates, then updates (an update of the same record twice is harmless); then the creates refused as duplicates. */
async function writeGroup(ctx: RunContext, spec: GroupSpec, sending: PreparedRecord[], outcomes: Outcomes): Promise<BatchStop | null> {
  let stop: BatchStop | null = null;
  const conflicts: PreparedRecord[] = [];
  for (const mode of ["create", "update"] as const) {
    const batch = sending.filter((entry) => entry.mode === mode);
    if (batch.length === 0 || stop) continue;
    stop = await writeBatch(ctx, spec, batch, mode, outcomes, conflicts);
  }
  // Records marked pending whose write never started (an earlier call of this batch stopped it).
  for (const entry of sending) if (!outcomes.has(entry.item.record.id)) outcomes.set(entry.item.record.id, { kind: "pending" });
  // A unique value refused on create: ours from an earlier attempt, or a duplicate inside the source.
  if (conflicts.length > 0 && !stop) {
    try {
      await resolveConflicts(ctx, spec, conflicts, outcomes);
    } catch (error) {
      stop = { action: stepErrorAction(error, ctx.run.transientFailures, ctx.target.system.name, ctx.retryWait), error };
      for (const entry of conflicts) outcomes.set(entry.item.record.id, { kind: "pending" });
    }
  }
  return stop;
}

/** Repeats of a record written in this group follow it; if it did not land, the next slice writes them. */
function settleRepeats(ctx: RunContext, spec: GroupSpec, afterFirst: Classified["afterFirst"], outcomes: Outcomes): void {
  for (const { item, sameAs } of afterFirst) {
    const first = outcomes.get(sameAs);
    const targetId = first && (first.kind === "created" || first.kind === "updated" || first.kind === "skipped") ? first.targetId : null;
    outcomes.set(
      item.record.id,
      targetId ? { kind: "skipped", targetId, code: "DUPLICATE", message: repeatMessage(spec, sameAs, targetId, ctx.target.system.name) } : { kind: "pending" },
    );
  }
}

type Settled = {
  links: Map<string, LinkRow>;
  sending: PreparedRecord[];
  outcomes: Outcomes;
  states: Map<string, ParentState>;
  stop: BatchStop | null;
  /** Sync mode: the target's updatedAt of each record written, by source id (lib/sync). */
  versions: Map<string, string>;
};

/** The final link writes, counters, warnings and failures of the group's records (and their states, for their children). */
function resultsOf(ctx: RunContext, spec: GroupSpec, settled: Settled) {
  const { outcomes, states } = settled;
  const scope = scopeOf(ctx, spec);
  const results = {
    writes: [] as LinkWrite[],
    counts: new Map<string, Counts>(),
    failures: [] as { sourceId: string; code: string; message: string }[],
    warned: [] as WarningRow[],
    rewarned: [] as string[],
  };
  for (const item of spec.items) {
    const outcome = outcomes.get(item.record.id);
    if (!outcome || states.has(item.record.id)) continue;
    const link = settled.links.get(item.record.id) ?? settled.sending.find((entry) => entry.item.record.id === item.record.id)?.link;
    const write = finalLinkWrite(scope, item, link, outcome);
    const version = settled.versions.get(item.record.id);
    if (write && version && write.op !== "delete") write.data.targetVersion = version;
    if (write) results.writes.push(write);
    countOutcome(results.counts, spec.objectType, outcome);
    if (outcome.kind === "failed") results.failures.push({ sourceId: item.record.id, code: outcome.code, message: outcome.message });
    if ((outcome.kind === "created" || outcome.kind === "updated" || outcome.kind === "unfinished" || outcome.kind === "refreshed") && outcome.warnings) {
      // A record written before (refreshed, or unfinished once more): the commit takes its earlier
      // warnings out of the counters and rows, and these take their place.
      if (outcome.kind === "refreshed" || (outcome.kind === "unfinished" && !outcome.counted)) results.rewarned.push(item.record.id);
      countWarnings(results.counts, spec.objectType, outcome.warnings);
      results.warned.push(...warningRows(ctx.run.id, spec.objectType, item.record.id, recordDisplayName(item.record, item.parentRecord), outcome.warnings));
    }
    states.set(item.record.id, stateOf(item, link, outcome));
  }
  return results;
}

/** Step 6: results, counters, cursor and event in one transaction. */
async function commitResults(ctx: RunContext, spec: GroupSpec, settled: Settled): Promise<GroupResult> {
  const { writes, counts, failures, warned, rewarned } = resultsOf(ctx, spec, settled);
  const outcomes = [...settled.outcomes.values()];
  const pendingLeft = outcomes.some((outcome) => outcome.kind === "pending");
  // Only records the target took for the first time end a streak of retries: a note written again
  // and still unfinished (its links refused once more) must not keep a failing run from pausing.
  const progressed = outcomes.some((outcome) => outcome.kind === "created" || outcome.kind === "updated" || (outcome.kind === "unfinished" && outcome.counted));
  const objectCounts = counts.get(spec.objectType);
  const events: RunEventInput[] = [];
  if (objectCounts && objectCounts.processed > 0) {
    events.push({
      kind: "batch",
      level: objectCounts.failed > 0 ? "warn" : "info",
      message: `${spec.label}: ${countsSentence(objectCounts)}.`,
      data: { objectType: spec.objectType, ...objectCounts, failures: failures.slice(0, 5) },
    });
  }
  const advance = spec.advance && !pendingLeft && !settled.stop ? spec.advance : null;
  if (writes.length > 0 || events.length > 0 || advance) {
    await commit(ctx, {
      links: writes,
      warnings: { replace: rewarned.length > 0 ? { objectType: spec.objectType, sourceIds: rewarned } : null, rows: warned },
      counts,
      events,
      objects: advance
        ? [
            { objectType: advance.objectType, data: { cursor: advance.cursor, ...(advance.done ? { done: true, finishedAt: ctx.now() } : {}) } },
            ...(advance.grow ?? []).map((item) => ({ objectType: item.objectType, data: { total: { increment: item.count } } })),
          ]
        : [],
      run: {
        // The page is saved: what comes next is reading the next one.
        ...(advance ? { phase: "reading", phaseAt: ctx.now() } : {}),
        // The target took records: the streak of outage retries starts from zero again.
        ...(progressed ? { transientFailures: 0, outageSince: null } : {}),
        ...(advance?.grow?.length ? { totalRecords: { increment: advance.grow.reduce((sum, item) => sum + item.count, 0) } } : {}),
      },
    });
  }
  return { states: settled.states, processed: objectCounts?.processed ?? 0, stop: settled.stop, pendingLeft };
}

/**
 * Runs one group of records through the protocol. Never throws for a record's problem; throws
 * (or returns a stop) for errors of a whole step, which the caller hands to the error policy.
 */
export async function processGroup(ctx: RunContext, spec: GroupSpec): Promise<GroupResult> {
  // Target requests before this group (describe, counts, a reconcile) are no record's cost: the ETA prices objects by theirs.
  ctx.target.traffic.takeForObjects();
  const links = await loadLinks(
    ctx.database,
    ctx.run.migrationId,
    spec.objectType,
    spec.items.map((item) => item.record.id),
  );
  const classified = await classifyGroup(ctx, spec, links);
  const { afterFirst, outcomes, states } = classified;
  const toWrite = await holdConflicts(ctx, spec, classified.toWrite, links, outcomes);
  const prepared = await prepareGroup(ctx, spec, toWrite, links, outcomes);
  await lookUpCreates(ctx, spec, prepared, outcomes);
  const sending = prepared.filter((entry) => !outcomes.has(entry.item.record.id));
  await markPending(ctx, spec, sending);
  const stop = await writeGroup(ctx, spec, sending, outcomes);
  settleRepeats(ctx, spec, afterFirst, outcomes);
  const versions = await versionsOfWritten(ctx, spec, outcomes);
  return commitResults(ctx, spec, { links, sending, outcomes, states, stop, versions });
}
