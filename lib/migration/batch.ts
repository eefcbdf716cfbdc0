// One batch: a page of source records (and their children) through the record map, the
// transform and the target's write, exactly once.
//
// The protocol, per group of records (a page's parents, then their children):
//  1. classify each record against its RecordLink (done in this run, already migrated, filtered,
//     to create, to update);
//  2. transform; records with problems fail as data;
//  3. look every create up in the target first — its unique values, its source id where the
//     target stamps one (Twenty's ferrySourceId), else its natural key — for the duplicate policy,
//     and so a crash can never mistake a record that existed before for one Ferry created;
//  4. mark the records to write `pending` and COMMIT (nothing else in that transaction but its
//     "writing" event) — pending is durable before anything leaves;
//  5. write; 6. save results, counters, the cursor move and the event in ONE transaction.
// A crash anywhere leaves either nothing pending (page done or not started) or pending links,
// which reconcile.ts settles with findExisting before anything is written again.
import crypto from "node:crypto";
import type { CanonicalRecord, CanonicalValue, ConnectorErrorCode, ExistingKey, ObjectTypeDescription, RelationRef, UserRef, WriteRequest, WriteResult } from "@/connectors/types";
import { ConnectorError } from "@/connectors/types";
import { isEmptyValue, isRelationRef, isUserRef } from "@/lib/mapping/values";
import { addCount, commit, type Counts, type LinkWrite } from "./commit";
import type { EngineChild, EnginePair, RunContext } from "./context";
import { recordErrorAction, stepErrorAction, type ErrorAction } from "./error-policy";
import { countsSentence, plural, type RunEventInput } from "./events";
import { recordPassesFilters } from "./plan";
import { ATTEMPTED, RESOLVABLE_STATUSES, loadLinks, loadRelationLinks, missingReason, parsePreviousState, previousStateOf, refKey, type Expected, type LinkRow, type PendingMode } from "./record-map";
import { planUserResolver, transformChildren, transformRecord, type RecordProblem, type RecordWarning, type Resolver, type TransformedRecord } from "./transform";
import { recordDisplayName } from "./record-name";
import { countWarnings, warningRows, type WarningRow } from "./warnings";

/** Why a batch stopped before finishing: the error policy's decision and the error. */
export type BatchStop = { action: ErrorAction; error: unknown };

/** What became of a parent, for its children. */
export type ParentState = { sourceId: string; targetId: string | null; status: string; message: string | null };

type Item = { record: CanonicalRecord; parent?: ParentState; parentRecord?: CanonicalRecord };

type Plan =
  | { kind: "done"; link: LinkRow }
  | { kind: "ignore" }
  | { kind: "already"; link: LinkRow }
  | { kind: "filtered"; message: string }
  | { kind: "fail"; code: string; message: string }
  | { kind: "write"; mode: "create" | "update"; targetId?: string; refresh: boolean; parentMissing?: string }
  /** A repeat the user chose to skip (plan.skipRepeats): linked to the first record's target record. */
  | { kind: "repeat"; sameAs: string; targetId: string }
  /** A repeat whose first record is in this very group: decided once the first is written. */
  | { kind: "afterFirst"; sameAs: string };

/** A record of plan.skipRepeats, with what became of the record it repeats. */
type Repeat = { sameAs: string; first: LinkRow | undefined; inGroup: boolean };

type Prepared = {
  item: Item;
  link: LinkRow | undefined;
  mode: "create" | "update";
  refresh: boolean;
  targetId?: string;
  record: CanonicalRecord;
  /** The target's unique values: duplicate look-ups and conflicts. */
  keys: Record<string, string>;
  /** What a pending create is found by after a crash. */
  reconcileKeys: Record<string, string>;
  expected: Expected;
  warnings: RecordWarning[];
};

type Outcome =
  | { kind: "created" | "updated"; targetId: string; expected: Expected | null; warnings: RecordWarning[] }
  /** Written but not finished (a Twenty note whose links met a 429): kept, written again as an update later. */
  | { kind: "unfinished"; status: "created" | "updated"; targetId: string; expected: Expected | null; counted: boolean; warnings: RecordWarning[] }
  /** A record found or kept earlier whose content was written once more (or could not be): its status stays. */
  | { kind: "refreshed"; status: string; warnings?: RecordWarning[] }
  | { kind: "skipped"; targetId: string | null; code: string | null; message: string }
  | { kind: "already" }
  | { kind: "filtered"; message: string }
  | { kind: "failed"; code: string; message: string }
  | { kind: "pending" };

export type GroupSpec = {
  /** Source object type of the records (the RecordLink objectType and RunObject). */
  objectType: string;
  targetObject: string;
  label: string;
  items: Item[];
  /** Parent pair (for transforms). */
  entry: EnginePair;
  /** Set when the items are children of `entry`'s records. */
  child?: EngineChild;
  /** Latest activity of records pointing at each item, for the stale filter (activity-scan.ts). */
  relatedActivity?: ReadonlyMap<string, number>;
  /** Applied in the final commit when nothing stays pending: the page's cursor move. */
  advance?: { objectType: string; cursor: string | null; done: boolean; grow?: { objectType: string; count: number }[] };
};

export type GroupResult = { states: Map<string, ParentState>; processed: number; stop: BatchStop | null; pendingLeft: boolean };

const USER_FIELD_TYPES = new Set(["user"]);

function relationRefsIn(value: CanonicalValue | undefined): RelationRef[] {
  if (isRelationRef(value)) return [value];
  if (Array.isArray(value)) return (value as unknown[]).filter(isRelationRef);
  return [];
}

function refsOfRecord(record: CanonicalRecord): RelationRef[] {
  return Object.values(record.fields).flatMap(relationRefsIn);
}

/** The custom field Twenty stamps with the source id (connectors/twenty/writer.ts); any target may offer one. */
export const FERRY_SOURCE_ID_FIELD = "ferrySourceId";

function describeKeys(keys: Record<string, string>, stampsSourceId: boolean): string {
  const values = Object.entries(keys)
    .filter(([key]) => key !== "createdAt")
    .map(([key, value]) => `${key} "${value}"`);
  if (stampsSourceId) values.push("source id");
  return values.length > 0 ? `the same ${values.join(" or the same ")}` : "the same values";
}

/** The target's unique values of a transformed record, the keys findExisting matches on. */
export function uniqueKeysOf(record: CanonicalRecord, target: ObjectTypeDescription): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const field of target.fields) {
    if (!field.unique || field.readOnly) continue;
    const value = record.fields[field.key];
    if (typeof value === "string" && value.trim() !== "") keys[field.key] = value.trim();
    else if (typeof value === "number") keys[field.key] = String(value);
  }
  return keys;
}

/**
 * The keys a pending create is reconciled with after a crash: the unique values, or — for a target
 * object with neither a unique field nor a Ferry source id (Teamwork Desk companies and tickets) —
 * its required text values, web addresses and creation time, the best natural key it has.
 */
export function reconcileKeysOf(record: CanonicalRecord, target: ObjectTypeDescription, unique: Record<string, string>): Record<string, string> {
  if (Object.keys(unique).length > 0 || target.fields.some((field) => field.key === FERRY_SOURCE_ID_FIELD)) return unique;
  const keys: Record<string, string> = {};
  for (const field of target.fields) {
    // Required text (a name, a subject) and web addresses (a company's domain).
    if (field.readOnly || !((field.required && ["text", "email"].includes(field.type)) || field.type === "url")) continue;
    const value = record.fields[field.key];
    if (typeof value === "string" && value.trim() !== "") keys[field.key] = value.trim();
  }
  if (Object.keys(keys).length > 0 && record.createdAt) keys.createdAt = record.createdAt;
  return keys;
}

function expectedOf(record: CanonicalRecord, target: ObjectTypeDescription, unmappedUsers: string[]): Expected {
  const relations: Record<string, string[]> = {};
  const users: Record<string, string> = {};
  const custom: string[] = [];
  const fields = new Map(target.fields.map((field) => [field.key, field]));
  for (const [key, value] of Object.entries(record.fields)) {
    const field = fields.get(key);
    const refs = relationRefsIn(value);
    if (refs.length > 0 && field?.type === "relation") relations[key] = refs.map((ref) => ref.id);
    else if (isUserRef(value) && (!field || USER_FIELD_TYPES.has(field.type))) users[key] = value.id;
    else if (field?.custom && !isEmptyValue(value)) custom.push(key);
  }
  return { relations, users, custom, unmappedUsers };
}

function problemMessage(problems: RecordProblem[], misses: { ref: RelationRef; reason: string }[]): { code: string; message: string } {
  const messages = problems.map((problem) => {
    // The transform names the missing record and why when the resolver could tell it.
    if (problem.code !== "BROKEN_RELATION" || problem.message.includes(", which ")) return problem.message;
    const miss = misses.find((candidate) => problem.message.includes(`${candidate.ref.objectType} ${candidate.ref.id}`)) ?? (misses.length === 1 ? misses[0] : undefined);
    if (!miss) return problem.message;
    const label = problem.message.includes(":") ? problem.message.slice(0, problem.message.indexOf(":")) : problem.field;
    return `${label}: links to ${miss.reason}`;
  });
  const broken = problems.find((problem) => problem.code === "BROKEN_RELATION");
  return { code: (broken ?? problems[0]).code, message: [...new Set(messages)].join("; ") };
}

function linkBase(ctx: RunContext, spec: GroupSpec, item: Item) {
  return {
    migrationId: ctx.run.migrationId,
    objectType: spec.objectType,
    sourceId: item.record.id,
    targetObjectType: spec.targetObject,
    parentSourceId: item.parent?.sourceId ?? null,
    sourceUpdatedAt: item.record.updatedAt ? new Date(item.record.updatedAt) : null,
    sourceName: recordDisplayName(item.record, item.parentRecord),
  };
}

/** A RecordLink write that puts a record in its final state for this run. */
function finalLinkWrite(ctx: RunContext, spec: GroupSpec, item: Item, link: LinkRow | undefined, outcome: Outcome): LinkWrite | null {
  const runId = ctx.run.id;
  const clear = { pendingMode: null, pendingKeys: null, previous: null };
  let data: Record<string, unknown>;
  switch (outcome.kind) {
    case "created":
      data = { status: "created", targetId: outcome.targetId, createdByRunId: runId, errorCode: null, errorMessage: null, expected: outcome.expected ? JSON.stringify(outcome.expected) : null, ...clear };
      break;
    case "updated":
      data = { status: "updated", targetId: outcome.targetId, errorCode: null, errorMessage: null, expected: outcome.expected ? JSON.stringify(outcome.expected) : null, ...clear };
      break;
    case "refreshed":
      // Found by reconciliation (or kept unfinished) and counted then; its content was written once more (or could not be).
      data = { status: outcome.status, ...clear };
      break;
    case "unfinished":
      // Kept as written; "refresh" makes the page's next read write it again as an update.
      data = {
        status: outcome.status,
        targetId: outcome.targetId,
        ...(outcome.status === "created" ? { createdByRunId: runId } : {}),
        errorCode: null,
        errorMessage: null,
        expected: outcome.expected ? JSON.stringify(outcome.expected) : null,
        ...clear,
        pendingMode: "refresh",
      };
      break;
    case "skipped":
      data = { status: "skipped", targetId: outcome.targetId, errorCode: outcome.code, errorMessage: outcome.message, expected: null, ...clear };
      break;
    case "already":
      data = {};
      break;
    case "filtered":
      data = { status: "filtered", errorCode: "FILTERED", errorMessage: outcome.message, ...clear };
      break;
    case "failed":
      data = { status: "failed", errorCode: outcome.code, errorMessage: outcome.message, ...clear };
      break;
    case "pending":
      return null;
  }
  const base = linkBase(ctx, spec, item);
  if (link) return { op: "update", id: link.id, data: { ...data, runId, targetObjectType: base.targetObjectType, parentSourceId: base.parentSourceId, sourceUpdatedAt: base.sourceUpdatedAt, sourceName: base.sourceName } };
  return { op: "create", data: { id: crypto.randomUUID(), ...base, runId, status: "failed", ...data } as never };
}

function countOutcome(counts: Map<string, Counts>, objectType: string, outcome: Outcome): void {
  switch (outcome.kind) {
    case "created":
      return addCount(counts, objectType, "created");
    case "updated":
      return addCount(counts, objectType, "updated");
    case "skipped":
    case "already":
    case "filtered":
      return addCount(counts, objectType, "skipped");
    case "failed":
      return addCount(counts, objectType, "failed");
    case "unfinished":
      return outcome.counted ? addCount(counts, objectType, outcome.status) : undefined;
    default:
      return;
  }
}

function stateOf(item: Item, link: LinkRow | undefined, outcome: Outcome | null): ParentState {
  const sourceId = item.record.id;
  if (outcome === null || outcome.kind === "already" || outcome.kind === "refreshed") {
    return { sourceId, targetId: link && RESOLVABLE_STATUSES.includes(link.status) ? link.targetId : null, status: link?.status ?? "missing", message: link?.errorMessage ?? null };
  }
  switch (outcome.kind) {
    case "created":
    case "updated":
      return { sourceId, targetId: outcome.targetId, status: outcome.kind, message: null };
    case "unfinished":
      return { sourceId, targetId: outcome.targetId, status: outcome.status, message: null };
    case "skipped":
      return { sourceId, targetId: outcome.targetId, status: "skipped", message: outcome.message };
    case "filtered":
      return { sourceId, targetId: null, status: "filtered", message: outcome.message };
    case "failed":
      return { sourceId, targetId: null, status: "failed", message: outcome.message };
    case "pending":
      return { sourceId, targetId: null, status: "pending", message: null };
  }
}

/** Decides what to do with one record, from its link, the run's mode, the filters, its parent, and whether it is a repeat to skip. */
function classify(ctx: RunContext, spec: GroupSpec, item: Item, link: LinkRow | undefined, repeat: Repeat | null): Plan {
  const runId = ctx.run.id;
  const mode = ctx.run.mode;
  if (link && link.runId === runId && link.status !== "pending") {
    if ((link.status === "created" || link.status === "updated") && link.pendingMode === "refresh" && link.targetId) return { kind: "write", mode: "update", targetId: link.targetId, refresh: true };
    return { kind: "done", link };
  }
  if (mode === "retry" && link?.status !== "failed") return { kind: "ignore" };
  if (item.parent) {
    const parent = item.parent;
    if (parent.status === "filtered") return { kind: "filtered", message: `Its ${spec.entry.pair.sourceObject} record ${parent.sourceId} was left out by the filters` };
    if (parent.targetId === null) {
      if (parent.status === "pending") return { kind: "ignore" };
      const why = `which ${parent.status === "failed" ? "failed" : "was not migrated"}${parent.message ? `: ${parent.message}` : ""}`;
      // A child written as its own record may still hold its other links (a note on the ticket's
      // person): the transform decides, and fails it only when it would be linked to nothing.
      if (spec.child?.child.mode !== "records") return { kind: "fail", code: "BROKEN_RELATION", message: `Its ${spec.entry.pair.sourceObject} record ${parent.sourceId} was not migrated${parent.message ? `: ${parent.message}` : ""}` };
      const next = writePlan(ctx, item, link, repeat);
      return next.kind === "write" ? { ...next, parentMissing: why } : next;
    }
  } else {
    const decision = recordPassesFilters(item.record, spec.objectType, ctx.plan.filters, ctx.now(), spec.relatedActivity?.get(item.record.id) ?? null);
    if (!decision.pass) return { kind: "filtered", message: decision.reason };
  }
  return writePlan(ctx, item, link, repeat);
}

/** Create, update (delta), skip as a listed repeat, or leave as already migrated: a record that passed the filters. */
function writePlan(ctx: RunContext, item: Item, link: LinkRow | undefined, repeat: Repeat | null): Exclude<Plan, { kind: "done" | "ignore" | "filtered" | "fail" }> {
  const mode = ctx.run.mode;
  const linked = link && RESOLVABLE_STATUSES.includes(link.status) && link.targetId ? link : undefined;
  if (linked) {
    if (mode !== "delta") return { kind: "already", link: linked };
    if (linked.status === "skipped" && ctx.plan.options.duplicatePolicy !== "update") return { kind: "already", link: linked };
    // Children of a changed parent: only those changed since the last run are written again.
    const since = ctx.run.since?.getTime() ?? 0;
    const changedAt = Date.parse(item.record.updatedAt ?? item.record.createdAt ?? "");
    if (item.parent && !Number.isNaN(changedAt) && changedAt < since) return { kind: "already", link: linked };
    return { kind: "write", mode: "update", targetId: linked.targetId as string, refresh: false };
  }
  if (repeat) {
    // Only ever instead of a create, and only when the first landed: otherwise the repeat is written (nothing lost).
    const first = repeat.first;
    if (first && RESOLVABLE_STATUSES.includes(first.status) && first.targetId) return { kind: "repeat", sameAs: repeat.sameAs, targetId: first.targetId };
    if (!first && repeat.inGroup) return { kind: "afterFirst", sameAs: repeat.sameAs };
  }
  return { kind: "write", mode: "create", refresh: false };
}

/** The group's records listed in plan.skipRepeats, with the links of the records they repeat. */
async function repeatsOf(ctx: RunContext, spec: GroupSpec): Promise<Map<string, Repeat>> {
  if (spec.child || ctx.plan.skipRepeats.length === 0) return new Map();
  const ids = new Set(spec.items.map((item) => item.record.id));
  const listed = ctx.plan.skipRepeats.filter((repeat) => repeat.objectType === spec.objectType && ids.has(repeat.sourceId));
  if (listed.length === 0) return new Map();
  const firsts = await loadLinks(ctx.database, ctx.run.migrationId, spec.objectType, listed.map((repeat) => repeat.sameAs));
  return new Map(listed.map((repeat) => [repeat.sourceId, { sameAs: repeat.sameAs, first: firsts.get(repeat.sameAs), inGroup: ids.has(repeat.sameAs) }]));
}

function repeatMessage(spec: GroupSpec, sameAs: string, targetId: string, targetName: string): string {
  return `Skipped as a repeat of ${spec.entry.pair.sourceObject} record ${sameAs} (audit: keep the first of each); linked to its ${targetName} record ${targetId}`;
}

type TransformOne = (item: Item, resolver: Resolver, parentMissing: string | null) => TransformedRecord;

function transformerFor(ctx: RunContext, spec: GroupSpec): TransformOne {
  const { entry, child } = spec;
  if (!child) return (item, resolver) => transformRecord(entry.pair, item.record, entry.schemas, resolver, ctx.plan, entry.inlineChildSchemas);
  // transformChildren works on a whole parent: hand it the parent with only this child, so each
  // child gets its own resolver (and its own unmapped users and missing links).
  return (item, resolver, parentMissing) => {
    const parent = item.parentRecord as CanonicalRecord;
    const alone: CanonicalRecord = { ...parent, children: { ...parent.children, [child.child.childKey]: [item.record] } };
    const [result] = transformChildren(entry.pair, child.child, alone, item.parent?.targetId ?? null, child.schemas, resolver, ctx.plan, parentMissing);
    return result ?? { record: { ...item.record, fields: {} }, problems: [{ field: child.child.childKey, code: "VALIDATION", message: "The transform returned nothing for this record" }], warnings: [] };
  };
}

/** A refreshed record keeps the status it had before the refresh (the link is `pending` meanwhile, its earlier state in `previous`). */
function refreshedOf(link: LinkRow | undefined): Extract<Outcome, { kind: "refreshed" }> {
  if (!link) return { kind: "refreshed", status: "created" };
  const status = link.status === "pending" ? (parsePreviousState(link)?.status ?? "created") : link.status;
  return { kind: "refreshed", status };
}

function errorOf(result: Extract<WriteResult, { status: "failed" }>): { code: ConnectorErrorCode; message: string } {
  return { code: result.error.code, message: result.error.message };
}

/**
 * Runs one group of records through the protocol. Never throws for a record's problem; throws
 * (or returns a stop) for errors of a whole step, which the caller hands to the error policy.
 */
export async function processGroup(ctx: RunContext, spec: GroupSpec): Promise<GroupResult> {
  const { database, run } = ctx;
  const targetSession = ctx.target.session;
  const targetName = ctx.target.system.name;
  const targetSchema = spec.child ? spec.child.schemas.target : spec.entry.schemas.target;
  const counts = new Map<string, Counts>();
  const outcomes = new Map<string, Outcome>();
  const writes: LinkWrite[] = [];
  let stop: BatchStop | null = null;

  const links = await loadLinks(database, run.migrationId, spec.objectType, spec.items.map((item) => item.record.id));
  const repeats = await repeatsOf(ctx, spec);
  const afterFirst: { item: Item; sameAs: string }[] = [];

  // 1. Classify.
  const toWrite: { item: Item; plan: Extract<Plan, { kind: "write" }> }[] = [];
  const states = new Map<string, ParentState>();
  const seen = new Set<string>();
  for (const item of spec.items) {
    // A record listed twice on one page (sources paginating over changing data) counts once.
    if (seen.has(item.record.id)) continue;
    seen.add(item.record.id);
    const link = links.get(item.record.id);
    const plan = classify(ctx, spec, item, link, repeats.get(item.record.id) ?? null);
    switch (plan.kind) {
      case "repeat":
        outcomes.set(item.record.id, { kind: "skipped", targetId: plan.targetId, code: "DUPLICATE", message: repeatMessage(spec, plan.sameAs, plan.targetId, targetName) });
        break;
      case "afterFirst":
        afterFirst.push({ item, sameAs: plan.sameAs });
        break;
      case "done":
      case "ignore":
        states.set(item.record.id, stateOf(item, link, null));
        break;
      case "already":
        outcomes.set(item.record.id, { kind: "already" });
        break;
      case "filtered":
        outcomes.set(item.record.id, { kind: "filtered", message: plan.message });
        break;
      case "fail":
        outcomes.set(item.record.id, { kind: "failed", code: plan.code, message: plan.message });
        break;
      case "write":
        toWrite.push({ item, plan });
        break;
    }
  }

  // 2. Transform, relations resolved through the record map.
  const refs = toWrite.flatMap(({ item }) => [...refsOfRecord(item.record), ...(item.parentRecord ? refsOfRecord(item.parentRecord) : [])]);
  const relationLinks = refs.length > 0 ? await loadRelationLinks(database, run.migrationId, refs) : new Map<string, LinkRow>();
  const userOf = planUserResolver(ctx.plan);
  const transform = transformerFor(ctx, spec);
  const prepared: Prepared[] = [];
  for (const { item, plan } of toWrite) {
    const misses: { ref: RelationRef; reason: string }[] = [];
    const unmappedUsers: string[] = [];
    const resolver: Resolver = {
      relation(ref) {
        const link = relationLinks.get(refKey(ref.objectType, ref.id));
        if (link && RESOLVABLE_STATUSES.includes(link.status) && link.targetId) return link.targetId;
        misses.push({ ref, reason: missingReason(ref, link, ctx.planned) });
        return null;
      },
      whyMissing(ref) {
        return missingReason(ref, relationLinks.get(refKey(ref.objectType, ref.id)), ctx.planned);
      },
      user(ref: UserRef) {
        const id = userOf(ref);
        if (id === null) unmappedUsers.push(ref.email ?? ref.id);
        return id;
      },
    };
    let result: TransformedRecord;
    try {
      result = transform(item, resolver, plan.parentMissing ?? null);
    } catch (error) {
      outcomes.set(item.record.id, { kind: "failed", code: "UNKNOWN", message: `Ferry could not convert this record: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    if (result.problems.length > 0) {
      const { code, message } = problemMessage(result.problems, misses);
      outcomes.set(item.record.id, plan.refresh ? refreshedOf(links.get(item.record.id)) : { kind: "failed", code, message });
      continue;
    }
    const keys = uniqueKeysOf(result.record, targetSchema);
    prepared.push({
      item,
      link: links.get(item.record.id),
      mode: plan.mode,
      refresh: plan.refresh,
      targetId: plan.targetId,
      record: result.record,
      keys,
      reconcileKeys: reconcileKeysOf(result.record, targetSchema, keys),
      expected: expectedOf(result.record, targetSchema, [...new Set(unmappedUsers)]),
      warnings: result.warnings,
    });
  }

  // 3. Already in the target? Every create the target could recognise is looked up, before pending
  // (see the header): its unique values, and its source id where the target stamps one (a copy
  // from an earlier migration of the same data). Not children of a parent this migration created:
  // a copy of them could only come with a copy of the parent, which its own look-up would have found.
  const stampsSourceId = targetSchema.fields.some((field) => field.key === FERRY_SOURCE_ID_FIELD);
  const fresh = prepared.filter(
    (entry) => entry.mode === "create" && entry.item.parent?.status !== "created" && (stampsSourceId || Object.keys(entry.reconcileKeys).length > 0),
  );
  if (fresh.length > 0) {
    let matches = await targetSession.findExisting(spec.targetObject, fresh.map((entry): ExistingKey => ({ sourceId: entry.item.record.id, keys: entry.reconcileKeys })));
    if (!stampsSourceId && !targetSchema.fields.some((field) => field.unique && !field.readOnly) && matches.length > 0) {
      // Without unique fields the target holds duplicates side by side: a record this migration
      // wrote for another source record is that record's, not an "existing" one (as in one batch).
      const claimed = new Set(
        (await database.recordLink.findMany({ where: { migrationId: run.migrationId, objectType: spec.objectType, targetId: { in: matches.map((match) => match.targetId) } }, select: { targetId: true } })).map((row) => row.targetId),
      );
      matches = matches.filter((match) => !claimed.has(match.targetId));
    }
    const byId = new Map(matches.map((match) => [match.sourceId, match.targetId]));
    const policy = ctx.plan.options.duplicatePolicy;
    for (const entry of fresh) {
      const existing = byId.get(entry.item.record.id);
      if (!existing) continue;
      const what = describeKeys(entry.reconcileKeys, stampsSourceId);
      if (policy === "skip") {
        outcomes.set(entry.item.record.id, { kind: "skipped", targetId: existing, code: "DUPLICATE", message: `A ${targetName} record with ${what} already exists (${existing}); linked to it, not changed` });
      } else if (policy === "update") {
        entry.mode = "update";
        entry.targetId = existing;
      } else {
        outcomes.set(entry.item.record.id, { kind: "failed", code: "CONFLICT", message: `A ${targetName} record with ${what} already exists (${existing})` });
      }
    }
  }
  const sending = prepared.filter((entry) => !outcomes.has(entry.item.record.id));

  // 4. Pending, durable before the write.
  if (sending.length > 0) {
    const pendingWrites: LinkWrite[] = sending.map((entry) => {
      const pendingMode: PendingMode = entry.mode === "create" ? "create" : "update";
      const data = {
        status: "pending",
        runId: run.id,
        pendingMode,
        pendingKeys: JSON.stringify(entry.reconcileKeys),
        previous: previousStateOf(entry.link),
        targetObjectType: spec.targetObject,
        parentSourceId: entry.item.parent?.sourceId ?? null,
      };
      if (entry.link) return { op: "update", id: entry.link.id, data };
      const id = crypto.randomUUID();
      entry.link = { id, objectType: spec.objectType, sourceId: entry.item.record.id, targetId: null, targetObjectType: spec.targetObject, status: "pending", runId: run.id, createdByRunId: null, parentSourceId: data.parentSourceId, errorCode: null, errorMessage: null, pendingMode, pendingKeys: data.pendingKeys, previous: null };
      return { op: "create", data: { id, ...linkBase(ctx, spec, entry.item), ...data } };
    });
    await commit(ctx, {
      links: pendingWrites,
      events: [{ kind: "batch_writing", message: `Writing ${plural(sending.length, "record")} of ${spec.label} to ${targetName}.`, data: { objectType: spec.objectType, count: sending.length } }],
      run: { phase: "writing", phaseAt: ctx.now() },
    });
  }

  // 5. Write: creates, then updates (an update of the same record twice is harmless).
  const byMode = (mode: "create" | "update") => sending.filter((entry) => entry.mode === mode);
  const conflicts: Prepared[] = [];
  for (const mode of ["create", "update"] as const) {
    const batch = byMode(mode);
    if (batch.length === 0 || stop) continue;
    const requests: WriteRequest[] = batch.map((entry) => ({ sourceId: entry.item.record.id, record: entry.record, ...(entry.targetId ? { targetId: entry.targetId } : {}) }));
    let results: WriteResult[];
    try {
      results = await targetSession.write(spec.targetObject, requests, mode);
    } catch (error) {
      // The whole call failed: its records stay pending; reconciliation decides later.
      stop = { action: stepErrorAction(error, run.transientFailures, targetName, ctx.retryWait), error };
      for (const entry of batch) outcomes.set(entry.item.record.id, { kind: "pending" });
      break;
    }
    const bySource = new Map(results.map((result) => [result.sourceId, result]));
    for (const entry of batch) {
      const result = bySource.get(entry.item.record.id);
      const id = entry.item.record.id;
      if (!result) {
        outcomes.set(id, { kind: "pending" });
        stop ??= { action: stepErrorAction(new ConnectorError("TEMPORARY", `${targetName} gave no result for record ${id}`), run.transientFailures, targetName, ctx.retryWait), error: null };
        continue;
      }
      if (result.status !== "failed") {
        if (result.unfinished) {
          // Never a failure: the record stays, the page is read again and its write finished then.
          const status = entry.refresh ? (refreshedOf(entry.link).status === "updated" ? "updated" : "created") : result.status;
          outcomes.set(id, { kind: "unfinished", status, targetId: result.targetId, expected: entry.expected, counted: !entry.refresh, warnings: entry.warnings });
          const { code, message, retryAfterMs } = result.unfinished;
          stop ??= { action: stepErrorAction(new ConnectorError(code, message, { retryAfterMs }), run.transientFailures, targetName, ctx.retryWait), error: new ConnectorError(code, message) };
          continue;
        }
        if (entry.refresh) outcomes.set(id, { ...refreshedOf(entry.link), warnings: entry.warnings });
        else outcomes.set(id, { kind: result.status, targetId: result.targetId, expected: entry.expected, warnings: entry.warnings });
        continue;
      }
      const error = errorOf(result);
      const action = recordErrorAction(error.code);
      if (action.kind === "retry_later" || action.kind === "pause") {
        outcomes.set(id, { kind: "pending" });
        stop ??= { action: action.kind === "pause" ? action : stepErrorAction(new ConnectorError(error.code, error.message), run.transientFailures, targetName, ctx.retryWait), error: new ConnectorError(error.code, error.message) };
        continue;
      }
      if (entry.refresh) {
        // The record exists (found after a crash); only rewriting its content failed.
        outcomes.set(id, refreshedOf(entry.link));
        continue;
      }
      // Refused as a duplicate: maybe of itself (an earlier attempt landed; Twenty's ferrySourceId is unique too).
      if (error.code === "CONFLICT" && mode === "create") {
        conflicts.push(entry);
        outcomes.set(id, { kind: "failed", code: error.code, message: error.message });
        continue;
      }
      if (error.code === "NOT_FOUND" && mode === "update") {
        outcomes.set(id, { kind: "failed", code: "NOT_FOUND", message: `The linked ${targetName} record ${entry.targetId} no longer exists (deleted in ${targetName}?); a retry run creates it again` });
        continue;
      }
      outcomes.set(id, { kind: "failed", code: error.code, message: error.message });
    }
  }

  // Records marked pending whose write never started (an earlier call of this batch stopped it).
  for (const entry of sending) if (!outcomes.has(entry.item.record.id)) outcomes.set(entry.item.record.id, { kind: "pending" });

  // A unique value refused on create: ours from an earlier attempt, or a duplicate inside the source.
  if (conflicts.length > 0 && !stop) {
    try {
      await resolveConflicts(ctx, spec, conflicts, outcomes);
    } catch (error) {
      stop = { action: stepErrorAction(error, run.transientFailures, targetName, ctx.retryWait), error };
      for (const entry of conflicts) outcomes.set(entry.item.record.id, { kind: "pending" });
    }
  }

  // Repeats of a record written in this group follow it; if it did not land, the next slice writes them.
  for (const { item, sameAs } of afterFirst) {
    const first = outcomes.get(sameAs);
    const targetId = first && (first.kind === "created" || first.kind === "updated" || first.kind === "skipped") ? first.targetId : null;
    outcomes.set(item.record.id, targetId ? { kind: "skipped", targetId, code: "DUPLICATE", message: repeatMessage(spec, sameAs, targetId, targetName) } : { kind: "pending" });
  }

  // 6. Results, counters, cursor and event: one transaction.
  const failures: { sourceId: string; code: string; message: string }[] = [];
  const warned: WarningRow[] = [];
  const rewarned: string[] = [];
  for (const item of spec.items) {
    const outcome = outcomes.get(item.record.id);
    if (!outcome || states.has(item.record.id)) continue;
    const link = links.get(item.record.id) ?? sending.find((entry) => entry.item.record.id === item.record.id)?.link;
    const write = finalLinkWrite(ctx, spec, item, link, outcome);
    if (write) writes.push(write);
    countOutcome(counts, spec.objectType, outcome);
    if (outcome.kind === "failed") failures.push({ sourceId: item.record.id, code: outcome.code, message: outcome.message });
    if ((outcome.kind === "created" || outcome.kind === "updated" || outcome.kind === "unfinished" || outcome.kind === "refreshed") && outcome.warnings) {
      // A record written before (refreshed, or unfinished once more): the commit takes its earlier
      // warnings out of the counters and rows, and these take their place.
      if (outcome.kind === "refreshed" || (outcome.kind === "unfinished" && !outcome.counted)) rewarned.push(item.record.id);
      countWarnings(counts, spec.objectType, outcome.warnings);
      warned.push(...warningRows(run.id, spec.objectType, item.record.id, recordDisplayName(item.record, item.parentRecord), outcome.warnings));
    }
    states.set(item.record.id, stateOf(item, link, outcome));
  }
  const pendingLeft = [...outcomes.values()].some((outcome) => outcome.kind === "pending");
  // Only records the target took for the first time end a streak of retries: a note written again
  // and still unfinished (its links refused once more) must not keep a failing run from pausing.
  const progressed = [...outcomes.values()].some((outcome) => outcome.kind === "created" || outcome.kind === "updated" || (outcome.kind === "unfinished" && outcome.counted));
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
  const advance = spec.advance && !pendingLeft && !stop ? spec.advance : null;
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
  return { states, processed: objectCounts?.processed ?? 0, stop, pendingLeft };
}

/**
 * A create refused as a duplicate. The record in the target is: another source record's (a
 * duplicate inside the source) → duplicate policy; this record's own copy from an earlier attempt
 * whose answer was lost (the link remembers the attempt) → created; otherwise one that appeared
 * since the look-up (or another migration's) → linked, never counted as created, so a rollback
 * leaves it alone.
 */
async function resolveConflicts(ctx: RunContext, spec: GroupSpec, conflicts: Prepared[], outcomes: Map<string, Outcome>): Promise<void> {
  const targetName = ctx.target.system.name;
  const matches = await ctx.target.session.findExisting(spec.targetObject, conflicts.map((entry) => ({ sourceId: entry.item.record.id, keys: entry.reconcileKeys })));
  if (matches.length === 0) return;
  const owners = await ctx.database.recordLink.findMany({
    where: { migrationId: ctx.run.migrationId, objectType: spec.objectType, targetId: { in: matches.map((match) => match.targetId) } },
    select: { sourceId: true, targetId: true },
  });
  const ownerOf = new Map(owners.map((owner) => [owner.targetId, owner.sourceId]));
  // Records of this very batch hold their target ids only in memory until the results are saved.
  for (const [sourceId, outcome] of outcomes) if (outcome.kind === "created" || outcome.kind === "updated") ownerOf.set(outcome.targetId, sourceId);
  const policy = ctx.plan.options.duplicatePolicy;
  for (const match of matches) {
    const entry = conflicts.find((candidate) => candidate.item.record.id === match.sourceId);
    if (!entry) continue;
    const owner = ownerOf.get(match.targetId);
    const what = Object.entries(entry.keys).map(([key, value]) => `${key} "${value}"`).join(", ") || "the same source id";
    const attempted = entry.link?.pendingMode === ATTEMPTED;
    if (owner === match.sourceId || (owner === undefined && attempted)) {
      outcomes.set(match.sourceId, { kind: "created", targetId: match.targetId, expected: entry.expected, warnings: entry.warnings });
    } else if (owner !== undefined) {
      outcomes.set(
        match.sourceId,
        policy === "fail"
          ? { kind: "failed", code: "CONFLICT", message: `Same ${what} as ${spec.objectType} record ${owner}, already migrated to ${targetName} (${match.targetId})` }
          : { kind: "skipped", targetId: match.targetId, code: "DUPLICATE", message: `Same ${what} as ${spec.objectType} record ${owner}; linked to its ${targetName} record ${match.targetId}` },
      );
    } else {
      outcomes.set(
        match.sourceId,
        policy === "fail"
          ? { kind: "failed", code: "CONFLICT", message: `A ${targetName} record with ${what} already exists (${match.targetId})` }
          : { kind: "skipped", targetId: match.targetId, code: "DUPLICATE", message: `A ${targetName} record with ${what} already exists (${match.targetId}); linked to it, not changed` },
      );
    }
  }
}
