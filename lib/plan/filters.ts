// The plan's filters: which source records a run leaves out (dates, tags, stale records).
import type { CanonicalRecord } from "@/connectors/types";
import { isStale, lastActivityMs } from "@/lib/audit/activity";
import { isStringList } from "@/lib/mapping/values";
import { DAY_MS, type PlanFilters } from "./schema";

export type FilterDecision = { pass: true } | { pass: false; reason: string };

function boundaryMs(value: string, end: boolean): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00.000Z` : value);
  return dateOnly && end ? ms + DAY_MS : ms;
}

function tagsOf(record: CanonicalRecord): string[] | null {
  const tags = record.fields.tags;
  return isStringList(tags) ? tags.map((tag) => tag.trim().toLowerCase()) : null;
}

/**
 * Whether a source record of `objectType` is migrated under the plan's filters, and why not.
 * `relatedActivityMs` is the latest activity of records pointing at this one (a customer's
 * tickets and messages, lib/audit/activity.ts): without it a customer with a recent ticket but an
 * old record of their own would count as stale and their tickets would lose their customer. The
 * engine gathers it before the run (lib/migration/activity-scan.ts).
 */
export function recordPassesFilters(
  record: CanonicalRecord,
  objectType: string,
  filters: PlanFilters,
  now: Date,
  relatedActivityMs: number | null = null,
): FilterDecision {
  if (filters.skipStaleYears !== null && filters.staleObjects.includes(objectType)) {
    const lastMs = lastActivityMs(record, relatedActivityMs);
    if (isStale(lastMs, now, filters.skipStaleYears)) {
      return { pass: false, reason: `No activity for over ${filters.skipStaleYears} years (last on ${new Date(lastMs as number).toISOString().slice(0, 10)})` };
    }
  }
  if (filters.appliesTo.length > 0 && !filters.appliesTo.includes(objectType)) return { pass: true };
  const dates: [string | null, "createdAt" | "updatedAt", "from" | "to"][] = [
    [filters.createdFrom, "createdAt", "from"],
    [filters.createdTo, "createdAt", "to"],
    [filters.updatedFrom, "updatedAt", "from"],
    [filters.updatedTo, "updatedAt", "to"],
  ];
  for (const [bound, field, side] of dates) {
    if (bound === null) continue;
    const value = record[field];
    const ms = value === null ? Number.NaN : Date.parse(value);
    const outside = Number.isNaN(ms) || (side === "from" ? ms < boundaryMs(bound, false) : ms >= boundaryMs(bound, true));
    if (outside) return { pass: false, reason: `${field === "createdAt" ? "Created" : "Updated"} ${side === "from" ? "before" : "after"} ${bound}` };
  }
  const tags = tagsOf(record);
  if (tags !== null) {
    const excluded = filters.excludeTags.find((tag) => tags.includes(tag.trim().toLowerCase()));
    if (excluded !== undefined) return { pass: false, reason: `Tagged "${excluded}"` };
    if (filters.tags.length > 0 && !filters.tags.some((tag) => tags.includes(tag.trim().toLowerCase())))
      return { pass: false, reason: `Has none of the tags ${filters.tags.join(", ")}` };
  }
  return { pass: true };
}
