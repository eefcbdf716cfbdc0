// A record's creation date as a field a plan can map. Every canonical record carries createdAt;
// help desk sources also describe it as the read-only field "Created", so the default plan maps
// it onto a target's own creation date where the target accepts one on create (Twenty, twenty-api §7) or
// into a date field it creates, instead of records arriving dated the day of the migration.
import type { CanonicalRecord, FieldDescription, ObjectTypeDescription, RecordPage, SchemaDescription } from "@/connectors/types";

export const CREATED_AT_FIELD = "createdAt";

export const createdAtField: FieldDescription = {
  key: CREATED_AT_FIELD,
  label: "Created",
  type: "datetime",
  nativeType: "createdAt",
  required: false,
  unique: false,
  readOnly: true,
  custom: false,
};

/** The schema with a "Created" field on every object that lacks one. */
export function describeCreatedAt(schema: SchemaDescription): SchemaDescription {
  return {
    objectTypes: schema.objectTypes.map((object): ObjectTypeDescription =>
      object.fields.some((field) => field.key === CREATED_AT_FIELD) ? object : { ...object, fields: [...object.fields, createdAtField] },
    ),
  };
}

/** The record (and its children) with its creation date as the "Created" field. */
export function withCreatedAt(record: CanonicalRecord): CanonicalRecord {
  const children = record.children ? Object.fromEntries(Object.entries(record.children).map(([key, list]) => [key, list.map(withCreatedAt)])) : undefined;
  return { ...record, fields: { ...record.fields, [CREATED_AT_FIELD]: record.createdAt }, ...(children ? { children } : {}) };
}

/** A reader's pages with withCreatedAt applied to every record. */
export async function* pagesWithCreatedAt(pages: AsyncGenerator<RecordPage>): AsyncGenerator<RecordPage> {
  for await (const page of pages) yield { ...page, records: page.records.map(withCreatedAt) };
}
