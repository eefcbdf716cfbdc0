// Step 1 of the batch protocol: what to do with each record of a group, from its RecordLink, the
// run's mode, the plan's filters, its parent and whether the user chose to skip it as a repeat.
import type { RunContext } from "./context";
import { recordPassesFilters } from "@/lib/plan";
import { RESOLVABLE_STATUSES, loadLinks, type LinkRow } from "./record-map";
import { repeatMessage, stateOf, type GroupItem, type GroupSpec, type Outcomes, type ParentState } from "./group";

/** What to do with one record of a group. */
export type RecordDecision =
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

export type WriteDecision = Extract<RecordDecision, { kind: "write" }>;

/** A record of plan.skipRepeats, with what became of the record it repeats. */
type Repeat = { sameAs: string; first: LinkRow | undefined; inGroup: boolean };

/** The group sorted by decision: records to write, repeats waiting for their first, and the outcomes already known. */
export type Classified = {
  toWrite: { item: GroupItem; decision: WriteDecision }[];
  afterFirst: { item: GroupItem; sameAs: string }[];
  outcomes: Outcomes;
  /** Records this run finished earlier (or leaves alone): their state for their children, no outcome. */
  states: Map<string, ParentState>;
};

/** Decides what to do with one record, from its link, the run's mode, the filters, its parent, and whether it is a repeat to skip. */
function decide(ctx: RunContext, spec: GroupSpec, item: GroupItem, link: LinkRow | undefined, repeat: Repeat | null): RecordDecision {
  const runId = ctx.run.id;
  const mode = ctx.run.mode;
  if (link && link.runId === runId && link.status !== "pending") {
    if ((link.status === "created" || link.status === "updated") && link.pendingMode === "refresh" && link.targetId)
      return { kind: "write", mode: "update", targetId: link.targetId, refresh: true };
    return { kind: "done", link };
  }
  if (mode === "retry" && link?.status !== "failed") return { kind: "ignore" };
  if (item.parent) {
    const parent = item.parent;
    if (parent.status === "filtered")
      return { kind: "filtered", message: `Its ${spec.entry.pair.sourceObject} record ${parent.sourceId} was left out by the filters` };
    if (parent.targetId === null) {
      if (parent.status === "pending") return { kind: "ignore" };
      const why = `which ${parent.status === "failed" ? "failed" : "was not migrated"}${parent.message ? `: ${parent.message}` : ""}`;
      // A child written as its own record may still hold its other links (a note on the ticket's
      // person): the transform decides, and fails it only when it would be linked to nothing.
      if (spec.child?.child.mode !== "records")
        return {
          kind: "fail",
          code: "BROKEN_RELATION",
          message: `Its ${spec.entry.pair.sourceObject} record ${parent.sourceId} was not migrated${parent.message ? `: ${parent.message}` : ""}`,
        };
      const next = decideWrite(ctx, item, link, repeat);
      return next.kind === "write" ? { ...next, parentMissing: why } : next;
    }
  } else {
    const decision = recordPassesFilters(item.record, spec.objectType, ctx.plan.filters, ctx.now(), spec.relatedActivity?.get(item.record.id) ?? null);
    if (!decision.pass) return { kind: "filtered", message: decision.reason };
  }
  return decideWrite(ctx, item, link, repeat);
}

/** Create, update (delta), skip as a listed repeat, or leave as already migrated: a record that passed the filters. */
function decideWrite(
  ctx: RunContext,
  item: GroupItem,
  link: LinkRow | undefined,
  repeat: Repeat | null,
): Exclude<RecordDecision, { kind: "done" | "ignore" | "filtered" | "fail" }> {
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
  const firsts = await loadLinks(
    ctx.database,
    ctx.run.migrationId,
    spec.objectType,
    listed.map((repeat) => repeat.sameAs),
  );
  return new Map(listed.map((repeat) => [repeat.sourceId, { sameAs: repeat.sameAs, first: firsts.get(repeat.sameAs), inGroup: ids.has(repeat.sameAs) }]));
}

/** Step 1: every record of the group against its link (`links`, by source id). */
export async function classifyGroup(ctx: RunContext, spec: GroupSpec, links: Map<string, LinkRow>): Promise<Classified> {
  const repeats = await repeatsOf(ctx, spec);
  const targetName = ctx.target.system.name;
  const classified: Classified = { toWrite: [], afterFirst: [], outcomes: new Map(), states: new Map() };
  const { outcomes } = classified;
  const seen = new Set<string>();
  for (const item of spec.items) {
    // A record listed twice on one page (sources paginating over changing data) counts once.
    if (seen.has(item.record.id)) continue;
    seen.add(item.record.id);
    const link = links.get(item.record.id);
    const decision = decide(ctx, spec, item, link, repeats.get(item.record.id) ?? null);
    switch (decision.kind) {
      case "repeat":
        outcomes.set(item.record.id, {
          kind: "skipped",
          targetId: decision.targetId,
          code: "DUPLICATE",
          message: repeatMessage(spec, decision.sameAs, decision.targetId, targetName),
        });
        break;
      case "afterFirst":
        classified.afterFirst.push({ item, sameAs: decision.sameAs });
        break;
      case "done":
      case "ignore":
        classified.states.set(item.record.id, stateOf(item, link, null));
        break;
      case "already":
        outcomes.set(item.record.id, { kind: "already" });
        break;
      case "filtered":
        outcomes.set(item.record.id, { kind: "filtered", message: decision.message });
        break;
      case "fail":
        outcomes.set(item.record.id, { kind: "failed", code: decision.code, message: decision.message });
        break;
      case "write":
        classified.toWrite.push({ item, decision });
        break;
    }
  }
  return classified;
}
