// Small readers for request bodies. Each one throws the reference's 400 body with `source` set to
// the offending field, so a client sees which field was wrong (reference §4).
import { mustBeSet, validation } from "./errors";

export type InputObject = Record<string, unknown>;

export function isObject(value: unknown): value is InputObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The record inside a request body. Reference §5: updates and most creates are wrapped
 * (`{"customer":{…}}`); ticket and message creates are posted flat by the official examples,
 * so `allowFlat` accepts the bare object there.
 */
export function unwrap(body: unknown, key: string, options: { allowFlat?: boolean } = {}): InputObject {
  if (isObject(body) && isObject(body[key])) return body[key];
  if (options.allowFlat && isObject(body)) return body;
  throw mustBeSet(key);
}

/** The `included` object next to a wrapped record (customers, triggers, webhooks). */
export function includedOf(body: unknown): InputObject {
  return isObject(body) && isObject(body.included) ? body.included : {};
}

export function parseId(value: unknown): number | null {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return Number(value.trim());
  return null;
}

/** A relationship ref `{"id": n}`: undefined when absent, null when explicitly null. */
export function readRefId(input: InputObject, field: string, options: { required?: boolean } = {}): number | null | undefined {
  const value = input[field];
  if (value === undefined) {
    if (options.required) throw mustBeSet(field);
    return undefined;
  }
  if (value === null) {
    if (options.required) throw mustBeSet(field);
    return null;
  }
  if (!isObject(value)) throw validation("must be an object with an id", field);
  const id = parseId(value.id);
  if (id === null) throw validation("id must be a positive integer", `${field}.id`);
  return id;
}

export type RefInput = { id: number; meta: InputObject; raw: InputObject };

/** A list of refs `[{"id": n, "meta": {…}}]`. */
export function readRefList(input: InputObject, field: string): RefInput[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw validation("must be an array", field);
  return value.map((entry, index) => {
    if (!isObject(entry)) throw validation("must be an object with an id", `${field}[${index}]`);
    const id = parseId(entry.id);
    if (id === null) throw validation("id must be a positive integer", `${field}[${index}].id`);
    return { id, meta: isObject(entry.meta) ? entry.meta : {}, raw: entry };
  });
}

export function readString(input: InputObject, field: string, options: { required?: boolean; maxLength?: number } = {}): string | undefined {
  const value = input[field];
  if (value === undefined || value === null || (options.required && value === "")) {
    if (options.required) throw mustBeSet(field);
    return undefined;
  }
  if (typeof value !== "string") throw validation("must be a string", field);
  if (options.required && value.trim() === "") throw mustBeSet(field);
  if (options.maxLength !== undefined && value.length > options.maxLength) {
    throw validation(`must be at most ${options.maxLength} characters`, field);
  }
  return value;
}

export function readBoolean(input: InputObject, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw validation("must be a boolean", field);
  return value;
}

export function readNumber(input: InputObject, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw validation("must be a number", field);
  return value;
}

export function readStringList(input: InputObject, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== "string")) throw validation("must be an array of strings", field);
  return value as string[];
}

export function readEnum<T extends string>(input: InputObject, field: string, allowed: readonly T[]): T | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw validation(`must be one of ${allowed.join(", ")}`, field);
  }
  return value as T;
}

/** Loose email check: something@something.tld, no spaces. */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** An RFC 3339 timestamp as the API writes it: second precision, UTC, `Z` (reference §2.1). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1_000) * 1_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Reads an RFC 3339 timestamp; null when absent, throws 400 when not a date. */
export function readTimestamp(input: InputObject, field: string, source = field): string | null {
  const value = input[field];
  if (value === undefined || value === null || value === "") return null;
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw validation("must be an RFC 3339 date-time", source);
  return rfc3339(ms);
}
