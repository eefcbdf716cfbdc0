// ConnectorSession.findExisting for Twenty: after a crash Ferry asks which source records
// already exist in the target, by natural keys, so it never creates them twice.
//
// Keys understood (ExistingKey.keys, all given keys must match):
// - "id": a Twenty record id;
// - "email" (or "emails", "primaryEmail"): people's primary email, case-insensitive (§2.5);
// - "domain" (or "domainName", "website"): a company's domain, compared by host without "www.";
// - any other field key describe() lists with a plain value (text, number, select, date,
//   date-time), e.g. { name, createdAt } for opportunities, or a custom "externalId".
// And, whatever the keys: when the object has Ferry's `ferrySourceId` field, a record whose
// ferrySourceId equals ExistingKey.sourceId matches (Ferry stamps it on every write).
// Several candidates: the oldest wins (the one Ferry's first attempt created).
import type { HttpClient } from "@/connectors/shared/http-client";
import type { ExistingKey, ExistingMatch } from "@/connectors/types";
import { fetchAllRecords } from "./api";
import type { TwentyObjectPlan } from "./describe";
import { inFilter, orFilter } from "./filters";
import type { TwentyRecord } from "./raw-schemas";
import { FERRY_SOURCE_ID_FIELD } from "./capabilities";
import { keyOfField, lookupFilter, normalizeKeyValue } from "./unique-keys";
import { hasFerrySourceId } from "./writer";

// One look-up per write batch where the URL allows: up to 200 keys a GET while the encoded
// values stay under ~6 kB (nginx's default request-line buffer is 8 kB); long values (emails
// with source ids) split a batch in two or three GETs instead of 200 ÷ 60 = 4.
const MAX_KEYS_PER_LOOKUP = 200;
const MAX_FILTER_VALUE_CHARS = 6_000;

/** Consecutive slices of `keys` whose values fit one look-up's URL. */
function lookupChunks(keys: ExistingKey[], stamped: boolean): ExistingKey[][] {
  const cost = (existing: ExistingKey) =>
    Object.values(existing.keys).reduce<number>(
      (sum, value) => sum + encodeURIComponent(String(value ?? "")).length + 3,
      stamped ? encodeURIComponent(existing.sourceId).length + 3 : 0,
    );
  const result: ExistingKey[][] = [];
  let current: ExistingKey[] = [];
  let chars = 0;
  for (const existing of keys) {
    const next = cost(existing);
    if (current.length > 0 && (current.length >= MAX_KEYS_PER_LOOKUP || chars + next > MAX_FILTER_VALUE_CHARS)) {
      result.push(current);
      current = [];
      chars = 0;
    }
    current.push(existing);
    chars += next;
  }
  if (current.length > 0) result.push(current);
  return result;
}
const EMAIL_ALIASES = new Set(["email", "emails", "primaryEmail", "emails.primaryEmail"]);
const DOMAIN_ALIASES = new Set(["domain", "domainName", "website", "domainName.primaryLinkUrl"]);
const SCALAR_TYPES = new Set(["TEXT", "NUMBER", "NUMERIC", "UUID", "SELECT", "RATING", "BOOLEAN", "DATE", "DATE_TIME", "POSITION"]);

type Matcher = {
  normalize(value: unknown): string | null;
  read(record: TwentyRecord): unknown;
  filter(values: string[]): string | null;
};

function text(value: unknown): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

function matcherFor(plan: TwentyObjectPlan, key: string): Matcher | null {
  if (key === "id") return { normalize: text, read: (record) => record.id, filter: (values) => inFilter("id", values) };
  const fields = plan.fields.filter((field) => field.part === "value");
  // Emails and domains compare as unique-keys.ts defines them (case, host without "www.").
  const keyed = EMAIL_ALIASES.has(key)
    ? (fields.find((candidate) => candidate.field.nativeType === "EMAILS" && (candidate.key === "emails" || candidate.field.unique)) ??
      fields.find((candidate) => candidate.field.nativeType === "EMAILS"))
    : DOMAIN_ALIASES.has(key)
      ? fields.find((candidate) => candidate.field.nativeType === "LINKS" && candidate.key === "domainName")
      : undefined;
  if (EMAIL_ALIASES.has(key) || DOMAIN_ALIASES.has(key)) {
    const unique = keyed ? keyOfField(plan, keyed.field) : null;
    if (!unique) return null;
    // Domains: loose match, exact host comparison afterwards (see unique-keys.ts).
    return { normalize: (value) => normalizeKeyValue(unique, value), read: (record) => record[unique.field], filter: (values) => lookupFilter(unique, values) };
  }
  const field = fields.find((candidate) => candidate.key === key);
  if (!field || !SCALAR_TYPES.has(field.field.nativeType)) return null;
  const dateTime = field.field.nativeType === "DATE_TIME";
  return {
    normalize: (value) => {
      const plain = text(value);
      if (plain === null || !dateTime) return plain;
      const parsed = Date.parse(plain);
      return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
    },
    read: (record) => record[key],
    filter: (values) => inFilter(key, values),
  };
}

export async function findExistingRecords(client: HttpClient, plan: TwentyObjectPlan, keys: ExistingKey[]): Promise<ExistingMatch[]> {
  const matchers = new Map<string, Matcher | null>();
  const matcher = (name: string) => {
    if (!matchers.has(name)) matchers.set(name, matcherFor(plan, name));
    return matchers.get(name) ?? null;
  };
  const stamped = hasFerrySourceId(plan);
  const ferry: Matcher = { normalize: text, read: (record) => record[FERRY_SOURCE_ID_FIELD], filter: (values) => inFilter(FERRY_SOURCE_ID_FIELD, values) };
  const matches: ExistingMatch[] = [];

  for (const chunk of lookupChunks(keys, stamped)) {
    // Per key name, the values wanted; one GET per chunk with or() over every key name.
    const wanted = new Map<Matcher, Set<string>>();
    const add = (m: Matcher, value: string) => wanted.set(m, (wanted.get(m) ?? new Set()).add(value));
    const resolved = chunk.map((existing) => {
      const conditions: { matcher: Matcher; value: string }[] = [];
      for (const [name, raw] of Object.entries(existing.keys)) {
        const m = matcher(name);
        const value = m?.normalize(raw) ?? null;
        if (m && value !== null) {
          conditions.push({ matcher: m, value });
          add(m, value);
        }
      }
      if (stamped) add(ferry, existing.sourceId);
      return { existing, conditions };
    });
    const filter = orFilter([...wanted].map(([m, values]) => m.filter([...values])));
    if (filter === null) continue;
    // §2.2 filters on composite sub-fields, e.g. emails.primaryEmail[in]:[…].
    const candidates = (await fetchAllRecords(client, plan.object.namePlural, filter)).sort(
      (a, b) => Date.parse(a.createdAt ?? "") - Date.parse(b.createdAt ?? "") || a.id.localeCompare(b.id),
    );
    for (const { existing, conditions } of resolved) {
      const found = candidates.find(
        (record) =>
          (stamped && ferry.normalize(ferry.read(record)) === existing.sourceId) ||
          (conditions.length > 0 && conditions.every(({ matcher: m, value }) => m.normalize(m.read(record)) === value)),
      );
      if (found) matches.push({ sourceId: existing.sourceId, targetId: found.id });
    }
  }
  return matches;
}
