// Type guards for canonical values. CanonicalValue is a union without a tag, so a value's shape
// is recognised by its keys; the field description says what it should be, these say what it is.
import type { Address, CanonicalValue, Currency, FullName, Phone, RelationRef, UserRef } from "@/connectors/types";

type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function isPhone(value: unknown): value is Phone {
  return isPlainObject(value) && typeof value.raw === "string" && "e164" in value;
}

export function isFullName(value: unknown): value is FullName {
  return isPlainObject(value) && typeof value.firstName === "string" && typeof value.lastName === "string";
}

export function isCurrency(value: unknown): value is Currency {
  return isPlainObject(value) && typeof value.amountMicros === "number" && typeof value.currencyCode === "string";
}

export function isRelationRef(value: unknown): value is RelationRef {
  return isPlainObject(value) && typeof value.objectType === "string" && typeof value.id === "string";
}

export function isUserRef(value: unknown): value is UserRef {
  return isPlainObject(value) && typeof value.id === "string" && "email" in value && !("objectType" in value);
}

export const ADDRESS_PARTS = ["street1", "street2", "city", "postcode", "state", "country"] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];

export function isAddress(value: unknown): value is Address {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.every((key) => (ADDRESS_PARTS as readonly string[]).includes(key) && (value[key] === undefined || typeof value[key] === "string"));
}

export function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** Whether a value carries nothing worth migrating: null, blank text, an empty list or empty parts. */
export function isEmptyValue(value: CanonicalValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return value.trim() === "";
  if (typeof value === "number" || typeof value === "boolean") return false;
  if (Array.isArray(value)) return value.length === 0 || value.every((item) => isEmptyValue(item as CanonicalValue));
  if (isPhone(value)) return value.raw.trim() === "" && !value.e164;
  if (isFullName(value)) return value.firstName.trim() === "" && value.lastName.trim() === "";
  if (isRelationRef(value) || isUserRef(value) || isCurrency(value)) return false;
  return Object.values(value).every((part) => typeof part !== "string" || part.trim() === "");
}

/** A short readable rendering of any value, for examples and messages. */
export function describeValue(value: CanonicalValue | undefined): string {
  if (value === null || value === undefined) return "(empty)";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map((item) => describeValue(item as CanonicalValue)).join(", ");
  if (isPhone(value)) return value.raw;
  if (isFullName(value)) return `${value.firstName} ${value.lastName}`.trim();
  if (isCurrency(value)) return `${value.amountMicros / 1_000_000} ${value.currencyCode}`;
  if (isRelationRef(value)) return `${value.objectType} ${value.id}`;
  if (isUserRef(value)) return value.name ?? value.email ?? value.id;
  return ADDRESS_PARTS.map((part) => (value as Address)[part])
    .filter((part): part is string => typeof part === "string" && part.trim() !== "")
    .join(", ");
}
