// Triggers (reference §5.11): per-inbox automations with `state` active | inactive | incomplete
// (deleted via DELETE). "Enabled" = active; toggled with PATCH. System triggers can only be
// enabled or disabled. Bulk: `PATCH /triggers/update.json` by filter. Admin-only (seed 003:
// disabling triggers before a migration needs an admin login).
import { forbidden, mustBeSet, validation } from "../errors";
import type { ApiRequest, ApiResponse } from "../http-types";
import { noContent } from "../http-types";
import { includedOf, isObject, parseId, readBoolean, readEnum, readRefList, readString, unwrap, type InputObject } from "../input";
import type { TriggerRow } from "../model";
import { listResponse, selectRows, singleResponse } from "../query";
import type { DeskStore, TriggerActionInput, TriggerConditionInput } from "../store";
import { VIEWS } from "../views";
import { CREATED, crud, existing, found, requireAdmin } from "./common";

const view = VIEWS.triggers;
const STATES = ["active", "inactive", "incomplete"] as const;
const TYPES = ["Automatic", "Manual"] as const;

function readActions(included: InputObject): TriggerActionInput[] | undefined {
  const raw = included.triggeractions;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw validation("must be an array", "included.triggeractions");
  return raw.map((entry, index) => {
    if (!isObject(entry) || typeof entry.type !== "number") throw validation("must be an object with a numeric type", `included.triggeractions[${index}]`);
    const { id: _id, type, ...data } = entry;
    return { type, ...data };
  });
}

function readConditions(included: InputObject): TriggerConditionInput[] | undefined {
  const raw = included.conditions;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw validation("must be an array", "included.conditions");
  return raw.map((entry, index) => {
    const source = `included.conditions[${index}]`;
    if (!isObject(entry) || typeof entry.field !== "number" || typeof entry.operator !== "number")
      throw validation("must have numeric field and operator", source);
    const matchRequirement = entry.matchRequirement === "ANY" ? "ANY" : "ALL";
    return {
      field: entry.field,
      operator: entry.operator,
      value: entry.value === undefined || entry.value === null ? "" : String(entry.value),
      matchRequirement,
    };
  });
}

function readInboxIds(store: DeskStore, input: InputObject): number[] | undefined {
  return readRefList(input, "inboxes")?.map((entry, index) => existing(store.inboxes, entry.id, `inboxes[${index}].id`).id);
}

/** Validates an update, then returns the function applying it (shared by PATCH one and bulk). */
function planTriggerUpdate(
  store: DeskStore,
  input: InputObject,
  included: InputObject,
): { check: (trigger: TriggerRow) => void; apply: (trigger: TriggerRow) => void } {
  const state = readEnum(input, "state", STATES);
  const name = input.name === undefined ? undefined : readString(input, "name", { required: true });
  const description = readString(input, "description");
  const type = readEnum(input, "type", TYPES);
  const flags = {
    isShared: readBoolean(input, "isShared"),
    agentHasAccess: readBoolean(input, "agentHasAccess"),
    addToNewInboxes: readBoolean(input, "addToNewInboxes"),
  };
  const inboxIds = readInboxIds(store, input);
  const actions = readActions(included);
  const conditions = readConditions(included);
  const editsRules = [name, description, type, inboxIds, actions, conditions, ...Object.values(flags)].some((value) => value !== undefined);
  const check = (trigger: TriggerRow) => {
    if (trigger.isSystem && editsRules) throw forbidden(`Trigger ${trigger.id} is a system trigger: it can only be enabled or disabled`);
  };
  const apply = (trigger: TriggerRow) => {
    check(trigger);
    if (state !== undefined) trigger.state = state;
    if (name !== undefined) trigger.name = name;
    if (description !== undefined) trigger.description = description;
    if (type !== undefined) trigger.type = type;
    for (const [key, value] of Object.entries(flags) as [keyof typeof flags, boolean | undefined][]) if (value !== undefined) trigger[key] = value;
    if (inboxIds) trigger.inboxIds = inboxIds;
    store.setTriggerRules(trigger, actions, conditions);
    store.touch(trigger);
  };
  return { check, apply };
}

function createTrigger(store: DeskStore, request: ApiRequest): ApiResponse {
  requireAdmin(store, "create triggers");
  const input = unwrap(request.body, "trigger");
  const included = includedOf(request.body);
  const name = readString(input, "name", { required: true })!;
  const inboxIds = readInboxIds(store, input) ?? [];
  const actions = readActions(included) ?? [];
  const conditions = readConditions(included) ?? [];
  // A trigger without actions cannot run: it is saved as `incomplete` unless a state is given [U].
  const state = readEnum(input, "state", STATES) ?? (actions.length === 0 ? "incomplete" : "active");
  const trigger = store.createTrigger({
    name,
    inboxIds,
    state,
    type: readEnum(input, "type", TYPES),
    description: readString(input, "description"),
    actions,
    conditions,
  });
  trigger.isShared = readBoolean(input, "isShared") ?? trigger.isShared;
  trigger.agentHasAccess = readBoolean(input, "agentHasAccess") ?? trigger.agentHasAccess;
  trigger.addToNewInboxes = readBoolean(input, "addToNewInboxes") ?? trigger.addToNewInboxes;
  return singleResponse(store, view, trigger, request.params, CREATED);
}

/** PATCH /triggers/update.json: `filter_args` {filter | ids} and the changes, flat or under `trigger` ([U] body shape). */
function bulkUpdate(store: DeskStore, request: ApiRequest): ApiResponse {
  requireAdmin(store, "edit triggers");
  if (!isObject(request.body)) throw mustBeSet("filter_args");
  const { filter_args: filterArgs, trigger, included, ...flat } = request.body;
  if (!isObject(filterArgs)) throw mustBeSet("filter_args");
  const params = new URLSearchParams();
  if (filterArgs.filter !== undefined) params.set("filter", typeof filterArgs.filter === "string" ? filterArgs.filter : JSON.stringify(filterArgs.filter));
  const ids = Array.isArray(filterArgs.ids) ? new Set(filterArgs.ids.map((id) => parseId(id))) : null;
  if (!params.has("filter") && !ids) throw mustBeSet("filter_args.filter");
  const plan = planTriggerUpdate(store, isObject(trigger) ? trigger : flat, isObject(included) ? included : {});
  const selected = selectRows(store, view, params, { rows: store.triggers.all().filter((row) => !ids || ids.has(row.id)) });
  const dryRun = filterArgs.bulkDryExecute === true;
  if (!dryRun) {
    // System triggers accept only a state change; check all before changing any.
    for (const row of selected) plan.check(row);
    for (const row of selected) plan.apply(row);
  }
  return {
    status: 200,
    body: { triggers: selected.map((row) => view.render(store, row)), included: {}, meta: { bulkDryExecute: dryRun, count: selected.length } },
  };
}

export function handleTriggers(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  return crud(request, rest, {
    // Reference §5.11: per inbox with filter={"inboxes.id":…} [U] (or the inbox's `triggers`).
    list: () => listResponse(store, view, request.params),
    create: () => createTrigger(store, request),
    get: (id) => singleResponse(store, view, found(store.triggers, id, "Trigger"), request.params),
    update: (id) => {
      requireAdmin(store, "edit triggers");
      const trigger = found(store.triggers, id, "Trigger");
      planTriggerUpdate(store, unwrap(request.body, "trigger"), includedOf(request.body)).apply(trigger);
      return singleResponse(store, view, trigger, request.params);
    },
    remove: (id) => {
      requireAdmin(store, "delete triggers");
      const trigger = found(store.triggers, id, "Trigger");
      if (trigger.isSystem) throw forbidden(`Trigger ${id} is a system trigger and cannot be deleted`);
      store.softDelete(trigger);
      return noContent();
    },
    bulkUpdate: () => bulkUpdate(store, request),
  });
}
