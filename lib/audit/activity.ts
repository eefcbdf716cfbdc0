// When a record was last active, counting the records that point at it: a customer whose own
// record is old but who wrote a ticket last week is not stale. One definition for the audit's
// "stale records" finding and the engine's stale filter (lib/migration/activity-scan.ts), so the
// run leaves out exactly the records the audit counted.
import type { CanonicalRecord } from "@/connectors/types";
import { isRelationRef } from "@/lib/mapping/values";

const YEAR_MS = 365.25 * 24 * 60 * 60 * 1_000;

const PEOPLE_OBJECTS = new Set(["customer", "customers", "person", "people", "persons", "contact", "contacts", "client", "clients", "lead", "leads"]);

export function isPeopleLike(objectType: string): boolean {
  return PEOPLE_OBJECTS.has(objectType.toLowerCase());
}

/** A record's own last activity in ms (its update, else its creation); null when it has no readable date. */
export function ownActivityMs(record: Pick<CanonicalRecord, "createdAt" | "updatedAt">): number | null {
  const date = record.updatedAt ?? record.createdAt;
  const ms = date === null ? Number.NaN : Date.parse(date);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Calls `note` for every reference of `record`, and of its children (a ticket's messages), to a
 * record of a `tracked` object type, with the referring record's own activity.
 */
export function forEachRelatedActivity(
  record: CanonicalRecord,
  tracked: ReadonlySet<string>,
  note: (objectType: string, id: string, ms: number) => void,
): void {
  const ms = ownActivityMs(record);
  if (ms !== null) {
    for (const value of Object.values(record.fields)) {
      const refs = isRelationRef(value) ? [value] : Array.isArray(value) ? value.filter(isRelationRef) : [];
      for (const ref of refs) if (tracked.has(ref.objectType)) note(ref.objectType, ref.id, ms);
    }
  }
  for (const children of Object.values(record.children ?? {})) for (const child of children) forEachRelatedActivity(child, tracked, note);
}

/**
 * The object types whose records count as activity of `tracked` records: every other object but
 * people-like ones (one person pointing at another is not activity).
 */
export function activityFeeders(objectTypes: readonly string[], tracked: ReadonlySet<string>): string[] {
  return objectTypes.filter((objectType) => !tracked.has(objectType) && !isPeopleLike(objectType));
}

/** The later of a record's own activity and its related records' activity; null when neither is known. */
export function lastActivityMs(record: Pick<CanonicalRecord, "createdAt" | "updatedAt">, relatedMs: number | null | undefined): number | null {
  const own = ownActivityMs(record);
  const related = relatedMs ?? null;
  if (own === null) return related;
  return related === null ? own : Math.max(own, related);
}

/** Activity before this instant is stale for a filter of `years`. */
export function staleBeforeMs(now: Date, years: number): number {
  return now.getTime() - years * YEAR_MS;
}

/** Whether a record last active at `lastMs` is stale; a record without any readable date is not. */
export function isStale(lastMs: number | null, now: Date, years: number): boolean {
  return lastMs !== null && lastMs < staleBeforeMs(now, years);
}
