// Reference data (inboxes, tags, statuses, priorities, ticket types, custom fields, §5.7–§5.10)
// as canonical records, and the loose lookup that turns a canonical select value back into a
// Teamwork record: by id, by name (any case), by code, or by the name's slug ("on-hold").
import type { CanonicalRecord, SelectOption } from "@/connectors/types";
import type { DeskInbox, DeskNamed } from "../raw-schemas";
import type { CustomFieldModel } from "./custom-fields";
import { canonicalTypeForKind } from "./custom-fields";
import { dateTimeFromDesk, slug, text } from "./values";

type Named = { id: string | number; name?: string | null; code?: string | null };

export function nameOf(item: Named): string {
  return text(item.name) ?? text(item.code) ?? String(item.id);
}

/** Select options for reference data: the name is both value and label (names are what the import takes, §6). */
export function namedOptions(list: Named[]): SelectOption[] {
  return list.map((item) => ({ value: nameOf(item), label: nameOf(item) }));
}

export function findNamed<T extends Named>(list: T[], value: string): T | undefined {
  const wanted = value.trim();
  if (wanted === "") return undefined;
  const lower = wanted.toLowerCase();
  const wantedSlug = slug(wanted);
  return (
    list.find((item) => String(item.id) === wanted) ??
    list.find((item) => text(item.name) === wanted) ??
    list.find((item) => text(item.name)?.toLowerCase() === lower) ??
    list.find((item) => text(item.code)?.toLowerCase() === lower) ??
    (wantedSlug === "" ? undefined : list.find((item) => slug(item.name ?? "") === wantedSlug || slug(item.code ?? "") === wantedSlug))
  );
}

export function nameById(list: Named[], id: string | number | null | undefined): string | null {
  if (id === null || id === undefined) return null;
  const found = list.find((item) => String(item.id) === String(id));
  return found ? nameOf(found) : null;
}

function base(objectType: string, raw: { id: string | number; createdAt?: string | null; updatedAt?: string | null }): Omit<CanonicalRecord, "fields"> {
  return { id: String(raw.id), objectType, createdAt: dateTimeFromDesk(raw.createdAt), updatedAt: dateTimeFromDesk(raw.updatedAt) };
}

export function inboxFromDesk(raw: DeskInbox): CanonicalRecord {
  return { ...base("inboxes", raw), fields: { name: text(raw.name), email: text(raw.email), state: text(raw.state) } };
}

export function tagFromDesk(raw: DeskNamed): CanonicalRecord {
  return { ...base("tags", raw), fields: { name: text(raw.name), color: text(raw.color) } };
}

/** Statuses, priorities and ticket types share one shape (§5.10). */
export function namedFromDesk(objectType: string, raw: DeskNamed): CanonicalRecord {
  const fields: CanonicalRecord["fields"] = { name: text(raw.name), color: text(raw.color), displayOrder: raw.displayOrder ?? null };
  if (objectType === "statuses") fields.code = text(raw.code);
  if (objectType === "ticketTypes") fields.isDefault = raw.default ?? null;
  return { ...base(objectType, raw), fields };
}

export function customFieldFromDesk(field: CustomFieldModel): CanonicalRecord {
  return {
    id: field.id,
    objectType: "customFields",
    createdAt: null,
    updatedAt: null,
    fields: {
      label: field.label,
      kind: field.nativeKind,
      type: canonicalTypeForKind(field.kind),
      required: field.required,
      options: field.options.length === 0 ? null : field.options.map((option) => option.name),
      inboxes: field.inboxIds.length === 0 ? null : field.inboxIds.map((id) => ({ objectType: "inboxes", id })),
    },
  };
}
