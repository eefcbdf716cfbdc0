// Record warnings: a record written with a repaired value, or without a value (or link) the
// target could not hold. Stored as RecordWarning rows in the same commit as the record's final
// link state; RunObject/Run count the records per action (one record counts once per action).
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Counts } from "./commit";
import { zeroCounts } from "./commit";
import type { RecordWarning, WarningAction } from "./transform";

export type WarningRow = Prisma.RecordWarningCreateManyInput;

/** The counter each action moves, on RunObject and (with a "Records" suffix) on Run. */
export const WARNING_COUNTERS: Record<WarningAction, "repaired" | "valueDropped"> = { repaired: "repaired", dropped: "valueDropped" };

/** Longest original value kept in a warning; longer ones end with "…" (a whole email body adds nothing). */
const MAX_ORIGINAL_CHARS = 2_000;

export function warningRows(runId: string, objectType: string, sourceId: string, sourceName: string | null, warnings: RecordWarning[]): WarningRow[] {
  return warnings.map((warning) => ({
    runId,
    objectType,
    sourceId,
    sourceName,
    field: warning.field,
    action: warning.action,
    original: warning.original.length > MAX_ORIGINAL_CHARS ? `${warning.original.slice(0, MAX_ORIGINAL_CHARS)}…` : warning.original,
    message: warning.message,
  }));
}

/** The actions a record's warnings carry, each once. */
export function actionsOf(warnings: { action: string }[]): WarningAction[] {
  return (Object.keys(WARNING_COUNTERS) as WarningAction[]).filter((action) => warnings.some((warning) => warning.action === action));
}

/** Adds one record's warnings to the batch's counters (no change to processed: the outcome counted it). */
export function countWarnings(counts: Map<string, Counts>, objectType: string, warnings: RecordWarning[], sign: 1 | -1 = 1): void {
  if (warnings.length === 0) return;
  const entry = counts.get(objectType) ?? zeroCounts();
  for (const action of actionsOf(warnings)) entry[WARNING_COUNTERS[action]] += sign;
  counts.set(objectType, entry);
}
