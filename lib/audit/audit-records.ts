// Pre-migration profiling of one source object type: duplicates, invalid emails and phones,
// domains that will be rewritten, stale records, custom fields nobody fills. Streams: records
// are looked at once and dropped; memory is counters, a few examples per finding, and the keys
// needed to spot duplicates (capped, see MAX_TRACKED_KEYS). Each finding carries, where one
// exists, a one-click change to the plan (lib/plan/patches.ts applyPlanPatch).
//
// Duplicates are looked for only on what identifies a record: the email of a person, the domain
// of a company, and the names of both. Recipients, inbox addresses, links and other fields of
// tickets or deals repeat by nature and say nothing about two records being the same. A
// suggestion that leaves records out lists them (AuditFinding.records), so the wizard can show
// how many and which before it applies.
import type { Address, CanonicalRecord, CanonicalValue, FieldDescription, ObjectTypeDescription, Phone } from "@/connectors/types";
import { domainHost, isValidEmail, normalizeDomain, normalizeEmail, normalizePhone, normalizeUrl } from "@/lib/mapping/normalize";
import { isDomainField, repairValue } from "@/lib/mapping/transform-value";
import { PHONE_COUNTRY_SAMPLE, derivePhoneCountry } from "@/lib/mapping/phone-data";
import { describeValue, isEmptyValue, isFullName, isPhone, isRelationRef } from "@/lib/mapping/values";
import type { PlanPatch } from "@/lib/plan";
import { activityFeeders, forEachRelatedActivity, isPeopleLike, isStale, lastActivityMs } from "./activity";

export { isPeopleLike } from "./activity";

export const DEFAULT_STALE_YEARS = 2;
export const DEFAULT_MAX_EXAMPLES = 5;
/** Distinct keys remembered per duplicate check; past it new keys are not tracked and the report is partial. */
export const MAX_TRACKED_KEYS = 200_000;
/** Records a skipping suggestion lists (and skips); past it the suggestion is not offered in one click. */
export const MAX_LISTED_RECORDS = 2_000;

export const AUDIT_FINDING_KINDS = [
  "duplicate-email",
  "duplicate-domain",
  "duplicate-name",
  "invalid-email",
  "invalid-phone",
  "phone-format",
  "domain-format",
  "invalid-url",
  "stale-records",
  "unused-field",
] as const;
export type AuditFindingKind = (typeof AUDIT_FINDING_KINDS)[number];

export type AuditExample = { sourceId: string; value: string; duplicateOf?: string };
export type AuditSuggestion = {
  kind: "filter" | "transform";
  label: string;
  apply: PlanPatch;
  /** Records the suggestion leaves out of the migration: the wizard lists them and asks before applying. */
  skips?: number;
};

export type AuditFinding = {
  /** Stable per object, kind and field: the wizard remembers which suggestions were applied. */
  id: string;
  kind: AuditFindingKind;
  objectType: string;
  field?: string;
  /** Records affected (for duplicates: the repeats, not counting the first of each). */
  count: number;
  /** Invalid values only: how many of `count` the default policy repairs (the others are written without the value). */
  repairable?: number;
  examples: AuditExample[];
  severity: "info" | "warn";
  message: string;
  /** Null when there is no one-click fix (names that look alike need a person to decide). */
  suggestion: AuditSuggestion | null;
  /** Every affected record (up to MAX_LISTED_RECORDS) for findings whose suggestion skips records. */
  records?: AuditExample[];
};

export type FieldFill = { field: string; label: string; custom: boolean; filled: number; fillRate: number };

export type AuditReport = {
  objectType: string;
  label: string;
  total: number;
  generatedAt: string;
  findings: AuditFinding[];
  /** Fill rate of every described field, in the description's order. */
  fields: FieldFill[];
  /** True when a duplicate check hit MAX_TRACKED_KEYS: duplicate counts are then lower bounds. */
  partial: boolean;
};

/**
 * The latest activity of records other records point at (lib/audit/activity.ts), in memory for
 * one audit: filled from the records that reference people (tickets, opportunities, tasks, notes)
 * before those people are audited.
 */
export class ActivityIndex {
  private readonly latestMs = new Map<string, number>();
  full = false;

  constructor(
    private readonly objectTypes: ReadonlySet<string>,
    private readonly cap = MAX_TRACKED_KEYS,
  ) {}

  add(record: CanonicalRecord) {
    forEachRelatedActivity(record, this.objectTypes, (objectType, id, ms) => this.note(`${objectType}:${id}`, ms));
  }

  private note(key: string, ms: number) {
    const current = this.latestMs.get(key);
    if (current !== undefined) {
      if (ms > current) this.latestMs.set(key, ms);
    } else if (this.latestMs.size < this.cap) this.latestMs.set(key, ms);
    else this.full = true;
  }

  lastActivityMs(objectType: string, id: string): number | undefined {
    return this.latestMs.get(`${objectType}:${id}`);
  }
}

export type AuditOptions = {
  /** Activity of related records; without it only a record's own dates count. */
  activity?: ActivityIndex;
  staleYears?: number;
  maxExamples?: number;
  /** Country national phone numbers are read in when the value does not say (e.g. "US"). */
  defaultCountry?: string;
  /** Whether to look for stale records; by default only for people-like objects (customers, people, contacts). */
  checkStale?: boolean;
  maxTrackedKeys?: number;
};

const COMPANY_OBJECTS = new Set(["company", "companies", "organization", "organizations", "organisation", "organisations", "account", "accounts"]);
/** Findings whose suggestion leaves records out: every affected record is kept for the confirmation. */
const SKIPPING_KINDS: ReadonlySet<AuditFindingKind> = new Set(["duplicate-email", "duplicate-domain", "stale-records"]);
// Suffixes that make two spellings of one company look different.
const LEGAL_SUFFIXES = /\b(ltd|limited|inc|incorporated|llc|gmbh|sarl|sas|sa|plc|corp|corporation|co|bv|ag)\b/g;

export function isCompanyLike(objectType: string): boolean {
  return COMPANY_OBJECTS.has(objectType.toLowerCase());
}

export function companyNameKey(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, " ")
    .replace(LEGAL_SUFFIXES, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function personNameKey(value: CanonicalValue): string | null {
  const text = isFullName(value) ? `${value.firstName} ${value.lastName}` : typeof value === "string" ? value : null;
  if (text === null) return null;
  const key = companyNameKey(text);
  return key === "" ? null : key;
}

// ---------------------------------------------------------------------------------------------
// Counters
// ---------------------------------------------------------------------------------------------

class Tally {
  count = 0;
  /** Of `count`, the values Ferry's default policy repairs safely (invalid emails and web addresses). */
  repairable = 0;
  readonly examples: AuditExample[] = [];
  /** Every affected record up to MAX_LISTED_RECORDS, when the finding's suggestion skips records. */
  readonly records: AuditExample[] | null;
  constructor(
    private readonly maxExamples: number,
    listsRecords: boolean,
  ) {
    this.records = listsRecords ? [] : null;
  }

  add(example: AuditExample, repairable = false) {
    this.count += 1;
    if (repairable) this.repairable += 1;
    if (this.examples.length < this.maxExamples) this.examples.push(example);
    if (this.records && this.records.length < MAX_LISTED_RECORDS) this.records.push(example);
  }
}

/** Remembers the first record per key, up to a cap. */
class FirstSeen {
  private readonly first = new Map<string, { sourceId: string; extra: string }>();
  full = false;
  constructor(private readonly cap: number) {}

  /** The earlier record with this key, or null (and remembers this one). */
  check(key: string, sourceId: string, extra = ""): { sourceId: string; extra: string } | null {
    const earlier = this.first.get(key);
    if (earlier) return earlier;
    if (this.first.size >= this.cap) this.full = true;
    else this.first.set(key, { sourceId, extra });
    return null;
  }
}

type Check = { key: string; kind: AuditFindingKind; field?: FieldDescription; tally: Tally };

export type Auditor = {
  add(record: CanonicalRecord): void;
  report(): AuditReport;
};

/** What an audit of one object looks at (fixed from its description) and what it has seen so far. */
type AuditState = {
  objectType: ObjectTypeDescription;
  now: Date;
  options: AuditOptions;
  maxExamples: number;
  staleYears: number;
  checkStale: boolean;
  emailFields: FieldDescription[];
  phoneFields: FieldDescription[];
  urlFields: FieldDescription[];
  addressFields: FieldDescription[];
  nameField: FieldDescription | undefined;
  companyField: FieldDescription | undefined;
  identityEmail: FieldDescription | null;
  identityDomain: FieldDescription | null;
  checks: Map<string, Check>;
  filled: Map<string, number>;
  seenEmails: FirstSeen;
  seenDomains: FirstSeen;
  seenNames: FirstSeen;
  /** What the default phone country is derived from (lib/mapping/phone-data.ts): the numbers as typed, and the records' address countries. */
  phoneSample: string[];
  addressCountries: string[];
  total: number;
};

function auditState(objectType: ObjectTypeDescription, now: Date, options: AuditOptions): AuditState {
  const cap = options.maxTrackedKeys ?? MAX_TRACKED_KEYS;
  const emailFields = objectType.fields.filter((field) => field.type === "email");
  const urlFields = objectType.fields.filter((field) => field.type === "url");
  const people = isPeopleLike(objectType.key);
  const companies = isCompanyLike(objectType.key);
  // A company's first domain field is its identity ("domain" before "website": one record, one key).
  const domainFields = urlFields.filter(isDomainField);
  return {
    objectType,
    now,
    options,
    maxExamples: options.maxExamples ?? DEFAULT_MAX_EXAMPLES,
    staleYears: options.staleYears ?? DEFAULT_STALE_YEARS,
    checkStale: options.checkStale ?? isPeopleLike(objectType.key),
    emailFields,
    phoneFields: objectType.fields.filter((field) => field.type === "phone"),
    urlFields,
    addressFields: objectType.fields.filter((field) => field.type === "address"),
    // Only people and companies are looked at for duplicates, on what identifies them.
    nameField:
      people || companies
        ? (objectType.fields.find((field) => field.type === "fullname") ?? objectType.fields.find((field) => field.key === "name" && field.type === "text"))
        : undefined,
    companyField: objectType.fields.find((field) => field.type === "relation" && /^(companies|organi[sz]ations|accounts)$/.test(field.relatesTo ?? "")),
    // A person's first email field is their identity; a CC address repeating is not a duplicate.
    identityEmail: people ? (emailFields.find((field) => !field.custom) ?? null) : null,
    identityDomain: companies
      ? (domainFields.find((field) => !field.custom && /domain/i.test(field.key)) ?? domainFields.find((field) => !field.custom) ?? null)
      : null,
    checks: new Map(),
    filled: new Map(objectType.fields.map((field) => [field.key, 0])),
    seenEmails: new FirstSeen(cap),
    seenDomains: new FirstSeen(cap),
    seenNames: new FirstSeen(cap),
    phoneSample: [],
    addressCountries: [],
    total: 0,
  };
}

function check(state: AuditState, kind: AuditFindingKind, field?: FieldDescription): Check {
  const key = `${kind}:${field?.key ?? ""}`;
  let found = state.checks.get(key);
  if (!found) {
    found = { key, kind, field, tally: new Tally(state.maxExamples, SKIPPING_KINDS.has(kind)) };
    state.checks.set(key, found);
  }
  return found;
}

function auditEmail(state: AuditState, record: CanonicalRecord, field: FieldDescription, value: CanonicalValue): string | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  if (!isValidEmail(value)) {
    const repair = repairValue(value, field, { ...field, type: "email" });
    check(state, "invalid-email", field).tally.add({ sourceId: record.id, value }, typeof repair?.value === "string" && isValidEmail(repair.value));
    return null;
  }
  const email = normalizeEmail(value);
  if (field === state.identityEmail) {
    const earlier = state.seenEmails.check(email, record.id);
    // A record listed twice (sources paging over changing data) is not its own duplicate.
    if (earlier && earlier.sourceId !== record.id)
      check(state, "duplicate-email", field).tally.add({ sourceId: record.id, value, duplicateOf: earlier.sourceId });
  }
  return email;
}

function auditPhone(state: AuditState, record: CanonicalRecord, field: FieldDescription, value: CanonicalValue) {
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const phones = items.filter((item): item is Phone | string => typeof item === "string" || isPhone(item));
  for (const item of phones) {
    const raw = typeof item === "string" ? item : item.raw;
    if (raw.trim() === "") continue;
    if (state.phoneSample.length < PHONE_COUNTRY_SAMPLE) state.phoneSample.push(raw);
    const { phone, parsed } = normalizePhone(item, state.options.defaultCountry);
    if (!parsed) {
      check(state, "invalid-phone", field).tally.add({ sourceId: record.id, value: raw });
      continue;
    }
    if (raw.trim() !== phone.e164) check(state, "phone-format", field).tally.add({ sourceId: record.id, value: `${raw} → ${phone.e164}` });
  }
}

function auditUrl(state: AuditState, record: CanonicalRecord, field: FieldDescription, value: CanonicalValue) {
  if (typeof value !== "string" || value.trim() === "") return;
  const normalize = isDomainField(field) ? normalizeDomain : normalizeUrl;
  const repair = () => {
    const repaired = repairValue(value, field, { ...field, type: "url" });
    return typeof repaired?.value === "string" && normalize(repaired.value) !== null;
  };
  if (!isDomainField(field)) {
    if (normalizeUrl(value) === null) check(state, "invalid-url", field).tally.add({ sourceId: record.id, value }, repair());
    return;
  }
  const domain = normalizeDomain(value);
  if (domain === null) {
    check(state, "invalid-url", field).tally.add({ sourceId: record.id, value }, repair());
    return;
  }
  if (domain !== value) check(state, "domain-format", field).tally.add({ sourceId: record.id, value: `${value} → ${domain}` });
  if (field !== state.identityDomain) return;
  const earlier = state.seenDomains.check(domainHost(value) as string, record.id);
  if (earlier && earlier.sourceId !== record.id)
    check(state, "duplicate-domain", field).tally.add({ sourceId: record.id, value, duplicateOf: earlier.sourceId });
}

function auditName(state: AuditState, record: CanonicalRecord, email: string | null) {
  const { nameField, companyField } = state;
  if (!nameField) return;
  const name = personNameKey(record.fields[nameField.key] ?? null);
  if (name === null) return;
  const company = companyField ? record.fields[companyField.key] : null;
  const companyKey = isRelationRef(company) ? company.id : "";
  // People: same name at the same company. Companies: the same name, spelled loosely.
  const key = nameField.type === "fullname" || companyField ? `${name}|${companyKey}` : name;
  const earlier = state.seenNames.check(key, record.id, email ?? "");
  // Same email is already a duplicate-email finding; count people whose emails differ or are missing.
  if (earlier && earlier.sourceId !== record.id && !(email !== null && earlier.extra === email)) {
    check(state, "duplicate-name", nameField).tally.add({
      sourceId: record.id,
      value: describeValue(record.fields[nameField.key] ?? null),
      duplicateOf: earlier.sourceId,
    });
  }
}

function auditStale(state: AuditState, record: CanonicalRecord, identity: string | null) {
  const lastMs = lastActivityMs(record, state.options.activity?.lastActivityMs(state.objectType.key, record.id));
  if (!isStale(lastMs, state.now, state.staleYears)) return;
  const nameValue = state.nameField ? record.fields[state.nameField.key] : undefined;
  const name = isEmptyValue(nameValue) ? "" : describeValue(nameValue as CanonicalValue);
  const who = [name, identity].filter(Boolean).join(" · ");
  check(state, "stale-records").tally.add({
    sourceId: record.id,
    value: `${who ? `${who} · ` : ""}last activity ${new Date(lastMs as number).toISOString().slice(0, 10)}`,
  });
}

function addRecord(state: AuditState, record: CanonicalRecord) {
  state.total += 1;
  for (const field of state.objectType.fields) {
    const value = record.fields[field.key];
    if (!isEmptyValue(value)) state.filled.set(field.key, (state.filled.get(field.key) ?? 0) + 1);
  }
  let identity: string | null = null;
  for (const field of state.emailFields) {
    const email = auditEmail(state, record, field, record.fields[field.key] ?? null);
    if (field === state.identityEmail) identity = email;
  }
  for (const field of state.phoneFields) auditPhone(state, record, field, record.fields[field.key] ?? null);
  if (state.phoneFields.length > 0 && state.addressCountries.length < PHONE_COUNTRY_SAMPLE) {
    for (const field of state.addressFields) {
      const country = (record.fields[field.key] as Address | null | undefined)?.country;
      if (typeof country === "string") state.addressCountries.push(country);
    }
  }
  for (const field of state.urlFields) auditUrl(state, record, field, record.fields[field.key] ?? null);
  auditName(state, record, identity);
  if (state.checkStale) auditStale(state, record, identity);
}

/** Every check that found something, and the custom fields no record fills, most severe and largest first. */
function findingsOf(state: AuditState): AuditFinding[] {
  const { objectType, staleYears, total } = state;
  const labelOfObject = objectType.label.toLowerCase();
  const findings: AuditFinding[] = [];
  const topCountry = derivePhoneCountry(state.phoneSample, state.addressCountries) ?? state.options.defaultCountry?.toUpperCase() ?? null;
  for (const { kind, field, tally } of state.checks.values()) {
    if (tally.count === 0) continue;
    findings.push({
      id: `${objectType.key}:${kind}${field ? `:${field.key}` : ""}`,
      kind,
      objectType: objectType.key,
      ...(field ? { field: field.key } : {}),
      count: tally.count,
      ...(kind === "invalid-email" || kind === "invalid-url" ? { repairable: tally.repairable } : {}),
      examples: tally.examples,
      ...(tally.records ? { records: tally.records } : {}),
      ...describeFinding(kind, tally.count, labelOfObject, objectType.key, field, {
        staleYears,
        topCountry,
        records: tally.records,
        repairable: tally.repairable,
      }),
    });
  }
  for (const field of objectType.fields) {
    if (!field.custom || total === 0 || (state.filled.get(field.key) ?? 0) > 0) continue;
    findings.push({
      id: `${objectType.key}:unused-field:${field.key}`,
      kind: "unused-field",
      objectType: objectType.key,
      field: field.key,
      count: total,
      examples: [],
      ...describeFinding("unused-field", total, labelOfObject, objectType.key, field, { staleYears, topCountry, records: null, repairable: 0 }),
    });
  }
  findings.sort((a, b) => (a.severity === b.severity ? b.count - a.count : a.severity === "warn" ? -1 : 1));
  return findings;
}

function reportOf(state: AuditState): AuditReport {
  const { objectType, total } = state;
  return {
    objectType: objectType.key,
    label: objectType.label,
    total,
    generatedAt: state.now.toISOString(),
    findings: findingsOf(state),
    fields: objectType.fields.map((field) => {
      const count = state.filled.get(field.key) ?? 0;
      return { field: field.key, label: field.label, custom: field.custom, filled: count, fillRate: total === 0 ? 0 : count / total };
    }),
    partial: state.seenEmails.full || state.seenDomains.full || state.seenNames.full || (state.options.activity?.full ?? false),
  };
}

/** An incremental audit: feed records one page at a time with add(), read the report at the end. */
export function createAuditor(objectType: ObjectTypeDescription, now: Date, options: AuditOptions = {}): Auditor {
  const state = auditState(objectType, now, options);
  return { add: (record) => addRecord(state, record), report: () => reportOf(state) };
}

type FindingText = Pick<AuditFinding, "severity" | "message" | "suggestion">;

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}

type FindingContext = { staleYears: number; topCountry: string | null; records: AuditExample[] | null; repairable: number };

/** "Skip the repeats": each listed repeat is linked to the record it repeats (plan.skipRepeats); null past MAX_LISTED_RECORDS. */
function skipRepeatsSuggestion(count: number, objectType: string, records: AuditExample[] | null): AuditSuggestion | null {
  if (!records || records.length < count) return null;
  return {
    kind: "filter",
    label: "Keep the first of each and skip the repeats",
    apply: { kind: "skipRepeats", objectType, repeats: records.map((record) => ({ sourceId: record.sourceId, sameAs: record.duplicateOf as string })) },
    skips: count,
  };
}

/** What the default policy (repair) does with a finding's invalid values: no record fails. */
function defaultPolicySentence(count: number, repairable: number, slips: string): string {
  const dropped = count - repairable;
  const parts = [
    repairable > 0 ? `repairs ${repairable.toLocaleString("en")} (${slips})` : null,
    dropped > 0 ? `writes ${repairable > 0 ? "the other " : ""}${dropped.toLocaleString("en")} without it` : null,
  ].filter(Boolean);
  return `By default Ferry ${parts.join(" and ")}, with a warning keeping the original value; none of them fails (set the field's policy to "Fail record" in the mapping to be strict).`;
}

/** What a finding's sentences name: how many records, of which object, in which field. */
type FindingSubject = {
  count: number;
  records: string;
  objects: string;
  objectType: string;
  field: FieldDescription | undefined;
  fieldLabel: string;
  fieldKey: string;
  context: FindingContext;
};

type DuplicateKind = Extract<AuditFindingKind, "duplicate-email" | "duplicate-domain" | "duplicate-name">;
type InvalidValueKind = Extract<AuditFindingKind, "invalid-email" | "invalid-phone" | "invalid-url">;
type FormatKind = Extract<AuditFindingKind, "phone-format" | "domain-format">;

function describeDuplicateFinding(kind: DuplicateKind, { count, records, objects, objectType, field, fieldLabel, context }: FindingSubject): FindingText {
  const tooMany =
    count > MAX_LISTED_RECORDS
      ? ` Too many to skip in one click (over ${MAX_LISTED_RECORDS.toLocaleString("en")}): the duplicate policy decides when the target refuses a repeat.`
      : "";
  switch (kind) {
    case "duplicate-email":
      return {
        severity: "warn",
        message: `${records} in ${objects} repeat the ${fieldLabel.toLowerCase() || "email"} of an earlier one (compared without case and spaces). Skipping a repeat links it, and what points at it, to the first record.${tooMany}`,
        suggestion: skipRepeatsSuggestion(count, objectType, context.records),
      };
    case "duplicate-domain":
      return {
        severity: "warn",
        message: `${records} in ${objects} share a ${fieldLabel.toLowerCase() || "domain"} with an earlier one (compared by host, without www.). Skipping a repeat links it, and what points at it, to the first record.${tooMany}`,
        suggestion: skipRepeatsSuggestion(count, objectType, context.records),
      };
    case "duplicate-name":
      return {
        severity: "info",
        message: `${records} in ${objects} have the same name as an earlier one${field?.type === "fullname" ? " at the same company" : ""} but another or no email: check whether they are the same.`,
        suggestion: null,
      };
  }
}

function describeInvalidValueFinding(
  kind: InvalidValueKind,
  { count, records, objects, objectType, fieldLabel, fieldKey, context }: FindingSubject,
): FindingText {
  switch (kind) {
    case "invalid-email":
      return {
        severity: "warn",
        message: `${records} in ${objects} have a ${fieldLabel} that is not a valid email address. ${defaultPolicySentence(count, context.repairable, "spaces, doubled @ or dots")}`,
        suggestion: {
          kind: "transform",
          label: `Leave the invalid ${fieldLabel.toLowerCase()} out instead of repairing it`,
          apply: { kind: "setTransform", objectType, field: fieldKey, transform: { onInvalid: "drop" } },
        },
      };
    case "invalid-phone":
      return {
        severity: "warn",
        message: `${records} in ${objects} have a ${fieldLabel} that cannot be read as a phone number (not a number, or a national number without its country); by default it is copied as typed.`,
        suggestion: {
          kind: "transform",
          label: "Leave unreadable numbers out",
          apply: { kind: "setTransform", objectType, field: fieldKey, transform: { requireValidPhone: true, onInvalid: "drop" } },
        },
      };
    case "invalid-url":
      return {
        severity: "warn",
        message: `${records} in ${objects} have a ${fieldLabel} that is not a web address. ${defaultPolicySentence(count, context.repairable, "spaces, doubled dots")}`,
        suggestion: {
          kind: "transform",
          label: `Leave the invalid ${fieldLabel.toLowerCase()} out instead of repairing it`,
          apply: { kind: "setTransform", objectType, field: fieldKey, transform: { onInvalid: "drop" } },
        },
      };
  }
}

function describeFormatFinding(kind: FormatKind, { records, objects, objectType, fieldLabel, fieldKey, context }: FindingSubject): FindingText {
  switch (kind) {
    case "phone-format":
      return {
        severity: "info",
        message: `${records} in ${objects} have a ${fieldLabel} typed in a local format; it is stored in international format (number, country code, calling code).`,
        suggestion: context.topCountry
          ? {
              kind: "transform",
              label: `Read numbers without a country code as ${context.topCountry} numbers`,
              apply: { kind: "setTransform", objectType, field: fieldKey, transform: { defaultCountry: context.topCountry } },
            }
          : null,
      };
    case "domain-format":
      return {
        severity: "info",
        message: `${records} in ${objects} have a ${fieldLabel} written as a bare domain, with www. or http://; it becomes https://domain.com, one form for every record (the form a CRM's import guide asks for).`,
        suggestion: {
          kind: "transform",
          label: "Normalise domains to https://domain.com",
          apply: { kind: "setTransform", objectType, field: fieldKey, transform: { urlMode: "domain" } },
        },
      };
  }
}

function describeFinding(
  kind: AuditFindingKind,
  count: number,
  objects: string,
  objectType: string,
  field: FieldDescription | undefined,
  context: FindingContext,
): FindingText {
  const subject: FindingSubject = {
    count,
    records: plural(count, "record", "records"),
    objects,
    objectType,
    field,
    fieldLabel: field?.label ?? "",
    fieldKey: field?.key ?? "",
    context,
  };
  const { records, fieldLabel, fieldKey } = subject;
  switch (kind) {
    case "duplicate-email":
    case "duplicate-domain":
    case "duplicate-name":
      return describeDuplicateFinding(kind, subject);
    case "invalid-email":
    case "invalid-phone":
    case "invalid-url":
      return describeInvalidValueFinding(kind, subject);
    case "phone-format":
    case "domain-format":
      return describeFormatFinding(kind, subject);
    case "stale-records":
      return {
        severity: "warn",
        message: `${records} in ${objects} have had no activity for over ${context.staleYears} years (their own updates and the records linked to them).`,
        suggestion: {
          kind: "filter",
          label: `Skip ${objects} with no activity for ${context.staleYears} years`,
          apply: { kind: "skipStale", objectType, years: context.staleYears },
          skips: count,
        },
      };
    case "unused-field":
      return {
        severity: "info",
        message: `Nobody filled the custom field ${fieldLabel} in ${objects} (0 %).`,
        suggestion: { kind: "filter", label: `Leave out ${fieldLabel}`, apply: { kind: "dropField", objectType, field: fieldKey } },
      };
  }
}

/**
 * Audits every readable object of a source, reading each once. Objects that point at people are
 * read first so the people's stale check sees their latest tickets, deals, tasks and notes.
 */
export async function auditSource(
  objectTypes: readonly ObjectTypeDescription[],
  read: (objectType: string) => AsyncIterable<CanonicalRecord> | Iterable<CanonicalRecord>,
  now: Date,
  options: Omit<AuditOptions, "activity"> = {},
): Promise<AuditReport[]> {
  const readable = objectTypes.filter((object) => object.canRead);
  const people = new Set(readable.filter((object) => isPeopleLike(object.key)).map((object) => object.key));
  const activity = new ActivityIndex(people, options.maxTrackedKeys);
  const feeders = new Set(
    activityFeeders(
      readable.map((object) => object.key),
      people,
    ),
  );
  const ordered = [...readable.filter((object) => feeders.has(object.key)), ...readable.filter((object) => !feeders.has(object.key))];
  const reports = new Map<string, AuditReport>();
  for (const object of ordered) {
    const auditor = createAuditor(object, now, { ...options, activity });
    for await (const record of read(object.key)) {
      if (feeders.has(object.key)) activity.add(record);
      auditor.add(record);
    }
    reports.set(object.key, auditor.report());
  }
  return readable.map((object) => reports.get(object.key) as AuditReport);
}

/** Audits a stream of records (a connector's pages flattened, or any iterable) in one pass. */
export async function auditRecords(
  objectType: ObjectTypeDescription,
  records: AsyncIterable<CanonicalRecord> | Iterable<CanonicalRecord>,
  now: Date,
  options: AuditOptions = {},
): Promise<AuditReport> {
  const auditor = createAuditor(objectType, now, options);
  for await (const record of records) auditor.add(record);
  return auditor.report();
}
