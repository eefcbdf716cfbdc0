// EMAILS composite (reference §3.3): { primaryEmail, additionalEmails[] } ↔ an email string
// (the primary) plus a list of additional addresses. Twenty lower-cases emails (§2.5), so we
// send them lower-cased too: natural-key lookups then compare equal values.
import { normalizeEmail } from "@/connectors/shared/values";

export type TwentyEmails = { primaryEmail: string; additionalEmails: string[] };

// Deliberately loose: Twenty is the judge of validity; this only catches values that are
// clearly not an address so one bad row does not fail a whole batch call.
const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+$/;

export function isPlausibleEmail(email: string): boolean {
  return LOOKS_LIKE_EMAIL.test(email.trim());
}

export function emailsFromTwenty(value: unknown): { primary: string | null; additional: string[] } {
  if (value === null || typeof value !== "object") return { primary: null, additional: [] };
  const raw = value as { primaryEmail?: unknown; additionalEmails?: unknown };
  const primary = typeof raw.primaryEmail === "string" && raw.primaryEmail.trim() !== "" ? raw.primaryEmail : null;
  const additional = Array.isArray(raw.additionalEmails)
    ? raw.additionalEmails.filter((email): email is string => typeof email === "string" && email !== "")
    : [];
  return { primary, additional };
}

/**
 * The primary email (a string, or the first of a list whose rest become additional emails)
 * plus any additional emails given separately; duplicates of the primary are dropped.
 */
export function emailsToTwenty(primary: string | string[] | null, additional: string[] = []): TwentyEmails {
  const list = (Array.isArray(primary) ? primary : primary === null ? [] : [primary]).map(normalizeEmail).filter((email) => email !== "");
  const first = list[0] ?? "";
  const rest = [...list.slice(1), ...additional.map(normalizeEmail)].filter(
    (email, index, all) => email !== "" && email !== first && all.indexOf(email) === index,
  );
  return { primaryEmail: first, additionalEmails: rest };
}
