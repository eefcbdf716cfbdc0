// A field mapping as the plan stores it (JSON on Migration.plan, validated with zod on every
// read), plus the transform options the value conversions understand.
import { z } from "zod";
import { CANONICAL_FIELD_TYPES } from "@/connectors/types";
import type { CanonicalValue } from "@/connectors/types";
import { COMPATIBILITY_LEVELS } from "@/lib/mapping/compatibility";
import { ADDRESS_PARTS } from "@/lib/mapping/values";

// Strict objects: a loose one would accept (and strip) any object, so an address schema would
// swallow a relation. Order matters only for readability; the shapes do not overlap.
const fullNameSchema = z.strictObject({ firstName: z.string(), lastName: z.string() });
const phoneSchema = z.strictObject({
  e164: z.string().nullable(),
  countryCode: z.string().nullable(),
  callingCode: z.string().nullable(),
  national: z.string().nullable(),
  raw: z.string(),
});
const currencySchema = z.strictObject({ amountMicros: z.number(), currencyCode: z.string() });
const relationRefSchema = z.strictObject({ objectType: z.string(), id: z.string() });
const userRefSchema = z.strictObject({ id: z.string(), email: z.string().nullable(), name: z.string().optional() });
const addressSchema = z.strictObject(
  Object.fromEntries(ADDRESS_PARTS.map((part) => [part, z.string().optional()])) as Record<(typeof ADDRESS_PARTS)[number], z.ZodOptional<z.ZodString>>,
);

export const canonicalValueSchema: z.ZodType<CanonicalValue> = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string()),
  fullNameSchema,
  phoneSchema,
  z.array(phoneSchema),
  currencySchema,
  relationRefSchema,
  z.array(relationRefSchema),
  userRefSchema,
  addressSchema,
]);

/** What a value the target cannot hold costs (see TransformOptions.onInvalid). */
export const INVALID_VALUE_POLICIES = ["repair", "drop", "fail", "empty"] as const;
export type InvalidValuePolicy = "repair" | "drop" | "fail";

/** The policy a mapping applies; plans saved before policies existed repair by default. */
export function invalidValuePolicy(options: { onInvalid?: (typeof INVALID_VALUE_POLICIES)[number] } | undefined): InvalidValuePolicy {
  const policy = options?.onInvalid ?? "repair";
  return policy === "empty" ? "drop" : policy;
}

export const transformOptionsSchema = z.strictObject({
  /** Cut text longer than the target's maxLength instead of failing the record. */
  truncate: z.boolean().optional(),
  /** ISO country (e.g. "US") national phone numbers are read in. */
  defaultCountry: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "Use a two-letter country code such as US or GB.")
    .optional(),
  /** Fail (or empty, with onInvalid) phone numbers that cannot be read, instead of keeping them as typed. */
  requireValidPhone: z.boolean().optional(),
  /** "domain": https://host with no www. or path (company domains); "url": any web address. */
  urlMode: z.enum(["url", "domain"]).optional(),
  /** Select values that are not options: fail the record (default), use the mapping's default, or leave them out. */
  unknownValue: z.enum(["fail", "default", "drop"]).optional(),
  /**
   * A value the target cannot hold: "repair" (default) fixes typing slips and shortens long text,
   * else leaves the value out; "drop" leaves it out; "fail" fails the record (strict). The record
   * carries a warning with the original value either way. "empty" is the older name of "drop".
   */
  onInvalid: z.enum(INVALID_VALUE_POLICIES).optional(),
  /** Joins several values into text; ", " by default. */
  separator: z.string().max(10).optional(),
  /** Forces how text numbers are read; guessed per value otherwise. */
  decimalSeparator: z.enum([".", ","]).optional(),
  /** Currency for plain numbers becoming amounts; USD by default. */
  currencyCode: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "Use a three-letter currency code such as USD.")
    .optional(),
  /** Which part of a name a text field holds, or which part of a name is written to text. */
  namePart: z.enum(["firstName", "lastName"]).optional(),
  /** Which part of an address a text field holds, or which part of an address is written to text. */
  addressPart: z.enum(ADDRESS_PARTS).optional(),
});
export type TransformOptions = z.infer<typeof transformOptionsSchema>;

const selectOptionSchema = z.strictObject({ value: z.string(), label: z.string() });

/** A target field the plan expects but the target does not have yet; prerequisites create it. */
export const createFieldSchema = z.strictObject({
  label: z.string().min(1),
  type: z.enum(CANONICAL_FIELD_TYPES),
  options: z.array(selectOptionSchema).optional(),
});
export type CreateField = z.infer<typeof createFieldSchema>;

export const fieldMappingSchema = z
  .strictObject({
    /** Source field key; null writes defaultValue to every record (a constant). */
    sourceField: z.string().min(1).nullable(),
    targetField: z.string().min(1),
    transform: transformOptionsSchema.optional(),
    /** Used when the source has no value (and required by a constant mapping). Already in the target's shape. */
    defaultValue: canonicalValueSchema.optional(),
    /** Source option value → target option value, for selects, multiselects and tags. */
    valueMap: z.record(z.string(), z.string()).optional(),
    /** As judged when the mapping was suggested or chosen. */
    compatibility: z.enum(COMPATIBILITY_LEVELS).optional(),
    createField: createFieldSchema.optional(),
  })
  .refine((mapping) => mapping.sourceField !== null || mapping.defaultValue !== undefined, {
    message: "A mapping without a source field needs a default value",
    path: ["defaultValue"],
  });
export type FieldMapping = z.infer<typeof fieldMappingSchema>;
