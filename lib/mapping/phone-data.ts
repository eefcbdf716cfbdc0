// What a column of phone numbers says about itself, in two small decisions: which values are not
// phone numbers at all ("call me after 5", "000": never written into a phone field), and which
// country the numbers without a country code belong to, derived from the data itself.
import { getCountries, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

/** The fewest digits a phone number has anywhere (a few small countries have 5- and 6-digit numbers). */
const MIN_PHONE_DIGITS = 5;
/** Words that may sit beside a number: "tel.", "ext. 12", "x12", "mobile:". */
const PHONE_WORDS = /\b(ext|extn|extension|x|tel|telephone|phone|mobile|mob|cell|fax|office|work|home)\b\.?/gi;

/** True for text that is not a phone number: a sentence, too few digits, or only zeros. Empty text is not judged. */
export function isNotAPhoneNumber(raw: string): boolean {
  const text = raw.trim();
  if (text === "") return false;
  const digits = text.replace(/\D/g, "");
  if (digits.length < MIN_PHONE_DIGITS || /^0+$/.test(digits)) return true;
  const words = text.replace(PHONE_WORDS, "").replace(/[\d\s()+\-./#*,:]/g, "");
  return /\p{L}{2,}/u.test(words);
}

/** Numbers looked at when deriving the country: enough to decide, bounded for large sources. */
export const PHONE_COUNTRY_SAMPLE = 500;

const isInternational = (raw: string) => /^\s*(\+|00[1-9])/.test(raw);

/**
 * Valid in the country and typed the way its numbers are written there: the first digit matches
 * the country's national format, so a German reading of "(212) 555-0123" (as 0212 5550123,
 * libphonenumber forgives the missing trunk 0) does not count for Germany.
 */
function nationalIn(raw: string, country: CountryCode): boolean {
  const parsed = parsePhoneNumberFromString(raw, country);
  if (!parsed?.isValid()) return false;
  return parsed.formatNational().replace(/\D/g, "")[0] === raw.replace(/\D/g, "")[0];
}

const LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pt"];
const ALIASES: Record<string, CountryCode> = {
  UK: "GB",
  "GREAT BRITAIN": "GB",
  ENGLAND: "GB",
  USA: "US",
  "U.S.": "US",
  "U.S.A.": "US",
  "UNITED STATES OF AMERICA": "US",
};
let countryNames: Map<string, CountryCode> | null = null;

/** "Germany", "Deutschland", "DE", "UK" → a country code; undefined when unknown. */
export function countryCodeOf(text: string | null | undefined): CountryCode | undefined {
  const key = text?.trim().toUpperCase();
  if (!key) return undefined;
  if (ALIASES[key]) return ALIASES[key];
  if (/^[A-Z]{2}$/.test(key)) return getCountries().find((country) => country === key);
  if (!countryNames) {
    countryNames = new Map();
    for (const language of LANGUAGES) {
      const names = new Intl.DisplayNames([language], { type: "region" });
      for (const country of getCountries()) {
        const name = names.of(country);
        if (name) countryNames.set(name.toUpperCase(), country);
      }
    }
  }
  return countryNames.get(key);
}

/**
 * The country numbers without a country code most likely belong to. National numbers alone say
 * little (libphonenumber finds "030 123456" valid in 46 countries, Germany and not Britain among
 * them), so the candidates are the countries the coded numbers name and the countries of the
 * same records' addresses (`countryHints`); each number with a code votes for its country, each
 * national number shares one vote between the candidates it is valid in. German numbers typed without +49 in
 * records addressed in Berlin so outvote a few British numbers typed with +44. Null when nothing
 * can be read.
 */
export function derivePhoneCountry(raws: readonly string[], countryHints: readonly string[] = []): CountryCode | null {
  const sample = raws
    .map((raw) => raw.trim())
    .filter((raw) => raw !== "" && !isNotAPhoneNumber(raw))
    .slice(0, PHONE_COUNTRY_SAMPLE);
  const scores = new Map<CountryCode, number>();
  const vote = (country: CountryCode, weight = 1) => scores.set(country, (scores.get(country) ?? 0) + weight);
  const national: string[] = [];
  for (const raw of sample) {
    if (!isInternational(raw)) {
      national.push(raw);
      continue;
    }
    const country = parsePhoneNumberFromString(raw.replace(/^\s*00/, "+"))?.country;
    if (country) vote(country);
  }
  for (const hint of countryHints) {
    const country = countryCodeOf(hint);
    if (country && !scores.has(country)) scores.set(country, 0);
  }
  const candidates = [...scores.keys()];
  for (const raw of national) {
    // A number valid in several candidates shares its vote: "(212) 555-0123" is as valid in Germany as in the US.
    const valid = candidates.filter((country) => nationalIn(raw, country));
    for (const country of valid) vote(country, 1 / valid.length);
  }
  let best: { country: CountryCode; score: number } | null = null;
  for (const [country, score] of scores) if (score > 0 && (!best || score > best.score)) best = { country, score };
  return best?.country ?? null;
}
