// The plan a new migration starts with: sensible object pairs for the two systems, fields mapped
// by name and type, users matched by email. Everything here is a default the user can change in
// the wizard. Object pairs are listed by object *key* in small tables, easy to adjust as the
// connectors' describe() evolves; fields come from the live schemas through auto-mapping.
import { CREATED_AT_FIELD } from "@/connectors/shared/record-dates";
import type { FieldDescription, ObjectTypeDescription, SchemaDescription, SelectOption, UserRef } from "@/connectors/types";
import type { FieldMapping } from "@/lib/mapping/field-mapping";
import { matchOption } from "@/lib/mapping/options";
import { suggestFieldMappings } from "@/lib/mapping/suggest";
import type { FieldMappingSuggestion } from "@/lib/mapping/suggest";
import { DEFAULT_CHILD_TITLE_TEMPLATE, orderObjectPairs, validatePlanShape } from "@/lib/migration/plan";
import type { ChildObjectPair, MigrationPlan, ObjectPair, PlanOptions, UserMapping } from "@/lib/migration/plan";

/** Systems shaped like a help desk (tickets with threads, customers, agents). Sample is one. */
export const HELPDESK_SYSTEMS: ReadonlySet<string> = new Set(["sample", "teamwork-desk"]);
/** Systems shaped like a CRM (companies, people, opportunities, notes, tasks). */
export const CRM_SYSTEMS: ReadonlySet<string> = new Set(["twenty"]);
/**
 * Targets whose API lets Ferry create the custom fields a plan needs (Twenty's metadata API,
 * applied by its prerequisites fix). Teamwork Desk's custom field creation is unconfirmed in
^ * docs/reference, so its plans only map onto fields that exist.
 */
export const FIELD_CREATING_TARGETS: ReadonlySet<string> = new Set(["twenty"]);
/** Objects that hold users: matched through userMappings by email, never created. */
export const USER_OBJECTS: ReadonlySet<string> = new Set(["agents", "workspaceMembers", "users", "members"]);

type PairSpec = { source: string; target: string; enabled?: boolean };

/** Help desk → CRM. Agents become workspace members through userMappings; inboxes have no CRM equivalent. */
export function helpdeskToCrmPairs(ticketsAs: PlanOptions["ticketsAs"]): PairSpec[] {
  return [
    { source: "companies", target: "companies" },
    { source: "customers", target: "people" },
    { source: "tickets", target: ticketsAs === "tasks" ? "tasks" : "tickets" },
    { source: "opportunities", target: "opportunities" },
    { source: "tasks", target: "tasks" },
    { source: "notes", target: "notes" },
  ];
}

/**
 * CRM → help desk. A CRM's own tickets object (the one a help desk → CRM migration creates) goes
 * back to tickets, with the notes linked to each ticket as its thread; opportunities have no help
 * desk equivalent; notes as tickets of their own is offered but off.
 */
export const CRM_TO_HELPDESK_PAIRS: readonly PairSpec[] = [
  { source: "companies", target: "companies" },
  { source: "people", target: "customers" },
  { source: "tickets", target: "tickets" },
  { source: "tasks", target: "tickets" },
  { source: "notes", target: "tickets", enabled: false },
];

/**
 * The Tickets object Twenty's prerequisites fix creates (connectors/twenty/prerequisites.ts,
 * createTicketsObject), used until the target's describe() lists a real one.
 */
export const TWENTY_TICKETS_OBJECT: ObjectTypeDescription = {
  key: "tickets",
  label: "Tickets",
  custom: true,
  canRead: true,
  canWrite: true,
  dependsOn: ["people", "companies"],
  fields: [
    twentyField("name", "Name", "text", "TEXT"),
    twentyField("status", "Status", "select", "SELECT", { options: options(["OPEN", "Open"], ["PENDING", "Pending"], ["ON_HOLD", "On hold"], ["SOLVED", "Solved"], ["CLOSED", "Closed"]) }),
    twentyField("priority", "Priority", "select", "SELECT", { options: options(["LOW", "Low"], ["MEDIUM", "Medium"], ["HIGH", "High"], ["URGENT", "Urgent"]) }),
    twentyField("description", "Description", "html", "RICH_TEXT_V2"),
    twentyField("requester", "Requester", "relation", "RELATION", { relatesTo: "people" }),
    twentyField("company", "Company", "relation", "RELATION", { relatesTo: "companies" }),
    twentyField("assignee", "Assignee", "user", "RELATION", { relatesTo: "workspaceMembers" }),
    // Every Twenty object has it; accepted on create (twenty-api §7), so tickets keep their original date.
    twentyField("createdAt", "Creation date", "datetime", "DATE_TIME", { custom: false }),
  ],
};

function options(...pairs: [string, string][]): SelectOption[] {
  return pairs.map(([value, label]) => ({ value, label }));
}

function twentyField(key: string, label: string, type: FieldDescription["type"], nativeType: string, extra: Partial<FieldDescription> = {}): FieldDescription {
  return { key, label, type, nativeType, required: false, unique: false, readOnly: false, custom: true, ...extra };
}

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

function stripSuggestion(suggestion: FieldMappingSuggestion): FieldMapping {
  const { sourceField, targetField, transform, valueMap, compatibility: level } = suggestion;
  return { sourceField, targetField, compatibility: level, ...(transform ? { transform } : {}), ...(valueMap ? { valueMap } : {}) };
}

function fieldOf(object: ObjectTypeDescription, key: string): FieldDescription | undefined {
  return object.fields.find((field) => field.key === key);
}

/** Puts `mapping` in place of whatever else wrote its target field (and of other uses of its source field), keeping its position. */
function override(mappings: FieldMapping[], mapping: FieldMapping): FieldMapping[] {
  const clashes = (existing: FieldMapping) => existing.targetField === mapping.targetField || (mapping.sourceField !== null && existing.sourceField === mapping.sourceField);
  const at = mappings.findIndex(clashes);
  if (at < 0) return [...mappings, mapping];
  return [...mappings.slice(0, at), mapping, ...mappings.slice(at + 1).filter((existing) => !clashes(existing))];
}

/** Hand-picked mappings per pair that names alone do not find. Each applies only when both fields exist. */
function pairOverrides(source: ObjectTypeDescription, target: ObjectTypeDescription, mappings: FieldMapping[]): FieldMapping[] {
  let result = mappings;
  const mapped = (sourceKey: string) => result.some((mapping) => mapping.sourceField === sourceKey);
  // A person's city: Twenty people have a city text field rather than an address.
  const address = source.fields.find((field) => field.type === "address");
  const city = target.fields.find((field) => field.key === "city" && field.type === "text");
  if (address && city && !mapped(address.key) && !target.fields.some((field) => field.type === "address")) {
    result = override(result, { sourceField: address.key, targetField: city.key, transform: { addressPart: "city" }, compatibility: "lossy" });
  }
  const sourceStatus = fieldOf(source, "status");
  const targetStatus = fieldOf(target, "status");
  if (sourceStatus?.type === "select" && targetStatus?.type === "select") {
    const toTask = target.key === "tasks" && source.key !== "tasks";
    const fromTask = source.key === "tasks" && target.key !== "tasks";
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
function requiredDefaults(target: ObjectTypeDescription, mappings: FieldMapping[], preferred: string | null = null): FieldMapping[] {
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
function keepCreationDate(source: ObjectTypeDescription, target: ObjectTypeDescription, mappings: FieldMapping[], createFields: boolean): FieldMapping[] {
  const created = fieldOf(source, CREATED_AT_FIELD);
  if (!created || mappings.some((mapping) => mapping.sourceField === created.key)) return mappings;
  const kept = fieldOf(target, ORIGINAL_CREATED_AT_FIELD);
  if (kept && !kept.readOnly) return [...mappings, { sourceField: created.key, targetField: kept.key, compatibility: "exact" }];
  if (kept || !createFields) return mappings;
  return [...mappings, { sourceField: created.key, targetField: ORIGINAL_CREATED_AT_FIELD, compatibility: "exact", createField: { label: "Original creation date", type: "datetime" } }];
}

function fieldMappingsFor(source: ObjectTypeDescription, target: ObjectTypeDescription, objectMap: Record<string, string>, createFields: boolean): FieldMapping[] {
  let mappings = suggestFieldMappings(source, target, { objectMap }).map(stripSuggestion);
  mappings = pairOverrides(source, target, mappings);
  mappings = keepCreationDate(source, target, mappings, createFields);
  if (createFields) mappings = [...mappings, ...fieldsToCreate(source, target, mappings)];
  return [...mappings, ...requiredDefaults(target, mappings)];
}

// ---------------------------------------------------------------------------------------------
// Children (ticket threads)
// ---------------------------------------------------------------------------------------------

/** Child object types a source describes: read only inside one parent (canRead false, one dependency). */
export function childObjectsOf(schema: SchemaDescription, parentKey: string): ObjectTypeDescription[] {
  return schema.objectTypes.filter((object) => !object.canRead && object.dependsOn.length === 1 && object.dependsOn[0] === parentKey);
}

/** "notes" → "note": what one record of an object type is called, to match a kind option. */
function singularOf(key: string): string {
  return key.endsWith("s") ? key.slice(0, -1) : key;
}

function childPairs(
  sourceParent: ObjectTypeDescription,
  pair: PairSpec,
  input: DefaultPlanInput,
  targets: Map<string, ObjectTypeDescription>,
  objectMap: Record<string, string>,
  migratedOnTheirOwn: ReadonlySet<string>,
): ChildObjectPair[] {
  const result: ChildObjectPair[] = [];
  const helpdeskTarget = HELPDESK_SYSTEMS.has(input.targetSystem) || input.sourceSystem === input.targetSystem;
  const targetSchema: SchemaDescription = { objectTypes: [...targets.values()] };
  for (const childSource of childObjectsOf(input.sourceSchema, sourceParent.key)) {
    // Records of an object the plan migrates on its own (notes) are not migrated a second time as children.
    if (childSource.recordsOf !== undefined && migratedOnTheirOwn.has(childSource.recordsOf)) continue;
    const inside = targets.get(childSource.key) ?? childObjectsOf(targetSchema, pair.target)[0];
    if (helpdeskTarget && inside) {
      // Threads stay threads: written inside their ticket (a CRM's notes on a ticket become its thread).
      const fieldMappings = suggestFieldMappings(childSource, inside, { objectMap }).map(stripSuggestion);
      const kind = childSource.recordsOf !== undefined ? singularOf(childSource.recordsOf) : null;
      result.push({
        childKey: childSource.key,
        sourceObject: childSource.key,
        targetObject: inside.key,
        enabled: true,
        mode: "children",
        fieldMappings: [...fieldMappings, ...requiredDefaults(inside, fieldMappings, kind)],
        parentLink: null,
        alsoLink: [],
        titleField: null,
        titleTemplate: DEFAULT_CHILD_TITLE_TEMPLATE,
      });
      continue;
    }
    if (childSource.recordsOf !== undefined) continue;
    const notes = targets.get("notes");
    if (!notes || !CRM_SYSTEMS.has(input.targetSystem)) continue;
    // Threads → notes linked to the ticket (when it is a record notes can point at) and to whom it is about.
    const parentLinkKey = `targets.${pair.target}`;
    const canLinkParent = pair.target !== "tasks" && (notes.fields.some((field) => field.key === parentLinkKey) || pair.target === TWENTY_TICKETS_OBJECT.key);
    const alsoLink = sourceParent.fields
      .filter((field) => field.type === "relation" && field.relatesTo && objectMap[field.relatesTo])
      .map((field) => ({ parentField: field.key, targetField: `targets.${objectMap[field.relatesTo as string]}` }))
      .filter((link) => notes.fields.some((field) => field.key === link.targetField));
    const suggested = suggestFieldMappings(childSource, notes, { objectMap })
      .filter((mapping) => !mapping.targetField.startsWith("targets."))
      .map(stripSuggestion);
    const fieldMappings = keepCreationDate(childSource, notes, suggested, FIELD_CREATING_TARGETS.has(input.targetSystem));
    const title = notes.fields.find((field) => field.key === "title" && field.type === "text");
    result.push({
      childKey: childSource.key,
      sourceObject: childSource.key,
      targetObject: notes.key,
      enabled: true,
      mode: "records",
      fieldMappings: title ? fieldMappings.filter((mapping) => mapping.targetField !== title.key) : fieldMappings,
      parentLink: canLinkParent ? parentLinkKey : null,
      alsoLink,
      titleField: title ? title.key : null,
      titleTemplate: DEFAULT_CHILD_TITLE_TEMPLATE,
    });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

/** Source users matched to target users by case-insensitive email; unmatched ones get null (the fallback user applies). */
export function matchUsers(sourceUsers: readonly UserRef[], targetUsers: readonly UserRef[]): UserMapping[] {
  const byEmail = new Map(targetUsers.filter((user) => user.email).map((user) => [(user.email as string).trim().toLowerCase(), user.id]));
  const seen = new Set<string>();
  const mappings: UserMapping[] = [];
  for (const user of sourceUsers) {
    if (seen.has(user.id)) continue;
    seen.add(user.id);
    mappings.push({
      sourceUserId: user.id,
      sourceEmail: user.email,
      ...(user.name ? { sourceName: user.name } : {}),
      targetUserId: user.email ? (byEmail.get(user.email.trim().toLowerCase()) ?? null) : null,
    });
  }
  return mappings;
}

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

export type DefaultPlanInput = {
  sourceSystem: string;
  targetSystem: string;
  sourceSchema: SchemaDescription;
  targetSchema: SchemaDescription;
  sourceUsers: UserRef[];
  targetUsers: UserRef[];
  options?: Partial<PlanOptions>;
};

/** Object pairs for two systems, by key; same system: every readable, writable object one to one. */
export function defaultObjectPairs(input: DefaultPlanInput, ticketsAs: PlanOptions["ticketsAs"]): PairSpec[] {
  if (input.sourceSystem === input.targetSystem) {
    return input.sourceSchema.objectTypes.filter((object) => object.canRead && !USER_OBJECTS.has(object.key)).map((object) => ({ source: object.key, target: object.key }));
  }
  if (HELPDESK_SYSTEMS.has(input.sourceSystem) && CRM_SYSTEMS.has(input.targetSystem)) return helpdeskToCrmPairs(ticketsAs);
  if (CRM_SYSTEMS.has(input.sourceSystem) && HELPDESK_SYSTEMS.has(input.targetSystem)) return [...CRM_TO_HELPDESK_PAIRS];
  // Two different help desks (or CRMs): same keys one to one.
  return input.sourceSchema.objectTypes.filter((object) => object.canRead && !USER_OBJECTS.has(object.key)).map((object) => ({ source: object.key, target: object.key }));
}

/**
 * The starting plan for a migration from `sourceSystem` to `targetSystem`. Pairs whose objects
 * are missing on either side are left out, except Twenty's Tickets object, which the plan
 * expects and the target's prerequisites create. Fields are auto-mapped; source fields with no
 * counterpart become new custom fields where the target can create them.
 */
export function buildDefaultPlan(input: DefaultPlanInput): MigrationPlan {
  if (input.targetSystem === "sample") throw new Error("The Sample source cannot be a migration target");
  const planOptions = validatePlanShape({ sourceSystem: input.sourceSystem, targetSystem: input.targetSystem, objects: [], options: input.options ?? {} }).options;
  const sources = new Map(input.sourceSchema.objectTypes.map((object) => [object.key, object]));
  const targets = new Map(input.targetSchema.objectTypes.map((object) => [object.key, object]));
  if (input.targetSystem === "twenty" && !targets.has(TWENTY_TICKETS_OBJECT.key) && HELPDESK_SYSTEMS.has(input.sourceSystem) && planOptions.ticketsAs === "custom-object") {
    targets.set(TWENTY_TICKETS_OBJECT.key, TWENTY_TICKETS_OBJECT);
  }
  const specs = defaultObjectPairs(input, planOptions.ticketsAs).filter((spec) => {
    const target = targets.get(spec.target);
    return sources.get(spec.source)?.canRead && target !== undefined && target.canWrite;
  });
  // Relations only map onto relations to the object their target ends up in; the first enabled pair wins.
  const objectMap: Record<string, string> = {};
  for (const spec of specs) if (spec.enabled !== false && objectMap[spec.source] === undefined) objectMap[spec.source] = spec.target;
  const createFields = FIELD_CREATING_TARGETS.has(input.targetSystem);
  const migratedOnTheirOwn = new Set(specs.filter((spec) => spec.enabled !== false).map((spec) => spec.source));
  const pairs: ObjectPair[] = specs.map((spec) => {
    const source = sources.get(spec.source) as ObjectTypeDescription;
    const target = targets.get(spec.target) as ObjectTypeDescription;
    return {
      sourceObject: spec.source,
      targetObject: spec.target,
      enabled: spec.enabled ?? true,
      fieldMappings: fieldMappingsFor(source, target, objectMap, createFields),
      childObjects: childPairs(source, spec, input, targets, objectMap, migratedOnTheirOwn),
    };
  });
  const targetSchema: SchemaDescription = { objectTypes: [...targets.values()] };
  return validatePlanShape({
    sourceSystem: input.sourceSystem,
    targetSystem: input.targetSystem,
    objects: orderObjectPairs(pairs, input.sourceSchema, targetSchema),
    userMappings: matchUsers(input.sourceUsers, input.targetUsers),
    fallbackUserId: null,
    options: planOptions,
  });
}

