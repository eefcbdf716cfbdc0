// Metadata REST (reference §3.1, legacy envelope: `{ data: { objects: [...] } }`, `createOneField`, …),
// webhooks (reference §5.2) and the one GraphQL answer the sandbox gives (reference §5.1).
import { randomUUID } from "node:crypto";
import { badRequest, notFound, routeNotFound } from "./errors";
import { ok, type ApiRequest, type ApiResponse } from "./http-types";
import { isUuid } from "./ids";
import {
  FIELD_METADATA_TYPES,
  isRelationField,
  joinColumnOf,
  targetRelationSpecs,
  type FieldMetadata,
  type FieldMetadataType,
  type FieldOption,
  type ObjectMetadata,
  type RelationType,
} from "./objects";
import { DEFAULT_LIMIT_RECORDS, MAX_LIMIT_RECORDS, parseLimit, singleParam } from "./query";
import type { TwentyStore, TwentyWebhook } from "./store";
import { typeDefaultValue } from "./values";

const CAMEL_CASE_NAME = /^[a-z][a-zA-Z0-9]*$/;
/** Reference §3.1 [U: exact regex]: option values must be valid GraphQL enum names. */
const GRAPHQL_ENUM_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
/** Types a client may not create as fields: computed, internal, or created with their object. */
const NON_CREATABLE_TYPES: FieldMetadataType[] = ["TS_VECTOR", "ACTOR", "POSITION", "MORPH_RELATION"];

type Body = Record<string, unknown>;

function requireBody(body: unknown): Body {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw badRequest("Body must be a JSON object");
  return body as Body;
}

function requireString(body: Body, key: string): string {
  const value = body[key];
  if (typeof value !== "string" || value.trim() === "") throw badRequest(`${key} must be a non-empty string`);
  return value;
}

function optionalString(body: Body, key: string): string | null | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (value !== null && typeof value !== "string") throw badRequest(`${key} must be a string`);
  return value;
}

function optionalBoolean(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw badRequest(`${key} must be a boolean`);
  return value;
}

/** Reference §3.1: metadata lists page by record id (the cursor is the id), default 60, cap 200. */
function pageById<T extends { id: string }>(items: T[], params: URLSearchParams): { page: T[]; pageInfo: Record<string, unknown>; totalCount: number } {
  const limit = parseLimit(singleParam(params, "limit"), DEFAULT_LIMIT_RECORDS, MAX_LIMIT_RECORDS);
  const startingAfter = singleParam(params, "starting_after");
  const endingBefore = singleParam(params, "ending_before");
  if (startingAfter !== undefined && endingBefore !== undefined) throw badRequest("Cannot use both starting_after and ending_before");
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let page: T[];
  let hasNextPage: boolean;
  let hasPreviousPage: boolean;
  if (endingBefore !== undefined) {
    const before = sorted.filter((item) => item.id < endingBefore);
    page = limit === 0 ? [] : before.slice(-limit);
    hasPreviousPage = before.length > page.length;
    hasNextPage = sorted.length > before.length;
  } else {
    const after = startingAfter !== undefined ? sorted.filter((item) => item.id > startingAfter) : sorted;
    page = after.slice(0, limit);
    hasNextPage = after.length > page.length;
    hasPreviousPage = sorted.length > after.length;
  }
  return {
    page,
    pageInfo: { hasNextPage, hasPreviousPage, startCursor: page[0]?.id ?? null, endCursor: page[page.length - 1]?.id ?? null },
    totalCount: sorted.length,
  };
}

export function handleMetadataRequest(store: TwentyStore, request: ApiRequest): ApiResponse {
  // segments: ["metadata", "objects" | "fields" | "webhooks", id?]
  const [, collection, id, ...rest] = request.segments;
  if (rest.length > 0) throw routeNotFound(request.method, request.path);
  switch (collection) {
    case "objects":
      return handleObjects(store, request, id);
    case "fields":
      return handleFields(store, request, id);
    case "webhooks":
      return handleWebhooks(store, request, id, "metadata");
    default:
      throw routeNotFound(request.method, request.path);
  }
}

// ---------------------------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------------------------

function requireObject(store: TwentyStore, id: string): ObjectMetadata {
  const object = store.metadata.object(id);
  // The wording is not in the reference [U]; the 404 is (reference §6.2).
  if (!object) throw notFound("Object metadata not found");
  return object;
}

function handleObjects(store: TwentyStore, request: ApiRequest, id: string | undefined): ApiResponse {
  const { metadata } = store;
  if (id === undefined) {
    if (request.method === "GET") {
      const { page, pageInfo, totalCount } = pageById(metadata.listObjects(), request.params);
      return ok({ data: { objects: page.map((object) => metadata.renderObject(object)) }, pageInfo, totalCount });
    }
    if (request.method === "POST") return ok({ data: { createOneObject: metadata.renderObject(createObject(store, requireBody(request.body))) } }, 201);
    throw routeNotFound(request.method, request.path);
  }
  const object = requireObject(store, id);
  switch (request.method) {
    case "GET":
      return ok({ data: { object: metadata.renderObject(object) } });
    case "PATCH":
    case "PUT":
      return ok({ data: { updateOneObject: metadata.renderObject(updateObject(store, object, requireBody(request.body))) } });
    case "DELETE": {
      const rendered = metadata.renderObject(object);
      deleteObject(store, object);
      return ok({ data: { deleteOneObject: rendered } });
    }
    default:
      throw routeNotFound(request.method, request.path);
  }
}

/** Reference §3.1: a new object gets `name`, `position`, `createdBy` and timestamps, and is reachable at /rest/<namePlural>. */
function createObject(store: TwentyStore, body: Body): ObjectMetadata {
  const nameSingular = requireString(body, "nameSingular");
  const namePlural = requireString(body, "namePlural");
  const labelSingular = requireString(body, "labelSingular");
  const labelPlural = requireString(body, "labelPlural");
  for (const name of [nameSingular, namePlural]) {
    if (!CAMEL_CASE_NAME.test(name)) throw badRequest(`Name "${name}" is not valid: it must be in camelCase and contain only letters and digits`);
    if (store.metadata.objectByName(name) || name === "batch" || name === "metadata" || name === "webhooks") {
      throw badRequest(`Name "${name}" is not available: an object already uses it`);
    }
  }
  if (nameSingular === namePlural) throw badRequest("The singular and plural names cannot be the same for an object");
  const object = store.metadata.addObjectFromSpec(
    {
      nameSingular,
      namePlural,
      labelSingular,
      labelPlural,
      icon: optionalString(body, "icon") ?? "IconListNumbers",
      description: optionalString(body, "description") ?? "",
      isSystem: false,
      labelIdentifier: "name",
      fields: [{ name: "name", type: "TEXT", label: "Name", icon: "IconAbc", defaultValue: "'Untitled'" }],
    },
    true,
  );
  // Custom objects can be linked from notes and tasks like standard ones (reference §4).
  for (const joinObject of ["noteTarget", "taskTarget"] as const) store.metadata.addRelation(targetRelationSpecs(joinObject, object), false);
  return object;
}

function updateObject(store: TwentyStore, object: ObjectMetadata, body: Body): ObjectMetadata {
  for (const key of ["labelSingular", "labelPlural", "description", "icon"] as const) {
    const value = optionalString(body, key);
    if (value !== undefined) {
      if ((key === "labelSingular" || key === "labelPlural") && !value) throw badRequest(`${key} must be a non-empty string`);
      object[key] = value as string;
    }
  }
  const isActive = optionalBoolean(body, "isActive");
  if (isActive !== undefined) object.isActive = isActive;
  for (const key of ["nameSingular", "namePlural"] as const) {
    if (body[key] !== undefined && body[key] !== object[key]) throw badRequest(`${key} cannot be changed in the Twenty sandbox`);
  }
  store.metadata.touch(object);
  return object;
}

/** Reference §3.1: only custom objects can be deleted, and only once deactivated. */
function deleteObject(store: TwentyStore, object: ObjectMetadata) {
  if (!object.isCustom) throw badRequest("Standard objects cannot be deleted");
  if (object.isActive) throw badRequest("Object must be deactivated before it can be deleted");
  const removed = store.metadata.removeObject(object.id);
  for (const field of removed) {
    const joinColumn = joinColumnOf(field);
    if (joinColumn && field.objectMetadataId !== object.id) store.dropFieldValues(field.objectMetadataId, [joinColumn]);
  }
  store.dropTable(object.id);
}

// ---------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------

function requireField(store: TwentyStore, id: string): FieldMetadata {
  const field = store.metadata.field(id);
  if (!field) throw notFound("Field metadata not found");
  return field;
}

function handleFields(store: TwentyStore, request: ApiRequest, id: string | undefined): ApiResponse {
  const { metadata } = store;
  if (id === undefined) {
    if (request.method === "GET") {
      const { page, pageInfo, totalCount } = pageById(metadata.listFields(), request.params);
      return ok({ data: { fields: page.map((field) => metadata.renderField(field)) }, pageInfo, totalCount });
    }
    if (request.method === "POST") return ok({ data: { createOneField: metadata.renderField(createField(store, requireBody(request.body))) } }, 201);
    throw routeNotFound(request.method, request.path);
  }
  const field = requireField(store, id);
  switch (request.method) {
    case "GET":
      return ok({ data: { field: metadata.renderField(field) } });
    case "PATCH":
    case "PUT":
      return ok({ data: { updateOneField: metadata.renderField(updateField(store, field, requireBody(request.body))) } });
    case "DELETE": {
      const rendered = metadata.renderField(field);
      deleteField(store, field);
      return ok({ data: { deleteOneField: rendered } });
    }
    default:
      throw routeNotFound(request.method, request.path);
  }
}

/** Reference §3.1: options need a label, an API value, a color and a position. */
function parseOptions(raw: unknown, type: FieldMetadataType, newId: () => string): FieldOption[] {
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest(`Options are required for ${type} fields`);
  const values = new Set<string>();
  return raw.map((item, index) => {
    if (item === null || typeof item !== "object") throw badRequest("Each option must be an object with label, value, color and position");
    const option = item as Body;
    const label = option.label;
    const value = option.value;
    const color = option.color;
    if (typeof label !== "string" || label.trim() === "") throw badRequest("Option label is required");
    if (typeof value !== "string" || !GRAPHQL_ENUM_NAME.test(value)) {
      throw badRequest(`Option value "${String(value)}" is not valid: it must match ${GRAPHQL_ENUM_NAME.source} (convention: UPPER_SNAKE_CASE)`);
    }
    if (typeof color !== "string" || color.trim() === "") throw badRequest("Option color is required");
    if (values.has(value)) throw badRequest(`Duplicate option value "${value}"`);
    values.add(value);
    const position = typeof option.position === "number" ? option.position : index;
    return { id: typeof option.id === "string" && isUuid(option.id) ? option.id : newId(), label, value, color, position };
  });
}

/** Reference §3.1: SELECT defaults are quoted (`"'NEW'"`); a bare value is accepted too [U]. */
function parseSelectDefault(raw: unknown, type: FieldMetadataType, options: FieldOption[]): unknown {
  if (raw === undefined || raw === null) return null;
  const unquote = (value: unknown) => {
    if (typeof value !== "string") throw badRequest("defaultValue must be a quoted option value, e.g. \"'NEW'\"");
    const bare = value.replace(/^'(.*)'$/s, "$1");
    if (!options.some((option) => option.value === bare)) throw badRequest(`defaultValue "${value}" is not one of the options`);
    return `'${bare}'`;
  };
  if (type === "MULTI_SELECT") {
    if (!Array.isArray(raw)) throw badRequest("defaultValue of a MULTI_SELECT field must be an array");
    return raw.map(unquote);
  }
  return unquote(raw);
}

function toCamelCase(label: string): string {
  const words = label
    .replace(/[^a-zA-Z0-9]+/g, " ")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return words.map((word, index) => (index === 0 ? word[0].toLowerCase() + word.slice(1) : word[0].toUpperCase() + word.slice(1))).join("");
}

function createField(store: TwentyStore, body: Body): FieldMetadata {
  const { metadata } = store;
  const objectMetadataId = requireString(body, "objectMetadataId");
  const object = metadata.object(objectMetadataId);
  if (!object) throw badRequest(`Object metadata with id ${objectMetadataId} does not exist`);
  const type = requireString(body, "type") as FieldMetadataType;
  if (!(FIELD_METADATA_TYPES as readonly string[]).includes(type) || NON_CREATABLE_TYPES.includes(type)) {
    throw badRequest(`Field type "${type}" is not valid or cannot be created`);
  }
  const name = requireString(body, "name");
  if (!CAMEL_CASE_NAME.test(name)) throw badRequest(`Name "${name}" is not valid: it must be in camelCase and contain only letters and digits`);
  // Reference §3.1: the name must be unique within the object (join columns included).
  if (metadata.isNameTaken(object.id, name) || metadata.isNameTaken(object.id, `${name}Id`)) throw badRequest(`Name "${name}" is not available`);
  const label = requireString(body, "label");
  const description = optionalString(body, "description") ?? null;
  const icon = optionalString(body, "icon") ?? null;
  const isNullable = optionalBoolean(body, "isNullable") ?? true;
  const isUnique = optionalBoolean(body, "isUnique") ?? false;

  if (type === "RELATION") return createRelationField(store, object, body, { name, label, description, icon });

  let options: FieldOption[] | null = null;
  let defaultValue: unknown = body.defaultValue === undefined ? typeDefaultValue(type) : body.defaultValue;
  if (type === "SELECT" || type === "MULTI_SELECT") {
    options = parseOptions(body.options, type, randomUUID);
    defaultValue = parseSelectDefault(body.defaultValue, type, options);
  }
  return metadata.addField(object.id, {
    type,
    name,
    label,
    description,
    icon,
    isCustom: true,
    isActive: true,
    isSystem: false,
    isNullable,
    isUnique,
    defaultValue,
    options,
    settings: body.settings !== null && typeof body.settings === "object" ? (body.settings as Record<string, unknown>) : null,
    isLabelSyncedWithName: optionalBoolean(body, "isLabelSyncedWithName") ?? false,
    relationTarget: null,
  });
}

/** Reference §3.1: `relationCreationPayload` names the target object, the inverse field's label and the relation type. */
function createRelationField(
  store: TwentyStore,
  object: ObjectMetadata,
  body: Body,
  field: { name: string; label: string; description: string | null; icon: string | null },
): FieldMetadata {
  const payload = body.relationCreationPayload;
  if (payload === null || typeof payload !== "object") throw badRequest("relationCreationPayload is required for RELATION fields");
  const relation = payload as Body;
  const target = typeof relation.targetObjectMetadataId === "string" ? store.metadata.object(relation.targetObjectMetadataId) : undefined;
  if (!target) throw badRequest("relationCreationPayload.targetObjectMetadataId does not exist");
  const relationType = relation.type as RelationType;
  if (relationType !== "MANY_TO_ONE" && relationType !== "ONE_TO_MANY") throw badRequest("relationCreationPayload.type must be MANY_TO_ONE or ONE_TO_MANY");
  const targetLabel = typeof relation.targetFieldLabel === "string" && relation.targetFieldLabel.trim() !== "" ? relation.targetFieldLabel : object.labelPlural;
  const targetName = toCamelCase(targetLabel);
  if (!CAMEL_CASE_NAME.test(targetName) || store.metadata.isNameTaken(target.id, targetName) || store.metadata.isNameTaken(target.id, `${targetName}Id`)) {
    throw badRequest(`Name "${targetName}" is not available on ${target.nameSingular}`);
  }
  const here = { object: object.nameSingular, field: field.name, label: field.label };
  const there = { object: target.nameSingular, field: targetName, label: targetLabel };
  const { source, target: inverse } = store.metadata.addRelation(
    relationType === "MANY_TO_ONE"
      ? { type: "RELATION", source: here, target: there, onDelete: "SET_NULL" }
      : { type: "RELATION", source: there, target: here, onDelete: "SET_NULL" },
    true,
  );
  const created = relationType === "MANY_TO_ONE" ? source : inverse;
  created.description = field.description;
  created.icon = field.icon;
  const other = relationType === "MANY_TO_ONE" ? inverse : source;
  other.icon = typeof relation.targetFieldIcon === "string" ? relation.targetFieldIcon : null;
  return created;
}

function updateField(store: TwentyStore, field: FieldMetadata, body: Body): FieldMetadata {
  const object = requireObject(store, field.objectMetadataId);
  for (const key of ["label", "description", "icon"] as const) {
    const value = optionalString(body, key);
    if (value === undefined) continue;
    if (key === "label" && !value) throw badRequest("label must be a non-empty string");
    field[key] = value as string;
  }
  const name = optionalString(body, "name");
  if (name && name !== field.name) {
    if (!field.isCustom || isRelationField(field)) throw badRequest("Only custom, non-relation fields can be renamed");
    if (!CAMEL_CASE_NAME.test(name)) throw badRequest(`Name "${name}" is not valid: it must be in camelCase and contain only letters and digits`);
    if (store.metadata.isNameTaken(object.id, name)) throw badRequest(`Name "${name}" is not available`);
    store.renameFieldValues(object.id, field.name, name);
    field.name = name;
  }
  const isActive = optionalBoolean(body, "isActive");
  if (isActive !== undefined) field.isActive = isActive;
  const isNullable = optionalBoolean(body, "isNullable");
  if (isNullable !== undefined) field.isNullable = isNullable;
  const isUnique = optionalBoolean(body, "isUnique");
  if (isUnique === true && !field.isUnique && !store.canBeUnique(object, field)) {
    throw badRequest("A duplicate entry was detected: existing records share a value for this field");
  }
  if (isUnique !== undefined) field.isUnique = isUnique;
  if (body.options !== undefined) {
    if (field.type !== "SELECT" && field.type !== "MULTI_SELECT") throw badRequest("Only SELECT and MULTI_SELECT fields have options");
    const options = parseOptions(body.options, field.type, randomUUID);
    const kept = new Set(options.map((option) => option.value));
    store.dropOptionValues(
      object.id,
      field,
      (field.options ?? []).map((option) => option.value).filter((value) => !kept.has(value)),
    );
    field.options = options;
    if (body.defaultValue === undefined && field.defaultValue !== null) {
      // A default pointing at a removed option would make every new record invalid.
      const stillValid = (Array.isArray(field.defaultValue) ? field.defaultValue : [field.defaultValue]).every((value) =>
        kept.has(String(value).replace(/^'(.*)'$/s, "$1")),
      );
      if (!stillValid) field.defaultValue = null;
    }
  }
  if (body.defaultValue !== undefined) {
    field.defaultValue =
      field.type === "SELECT" || field.type === "MULTI_SELECT" ? parseSelectDefault(body.defaultValue, field.type, field.options ?? []) : body.defaultValue;
  }
  store.metadata.touch(field);
  return field;
}

/** Only custom fields can be deleted, once deactivated [U: same rule as objects, reference §3.1]. */
function deleteField(store: TwentyStore, field: FieldMetadata) {
  if (!field.isCustom) throw badRequest("Standard fields cannot be deleted");
  if (field.isActive) throw badRequest("Field must be deactivated before it can be deleted");
  for (const removed of store.metadata.removeField(field.id)) {
    store.dropFieldValues(removed.objectMetadataId, [joinColumnOf(removed) ?? removed.name]);
  }
}

// ---------------------------------------------------------------------------------------------
// Webhooks (reference §5.2): /rest/webhooks answers bare values (legacy), /rest/metadata/webhooks pages
// ---------------------------------------------------------------------------------------------

function parseWebhookInput(body: Body, partial: boolean): Partial<Pick<TwentyWebhook, "targetUrl" | "operations" | "description" | "secret">> {
  const result: Partial<Pick<TwentyWebhook, "targetUrl" | "operations" | "description" | "secret">> = {};
  if (body.targetUrl !== undefined || !partial) {
    const targetUrl = requireString(body, "targetUrl");
    if (!/^https?:\/\//i.test(targetUrl) || !URL.canParse(targetUrl)) throw badRequest("targetUrl must be a valid http(s) URL");
    result.targetUrl = targetUrl;
  }
  if (body.operations !== undefined) {
    if (
      !Array.isArray(body.operations) ||
      body.operations.some((operation) => typeof operation !== "string" || !/^[^.\s]+\.[^.\s]+(\.[^.\s]+)?$/.test(operation))
    ) {
      throw badRequest('operations must be an array like ["person.created", "*.*"]');
    }
    result.operations = body.operations as string[];
  }
  const description = optionalString(body, "description");
  if (description !== undefined) result.description = description;
  const secret = optionalString(body, "secret");
  if (secret !== undefined && secret !== null) result.secret = secret;
  return result;
}

export function handleWebhooks(store: TwentyStore, request: ApiRequest, id: string | undefined, route: "legacy" | "metadata"): ApiResponse {
  if (id === undefined) {
    if (request.method === "GET") {
      const all = store.webhooks();
      if (route === "legacy") return ok(all);
      const { page, pageInfo, totalCount } = pageById(all, request.params);
      return ok({ data: page, pageInfo, totalCount });
    }
    if (request.method === "POST") {
      const input = parseWebhookInput(requireBody(request.body), false);
      return ok(
        store.addWebhook({
          targetUrl: input.targetUrl as string,
          operations: input.operations,
          description: input.description ?? undefined,
          secret: input.secret,
        }),
        201,
      );
    }
    throw routeNotFound(request.method, request.path);
  }
  switch (request.method) {
    case "GET":
      return ok(store.webhook(id) ?? null);
    case "PATCH":
    case "PUT": {
      const updated = store.updateWebhook(id, parseWebhookInput(requireBody(request.body), true));
      if (!updated) throw notFound("Webhook not found");
      return ok(updated);
    }
    case "DELETE":
      if (!store.deleteWebhook(id)) throw notFound("Webhook not found");
      return ok(true);
    default:
      throw routeNotFound(request.method, request.path);
  }
}

// ---------------------------------------------------------------------------------------------
// GraphQL (reference §5.1): only workflow (de)activation, refused for API keys
// ---------------------------------------------------------------------------------------------

export function handleGraphql(request: ApiRequest): ApiResponse {
  const query = request.body !== null && typeof request.body === "object" ? (request.body as Body).query : undefined;
  if (typeof query === "string" && /\b(activateWorkflowVersion|deactivateWorkflowVersion)\b/.test(query)) {
    // UserAuthGuard needs a user session; an API key has none (reference §5.1). GraphQL errors come with HTTP 200 [U].
    return ok({ data: null, errors: [{ message: "Forbidden resource", extensions: { code: "FORBIDDEN" } }] });
  }
  return ok(
    {
      data: null,
      errors: [{ message: "The Twenty sandbox only answers workflow (de)activation over GraphQL; use the REST API", extensions: { code: "BAD_USER_INPUT" } }],
    },
    400,
  );
}
