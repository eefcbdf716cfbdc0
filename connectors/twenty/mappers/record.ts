// Whole records: a raw Twenty record ↔ Ferry's CanonicalRecord, field by field through the
// plans describe() publishes. Pure; composite conversions live in the sibling mappers.
import { invalidField, normalizeEmail } from "@/connectors/shared/values";
import type { Address, CanonicalRecord, CanonicalValue, Currency, FullName, Phone, RelationRef, UserRef, WriteMode } from "@/connectors/types";
import type { TwentyFieldPlan, TwentyObjectPlan } from "../describe";
import { TARGETS_KEY_PREFIX } from "../describe";
import type { TwentyFieldModel } from "../metadata";
import type { TwentyRecord } from "../raw-schemas";
import { addressFromTwenty, addressToTwenty } from "./address";
import { currencyFromTwenty, currencyToTwenty } from "./currency";
import { emailsFromTwenty, emailsToTwenty, isPlausibleEmail } from "./emails";
import { fullNameFromTwenty, fullNameToTwenty } from "./full-name";
import { linksFromTwenty, linksToTwenty } from "./links";
import { phonesFromTwenty, phonesToTwenty } from "./phones";
import { richTextFromTwenty, richTextToTwenty, toMarkdown } from "./rich-text";
import {
  booleanToTwenty,
  dateFromTwenty,
  dateTimeFromTwenty,
  dateTimeToTwenty,
  dateToTwenty,
  numberFromTwenty,
  numberToTwenty,
  tagsFromTwenty,
  tagsToTwenty,
  textToTwenty,
} from "./scalars";
import { multiSelectFromTwenty, multiSelectToTwenty, selectFromTwenty, selectToTwenty } from "./select";

export type MemberDirectory = { byId: Map<string, UserRef>; byEmail: Map<string, UserRef> };

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function memberDirectory(users: UserRef[]): MemberDirectory {
  return {
    byId: new Map(users.map((user) => [user.id, user])),
    byEmail: new Map(users.filter((user) => user.email).map((user) => [normalizeEmail(user.email as string), user])),
  };
}

/** Defaults in metadata are SQL-ish quoted strings ("'USD'", §3.1). */
function unquote(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value.replace(/^'(.*)'$/, "$1") : undefined;
}

function compositeDefault(field: TwentyFieldModel, key: string): string | undefined {
  const value = field.defaultValue;
  return value !== null && typeof value === "object" ? unquote((value as Record<string, unknown>)[key]) : undefined;
}

function nonEmpty(text: unknown): string | null {
  return typeof text === "string" && text !== "" ? text : null;
}

// ---------------------------------------------------------------------------------------------
// Twenty → canonical
// ---------------------------------------------------------------------------------------------

function readValue(raw: TwentyRecord, plan: TwentyFieldPlan, members: MemberDirectory): CanonicalValue {
  const { field } = plan;
  const value = raw[field.name];
  if (plan.part === "additional") {
    if (field.nativeType === "EMAILS") return emptyToNull(emailsFromTwenty(value).additional);
    if (field.nativeType === "PHONES") {
      const phones = phonesFromTwenty(value).additional;
      return phones.length === 0 ? null : phones;
    }
    return emptyToNull(linksFromTwenty(value).secondary);
  }
  switch (field.nativeType) {
    case "TEXT":
    case "UUID":
    case "RICH_TEXT_DEPRECATED":
      return nonEmpty(value);
    case "RICH_TEXT":
    case "RICH_TEXT_V2":
      if (plan.description.type === "html") return richTextFromTwenty(value);
      return typeof value === "string" ? nonEmpty(value) : nonEmpty((value as { markdown?: unknown } | null)?.markdown);
    case "NUMBER":
    case "NUMERIC":
    case "POSITION":
      return numberFromTwenty(value);
    case "BOOLEAN":
      return typeof value === "boolean" ? value : null;
    case "DATE":
      return dateFromTwenty(value);
    case "DATE_TIME":
      return dateTimeFromTwenty(value);
    case "EMAILS":
      return emailsFromTwenty(value).primary;
    case "PHONES":
      return phonesFromTwenty(value).primary;
    case "LINKS":
      return linksFromTwenty(value).primary;
    case "SELECT":
    case "RATING":
      return selectFromTwenty(value);
    case "MULTI_SELECT":
      return multiSelectFromTwenty(value);
    case "CURRENCY":
      return currencyFromTwenty(value);
    case "FULL_NAME":
      return fullNameFromTwenty(value);
    case "ADDRESS":
      return addressFromTwenty(value);
    case "ARRAY":
      return tagsFromTwenty(value);
    case "RELATION": {
      const id = nonEmpty(raw[field.relation?.joinColumn ?? `${field.name}Id`]);
      if (id === null) return null;
      if (plan.description.type === "user") return members.byId.get(id) ?? { id, email: null };
      return { objectType: field.relation?.target ?? "", id };
    }
    case "ACTOR": {
      const actor = value as { name?: unknown; source?: unknown } | null;
      return nonEmpty(actor?.name) ?? nonEmpty(actor?.source);
    }
    default:
      if (value === null || value === undefined) return null;
      return typeof value === "string" ? nonEmpty(value) : JSON.stringify(value);
  }
}

function emptyToNull(list: string[]): string[] | null {
  return list.length === 0 ? null : list;
}

/** A raw Twenty record → CanonicalRecord. `targets` holds linked record ids per object (notes/tasks). */
export function recordFromTwenty(raw: TwentyRecord, plan: TwentyObjectPlan, members: MemberDirectory, targets?: Map<string, string[]>): CanonicalRecord {
  const fields: Record<string, CanonicalValue> = {};
  for (const fieldPlan of plan.fields) fields[fieldPlan.key] = readValue(raw, fieldPlan, members);
  for (const target of plan.targets) {
    const ids = targets?.get(target.target) ?? [];
    fields[target.key] = ids.length === 0 ? null : ids.map((id): RelationRef => ({ objectType: target.target, id }));
  }
  return {
    id: raw.id,
    objectType: plan.object.namePlural,
    createdAt: dateTimeFromTwenty(raw.createdAt),
    updatedAt: dateTimeFromTwenty(raw.updatedAt),
    fields,
  };
}

// ---------------------------------------------------------------------------------------------
// canonical → Twenty
// ---------------------------------------------------------------------------------------------

export type TargetLinkRequest = { target: string; column: string; id: string };
export type TwentyPayload = { payload: Record<string, unknown>; targets: TargetLinkRequest[] };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A property of a composite canonical value, as unknown (the union has no common shape). */
function prop(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

function asPhoneList(value: CanonicalValue, key: string): (Phone | string)[] {
  if (value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item === "string") return item;
    if (isObject(item) && "raw" in item) return item as Phone;
    throw invalidField(key, "expects a phone number");
  });
}

function asStringList(value: CanonicalValue, key: string): string[] {
  if (value === null) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
  throw invalidField(key, "expects text or a list of text");
}

function relationId(value: CanonicalValue, key: string): string | null {
  if (value === null) return null;
  const candidate = typeof value === "string" ? value : prop(value, "id");
  const id = typeof candidate === "string" ? candidate : null;
  if (id === null) throw invalidField(key, "expects a reference to a record");
  if (!UUID_PATTERN.test(id)) throw invalidField(key, `"${id}" is not a Twenty record id`);
  return id;
}

/** A user reference → workspace member id, by id first, then by email (users are never created). */
function memberId(value: CanonicalValue, key: string, members: MemberDirectory): string | null {
  if (value === null) return null;
  const ref: Partial<UserRef> =
    typeof value === "string" ? (value.includes("@") ? { email: value } : { id: value }) : isObject(value) ? (value as Partial<UserRef>) : {};
  if (ref.id && members.byId.has(ref.id)) return ref.id;
  const email = ref.email ? normalizeEmail(ref.email) : null;
  const byEmail = email ? members.byEmail.get(email) : undefined;
  if (byEmail) return byEmail.id;
  throw invalidField(key, `${email ?? ref.id ?? "user"} is not a member of this Twenty workspace (invite them and make sure they accept before migrating)`);
}

/** Empty value per type, sent on update to clear a field (create/upsert simply omit it). */
function emptyValue(field: TwentyFieldModel): unknown {
  switch (field.nativeType) {
    case "EMAILS":
      return emailsToTwenty(null);
    case "PHONES":
      return phonesToTwenty(null);
    case "LINKS":
      return linksToTwenty(null);
    case "FULL_NAME":
      return { firstName: "", lastName: "" };
    case "ADDRESS":
      return addressToTwenty({});
    case "CURRENCY":
      return { amountMicros: null, currencyCode: compositeDefault(field, "currencyCode") ?? "" };
    case "RICH_TEXT_V2":
      return { markdown: "" };
    case "TEXT":
      return "";
    case "MULTI_SELECT":
    case "ARRAY":
      return [];
    default:
      return null;
  }
}

function convertValue(plan: TwentyFieldPlan, value: CanonicalValue, additional: CanonicalValue | undefined, members: MemberDirectory): unknown {
  const { field, key } = plan;
  const extra = additional ?? null;
  switch (field.nativeType) {
    case "TEXT":
    case "UUID":
    case "RICH_TEXT_DEPRECATED":
      return textToTwenty(value, key);
    case "RICH_TEXT":
    case "RICH_TEXT_V2":
      if (plan.description.type === "html") return richTextToTwenty(textToTwenty(value, key));
      return toMarkdown(textToTwenty(value, key));
    case "NUMBER":
    case "NUMERIC":
    case "POSITION":
      return numberToTwenty(value, key);
    case "BOOLEAN":
      return booleanToTwenty(value, key);
    case "DATE":
      return dateToTwenty(textToTwenty(value, key), key);
    case "DATE_TIME":
      return dateTimeToTwenty(textToTwenty(value, key), key);
    case "EMAILS": {
      const emails = emailsToTwenty(asStringList(value, key), asStringList(extra, key));
      const bad = [emails.primaryEmail, ...emails.additionalEmails].find((email) => email !== "" && !isPlausibleEmail(email));
      if (bad !== undefined) throw invalidField(key, `"${bad}" is not an email address`);
      return emails;
    }
    case "PHONES":
      return phonesToTwenty(asPhoneList(value, key) as Phone[], asPhoneList(extra, key), compositeDefault(field, "primaryPhoneCountryCode"));
    case "LINKS":
      return linksToTwenty(asStringList(value, key), asStringList(extra, key), { asDomain: field.name === "domainName" });
    case "SELECT":
    case "RATING":
      return selectToTwenty(textToTwenty(value, key), field.options, key);
    case "MULTI_SELECT":
      return multiSelectToTwenty(asStringList(value, key), field.options, key);
    case "CURRENCY": {
      const currency = typeof value === "number" || typeof value === "string" ? value : isObject(value) && "amountMicros" in value ? (value as Currency) : null;
      const converted = currency === null ? null : currencyToTwenty(currency, compositeDefault(field, "currencyCode") ?? "USD");
      if (converted === null) throw invalidField(key, "expects an amount");
      return converted;
    }
    case "FULL_NAME":
      if (typeof value === "string" || (isObject(value) && "firstName" in value)) return fullNameToTwenty(value as FullName | string);
      throw invalidField(key, "expects a name");
    case "ADDRESS":
      if (isObject(value)) return addressToTwenty(value as Address);
      if (typeof value === "string") return addressToTwenty({ street1: value });
      throw invalidField(key, "expects an address");
    case "ARRAY":
      return tagsToTwenty(value, key);
    case "RELATION":
      return plan.description.type === "user" ? memberId(value, key, members) : relationId(value, key);
    default:
      throw invalidField(key, `${field.nativeType} fields cannot be written`);
  }
}

function targetRequests(key: string, value: CanonicalValue, plan: TwentyObjectPlan): TargetLinkRequest[] {
  if (value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const implied = key.startsWith(TARGETS_KEY_PREFIX) ? key.slice(TARGETS_KEY_PREFIX.length) : null;
  return list.map((item) => {
    const id = typeof item === "string" ? item : prop(item, "id");
    const objectType = prop(item, "objectType");
    const ref = typeof id === "string" ? { objectType: typeof objectType === "string" && objectType !== "" ? objectType : (implied ?? ""), id } : null;
    if (ref === null) throw invalidField(key, "expects references to records");
    const link = plan.targets.find((target) => target.target === ref.objectType);
    if (!link) throw invalidField(key, `${plan.object.namePlural} cannot be linked to "${ref.objectType}" records`);
    if (!UUID_PATTERN.test(ref.id)) throw invalidField(key, `"${ref.id}" is not a Twenty record id`);
    return { target: link.target, column: link.column, id: ref.id };
  });
}

/**
 * CanonicalRecord → Twenty payload for one object, plus the note/task target rows to create.
 * Keys are describe()'s keys; a relation's join column ("companyId") is accepted as well. An
 * unknown key fails the record (a silently dropped value would be data lost). Read-only fields
 * are skipped. On create/upsert a null value is omitted; on update it clears the field.
 */
export function payloadToTwenty(record: CanonicalRecord, plan: TwentyObjectPlan, members: MemberDirectory, mode: WriteMode): TwentyPayload {
  const byKey = new Map(plan.fields.map((fieldPlan) => [fieldPlan.key, fieldPlan]));
  const byJoinColumn = new Map(
    plan.fields.filter((fieldPlan) => fieldPlan.field.relation?.joinColumn).map((fieldPlan) => [fieldPlan.field.relation?.joinColumn as string, fieldPlan]),
  );
  const grouped = new Map<string, { plan: TwentyFieldPlan; value?: CanonicalValue; additional?: CanonicalValue }>();
  const targets: TargetLinkRequest[] = [];
  for (const [key, value] of Object.entries(record.fields)) {
    if (key === "id") continue;
    if (key === "targets" || key.startsWith(TARGETS_KEY_PREFIX)) {
      if (plan.targets.length === 0) throw invalidField(key, `${plan.object.namePlural} records cannot be linked to other records`);
      targets.push(...targetRequests(key, value, plan));
      continue;
    }
    const fieldPlan = byKey.get(key) ?? byJoinColumn.get(key);
    if (!fieldPlan) throw invalidField(key, `no field "${key}" on Twenty ${plan.object.namePlural}`);
    if (fieldPlan.description.readOnly && fieldPlan.field.name !== "createdAt") continue;
    // §7: a creation date is settable on create; an update (a duplicate found, a delta run) keeps the record's own.
    if (fieldPlan.field.name === "createdAt" && mode === "update") continue;
    const entry = grouped.get(fieldPlan.field.name) ?? { plan: byKey.get(fieldPlan.field.name) ?? fieldPlan };
    if (fieldPlan.part === "additional") entry.additional = value;
    else entry.value = value;
    grouped.set(fieldPlan.field.name, entry);
  }
  const payload: Record<string, unknown> = {};
  for (const { plan: fieldPlan, value, additional } of grouped.values()) {
    const { field } = fieldPlan;
    const column = field.nativeType === "RELATION" ? (field.relation?.joinColumn ?? `${field.name}Id`) : field.name;
    const main = value ?? null;
    if (main === null && (additional ?? null) === null) {
      if (mode === "update") payload[column] = emptyValue(field);
      continue;
    }
    payload[column] = convertValue(fieldPlan, main, additional, members);
  }
  return { payload, targets };
}
