// PHONES composite (reference §3.3): three parts per number (national number, ISO country code,
// calling code) as Twenty's migration guide asks, ↔ canonical Phone. Parsing uses
// libphonenumber-js; a value it cannot parse is kept as typed (raw) rather than dropped.
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { asCountryCode, phoneAsTyped, phoneFromParsed } from "@/connectors/shared/values";
import type { Phone } from "@/connectors/types";

export type TwentyPhoneParts = { number: string; countryCode: string; callingCode: string };
export type TwentyPhones = {
  primaryPhoneNumber: string;
  primaryPhoneCountryCode: string;
  primaryPhoneCallingCode: string;
  additionalPhones: TwentyPhoneParts[];
};

function asCallingCode(code: string | null | undefined): string | null {
  const digits = code?.replace(/[^\d]/g, "") ?? "";
  return digits === "" ? null : `+${digits}`;
}

/**
 * One Twenty number → Phone. Before calling codes had their own column, older builds kept
 * "+33" in the country code (§3.3 history): a country code starting with "+" is read as the
 * calling code.
 */
export function phoneFromTwentyParts(
  number: string | null | undefined,
  countryCode: string | null | undefined,
  callingCode: string | null | undefined,
): Phone | null {
  const digits = number?.trim() ?? "";
  if (digits === "") return null;
  let country = countryCode?.trim() || null;
  let calling = asCallingCode(callingCode);
  if (country?.startsWith("+")) {
    calling = calling ?? asCallingCode(country);
    country = null;
  }
  const raw = calling && !digits.startsWith("+") ? `${calling} ${digits}` : digits;
  const parsed =
    digits.startsWith("+") || calling
      ? parsePhoneNumberFromString(digits.startsWith("+") ? digits : `${calling}${digits}`)
      : parsePhoneNumberFromString(digits, asCountryCode(country));
  if (!parsed || !parsed.isPossible()) return { e164: null, countryCode: country, callingCode: calling, national: digits, raw };
  return phoneFromParsed(parsed, raw, country ?? parsed.country ?? null);
}

/** Twenty PHONES value → primary Phone plus additional ones. */
export function phonesFromTwenty(value: unknown): { primary: Phone | null; additional: Phone[] } {
  if (value === null || typeof value !== "object") return { primary: null, additional: [] };
  const raw = value as { primaryPhoneNumber?: unknown; primaryPhoneCountryCode?: unknown; primaryPhoneCallingCode?: unknown; additionalPhones?: unknown };
  const text = (field: unknown) => (typeof field === "string" ? field : null);
  const primary = phoneFromTwentyParts(text(raw.primaryPhoneNumber), text(raw.primaryPhoneCountryCode), text(raw.primaryPhoneCallingCode));
  const additional: Phone[] = [];
  if (Array.isArray(raw.additionalPhones)) {
    for (const item of raw.additionalPhones) {
      if (item === null || typeof item !== "object") continue;
      const part = item as { number?: unknown; countryCode?: unknown; callingCode?: unknown };
      const phone = phoneFromTwentyParts(text(part.number), text(part.countryCode), text(part.callingCode));
      if (phone) additional.push(phone);
    }
  }
  return { primary, additional };
}

/**
 * Phone (or a phone string) → Twenty's three parts. A number libphonenumber cannot parse keeps
 * its raw text as the number with whatever country/calling code the source gave; Twenty then
 * accepts or rejects it for that record alone. `defaultCountry` helps with national numbers.
 */
export function phoneToTwentyParts(phone: Phone | string, defaultCountry?: string): TwentyPhoneParts | null {
  const value: Phone = typeof phone === "string" ? phoneAsTyped(phone) : phone;
  const country = asCountryCode(value.countryCode) ?? asCountryCode(defaultCountry);
  const candidates = [value.e164, value.raw, value.national && value.callingCode ? `${value.callingCode}${value.national}` : null, value.national];
  for (const candidate of candidates) {
    if (!candidate || candidate.trim() === "") continue;
    const parsed = parsePhoneNumberFromString(candidate.trim(), country);
    if (parsed && parsed.isPossible()) {
      return {
        number: parsed.nationalNumber,
        countryCode: asCountryCode(value.countryCode) ?? parsed.country ?? country ?? "",
        callingCode: `+${parsed.countryCallingCode}`,
      };
    }
  }
  const raw = (value.raw || value.national || value.e164 || "").trim();
  if (raw === "") return null;
  return { number: raw, countryCode: value.countryCode ?? "", callingCode: asCallingCode(value.callingCode) ?? "" };
}

export function phonesToTwenty(primary: Phone | Phone[] | string | null, additional: (Phone | string)[] = [], defaultCountry?: string): TwentyPhones {
  const list = Array.isArray(primary) ? primary : primary === null ? [] : [primary];
  const parts = [...list, ...additional].map((phone) => phoneToTwentyParts(phone, defaultCountry)).filter((part): part is TwentyPhoneParts => part !== null);
  const [first, ...rest] = parts;
  return {
    primaryPhoneNumber: first?.number ?? "",
    primaryPhoneCountryCode: first?.countryCode ?? "",
    primaryPhoneCallingCode: first?.callingCode ?? "",
    additionalPhones: rest,
  };
}
