// Custom field values on tickets (reference §5.8): `customfields: [{"id": <fieldId>, "meta":
// {"value": <v>}}]` — text/number/date are the literal (a string), dropdown the option id;
// the multi-select format is [U] (probably an array of option ids): an array, one id or a
// comma-separated string of ids are all accepted and stored as an array of option ids.
import { validation } from "../errors";
import { isObject, parseId } from "../input";
import type { CustomFieldValue } from "../model";
import type { DeskStore } from "../store";
import { existing } from "./common";

export type CustomFieldChanges = { set: CustomFieldValue[]; remove: number[] };

function optionId(store: DeskStore, fieldId: number, value: unknown, source: string): number {
  const id = parseId(value);
  if (id === null || !store.optionsOf(fieldId).some((option) => option.id === id)) {
    throw validation(`${JSON.stringify(value)} is not an option of custom field ${fieldId}`, source);
  }
  return id;
}

export function readCustomFieldValues(store: DeskStore, raw: unknown, source = "customfields"): CustomFieldChanges | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw validation("must be an array", source);
  const changes: CustomFieldChanges = { set: [], remove: [] };
  raw.forEach((entry, index) => {
    const at = `${source}[${index}]`;
    if (!isObject(entry)) throw validation("must be an object with an id", at);
    const fieldId = parseId(entry.id);
    if (fieldId === null) throw validation("id must be a positive integer", `${at}.id`);
    const field = existing(store.customfields, fieldId, `${at}.id`);
    const meta = isObject(entry.meta) ? entry.meta : {};
    const value = meta.value;
    if (meta.delete === true || value === null || value === undefined || value === "") {
      changes.remove.push(fieldId);
      return;
    }
    const valueSource = `${at}.meta.value`;
    switch (field.kind) {
      case "text":
      case "textarea":
        if (typeof value !== "string" && typeof value !== "number") throw validation("must be a string", valueSource);
        changes.set.push({ fieldId, value: String(value) });
        return;
      case "number":
        if ((typeof value !== "string" && typeof value !== "number") || String(value).trim() === "" || Number.isNaN(Number(value))) {
          throw validation("must be a number", valueSource);
        }
        changes.set.push({ fieldId, value: String(value) });
        return;
      case "date":
        if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw validation("must be a date (YYYY-MM-DD or RFC 3339)", valueSource);
        changes.set.push({ fieldId, value });
        return;
      case "dropdown":
        changes.set.push({ fieldId, value: optionId(store, fieldId, value, valueSource) });
        return;
      case "checkbox":
      case "checkboxes": {
        const entries = Array.isArray(value)
          ? value
          : typeof value === "string"
            ? value
                .split(",")
                .map((part) => part.trim())
                .filter(Boolean)
            : [value];
        changes.set.push({ fieldId, value: entries.map((option) => optionId(store, fieldId, option, valueSource)) });
        return;
      }
    }
  });
  return changes;
}

export function applyCustomFieldChanges(current: CustomFieldValue[], changes: CustomFieldChanges): CustomFieldValue[] {
  const byField = new Map(current.map((value) => [value.fieldId, value]));
  for (const id of changes.remove) byField.delete(id);
  for (const value of changes.set) byField.set(value.fieldId, value);
  return [...byField.values()];
}
