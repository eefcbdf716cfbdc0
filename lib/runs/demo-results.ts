// The demo's results, side by side: each sampled source record (as the demo stored it in its
// RunObject.selection), the target record the record map points at (read back from the target),
// and a field-by-field comparison along the plan's mappings. Bounded: a demo has a few records.
import { z } from "zod";
import type { CanonicalRecord, CanonicalValue, FieldDescription, ObjectTypeDescription, SchemaDescription } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import { describeValue, isEmptyValue, isRelationRef, isUserRef } from "@/lib/mapping/values";
import { parsePlan, type MigrationPlan, type ObjectPair } from "@/lib/plan";
import { demoRunLinks, loadLinks } from "@/lib/migration/record-map";
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

export function compareField(
  sourceValue: CanonicalValue | undefined,
  targetValue: CanonicalValue | undefined,
  context: { linkOf: LinkLookup; userOf: (sourceUserId: string) => string | null },
): FieldComparison["outcome"] {
  const sourceEmpty = isEmptyValue(sourceValue);
  const targetEmpty = isEmptyValue(targetValue);
  if (sourceEmpty && targetEmpty) return "empty";
  if (!sourceEmpty && targetEmpty) return "missing";
  if (sourceEmpty) return "changed";
  if (isRelationRef(sourceValue)) {
    const expected = context.linkOf(sourceValue.objectType, sourceValue.id);
    const actual = isRelationRef(targetValue)
      ? targetValue.id
      : Array.isArray(targetValue) && targetValue.length > 0 && isRelationRef(targetValue[0])
        ? targetValue[0].id
        : null;
    return expected && actual === expected ? "same" : "changed";
  }
  if (isUserRef(sourceValue)) {
    const expected = context.userOf(sourceValue.id);
    return expected && isUserRef(targetValue) && targetValue.id === expected ? "same" : "changed";
  }
  return normalize(describeValue(sourceValue)) === normalize(describeValue(targetValue)) ? "same" : "changed";
}

async function readTargets(
  session: { read: (objectType: string, options: { pageSize: number }) => AsyncGenerator<{ records: CanonicalRecord[] }> },
  objectType: string,
  wanted: Set<string>,
): Promise<Map<string, CanonicalRecord>> {
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

type DemoObject = { objectType: string; targetObjectType: string; parentObjectType: string | null; selection: string | null };
type DemoLink = {
  objectType: string;
  sourceId: string;
  targetId: string | null;
  targetObjectType: string | null;
  status: string;
  errorMessage: string | null;
  parentSourceId: string | null;
};
type DemoRun = Awaited<ReturnType<typeof findRun>>;

const linkKey = (objectType: string, sourceId: string) => `${objectType}\u0000${sourceId}`;

function parsePlanOrNull(json: string): MigrationPlan | null {
  try {
    return parsePlan(json);
  } catch {
    return null;
  }
}

/** The records a demo took, as its RunObject stored them (nothing when the selection cannot be read). */
function parseSelection(selection: string | null): CanonicalRecord[] {
  try {
    const parsed = selectionSchema.safeParse(JSON.parse(selection ?? "[]"));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** The demo's links (its own and its selection's), and where the selection's relations point in the target. */
async function demoLinks(
  database: Database,
  run: DemoRun,
  objects: DemoObject[],
  selections: Map<string, CanonicalRecord[]>,
): Promise<{ links: DemoLink[]; linkMap: Map<string, DemoLink>; linkOf: LinkLookup }> {
  const runId = run.id;
  const links = await demoRunLinks(
    database,
    run.migrationId,
    runId,
    objects.map((object) => ({ objectType: object.objectType, sourceIds: (selections.get(object.objectType) ?? []).map((record) => record.id) })),
  );
  const linkMap = new Map(links.map((link) => [linkKey(link.objectType, link.sourceId), link]));
  // Relations point at source object types; any link of the migration may resolve them.
  const relationTargets = new Map<string, string | null>();
  const linkOf: LinkLookup = (objectType, sourceId) => {
    const key = linkKey(objectType, sourceId);
    if (linkMap.has(key)) return linkMap.get(key)?.targetId ?? null;
    return relationTargets.get(key) ?? null;
  };
  const relationRefs = new Map<string, Set<string>>();
  for (const records of selections.values())
    for (const record of records)
      for (const value of Object.values(record.fields))
        if (isRelationRef(value)) relationRefs.set(value.objectType, (relationRefs.get(value.objectType) ?? new Set()).add(value.id));
  for (const [objectType, ids] of relationRefs) {
    for (const [sourceId, link] of await loadLinks(database, run.migrationId, objectType, [...ids]))
      relationTargets.set(linkKey(objectType, sourceId), link.targetId);
  }
  return { links, linkMap, linkOf };
}

type TargetSide = {
  sourceSchema: SchemaDescription | null;
  targetSchema: SchemaDescription | null;
  targetRecords: Map<string, Map<string, CanonicalRecord>>;
  targetReadError: string | null;
};

/** Both schemas (labels) and the demo's target records, unless the demo data is gone. */
async function readTargetSide(
  database: Database,
  run: DemoRun,
  migration: { organizationId: string; sourceConnectionId: string | null; targetConnectionId: string | null },
  parents: DemoObject[],
  selections: Map<string, CanonicalRecord[]>,
  linkMap: Map<string, DemoLink>,
  resolveSession: SessionResolver | undefined,
): Promise<TargetSide> {
  const side: TargetSide = { sourceSchema: null, targetSchema: null, targetRecords: new Map(), targetReadError: null };
  const readable = ["completed", "failed", "cancelled", "paused"].includes(run.status);
  if (!readable || !migration.sourceConnectionId || !migration.targetConnectionId) return side;
  const resolve = resolveSession ?? defaultSessionResolver(database);
  try {
    const [source, target] = await Promise.all([
      resolve(migration.sourceConnectionId, migration.organizationId),
      resolve(migration.targetConnectionId, migration.organizationId),
    ]);
    [side.sourceSchema, side.targetSchema] = await Promise.all([source.describe(), target.describe()]);
    for (const object of parents) {
      const wanted = new Set(
        (selections.get(object.objectType) ?? [])
          .map((record) => linkMap.get(linkKey(object.objectType, record.id))?.targetId)
          .filter((id): id is string => Boolean(id)),
      );
      side.targetRecords.set(object.objectType, await readTargets(target, object.targetObjectType, wanted));
    }
  } catch (error) {
    side.targetReadError = error instanceof Error ? error.message : "The target could not be read.";
  }
  return side;
}

type CompareContext = { linkOf: LinkLookup; userOf: (sourceUserId: string) => string | null };

/** A record and its target record field by field, along the pair's mappings. */
function fieldComparisons(
  pair: ObjectPair,
  record: CanonicalRecord,
  target: CanonicalRecord,
  sourceFields: ObjectTypeDescription | undefined,
  targetFields: ObjectTypeDescription | undefined,
  context: CompareContext,
): FieldComparison[] {
  return pair.fieldMappings.map((mapping) => {
    const sourceValue = mapping.sourceField ? record.fields[mapping.sourceField] : mapping.defaultValue;
    const targetValue = target.fields[mapping.targetField];
    return {
      sourceField: mapping.sourceField,
      sourceLabel: labelOf(sourceFields?.fields, mapping.sourceField),
      targetField: mapping.targetField,
      targetLabel: labelOf(targetFields?.fields, mapping.targetField),
      sourceValue: isEmptyValue(sourceValue) ? "" : describeValue(sourceValue).slice(0, 300),
      targetValue: isEmptyValue(targetValue) ? "" : describeValue(targetValue).slice(0, 300),
      outcome: compareField(sourceValue, targetValue, context),
    };
  });
}

/** Children (ticket messages → notes) travel with their parent: listed with their ids. */
function childRows(run: DemoRun, objects: DemoObject[], links: DemoLink[], parent: DemoObject, record: CanonicalRecord): DemoRecordRow[] {
  const rows: DemoRecordRow[] = [];
  for (const child of objects.filter((candidate) => candidate.parentObjectType === parent.objectType)) {
    for (const childLink of links.filter((candidate) => candidate.objectType === child.objectType && candidate.parentSourceId === record.id)) {
      rows.push({
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
  return rows;
}

export async function demoResults(
  database: Database,
  access: RunAccess,
  runId: string,
  options: { resolveSession?: SessionResolver } = {},
): Promise<DemoResults> {
  const run = await findRun(database, access, runId);
  if (run.mode !== "demo") throw new UserFacingError("That run is not a demo run.");
  const migration = await database.migration.findUniqueOrThrow({
    where: { id: run.migrationId },
    select: { plan: true, organizationId: true, sourceConnectionId: true, targetConnectionId: true },
  });
  const plan = parsePlanOrNull(migration.plan);
  const objects = await database.runObject.findMany({
    where: { runId },
    orderBy: { position: "asc" },
    select: { objectType: true, targetObjectType: true, parentObjectType: true, selection: true },
  });
  const parents = objects.filter((object) => object.parentObjectType === null);
  const selections = new Map(parents.map((object) => [object.objectType, parseSelection(object.selection)] as const));
  const { links, linkMap, linkOf } = await demoLinks(database, run, objects, selections);
  const users = new Map((plan?.userMappings ?? []).map((mapping) => [mapping.sourceUserId, mapping.targetUserId ?? plan?.fallbackUserId ?? null]));
  const userOf = (id: string) => users.get(id) ?? plan?.fallbackUserId ?? null;
  const { sourceSchema, targetSchema, targetRecords, targetReadError } = await readTargetSide(
    database,
    run,
    migration,
    parents,
    selections,
    linkMap,
    options.resolveSession,
  );

  const records: DemoRecordRow[] = [];
  for (const object of parents) {
    const pair = plan?.objects.find((candidate) => candidate.sourceObject === object.objectType && candidate.targetObject === object.targetObjectType);
    const sourceFields = sourceSchema?.objectTypes.find((type) => type.key === object.objectType);
    const targetFields = targetSchema?.objectTypes.find((type) => type.key === object.targetObjectType);
    for (const record of selections.get(object.objectType) ?? []) {
      const link = linkMap.get(linkKey(object.objectType, record.id));
      const target = link?.targetId ? targetRecords.get(object.objectType)?.get(link.targetId) : undefined;
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
        fields: target && pair ? fieldComparisons(pair, record, target, sourceFields, targetFields, { linkOf, userOf }) : null,
        parentSourceId: null,
      });
      records.push(...childRows(run, objects, links, object, record));
    }
  }
  return { runId, status: run.status, records, failures: records.filter((record) => record.status === "failed"), targetReadError };
}
