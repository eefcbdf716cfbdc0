// Which canonical type can become which, and what is lost on the way. The matrix is data: one
// row per source type listing the target types it converts to; every pair not listed is
// incompatible. Reasons are written for a support manager reading the mapping screen.
import type { CanonicalFieldType } from "@/connectors/types";
import { CANONICAL_FIELD_TYPES } from "@/connectors/types";

export const COMPATIBILITY_LEVELS = ["exact", "lossless", "lossy", "incompatible"] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];
export type Compatibility = { level: CompatibilityLevel; reason?: string };

type Rule = readonly [level: Exclude<CompatibilityLevel, "incompatible">, reason?: string];

/** How each type is named in a sentence ("a relation cannot become a date"). */
const TYPE_NOUNS: Record<CanonicalFieldType, string> = {
  text: "text",
  longtext: "long text",
  html: "formatted text",
  number: "a number",
  boolean: "a yes/no value",
  date: "a date",
  datetime: "a date and time",
  email: "an email address",
  phone: "a phone number",
  url: "a web address",
  select: "a choice",
  multiselect: "a multiple choice",
  user: "a user",
  relation: "a relation",
  currency: "an amount",
  fullname: "a name",
  address: "an address",
  tags: "tags",
};

const NOT_A_NUMBER = "text that isn't a number fails for that record";
const NOT_AN_OPTION = "values that aren't one of the target's options use the default or fail for that record";
const JOINED = "several values are joined into one";

const TEXT_ROW: Partial<Record<CanonicalFieldType, Rule>> = {
  number: ["lossy", NOT_A_NUMBER],
  boolean: ["lossy", "only yes/no, true/false and 1/0 convert; other text fails for that record"],
  date: ["lossy", "text that isn't a date (YYYY-MM-DD) fails for that record"],
  datetime: ["lossy", "text that isn't a date and time fails for that record"],
  email: ["lossy", "text that isn't an email address fails for that record"],
  phone: ["lossy", "numbers that can't be read are kept as typed"],
  url: ["lossy", "text that isn't a web address fails for that record"],
  select: ["lossy", NOT_AN_OPTION],
  multiselect: ["lossy", "the text is split at commas; values that aren't options use the default or fail"],
  tags: ["lossless"],
  currency: ["lossy", "text that isn't an amount fails for that record"],
  fullname: ["lossy", "the name is split into first and last name at the first space"],
  address: ["lossy", "the whole text goes into the first street line"],
};

export const COMPATIBILITY_MATRIX: Record<CanonicalFieldType, Partial<Record<CanonicalFieldType, Rule>>> = {
  text: { longtext: ["lossless"], html: ["lossless"], ...TEXT_ROW },
  longtext: { text: ["lossless"], html: ["lossless"], ...TEXT_ROW },
  html: {
    text: ["lossy", "HTML formatting becomes plain text"],
    longtext: ["lossy", "HTML formatting becomes plain text (Markdown)"],
  },
  number: {
    text: ["lossless"],
    longtext: ["lossless"],
    boolean: ["lossy", "0 becomes no, any other number yes"],
    currency: ["lossy", "the currency is assumed (USD unless set on the mapping)"],
    select: ["lossy", NOT_AN_OPTION],
  },
  boolean: {
    text: ["lossless"],
    longtext: ["lossless"],
    number: ["lossless"],
    select: ["lossy", "yes and no must be mapped to options"],
  },
  date: { text: ["lossless"], longtext: ["lossless"], datetime: ["lossless"] },
  datetime: { text: ["lossless"], longtext: ["lossless"], date: ["lossy", "the time of day is dropped"] },
  email: { text: ["lossless"], longtext: ["lossless"], tags: ["lossless"] },
  phone: { text: ["lossless"], longtext: ["lossless"] },
  url: { text: ["lossless"], longtext: ["lossless"] },
  select: {
    text: ["lossless"],
    longtext: ["lossless"],
    multiselect: ["lossless"],
    tags: ["lossless"],
    boolean: ["lossy", "options must be mapped to yes or no"],
  },
  multiselect: {
    text: ["lossy", JOINED],
    longtext: ["lossy", JOINED],
    tags: ["lossless"],
    select: ["lossy", "only the first of several values is kept"],
  },
  user: {
    text: ["lossy", "the user's name (or email) is written as text"],
    longtext: ["lossy", "the user's name (or email) is written as text"],
    email: ["lossy", "the user's email address is written instead of the user"],
  },
  relation: {},
  currency: {
    number: ["lossy", "the currency code is dropped"],
    text: ["lossless"],
    longtext: ["lossless"],
  },
  fullname: { text: ["lossless"], longtext: ["lossless"] },
  address: {
    text: ["lossy", "the address parts are joined into one line"],
    longtext: ["lossy", "the address parts are joined into one line"],
  },
  tags: {
    text: ["lossy", JOINED],
    longtext: ["lossy", JOINED],
    multiselect: ["lossy", "tags that aren't options use the default or fail for that record"],
    select: ["lossy", "only the first tag is kept"],
  },
};

const SAME_TYPE_NOTES: Partial<Record<CanonicalFieldType, string>> = {
  select: "each value must match one of the target's options",
  multiselect: "each value must match one of the target's options",
  relation: "the linked record must be migrated first",
  user: "users are matched by email",
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How a value of `sourceType` converts to `targetType`. */
export function compatibility(sourceType: CanonicalFieldType, targetType: CanonicalFieldType): Compatibility {
  if (sourceType === targetType) {
    const note = SAME_TYPE_NOTES[sourceType];
    return note ? { level: "exact", reason: note } : { level: "exact" };
  }
  const rule = COMPATIBILITY_MATRIX[sourceType][targetType];
  if (!rule) return { level: "incompatible", reason: `${capitalise(TYPE_NOUNS[sourceType])} cannot become ${TYPE_NOUNS[targetType]}` };
  const [level, reason] = rule;
  return reason ? { level, reason } : { level };
}

export function isCompatible(sourceType: CanonicalFieldType, targetType: CanonicalFieldType): boolean {
  return compatibility(sourceType, targetType).level !== "incompatible";
}

/** Every pair, for the mapping screen's legend and for tests. */
export function compatibilityTable(): { source: CanonicalFieldType; target: CanonicalFieldType; compatibility: Compatibility }[] {
  return CANONICAL_FIELD_TYPES.flatMap((source) => CANONICAL_FIELD_TYPES.map((target) => ({ source, target, compatibility: compatibility(source, target) })));
}
