// A plan checked against the two systems' schemas before running: what would make records fail.
import type { FieldDescription, ObjectTypeDescription, SchemaDescription } from "@/connectors/types";
import { compatibility } from "@/lib/mapping/compatibility";
import { type FieldMapping, invalidValuePolicy } from "@/lib/mapping/field-mapping";
import { unidentifiedMappingWarning } from "@/lib/mapping/identity";
import { matchOption } from "@/lib/mapping/options";
import { isRelationRef } from "@/lib/mapping/values";
import { type MigrationPlan } from "./schema";

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

function checkMappings(
  mappings: FieldMapping[],
  source: ObjectTypeDescription,
  target: ObjectTypeDescription | undefined,
  issue: (severity: PlanIssue["severity"], message: string, field?: string) => void,
) {
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
        issue(
          "warning",
          `${from.label}: ${unmatched.map((option) => `"${option.label}"`).join(", ")} ${unmatched.length === 1 ? "has" : "have"} no matching option in ${to.label}; records with ${unmatched.length === 1 ? "it" : "them"} ${cost}`,
          to.key,
        );
      }
    }
  }
  if (!target) return;
  const mapped = new Set(mappings.map((mapping) => mapping.targetField));
  for (const field of target.fields) {
    if (field.required && !field.readOnly && !mapped.has(field.key))
      issue("error", `${field.label} is required in ${target.label} and nothing is mapped to it`, field.key);
  }
  const unidentified = unidentifiedMappingWarning(
    target,
    mappings.flatMap((mapping) => targetFieldOf(mapping, target) ?? []),
  );
  if (unidentified) issue("warning", unidentified);
}

/**
 * A required user field (a thread's author) fed by source users: without a fallback user, a
 * record whose user maps to nobody in the target (a note written through an API key) fails.
 */
function checkRequiredUsers(
  plan: MigrationPlan,
  mappings: FieldMapping[],
  target: ObjectTypeDescription | undefined,
  issue: (severity: PlanIssue["severity"], message: string, field?: string) => void,
) {
  if (plan.fallbackUserId !== null || !target) return;
  for (const mapping of mappings) {
    const to = target.fields.find((field) => field.key === mapping.targetField);
    if (!to || to.type !== "user" || !to.required || mapping.sourceField === null) continue;
    issue(
      "warning",
      `${to.label} is required in ${target.label}: records whose ${to.label.toLowerCase()} is not mapped to a user of the target fail. Choose a fallback user.`,
      to.key,
    );
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
          if (link !== null && !childTarget.fields.some((field) => field.key === link))
            childIssue("warning", `${childTarget.label} cannot be linked through "${link}" yet; the link is left out until the target has it`, link);
        }
      }
    }
  }
  return issues;
}
