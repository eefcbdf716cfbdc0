// The v2 endpoints (reference §1.3): persons, organizations, deals and activities with their
// lists, search and soft delete (§5, §6.4, §7), pipelines and stages (§5.3), field definitions (§6.2).
import type { SandboxResponse } from "@/connectors/shared/sandbox-kit";
import { acceptRecordBody, renderRecord } from "./entities";
import { badRequest, notFound, routeNotFound } from "./errors";
import { cursorPage } from "./paging";
import { FIELD_COLLECTIONS, FIELD_TYPES, RECORD_ENTITIES, SEARCHABLE_FIELD_TYPES, type PipedriveStore, type RecordEntity, type StoredRecord } from "./store";
import type { ApiRequest } from "./types";
import { parseInstant, requireInteger, requireString } from "./values";

export function envelope(data: unknown, additional_data?: unknown, status = 200): SandboxResponse {
  return { status, body: additional_data === undefined ? { success: true, data } : { success: true, data, additional_data } };
}

function isRecordEntity(value: string): value is RecordEntity {
  return (RECORD_ENTITIES as readonly string[]).includes(value);
}

const LINK_FILTERS = ["owner_id", "org_id", "person_id", "deal_id", "pipeline_id", "stage_id"];

/** §5.7 and the list filters of §3.1 / §5.3 / §5.4. */
function listRecords(store: PipedriveStore, entity: RecordEntity, params: URLSearchParams): SandboxResponse {
  const since = params.get("updated_since");
  const until = params.get("updated_until");
  const sinceMs = since ? parseInstant(since, "updated_since") : null;
  const untilMs = until ? parseInstant(until, "updated_until") : null;
  const ids = params
    .get("ids")
    ?.split(",")
    .map((id) => Number(id.trim()));
  const status = params.get("status");
  const wantDeleted = entity === "deals" && status === "deleted";
  let items = [...store.records[entity].values()].filter((record) => record.isDeleted === wantDeleted);
  if (entity === "deals" && status && !wantDeleted) items = items.filter((record) => record.values.status === status);
  if (sinceMs !== null) items = items.filter((record) => record.updateTime >= sinceMs);
  if (untilMs !== null) items = items.filter((record) => record.updateTime < untilMs);
  if (ids) items = items.filter((record) => ids.includes(record.id));
  for (const key of LINK_FILTERS) {
    const wanted = params.get(key);
    if (wanted !== null) items = items.filter((record) => String(record.values[key] ?? "") === wanted);
  }
  if (entity === "activities" && params.get("done") !== null)
    items = items.filter((record) => record.values.done === (params.get("done") === "true" || params.get("done") === "1"));
  const sortBy = params.get("sort_by") ?? "id";
  const sortValue: (record: StoredRecord) => number | string =
    sortBy === "update_time"
      ? (record) => record.updateTime
      : sortBy === "add_time"
        ? (record) => record.addTime
        : sortBy === "due_date"
          ? (record) => String(record.values.due_date ?? "")
          : (record) => record.id;
  if (!["id", "update_time", "add_time", "due_date"].includes(sortBy)) throw badRequest(`Parameter 'sort_by' must be one of: id, update_time, add_time`);
  const { page, nextCursor } = cursorPage(items, params, sortValue);
  return envelope(
    page.map((record) => renderRecord(entity, record)),
    { next_cursor: nextCursor },
  );
}

function liveRecord(store: PipedriveStore, entity: RecordEntity, rawId: string): StoredRecord {
  const id = requireInteger(rawId, "id");
  const record = store.records[entity].get(id);
  // §7 [U]: a deleted record answers 404, like one that never existed.
  if (!record || record.isDeleted) throw notFound(`${entity.slice(0, -1)} not found`);
  return record;
}

function createRecord(store: PipedriveStore, entity: RecordEntity, body: unknown): SandboxResponse {
  const { values, customFields, addTime } = acceptRecordBody(store, entity, body);
  if (values.owner_id === undefined) values.owner_id = store.currentUserId;
  const record = store.insert(entity, values, customFields, addTime);
  return envelope(renderRecord(entity, record), undefined, 201);
}

function updateRecord(store: PipedriveStore, entity: RecordEntity, rawId: string, body: unknown): SandboxResponse {
  const record = liveRecord(store, entity, rawId);
  const { values, customFields } = acceptRecordBody(store, entity, body, record);
  record.values = values;
  record.customFields = customFields;
  record.updateTime = store.now();
  return envelope(renderRecord(entity, record));
}

/** §7: delete marks the record deleted; a second delete answers 404. */
function deleteRecord(store: PipedriveStore, entity: RecordEntity, rawId: string): SandboxResponse {
  const record = liveRecord(store, entity, rawId);
  record.isDeleted = true;
  record.updateTime = store.now();
  return envelope({ id: record.id });
}

const SEARCH_TYPES: Partial<Record<RecordEntity, string>> = { persons: "person", organizations: "organization", deals: "deal" };

/** §6.4: search by name, email, phone or searchable custom fields; term ≥ 2 characters (1 with exact_match). */
function search(store: PipedriveStore, entity: RecordEntity, params: URLSearchParams): SandboxResponse {
  const type = SEARCH_TYPES[entity];
  if (!type) throw routeNotFound("GET", `/api/v2/${entity}/search`);
  const term = params.get("term") ?? "";
  const exact = params.get("exact_match") === "true" || params.get("exact_match") === "1";
  if (term.trim().length < (exact ? 1 : 2)) throw badRequest(`Parameter 'term' must be at least ${exact ? 1 : 2} characters long`);
  const fields = new Set((params.get("fields") ?? "custom_fields,email,phone,name,title,notes,address").split(",").map((field) => field.trim()));
  const wanted = term.toLowerCase();
  const matches = (value: unknown) => typeof value === "string" && (exact ? value.toLowerCase() === wanted : value.toLowerCase().includes(wanted));
  const searchable = store.fields[entity].filter((field) => field.is_custom_field && SEARCHABLE_FIELD_TYPES.has(field.field_type));
  const found = store.live(entity).filter((record) => {
    const values = record.values;
    if ((fields.has("name") || fields.has("title")) && (matches(values.name) || matches(values.title))) return true;
    if (fields.has("email") && Array.isArray(values.emails) && values.emails.some((email: { value: string }) => matches(email.value))) return true;
    if (fields.has("phone") && Array.isArray(values.phones) && values.phones.some((phone: { value: string }) => matches(phone.value))) return true;
    if (fields.has("custom_fields"))
      return searchable.some(
        (field) =>
          matches(record.customFields[field.field_code]) ||
          (typeof record.customFields[field.field_code] === "number" && matches(String(record.customFields[field.field_code]))),
      );
    return false;
  });
  const { page, nextCursor } = cursorPage(found, params, (record) => record.id);
  const items = page.map((record) => ({ result_score: 1, item: { id: record.id, type, name: record.values.name ?? record.values.title ?? null } }));
  return envelope({ items }, { next_cursor: nextCursor });
}

function fieldsRoute(store: PipedriveStore, request: ApiRequest, entity: RecordEntity, code: string | undefined): SandboxResponse {
  if (code === undefined && request.method === "GET") {
    const { page, nextCursor } = cursorPage(
      store.fields[entity].map((field, index) => ({ ...field, id: index + 1 })),
      request.params,
      (field) => field.id,
    );
    return envelope(
      page.map(({ id: _id, ...field }) => field),
      { next_cursor: nextCursor },
    );
  }
  // §6.2: activity fields are listed and read, never created through the API.
  if (code === undefined && request.method === "POST" && entity !== "activities") return createField(store, entity, request.body);
  const field = store.fields[entity].find((candidate) => candidate.field_code === code);
  if (!field) throw notFound("Field not found");
  if (request.method === "GET") return envelope(field);
  if (request.method === "DELETE" && field.is_custom_field) {
    store.fields[entity].splice(store.fields[entity].indexOf(field), 1);
    return envelope({ field_code: field.field_code });
  }
  throw routeNotFound(request.method, request.path);
}

/** §6.2: `{ field_name, field_type, options?: [{ label }] }`; options are required for enum and set. */
function createField(store: PipedriveStore, entity: RecordEntity, body: unknown): SandboxResponse {
  const input = (body ?? {}) as { field_name?: unknown; field_type?: unknown; options?: unknown };
  const name = requireString(input.field_name, "field_name").trim();
  if (name === "") throw badRequest("Parameter 'field_name' is required");
  const type = requireString(input.field_type, "field_type");
  if (!FIELD_TYPES.has(type)) throw badRequest(`Parameter 'field_type' must be one of: ${[...FIELD_TYPES].join(", ")}`);
  const options = Array.isArray(input.options) ? input.options.map((option: { label?: unknown }) => requireString(option?.label, "options[].label")) : [];
  if ((type === "enum" || type === "set") && options.length === 0) throw badRequest("Parameter 'options' is required for enum and set fields");
  return envelope(store.addCustomField(entity, name, type, options), undefined, 201);
}

/** §6.2: POST …Fields/{field_code}/options with `[{ label }]` adds options to an enum or set field. */
function addOptions(store: PipedriveStore, entity: RecordEntity, code: string, body: unknown): SandboxResponse {
  const field = store.customField(entity, code);
  if (!field) throw notFound("Field not found");
  if (!field.options) throw badRequest(`Field '${field.field_name}' has no options`);
  if (!Array.isArray(body) || body.length === 0) throw badRequest("The request body must be an array of { label }");
  const added = body.map((option: { label?: unknown }) => store.addOption(field, requireString(option?.label, "label")));
  return envelope(added);
}

export function handleV2(store: PipedriveStore, request: ApiRequest): SandboxResponse {
  const [collection, id, extra] = request.segments;
  const { method } = request;
  if (collection === "pipelines" && method === "GET" && id === undefined) return envelope(store.pipelines, { next_cursor: null });
  if (collection === "stages" && method === "GET" && id === undefined) {
    const pipelineId = request.params.get("pipeline_id");
    return envelope(
      store.stages.filter((stage) => pipelineId === null || String(stage.pipeline_id) === pipelineId),
      { next_cursor: null },
    );
  }
  const fieldEntity = FIELD_COLLECTIONS[collection];
  if (fieldEntity && extra === undefined) return fieldsRoute(store, request, fieldEntity, id);
  if (fieldEntity && id !== undefined && extra === "options" && request.method === "POST") return addOptions(store, fieldEntity, id, request.body);
  if (!isRecordEntity(collection) || extra !== undefined) throw routeNotFound(method, request.path);
  if (id === undefined && method === "GET") return listRecords(store, collection, request.params);
  if (id === undefined && method === "POST") return createRecord(store, collection, request.body);
  if (id === "search" && method === "GET") return search(store, collection, request.params);
  if (id !== undefined && method === "GET") return envelope(renderRecord(collection, liveRecord(store, collection, id)));
  if (id !== undefined && method === "PATCH") return updateRecord(store, collection, id, request.body);
  if (id !== undefined && method === "DELETE") return deleteRecord(store, collection, id);
  throw routeNotFound(method, request.path);
}
