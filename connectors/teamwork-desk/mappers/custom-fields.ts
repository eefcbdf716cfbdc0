// Ticket custom fields (reference §5.8): kinds ↔ canonical types, and values ↔ `meta.value`.
// Kinds: text, textarea, number, date, dropdown, and a multi-choice "checkbox" kind (spelled
// `checkboxes` by the MCP description [U]; the seeds describe it as picking several options from
// a list), so a checkbox field is a multiselect, not a boolean. Dropdown values are option ids.
import { invalidField, isoInstant } from "@/connectors/shared/values";
import type { CanonicalFieldType, CanonicalValue, SelectOption } from "@/connectors/types";
import { idString } from "../api";
import type { DeskCustomField, DeskCustomFieldOption } from "../raw-schemas";
import { slug, text } from "./values";

export const CUSTOM_FIELD_KEY_PREFIX = "customfields.";

export type DeskFieldKind = "text" | "textarea" | "number" | "date" | "dropdown" | "checkbox";

/** A custom field with its options, as describe(), read() and write() use it. */
export type CustomFieldModel = {
  id: string;
  key: string;
  label: string;
  kind: DeskFieldKind | null;
  nativeKind: string;
  required: boolean;
  options: { id: string; name: string }[];
  inboxIds: string[];
};

/** Native kind spelling → one of the six kinds; null for kinds Ferry does not know. */
export function normalizeKind(kind: string | null | undefined): DeskFieldKind | null {
  switch (slug(kind ?? "")) {
    case "text":
    case "textbox":
    case "single-line-text":
      return "text";
    case "textarea":
    case "multi-line-text":
    case "multiline":
      return "textarea";
    case "number":
    case "numbers":
    case "numeric":
      return "number";
    case "date":
      return "date";
    case "dropdown":
    case "select":
      return "dropdown";
    case "checkbox":
    case "checkboxes":
    case "multiselect":
    case "multi-select":
      return "checkbox";
    default:
      return null;
  }
}

export function canonicalTypeForKind(kind: DeskFieldKind | null): CanonicalFieldType {
  switch (kind) {
    case "textarea":
      return "longtext";
    case "number":
      return "number";
    case "date":
      return "date";
    case "dropdown":
      return "select";
    case "checkbox":
      return "multiselect";
    default:
      return "text";
  }
}

/**
 * The kind a planned canonical type needs (`exact`), and kinds that also hold its values without
 * loss of meaning (`compatible`, reported as a warning). Boolean has no native kind: a checkbox
 * field with one option ("ticked") carries it.
 */
export function expectedKindFor(type: CanonicalFieldType): { exact: DeskFieldKind; compatible: DeskFieldKind[] } {
  switch (type) {
    case "longtext":
    case "html":
    case "address":
      return { exact: "textarea", compatible: ["text"] };
    case "number":
    case "currency":
      return { exact: "number", compatible: ["text"] };
    case "date":
      return { exact: "date", compatible: ["text"] };
    case "datetime":
      return { exact: "date", compatible: ["text"] };
    case "select":
      return { exact: "dropdown", compatible: [] };
    case "multiselect":
    case "tags":
      return { exact: "checkbox", compatible: [] };
    case "boolean":
      return { exact: "checkbox", compatible: ["dropdown"] };
    default:
      return { exact: "text", compatible: ["textarea"] };
  }
}

export const KIND_LABELS: Record<DeskFieldKind, string> = {
  text: "single-line text",
  textarea: "multi-line text",
  number: "number",
  date: "date",
  dropdown: "dropdown",
  checkbox: "checkbox (several choices)",
};

export function customFieldKey(id: string): string {
  return `${CUSTOM_FIELD_KEY_PREFIX}${id}`;
}

/** Options may come embedded in v1 shape (`options: [{id,name}]`) or side-loaded (`included.customfieldoptions`). */
export function customFieldModel(raw: DeskCustomField, sideLoaded: DeskCustomFieldOption[]): CustomFieldModel {
  const id = String(raw.id);
  const embedded = (raw.options ?? [])
    .map((option) => (option && typeof option === "object" ? (option as { id?: unknown; name?: unknown; value?: unknown }) : null))
    .filter((option): option is { id?: unknown; name?: unknown; value?: unknown } => option !== null)
    .map((option) => ({ id: text(option.id) ?? "", name: text(option.name) ?? text(option.value) ?? "" }))
    .filter((option) => option.id !== "" && option.name !== "");
  const linked = new Set((raw.customfieldoptions ?? []).map((ref) => String(ref.id)));
  const loaded = sideLoaded
    .filter((option) => idString(option.customfield?.id) === id || linked.has(String(option.id)))
    .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
    .map((option) => ({ id: String(option.id), name: text(option.name) ?? text(option.value) ?? "" }))
    .filter((option) => option.name !== "");
  const options = [...loaded, ...embedded.filter((option) => !loaded.some((other) => other.id === option.id))];
  const nativeKind = raw.kind ?? raw.type ?? "text";
  return {
    id,
    key: customFieldKey(id),
    label: text(raw.agentLabel) ?? text(raw.name) ?? text(raw.customerLabel) ?? `Custom field ${id}`,
    kind: normalizeKind(nativeKind),
    nativeKind,
    required: raw.agentRequired === true,
    options,
    inboxIds: (raw.inboxes ?? []).map((ref) => String(ref.id)),
  };
}

export function selectOptionsOf(field: CustomFieldModel): SelectOption[] {
  return field.options.map((option) => ({ value: option.name, label: option.name }));
}

function optionName(field: CustomFieldModel, value: unknown): string | null {
  const raw = text(value);
  if (raw === null) return null;
  const option = field.options.find((candidate) => candidate.id === raw) ?? field.options.find((candidate) => candidate.name === raw);
  // An id Ferry cannot resolve is kept as is: dropping it would lose the value silently.
  return option?.name ?? raw;
}

/** `meta.value` of a ticket's custom field → canonical value. */
export function customValueFromDesk(field: CustomFieldModel, value: unknown): CanonicalValue {
  if (value === null || value === undefined) return null;
  switch (field.kind) {
    case "number": {
      const number = typeof value === "number" ? value : Number(text(value) ?? Number.NaN);
      return Number.isFinite(number) ? number : text(value);
    }
    case "date": {
      const raw = text(value);
      if (raw === null) return null;
      const match = /^(\d{4}-\d{2}-\d{2})/.exec(raw);
      return match ? match[1] : raw;
    }
    case "dropdown": {
      const single = Array.isArray(value) ? value[0] : value;
      return optionName(field, single);
    }
    case "checkbox": {
      const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [value];
      const names = list.map((item) => optionName(field, item)).filter((name): name is string => name !== null);
      return names.length === 0 ? null : names;
    }
    default:
      return typeof value === "string" ? (value === "" ? null : value) : text(value);
  }
}

function findOption(field: CustomFieldModel, value: string): { id: string; name: string } | undefined {
  const wanted = value.trim();
  return (
    field.options.find((option) => option.id === wanted) ??
    field.options.find((option) => option.name === wanted) ??
    field.options.find((option) => option.name.toLowerCase() === wanted.toLowerCase()) ??
    field.options.find((option) => slug(option.name) === slug(wanted))
  );
}

/** Option ids are numbers in Teamwork (§5.8 example `"value": 1613`). */
function optionIdValue(id: string): number | string {
  return Number.isSafeInteger(Number(id)) ? Number(id) : id;
}

function unknownOption(field: CustomFieldModel, value: string): never {
  const names = field.options.map((option) => option.name).join(", ");
  throw invalidField(field.key, `"${value}" is not an option of ${field.label}${names ? ` (options: ${names})` : ""}`);
}

/**
 * Canonical value → `meta.value` (§5.8): text, number and date as strings; dropdown as the
 * option id; checkbox as a list of option ids as strings ([U]: "custom field arrays must be
 * string"). Null means "leave empty".
 */
export function customValueToDesk(field: CustomFieldModel, value: CanonicalValue): string | number | string[] | null {
  if (value === null) return null;
  switch (field.kind) {
    case "number": {
      const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
      if (typeof value === "object" && !Array.isArray(value) && "amountMicros" in value) return String(value.amountMicros / 1_000_000);
      if (!Number.isFinite(number)) throw invalidField(field.key, `"${String(value)}" is not a number`);
      return String(number);
    }
    case "date": {
      if (typeof value !== "string") throw invalidField(field.key, "expects a date");
      const trimmed = value.trim();
      const match = /^(\d{4}-\d{2}-\d{2})/.exec(trimmed);
      if (match) return match[1];
      const instant = isoInstant(trimmed);
      if (instant === null) throw invalidField(field.key, `"${value}" is not a date (expected YYYY-MM-DD)`);
      return instant.slice(0, 10);
    }
    case "dropdown": {
      // A yes/no value lands on a "Yes"/"No" (or "True"/"False") dropdown.
      const raw =
        typeof value === "boolean"
          ? value
            ? "yes"
            : "no"
          : typeof value === "string"
            ? value
            : typeof value === "number"
              ? String(value)
              : Array.isArray(value) && typeof value[0] === "string"
                ? value[0]
                : null;
      if (raw === null) throw invalidField(field.key, "expects one option");
      if (raw.trim() === "") return null;
      const option = findOption(field, raw) ?? (typeof value === "boolean" ? findOption(field, String(value)) : undefined) ?? unknownOption(field, raw);
      return optionIdValue(option.id);
    }
    case "checkbox": {
      if (typeof value === "boolean") {
        // A yes/no value in a one-option checkbox field: ticked = that option.
        const first = field.options[0];
        if (!first) throw invalidField(field.key, `${field.label} has no option to tick`);
        return value ? [first.id] : [];
      }
      const list =
        typeof value === "string" ? value.split(",") : Array.isArray(value) && value.every((item) => typeof item === "string") ? (value as string[]) : null;
      if (list === null) throw invalidField(field.key, "expects a list of options");
      const ids = list.filter((item) => item.trim() !== "").map((item) => (findOption(field, item) ?? unknownOption(field, item)).id);
      return [...new Set(ids)];
    }
    default: {
      if (typeof value === "string") return value === "" ? null : value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      if (Array.isArray(value) && value.every((item) => typeof item === "string")) return (value as string[]).join(", ");
      if (typeof value === "object" && "amountMicros" in value) return `${value.amountMicros / 1_000_000} ${value.currencyCode}`;
      if (typeof value === "object" && "e164" in value) return value.e164 ?? value.raw;
      if (typeof value === "object" && "email" in value && "id" in value) return value.email ?? value.id;
      throw invalidField(field.key, "expects text");
    }
  }
}
