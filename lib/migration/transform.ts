// One source record → one target-shaped record, following a plan's object pair. Pure: relations
// and users are resolved through callbacks (the engine answers them from the record map and the
// plan's user mappings). Every problem is data with a code and a message for the report; a
// record with problems is not written. A value the target cannot hold costs the value, not the
// record (the mapping's onInvalid policy): repaired where safe, else left out, and either way a
// warning on the record keeps the original value for the report.
import type { CanonicalRecord, CanonicalValue, FieldDescription, ObjectTypeDescription, RelationRef, UserRef } from "@/connectors/types";
import { invalidValuePolicy } from "@/lib/mapping/field-mapping";
import type { FieldMapping, InvalidValuePolicy } from "@/lib/mapping/field-mapping";
import { labelOf } from "@/lib/mapping/options";
import { acceptsManyRelations, repairValue, transformValue } from "@/lib/mapping/transform-value";
import { describeValue, isAddress, isEmptyValue, isFullName, isRelationRef, isStringList, isUserRef } from "@/lib/mapping/values";
import { targetFieldOf } from "@/lib/plan";
import type { ChildObjectPair, MigrationPlan, ObjectPair } from "@/lib/plan";

/** Tag added to migrated records when plan.options.tagMigratedRecords is on. */
export const MIGRATED_TAG = "migrated-by-ferry";

export type RecordProblemCode = "VALIDATION" | "BROKEN_RELATION" | "MISSING_REQUIRED";
/** `field` is the source field the user would fix (the target field for constants and unmapped required fields). */
export type RecordProblem = { field: string; code: RecordProblemCode; message: string };

/** What Ferry did with a value the target could not hold as it was. */
export type WarningAction = "repaired" | "dropped";
/** A record written with a changed or missing value; `original` is the source value as text. */
export type RecordWarning = { field: string; action: WarningAction; original: string; message: string };

export type Resolver = {
  /** Target id of a migrated record (from the record map); null when it was not migrated. */
  relation(ref: RelationRef): string | null;
  /** Why a related record has no target id ("customers record cus_1, which failed: …"); optional. */
  whyMissing?(ref: RelationRef): string;
  /** Target user id (user mappings, then the fallback user); null when none applies. */
  user(ref: UserRef): string | null;
};

export type TransformedRecord = { record: CanonicalRecord; problems: RecordProblem[]; warnings: RecordWarning[] };
export type TransformedChild = TransformedRecord & { sourceId: string };

type Schemas = { source: ObjectTypeDescription; target: ObjectTypeDescription };

/**
 * Where addresses written in place of unusable ones point: `.invalid` is reserved (RFC 2606) and
 * never receives mail, so a target that emails its customers cannot reach a stranger.
 */
export const PLACEHOLDER_EMAIL_DOMAIN = "ferry.invalid";

/** The address a record gets when its own cannot be written and the target requires one; stable per source record, so reruns find it. */
export function placeholderEmail(sourceId: string): string {
  const local =
    sourceId
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "record";
  return `no-email+${local}@${PLACEHOLDER_EMAIL_DOMAIN}`;
}

/** A resolver for users from the plan alone: by source id, then by email, then the fallback user. */
export function planUserResolver(plan: MigrationPlan): (ref: UserRef) => string | null {
  const byId = new Map(plan.userMappings.map((mapping) => [mapping.sourceUserId, mapping]));
  const byEmail = new Map(
    plan.userMappings.filter((mapping) => mapping.sourceEmail).map((mapping) => [mapping.sourceEmail?.trim().toLowerCase() as string, mapping]),
  );
  return (ref) => {
    const mapping = byId.get(ref.id) ?? (ref.email ? byEmail.get(ref.email.trim().toLowerCase()) : undefined);
    return mapping?.targetUserId ?? plan.fallbackUserId;
  };
}

// ---------------------------------------------------------------------------------------------
// Field by field
// ---------------------------------------------------------------------------------------------

function relationsOf(value: CanonicalValue): RelationRef[] | null {
  if (isRelationRef(value)) return [value];
  if (Array.isArray(value) && value.every(isRelationRef)) return value as RelationRef[];
  return null;
}

/** Combines partial names and addresses written by several mappings into one target field. */
function merge(existing: CanonicalValue | undefined, next: CanonicalValue): CanonicalValue {
  if (isEmptyValue(existing)) return next;
  if (isEmptyValue(next)) return existing as CanonicalValue;
  if (isFullName(existing) && isFullName(next)) {
    return { firstName: existing.firstName || next.firstName, lastName: existing.lastName || next.lastName };
  }
  if (isAddress(existing) && isAddress(next)) return { ...next, ...Object.fromEntries(Object.entries(existing).filter(([, part]) => part)) };
  if (Array.isArray(existing) && Array.isArray(next) && existing.every(isRelationRef) && next.every(isRelationRef)) {
    const refs = [...(existing as RelationRef[]), ...(next as RelationRef[])];
    return refs.filter((ref, index) => refs.findIndex((other) => other.id === ref.id && other.objectType === ref.objectType) === index);
  }
  // Two mappings into one plain field: the first one with a value wins.
  return existing as CanonicalValue;
}

type MappedFields = { fields: Record<string, CanonicalValue>; problems: RecordProblem[]; warnings: RecordWarning[] };

function missingText(ref: RelationRef, resolve: Resolver): string {
  return (
    resolve.whyMissing?.(ref) ??
    `${ref.objectType} record ${ref.id}, which was not migrated (it failed, was left out by a filter, or its object is not in the plan)`
  );
}

/**
 * Resolves a source value's users and relations to target ids. A link to a record that was not
 * migrated is left out with a warning, unless the policy is strict or the target requires the
 * link: then it is a BROKEN_RELATION problem naming the missing record.
 */
function resolveReferences(
  value: CanonicalValue,
  from: FieldDescription,
  to: FieldDescription,
  policy: InvalidValuePolicy,
  resolve: Resolver,
  plan: MigrationPlan,
  out: Omit<MappedFields, "fields">,
): CanonicalValue {
  if (to.type === "user") {
    if (isUserRef(value)) {
      const targetId = resolve.user(value);
      return targetId === null ? null : { id: targetId, email: value.email, ...(value.name ? { name: value.name } : {}) };
    }
    // A customer who wrote a message stays its author where the target lets the records the
    // customer became author it (Teamwork Desk threads: `relatesTo` customers); elsewhere (a
    // Twenty member field) a customer is no user and none is set.
    if (!isRelationRef(value) || to.relatesTo === undefined || targetObjectOf(plan, value.objectType) !== to.relatesTo) return null;
    return resolveRelations(value, from, to, policy, resolve, out);
  }
  if (to.type !== "relation" || from.type !== "relation") return value;
  return resolveRelations(value, from, to, policy, resolve, out);
}

/** The target object the plan writes a source object's records to. */
function targetObjectOf(plan: MigrationPlan, sourceObject: string): string | undefined {
  return plan.objects.find((pair) => pair.enabled && pair.sourceObject === sourceObject)?.targetObject;
}

function resolveRelations(
  value: CanonicalValue,
  from: FieldDescription,
  to: FieldDescription,
  policy: InvalidValuePolicy,
  resolve: Resolver,
  out: Omit<MappedFields, "fields">,
): CanonicalValue {
  const refs = relationsOf(value);
  if (refs === null) return value;
  const resolved: RelationRef[] = [];
  for (const ref of refs) {
    const targetId = resolve.relation(ref);
    if (targetId !== null) {
      resolved.push({ objectType: to.relatesTo ?? ref.objectType, id: targetId });
      continue;
    }
    const why = missingText(ref, resolve);
    if (policy === "fail" || to.required) {
      out.problems.push({ field: from.key, code: "BROKEN_RELATION", message: `${from.label}: ${ref.objectType} ${ref.id} was not migrated: links to ${why}` });
      continue;
    }
    out.warnings.push({
      field: from.key,
      action: "dropped",
      original: `${ref.objectType} ${ref.id}`,
      message: `${from.label}: written without the link to ${why}`,
    });
  }
  if (resolved.length === 0) return null;
  return Array.isArray(value) ? resolved : resolved[0];
}

/**
 * A value transformValue refused, under the mapping's policy: repaired (converted again after a
 * safe repair), left out, or a problem failing the record. Warnings keep the original value.
 */
function settleInvalid(
  sourceId: string,
  raw: CanonicalValue,
  value: CanonicalValue,
  from: FieldDescription,
  to: FieldDescription,
  mapping: FieldMapping,
  reason: string,
  out: Omit<MappedFields, "fields">,
): CanonicalValue {
  const policy = invalidValuePolicy(mapping.transform);
  if (policy === "fail") {
    out.problems.push({ field: from.key, code: "VALIDATION", message: `${from.label}: ${reason}` });
    return null;
  }
  const original = describeValue(raw);
  if (policy === "repair") {
    const repair = repairValue(value, from, to);
    const repaired = repair
      ? transformValue(repair.value, from, to, { options: mapping.transform, valueMap: mapping.valueMap, defaultValue: mapping.defaultValue })
      : null;
    if (repair && repaired?.ok && !isEmptyValue(repaired.value)) {
      out.warnings.push({
        field: from.key,
        action: "repaired",
        original,
        message: `${from.label}: ${repair.change} (written as "${describeValue(repaired.value)}")`,
      });
      return repaired.value;
    }
  }
  if (to.type === "email" && to.required) {
    // The target cannot hold the record without an address (Teamwork Desk customers): a
    // placeholder unique to the record keeps the record, and the person's tickets, in the run.
    const placeholder = placeholderEmail(sourceId);
    out.warnings.push({
      field: from.key,
      action: "dropped",
      original,
      message: `${from.label}: ${reason}; written as the placeholder ${placeholder}, since ${to.label} is required (replace it with the real address in the target)`,
    });
    return placeholder;
  }
  out.warnings.push({
    field: from.key,
    action: "dropped",
    original,
    message: `${from.label}: ${reason}; written without it (the original value is kept in the run's warnings)`,
  });
  return null;
}

function mapFields(mappings: FieldMapping[], source: CanonicalRecord, schemas: Schemas, resolve: Resolver, plan: MigrationPlan): MappedFields {
  const fields: Record<string, CanonicalValue> = {};
  const problems: RecordProblem[] = [];
  const warnings: RecordWarning[] = [];
  const out = { problems, warnings };
  const defaults = new Map<string, CanonicalValue>();
  for (const mapping of mappings) {
    const to = targetFieldOf(mapping, schemas.target);
    if (!to) {
      problems.push({ field: mapping.targetField, code: "VALIDATION", message: `${schemas.target.label} has no field "${mapping.targetField}"` });
      continue;
    }
    if (to.readOnly) {
      problems.push({ field: to.key, code: "VALIDATION", message: `${to.label} is read-only in ${schemas.target.label}` });
      continue;
    }
    if (mapping.defaultValue !== undefined && !defaults.has(to.key)) defaults.set(to.key, mapping.defaultValue);
    if (mapping.sourceField === null) continue;
    const from = schemas.source.fields.find((field) => field.key === mapping.sourceField);
    if (!from) {
      problems.push({ field: mapping.sourceField, code: "VALIDATION", message: `${schemas.source.label} has no field "${mapping.sourceField}"` });
      continue;
    }
    const raw = source.fields[from.key] ?? null;
    const value = resolveReferences(raw, from, to, invalidValuePolicy(mapping.transform), resolve, plan, out);
    const result = transformValue(value, from, to, { options: mapping.transform, valueMap: mapping.valueMap, defaultValue: mapping.defaultValue });
    const converted = result.ok ? result.value : settleInvalid(source.id, raw, value, from, to, mapping, result.message, out);
    if (!isEmptyValue(converted)) fields[to.key] = merge(fields[to.key], converted);
  }
  // The mapping's default fills a field the source left empty (constants too).
  for (const [key, value] of defaults) if (isEmptyValue(fields[key])) fields[key] = value;
  return { fields, problems, warnings };
}

function checkRequired(
  sourceId: string,
  fields: Record<string, CanonicalValue>,
  mappings: FieldMapping[],
  schemas: Schemas,
  problems: RecordProblem[],
  warnings: RecordWarning[],
) {
  for (const field of schemas.target.fields) {
    if (!field.required || field.readOnly || !isEmptyValue(fields[field.key])) continue;
    const mapping = mappings.find((candidate) => candidate.targetField === field.key);
    const from = mapping?.sourceField ? schemas.source.fields.find((candidate) => candidate.key === mapping.sourceField) : undefined;
    // A field that already failed says why; "required" would repeat it.
    if (from && problems.some((problem) => problem.field === from.key)) continue;
    // A value left out cannot leave a required field empty: the record fails, naming the value.
    const dropped = from ? warnings.find((warning) => warning.field === from.key && warning.action === "dropped") : undefined;
    if (dropped) {
      problems.push({
        field: dropped.field,
        code: "VALIDATION",
        message: `${dropped.message.replace(/; written without it.*$/, "")}, and ${field.label} is required in ${schemas.target.label}`,
      });
      continue;
    }
    if (from && mapping && field.type === "email" && invalidValuePolicy(mapping.transform) !== "fail") {
      // As for an unusable address (settleInvalid): the record arrives under a placeholder.
      fields[field.key] = placeholderEmail(sourceId);
      warnings.push({
        field: from.key,
        action: "dropped",
        original: "",
        message: `${from.label} is empty in this record; written as the placeholder ${placeholderEmail(sourceId)}, since ${field.label} is required (replace it with the real address in the target)`,
      });
      continue;
    }
    const message = !mapping
      ? `${field.label} is required in ${schemas.target.label} and nothing is mapped to it`
      : from
        ? `${field.label} is required in ${schemas.target.label}, but ${from.label} is empty in this record (set a default value on the mapping to fill it)`
        : `${field.label} is required in ${schemas.target.label} and the mapping has no value`;
    problems.push({ field: from?.key ?? field.key, code: "MISSING_REQUIRED", message });
  }
}

function withoutEmpty(fields: Record<string, CanonicalValue>): Record<string, CanonicalValue> {
  // Empty values are left out: a create needs nothing, and an update never clears a target value.
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => !isEmptyValue(value)));
}

function tagMigrated(fields: Record<string, CanonicalValue>, target: ObjectTypeDescription, plan: MigrationPlan) {
  if (!plan.options.tagMigratedRecords) return;
  const tags = target.fields.find((field) => field.type === "tags" && field.key === "tags" && !field.readOnly);
  if (!tags) return;
  const current = fields[tags.key];
  fields[tags.key] = [...(isStringList(current) ? current : []), MIGRATED_TAG].filter((tag, index, all) => all.indexOf(tag) === index);
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/**
 * The target-shaped record for `source` under `pair`: target field keys, relations as
 * RelationRefs to target ids, users as UserRefs carrying the target user id. The record keeps
 * the source id (the writer reports back by it) and the source's createdAt/updatedAt.
 * Children in "children" mode travel inside (record.children); "records" mode children are
 * written separately with transformChildren once the parent has a target id.
 */
export function transformRecord(
  pair: ObjectPair,
  source: CanonicalRecord,
  schemas: Schemas,
  resolve: Resolver,
  plan: MigrationPlan,
  childSchemas: Record<string, Schemas> = {},
): TransformedRecord {
  const { fields, problems, warnings } = mapFields(pair.fieldMappings, source, schemas, resolve, plan);
  checkRequired(source.id, fields, pair.fieldMappings, schemas, problems, warnings);
  tagMigrated(fields, schemas.target, plan);
  const record: CanonicalRecord = {
    id: source.id,
    objectType: pair.targetObject,
    createdAt: source.createdAt,
    updatedAt: source.updatedAt,
    fields: withoutEmpty(fields),
  };
  if (source.attachments?.length && !plan.options.skipAttachments) record.attachments = source.attachments;
  for (const child of pair.childObjects.filter((candidate) => candidate.enabled && candidate.mode === "children")) {
    const childSchema = childSchemas[child.childKey];
    if (!childSchema) {
      problems.push({ field: child.childKey, code: "VALIDATION", message: `No description of ${child.childKey} was given to transform them` });
      continue;
    }
    const children = transformChildren(pair, child, source, null, childSchema, resolve, plan);
    // Keyed as the target names its child type (Twenty's ticketNotes arrive as Desk's messages).
    record.children = { ...record.children, [child.targetObject]: children.map((item) => item.record) };
    for (const item of children) {
      for (const problem of item.problems) problems.push({ ...problem, field: `${child.childKey}[${item.sourceId}].${problem.field}` });
      for (const warning of item.warnings) warnings.push({ ...warning, field: `${child.childKey}[${item.sourceId}].${warning.field}` });
    }
  }
  return { record, problems, warnings };
}

function findSelectLabel(child: CanonicalRecord, schema: ObjectTypeDescription, keys: string[]): string | null {
  for (const key of keys) {
    const field = schema.fields.find((candidate) => candidate.key === key);
    const value = child.fields[key];
    if (field && typeof value === "string" && value !== "") return labelOf(value, field.options);
  }
  return null;
}

function titleFor(template: string, child: CanonicalRecord, parent: CanonicalRecord, schema: ObjectTypeDescription): string {
  const author = child.fields.author;
  const authorType = findSelectLabel(child, schema, ["authorType"]);
  const authorName = isUserRef(author)
    ? (author.name ?? author.email ?? "an agent")
    : (authorType ?? "the customer").toLowerCase() === "customer"
      ? "the customer"
      : (authorType ?? "unknown");
  const parentTitle = ["subject", "title", "name"]
    .map((key) => parent.fields[key])
    .find((value): value is string => typeof value === "string" && value.trim() !== "");
  const values: Record<string, string> = {
    kind: findSelectLabel(child, schema, ["kind", "threadType", "type"]) ?? "Message",
    author: authorName,
    date: child.createdAt?.slice(0, 10) ?? "",
    parent: parentTitle ?? parent.id,
  };
  return template.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match).trim();
}

/**
 * A parent's children (ticket messages) as target records. In "records" mode each child is
 * linked to the parent's migrated record (parentLink) and to the records the parent points at
 * (alsoLink: the ticket's customer → the note's people); a link whose record was not migrated
 * is left out with a warning, and a child that ends up linked to nothing is a BROKEN_RELATION
 * problem naming the parent. `parentTargetId` is null in "children" mode (the children travel
 * inside the parent), or in "records" mode when the parent was not migrated: `parentMissing`
 * then says why ("which failed: …").
 */
export function transformChildren(
  pair: ObjectPair,
  child: ChildObjectPair,
  parent: CanonicalRecord,
  parentTargetId: string | null,
  schemas: Schemas,
  resolve: Resolver,
  plan: MigrationPlan,
  parentMissing: string | null = null,
): TransformedChild[] {
  const children = parent.children?.[child.childKey] ?? [];
  const parentName = `${pair.sourceObject} record ${parent.id}`;
  return children.map((item) => {
    const { fields, problems, warnings } = mapFields(child.fieldMappings, item, schemas, resolve, plan);
    if (child.titleField && isEmptyValue(fields[child.titleField])) fields[child.titleField] = titleFor(child.titleTemplate, item, parent, schemas.source);
    if (child.mode === "records") {
      const link = (targetKey: string, refs: RelationRef[]) => {
        // A link the target cannot hold yet (Twenty notes before the Tickets object exists) is left out.
        const field = schemas.target.fields.find((candidate) => candidate.key === targetKey);
        if (!field) return;
        const current = fields[targetKey];
        fields[targetKey] = acceptsManyRelations(field)
          ? merge(Array.isArray(current) ? current : isRelationRef(current) ? [current] : null, refs)
          : (refs[0] ?? null);
      };
      if (child.parentLink && parentTargetId !== null) link(child.parentLink, [{ objectType: pair.targetObject, id: parentTargetId }]);
      const unlinked: string[] = [];
      for (const { parentField, targetField } of child.alsoLink) {
        const refs = relationsOf(parent.fields[parentField] ?? null) ?? [];
        const field = schemas.target.fields.find((candidate) => candidate.key === targetField);
        const resolved = refs.flatMap((ref) => {
          const id = resolve.relation(ref);
          if (id === null) unlinked.push(missingText(ref, resolve));
          return id === null ? [] : [{ objectType: field?.relatesTo ?? ref.objectType, id }];
        });
        if (resolved.length > 0) link(targetField, resolved);
      }
      const linked = [child.parentLink, ...child.alsoLink.map((also) => also.targetField)].some((key) => key !== null && !isEmptyValue(fields[key]));
      const why = parentMissing ? `${parentName}, ${parentMissing}` : `${parentName}`;
      if (!linked) {
        const retry = parentMissing ? "; Retry failed records writes it once its parent is migrated" : "";
        const missing = parentMissing
          ? [why, ...unlinked].join("; and ")
          : `${parent.id} and the records it points at were not migrated, or ${schemas.target.label} cannot link to them`;
        problems.push({
          field: child.parentLink ?? child.childKey,
          code: "BROKEN_RELATION",
          message: `Would be linked to no migrated record: ${missing}${retry}`,
        });
      } else if (parentMissing && child.parentLink) {
        warnings.push({
          field: child.parentLink,
          action: "dropped",
          original: `${pair.sourceObject} ${parent.id}`,
          message: `Written without the link to ${why}`,
        });
      }
    }
    checkRequired(item.id, fields, child.fieldMappings, schemas, problems, warnings);
    const record: CanonicalRecord = {
      id: item.id,
      objectType: child.targetObject,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      fields: withoutEmpty(fields),
    };
    if (item.attachments?.length && !plan.options.skipAttachments) record.attachments = item.attachments;
    return { sourceId: item.id, record, problems, warnings };
  });
}
