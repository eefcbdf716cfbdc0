// The unique values a Twenty object enforces (reference §2.4, §6.3): person primary email,
// company domain (compared by host), and custom fields flagged isUnique (e.g. ferrySourceId).
// Used to spot duplicates inside a batch, to name the record a rejected batch tripped on, and
// by findExisting.
import type { TwentyObjectPlan } from "./describe";
import { ilikeFilter, inFilter, orFilter } from "./filters";
import { domainHost } from "./mappers/links";

export type UniqueKey = {
  /** Twenty field name, e.g. "emails". */
  field: string;
  /** Words for messages: "email", "domain", "Ferry source id". */
  label: string;
  kind: "email" | "domain" | "scalar";
  /** Filter path, e.g. "emails.primaryEmail" (§2.2). */
  path: string;
};

const SCALAR_TYPES = new Set(["TEXT", "NUMBER", "NUMERIC", "UUID", "SELECT", "DATE", "DATE_TIME"]);

export function uniqueKeysFor(plan: TwentyObjectPlan): UniqueKey[] {
  const keys: UniqueKey[] = [];
  for (const { field, part } of plan.fields) {
    if (part !== "value" || !field.unique || !field.active || field.name === "id") continue;
    if (field.nativeType === "EMAILS") keys.push({ field: field.name, label: plan.object.namePlural === "people" ? "email" : `${field.label} email`, kind: "email", path: `${field.name}.primaryEmail` });
    else if (field.nativeType === "LINKS") keys.push({ field: field.name, label: field.name === "domainName" ? "domain" : field.label, kind: "domain", path: `${field.name}.primaryLinkUrl` });
    else if (SCALAR_TYPES.has(field.nativeType)) keys.push({ field: field.name, label: field.label, kind: "scalar", path: field.name });
  }
  return keys;
}

/** A raw value (payload or record) → the comparable form of this key, or null when empty. */
export function normalizeKeyValue(key: UniqueKey, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (key.kind === "email") {
    const email = typeof value === "string" ? value : (value as { primaryEmail?: unknown }).primaryEmail;
    return typeof email === "string" && email.trim() !== "" ? email.trim().toLowerCase() : null;
  }
  if (key.kind === "domain") {
    const url = typeof value === "string" ? value : (value as { primaryLinkUrl?: unknown }).primaryLinkUrl;
    return typeof url === "string" && url.trim() !== "" ? domainHost(url) : null;
  }
  if (typeof value === "string") return value.trim() === "" ? null : value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

export function keyValueOf(key: UniqueKey, record: Record<string, unknown>): string | null {
  return normalizeKeyValue(key, record[key.field]);
}

/**
 * A filter finding records that hold any of `values`. Domains are matched loosely with ilike
 * (a workspace may hold "https://www.acme.com" or "acme.com/about" for host "acme.com") and
 * compared exactly by host afterwards.
 */
export function lookupFilter(key: UniqueKey, values: string[]): string | null {
  const unique = [...new Set(values)];
  if (unique.length === 0) return null;
  if (key.kind === "domain") return orFilter(unique.map((host) => ilikeFilter(key.path, `%${host}%`)));
  return inFilter(key.path, unique);
}
