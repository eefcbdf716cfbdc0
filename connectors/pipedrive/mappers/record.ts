// A Pipedrive record ↔ a canonical record (reference §5, §6): reading keeps every described field;
// writing builds the create or update body from the fields a plan maps.
import { invalidField } from "@/connectors/shared/values";
import type { CanonicalRecord, CanonicalValue } from "@/connectors/types";
import { ADD_TIME_FORMAT, fieldPlans, finishContacts, finishDeal, finishNote, type Body, type MapperContext, type Raw } from "./fields";
import { instantOf } from "./values";

export function toCanonical(objectType: string, raw: Raw, ctx: MapperContext): CanonicalRecord {
  const fields: Record<string, CanonicalValue> = {};
  for (const plan of fieldPlans(objectType, ctx)) fields[plan.description.key] = plan.read(raw, ctx);
  return { id: String(raw.id), objectType, createdAt: instantOf(raw.add_time), updatedAt: instantOf(raw.update_time), fields };
}

/**
 * The body of a create (every mapped field) or an update (the fields present). `stampCode`: the
 * hash key of the object's Ferry source id field, stamped with `sourceId` (§8).
 */
export function toBody(
  objectType: string,
  record: CanonicalRecord,
  ctx: MapperContext,
  options: { create: boolean; sourceId: string; stampCode: string | null },
): Body {
  const body: Body = {};
  for (const plan of fieldPlans(objectType, ctx)) {
    const key = plan.description.key;
    if (plan.description.readOnly || !(key in record.fields)) continue;
    plan.write(record.fields[key], body, ctx);
  }
  finishContacts(body);
  if (objectType === "deals") finishDeal(body, ctx);
  if (objectType === "notes") finishNote(body);
  if (!options.create) delete body.add_time;
  if (options.stampCode) body.custom_fields = { ...(body.custom_fields as Body | undefined), [options.stampCode]: options.sourceId };
  // Kept with no mapping too (the manifest's keepsCreationDate): the record's own creation date.
  const version = ADD_TIME_FORMAT[objectType];
  if (options.create && version && record.createdAt && body.add_time === undefined) {
    const instant = instantOf(record.createdAt);
    if (instant) body.add_time = version === "v2" ? instant.replace(/\.\d{3}Z$/, "Z") : instant.slice(0, 19).replace("T", " ");
  }
  // Required built-in fields write the property of their own name (name, title, content).
  for (const { description } of fieldPlans(objectType, ctx)) {
    if (options.create && description.required && (body[description.key] === null || body[description.key] === undefined))
      throw invalidField(description.key, `${description.label} is required by Pipedrive`);
  }
  return body;
}
