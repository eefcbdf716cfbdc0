// FULL_NAME composite (reference §3.3): { firstName, lastName } ↔ canonical FullName.
import type { FullName } from "@/connectors/types";

export type TwentyFullName = { firstName: string; lastName: string };

export function fullNameFromTwenty(value: unknown): FullName | null {
  if (value === null || typeof value !== "object") return null;
  const raw = value as { firstName?: unknown; lastName?: unknown };
  const firstName = typeof raw.firstName === "string" ? raw.firstName : "";
  const lastName = typeof raw.lastName === "string" ? raw.lastName : "";
  if (firstName === "" && lastName === "") return null;
  return { firstName, lastName };
}

/**
 * A FullName, or a display name split at its first space ("Jean Paul Sartre" → "Jean" +
 * "Paul Sartre"): sources that keep one name string rarely know where the family name starts,
 * and the first token is the safest guess for a given name.
 */
export function fullNameToTwenty(value: FullName | string): TwentyFullName {
  if (typeof value !== "string") return { firstName: value.firstName.trim(), lastName: value.lastName.trim() };
  const trimmed = value.trim().replace(/\s+/g, " ");
  const space = trimmed.indexOf(" ");
  if (space === -1) return { firstName: trimmed, lastName: "" };
  return { firstName: trimmed.slice(0, space), lastName: trimmed.slice(space + 1) };
}
