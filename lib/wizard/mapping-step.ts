// Step 6: field mappings per object pair (with value maps and defaults), user mappings by email
// with a fallback user, and a preview of a few source records as they will arrive. Every change
// is checked on the server: type compatibility, the plan's zod schema and validatePlan.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import type { OrgContext } from "@/lib/team";
import { auditActor, recordAudit } from "@/lib/audit-log";
import { compatibility, type Compatibility } from "@/lib/mapping/compatibility";
import { invalidValuePolicy, type FieldMapping, type InvalidValuePolicy } from "@/lib/mapping/field-mapping";
import { describeValue, isRelationRef, isUserRef } from "@/lib/mapping/values";
import { targetFieldOf, validatePlan, validatePlanShape, type MigrationPlan, type PlanIssue } from "@/lib/plan";
import { planUserResolver, transformRecord } from "@/lib/migration/transform";
import type { CanonicalRecord, CanonicalValue, FieldDescription, ObjectTypeDescription, SchemaDescription, SelectOption, UserRef } from "@/connectors/types";
import { connectorProblem, describeBoth, readWizard, writeWizard } from "./migration";
import { pairId } from "./plan-step";
import { unidentifiedRecordProblem } from "@/lib/mapping/identity";

export const PREVIEW_RECORDS = 3;
/** Target types a default value can be typed for on the mapping screen. */
const DEFAULTABLE_TYPES = new Set(["text", "longtext", "html", "email", "url", "number", "boolean", "date", "datetime", "select", "multiselect", "tags"]);

export type MappingField = { key: string; label: string; type: FieldDescription["type"]; nativeType: string; options?: SelectOption[]; required: boolean };
export type MappingRow = MappingField & {
  custom: boolean;
  /** Created on the target by the prerequisite fix (not there yet). */
  toBeCreated: boolean;
  sourceField: string | null;
  defaultValue: string;
  valueMap: Record<string, string>;
  compatibility: Compatibility | null;
  /** More than one source field feeds this target field (name parts); changing the source replaces them. */
  combined: string[];
  defaultable: boolean;
  /** What a value the target cannot hold costs (transform.onInvalid): repair (default), drop, or fail the record. */
  invalidValue: InvalidValuePolicy;
  /** What the default is called on the page ("Default inbox", "Placeholder customer"), and a line on what it does. */
  defaultLabel: string;
  defaultHelp: string | null;
  /** "email": the default is typed as an email address (a placeholder person the target creates). */
  defaultInput: "text" | "email";
};
export type MappingPairView = {
  id: string;
  sourceLabel: string;
  targetLabel: string;
  enabled: boolean;
  sourceFields: MappingField[];
  rows: MappingRow[];
  children: string[];
};
export type MappingView = {
  pairs: MappingPairView[];
  users: { sourceUserId: string; sourceEmail: string | null; sourceName: string | null; targetUserId: string | null }[];
  targetUsers: { id: string; label: string }[];
  fallbackUserId: string | null;
  issues: PlanIssue[];
};

function fieldView(field: FieldDescription): MappingField {
  return {
    key: field.key,
    label: field.label,
    type: field.type,
    nativeType: field.nativeType,
    required: field.required,
    ...(field.options?.length ? { options: field.options } : {}),
  };
}

/** How a field's default reads on the page; relations get a picker of the target's records or a placeholder email. */
function defaultPresentation(field: FieldDescription): Pick<MappingRow, "defaultable" | "defaultLabel" | "defaultHelp" | "defaultInput"> {
  const noun = field.label.toLowerCase();
  if (field.type === "relation" && field.relationDefault === "option") {
    return {
      defaultable: true,
      defaultLabel: `Default ${noun}`,
      defaultHelp: `Records with no ${noun} go to this one (the target's own ${noun} list).`,
      defaultInput: "text",
    };
  }
  if (field.type === "relation" && field.relationDefault === "email") {
    return {
      defaultable: true,
      defaultLabel: `Placeholder ${noun} (email)`,
      defaultHelp: `Records linked to no ${noun} get this one, created in the target if missing. Left empty, such records fail with the reason.`,
      defaultInput: "email",
    };
  }
  return {
    defaultable: DEFAULTABLE_TYPES.has(field.type),
    defaultLabel: `Default${field.required ? " (required field)" : ""}`,
    defaultHelp: null,
    defaultInput: "text",
  };
}

function defaultText(value: CanonicalValue | undefined): string {
  if (value === undefined || value === null) return "";
  // A relation default is kept as the record's id (a picker value) or a placeholder email.
  if (isRelationRef(value)) return value.id;
  return Array.isArray(value) ? value.map((item) => describeValue(item as CanonicalValue)).join(", ") : describeValue(value);
}

function objectOf(schema: SchemaDescription, key: string): ObjectTypeDescription | undefined {
  return schema.objectTypes.find((object) => object.key === key);
}

function userLabel(user: UserRef): string {
  return user.name && user.email ? `${user.name} (${user.email})` : (user.email ?? user.name ?? user.id);
}

export function buildMappingView(plan: MigrationPlan, sourceSchema: SchemaDescription, targetSchema: SchemaDescription, targetUsers: UserRef[]): MappingView {
  const pairs = plan.objects.map((pair): MappingPairView => {
    const source = objectOf(sourceSchema, pair.sourceObject);
    const target = objectOf(targetSchema, pair.targetObject);
    const targetFields = new Map<string, { field: FieldDescription; toBeCreated: boolean }>();
    for (const field of target?.fields ?? []) if (!field.readOnly) targetFields.set(field.key, { field, toBeCreated: false });
    for (const mapping of pair.fieldMappings) {
      if (targetFields.has(mapping.targetField)) continue;
      const field = targetFieldOf(mapping, target);
      if (field) targetFields.set(field.key, { field, toBeCreated: !target?.fields.some((candidate) => candidate.key === field.key) });
    }
    const rows = [...targetFields.values()].map(({ field, toBeCreated }): MappingRow => {
      const mappings = pair.fieldMappings.filter((mapping) => mapping.targetField === field.key);
      const first = mappings.find((mapping) => mapping.sourceField !== null) ?? mappings[0];
      const from = first?.sourceField ? source?.fields.find((candidate) => candidate.key === first.sourceField) : undefined;
      return {
        ...fieldView(field),
        custom: field.custom,
        toBeCreated,
        sourceField: first?.sourceField ?? null,
        defaultValue: defaultText(mappings.find((mapping) => mapping.defaultValue !== undefined)?.defaultValue),
        valueMap: first?.valueMap ?? {},
        compatibility: from ? compatibility(from.type, field.type) : null,
        combined: mappings.filter((mapping) => mapping.sourceField !== null).map((mapping) => mapping.sourceField as string),
        ...defaultPresentation(field),
        invalidValue: invalidValuePolicy(first?.transform),
      };
    });
    // Mapped and required fields first, then the rest in the target's order.
    rows.sort((a, b) => Number(b.sourceField !== null || b.required) - Number(a.sourceField !== null || a.required));
    return {
      id: pairId(pair),
      sourceLabel: source?.label ?? pair.sourceObject,
      targetLabel: target?.label ?? `${pair.targetObject} (created in step 5)`,
      enabled: pair.enabled,
      sourceFields: (source?.fields ?? []).map(fieldView),
      rows,
      children: pair.childObjects
        .filter((child) => child.enabled)
        .map(
          (child) =>
            `${objectOf(sourceSchema, child.sourceObject)?.label ?? child.sourceObject} → ${objectOf(targetSchema, child.targetObject)?.label ?? child.targetObject}${child.mode === "records" ? " (separate records linked to their parent)" : " (kept inside their parent)"}`,
        ),
    };
  });
  return {
    pairs,
    users: plan.userMappings.map((mapping) => ({
      sourceUserId: mapping.sourceUserId,
      sourceEmail: mapping.sourceEmail,
      sourceName: mapping.sourceName ?? null,
      targetUserId: mapping.targetUserId,
    })),
    targetUsers: targetUsers.map((user) => ({ id: user.id, label: userLabel(user) })),
    fallbackUserId: plan.fallbackUserId,
    issues: validatePlan(plan, sourceSchema, targetSchema),
  };
}

export async function mappingView(database: Database, context: OrgContext, migrationId: string): Promise<MappingView> {
  const { migration, plan } = await readWizard(database, context, migrationId);
  if (!plan) throw new UserFacingError("Choose the objects to migrate first (step 3).");
  const { target, sourceSchema, targetSchema } = await describeBoth(database, context, migration);
  const targetUsers = await target.listUsers().catch((error: unknown) => {
    throw connectorProblem(error, "Ferry could not list the target's users");
  });
  return buildMappingView(plan, sourceSchema, targetSchema, targetUsers);
}

// ---------------------------------------------------------------------------------------------
// Saving
// ---------------------------------------------------------------------------------------------

const rowInputSchema = z.object({
  targetField: z.string().min(1),
  sourceField: z.string().min(1).nullable(),
  defaultValue: z.string().max(1_000).default(""),
  valueMap: z.record(z.string(), z.string()).default({}),
  /** Absent: the mapping keeps its policy. */
  invalidValue: z.enum(["repair", "drop", "fail"]).optional(),
});
const pairInputSchema = z.object({ id: z.string().min(1), fields: z.array(rowInputSchema) });
export const mappingInputSchema = z.object({
  migrationId: z.string().min(1),
  pairs: z.array(pairInputSchema),
  userMappings: z.array(z.object({ sourceUserId: z.string().min(1), targetUserId: z.string().min(1).nullable() })).default([]),
  fallbackUserId: z.string().min(1).nullable().default(null),
});
export type MappingInput = z.input<typeof mappingInputSchema>;

/** Field errors keyed "<pair id>.<target field>" (and "users.<id>", "fallbackUserId"), thrown as a ZodError so actions show them next to the field. */
function fail(errors: { path: string[]; message: string }[]): never {
  throw new z.ZodError(errors.map((error) => ({ code: "custom" as const, path: error.path, message: error.message, input: undefined })));
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseRelationDefault(value: string, field: FieldDescription): { value?: CanonicalValue; error?: string } {
  if (field.relationDefault === "option") {
    const option = field.options?.find((candidate) => candidate.value === value);
    return option && field.relatesTo
      ? { value: { objectType: field.relatesTo, id: option.value } }
      : { error: `Choose one of the target's ${field.label.toLowerCase()} options.` };
  }
  if (field.relationDefault === "email")
    return EMAIL_PATTERN.test(value) ? { value: value.toLowerCase() } : { error: "Enter an email address, such as unknown-customer@yourcompany.com." };
  return { error: `${field.label} cannot take a typed default value.` };
}

function parseDefault(text: string, field: FieldDescription): { value?: CanonicalValue; error?: string } {
  const value = text.trim();
  if (value === "") return {};
  if (field.type === "relation") return parseRelationDefault(value, field);
  if (!DEFAULTABLE_TYPES.has(field.type)) return { error: `${field.label} cannot take a typed default value.` };
  switch (field.type) {
    case "number": {
      const number = Number(value);
      return Number.isFinite(number) ? { value: number } : { error: "Enter a number." };
    }
    case "boolean":
      if (/^(true|yes|1)$/i.test(value)) return { value: true };
      if (/^(false|no|0)$/i.test(value)) return { value: false };
      return { error: "Enter yes or no." };
    case "select":
      return field.options?.length && !field.options.some((option) => option.value === value) ? { error: "Choose one of the options." } : { value };
    case "multiselect":
    case "tags":
      return {
        value: value
          .split(",")
          .map((part) => part.trim())
          .filter(Boolean),
      };
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? { value } : { error: "Use a date like 2024-01-31." };
    default:
      return { value };
  }
}

/** The mapping with its policy for invalid values; "repair" is the default, so it is not stored. */
function withInvalidValuePolicy(mapping: FieldMapping, policy: InvalidValuePolicy): FieldMapping {
  const { onInvalid: _previous, ...transform } = mapping.transform ?? {};
  const next = policy === "repair" ? transform : { ...transform, onInvalid: policy };
  const { transform: _old, ...rest } = mapping;
  return Object.keys(next).length > 0 ? { ...rest, transform: next } : rest;
}

type MappingErrors = { path: string[]; message: string }[];
type SubmittedMapping = z.infer<typeof mappingInputSchema>;
type SubmittedField = SubmittedMapping["pairs"][number]["fields"][number];
type PlanPair = MigrationPlan["objects"][number];

/** A submitted field row checked against both schemas: the target field it fills, and its source field and default. */
function checkFieldRow(
  row: SubmittedField,
  pair: PlanPair,
  group: FieldMapping[],
  source: ObjectTypeDescription | undefined,
  target: ObjectTypeDescription | undefined,
): { error: string } | { to: FieldDescription; from: FieldDescription | undefined; defaultValue: CanonicalValue | undefined } {
  const to = target?.fields.find((field) => field.key === row.targetField) ?? (group[0] ? targetFieldOf(group[0], target) : undefined);
  if (!to) return { error: `${target?.label ?? pair.targetObject} has no field "${row.targetField}".` };
  if (to.readOnly) return { error: `${to.label} is read-only in the target.` };
  const from = row.sourceField ? source?.fields.find((field) => field.key === row.sourceField) : undefined;
  if (row.sourceField && !from) return { error: `${source?.label ?? pair.sourceObject} has no field "${row.sourceField}".` };
  if (from) {
    const compat = compatibility(from.type, to.type);
    if (compat.level === "incompatible") return { error: `${from.label} cannot go into ${to.label}: ${compat.reason}.` };
  }
  const parsedDefault = parseDefault(row.defaultValue, to);
  if (parsedDefault.error) return { error: parsedDefault.error };
  return { to, from, defaultValue: parsedDefault.value };
}

/** The pair's mappings with one submitted field row applied; unchanged, with an error added, when the row is invalid. */
function applyFieldRow(
  mappings: FieldMapping[],
  row: SubmittedField,
  pair: PlanPair,
  source: ObjectTypeDescription | undefined,
  target: ObjectTypeDescription | undefined,
  errors: MappingErrors,
): FieldMapping[] {
  const group = mappings.filter((mapping) => mapping.targetField === row.targetField);
  const checked = checkFieldRow(row, pair, group, source, target);
  if ("error" in checked) {
    errors.push({ path: [pairId(pair), row.targetField], message: checked.error });
    return mappings;
  }
  const { to, from, defaultValue } = checked;
  const validOptions = new Set((to.options ?? []).map((option) => option.value));
  const valueMap = Object.fromEntries(Object.entries(row.valueMap).filter(([, value]) => value !== "" && (validOptions.size === 0 || validOptions.has(value))));
  const keep = group.find((mapping) => mapping.sourceField !== null) ?? group[0];
  const rest = mappings.filter((mapping) => mapping.targetField !== row.targetField);
  if (row.sourceField === null && defaultValue === undefined) return rest;
  const sameSource = keep !== undefined && keep.sourceField === row.sourceField;
  // Several source fields feeding one target field (first and last name) stay as they are while the first is unchanged.
  const base: FieldMapping = sameSource
    ? keep
    : { sourceField: row.sourceField, targetField: row.targetField, ...(group[0]?.createField ? { createField: group[0].createField } : {}) };
  const updated: FieldMapping = {
    ...base,
    ...(from ? { compatibility: compatibility(from.type, to.type).level } : { compatibility: "exact" as const }),
    ...(Object.keys(valueMap).length > 0 ? { valueMap } : { valueMap: undefined }),
    ...(defaultValue !== undefined ? { defaultValue } : { defaultValue: undefined }),
  };
  if (updated.valueMap === undefined) delete updated.valueMap;
  if (updated.defaultValue === undefined) delete updated.defaultValue;
  const others = sameSource ? group.filter((mapping) => mapping !== keep && mapping.sourceField !== null) : [];
  const policy = row.invalidValue;
  return [...rest, ...[updated, ...others].map((mapping) => (policy === undefined ? mapping : withInvalidValuePolicy(mapping, policy)))];
}

/** The plan's user mappings with the submitted ones applied; errors for users the target or the plan does not have. */
function applyUserMappings(plan: MigrationPlan, targetIds: Set<string>, input: SubmittedMapping, errors: MappingErrors): MigrationPlan["userMappings"] {
  const known = new Map(plan.userMappings.map((mapping) => [mapping.sourceUserId, mapping]));
  const userMappings = plan.userMappings.map((mapping) => {
    const submitted = input.userMappings.find((candidate) => candidate.sourceUserId === mapping.sourceUserId);
    if (!submitted) return mapping;
    if (submitted.targetUserId !== null && !targetIds.has(submitted.targetUserId)) {
      errors.push({
        path: ["users", mapping.sourceUserId],
        message: "That user is not in the target any more. Choose another, or leave it to the fallback user.",
      });
      return mapping;
    }
    return { ...mapping, targetUserId: submitted.targetUserId };
  });
  for (const submitted of input.userMappings)
    if (!known.has(submitted.sourceUserId)) errors.push({ path: ["users", submitted.sourceUserId], message: "That source user is not part of the plan." });
  return userMappings;
}

/** The plan with the submitted mapping applied; throws field errors for incompatible pairs and bad values. */
export function applyMappingInput(
  plan: MigrationPlan,
  sourceSchema: SchemaDescription,
  targetSchema: SchemaDescription,
  targetUsers: UserRef[],
  input: z.infer<typeof mappingInputSchema>,
): MigrationPlan {
  const errors: MappingErrors = [];
  const objects = plan.objects.map((pair) => {
    const submitted = input.pairs.find((candidate) => candidate.id === pairId(pair));
    if (!submitted) return pair;
    const source = objectOf(sourceSchema, pair.sourceObject);
    const target = objectOf(targetSchema, pair.targetObject);
    let mappings: FieldMapping[] = [...pair.fieldMappings];
    for (const row of submitted.fields) mappings = applyFieldRow(mappings, row, pair, source, target, errors);
    return { ...pair, fieldMappings: mappings };
  });
  const targetIds = new Set(targetUsers.map((user) => user.id));
  const userMappings = applyUserMappings(plan, targetIds, input, errors);
  if (input.fallbackUserId !== null && !targetIds.has(input.fallbackUserId)) errors.push({ path: ["fallbackUserId"], message: "Choose a user of the target." });
  if (errors.length > 0) fail(errors);
  return validatePlanShape({ ...plan, objects, userMappings, fallbackUserId: input.fallbackUserId });
}

/** Saves the mapping: zod (planSchema) and validatePlan must both pass; warnings are returned. */
export async function saveMapping(database: Database, context: OrgContext, input: unknown): Promise<{ plan: MigrationPlan; warnings: PlanIssue[] }> {
  const data = mappingInputSchema.parse(input);
  const { migration, plan } = await readWizard(database, context, data.migrationId);
  if (!plan) throw new UserFacingError("Choose the objects to migrate first (step 3).");
  const { target, sourceSchema, targetSchema } = await describeBoth(database, context, migration);
  const targetUsers = await target.listUsers().catch((error: unknown) => {
    throw connectorProblem(error, "Ferry could not list the target's users");
  });
  const next = applyMappingInput(plan, sourceSchema, targetSchema, targetUsers, data);
  const issues = validatePlan(next, sourceSchema, targetSchema);
  // A target object or field the prerequisite fixes create is not an error here: step 5 creates it.
  const planned = (issue: PlanIssue) => /has no "[^"]+" object yet/.test(issue.message);
  const errors = issues.filter((issue) => issue.severity === "error" && !planned(issue));
  if (errors.length > 0) {
    fail(errors.map((issue) => ({ path: issue.field ? [`${issue.sourceObject}→${issue.targetObject}`, issue.field] : ["form"], message: issue.message })));
  }
  await writeWizard(database, context, data.migrationId, { plan: next, updateState: (current) => ({ ...current, mappingSavedAt: new Date().toISOString() }) });
  const mappedFields = next.objects.reduce((total, object) => total + object.fieldMappings.length, 0);
  await recordAudit(database, auditActor(context), {
    kind: "mapping.saved",
    migrationId: migration.id,
    summary: `Saved the mapping of "${migration.name}": ${next.objects.length} object(s), ${mappedFields} field(s) mapped.`,
  });
  return { plan: next, warnings: issues.filter((issue) => issue.severity === "warning") };
}

// ---------------------------------------------------------------------------------------------
// Preview
// ---------------------------------------------------------------------------------------------

export type PreviewRecord = { sourceId: string; fields: { label: string; value: string }[]; problems: string[] };
export const previewInputSchema = mappingInputSchema.extend({ pairId: z.string().min(1) });

function previewValue(value: CanonicalValue, field: FieldDescription | undefined, targetSchema: SchemaDescription, users: Map<string, string>): string {
  const link = (ref: { objectType: string }) => `→ linked ${(objectOf(targetSchema, ref.objectType)?.label ?? ref.objectType).toLowerCase().replace(/s$/, "")}`;
  if (isRelationRef(value)) return link(value);
  if (Array.isArray(value) && value.length > 0 && value.every(isRelationRef)) return value.map(link).join(", ");
  if (isUserRef(value)) return `→ ${users.get(value.id) ?? value.email ?? "mapped user"}`;
  const text = describeValue(value);
  return field?.type === "html" || text.length <= 200 ? text.slice(0, 200) : `${text.slice(0, 200)}…`;
}

/** The first few source records of one pair as they would arrive, under the submitted (unsaved) mapping. */
export async function previewRecords(database: Database, context: OrgContext, input: unknown): Promise<PreviewRecord[]> {
  const data = previewInputSchema.parse(input);
  const { migration, plan } = await readWizard(database, context, data.migrationId);
  if (!plan) throw new UserFacingError("Choose the objects to migrate first (step 3).");
  const { source, target, sourceSchema, targetSchema } = await describeBoth(database, context, migration);
  const targetUsers = await target.listUsers().catch(() => [] as UserRef[]);
  const draft = applyMappingInput(plan, sourceSchema, targetSchema, targetUsers, data);
  const pair = draft.objects.find((candidate) => pairId(candidate) === data.pairId);
  if (!pair) throw new UserFacingError("That object pair is not in the plan.");
  const sourceObject = objectOf(sourceSchema, pair.sourceObject);
  if (!sourceObject) throw new UserFacingError(`The source has no "${pair.sourceObject}" object.`);
  const targetObject = objectOf(targetSchema, pair.targetObject) ?? {
    key: pair.targetObject,
    label: pair.targetObject,
    custom: true,
    canRead: false,
    canWrite: true,
    fields: [],
    dependsOn: [],
  };
  const records: CanonicalRecord[] = [];
  try {
    for await (const page of source.read(pair.sourceObject, {
      pageSize: 10,
      children: pair.childObjects.filter((child) => child.enabled).map((child) => child.childKey),
    })) {
      records.push(...page.records);
      if (records.length >= PREVIEW_RECORDS) break;
    }
  } catch (error) {
    throw connectorProblem(error, "Ferry could not read sample records from the source");
  }
  const childSchemas = Object.fromEntries(
    pair.childObjects.flatMap((child) => {
      const childSource = objectOf(sourceSchema, child.sourceObject);
      const childTarget = objectOf(targetSchema, child.targetObject);
      return childSource && childTarget ? [[child.childKey, { source: childSource, target: childTarget }]] : [];
    }),
  );
  const resolveUser = planUserResolver(draft);
  const userNames = new Map(targetUsers.map((user) => [user.id, userLabel(user)]));
  // A relation is shown as "linked": in the preview nothing is migrated yet, so every link is assumed to resolve.
  const resolver = { relation: (ref: { objectType: string; id: string }) => `preview-${ref.objectType}-${ref.id}`, user: resolveUser };
  return records.slice(0, PREVIEW_RECORDS).map((record) => {
    const { record: arrived, problems } = transformRecord(pair, record, { source: sourceObject, target: targetObject }, resolver, draft, childSchemas);
    const fields = Object.entries(arrived.fields).map(([key, value]) => {
      const field =
        targetFieldOf(pair.fieldMappings.find((mapping) => mapping.targetField === key) ?? { sourceField: null, targetField: key }, targetObject) ??
        targetObject.fields.find((candidate) => candidate.key === key);
      return { label: field?.label ?? key, value: previewValue(value, field, targetSchema, userNames) };
    });
    const children = Object.entries(arrived.children ?? {}).map(([key, items]) => ({ label: key, value: `${items.length} ${key} kept inside` }));
    const unidentified = unidentifiedRecordProblem(targetObject, arrived.fields);
    return {
      sourceId: record.id,
      fields: [...fields, ...children],
      problems: [...problems.map((problem) => problem.message), ...(unidentified ? [unidentified] : [])],
    };
  });
}
