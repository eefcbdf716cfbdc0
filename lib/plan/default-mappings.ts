// Default field mappings for an object pair: auto-mapping from the live schemas, with status value maps,
// fields to create, required defaults and the creation date kept.
import { CREATED_AT_FIELD } from "@/connectors/shared/record-dates";
import type { FieldDescription, FieldRole, ObjectRole, ObjectTypeDescription, SelectOption } from "@/connectors/types";
import { compatibility } from "@/lib/mapping/compatibility";
import type { FieldMapping } from "@/lib/mapping/field-mapping";
import { matchOption } from "@/lib/mapping/options";
import { type FieldMappingSuggestion, suggestFieldMappings, suggestValueMappings, toValueMap } from "@/lib/mapping/suggest";

/** Help desk ticket statuses → task statuses, by option key (open → TODO, solved → DONE…). */
const TICKET_TO_TASK_STATUS: Record<string, string[]> = {
  open: ["TODO"],
  new: ["TODO"],
  active: ["TODO"],
  waiting: ["IN_PROGRESS"],
  pending: ["IN_PROGRESS"],
  onhold: ["IN_PROGRESS"],
  solved: ["DONE"],
  closed: ["DONE"],
};
/** Ticket statuses between two systems' ticket objects (a CRM's OPEN → a help desk's Active): candidates in order of preference. */
const TICKET_STATUS_SYNONYMS: Record<string, string[]> = {
  open: ["open", "active", "new"],
  active: ["active", "open", "new"],
  new: ["new", "open", "active"],
  pending: ["pending", "waiting", "waitingoncustomer"],
  waiting: ["waiting", "waitingoncustomer", "pending"],
  waitingoncustomer: ["waitingoncustomer", "waiting", "pending"],
  onhold: ["onhold"],
  solved: ["solved", "resolved", "done"],
  closed: ["closed", "done"],
};
/** Task statuses → help desk ticket statuses: candidates in order of preference. */
const TASK_TO_TICKET_STATUS: Record<string, string[]> = {
  todo: ["open", "active", "new"],
  inprogress: ["open", "active", "pending", "waiting"],
  done: ["solved", "closed", "resolved"],
};

function keyOf(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** A value map from a table of candidate target values, for the options that exist on both sides. */
function tableValueMap(source: FieldDescription, target: FieldDescription, table: Record<string, string[]>): Record<string, string> | undefined {
  const map: Record<string, string> = {};
  for (const option of source.options ?? []) {
    const candidates = table[keyOf(option.value)] ?? table[keyOf(option.label)] ?? [];
    const found = candidates.map((candidate) => matchOption(candidate, target.options ?? [])).find((value) => value !== null);
    if (found) map[option.value] = found;
  }
  return Object.keys(map).length > 0 ? map : undefined;
}

// ---------------------------------------------------------------------------------------------
// Field mappings
// ---------------------------------------------------------------------------------------------

export function stripSuggestion(suggestion: FieldMappingSuggestion): FieldMapping {
  const { sourceField, targetField, transform, valueMap, compatibility: level } = suggestion;
  return { sourceField, targetField, compatibility: level, ...(transform ? { transform } : {}), ...(valueMap ? { valueMap } : {}) };
}

function fieldOf(object: ObjectTypeDescription, key: string): FieldDescription | undefined {
  return object.fields.find((field) => field.key === key);
}

/** Puts `mapping` in place of whatever else wrote its target field (and of other uses of its source field), keeping its position. */
function override(mappings: FieldMapping[], mapping: FieldMapping): FieldMapping[] {
  const clashes = (existing: FieldMapping) =>
    existing.targetField === mapping.targetField || (mapping.sourceField !== null && existing.sourceField === mapping.sourceField);
  const at = mappings.findIndex(clashes);
  if (at < 0) return [...mappings, mapping];
  return [...mappings.slice(0, at), mapping, ...mappings.slice(at + 1).filter((existing) => !clashes(existing))];
}

/** Hand-picked mappings per pair that names alone do not find. Each applies only when both fields exist. */
function pairOverrides(source: ObjectTypeDescription, target: ObjectTypeDescription, roles: PairRoles, mappings: FieldMapping[]): FieldMapping[] {
  let result = mappings;
  const mapped = (sourceKey: string) => result.some((mapping) => mapping.sourceField === sourceKey);
  // A person's city: Twenty people have a city text field rather than an address.
  const address = source.fields.find((field) => field.type === "address");
  const city = target.fields.find((field) => field.key === "city" && field.type === "text");
  if (address && city && !mapped(address.key) && !target.fields.some((field) => field.type === "address")) {
    result = override(result, { sourceField: address.key, targetField: city.key, transform: { addressPart: "city" }, compatibility: "lossy" });
  }
  const sourceStatus = fieldOfRole(source, roles.sourceFields, "status") ?? fieldOf(source, "status");
  const targetStatus = fieldOfRole(target, roles.targetFields, "status") ?? fieldOf(target, "status");
  if (sourceStatus?.type === "select" && targetStatus?.type === "select") {
    const toTask = roles.target === "task" && roles.source !== "task";
    const fromTask = roles.source === "task" && roles.target !== "task";
    const table = toTask ? TICKET_TO_TASK_STATUS : fromTask ? TASK_TO_TICKET_STATUS : null;
    const valueMap = table ? tableValueMap(sourceStatus, targetStatus, table) : statusSynonymMap(sourceStatus, targetStatus, result);
    if (valueMap) result = override(result, { sourceField: sourceStatus.key, targetField: targetStatus.key, valueMap, compatibility: "exact" });
  }
  return result;
}

/** The suggested status value map, completed with status synonyms for the options names alone did not match. */
function statusSynonymMap(source: FieldDescription, target: FieldDescription, mappings: FieldMapping[]): Record<string, string> | undefined {
  const suggested = mappings.find((mapping) => mapping.sourceField === source.key && mapping.targetField === target.key)?.valueMap ?? {};
  const filled = { ...tableValueMap(source, target, TICKET_STATUS_SYNONYMS), ...suggested };
  return Object.keys(filled).length > Object.keys(suggested).length ? filled : undefined;
}

/** Unmapped source fields the target can get as new custom fields (not users or relations: those need a target object). */
function fieldsToCreate(source: ObjectTypeDescription, target: ObjectTypeDescription, mappings: FieldMapping[]): FieldMapping[] {
  const usedSources = new Set(mappings.map((mapping) => mapping.sourceField));
  const created: FieldMapping[] = [];
  for (const field of source.fields) {
    if (usedSources.has(field.key) || field.readOnly || field.type === "relation" || field.type === "user") continue;
    if (target.fields.some((existing) => existing.key === field.key)) continue;
    created.push({
      sourceField: field.key,
      targetField: field.key,
      compatibility: "exact",
      createField: { label: field.label, type: field.type, ...(field.options?.length ? { options: field.options } : {}) },
    });
  }
  return created;
}

/**
 * Required target choices nobody maps get a default, so records do not fail for it: a select its
 * first option (or the one named like `preferred`, a note's kind "note"), a relation to records
 * only the target holds (a ticket's inbox) its first record; the mapping page shows both.
 */
export function requiredDefaults(target: ObjectTypeDescription, mappings: FieldMapping[], preferred: string | null = null): FieldMapping[] {
  const mapped = new Set(mappings.map((mapping) => mapping.targetField));
  const open = target.fields.filter((field) => field.required && !field.readOnly && !mapped.has(field.key) && field.options?.length);
  return open.flatMap((field): FieldMapping[] => {
    const choices = field.options as SelectOption[];
    if (field.type === "select") {
      const value = (preferred !== null ? matchOption(preferred, choices) : null) ?? choices[0].value;
      return [{ sourceField: null, targetField: field.key, defaultValue: value, compatibility: "exact" }];
    }
    if (field.type === "relation" && field.relationDefault === "option" && field.relatesTo) {
      return [{ sourceField: null, targetField: field.key, defaultValue: { objectType: field.relatesTo, id: choices[0].value }, compatibility: "exact" }];
    }
    return [];
  });
}

/** The field a target that takes no creation date on create gets for the source's one. */
export const ORIGINAL_CREATED_AT_FIELD = "originalCreatedAt";

/**
 * The source's creation date ("Created"): onto the target's own creation date where the target
 * accepts one on create (suggested by name: Twenty's createdAt), otherwise into an "Original
 * creation date" field, created where the target can create fields.
 */
export function keepCreationDate(
  source: ObjectTypeDescription,
  target: ObjectTypeDescription,
  mappings: FieldMapping[],
  createFields: boolean,
): FieldMapping[] {
  const created = fieldOf(source, CREATED_AT_FIELD);
  if (!created || mappings.some((mapping) => mapping.sourceField === created.key)) return mappings;
  const kept = fieldOf(target, ORIGINAL_CREATED_AT_FIELD);
  if (kept && !kept.readOnly) return [...mappings, { sourceField: created.key, targetField: kept.key, compatibility: "exact" }];
  if (kept || !createFields) return mappings;
  return [
    ...mappings,
    {
      sourceField: created.key,
      targetField: ORIGINAL_CREATED_AT_FIELD,
      compatibility: "exact",
      createField: { label: "Original creation date", type: "datetime" },
    },
  ];
}

/** The roles of a pair's two objects and of their fields, as their systems declare them (none for objects without one). */
export type PairRoles = {
  source?: ObjectRole;
  target?: ObjectRole;
  sourceFields?: Record<string, FieldRole>;
  targetFields?: Record<string, FieldRole>;
};

/** The object's field its system declares for `role`, if any. */
function fieldOfRole(object: ObjectTypeDescription, roles: Record<string, FieldRole> | undefined, role: FieldRole): FieldDescription | undefined {
  const key = Object.entries(roles ?? {}).find(([, declared]) => declared === role)?.[0];
  return key === undefined ? undefined : fieldOf(object, key);
}

/**
 * Target fields of a declared role that no name matched, from the source field of the same role
 * that nothing reads yet: when the types are compatible, and relations point at the object the
 * source's related records become.
 */
function roleMappings(
  source: ObjectTypeDescription,
  target: ObjectTypeDescription,
  roles: PairRoles,
  objectMap: Record<string, string>,
  mappings: FieldMapping[],
): FieldMapping[] {
  const result = [...mappings];
  for (const [targetKey, role] of Object.entries(roles.targetFields ?? {})) {
    const targetField = fieldOf(target, targetKey);
    const sourceField = fieldOfRole(source, roles.sourceFields, role);
    if (!targetField || targetField.readOnly || !sourceField) continue;
    if (result.some((mapping) => mapping.targetField === targetField.key || mapping.sourceField === sourceField.key)) continue;
    const { level } = compatibility(sourceField.type, targetField.type);
    if (level === "incompatible") continue;
    if (sourceField.type === "relation" && (!sourceField.relatesTo || objectMap[sourceField.relatesTo] !== targetField.relatesTo)) continue;
    const valueMap =
      sourceField.options?.length && targetField.options?.length ? toValueMap(suggestValueMappings(sourceField.options, targetField.options)) : {};
    result.push({
      sourceField: sourceField.key,
      targetField: targetField.key,
      compatibility: level,
      ...(Object.keys(valueMap).length > 0 ? { valueMap } : {}),
    });
  }
  // In the source's field order, as the suggestions are (a stable sort: nothing moves when none was added).
  const order = new Map(source.fields.map((field, index) => [field.key, index]));
  return result.sort((a, b) => (order.get(a.sourceField ?? "") ?? 0) - (order.get(b.sourceField ?? "") ?? 0));
}

export function fieldMappingsFor(
  source: ObjectTypeDescription,
  target: ObjectTypeDescription,
  objectMap: Record<string, string>,
  createFields: boolean,
  roles: PairRoles,
): FieldMapping[] {
  let mappings = suggestFieldMappings(source, target, { objectMap }).map(stripSuggestion);
  mappings = roleMappings(source, target, roles, objectMap, mappings);
  mappings = pairOverrides(source, target, roles, mappings);
  mappings = keepCreationDate(source, target, mappings, createFields);
  if (createFields) mappings = [...mappings, ...fieldsToCreate(source, target, mappings)];
  return [...mappings, ...requiredDefaults(target, mappings)];
}
