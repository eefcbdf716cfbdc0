// Record values per field type (reference §3.3): composite shapes, defaults, and the checks and
// normalisation Twenty applies on write (reference §2.5). Every rejection is a 400 in Twenty's body.
import { domainToASCII } from "node:url";
import { badRequest } from "./errors";
import { isUuid } from "./ids";
import type { FieldMetadata, FieldMetadataType } from "./objects";

type SubFieldKind = "text" | "email" | "emailList" | "url" | "linkList" | "phoneList" | "number" | "micros" | "uuid" | "json" | "actorSource";

/** Sub-fields of each composite type, in Twenty's order (reference §3.3). */
export const COMPOSITE_SUBFIELDS: Partial<Record<FieldMetadataType, Record<string, SubFieldKind>>> = {
  FULL_NAME: { firstName: "text", lastName: "text" },
  EMAILS: { primaryEmail: "email", additionalEmails: "emailList" },
  PHONES: { primaryPhoneNumber: "text", primaryPhoneCountryCode: "text", primaryPhoneCallingCode: "text", additionalPhones: "phoneList" },
  LINKS: { primaryLinkUrl: "url", primaryLinkLabel: "text", secondaryLinks: "linkList" },
  CURRENCY: { amountMicros: "micros", currencyCode: "text" },
  ADDRESS: {
    addressStreet1: "text",
    addressStreet2: "text",
    addressStreet3: "text",
    addressCity: "text",
    addressState: "text",
    addressPostcode: "text",
    addressCountry: "text",
    addressLat: "number",
    addressLng: "number",
  },
  RICH_TEXT_V2: { blocknote: "text", markdown: "text" },
  RICH_TEXT: { blocknote: "text", markdown: "text" },
  ACTOR: { source: "actorSource", workspaceMemberId: "uuid", name: "text", context: "json" },
};

/** Reference §3.3 ACTOR sources. */
export const ACTOR_SOURCES = ["EMAIL", "CALENDAR", "WORKFLOW", "AGENT", "API", "IMPORT", "MANUAL", "SYSTEM", "WEBHOOK", "APPLICATION"];

const RATING_VALUES = ["RATING_1", "RATING_2", "RATING_3", "RATING_4", "RATING_5"];

/** Sub-fields that hold numbers, so filters and order_by compare them numerically. */
export function isNumericSubField(type: FieldMetadataType, subField: string): boolean {
  const kind = COMPOSITE_SUBFIELDS[type]?.[subField];
  return kind === "number" || kind === "micros";
}

export function isCompositeType(type: FieldMetadataType): boolean {
  return COMPOSITE_SUBFIELDS[type] !== undefined;
}

/**
 * The default a new field gets when its creator gives none, in Twenty's SQL-ish notation
 * (text columns default to '' rather than NULL, list sub-fields to NULL).
 */
export function typeDefaultValue(type: FieldMetadataType): unknown {
  const subFields = COMPOSITE_SUBFIELDS[type];
  if (type === "ACTOR") return { source: "'MANUAL'", name: "'System'", workspaceMemberId: null, context: {} };
  if (subFields) {
    const value: Record<string, unknown> = {};
    for (const [name, kind] of Object.entries(subFields)) {
      value[name] = kind === "text" || kind === "email" || kind === "url" ? "''" : null;
    }
    if (type === "RICH_TEXT_V2" || type === "RICH_TEXT") return { blocknote: null, markdown: null };
    return value;
  }
  if (type === "TEXT") return "''";
  return null;
}

/** Turns a metadata default (`"'NEW'"`, `"now"`, `{ firstName: "''" }`) into a record value. */
export function resolveDefault(defaultValue: unknown, now: string, newId: () => string): unknown {
  if (typeof defaultValue === "string") {
    if (defaultValue === "now") return now;
    if (defaultValue === "uuid") return newId();
    const quoted = /^'(.*)'$/s.exec(defaultValue);
    return quoted ? quoted[1] : defaultValue;
  }
  if (Array.isArray(defaultValue)) return defaultValue.map((item) => resolveDefault(item, now, newId));
  if (defaultValue !== null && typeof defaultValue === "object") {
    return Object.fromEntries(Object.entries(defaultValue).map(([key, item]) => [key, resolveDefault(item, now, newId)]));
  }
  return defaultValue ?? null;
}

/** Reference §2.5: lower-cased, IDN domain to punycode, trailing dot removed. */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf("@");
  if (at < 0) return trimmed.replace(/\.$/, "");
  const domain = trimmed.slice(at + 1).replace(/\.$/, "");
  return `${trimmed.slice(0, at)}@${domainToASCII(domain) || domain}`;
}

/** Reference §2.5: `https://acme.com/` is stored as `https://acme.com`. */
export function normalizeLinkUrl(url: string): string {
  return url.trim().replace(/\/+$/, "");
}

/**
 * The host a company domain is compared by (reference §6.3: "domain compared after extracting host
 * from the URL"). Dropping a leading `www.` is an assumption [U].
 */
export function domainHost(url: string): string {
  let candidate = url.trim().toLowerCase();
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(candidate)) candidate = `https://${candidate}`;
  let host: string;
  try {
    host = new URL(candidate).hostname;
  } catch {
    host = candidate.replace(/^[a-z][a-z0-9+.-]*:\/\//, "").split(/[/?#]/)[0];
  }
  return host.replace(/^www\./, "").replace(/\.$/, "");
}

export type ValueContext = {
  /** Table name as Postgres would name it, for Twenty's enum error message. */
  tableName: string;
};

function describe(value: unknown): string {
  return typeof value === "string" ? `'${value}'` : JSON.stringify(value);
}

// The wording of type errors is not in the reference [U]; the status (400) and body shape are.
function invalidValue(field: FieldMetadata, value: unknown, expected: string): Error {
  return badRequest(`Invalid value ${describe(value)} for field "${field.name}": expected ${expected}`);
}

/** Reference §2.5: Postgres' enum error, surfaced as a 400. */
function invalidEnum(field: FieldMetadata, context: ValueContext, value: unknown): Error {
  return badRequest(`invalid input value for enum workspace_sandbox.${context.tableName}_${field.name}_enum: "${String(value)}"`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function coerceSubField(field: FieldMetadata, subField: string, kind: SubFieldKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const label = `${field.name}.${subField}`;
  const fail = (expected: string) => badRequest(`Invalid value ${describe(value)} for field "${label}": expected ${expected}`);
  switch (kind) {
    case "text":
      if (typeof value !== "string") throw fail("a string");
      return value;
    case "email":
      if (typeof value !== "string") throw fail("a string");
      return normalizeEmail(value);
    case "url":
      if (typeof value !== "string") throw fail("a string");
      return normalizeLinkUrl(value);
    case "uuid":
      if (!isUuid(value)) throw fail("a UUID");
      return value;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) throw fail("a number");
      return value;
    case "micros":
      // amountMicros is a NUMERIC column: numbers and numeric strings are both accepted [U].
      if (typeof value === "number" && Number.isFinite(value)) return value;
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
      throw fail("a number");
    case "json":
      return value;
    case "actorSource":
      if (typeof value !== "string" || !ACTOR_SOURCES.includes(value)) throw fail(`one of ${ACTOR_SOURCES.join(", ")}`);
      return value;
    case "emailList":
      if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) throw fail("an array of strings");
      return (value as string[]).map(normalizeEmail);
    case "linkList":
      if (!Array.isArray(value) || value.some((item) => !isPlainObject(item))) throw fail("an array of { url, label }");
      return (value as Record<string, unknown>[]).map((item) => {
        const unknownKey = Object.keys(item).find((key) => key !== "url" && key !== "label");
        if (unknownKey) throw fail("an array of { url, label }");
        return { url: typeof item.url === "string" ? item.url : null, label: typeof item.label === "string" ? item.label : null };
      });
    case "phoneList":
      if (!Array.isArray(value) || value.some((item) => !isPlainObject(item))) throw fail("an array of { number, countryCode, callingCode }");
      return (value as Record<string, unknown>[]).map((item) => {
        const unknownKey = Object.keys(item).find((key) => !["number", "countryCode", "callingCode"].includes(key));
        if (unknownKey) throw fail("an array of { number, countryCode, callingCode }");
        return {
          number: typeof item.number === "string" ? item.number : null,
          countryCode: typeof item.countryCode === "string" ? item.countryCode : null,
          callingCode: typeof item.callingCode === "string" ? item.callingCode : null,
        };
      });
  }
}

/**
 * Checks and normalises one field's input value. Composite input may be partial: the given
 * sub-fields replace those of `base` (the record's current value, or the default on create);
 * Twenty stores each sub-field in its own column, so a partial update keeps the others [U].
 * A composite set to null goes back to its default (`cleared`) [U].
 */
export function coerceFieldValue(field: FieldMetadata, value: unknown, context: ValueContext, composite: { base: unknown; cleared: unknown }): unknown {
  const subFields = COMPOSITE_SUBFIELDS[field.type];
  if (subFields) {
    const base = composite.base;
    if (value === null) return composite.cleared;
    if (!isPlainObject(value)) throw invalidValue(field, value, `an object with ${Object.keys(subFields).join(", ")}`);
    const next: Record<string, unknown> = isPlainObject(base) ? { ...base } : {};
    for (const [subField, subValue] of Object.entries(value)) {
      const kind = subFields[subField];
      // Unknown sub-field wording is not in the reference [U].
      if (!kind) throw badRequest(`Object field "${field.name}" doesn't have any "${subField}" sub-field. Allowed: ${Object.keys(subFields).join(", ")}`);
      next[subField] = coerceSubField(field, subField, kind, subValue);
    }
    return next;
  }
  if (value === null) {
    if (!field.isNullable) throw badRequest(`null value in column "${field.name}" of relation "${context.tableName}" violates not-null constraint`);
    return null;
  }
  switch (field.type) {
    case "TEXT":
      if (typeof value !== "string") throw invalidValue(field, value, "a string");
      return value;
    case "NUMBER":
    case "POSITION":
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalidValue(field, value, "a number");
      return value;
    case "NUMERIC":
      if (typeof value === "number" && Number.isFinite(value)) return value;
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return value;
      throw invalidValue(field, value, "a number");
    case "BOOLEAN":
      if (typeof value !== "boolean") throw invalidValue(field, value, "a boolean");
      return value;
    case "DATE_TIME": {
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw invalidValue(field, value, "an ISO 8601 date-time");
      return new Date(value).toISOString();
    }
    case "DATE": {
      // A date column casts a full timestamp to its date part, as Postgres does.
      if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value.slice(0, 10)))) {
        throw invalidValue(field, value, "a date (YYYY-MM-DD)");
      }
      return value.slice(0, 10);
    }
    case "UUID":
      if (!isUuid(value)) throw invalidValue(field, value, "a UUID");
      return value;
    case "SELECT":
    case "RATING": {
      const allowed = field.options?.map((option) => option.value) ?? (field.type === "RATING" ? RATING_VALUES : []);
      if (typeof value !== "string" || !allowed.includes(value)) throw invalidEnum(field, context, typeof value === "string" ? value : JSON.stringify(value));
      return value;
    }
    case "MULTI_SELECT": {
      if (!Array.isArray(value)) throw invalidValue(field, value, "an array of option values");
      const allowed = field.options?.map((option) => option.value) ?? [];
      const wrong = value.find((item) => typeof item !== "string" || !allowed.includes(item));
      if (wrong !== undefined) throw invalidEnum(field, context, typeof wrong === "string" ? wrong : JSON.stringify(wrong));
      return [...value];
    }
    case "ARRAY":
      if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) throw invalidValue(field, value, "an array of strings");
      return [...value];
    case "RAW_JSON":
      return value;
    default:
      throw badRequest(`Field "${field.name}" of type ${field.type} cannot be written`);
  }
}
