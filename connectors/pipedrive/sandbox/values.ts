// What the sandbox accepts in a record's body and how it renders records (reference §5, §6.3):
// v2 times as RFC 3339 without milliseconds, v1 times as "YYYY-MM-DD HH:MM:SS".
import { badRequest } from "./errors";
import type { PipedriveField, PipedriveStore, RecordEntity } from "./store";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;
export const VARCHAR_MAX = 255;

export function v2Time(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function v1Time(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, "");
}

/** §5.7: `updated_since` is RFC 3339; the v1 form is accepted too. */
export function parseInstant(value: string, name: string): number {
  const parsed = Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(" ", "T")}Z` : value);
  if (Number.isNaN(parsed)) throw badRequest(`Invalid ${name}: expected an RFC 3339 date-time, e.g. 2025-01-01T10:20:00Z`);
  return parsed;
}

export function requireInteger(value: unknown, name: string): number {
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number <= 0) throw badRequest(`Parameter '${name}' must be a positive integer`);
  return number;
}

export function requireString(value: unknown, name: string, maxLength?: number): string {
  if (typeof value !== "string") throw badRequest(`Parameter '${name}' must be a string`);
  if (maxLength !== undefined && value.length > maxLength) throw badRequest(`Parameter '${name}' is longer than ${maxLength} characters`);
  return value;
}

export function requireDate(value: unknown, name: string): string {
  if (typeof value !== "string" || !DATE.test(value) || Number.isNaN(Date.parse(value)))
    throw badRequest(`Parameter '${name}' must be a date in the format YYYY-MM-DD`);
  return value;
}

export function requireTime(value: unknown, name: string): string {
  if (typeof value !== "string" || !TIME.test(value)) throw badRequest(`Parameter '${name}' must be a time in the format HH:MM`);
  return value;
}

export function requireUser(store: PipedriveStore, value: unknown, name: string): number {
  const id = requireInteger(value, name);
  if (!store.users.some((user) => user.id === id)) throw badRequest(`User with id ${id} (${name}) does not exist`);
  return id;
}

export function requireRecord(store: PipedriveStore, entity: RecordEntity, value: unknown, name: string): number {
  const id = requireInteger(value, name);
  const record = store.records[entity].get(id);
  if (!record || record.isDeleted)
    throw badRequest(`${entity === "organizations" ? "Organization" : entity === "persons" ? "Person" : "Deal"} with id ${id} (${name}) does not exist`);
  return id;
}

/** §5.1: emails and phones are arrays of `{ value, primary, label }`; the first becomes primary when none is. */
export function contactList(value: unknown, name: string): { value: string; primary: boolean; label: string }[] {
  if (!Array.isArray(value)) throw badRequest(`Parameter '${name}' must be an array of { value, primary, label }`);
  const items = value.map((item) => {
    if (typeof item === "string") return { value: item, primary: false, label: "work" };
    if (typeof item !== "object" || item === null || typeof (item as { value?: unknown }).value !== "string")
      throw badRequest(`Parameter '${name}' must be an array of { value, primary, label }`);
    const entry = item as { value: string; primary?: unknown; label?: unknown };
    return { value: entry.value, primary: entry.primary === true, label: typeof entry.label === "string" ? entry.label : "work" };
  });
  if (items.length > 0 && !items.some((item) => item.primary)) items[0].primary = true;
  return items;
}

function optionIds(field: PipedriveField, value: unknown): number[] {
  const list = Array.isArray(value) ? value : typeof value === "string" && field.field_type === "set" ? value.split(",") : [value];
  return list.map((item) => {
    const id = requireInteger(typeof item === "string" ? item.trim() : item, field.field_name);
    if (!field.options?.some((option) => option.id === id)) throw badRequest(`Option id ${id} is not an option of the field '${field.field_name}'`);
    return id;
  });
}

/** §6.3: the value a custom field of each type takes; null clears it. */
export function customValue(store: PipedriveStore, field: PipedriveField, value: unknown): unknown {
  if (value === null) return null;
  const name = field.field_name;
  switch (field.field_type) {
    case "varchar":
    case "varchar_auto":
    case "phone":
      return requireString(value, name, VARCHAR_MAX);
    case "text":
      return requireString(value, name, 65_535);
    case "double":
      if (typeof value !== "number" || !Number.isFinite(value)) throw badRequest(`Field '${name}' takes a number`);
      return value;
    case "monetary": {
      // §6.3 [U]: `{ value, currency }`; a bare number is accepted as well.
      if (typeof value === "number") return { value, currency: null };
      const money = value as { value?: unknown; currency?: unknown };
      if (typeof money !== "object" || typeof money.value !== "number") throw badRequest(`Field '${name}' takes { value, currency }`);
      return { value: money.value, currency: typeof money.currency === "string" ? money.currency : null };
    }
    case "date":
      return requireDate(value, name);
    case "time":
      return requireTime(value, name);
    case "enum":
      return optionIds(field, value)[0];
    case "set":
      return optionIds(field, value);
    case "address":
      // §6.3 [U]: an object with `value`, or the formatted address as a string.
      if (typeof value === "string") return { value };
      if (typeof value === "object" && typeof (value as { value?: unknown }).value === "string") return value;
      throw badRequest(`Field '${name}' takes an address`);
    case "user":
      return requireUser(store, value, name);
    case "org":
      return requireRecord(store, "organizations", value, name);
    case "people":
      return requireRecord(store, "persons", value, name);
    default:
      return value;
  }
}

export function customFieldValues(
  store: PipedriveStore,
  entity: RecordEntity,
  value: unknown,
  previous: Record<string, unknown> = {},
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badRequest("Parameter 'custom_fields' must be an object keyed by field key");
  const result = { ...previous };
  for (const [code, raw] of Object.entries(value)) {
    const field = store.customField(entity, code);
    if (!field) throw badRequest(`Unknown custom field key '${code}'`);
    result[code] = customValue(store, field, raw);
  }
  return result;
}
