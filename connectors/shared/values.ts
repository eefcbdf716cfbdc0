// Value helpers that do not depend on any one system: email and domain normal forms, phones in
// the canonical Phone shape, plain text ↔ HTML, calendar dates, and the error a bad value raises.
// Used by the connectors' mappers and by lib/mapping/normalize.ts, so a value is read the same
// way by the audit, the transform and the writers.
import { isSupportedCountry } from "libphonenumber-js";
import type { CountryCode, PhoneNumber } from "libphonenumber-js";
import { ConnectorError } from "@/connectors/types";
import type { Phone } from "@/connectors/types";

/** A value that cannot be written: VALIDATION naming the field, so it fails its own record only. */
export function invalidField(field: string, message: string): ConnectorError {
  return new ConnectorError("VALIDATION", `${field}: ${message}`, { field });
}

// ---------------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------------

/** Trimmed and lower-cased: the form Twenty and Teamwork Desk store and compare (name@domain.com). */
export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// URL and domain
// ---------------------------------------------------------------------------------------------

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const HOST = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$/i;

/** A web address as typed ("acme.com/x", "https://acme.com"): http(s), a dotted host name, no spaces; null otherwise. */
export function parseWebUrl(input: string): URL | null {
  const trimmed = input.trim();
  if (trimmed === "" || /\s/.test(trimmed)) return null;
  const withScheme = SCHEME.test(trimmed) ? trimmed : `https://${trimmed.replace(/^\/+/, "")}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const host = url.hostname.replace(/\.$/, "");
  return HOST.test(host) ? url : null;
}

/** The host a domain value names, lower-case, without "www." or port: the key two companies share. */
export function domainHost(input: string): string | null {
  const url = parseWebUrl(input);
  return url === null
    ? null
    : url.hostname
        .toLowerCase()
        .replace(/\.$/, "")
        .replace(/^www\./, "");
}

// ---------------------------------------------------------------------------------------------
// Phone
// ---------------------------------------------------------------------------------------------

export function asCountryCode(code: string | null | undefined): CountryCode | undefined {
  const upper = code?.trim().toUpperCase();
  return upper && isSupportedCountry(upper) ? (upper as CountryCode) : undefined;
}

/** A phone known only as the text typed: nothing parsed yet. */
export function phoneAsTyped(raw: string): Phone {
  return { e164: null, countryCode: null, callingCode: null, national: null, raw };
}

/** A number libphonenumber-js parsed → canonical Phone; callingCode keeps its "+" ("+44"). */
export function phoneFromParsed(parsed: PhoneNumber, raw: string, countryCode: string | null = parsed.country ?? null): Phone {
  return { e164: parsed.number, countryCode, callingCode: `+${parsed.countryCallingCode}`, national: parsed.nationalNumber, raw };
}

// ---------------------------------------------------------------------------------------------
// Text and HTML
// ---------------------------------------------------------------------------------------------

const HTML_TAG = /<([a-z][a-z0-9]*)\b[^>]*>/i;
const HTML_ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": " " };

/** Whether text carries at least one HTML tag (plain text with a "<" does not). */
export function looksLikeHtml(text: string): boolean {
  return HTML_TAG.test(text);
}

/** Escapes text for an element's content (not for attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Plain text → HTML: blank-line-separated paragraphs in <p>, single line breaks as <br>, markup escaped. */
export function textToHtmlParagraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

/** Decodes the entities editors write in text (&amp; &lt; &gt; &quot; &#39; &nbsp;), in one pass. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (entity) => HTML_ENTITIES[entity]);
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/** Any instant Date.parse reads → ISO-8601 UTC; null when it reads none. */
export function isoInstant(text: string): string | null {
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

/** A read's `since` as an ISO instant (null: read everything); text that is no date is a VALIDATION error. */
export function sinceInstant(since: string | null | undefined): string | null {
  if (!since) return null;
  const instant = isoInstant(since);
  if (instant === null) throw new ConnectorError("VALIDATION", `"${since}" is not a date and time`);
  return instant;
}

/** Whether year-month-day names a day that exists (JavaScript rolls "2025-02-30" over to March). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
