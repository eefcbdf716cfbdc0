// The four v2 record entities (reference §5.1–§5.4): which properties a create or update takes,
// what each must hold, and how a record is rendered. Unknown properties are refused with 400 so
// a connector sending a wrong name hears of it [U: the real API's strictness is undocumented].
import { badRequest } from "./errors";
import type { PipedriveStore, RecordEntity, StoredRecord } from "./store";
import {
  contactList,
  customFieldValues,
  parseInstant,
  requireDate,
  requireInteger,
  requireRecord,
  requireString,
  requireTime,
  requireUser,
  v2Time,
  VARCHAR_MAX,
} from "./values";

type Accept = (store: PipedriveStore, value: unknown, name: string) => unknown;

const nullable =
  (accept: Accept): Accept =>
  (store, value, name) =>
    value === null ? null : accept(store, value, name);

const text = (maxLength = VARCHAR_MAX): Accept => nullable((_store, value, name) => requireString(value, name, maxLength));
const user: Accept = (store, value, name) => requireUser(store, value, name);
const link = (entity: RecordEntity): Accept => nullable((store, value, name) => requireRecord(store, entity, value, name));
const date: Accept = nullable((_store, value, name) => requireDate(value, name));
const number: Accept = nullable((_store, value, name) => {
  if (typeof value !== "number" || !Number.isFinite(value)) throw badRequest(`Parameter '${name}' must be a number`);
  return value;
});
const anything: Accept = (_store, value) => value;
const contacts: Accept = (_store, value, name) => contactList(value, name);
const oneOf = (values: string[]): Accept =>
  nullable((_store, value, name) => {
    if (typeof value !== "string" || !values.includes(value)) throw badRequest(`Parameter '${name}' must be one of: ${values.join(", ")}`);
    return value;
  });

type EntitySpec = { required: string[]; properties: Record<string, Accept>; aliases?: Record<string, string> };

const COMMON: Record<string, Accept> = { visible_to: anything, label_ids: anything };

const SPECS: Record<RecordEntity, EntitySpec> = {
  persons: {
    required: ["name"],
    // §5.1: v1 and some v2 builds name the arrays `email` and `phone`.
    aliases: { email: "emails", phone: "phones" },
    properties: { ...COMMON, name: text(), owner_id: user, org_id: link("organizations"), emails: contacts, phones: contacts, marketing_status: anything },
  },
  organizations: { required: ["name"], properties: { ...COMMON, name: text(), owner_id: user, address: anything } },
  deals: {
    required: ["title"],
    properties: {
      ...COMMON,
      title: text(),
      owner_id: user,
      person_id: link("persons"),
      org_id: link("organizations"),
      pipeline_id: anything,
      stage_id: anything,
      value: number,
      currency: nullable((_store, value, name) => {
        if (typeof value !== "string" || !/^[A-Z]{3}$/.test(value)) throw badRequest(`Parameter '${name}' must be a 3-letter currency code`);
        return value;
      }),
      status: oneOf(["open", "won", "lost"]),
      probability: number,
      lost_reason: text(),
      expected_close_date: date,
      won_time: anything,
      lost_time: anything,
      close_time: anything,
    },
  },
  activities: {
    required: [],
    properties: {
      subject: text(),
      type: (store, value, name) => {
        if (typeof value !== "string" || !store.activityTypes.some((type) => type.key_string === value))
          throw badRequest(`Parameter '${name}' must be the key of an activity type (${store.activityTypes.map((type) => type.key_string).join(", ")})`);
        return value;
      },
      owner_id: user,
      deal_id: link("deals"),
      person_id: link("persons"),
      org_id: link("organizations"),
      due_date: date,
      due_time: nullable((_store, value, name) => requireTime(value, name)),
      duration: nullable((_store, value, name) => requireTime(value, name)),
      busy: anything,
      done: (_store, value, name) => {
        if (typeof value !== "boolean") throw badRequest(`Parameter '${name}' must be a boolean`);
        return value;
      },
      note: text(100_000),
      public_description: text(100_000),
      priority: anything,
      participants: anything,
      location: anything,
    },
  },
};

/** Checks a create or update body; returns the new built-in values, custom fields and an add_time given on create. */
export function acceptRecordBody(store: PipedriveStore, entity: RecordEntity, body: unknown, existing?: StoredRecord) {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("The request body must be a JSON object");
  const spec = SPECS[entity];
  const values: Record<string, unknown> = { ...existing?.values };
  let customFields = existing?.customFields ?? {};
  let addTime: number | undefined;
  for (const [rawKey, value] of Object.entries(body)) {
    const key = spec.aliases?.[rawKey] ?? rawKey;
    if (key === "custom_fields") customFields = customFieldValues(store, entity, value, customFields);
    else if (key === "add_time" && !existing) addTime = parseInstant(requireString(value, key), key);
    else if (key === "update_time" || key === "add_time") continue;
    else if (spec.properties[key]) values[key] = spec.properties[key](store, value, key);
    else throw badRequest(`Unknown parameter '${rawKey}'`);
  }
  for (const key of spec.required) {
    if (typeof values[key] !== "string" || (values[key] as string).trim() === "") throw badRequest(`Parameter '${key}' is required`);
  }
  if (entity === "deals") placeDeal(store, values);
  if (entity === "activities" && values.type === undefined) values.type = store.activityTypes[0]?.key_string ?? "task";
  if (entity === "activities" && values.done === undefined) values.done = false;
  if (entity === "deals" && values.status === undefined) values.status = "open";
  return { values, customFields, addTime };
}

/** §5.3: a stage implies its pipeline; no stage → the first stage of the pipeline (or of the first pipeline). */
function placeDeal(store: PipedriveStore, values: Record<string, unknown>) {
  if (values.stage_id !== undefined && values.stage_id !== null) {
    const stageId = requireInteger(values.stage_id, "stage_id");
    const stage = store.stages.find((candidate) => candidate.id === stageId);
    if (!stage) throw badRequest(`Stage with id ${stageId} does not exist`);
    if (values.pipeline_id !== undefined && values.pipeline_id !== null && requireInteger(values.pipeline_id, "pipeline_id") !== stage.pipeline_id)
      throw badRequest(`Stage ${stageId} does not belong to pipeline ${String(values.pipeline_id)}`);
    values.stage_id = stage.id;
    values.pipeline_id = stage.pipeline_id;
    return;
  }
  const pipelineId =
    values.pipeline_id === undefined || values.pipeline_id === null ? store.pipelines[0]?.id : requireInteger(values.pipeline_id, "pipeline_id");
  if (!store.pipelines.some((pipeline) => pipeline.id === pipelineId)) throw badRequest(`Pipeline with id ${String(pipelineId)} does not exist`);
  const first = store.stages.filter((stage) => stage.pipeline_id === pipelineId).sort((a, b) => a.order_nr - b.order_nr)[0];
  values.pipeline_id = pipelineId;
  values.stage_id = first?.id ?? null;
}

const DEFAULTS: Record<RecordEntity, Record<string, unknown>> = {
  persons: { name: null, owner_id: null, org_id: null, emails: [], phones: [], visible_to: 3, label_ids: [] },
  organizations: { name: null, owner_id: null, address: null, visible_to: 3, label_ids: [] },
  deals: {
    title: null,
    owner_id: null,
    person_id: null,
    org_id: null,
    value: 0,
    currency: "USD",
    status: "open",
    probability: null,
    lost_reason: null,
    expected_close_date: null,
  },
  activities: {
    subject: null,
    type: "task",
    owner_id: null,
    deal_id: null,
    person_id: null,
    org_id: null,
    due_date: null,
    due_time: null,
    duration: null,
    done: false,
    note: null,
  },
};

/** §5: a v2 record as the API answers it. */
export function renderRecord(entity: RecordEntity, record: StoredRecord): Record<string, unknown> {
  return {
    id: record.id,
    ...DEFAULTS[entity],
    ...record.values,
    add_time: v2Time(record.addTime),
    update_time: v2Time(record.updateTime),
    is_deleted: record.isDeleted,
    custom_fields: { ...record.customFields },
  };
}
