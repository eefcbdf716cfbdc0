// A record's display name for people reading the report ("Kwame Johnson", a ticket's subject, an
// email), taken from its canonical fields when the engine writes its link or warning: the report
// then names records without reading the source again.
import type { CanonicalRecord, CanonicalValue } from "@/connectors/types";

/** Fields that name a record, most telling first. */
const NAME_FIELDS = ["name", "fullName", "title", "subject", "displayName", "email", "primaryEmail", "domainName", "domain"];
const MAX_NAME_CHARS = 200;

function textOf(value: CanonicalValue | undefined): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (value && typeof value === "object" && !Array.isArray(value) && "firstName" in value) return `${value.firstName} ${value.lastName}`.trim() || null;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0].trim() || null;
  return null;
}

function ownName(record: Pick<CanonicalRecord, "fields">): string | null {
  for (const key of NAME_FIELDS) {
    const name = textOf(record.fields[key]);
    if (name) return name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS)}…` : name;
  }
  return null;
}

/** The record's name; a nameless child (a ticket message) is named after its parent: "in “Order hasn't arrived”". Null when nothing names it. */
export function recordDisplayName(record: Pick<CanonicalRecord, "fields">, parent?: Pick<CanonicalRecord, "fields">): string | null {
  const own = ownName(record);
  if (own) return own;
  const parentName = parent ? ownName(parent) : null;
  return parentName ? `in “${parentName}”` : null;
}
