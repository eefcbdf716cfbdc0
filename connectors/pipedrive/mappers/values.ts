// Value conversions between Pipedrive's raw values (reference §5, §6.3) and Ferry's canonical
// values. Pure functions; the field tables (built-in and custom) call them.
import { invalidField, normalizeEmail, phoneAsTyped } from "@/connectors/shared/values";
import type { Address, CanonicalValue, Currency, FullName, Phone, RelationRef, UserRef } from "@/connectors/types";
import type { PipedriveUser } from "../model";

const MICROS = 1_000_000;
const DATE = /^\d{4}-\d{2}-\d{2}/;

export type UserDirectory = { byId: Map<number, PipedriveUser>; byEmail: Map<string, PipedriveUser> };

export function userDirectory(users: PipedriveUser[]): UserDirectory {
  return {
    byId: new Map(users.map((user) => [user.id, user])),
    byEmail: new Map(users.filter((user) => user.email).map((user) => [normalizeEmail(user.email as string), user])),
  };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A property of an object value (undefined for anything else). */
export function prop(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

/** §5: v2 times are RFC 3339; v1 times "YYYY-MM-DD HH:MM:SS" in UTC. */
export function instantOf(value: unknown): string | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(" ", "T")}Z` : value;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

export const textOrNull = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : null;
export const idOf = (value: unknown): string | null =>
  typeof value === "number" || (typeof value === "string" && value !== "")
    ? String(value)
    : isObject(value) && value.value !== undefined
      ? idOf(value.value)
      : null;

// ----- reading -----

/** "Ada King Lovelace" → first word as first name, the rest as last name. */
export function fullNameOf(name: unknown): FullName | null {
  if (typeof name !== "string" || name.trim() === "") return null;
  const [first, ...rest] = name.trim().split(/\s+/);
  return { firstName: first, lastName: rest.join(" ") };
}

export function userRefOf(value: unknown, users: UserDirectory): UserRef | null {
  const id = idOf(value);
  if (id === null) return null;
  const user = users.byId.get(Number(id));
  return { id, email: user?.email ?? null, ...(user?.name ? { name: user.name } : {}) };
}

export const relationOf = (objectType: string, value: unknown): RelationRef | null => {
  const id = idOf(value);
  return id === null ? null : { objectType, id };
};

/** §5.2, §6.3: an address object (`value` plus parts) or the formatted text. */
export function addressOf(value: unknown): Address | null {
  if (typeof value === "string") return value.trim() === "" ? null : { street1: value };
  if (!isObject(value)) return null;
  const part = (key: string) => (typeof value[key] === "string" && value[key] !== "" ? (value[key] as string) : undefined);
  const street = [part("street_number"), part("route")].filter(Boolean).join(" ");
  const address: Address = {
    street1: street || part("value"),
    city: part("locality"),
    postcode: part("postal_code"),
    state: part("admin_area_level_1"),
    country: part("country"),
  };
  const defined = Object.fromEntries(Object.entries(address).filter(([, item]) => item !== undefined)) as Address;
  return Object.keys(defined).length > 0 ? defined : null;
}

export function currencyOf(amount: unknown, code: unknown): Currency | null {
  if (typeof amount !== "number") return null;
  return { amountMicros: Math.round(amount * MICROS), currencyCode: typeof code === "string" ? code : "" };
}

export const phoneOf = (value: unknown): Phone | null => (typeof value === "string" && value.trim() !== "" ? phoneAsTyped(value) : null);

// ----- writing -----

/** Text for a text field; a list of text (tags) is kept as one comma-separated text. */
export function asText(value: CanonicalValue, key: string, maxLength?: number): string | null {
  if (value === null) return null;
  const list = Array.isArray(value) && value.every((item) => typeof item === "string") ? (value as string[]).join(", ") : null;
  const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : list;
  if (text === null) throw invalidField(key, "expects text");
  if (maxLength !== undefined && text.length > maxLength) throw invalidField(key, `is longer than the ${maxLength} characters Pipedrive takes`);
  return text;
}

export function asNumber(value: CanonicalValue, key: string): number | null {
  if (value === null) return null;
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw invalidField(key, "expects a number");
  return number;
}

export function asBoolean(value: CanonicalValue, key: string): boolean | null {
  if (value === null) return null;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw invalidField(key, "expects yes or no");
}

/** §6.3: dates are YYYY-MM-DD; a date-time keeps its day (UTC). */
export function asDate(value: CanonicalValue, key: string): string | null {
  if (value === null) return null;
  if (typeof value !== "string" || !DATE.test(value)) throw invalidField(key, "expects a date (YYYY-MM-DD)");
  if (value.length === 10) return value;
  const instant = instantOf(value);
  if (instant === null) throw invalidField(key, "expects a date (YYYY-MM-DD)");
  return instant.slice(0, 10);
}

export function asRelationId(value: CanonicalValue, key: string): number | null {
  if (value === null) return null;
  const id = typeof value === "string" || typeof value === "number" ? value : prop(value, "id");
  const number = Number(id);
  if (!Number.isInteger(number) || number <= 0) throw invalidField(key, `"${String(id)}" is not a Pipedrive record id`);
  return number;
}

/** A user reference → Pipedrive user id, by id first, then by email (users are never created, §5.6). */
export function asUserId(value: CanonicalValue, key: string, users: UserDirectory): number | null {
  if (value === null) return null;
  const ref: Partial<UserRef> =
    typeof value === "string" ? (value.includes("@") ? { email: value } : { id: value }) : isObject(value) ? (value as Partial<UserRef>) : {};
  if (ref.id && users.byId.has(Number(ref.id))) return Number(ref.id);
  const byEmail = ref.email ? users.byEmail.get(normalizeEmail(ref.email)) : undefined;
  if (byEmail) return byEmail.id;
  throw invalidField(key, `${ref.email ?? ref.id ?? "user"} is not a user of this Pipedrive company (add them in Pipedrive, or map them to another user)`);
}

export function asFullName(value: CanonicalValue, key: string): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value.trim() || null;
  if (isObject(value) && ("firstName" in value || "lastName" in value)) {
    const name = [prop(value, "firstName"), prop(value, "lastName")].filter((part) => typeof part === "string" && part.trim() !== "").join(" ");
    return name.trim() || null;
  }
  throw invalidField(key, "expects a name");
}

export function asPhoneText(value: CanonicalValue, key: string): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value.trim() || null;
  const raw = prop(value, "raw");
  const e164 = prop(value, "e164");
  if (typeof raw === "string") return (typeof e164 === "string" && e164) || raw.trim() || null;
  throw invalidField(key, "expects a phone number");
}

/** A list value (several emails or phones) as text items; a comma- or semicolon-separated text splits. */
export function asList(value: CanonicalValue, key: string, item: (entry: CanonicalValue, key: string) => string | null): string[] {
  if (value === null) return [];
  const entries: CanonicalValue[] = Array.isArray(value) ? (value as CanonicalValue[]) : typeof value === "string" ? value.split(/[;,]/) : [value];
  return entries.map((entry) => item(typeof entry === "string" ? entry.trim() : entry, key)).filter((entry): entry is string => entry !== null && entry !== "");
}

export function asCurrency(value: CanonicalValue, key: string): { value: number; currency: string | null } | null {
  if (value === null) return null;
  if (typeof value === "number") return { value, currency: null };
  const micros = prop(value, "amountMicros");
  const code = prop(value, "currencyCode");
  if (typeof micros === "number") return { value: micros / MICROS, currency: typeof code === "string" && /^[A-Z]{3}$/.test(code) ? code : null };
  throw invalidField(key, "expects an amount");
}

export function asAddress(value: CanonicalValue, key: string): { value: string } | null {
  if (value === null) return null;
  if (typeof value === "string") return value.trim() ? { value: value.trim() } : null;
  if (isObject(value)) {
    const address = value as Address;
    const text = [address.street1, address.street2, [address.postcode, address.city].filter(Boolean).join(" "), address.state, address.country]
      .filter((part) => typeof part === "string" && part.trim() !== "")
      .join(", ");
    return text ? { value: text } : null;
  }
  throw invalidField(key, "expects an address");
}
