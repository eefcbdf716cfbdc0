// Scalar conversions between Teamwork Desk values and canonical ones: timestamps, text, emails,
// phones, HTML bodies, names. Pure; write-side helpers throw a VALIDATION ConnectorError naming
// the field so one bad value fails its own record, before any request is sent.
import { parsePhoneNumberFromString } from "libphonenumber-js";
import {
  decodeHtmlEntities,
  invalidField,
  isoInstant,
  looksLikeHtml,
  normalizeEmail,
  phoneAsTyped,
  phoneFromParsed,
  textToHtmlParagraphs,
} from "@/connectors/shared/values";
import type { Address, CanonicalValue, FullName, Phone } from "@/connectors/types";

/** §2.1 [S]: some system rows report this instead of a real timestamp. */
const ZERO_TIME = /^0001-01-01/;
// Connector-specific on purpose: needs a dotted domain, unlike Twenty's isPlausibleEmail (which
// leaves validity to Twenty), and is looser than lib/mapping's isValidEmail.
const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An entity without any tag still means the text is HTML-encoded already. */
const HTML_ENTITY = /&[a-z]+;|&#\d+;/i;

export function text(value: unknown): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

/** Teamwork timestamp (RFC 3339) → ISO-8601 UTC; null for empty, unparseable or the zero time. */
export function dateTimeFromDesk(value: unknown): string | null {
  if (typeof value !== "string" || value === "" || ZERO_TIME.test(value)) return null;
  return isoInstant(value);
}

/** Any parseable instant → RFC 3339 UTC without milliseconds, as the import sample writes them (§6). */
export function dateTimeToDesk(value: string, field: string): string {
  const instant = isoInstant(value.trim());
  if (instant === null) throw invalidField(field, `"${value}" is not a date and time`);
  return instant.replace(/\.\d{3}Z$/, "Z");
}

/** Lower-case "a-b-c" form of a label, used to match option values and names loosely. */
export function slug(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function isPlausibleEmail(email: string): boolean {
  return LOOKS_LIKE_EMAIL.test(email.trim());
}

/** A canonical email value → normalised address, null when empty; junk fails the field. */
export function emailToDesk(value: CanonicalValue, field: string): string | null {
  if (value === null) return null;
  if (typeof value !== "string") throw invalidField(field, "expects an email address");
  if (value.trim() === "") return null;
  if (!isPlausibleEmail(value)) throw invalidField(field, `"${value.trim()}" is not an email address`);
  return normalizeEmail(value);
}

export function emailListToDesk(value: CanonicalValue, field: string): string[] {
  if (value === null) return [];
  const list =
    typeof value === "string" ? value.split(/[,;]/) : Array.isArray(value) && value.every((item) => typeof item === "string") ? (value as string[]) : null;
  if (list === null) throw invalidField(field, "expects a list of email addresses");
  return [...new Set(list.map((item) => emailToDesk(item, field)).filter((item): item is string => item !== null))];
}

/** A Teamwork phone string → canonical Phone (E.164 when it parses; the text as typed is kept). */
export function phoneFromDesk(value: unknown): Phone | null {
  const raw = text(value);
  if (raw === null) return null;
  const parsed = parsePhoneNumberFromString(raw);
  return parsed && parsed.isPossible() ? phoneFromParsed(parsed, raw) : phoneAsTyped(raw);
}

/** Canonical phone → the one string Teamwork stores: E.164 when known, else the text as typed. */
export function phoneToDesk(value: CanonicalValue, field: string): string | null {
  if (value === null) return null;
  if (typeof value === "string") return text(value);
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return null;
  if (typeof first === "object" && first !== null && "raw" in first) {
    const phone = first as Phone;
    return phone.e164 ?? text(phone.raw);
  }
  throw invalidField(field, "expects a phone number");
}

export function fullNameFromDesk(firstName: unknown, lastName: unknown): FullName | null {
  const first = text(firstName) ?? "";
  const last = text(lastName) ?? "";
  return first === "" && last === "" ? null : { firstName: first, lastName: last };
}

/** Canonical full name (or a single string, split at the last space) → first/last name. */
export function fullNameToDesk(value: CanonicalValue, field: string): FullName {
  if (value === null) return { firstName: "", lastName: "" };
  if (typeof value === "string") {
    const trimmed = value.trim().replace(/\s+/g, " ");
    const cut = trimmed.lastIndexOf(" ");
    return cut === -1 ? { firstName: trimmed, lastName: "" } : { firstName: trimmed.slice(0, cut), lastName: trimmed.slice(cut + 1) };
  }
  if (typeof value === "object" && !Array.isArray(value) && "firstName" in value) {
    const name = value as FullName;
    return { firstName: (name.firstName ?? "").trim(), lastName: (name.lastName ?? "").trim() };
  }
  throw invalidField(field, "expects a name");
}

/** Teamwork keeps a customer's address as one string (§5.4): it becomes the first street line. */
export function addressFromDesk(value: unknown): Address | null {
  const raw = text(value);
  return raw === null ? null : { street1: raw };
}

export function addressToDesk(value: CanonicalValue, field: string): string | null {
  if (value === null) return null;
  if (typeof value === "string") return text(value);
  if (typeof value === "object" && !Array.isArray(value)) {
    const address = value as Address;
    const parts = [address.street1, address.street2, [address.postcode, address.city].filter(Boolean).join(" "), address.state, address.country];
    const line = parts
      .map((part) => part?.trim())
      .filter((part): part is string => Boolean(part))
      .join(", ");
    return line === "" ? null : line;
  }
  throw invalidField(field, "expects an address");
}

export function textToDesk(value: CanonicalValue, field: string): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return (value as string[]).join(", ");
  throw invalidField(field, "expects text");
}

export function stringListToDesk(value: CanonicalValue, field: string): string[] {
  if (value === null) return [];
  if (typeof value === "string") return value.trim() === "" ? [] : [value.trim()];
  if (Array.isArray(value) && value.every((item) => typeof item === "string"))
    return [...new Set((value as string[]).map((item) => item.trim()).filter((item) => item !== ""))];
  throw invalidField(field, "expects a list of text");
}

export function booleanToDesk(value: CanonicalValue, field: string): boolean | null {
  if (value === null) return null;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") {
    const lower = value.trim().toLowerCase();
    if (["true", "yes", "y", "1", "on"].includes(lower)) return true;
    if (["false", "no", "n", "0", "off", ""].includes(lower)) return false;
  }
  throw invalidField(field, `"${String(value)}" is not yes or no`);
}

/** A body for Teamwork (HTML, §5.2): HTML is kept; plain text is escaped into paragraphs. */
export function toHtmlBody(value: string): string {
  if (looksLikeHtml(value) || HTML_ENTITY.test(value)) return value;
  return textToHtmlParagraphs(value.trim());
}

/** The visible text of an HTML body, whitespace collapsed: used to recognise a thread already written. */
export function htmlToText(html: string): string {
  const withoutTags = html.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]+>/g, " ");
  return decodeHtmlEntities(withoutTags).replace(/\s+/g, " ").trim();
}
