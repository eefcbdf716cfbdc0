// The unique values a Twenty object enforces (reference §2.4, §6.3): person primary email,
// company domain (compared by host), and custom fields flagged isUnique (e.g. ferrySourceId).
// Used to spot duplicates inside a batch, to name the record a rejected batch tripped on, to
// tell an upsert's "updated" from "created", and by findExisting. Which records hold given ids or
// unique values is asked in one place, findHolders.
import type { HttpClient } from "@/connectors/shared/http-client";
import { fetchAllRecords } from "./api";
import type { TwentyObjectPlan } from "./describe";
import { ilikeFilter, inFilter, orFilter } from "./filters";
import { domainHost } from "./mappers/links";
import type { TwentyRecord } from "./raw-schemas";

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

type PlanField = TwentyObjectPlan["fields"][number]["field"];

/** How a field's values are compared and looked up (whether or not Twenty enforces them unique); null for a type that cannot be. */
export function keyOfField(plan: TwentyObjectPlan, field: PlanField): UniqueKey | null {
  if (field.nativeType === "EMAILS")
    return {
      field: field.name,
      label: plan.object.namePlural === "people" ? "email" : `${field.label} email`,
      kind: "email",
      path: `${field.name}.primaryEmail`,
    };
  if (field.nativeType === "LINKS")
    return { field: field.name, label: field.name === "domainName" ? "domain" : field.label, kind: "domain", path: `${field.name}.primaryLinkUrl` };
  if (SCALAR_TYPES.has(field.nativeType)) return { field: field.name, label: field.label, kind: "scalar", path: field.name };
  return null;
}

export function uniqueKeysFor(plan: TwentyObjectPlan): UniqueKey[] {
  const keys: UniqueKey[] = [];
  for (const { field, part } of plan.fields) {
    if (part !== "value" || !field.unique || !field.active || field.name === "id") continue;
    const key = keyOfField(plan, field);
    if (key) keys.push(key);
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

/** The comparable unique values of a payload or record, by key. */
export function uniquesOf(payload: Record<string, unknown>, keys: UniqueKey[]): Map<UniqueKey, string> {
  const values = new Map<UniqueKey, string>();
  for (const key of keys) {
    const value = keyValueOf(key, payload);
    if (value !== null) values.set(key, value);
  }
  return values;
}

/**
 * The records holding any of `ids`, or any of the rows' values of `keys`: one GET with
 * or(id[in]:[…], emails.primaryEmail[in]:[…], …) (§2.2); reads are retried by the client.
 */
/** Values per `in` filter of a look-up: 60 ids and 60 emails keep the URL near 5 kB. */
export const KEYS_PER_FILTER = 60;

export async function findHolders(
  client: HttpClient,
  plural: string,
  ids: string[],
  keys: UniqueKey[],
  rows: Map<UniqueKey, string>[],
): Promise<TwentyRecord[]> {
  const found: TwentyRecord[] = [];
  // A batch of 200 ids and values would make a URL of ~14 kB: look them up 60 at a time.
  for (let start = 0; start < Math.max(ids.length, rows.length); start += KEYS_PER_FILTER) {
    const someIds = ids.slice(start, start + KEYS_PER_FILTER);
    const parts = [someIds.length > 0 ? inFilter("id", someIds) : null];
    const someRows = rows.slice(start, start + KEYS_PER_FILTER);
    for (const key of keys)
      parts.push(
        lookupFilter(
          key,
          someRows.map((row) => row.get(key)).filter((value): value is string => value !== undefined),
        ),
      );
    const filter = orFilter(parts);
    if (filter !== null) found.push(...(await fetchAllRecords(client, plural, filter)));
  }
  return found;
}
