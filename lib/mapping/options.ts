// Matching select values between systems: by the user's value map, then by value, then by a
// normalised value or label ("on-hold" ~ "On hold" ~ "ON_HOLD"), then by synonyms help desks and
// CRMs use for the same state ("waiting" ~ "pending", "normal" ~ "medium", "solved" ~ "resolved").
import type { SelectOption } from "@/connectors/types";

/** "On-hold", "ON_HOLD", "on hold" → "onhold". */
export function optionKey(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

/** Groups of option keys that mean the same thing across systems. Keys as optionKey makes them. */
export const OPTION_SYNONYMS: readonly (readonly string[])[] = [
  ["open", "active", "new", "todo"],
  ["waiting", "waitingoncustomer", "pending", "awaitingreply"],
  ["onhold", "hold", "paused"],
  ["solved", "resolved", "done", "completed"],
  ["closed", "archived"],
  ["inprogress", "working", "started"],
  ["normal", "medium"],
  ["urgent", "critical"],
  ["yes", "true"],
  ["no", "false"],
];

const SYNONYM_OF = new Map<string, number>(OPTION_SYNONYMS.flatMap((group, index) => group.map((key) => [key, index] as const)));

function keysOf(option: SelectOption): string[] {
  return [...new Set([optionKey(option.value), optionKey(option.label)])].filter((key) => key !== "");
}

/**
 * The target option value a source value corresponds to, without the user's value map: exact
 * value, then normalised value/label, then synonyms. `sourceLabel` (the source option's label)
 * is tried too. Null when nothing matches.
 */
export function matchOption(value: string, targetOptions: readonly SelectOption[], sourceLabel?: string): string | null {
  const exact = targetOptions.find((option) => option.value === value);
  if (exact) return exact.value;
  const wanted = [...new Set([optionKey(value), ...(sourceLabel ? [optionKey(sourceLabel)] : [])])].filter((key) => key !== "");
  const byKey = targetOptions.find((option) => keysOf(option).some((key) => wanted.includes(key)));
  if (byKey) return byKey.value;
  const groups = new Set(wanted.map((key) => SYNONYM_OF.get(key)).filter((group): group is number => group !== undefined));
  if (groups.size === 0) return null;
  const bySynonym = targetOptions.find((option) => keysOf(option).some((key) => groups.has(SYNONYM_OF.get(key) ?? -1)));
  return bySynonym ? bySynonym.value : null;
}

/** The label of a value among options, or the value itself. */
export function labelOf(value: string, options: readonly SelectOption[] | undefined): string {
  return options?.find((option) => option.value === value)?.label ?? value;
}
