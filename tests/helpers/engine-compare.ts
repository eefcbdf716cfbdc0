// Compares what two Twenty sandboxes hold, independent of the ids each one assigned: every id is
// replaced by the record's ferrySourceId (or a member's email), volatile columns are dropped.
import type { TwentySandboxState } from "@/connectors/twenty/sandbox";

export const TWENTY_OBJECTS = ["companies", "people", "opportunities", "tasks", "notes", "tickets", "noteTargets", "taskTargets"] as const;
const VOLATILE = new Set(["id", "createdAt", "updatedAt", "deletedAt", "createdBy", "updatedBy", "position"]);

function labels(state: TwentySandboxState): Map<string, string> {
  const map = new Map<string, string>();
  for (const member of state.records("workspaceMembers")) map.set(String(member.id), `member:${String(member.userEmail)}`);
  for (const object of TWENTY_OBJECTS) {
    let records;
    try {
      records = state.records(object);
    } catch {
      continue;
    }
    for (const record of records) if (typeof record.ferrySourceId === "string") map.set(String(record.id), `${object}:${record.ferrySourceId}`);
  }
  return map;
}

function normalize(value: unknown, names: Map<string, string>): unknown {
  if (typeof value === "string") return names.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => normalize(item, names));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !VOLATILE.has(key))
        .map(([key, item]) => [key, normalize(item, names)]),
    );
  return value;
}

/** Per object, the sorted normalized records that are not soft-deleted. */
export function snapshot(state: TwentySandboxState): Record<string, string[]> {
  const names = labels(state);
  const result: Record<string, string[]> = {};
  for (const object of TWENTY_OBJECTS) {
    let records;
    try {
      records = state.records(object);
    } catch {
      continue;
    }
    result[object] = records
      .filter((record) => !record.deletedAt)
      .map((record) => JSON.stringify(normalize(record, names)))
      .sort();
  }
  return result;
}

export function countsOf(state: TwentySandboxState): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot(state)).map(([object, records]) => [object, records.length]));
}

/** Source ids stamped more than once in one object (must be none). */
export function duplicateSourceIds(state: TwentySandboxState): string[] {
  const duplicates: string[] = [];
  for (const object of TWENTY_OBJECTS) {
    let records;
    try {
      records = state.records(object);
    } catch {
      continue;
    }
    const seen = new Set<string>();
    for (const record of records.filter((candidate) => !candidate.deletedAt)) {
      const id = record.ferrySourceId;
      if (typeof id !== "string") continue;
      if (seen.has(id)) duplicates.push(`${object}:${id}`);
      seen.add(id);
    }
  }
  return duplicates;
}
