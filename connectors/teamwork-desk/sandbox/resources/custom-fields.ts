// Ticket custom fields and their options (reference §5.8). The official example creates a field
// through v1 (`POST /desk/v1/customfields.json`, flat body); v2 creation is [U] and accepted
// wrapped (`{"customfield":{…}}`) or flat. Options: `POST /customfieldoptions.json`.
import { validation } from "../errors";
import type { ApiRequest, ApiResponse } from "../http-types";
import { noContent } from "../http-types";
import { isObject, parseId, readBoolean, readEnum, readNumber, readRefId, readString, unwrap, type InputObject } from "../input";
import { CUSTOM_FIELD_KINDS, type CustomFieldApp, type CustomFieldRow } from "../model";
import { listResponse, singleResponse } from "../query";
import type { DeskStore } from "../store";
import { VIEWS } from "../views";
import { CREATED, crud, existing, found, requireAdmin } from "./common";

const view = VIEWS.customfields;
const optionView = VIEWS.customfieldoptions;

/** v1 posts `inboxes: [36018, 36029]`; v2 refs `[{"id": 1}]`; both accepted. */
function readInboxIds(store: DeskStore, input: InputObject): number[] | undefined {
  const raw = input.inboxes;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw validation("must be an array", "inboxes");
  return raw.map((entry, index) => {
    const id = parseId(isObject(entry) ? entry.id : entry);
    if (id === null) throw validation("must be an inbox id", `inboxes[${index}]`);
    return existing(store.inboxes, id, `inboxes[${index}]`).id;
  });
}

function readOptions(input: InputObject): { name: string; displayOrder?: number }[] | undefined {
  const raw = input.options;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw validation("must be an array", "options");
  return raw.map((entry, index) => {
    const name = typeof entry === "string" ? entry : isObject(entry) && typeof entry.name === "string" ? entry.name : "";
    if (name.trim() === "") throw validation("must have a name", `options[${index}]`);
    const displayOrder = isObject(entry) && typeof entry.displayOrder === "number" ? entry.displayOrder : undefined;
    return { name, displayOrder };
  });
}

function readApps(input: InputObject): CustomFieldApp[] | undefined {
  const raw = input.apps;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw validation("must be an array", "apps");
  return raw.map((entry, index) => {
    if (!isObject(entry) || typeof entry.name !== "string") throw validation("must be an object with a name", `apps[${index}]`);
    return { name: entry.name, canViewData: entry.canViewData === true, canEditData: entry.canEditData === true };
  });
}

/** Shared by v1 and v2 create: validates everything, then inserts the field and its options. */
export function createCustomFieldFrom(store: DeskStore, input: InputObject): CustomFieldRow {
  requireAdmin(store, "create custom fields");
  const agentLabel = readString(input, "agentLabel", { required: true })!;
  const kind = readEnum(input, "kind", CUSTOM_FIELD_KINDS);
  if (!kind) throw validation("must be set", "kind");
  const options = readOptions(input) ?? [];
  if ((kind === "dropdown" || kind === "checkbox" || kind === "checkboxes") && options.length === 0)
    throw validation("a dropdown or checkbox field needs options", "options");
  const inboxIds = readInboxIds(store, input);
  const field = store.createCustomField({
    agentLabel,
    kind,
    customerLabel: readString(input, "customerLabel"),
    description: readString(input, "description"),
    agentRequired: readBoolean(input, "agentRequired"),
    customerRequired: readBoolean(input, "customerRequired"),
    enabled: readBoolean(input, "enabled"),
    addToNewInboxes: readBoolean(input, "addToNewInboxes"),
    apps: readApps(input),
    placeholder: readString(input, "placeholder"),
    defaultValue: readString(input, "defaultValue"),
    inboxIds: inboxIds ?? [],
  });
  options.forEach((option, index) => store.createOption(field, option.name, option.displayOrder ?? index));
  return field;
}

function updateCustomField(store: DeskStore, request: ApiRequest, id: number): ApiResponse {
  requireAdmin(store, "edit custom fields");
  const field = found(store.customfields, id, "Custom field");
  const input = unwrap(request.body, "customfield");
  const inboxIds = readInboxIds(store, input);
  for (const name of ["agentLabel", "customerLabel", "description", "placeholder", "defaultValue"] as const) {
    const value = readString(input, name, { required: name === "agentLabel" && input.agentLabel !== undefined });
    if (value !== undefined) field[name] = value;
  }
  for (const name of ["agentRequired", "customerRequired", "enabled", "addToNewInboxes"] as const) {
    const value = readBoolean(input, name);
    if (value !== undefined) field[name] = value;
  }
  const displayOrder = readNumber(input, "displayOrder");
  if (displayOrder !== undefined) field.displayOrder = displayOrder;
  if (input.kind !== undefined && input.kind !== field.kind) throw validation("the kind of a field cannot change", "kind");
  if (inboxIds) field.inboxIds = inboxIds;
  store.touch(field);
  return singleResponse(store, view, field, request.params);
}

export function handleCustomFields(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  return crud(request, rest, {
    list: () => listResponse(store, view, request.params),
    create: () => singleResponse(store, view, createCustomFieldFrom(store, unwrap(request.body, "customfield", { allowFlat: true })), request.params, CREATED),
    get: (id) => singleResponse(store, view, found(store.customfields, id, "Custom field"), request.params),
    update: (id) => updateCustomField(store, request, id),
    remove: (id) => {
      requireAdmin(store, "delete custom fields");
      store.softDelete(found(store.customfields, id, "Custom field"));
      return noContent();
    },
  });
}

export function handleCustomFieldOptions(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  return crud(request, rest, {
    list: () => listResponse(store, optionView, request.params),
    // Reference §5.8: `{"customfieldoption":{"customfield":{"id":272},"name":"Option 3"}}`.
    create: () => {
      requireAdmin(store, "edit custom fields");
      const input = unwrap(request.body, "customfieldoption");
      const fieldId = readRefId(input, "customfield", { required: true })!;
      const field = existing(store.customfields, fieldId, "customfield");
      const name = readString(input, "name", { required: true })!;
      const option = store.createOption(field, name, readNumber(input, "displayOrder"));
      return singleResponse(store, optionView, option, request.params, CREATED);
    },
    get: (id) => singleResponse(store, optionView, found(store.customfieldoptions, id, "Custom field option"), request.params),
    update: (id) => {
      requireAdmin(store, "edit custom fields");
      const option = found(store.customfieldoptions, id, "Custom field option");
      const input = unwrap(request.body, "customfieldoption");
      const name = input.name === undefined ? undefined : readString(input, "name", { required: true });
      const displayOrder = readNumber(input, "displayOrder");
      if (name !== undefined) option.name = name;
      if (displayOrder !== undefined) option.displayOrder = displayOrder;
      store.touch(option);
      return singleResponse(store, optionView, option, request.params);
    },
    remove: (id) => {
      requireAdmin(store, "edit custom fields");
      store.softDelete(found(store.customfieldoptions, id, "Custom field option"));
      return noContent();
    },
  });
}
