// Normalisers shared by value transforms and the audit: one definition of "a valid email", "the
// same domain", "a parseable phone", so what the audit predicts is what the migration does.
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { asCountryCode, domainHost, isCalendarDate, normalizeEmail, parseWebUrl, phoneAsTyped, phoneFromParsed } from "@/connectors/shared/values";
import type { Phone } from "@/connectors/types";

// The system-independent pieces live in connectors/shared/values.ts, where the connectors use them too.
export { asCountryCode, domainHost, normalizeEmail };

// ---------------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------------

// Stricter than "has an @": one @, a local part without spaces or doubled/edge dots, and a
// domain of dot-separated labels ending in a letters-only TLD. Catches what people mistype
// ("jo@", "jo smith@x.com", "jo@@x.com", "jo@acme", "jo@acme..com", "n/a").
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_DOMAIN = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;

export function isValidEmail(input: string): boolean {
  const email = normalizeEmail(input);
  const at = email.indexOf("@");
  if (at <= 0 || at !== email.lastIndexOf("@")) return false;
  return EMAIL_LOCAL.test(email.slice(0, at)) && EMAIL_DOMAIN.test(email.slice(at + 1));
}

// ---------------------------------------------------------------------------------------------
// Phone
// ---------------------------------------------------------------------------------------------

/**
 * A phone number in the canonical Phone shape, parsed with libphonenumber-js. National numbers
 * are read in the value's own country, then in `defaultCountry`. "00" international prefixes
 * become "+". callingCode is written with its "+" ("+44"), as Twenty's guide shows it.
 * `parsed` is false when no reading gives a valid number (libphonenumber's isValid: right
 * length and prefixes for the country); the result then keeps what the source had.
 */
export function normalizePhone(input: Phone | string, defaultCountry?: string): { phone: Phone; parsed: boolean } {
  const value: Phone = typeof input === "string" ? phoneAsTyped(input) : input;
  const raw = value.raw.trim() !== "" ? value.raw : (value.e164 ?? value.national ?? "");
  const countries = [...new Set([asCountryCode(value.countryCode), asCountryCode(defaultCountry)])];
  const typed = raw.trim().replace(/^00(?=[1-9])/, "+");
  const candidates = [typed, value.e164, value.national && value.callingCode ? `+${value.callingCode.replace(/\D/g, "")}${value.national}` : null];
  for (const candidate of candidates) {
    if (!candidate || candidate.trim() === "") continue;
    for (const country of countries) {
      const parsed = parsePhoneNumberFromString(candidate, country);
      if (parsed && parsed.isValid()) {
        return { phone: phoneFromParsed(parsed, raw, parsed.country ?? country ?? null), parsed: true };
      }
    }
  }
  return { phone: { e164: null, countryCode: value.countryCode, callingCode: value.callingCode, national: value.national, raw }, parsed: false };
}

// ---------------------------------------------------------------------------------------------
// URL and domain
// ---------------------------------------------------------------------------------------------

/** "acme.com/x" → "https://acme.com/x": adds https:// when missing, lower-cases the host, drops a lone trailing slash. */
export function normalizeUrl(input: string): string | null {
  const url = parseWebUrl(input);
  if (url === null) return null;
  const text = url.toString();
  return url.pathname === "/" && url.search === "" && url.hash === "" ? text.replace(/\/$/, "") : text;
}

/**
 * A company domain as Twenty's migration guide asks: "https://domain.com", never "domain.com"
 * nor "www.domain.com" (the bare host is what its email sync matches, so a kept "www." would
 * create a second company later). Paths are dropped: a domain names a company, not a page.
 */
export function normalizeDomain(input: string): string | null {
  const host = domainHost(input);
  return host === null ? null : `https://${host}`;
}

// ---------------------------------------------------------------------------------------------
// Numbers, booleans, dates
// ---------------------------------------------------------------------------------------------

const CURRENCY_SYMBOLS = /[$€£¥₹]/g;

/**
 * Locale-tolerant number parsing: "1,234.5", "1.234,5", "1 234,5", "1'234.5", "12,5", "-3".
 * With both separators the last one is the decimal point; a lone separator followed by exactly
 * three digits is a thousands separator ("12,500" → 12500) unless `decimalSeparator` says
 * otherwise. Returns null for anything that is not a number.
 */
export function parseLocaleNumber(input: string, decimalSeparator?: "." | ","): number | null {
  let text = input
    .trim()
    .replace(CURRENCY_SYMBOLS, "")
    .replace(/[\s\u00a0\u202f']/g, "");
  if (text === "") return null;
  if (!/^[+-]?[\d.,]+$/.test(text) || !/\d/.test(text)) return null;
  const sign = text.startsWith("-") ? -1 : 1;
  text = text.replace(/^[+-]/, "");
  const lastDot = text.lastIndexOf(".");
  const lastComma = text.lastIndexOf(",");
  let decimal: "." | "," | null;
  if (decimalSeparator) decimal = decimalSeparator;
  else if (lastDot >= 0 && lastComma >= 0) decimal = lastDot > lastComma ? "." : ",";
  else if (lastDot < 0 && lastComma < 0) decimal = null;
  else {
    const separator = lastDot >= 0 ? "." : ",";
    const parts = text.split(separator);
    // "12,500" groups thousands; "0.500", "1234,567" and "12,5" carry decimals.
    const looksGrouped = parts.length > 2 || (parts[1].length === 3 && /^[1-9]\d{0,2}$/.test(parts[0]));
    decimal = looksGrouped ? null : separator;
  }
  const thousands = decimal === "." ? "," : decimal === "," ? "." : /[.,]/;
  const [whole, fraction, extra] = text.split(decimal ?? "\u0000");
  if (extra !== undefined) return null;
  const groups = whole.split(thousands);
  // Thousands groups after the first must have three digits ("1,23,4" is not a number).
  if (groups.some((group, index) => group === "" || (index > 0 && group.length !== 3))) return null;
  if (groups.length > 1 && groups[0].length > 3) return null;
  if (fraction !== undefined && !/^\d+$/.test(fraction)) return null;
  const value = Number(`${groups.join("")}${fraction !== undefined ? `.${fraction}` : ""}`);
  return Number.isFinite(value) ? sign * value : null;
}

const TRUE_WORDS = new Set(["yes", "y", "true", "t", "1", "on", "checked", "x"]);
const FALSE_WORDS = new Set(["no", "n", "false", "f", "0", "off", "unchecked"]);

/** "yes"/"true"/"1"… → true, "no"/"false"/"0"… → false, anything else → null. */
export function parseBoolean(input: string): boolean | null {
  const word = input.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return null;
}

const DATE_ONLY = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

const pad = (value: number) => String(value).padStart(2, "0");

/** An ISO instant ("2024-03-01T09:30:00.000Z"); a date-time without a zone is read as UTC. */
export function parseDateTime(input: string): string | null {
  const text = input.trim();
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const [year, month, day] = dateOnly.slice(1).map(Number);
    return isCalendarDate(year, month, day) ? `${year}-${pad(month)}-${pad(day)}T00:00:00.000Z` : null;
  }
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  const [year, month, day] = match.slice(1, 4).map(Number);
  if (!isCalendarDate(year, month, day)) return null;
  const zone = match[8] ? match[8].replace(/^([+-]\d{2})(\d{2})$/, "$1:$2").toUpperCase() : "Z";
  const ms = Date.parse(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6] ?? "00"}${match[7] ?? ""}${zone}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** "YYYY-MM-DD" (Twenty's guide); a date-time gives its UTC calendar day. */
export function parseDate(input: string): string | null {
  const text = input.trim();
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const [year, month, day] = dateOnly.slice(1).map(Number);
    return isCalendarDate(year, month, day) ? `${year}-${pad(month)}-${pad(day)}` : null;
  }
  const instant = parseDateTime(text);
  return instant === null ? null : instant.slice(0, 10);
}
