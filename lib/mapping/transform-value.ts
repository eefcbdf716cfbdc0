// Pure conversions of one canonical value from a source field to a target field. Dispatches on
// the target type and reads the value by its shape, so a source that describes a field loosely
// still converts. Relations and users pass through here: resolving them to target ids is the
// record transform's job (lib/migration/transform.ts).
import { marked } from "marked";
import { createTurndown } from "@/connectors/shared/html-markdown";
import { decodeHtmlEntities, escapeHtml, looksLikeHtml } from "@/connectors/shared/values";
import type { Address, CanonicalValue, Currency, FieldDescription, FullName, Phone, RelationRef } from "@/connectors/types";
import { compatibility } from "@/lib/mapping/compatibility";
import type { TransformOptions } from "@/lib/mapping/field-mapping";
import {
  normalizeDomain,
  normalizeEmail,
  normalizePhone,
  normalizeUrl,
  isValidEmail,
  parseBoolean,
  parseDate,
  parseDateTime,
  parseLocaleNumber,
} from "@/lib/mapping/normalize";
import { labelOf, matchOption } from "@/lib/mapping/options";
import { ADDRESS_PARTS, describeValue, isAddress, isCurrency, isFullName, isPhone, isRelationRef, isStringList, isUserRef } from "@/lib/mapping/values";
import { isNotAPhoneNumber } from "./phone-data";

export type TransformContext = {
  options?: TransformOptions;
  /** Source option value → target option value. */
  valueMap?: Record<string, string>;
  /** The mapping's default, in the target's shape: used for select values that are not options. */
  defaultValue?: CanonicalValue;
};

export type TransformResult = { ok: true; value: CanonicalValue } | { ok: false; code: "VALIDATION"; message: string };

const MICROS_PER_UNIT = 1_000_000;
const DEFAULT_SEPARATOR = ", ";
const DEFAULT_CURRENCY = "USD";
const ELLIPSIS = "…";
/** How many allowed options an error message lists before "…". */
const MAX_LISTED_OPTIONS = 8;

const ok = (value: CanonicalValue): TransformResult => ({ ok: true, value });
const fail = (message: string): TransformResult => ({ ok: false, code: "VALIDATION", message });
const quoted = (value: CanonicalValue) => `"${describeValue(value)}"`;

// ---------------------------------------------------------------------------------------------
// HTML ↔ text
// ---------------------------------------------------------------------------------------------

const turndown = createTurndown();
// Plain-text targets show the text as is: Markdown escapes ("1\." or "\*") would read as noise.
turndown.escape = (text: string) => text;

export function htmlToText(html: string): string {
  // Plain text in an HTML field keeps its line breaks (turndown would join them).
  if (!looksLikeHtml(html)) return decodeHtmlEntities(html).trim();
  return (
    turndown
      .turndown(html)
      // A <br> becomes a Markdown hard break ("  \n"); plain text needs no trailing spaces.
      .replace(/ +\n/g, "\n")
      .replace(/\u00a0/g, " ")
      // Turndown pads list markers to four columns ("-   item"); one space reads as typed text.
      .replace(/^(\s*)([-*]|\d+\.) {2,}/gm, "$1$2 ")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}

/** Text → HTML: escaped first (text never injects markup), then Markdown and line breaks rendered. */
export function textToHtml(text: string): string {
  return (marked.parse(escapeHtml(text).replace(/"/g, "&quot;"), { async: false, gfm: true, breaks: true }) as string).trim();
}

// ---------------------------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------------------------

/** Whether a relation field holds a list (Twenty's note/task targets) rather than one record. */
export function acceptsManyRelations(field: FieldDescription): boolean {
  return field.key.startsWith("targets.") || /targets$/i.test(field.nativeType);
}

/** A company-domain field (Sample's "domain", Twenty's domainName, a "website" field of a company). */
export function isDomainField(field: FieldDescription): boolean {
  return /domain/i.test(field.key) || /domain/i.test(field.nativeType) || /^website$/i.test(field.key);
}

export function splitFullName(text: string): FullName {
  const clean = text.trim().replace(/\s+/g, " ");
  // "Doe, Jane" is last name first.
  const comma = /^([^,]+),\s*(.+)$/.exec(clean);
  if (comma) return { firstName: comma[2].trim(), lastName: comma[1].trim() };
  const space = clean.indexOf(" ");
  return space < 0 ? { firstName: clean, lastName: "" } : { firstName: clean.slice(0, space), lastName: clean.slice(space + 1) };
}

export function joinFullName(name: FullName): string {
  return `${name.firstName.trim()} ${name.lastName.trim()}`.trim();
}

export function addressToText(address: Address, separator = DEFAULT_SEPARATOR): string {
  const cityLine = [address.postcode, address.city].filter((part) => part && part.trim() !== "").join(" ");
  return [address.street1, address.street2, cityLine, address.state, address.country]
    .filter((part): part is string => typeof part === "string" && part.trim() !== "")
    .map((part) => part.trim())
    .join(separator);
}

export function formatCurrency(currency: Currency): string {
  const amount = currency.amountMicros / MICROS_PER_UNIT;
  const text = currency.amountMicros % 10_000 === 0 ? amount.toFixed(2) : String(amount);
  return `${text} ${currency.currencyCode}`;
}

function parseCurrencyText(text: string, options: TransformOptions): Currency | null {
  const code = /\b([A-Za-z]{3})\b/.exec(text)?.[1]?.toUpperCase();
  const symbol = /[$€£]/.exec(text)?.[0];
  const bySymbol: Record<string, string> = { $: "USD", "€": "EUR", "£": "GBP" };
  const amount = parseLocaleNumber(text.replace(/\b[A-Za-z]{3}\b/, ""), options.decimalSeparator);
  if (amount === null) return null;
  return {
    amountMicros: Math.round(amount * MICROS_PER_UNIT),
    currencyCode: code ?? (symbol ? bySymbol[symbol] : undefined) ?? options.currencyCode?.toUpperCase() ?? DEFAULT_CURRENCY,
  };
}

function splitList(text: string): string[] {
  return text.split(/[,;\n]/).map((item) => item.trim());
}

function cleanList(values: string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const value of values.map((item) => item.trim())) {
    if (value === "" || seen.has(value)) continue;
    seen.add(value);
    result.push(value);
  }
  return result;
}

/** Values of a select, multiselect or tags field as a list of strings (null for other shapes). */
function asList(value: CanonicalValue, from: FieldDescription): string[] | null {
  if (isStringList(value)) return value;
  if (typeof value === "string") return from.type === "select" || from.type === "email" || from.type === "url" ? [value] : splitList(value);
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  return null;
}

/** Any value as text, for text, long text and HTML targets. */
function asText(value: CanonicalValue, from: FieldDescription, options: TransformOptions): string | null {
  const separator = options.separator ?? DEFAULT_SEPARATOR;
  if (typeof value === "string") {
    if (from.type === "html") return htmlToText(value);
    if (from.type === "select") return labelOf(value, from.options);
    return value;
  }
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (isStringList(value)) return value.map((item) => (from.type === "multiselect" ? labelOf(item, from.options) : item)).join(separator);
  if (Array.isArray(value)) {
    const phones = value.filter(isPhone);
    return phones.length === value.length ? phones.map((phone) => phone.e164 ?? phone.raw).join(separator) : null;
  }
  if (isPhone(value)) return value.e164 ?? value.raw;
  if (isFullName(value)) return options.namePart ? value[options.namePart] : joinFullName(value);
  if (isCurrency(value)) return formatCurrency(value);
  if (isRelationRef(value)) return null;
  if (isUserRef(value)) return value.name ?? value.email ?? value.id;
  if (isAddress(value)) return options.addressPart ? (value[options.addressPart] ?? "") : addressToText(value, separator);
  return null;
}

function blankToNull(text: string | null): string | null {
  return text === null || text.trim() === "" ? null : text;
}

function checkLength(text: string, to: FieldDescription, options: TransformOptions): TransformResult {
  if (to.maxLength === undefined || text.length <= to.maxLength) return ok(text);
  if (options.truncate && to.type !== "html") return ok(`${text.slice(0, Math.max(0, to.maxLength - ELLIPSIS.length))}${ELLIPSIS}`);
  const hint = to.type === "html" ? "" : " (or let Ferry shorten it with the truncate option)";
  return fail(`${text.length} characters is over the limit of ${to.maxLength} for ${to.label}; shorten it in the source${hint}`);
}

type OptionResult = { ok: true; value: string | null } | { ok: false; message: string };

function listOptions(to: FieldDescription): string {
  const values = (to.options ?? []).map((option) => option.value);
  const shown = values.slice(0, MAX_LISTED_OPTIONS).join(", ");
  return values.length > MAX_LISTED_OPTIONS ? `${shown}, …` : shown;
}

/** One source value → a target option value, by value map, match, default or failure. */
function mapOption(value: string, from: FieldDescription, to: FieldDescription, context: TransformContext): OptionResult {
  const options = to.options ?? [];
  const mapped = context.valueMap?.[value];
  if (mapped !== undefined) {
    if (options.length > 0 && !options.some((option) => option.value === mapped)) {
      return { ok: false, message: `the value map sends "${value}" to "${mapped}", which is not an option of ${to.label} (options: ${listOptions(to)})` };
    }
    return { ok: true, value: mapped };
  }
  if (options.length === 0) return { ok: true, value };
  const matched = matchOption(value, options, from.options?.find((option) => option.value === value)?.label);
  if (matched !== null) return { ok: true, value: matched };
  const policy = context.options?.unknownValue ?? (context.defaultValue !== undefined ? "default" : "fail");
  if (policy === "drop") return { ok: true, value: null };
  if (policy === "default" && typeof context.defaultValue === "string") return { ok: true, value: context.defaultValue };
  if (policy === "default" && context.defaultValue === null) return { ok: true, value: null };
  return { ok: false, message: `"${value}" is not an option of ${to.label} (options: ${listOptions(to)}); map it to one in the value map` };
}

// ---------------------------------------------------------------------------------------------
// Per target type
// ---------------------------------------------------------------------------------------------

function toText(value: CanonicalValue, from: FieldDescription, to: FieldDescription, options: TransformOptions): TransformResult {
  const text = asText(value, from, options);
  if (text === null) return fail(`${quoted(value)} cannot be written as text`);
  const clean = blankToNull(text);
  return clean === null ? ok(null) : checkLength(clean, to, options);
}

function toHtml(value: CanonicalValue, from: FieldDescription, to: FieldDescription, options: TransformOptions): TransformResult {
  if (typeof value === "string" && from.type === "html") return blankToNull(htmlToText(value)) === null ? ok(null) : checkLength(value, to, options);
  const text = blankToNull(asText(value, from, options));
  return text === null ? ok(null) : checkLength(textToHtml(text), to, options);
}

function toNumber(value: CanonicalValue, from: FieldDescription, options: TransformOptions): TransformResult {
  if (typeof value === "number") return ok(value);
  if (typeof value === "boolean") return ok(value ? 1 : 0);
  if (isCurrency(value)) return ok(value.amountMicros / MICROS_PER_UNIT);
  if (typeof value === "string") {
    if (value.trim() === "") return ok(null);
    const number = parseLocaleNumber(value, options.decimalSeparator);
    return number === null ? fail(`${quoted(value)} is not a number`) : ok(number);
  }
  return fail(`${quoted(value)} is not a number`);
}

function toBoolean(value: CanonicalValue, from: FieldDescription, context: TransformContext): TransformResult {
  if (typeof value === "boolean") return ok(value);
  if (typeof value === "number") return ok(value !== 0);
  if (typeof value === "string") {
    if (value.trim() === "") return ok(null);
    const mapped = context.valueMap?.[value];
    const parsed = parseBoolean(mapped ?? value) ?? (from.type === "select" ? parseBoolean(labelOf(value, from.options)) : null);
    return parsed === null ? fail(`${quoted(value)} is not yes or no`) : ok(parsed);
  }
  return fail(`${quoted(value)} is not yes or no`);
}

function toDate(value: CanonicalValue, withTime: boolean): TransformResult {
  if (typeof value !== "string") return fail(`${quoted(value)} is not a date`);
  if (value.trim() === "") return ok(null);
  const parsed = withTime ? parseDateTime(value) : parseDate(value);
  return parsed === null ? fail(`${quoted(value)} is not a date (expected YYYY-MM-DD${withTime ? " with an optional time" : ""})`) : ok(parsed);
}

function toEmail(value: CanonicalValue, to: FieldDescription, options: TransformOptions): TransformResult {
  const raw = isUserRef(value) ? value.email : typeof value === "string" ? value : null;
  if (raw === null) return isUserRef(value) ? ok(null) : fail(`${quoted(value)} is not an email address`);
  if (raw.trim() === "") return ok(null);
  const email = normalizeEmail(raw);
  if (!isValidEmail(email)) return fail(`"${raw.trim()}" is not a valid email address`);
  return checkLength(email, to, options);
}

function toPhone(value: CanonicalValue, options: TransformOptions): TransformResult {
  const list: (Phone | string)[] | null =
    typeof value === "string" || isPhone(value)
      ? [value]
      : Array.isArray(value) && value.every((item) => typeof item === "string" || isPhone(item))
        ? (value as (Phone | string)[])
        : null;
  if (list === null) return fail(`${quoted(value)} is not a phone number`);
  const phones: Phone[] = [];
  for (const item of list) {
    const typed = typeof item === "string" ? item : item.raw || item.e164 || "";
    // "call me after 5", "000": not phone numbers, so never written into a phone field.
    if (typed.trim() === "" || isNotAPhoneNumber(typed)) continue;
    const { phone, parsed } = normalizePhone(item, options.defaultCountry);
    if (!parsed && options.requireValidPhone) return fail(`"${phone.raw}" cannot be read as a phone number`);
    phones.push(phone);
  }
  if (phones.length === 0) return ok(null);
  return ok(Array.isArray(value) ? phones : phones[0]);
}

function toUrl(value: CanonicalValue, from: FieldDescription, to: FieldDescription, options: TransformOptions): TransformResult {
  if (typeof value !== "string") return fail(`${quoted(value)} is not a web address`);
  if (value.trim() === "") return ok(null);
  const asDomain = options.urlMode ? options.urlMode === "domain" : isDomainField(to) || isDomainField(from);
  const url = asDomain ? normalizeDomain(value) : normalizeUrl(value);
  if (url === null) return fail(`"${value.trim()}" is not a ${asDomain ? "domain" : "web address"}`);
  return checkLength(url, to, options);
}

function toSelect(value: CanonicalValue, from: FieldDescription, to: FieldDescription, context: TransformContext): TransformResult {
  const list = asList(value, from);
  if (list === null) return fail(`${quoted(value)} cannot be a choice`);
  const first = list.map((item) => item.trim()).find((item) => item !== "");
  if (first === undefined) return ok(null);
  const mapped = mapOption(first, from, to, context);
  return mapped.ok ? ok(mapped.value) : fail(mapped.message);
}

function toMany(value: CanonicalValue, from: FieldDescription, to: FieldDescription, context: TransformContext): TransformResult {
  const list = asList(value, from);
  if (list === null) return fail(`${quoted(value)} cannot be a list of values`);
  const values: string[] = [];
  for (const item of cleanList(list)) {
    if (to.type === "tags") {
      // Tags are free text: a mapped value or the source option's label.
      values.push(context.valueMap?.[item] ?? (from.type === "select" || from.type === "multiselect" ? labelOf(item, from.options) : item));
      continue;
    }
    const mapped = mapOption(item, from, to, { ...context, defaultValue: undefined });
    if (mapped.ok) {
      if (mapped.value !== null) values.push(mapped.value);
      continue;
    }
    const policy = context.options?.unknownValue ?? (context.defaultValue !== undefined ? "default" : "fail");
    if (policy === "drop") continue;
    if (policy === "default" && context.defaultValue !== undefined) {
      const fallback = context.defaultValue;
      values.push(...(isStringList(fallback) ? fallback : typeof fallback === "string" ? [fallback] : []));
      continue;
    }
    return fail(mapped.message);
  }
  const result = cleanList(values);
  if (result.length === 0) return ok(to.type === "tags" ? [] : null);
  return ok(result);
}

function toCurrency(value: CanonicalValue, options: TransformOptions): TransformResult {
  if (isCurrency(value)) return ok({ amountMicros: Math.round(value.amountMicros), currencyCode: value.currencyCode.toUpperCase() });
  if (typeof value === "number")
    return ok({ amountMicros: Math.round(value * MICROS_PER_UNIT), currencyCode: options.currencyCode?.toUpperCase() ?? DEFAULT_CURRENCY });
  if (typeof value === "string") {
    if (value.trim() === "") return ok(null);
    const currency = parseCurrencyText(value, options);
    return currency === null ? fail(`${quoted(value)} is not an amount`) : ok(currency);
  }
  return fail(`${quoted(value)} is not an amount`);
}

function toFullName(value: CanonicalValue, options: TransformOptions): TransformResult {
  if (isFullName(value)) {
    const name = { firstName: value.firstName.trim(), lastName: value.lastName.trim() };
    return name.firstName === "" && name.lastName === "" ? ok(null) : ok(name);
  }
  if (typeof value !== "string") return fail(`${quoted(value)} is not a name`);
  if (value.trim() === "") return ok(null);
  if (options.namePart) {
    const text = value.trim().replace(/\s+/g, " ");
    return ok(options.namePart === "firstName" ? { firstName: text, lastName: "" } : { firstName: "", lastName: text });
  }
  return ok(splitFullName(value));
}

function toAddress(value: CanonicalValue, options: TransformOptions): TransformResult {
  if (isAddress(value)) {
    const address: Address = {};
    for (const part of ADDRESS_PARTS) {
      const text = value[part]?.trim();
      if (text) address[part] = text;
    }
    return Object.keys(address).length === 0 ? ok(null) : ok(address);
  }
  if (typeof value !== "string") return fail(`${quoted(value)} is not an address`);
  if (value.trim() === "") return ok(null);
  return ok({ [options.addressPart ?? "street1"]: value.trim() });
}

function toRelation(value: CanonicalValue, to: FieldDescription): TransformResult {
  const refs: RelationRef[] | null = isRelationRef(value) ? [value] : Array.isArray(value) && value.every(isRelationRef) ? (value as RelationRef[]) : null;
  if (refs === null) return fail(`${quoted(value)} is not a link to a record`);
  if (refs.length === 0) return ok(null);
  // A list cannot go into a one-record link: the first linked record is kept.
  return ok(acceptsManyRelations(to) ? refs : refs[0]);
}

// ---------------------------------------------------------------------------------------------
// Safe repairs
// ---------------------------------------------------------------------------------------------

/** Marks text Ferry shortened to fit the target (the full text stays in the run's warnings). */
export const TRUNCATION_MARKER = " […]";

/** What a repair changed, for the record's warning ("removed the spaces"). */
export type Repair = { value: CanonicalValue; change: string };

/** Typing slips that leave no doubt about the meant value: spaces, doubled "@" or ".", edge dots. */
function cleanTyping(text: string, joinWith: "@" | "."): { text: string; changes: string[] } {
  const changes: string[] = [];
  let clean = text.trim();
  if (/\s/.test(clean)) {
    clean = clean.replace(/\s+/g, "");
    changes.push("removed the spaces");
  }
  if (joinWith === "@" && /@{2,}/.test(clean)) {
    clean = clean.replace(/@{2,}/g, "@");
    changes.push('collapsed "@@"');
  }
  if (/\.{2,}/.test(clean)) {
    clean = clean.replace(/\.{2,}/g, ".");
    changes.push('collapsed ".."');
  }
  const edges = clean
    .replace(/^\.+|\.+$/g, "")
    .replace(/\.+@/g, "@")
    .replace(/@\.+/g, "@");
  if (edges !== clean) {
    clean = edges;
    changes.push("removed stray dots");
  }
  return { text: clean, changes };
}

function shortenText(text: string, maxLength: number): string {
  return `${text.slice(0, Math.max(0, maxLength - TRUNCATION_MARKER.length)).trimEnd()}${TRUNCATION_MARKER}`;
}

/**
 * A safely repaired version of a value `transformValue` refused, or null when no repair is safe:
 * an email or web address with typing slips (spaces, "@@", "..", stray dots; https:// is added
 * by the conversion itself), text over the target's limit (shortened, ending with a marker). The
 * caller converts the repaired value again; only a value that then converts counts as repaired.
 */
export function repairValue(value: CanonicalValue, from: FieldDescription, to: FieldDescription): Repair | null {
  if (typeof value !== "string") return null;
  if (to.type === "email" || to.type === "url") {
    const { text, changes } = cleanTyping(value, to.type === "email" ? "@" : ".");
    return changes.length === 0 || text === "" ? null : { value: text, change: changes.join(", ") };
  }
  if ((to.type === "text" || to.type === "longtext") && to.maxLength !== undefined) {
    const text = asText(value, from, {});
    if (text === null || text.length <= to.maxLength) return null;
    return { value: shortenText(text, to.maxLength), change: `shortened from ${text.length} to ${to.maxLength} characters` };
  }
  return null;
}

/**
 * Converts `value` (of source field `from`) for target field `to`. Null stays null; empty text
 * becomes null. A value that cannot convert gives a VALIDATION failure whose message names the
 * value and the reason, for the record's error list.
 */
export function transformValue(
  value: CanonicalValue | undefined,
  from: FieldDescription,
  to: FieldDescription,
  context: TransformContext = {},
): TransformResult {
  if (value === null || value === undefined) return ok(null);
  const compat = compatibility(from.type, to.type);
  if (compat.level === "incompatible") return fail(`${from.label} (${from.type}) cannot go into ${to.label} (${to.type}): ${compat.reason}`);
  const options = context.options ?? {};
  switch (to.type) {
    case "text":
    case "longtext":
      return toText(value, from, to, options);
    case "html":
      return toHtml(value, from, to, options);
    case "number":
      return toNumber(value, from, options);
    case "boolean":
      return toBoolean(value, from, context);
    case "date":
      return toDate(value, false);
    case "datetime":
      return toDate(value, true);
    case "email":
      return toEmail(value, to, options);
    case "phone":
      return toPhone(value, options);
    case "url":
      return toUrl(value, from, to, options);
    case "select":
      return toSelect(value, from, to, context);
    case "multiselect":
    case "tags":
      return toMany(value, from, to, context);
    case "currency":
      return toCurrency(value, options);
    case "fullname":
      return toFullName(value, options);
    case "address":
      return toAddress(value, options);
    case "user":
      // A record reference only where the target lets a record author it (a customer writing a Desk thread).
      return isUserRef(value) || (isRelationRef(value) && value.objectType === to.relatesTo) ? ok(value) : fail(`${quoted(value)} is not a user`);
    case "relation":
      return toRelation(value, to);
  }
}
