// The demo's results, side by side: each sampled source record (as the demo stored it in its
// RunObject.selection), the target record the record map points at (read back from the target),
// and a field-by-field comparison along the plan's mappings. Bounded: a demo has a few records.
import { z } from "zod";
import type { CanonicalRecord, CanonicalValue, FieldDescription, SchemaDescription } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import { describeValue, isEmptyValue, isRelationRef, isUserRef } from "@/lib/mapping/values";
import { parsePlan, type MigrationPlan } from "@/lib/plan";
import { defaultSessionResolver, type SessionResolver } from "@/lib/migration/sessions";
import { findRun, type RunAccess } from "./access";
import { targetRecordUrl } from "./record-urls";

/** Target pages read per object to find the demo's records (records of other runs may come first). */
export const MAX_TARGET_PAGES = 20;
const TARGET_PAGE_SIZE = 100;

export type FieldComparison = {
  sourceField: string | null;
  sourceLabel: string;
  targetField: string;
  targetLabel: string;
  sourceValue: string;
  targetValue: string;
  /** same: equal after normalising; changed: transformed on the way (select options, formats); missing: the source had a value the target lacks; empty: nothing on either side. */
  outcome: "same" | "changed" | "missing" | "empty";
};

export type DemoRecordRow = {
  objectType: string;
  objectLabel: string;
  targetObjectType: string;
  sourceId: string;
  sourceTitle: string;
  targetId: string | null;
  targetUrl: string | null;
  status: string;
  error: string | null;
  /** Null for child records and when the target record could not be read. */
  fields: FieldComparison[] | null;
  parentSourceId: string | null;
};

export type DemoResults = {
  runId: string;
  status: string;
  records: DemoRecordRow[];
  failures: DemoRecordRow[];
  /** Why target records could not be read back, if they could not. */
  targetReadError: string | null;
};

const selectionSchema = z.array(z.custom<CanonicalRecord>((value) => typeof value === "object" && value !== null && "id" in value));

function normalize(text: string): string {
  return text
    .replace(/<[^>]+>/g, " ")
    .replace(/^https?:\/\/(www\.)?/i, "")
    .replace(/\/+$/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

function titleOf(record: CanonicalRecord): string {
  for (const key of ["name", "subject", "title", "email", "fullName"]) {
    const value = record.fields[key];
    if (!isEmptyValue(value)) return describeValue(value).slice(0, 80);
  }
  return record.id;
}

function labelOf(fields: FieldDescription[] | undefined, key: string | null): string {
  if (!key) return "(constant)";
  return fields?.find((field) => field.key === key)?.label ?? key;
}

type LinkLookup = (objectType: string, sourceId: string) => string | null;

export function compareField(sourceValue: CanonicalValue | undefined, targetValue: CanonicalValue | undefined, context: { linkOf: LinkLookup; userOf: (sourceUserId: string) => string | null }): FieldComparison["outcome"] {
  const sourceEmpty = isEmptyValue(sourceValue);
  const targetEmpty = isEmptyValue(targetValue);
  if (sourceEmpty && targetEmpty) return "empty";
  if (!sourceEmpty && targetEmpty) return "missing";
  if (sourceEmpty) return "changed";
  if (isRelationRef(sourceValue)) {
    const expected = context.linkOf(sourceValue.objectType, sourceValue.id);
    const actual = isRelationRef(targetValue) ? targetValue.id : Array.isArray(targetValue) && targetValue.length > 0 && isRelationRef(targetValue[0]) ? targetValue[0].id : null;
    return expected && actual === expected ? "same" : "changed";
  }
  if (isUserRef(sourceValue)) {
    const expected = context.userOf(sourceValue.id);
    return expected && isUserRef(targetValue) && targetValue.id === expected ? "same" : "changed";
  }
  return normalize(describeValue(sourceValue)) === normalize(describeValue(targetValue)) ? "same" : "changed";
}

async function readTargets(session: { read: (objectType: string, options: { pageSize: number }) => AsyncGenerator<{ records: CanonicalRecord[] }> }, objectType: string, wanted: Set<string>): Promise<Map<string, CanonicalRecord>> {
  const found = new Map<string, CanonicalRecord>();
  if (wanted.size === 0) return found;
  let pages = 0;
  // The contract has no read-by-id: page through the target object until every demo record is seen.
  for await (const page of session.read(objectType, { pageSize: TARGET_PAGE_SIZE })) {
    for (const record of page.records) if (wanted.has(record.id)) found.set(record.id, record);
    pages += 1;
    if (found.size === wanted.size || pages >= MAX_TARGET_PAGES) break;
  }
  return found;
}

export async function demoResults(database: Database, access: RunAccess, runId: string, options: { resolveSession?: SessionResolver } = {}): Promise<DemoResults> {
  const run = await findRun(database, access, runId);
  if (run.mode !== "demo") throw new UserFacingError("That run is not a demo run.");
  const migration = await database.migration.findUniqueOrThrow({ where: { id: run.migrationId }, select: { plan: true, organizationId: true, sourceConnectionId: true, targetConnectionId: true } });
  let plan: MigrationPlan | null = null;
  try {
    plan = parsePlan(migration.plan);
  } catch {
    plan = null;
  }
  const objects = await database.runObject.findMany({ where: { runId }, orderBy: { position: "asc" }, select: { objectType: true, targetObjectType: true, parentObjectType: true, selection: true } });
  const parents = objects.filter((object) => object.parentObjectType === null);
  const selections = new Map(parents.map((object) => {
    let records: CanonicalRecord[] = [];
    try {
      const parsed = selectionSchema.safeParse(JSON.parse(object.selection ?? "[]"));
      records = parsed.success ? parsed.data : [];
    } catch {
      records = [];
    }
    return [object.objectType, records] as const;
  }));

  const links = await database.recordLink.findMany({
    where: { migrationId: run.migrationId, OR: objects.map((object) => ({ objectType: object.objectType, OR: [{ runId }, { createdByRunId: runId }, { sourceId: { in: (selections.get(object.objectType) ?? []).map((record) => record.id) } }] })) },
    select: { objectType: true, sourceId: true, targetId: true, targetObjectType: true, status: true, errorMessage: true, parentSourceId: true },
  });
  const linkMap = new Map(links.map((link) => [`${link.objectType}\u0000${link.sourceId}`, link]));
  // Relations point at source object types; any link of the migration may resolve them.
  const relationTargets = new Map<string, string | null>();
  const linkOf: LinkLookup = (objectType, sourceId) => {
    const key = `${objectType}\u0000${sourceId}`;
    if (linkMap.has(key)) return linkMap.get(key)?.targetId ?? null;
    return relationTargets.get(key) ?? null;
  };
  const relationRefs = new Map<string, Set<string>>();
  for (const records of selections.values()) for (const record of records) for (const value of Object.values(record.fields)) if (isRelationRef(value)) relationRefs.set(value.objectType, (relationRefs.get(value.objectType) ?? new Set()).add(value.id));
  for (const [objectType, ids] of relationRefs) {
    const rows = await database.recordLink.findMany({ where: { migrationId: run.migrationId, objectType, sourceId: { in: [...ids] } }, select: { sourceId: true, targetId: true } });
    for (const row of rows) relationTargets.set(`${objectType}\u0000${row.sourceId}`, row.targetId);
  }
  const users = new Map((plan?.userMappings ?? []).map((mapping) => [mapping.sourceUserId, mapping.targetUserId ?? plan?.fallbackUserId ?? null]));
  const userOf = (id: string) => users.get(id) ?? plan?.fallbackUserId ?? null;

  // Read both schemas (labels) and the target records, unless the demo data is gone.
  let targetReadError: string | null = null;
  let sourceSchema: SchemaDescription | null = null;
  let targetSchema: SchemaDescription | null = null;
  const targetRecords = new Map<string, Map<string, CanonicalRecord>>();
  const readable = ["completed", "failed", "cancelled", "paused"].includes(run.status);
  if (readable && migration.sourceConnectionId && migration.targetConnectionId) {
    const resolve = options.resolveSession ?? defaultSessionResolver(database);
    try {
      const [source, target] = await Promise.all([resolve(migration.sourceConnectionId, migration.organizationId), resolve(migration.targetConnectionId, migration.organizationId)]);
      [sourceSchema, targetSchema] = await Promise.all([source.describe(), target.describe()]);
      for (const object of parents) {
        const wanted = new Set((selections.get(object.objectType) ?? []).map((record) => linkMap.get(`${object.objectType}\u0000${record.id}`)?.targetId).filter((id): id is string => Boolean(id)));
        targetRecords.set(object.objectType, await readTargets(target, object.targetObjectType, wanted));
      }
    } catch (error) {
      targetReadError = error instanceof Error ? error.message : "The target could not be read.";
    }
  }

  const records: DemoRecordRow[] = [];
  for (const object of parents) {
    const pair = plan?.objects.find((candidate) => candidate.sourceObject === object.objectType && candidate.targetObject === object.targetObjectType);
    const sourceFields = sourceSchema?.objectTypes.find((type) => type.key === object.objectType);
    const targetFields = targetSchema?.objectTypes.find((type) => type.key === object.targetObjectType);
    for (const record of selections.get(object.objectType) ?? []) {
      const link = linkMap.get(`${object.objectType}\u0000${record.id}`);
      const target = link?.targetId ? targetRecords.get(object.objectType)?.get(link.targetId) : undefined;
      const fields: FieldComparison[] | null =
        target && pair
          ? pair.fieldMappings.map((mapping) => {
              const sourceValue = mapping.sourceField ? record.fields[mapping.sourceField] : mapping.defaultValue;
              const targetValue = target.fields[mapping.targetField];
              return {
                sourceField: mapping.sourceField,
                sourceLabel: labelOf(sourceFields?.fields, mapping.sourceField),
                targetField: mapping.targetField,
                targetLabel: labelOf(targetFields?.fields, mapping.targetField),
                sourceValue: isEmptyValue(sourceValue) ? "" : describeValue(sourceValue).slice(0, 300),
                targetValue: isEmptyValue(targetValue) ? "" : describeValue(targetValue).slice(0, 300),
                outcome: compareField(sourceValue, targetValue, { linkOf, userOf }),
              };
            })
          : null;
      records.push({
        objectType: object.objectType,
        objectLabel: sourceFields?.label ?? object.objectType,
        targetObjectType: object.targetObjectType,
        sourceId: record.id,
        sourceTitle: titleOf(record),
        targetId: link?.targetId ?? null,
        targetUrl: link?.status === "removed" ? null : targetRecordUrl(run.migration.target, object.targetObjectType, link?.targetId ?? null),
        status: link?.status ?? "not processed",
        error: link?.errorMessage ?? null,
        fields,
        parentSourceId: null,
      });
      // Children (ticket messages → notes) travel with their parent: listed with their ids.
      for (const child of objects.filter((candidate) => candidate.parentObjectType === object.objectType)) {
        for (const childLink of links.filter((candidate) => candidate.objectType === child.objectType && candidate.parentSourceId === record.id)) {
          records.push({
            objectType: child.objectType,
            objectLabel: child.objectType,
            targetObjectType: child.targetObjectType,
            sourceId: childLink.sourceId,
            sourceTitle: `${child.objectType} of ${titleOf(record)}`,
            targetId: childLink.targetId,
            targetUrl: childLink.status === "removed" ? null : targetRecordUrl(run.migration.target, child.targetObjectType, childLink.targetId),
            status: childLink.status,
            error: childLink.errorMessage,
            fields: null,
            parentSourceId: record.id,
          });
        }
      }
    }
  }
  return { runId, status: run.status, records, failures: records.filter((record) => record.status === "failed"), targetReadError };
}
