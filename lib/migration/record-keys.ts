// What a record is recognised by in the target: the one definition of a record's keys, used by
// the look-up before a create, by the conflict check after one, and by reconciliation after a crash.
import { CONTENT_KEY } from "@/connectors/types";
import type { CanonicalRecord, ObjectTypeDescription } from "@/connectors/types";

/**
 * Whether the target object holds each record's source id, which findExisting matches, in the
 * field its system declares for it (ConnectorManifest.sourceIdField; undefined: the system has none).
 */
export function stampsSourceId(target: ObjectTypeDescription, sourceIdField: string | undefined): boolean {
  return sourceIdField !== undefined && target.fields.some((field) => field.key === sourceIdField);
}

/**
 * Whether the target itself refuses a second record with the same source id (Twenty's
 * ferrySourceId created unique): then every key a create is recognised by (its unique values and
 * its source id) is one the target enforces, and a refused create says what a look-up would have.
 */
export function refusesRepeatedSourceIds(target: ObjectTypeDescription, sourceIdField: string | undefined): boolean {
  return sourceIdField !== undefined && target.fields.some((field) => field.key === sourceIdField && field.unique);
}

/** Whether the target object refuses a second record with the same value somewhere (email, domain…). */
export function hasUniqueFields(target: ObjectTypeDescription): boolean {
  return target.fields.some((field) => field.unique && !field.readOnly);
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
 * its required text values, web addresses and creation time, the best natural key it has; or,
 * where the target declares it (matchedByContent), the whole record as written.
 */
export function reconcileKeysOf(
  record: CanonicalRecord,
  target: ObjectTypeDescription,
  unique: Record<string, string>,
  sourceIdField: string | undefined,
): Record<string, string> {
  if (Object.keys(unique).length > 0 || stampsSourceId(target, sourceIdField)) return unique;
  if (target.matchedByContent) return { [CONTENT_KEY]: JSON.stringify({ createdAt: record.createdAt, fields: record.fields }) };
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

/** The keys a look-up matched on, for a message: `the same email "a@b.c" or the same source id`. */
export function describeKeys(keys: Record<string, string>, bySourceId: boolean): string {
  const values = Object.entries(keys)
    .filter(([key]) => key !== "createdAt")
    .map(([key, value]) => `${key} "${value}"`);
  if (bySourceId) values.push("source id");
  return values.length > 0 ? `the same ${values.join(" or the same ")}` : "the same values";
}

/** The unique values a create was refused for, for a message: `email "a@b.c", domain "b.c"`. */
export function listKeys(keys: Record<string, string>): string {
  return (
    Object.entries(keys)
      .map(([key, value]) => `${key} "${value}"`)
      .join(", ") || "the same source id"
  );
}
