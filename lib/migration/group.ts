// A group of records on its way through the batch protocol (batch.ts): what each step hands the
// next, and what became of each record.
import type { CanonicalRecord } from "@/connectors/types";
import { addCount, type Counts } from "./commit";
import type { EngineChild, EnginePair } from "./context";
import type { ErrorAction } from "./error-policy";
import { RESOLVABLE_STATUSES, parsePreviousState, type Expected, type LinkRow } from "./record-map";
import type { RecordWarning } from "./transform";

/** Why a batch stopped before finishing: the error policy's decision and the error. */
export type BatchStop = { action: ErrorAction; error: unknown };

/** What became of a parent, for its children. */
export type ParentState = { sourceId: string; targetId: string | null; status: string; message: string | null };

export type GroupItem = { record: CanonicalRecord; parent?: ParentState; parentRecord?: CanonicalRecord };

export type GroupSpec = {
  /** Source object type of the records (the RecordLink objectType and RunObject). */
  objectType: string;
  targetObject: string;
  label: string;
  items: GroupItem[];
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

/** A record transformed and about to be written (step 2 onwards). */
export type PreparedRecord = {
  item: GroupItem;
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

export type Outcome =
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

/** What became of each record of a group so far, by source id. */
export type Outcomes = Map<string, Outcome>;

export function countOutcome(counts: Map<string, Counts>, objectType: string, outcome: Outcome): void {
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

export function stateOf(item: GroupItem, link: LinkRow | undefined, outcome: Outcome | null): ParentState {
  const sourceId = item.record.id;
  if (outcome === null || outcome.kind === "already" || outcome.kind === "refreshed") {
    return {
      sourceId,
      targetId: link && RESOLVABLE_STATUSES.includes(link.status) ? link.targetId : null,
      status: link?.status ?? "missing",
      message: link?.errorMessage ?? null,
    };
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

/** A refreshed record keeps the status it had before the refresh (the link is `pending` meanwhile, its earlier state in `previous`). */
export function refreshedOf(link: LinkRow | undefined): Extract<Outcome, { kind: "refreshed" }> {
  if (!link) return { kind: "refreshed", status: "created" };
  const status = link.status === "pending" ? (parsePreviousState(link)?.status ?? "created") : link.status;
  return { kind: "refreshed", status };
}

export function repeatMessage(spec: GroupSpec, sameAs: string, targetId: string, targetName: string): string {
  return `Skipped as a repeat of ${spec.entry.pair.sourceObject} record ${sameAs} (audit: keep the first of each); linked to its ${targetName} record ${targetId}`;
}
