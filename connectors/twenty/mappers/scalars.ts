// Scalar field values (reference §3.3): dates as "YYYY-MM-DD", date-times as ISO-8601 UTC,
// numbers, booleans, text and ARRAY. Write-side helpers throw a VALIDATION ConnectorError naming
// the field, so one bad value fails its record before any request is sent.
import { invalidField, isCalendarDate, isoInstant } from "@/connectors/shared/values";

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})[T ]/;

function isRealDate(text: string): boolean {
  const match = DATE_ONLY.exec(text);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Twenty DATE → "YYYY-MM-DD" (some builds answer a full timestamp; its date part is kept). */
export function dateFromTwenty(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  if (isRealDate(value)) return value;
  const prefix = DATE_PREFIX.exec(value);
  return prefix ? prefix[1] : null;
}

/**
 * A date or date-time → "YYYY-MM-DD". The calendar date written in the value wins over its UTC
 * conversion: "2025-03-01T23:30:00-05:00" is a due date of March 1st for whoever typed it.
 */
export function dateToTwenty(value: string, field: string): string {
  const trimmed = value.trim();
  if (isRealDate(trimmed)) return trimmed;
  const prefix = DATE_PREFIX.exec(trimmed);
  if (prefix && isRealDate(prefix[1])) return prefix[1];
  // V8 rolls "2025-02-30" over to March 2nd; a calendar date that does not exist is an error.
  if (DATE_ONLY.test(trimmed) || prefix) throw invalidField(field, `"${value}" is not a date that exists`);
  const instant = isoInstant(trimmed);
  if (instant === null) throw invalidField(field, `"${value}" is not a date (expected YYYY-MM-DD)`);
  return instant.slice(0, 10);
}

export function dateTimeFromTwenty(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  return isoInstant(value);
}

/** Any parseable instant → ISO-8601 UTC; a bare date is midnight UTC. */
export function dateTimeToTwenty(value: string, field: string): string {
  const instant = isoInstant(value.trim());
  if (instant === null) throw invalidField(field, `"${value}" is not a date and time`);
  return instant;
}

export function numberFromTwenty(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}

export function numberToTwenty(value: unknown, field: string): number {
  const number = typeof value === "string" ? Number(value.trim().replace(/,/g, "")) : value;
  if (typeof number !== "number" || !Number.isFinite(number) || (typeof value === "string" && value.trim() === ""))
    throw invalidField(field, `"${String(value)}" is not a number`);
  return number;
}

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "on"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "off"]);

export function booleanToTwenty(value: unknown, field: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number" && (value === 0 || value === 1)) return value === 1;
  if (typeof value === "string") {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  throw invalidField(field, `"${String(value)}" is not true or false`);
}

export function textToTwenty(value: unknown, field: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join(", ");
  throw invalidField(field, "expects text");
}

/** ARRAY (tags): a list of strings; a single string becomes a one-item list. */
export function tagsToTwenty(value: unknown, field: string): string[] {
  if (typeof value === "string") return value.trim() === "" ? [] : [value.trim()];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.map((item) => item.trim()).filter((item) => item !== "");
  throw invalidField(field, "expects a list of text values");
}

export function tagsFromTwenty(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  const tags = value.filter((item): item is string => typeof item === "string");
  return tags.length === 0 ? null : tags;
}
