// The migration plan: which source objects go into which target objects, field by field, how
// users map, which records are left out, and the run options. Stored as JSON on
// Migration.plan and validated with zod on every read, so a hand-edited or outdated plan
// fails with a clear message instead of half-running.
import { z } from "zod";
import type { CanonicalRecord, FieldDescription, ObjectTypeDescription, PlanForPrerequisites, SchemaDescription } from "@/connectors/types";
import { isStale, lastActivityMs } from "@/lib/audit/activity";
import { compatibility } from "@/lib/mapping/compatibility";
import { fieldMappingSchema, invalidValuePolicy, transformOptionsSchema } from "@/lib/mapping/field-mapping";
import type { FieldMapping } from "@/lib/mapping/field-mapping";
import { matchOption } from "@/lib/mapping/options";
import { isRelationRef, isStringList } from "@/lib/mapping/values";
import { UserFacingError } from "@/lib/errors";
import { unidentifiedMappingWarning } from "@/lib/mapping/identity";

export const PLAN_VERSION = 1;
export const DEFAULT_DEMO_SAMPLE_SIZE = 20;
export const MAX_DEMO_SAMPLE_SIZE = 500;
export const MAX_STALE_YEARS = 50;
/** How a child's title is built when the target needs one ({kind}, {author}, {date}, {parent}). */
export const DEFAULT_CHILD_TITLE_TEMPLATE = "{kind} from {author} · {date}";
const DAY_MS = 24 * 60 * 60 * 1_000;
/** How many schema problems a parse error lists before "and N more". */
const MAX_LISTED_ISSUES = 5;

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

const key = z.string().trim().min(1);
const isoDateOrTime = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value) && !Number.isNaN(Date.parse(value)), "Use a date like 2024-01-31 (or an ISO date-time).");

export const childObjectPairSchema = z.strictObject({
  /** Key under the parent record's `children` ("messages"). */
  childKey: key,
  /** The child's object type as the source describes it ("messages"). */
  sourceObject: key,
  /** "notes" (records mode) or the target's own child type (children mode). */
  targetObject: key,
  enabled: z.boolean(),
  /** records: written as separate target records linked to the parent; children: written inside the parent record. */
  mode: z.enum(["records", "children"]),
  fieldMappings: z.array(fieldMappingSchema),
  /** Target relation field linking the child to its parent's migrated record ("targets.tickets"); null: no link. */
  parentLink: key.nullable(),
  /** Parent relation fields whose migrated records the child is linked to as well (ticket customer → "targets.people"). */
  alsoLink: z.array(z.strictObject({ parentField: key, targetField: key })),
  /** Target field that receives a generated title, built from titleTemplate. */
  titleField: key.nullable(),
  titleTemplate: z.string().max(200).default(DEFAULT_CHILD_TITLE_TEMPLATE),
});
export type ChildObjectPair = z.infer<typeof childObjectPairSchema>;

export const objectPairSchema = z.strictObject({
  sourceObject: key,
  targetObject: key,
  enabled: z.boolean(),
  fieldMappings: z.array(fieldMappingSchema),
  childObjects: z.array(childObjectPairSchema).default([]),
});
export type ObjectPair = z.infer<typeof objectPairSchema>;

export const userMappingSchema = z.strictObject({
  sourceUserId: key,
  sourceEmail: z.string().nullable(),
  sourceName: z.string().optional(),
  /** Null: no match in the target; the fallback user applies. */
  targetUserId: z.string().min(1).nullable(),
});
export type UserMapping = z.infer<typeof userMappingSchema>;

export const filtersSchema = z.strictObject({
  /** Date filters: from is inclusive; a date-only "to" includes that whole day. */
  createdFrom: isoDateOrTime.nullable().default(null),
  createdTo: isoDateOrTime.nullable().default(null),
  updatedFrom: isoDateOrTime.nullable().default(null),
  updatedTo: isoDateOrTime.nullable().default(null),
  /** Only records carrying at least one of these tags (object types with tags only). */
  tags: z.array(z.string()).default([]),
  /** Records carrying any of these tags are left out. */
  excludeTags: z.array(z.string()).default([]),
  /** Source object types the date and tag filters apply to; empty: all of them. */
  appliesTo: z.array(key).default([]),
  /** Leave out records with no update or activity for this many years (Twenty's guide: 2). */
  skipStaleYears: z.number().positive().max(MAX_STALE_YEARS).nullable().default(null),
  /** Source object types the stale filter applies to (customers, people). */
  staleObjects: z.array(key).default([]),
});
export type PlanFilters = z.infer<typeof filtersSchema>;

/** A source record left out as a repeat of `sameAs`: linked to that record's target record instead of being written. */
export const skipRepeatSchema = z.strictObject({ objectType: key, sourceId: key, sameAs: key });
export type SkipRepeat = z.infer<typeof skipRepeatSchema>;

export const planOptionsSchema = z.strictObject({
  /** When a unique key (email, domain) already exists in the target: skip the record, update the existing one, or fail. */
  duplicatePolicy: z.enum(["skip", "update", "fail"]).default("skip"),
  /** Add a "migrated" tag where the target object has tags. */
  tagMigratedRecords: z.boolean().default(false),
  skipAttachments: z.boolean().default(false),
  /** Help desk → Twenty: tickets as a Tickets custom object, or as tasks. */
  ticketsAs: z.enum(["custom-object", "tasks"]).default("custom-object"),
});
export type PlanOptions = z.infer<typeof planOptionsSchema>;

export const planSchema = z
  .strictObject({
    version: z.literal(PLAN_VERSION).default(PLAN_VERSION),
    sourceSystem: key,
    targetSystem: key,
    /** In dependency order: a pair's relations point at pairs before it. */
    objects: z.array(objectPairSchema),
    userMappings: z.array(userMappingSchema).default([]),
    /** Target user for source users without a match (owners, assignees); null leaves those fields empty. */
    fallbackUserId: z.string().min(1).nullable().default(null),
    filters: filtersSchema.default(() => filtersSchema.parse({})),
    /** Repeats the audit found (a person's email, a company's domain already used by an earlier record) the user chose to skip. */
    skipRepeats: z.array(skipRepeatSchema).default([]),
    options: planOptionsSchema.default(() => planOptionsSchema.parse({})),
    demoSampleSize: z.number().int().min(1).max(MAX_DEMO_SAMPLE_SIZE).default(DEFAULT_DEMO_SAMPLE_SIZE),
  })
  .superRefine((plan, context) => {
    const seen = new Set<string>();
    plan.objects.forEach((pair, index) => {
      const id = `${pair.sourceObject}→${pair.targetObject}`;
      if (seen.has(id)) context.addIssue({ code: "custom", message: `${pair.sourceObject} → ${pair.targetObject} is listed twice`, path: ["objects", index] });
      seen.add(id);
    });
    const users = new Set<string>();
    plan.userMappings.forEach((mapping, index) => {
      if (users.has(mapping.sourceUserId)) context.addIssue({ code: "custom", message: `User ${mapping.sourceUserId} is mapped twice`, path: ["userMappings", index] });
      users.add(mapping.sourceUserId);
    });
  });

export type MigrationPlan = z.infer<typeof planSchema>;
/** What a caller may hand in: defaults filled by parsing. */
export type MigrationPlanInput = z.input<typeof planSchema>;

// ---------------------------------------------------------------------------------------------
// Read and write
// ---------------------------------------------------------------------------------------------

export class PlanError extends UserFacingError {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = "PlanError";
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`)).join("") || "(plan)";
}

/** Validates any value as a plan (defaults filled in), or throws a PlanError listing what is wrong. */
export function validatePlanShape(value: unknown): MigrationPlan {
  const result = planSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const listed = issues.slice(0, MAX_LISTED_ISSUES).join("; ");
  const more = issues.length > MAX_LISTED_ISSUES ? `; and ${issues.length - MAX_LISTED_ISSUES} more` : "";
  throw new PlanError(`The migration plan is not valid (${listed}${more}). Rebuild it from the mapping step.`, issues);
}

/** Reads a plan stored as JSON (Migration.plan). */
export function parsePlan(json: string): MigrationPlan {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new PlanError("The migration plan is not valid JSON. Rebuild it from the mapping step.");
  }
  return validatePlanShape(value);
}

/** JSON for Migration.plan; validated first so nothing invalid is ever stored. */
export function serializePlan(plan: MigrationPlanInput): string {
  return JSON.stringify(validatePlanShape(plan));
}

// ---------------------------------------------------------------------------------------------
// Dependency order
// ---------------------------------------------------------------------------------------------

/** Object types a description says must exist first: dependsOn plus every relation's target. */
export function dependenciesOf(object: ObjectTypeDescription): string[] {
  const relations = object.fields.filter((field) => field.type === "relation" && field.relatesTo).map((field) => field.relatesTo as string);
  return [...new Set([...object.dependsOn, ...relations])].filter((dependency) => dependency !== object.key);
}

export class DependencyCycleError extends PlanError {
  constructor(readonly cycle: string[]) {
    super(`These objects depend on each other in a loop: ${cycle.join(" → ")}. Turn off one of the relation mappings in the loop so one of them can be migrated first.`);
    this.name = "DependencyCycleError";
  }
}

type DependencySource = SchemaDescription | ((objectKey: string) => readonly string[]);

function lookupOf(describe: DependencySource): (objectKey: string) => readonly string[] {
  if (typeof describe === "function") return describe;
  const byKey = new Map(describe.objectTypes.map((object) => [object.key, object]));
  return (objectKey) => {
    const object = byKey.get(objectKey);
    return object ? dependenciesOf(object) : [];
  };
}

function findCycle(remaining: string[], dependencies: Map<string, string[]>): string[] {
  // Every remaining node has a remaining dependency: walk them until one repeats.
  const path: string[] = [];
  let node = remaining[0];
  while (!path.includes(node)) {
    path.push(node);
    node = (dependencies.get(node) ?? []).find((dependency) => remaining.includes(dependency)) as string;
  }
  const loop = path.slice(path.indexOf(node));
  // Start the loop at its first object in the caller's order, so the message is stable.
  const start = loop.indexOf(remaining.find((object) => loop.includes(object)) as string);
  const rotated = [...loop.slice(start), ...loop.slice(0, start)];
  return [...rotated, rotated[0]];
}

/**
 * `objects` sorted so each comes after the objects it depends on (relations, dependsOn), keeping
 * the given order where there is a choice. Dependencies outside `objects` are ignored (they are
 * not migrated). A loop throws DependencyCycleError naming it.
 */
export function dependencyOrder(objects: readonly string[], describe: DependencySource): string[] {
  const lookup = lookupOf(describe);
  const included = new Set(objects);
  const dependencies = new Map(objects.map((object) => [object, lookup(object).filter((dependency) => included.has(dependency) && dependency !== object)]));
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < objects.length) {
    const next = objects.find((object) => !done.has(object) && (dependencies.get(object) ?? []).every((dependency) => done.has(dependency)));
    if (next === undefined) throw new DependencyCycleError(findCycle(objects.filter((object) => !done.has(object)), dependencies));
    done.add(next);
    order.push(next);
  }
  return order;
}

/**
 * Pairs in write order. A pair depends on another when one of its mapped relation fields points
 * (in the source) at the other pair's source object, or (in the target) at its target object.
 */
export function orderObjectPairs<T extends ObjectPair>(pairs: readonly T[], sourceSchema: SchemaDescription, targetSchema: SchemaDescription): T[] {
  const id = (pair: ObjectPair) => `${pair.sourceObject}→${pair.targetObject}`;
  const sources = new Map(sourceSchema.objectTypes.map((object) => [object.key, object]));
  const targets = new Map(targetSchema.objectTypes.map((object) => [object.key, object]));
  const lookup = (pairId: string): string[] => {
    const pair = pairs.find((candidate) => id(candidate) === pairId) as T;
    const pointedAt = new Set<string>();
    for (const mapping of pair.fieldMappings) {
      const sourceField = mapping.sourceField ? sources.get(pair.sourceObject)?.fields.find((field) => field.key === mapping.sourceField) : undefined;
      const targetField = targets.get(pair.targetObject)?.fields.find((field) => field.key === mapping.targetField);
      if (sourceField?.type === "relation" && sourceField.relatesTo) pointedAt.add(`source:${sourceField.relatesTo}`);
      if (targetField?.type === "relation" && targetField.relatesTo) pointedAt.add(`target:${targetField.relatesTo}`);
    }
    return pairs.filter((other) => other !== pair && (pointedAt.has(`source:${other.sourceObject}`) || pointedAt.has(`target:${other.targetObject}`))).map(id);
  };
  const order = dependencyOrder(pairs.map(id), lookup);
  return order.map((pairId) => pairs.find((pair) => id(pair) === pairId) as T);
}

// ---------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------

export type FilterDecision = { pass: true } | { pass: false; reason: string };

function boundaryMs(value: string, end: boolean): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00.000Z` : value);
  return dateOnly && end ? ms + DAY_MS : ms;
}

function tagsOf(record: CanonicalRecord): string[] | null {
  const tags = record.fields.tags;
  return isStringList(tags) ? tags.map((tag) => tag.trim().toLowerCase()) : null;
}

/**
 * Whether a source record of `objectType` is migrated under the plan's filters, and why not.
 * `relatedActivityMs` is the latest activity of records pointing at this one (a customer's
 * tickets and messages, lib/audit/activity.ts): without it a customer with a recent ticket but an
 * old record of their own would count as stale and their tickets would lose their customer. The
 * engine gathers it before the run (lib/migration/activity-scan.ts).
 */
export function recordPassesFilters(record: CanonicalRecord, objectType: string, filters: PlanFilters, now: Date, relatedActivityMs: number | null = null): FilterDecision {
  if (filters.skipStaleYears !== null && filters.staleObjects.includes(objectType)) {
    const lastMs = lastActivityMs(record, relatedActivityMs);
    if (isStale(lastMs, now, filters.skipStaleYears)) {
      return { pass: false, reason: `No activity for over ${filters.skipStaleYears} years (last on ${new Date(lastMs as number).toISOString().slice(0, 10)})` };
    }
  }
  if (filters.appliesTo.length > 0 && !filters.appliesTo.includes(objectType)) return { pass: true };
  const dates: [string | null, "createdAt" | "updatedAt", "from" | "to"][] = [
    [filters.createdFrom, "createdAt", "from"],
    [filters.createdTo, "createdAt", "to"],
    [filters.updatedFrom, "updatedAt", "from"],
    [filters.updatedTo, "updatedAt", "to"],
  ];
  for (const [bound, field, side] of dates) {
    if (bound === null) continue;
    const value = record[field];
    const ms = value === null ? Number.NaN : Date.parse(value);
    const outside = Number.isNaN(ms) || (side === "from" ? ms < boundaryMs(bound, false) : ms >= boundaryMs(bound, true));
    if (outside) return { pass: false, reason: `${field === "createdAt" ? "Created" : "Updated"} ${side === "from" ? "before" : "after"} ${bound}` };
  }
  const tags = tagsOf(record);
  if (tags !== null) {
    const excluded = filters.excludeTags.find((tag) => tags.includes(tag.trim().toLowerCase()));
    if (excluded !== undefined) return { pass: false, reason: `Tagged "${excluded}"` };
    if (filters.tags.length > 0 && !filters.tags.some((tag) => tags.includes(tag.trim().toLowerCase()))) return { pass: false, reason: `Has none of the tags ${filters.tags.join(", ")}` };
  }
  return { pass: true };
}

// ---------------------------------------------------------------------------------------------
// One-click changes (audit suggestions)
// ---------------------------------------------------------------------------------------------

export const planPatchSchema = z.discriminatedUnion("kind", [
  /** Leave out records of `objectType` with no activity for `years`. */
  z.strictObject({ kind: z.literal("skipStale"), objectType: key, years: z.number().positive().max(MAX_STALE_YEARS) }),
  z.strictObject({ kind: z.literal("setOptions"), options: planOptionsSchema.partial() }),
  /** Merges transform options into every mapping of source field `field` of `objectType`. */
  z.strictObject({ kind: z.literal("setTransform"), objectType: key, field: key, transform: transformOptionsSchema }),
  /** Removes every mapping of source field `field` of `objectType` (an unused field). */
  z.strictObject({ kind: z.literal("dropField"), objectType: key, field: key }),
  /** Skips these repeats of `objectType`, each linked to the record it repeats. */
  z.strictObject({ kind: z.literal("skipRepeats"), objectType: key, repeats: z.array(z.strictObject({ sourceId: key, sameAs: key })).min(1) }),
]);
export type PlanPatch = z.infer<typeof planPatchSchema>;

function patchMappings(plan: MigrationPlan, objectType: string, change: (mappings: FieldMapping[]) => FieldMapping[]): MigrationPlan {
  return {
    ...plan,
    objects: plan.objects.map((pair) => ({
      ...pair,
      fieldMappings: pair.sourceObject === objectType ? change(pair.fieldMappings) : pair.fieldMappings,
      childObjects: pair.childObjects.map((child) => (child.sourceObject === objectType ? { ...child, fieldMappings: change(child.fieldMappings) } : child)),
    })),
  };
}

/** The plan with one suggestion applied; pure, so the wizard can preview it. */
export function applyPlanPatch(plan: MigrationPlan, patch: PlanPatch): MigrationPlan {
  switch (patch.kind) {
    case "skipStale":
      return {
        ...plan,
        filters: { ...plan.filters, skipStaleYears: patch.years, staleObjects: [...new Set([...plan.filters.staleObjects, patch.objectType])] },
      };
    case "setOptions":
      return { ...plan, options: { ...plan.options, ...Object.fromEntries(Object.entries(patch.options).filter(([, value]) => value !== undefined)) } };
    case "setTransform":
      return patchMappings(plan, patch.objectType, (mappings) =>
        mappings.map((mapping) => (mapping.sourceField === patch.field ? { ...mapping, transform: { ...mapping.transform, ...patch.transform } } : mapping)),
      );
    case "dropField":
      return patchMappings(plan, patch.objectType, (mappings) => mappings.filter((mapping) => mapping.sourceField !== patch.field));
    case "skipRepeats": {
      const listed = new Set(patch.repeats.map((repeat) => repeat.sourceId));
      const kept = plan.skipRepeats.filter((repeat) => repeat.objectType !== patch.objectType || !listed.has(repeat.sourceId));
      return { ...plan, skipRepeats: [...kept, ...patch.repeats.filter((repeat) => repeat.sourceId !== repeat.sameAs).map((repeat) => ({ objectType: patch.objectType, ...repeat }))] };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Checks against the schemas
// ---------------------------------------------------------------------------------------------

export type PlanIssue = { severity: "error" | "warning"; sourceObject: string; targetObject: string; field?: string; message: string };

/** The description of a mapping's target field: the target's own, or the one the plan will create. */
export function targetFieldOf(mapping: FieldMapping, target: ObjectTypeDescription | undefined): FieldDescription | undefined {
  const existing = target?.fields.find((field) => field.key === mapping.targetField);
  if (existing) return existing;
  if (!mapping.createField) return undefined;
  return {
    key: mapping.targetField,
    label: mapping.createField.label,
    type: mapping.createField.type,
    nativeType: "(created by Ferry)",
    required: false,
    unique: false,
    readOnly: false,
    custom: true,
    ...(mapping.createField.options ? { options: mapping.createField.options } : {}),
  };
}

function checkMappings(mappings: FieldMapping[], source: ObjectTypeDescription, target: ObjectTypeDescription | undefined, issue: (severity: PlanIssue["severity"], message: string, field?: string) => void) {
  for (const mapping of mappings) {
    const to = targetFieldOf(mapping, target);
    if (!to) {
      if (target) issue("error", `${target.label} has no field "${mapping.targetField}"`, mapping.targetField);
      continue;
    }
    if (to.readOnly) issue("error", `${to.label} is read-only in the target`, to.key);
    const chosen = isRelationRef(mapping.defaultValue) ? mapping.defaultValue.id : null;
    if (to.relationDefault === "option" && chosen !== null && !to.options?.some((option) => option.value === chosen)) {
      issue("error", `The default ${to.label.toLowerCase()} (${chosen}) is not in the target any more; pick another on the mapping page`, to.key);
    }
    if (mapping.sourceField === null) continue;
    const from = source.fields.find((field) => field.key === mapping.sourceField);
    if (!from) {
      issue("error", `${source.label} has no field "${mapping.sourceField}"`, mapping.sourceField);
      continue;
    }
    const compat = compatibility(from.type, to.type);
    if (compat.level === "incompatible") issue("error", `${from.label} cannot go into ${to.label}: ${compat.reason}`, to.key);
    if ((to.type === "select" || to.type === "multiselect") && to.options?.length && from.options?.length) {
      const unmatched = from.options.filter((option) => {
        const mapped = mapping.valueMap?.[option.value];
        if (mapped !== undefined) return !to.options?.some((target) => target.value === mapped);
        return matchOption(option.value, to.options ?? [], option.label) === null;
      });
      if (unmatched.length > 0 && mapping.defaultValue === undefined && mapping.transform?.unknownValue !== "drop") {
        const cost = invalidValuePolicy(mapping.transform) === "fail" ? "will fail" : `are written without ${to.label}, with a warning`;
        issue("warning", `${from.label}: ${unmatched.map((option) => `"${option.label}"`).join(", ")} ${unmatched.length === 1 ? "has" : "have"} no matching option in ${to.label}; records with ${unmatched.length === 1 ? "it" : "them"} ${cost}`, to.key);
      }
    }
  }
  if (!target) return;
  const mapped = new Set(mappings.map((mapping) => mapping.targetField));
  for (const field of target.fields) {
    if (field.required && !field.readOnly && !mapped.has(field.key)) issue("error", `${field.label} is required in ${target.label} and nothing is mapped to it`, field.key);
  }
  const unidentified = unidentifiedMappingWarning(target, mappings.flatMap((mapping) => targetFieldOf(mapping, target) ?? []));
  if (unidentified) issue("warning", unidentified);
}

/**
 * A required user field (a thread's author) fed by source users: without a fallback user, a
 * record whose user maps to nobody in the target (a note written through an API key) fails.
 */
function checkRequiredUsers(plan: MigrationPlan, mappings: FieldMapping[], target: ObjectTypeDescription | undefined, issue: (severity: PlanIssue["severity"], message: string, field?: string) => void) {
  if (plan.fallbackUserId !== null || !target) return;
  for (const mapping of mappings) {
    const to = target.fields.find((field) => field.key === mapping.targetField);
    if (!to || to.type !== "user" || !to.required || mapping.sourceField === null) continue;
    issue("warning", `${to.label} is required in ${target.label}: records whose ${to.label.toLowerCase()} is not mapped to a user of the target fail. Choose a fallback user.`, to.key);
  }
}

/** What would make records fail, found before running: missing fields, incompatible types, unmapped required fields, unmatched options. */
export function validatePlan(plan: MigrationPlan, sourceSchema: SchemaDescription, targetSchema: SchemaDescription): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const sources = new Map(sourceSchema.objectTypes.map((object) => [object.key, object]));
  const targets = new Map(targetSchema.objectTypes.map((object) => [object.key, object]));
  for (const pair of plan.objects.filter((candidate) => candidate.enabled)) {
    const add = (sourceObject: string, targetObject: string) => (severity: PlanIssue["severity"], message: string, field?: string) =>
      issues.push({ severity, sourceObject, targetObject, message, ...(field ? { field } : {}) });
    const source = sources.get(pair.sourceObject);
    const target = targets.get(pair.targetObject);
    const issue = add(pair.sourceObject, pair.targetObject);
    if (!source) issue("error", `The source has no "${pair.sourceObject}" object`);
    if (!target) issue("error", `The target has no "${pair.targetObject}" object yet; create it before migrating`);
    if (source) checkMappings(pair.fieldMappings, source, target, issue);
    checkRequiredUsers(plan, pair.fieldMappings, target, issue);
    for (const child of pair.childObjects.filter((candidate) => candidate.enabled)) {
      const childSource = sources.get(child.sourceObject);
      const childTarget = targets.get(child.targetObject);
      const childIssue = add(child.sourceObject, child.targetObject);
      if (!childSource) childIssue("error", `The source has no "${child.sourceObject}" object`);
      if (child.mode === "records" && !childTarget) childIssue("error", `The target has no "${child.targetObject}" object`);
      if (childSource && child.mode === "records") checkMappings(child.fieldMappings, childSource, childTarget, childIssue);
      checkRequiredUsers(plan, child.fieldMappings, childTarget, childIssue);
      if (childTarget && child.mode === "records") {
        for (const link of [child.parentLink, ...child.alsoLink.map((also) => also.targetField)]) {
          if (link !== null && !childTarget.fields.some((field) => field.key === link)) childIssue("warning", `${childTarget.label} cannot be linked through "${link}" yet; the link is left out until the target has it`, link);
        }
      }
    }
  }
  return issues;
}

/** The plan as the target's prerequisite checks want it: objects written, users mapped, fields to create. */
export function toPlanForPrerequisites(plan: MigrationPlan): PlanForPrerequisites {
  const enabled = plan.objects.filter((pair) => pair.enabled);
  const objectTypes = new Set<string>();
  const customFields: PlanForPrerequisites["customFields"] = [];
  const planned = new Set<string>();
  const collect = (objectType: string, mappings: FieldMapping[]) => {
    for (const mapping of mappings) {
      // Two pairs writing the same new field (tickets and tasks both into Twenty tasks) create it once.
      if (!mapping.createField || planned.has(`${objectType}.${mapping.targetField}`)) continue;
      planned.add(`${objectType}.${mapping.targetField}`);
      customFields.push({ objectType, key: mapping.targetField, label: mapping.createField.label, type: mapping.createField.type, ...(mapping.createField.options ? { options: mapping.createField.options } : {}) });
    }
  };
  for (const pair of enabled) {
    objectTypes.add(pair.targetObject);
    collect(pair.targetObject, pair.fieldMappings);
    for (const child of pair.childObjects.filter((candidate) => candidate.enabled && candidate.mode === "records")) {
      objectTypes.add(child.targetObject);
      collect(child.targetObject, child.fieldMappings);
    }
  }
  const users = plan.userMappings.map((mapping) => ({
    sourceUserId: mapping.sourceUserId,
    sourceEmail: mapping.sourceEmail?.trim().toLowerCase() || null,
    sourceLabel: mapping.sourceName?.trim() || mapping.sourceEmail?.trim() || mapping.sourceUserId,
    targetUserId: mapping.targetUserId,
  }));
  return { objectTypes: [...objectTypes], users, fallbackUserId: plan.fallbackUserId, customFields };
}
