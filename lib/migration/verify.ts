// Verification: after every run (and on demand) the target is read back and compared with the
// record map, per object: selected in the source vs created+updated+skipped+failed, linked
// records found in the target, relations intact, owners/assignees as mapped, mapped custom
// fields filled, no duplicates on unique keys. Stored on Run.verification; clean = no discrepancy.
// It streams: the target is read page by page (links looked up per batch of 2,000 records) and the
// links are paged, so memory is one batch plus ~16 bytes per target record and 8 per unique value
// (hashes, verify-tally.ts), not the records, their links or their values.
import { z } from "zod";
import type { CanonicalRecord, CanonicalValue, FieldDescription, ObjectTypeDescription } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { isEmptyValue, isRelationRef, isUserRef } from "@/lib/mapping/values";
import { loadRun, openSessions, type RunRow } from "./context";
import { parseJsonColumn, withConflictRetry } from "./database";
import { eventData, plural } from "./events";
import { RESOLVABLE_STATUSES, expectedSchema, linkPage, linkedObjectTypes, type Expected, type LinkPageRow } from "./record-map";
import type { SessionResolver, SideSession } from "./sessions";
import { IdHashSet, UniqueValueTally, type DuplicateGroups } from "./verify-tally";

export const VERIFY_PAGE_SIZE = 200;
/** Target records whose links are looked up in one query (a few pages' worth, held until then). */
export const VERIFY_LINK_BATCH = 2_000;
/** Record links read per query when counting an object's linked and missing records. */
export const VERIFY_LINK_PAGE_SIZE = 10_000;
const MAX_EXAMPLES = 5;
const MAX_MISSING = 20;

const checkSchema = z.object({ checked: z.number().int(), problems: z.number().int(), examples: z.array(z.string()) });

export const objectVerificationSchema = z.object({
  objectType: z.string(),
  targetObjectType: z.string(),
  parentObjectType: z.string().nullable(),
  selected: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  /** Entries of the record map this run settled (any status but pending); equals processed when consistent. */
  mapped: z.number().int(),
  /** Selected records the run never processed (cancelled, or the source shrank). */
  unprocessed: z.number().int(),
  /** Linked target ids (created, updated, or skipped onto an existing record) looked for in the target. */
  linked: z.number().int(),
  found: z.number().int(),
  missing: z.array(z.string()),
  /** confirmedOnWrite: relations kept as separate link rows, confirmed row by row when written and not read again (a standard verification). */
  relations: checkSchema.extend({ confirmedOnWrite: z.number().int().optional() }),
  owners: checkSchema.extend({ unmapped: z.number().int() }),
  customFields: checkSchema,
  duplicates: checkSchema,
  discrepancies: z.array(z.string()),
});
export type ObjectVerification = z.infer<typeof objectVerificationSchema>;

export const verificationReportSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  mode: z.string(),
  checkedAt: z.string(),
  clean: z.boolean(),
  objects: z.array(objectVerificationSchema),
  discrepancies: z.array(z.string()),
  /** Facts that are not discrepancies (failed records, users the plan leaves unmapped). */
  notes: z.array(z.string()),
});
export type VerificationReport = z.infer<typeof verificationReportSchema>;

export function parseVerification(text: string | null): VerificationReport | null {
  return parseJsonColumn<VerificationReport | null>(text, verificationReportSchema, null);
}

function idsIn(value: CanonicalValue | undefined): string[] {
  if (isRelationRef(value)) return [value.id];
  if (Array.isArray(value)) return (value as unknown[]).filter(isRelationRef).map((ref) => ref.id);
  return [];
}

function normalized(value: CanonicalValue | undefined): string | null {
  if (typeof value === "string")
    return (
      value
        .trim()
        .toLowerCase()
        .replace(/^https?:\/\/(www\.)?/, "")
        .replace(/\/+$/, "") || null
    );
  if (typeof value === "number") return String(value);
  return null;
}

/** pendingMode "refresh": written, but not finished (a link row met a 429): written again later, so not confirmed yet. */
type LinkForCheck = { sourceId: string; targetId: string | null; status: string; expected: string | null; pendingMode?: string | null };
type Check = { checked: number; problems: number; examples: string[] };
type ObjectCounts = {
  objectType: string;
  targetObjectType: string;
  parentObjectType: string | null;
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  mapped: number;
};

function check(): Check {
  return { checked: 0, problems: 0, examples: [] };
}

function note(target: { problems: number; examples: string[] }, example: string) {
  target.problems += 1;
  if (target.examples.length < MAX_EXAMPLES) target.examples.push(example);
}

/** What the target records linked from one object hold compared with what the run wrote. */
export type ContentChecks = { relations: Check & { confirmedOnWrite: number }; owners: Check & { unmapped: number }; customFields: Check };

export function contentChecks(): ContentChecks {
  return { relations: { ...check(), confirmedOnWrite: 0 }, owners: { ...check(), unmapped: 0 }, customFields: check() };
}

/**
 * Checks one linked record found in the target: relations, owners/assignees and custom fields as
 * written. `separateRelationsRead: false`: the target was read without its link rows, so a relation
 * field absent from the record was confirmed when written (the writer had each row's answer) and is
 * counted as such; one present is checked as usual.
 */
export function checkLinkedRecord(checks: ContentChecks, link: LinkForCheck, record: CanonicalRecord, separateRelationsRead = true): void {
  if (link.status !== "created" && link.status !== "updated") return;
  const expected: Expected | null = parseJsonColumn<Expected | null>(link.expected, expectedSchema, null);
  if (!expected) return;
  const { relations, owners, customFields } = checks;
  for (const [field, ids] of Object.entries(expected.relations)) {
    if (!separateRelationsRead && !(field in record.fields)) {
      if (link.pendingMode === "refresh") note(relations, `${link.sourceId}: ${field} is not finished (its link rows are written again)`);
      else relations.confirmedOnWrite += 1;
      continue;
    }
    relations.checked += 1;
    const actual = new Set(idsIn(record.fields[field]));
    const lost = ids.filter((id) => !actual.has(id));
    if (lost.length > 0) note(relations, `${link.sourceId}: ${field} should point at ${lost.join(", ")}`);
  }
  for (const [field, id] of Object.entries(expected.users)) {
    owners.checked += 1;
    const actual = record.fields[field];
    if (!isUserRef(actual) || actual.id !== id) note(owners, `${link.sourceId}: ${field} should be user ${id}`);
  }
  if (expected.unmappedUsers.length > 0) owners.unmapped += 1;
  for (const field of expected.custom) {
    customFields.checked += 1;
    if (isEmptyValue(record.fields[field])) note(customFields, `${link.sourceId}: ${field} is empty`);
  }
}

/** The target's unique fields the duplicate check looks at. */
export function uniqueFields(targetSchema: ObjectTypeDescription | undefined): FieldDescription[] {
  return (targetSchema?.fields ?? []).filter((candidate) => candidate.unique && candidate.type !== "relation");
}

/**
 * Duplicates on the target's unique fields, among value groups holding a record this migration
 * wrote, over a stream of target records (each id once): `count` every record, then, only when
 * `settle()` finds duplicates, `collect` the same records again to name the first groups (value
 * and up to 3 ids). Keeps 8 bytes per record and field (UniqueValueTally), not the values.
 */
export class DuplicateCheck {
  private readonly tallies: UniqueValueTally[];
  private settled: {
    field: FieldDescription;
    distinct: number;
    groups: DuplicateGroups;
    wanted: number;
    named: Map<number, { value: string; ids: string[] }>;
  }[] = [];

  constructor(private readonly fields: FieldDescription[]) {
    this.tallies = fields.map(() => new UniqueValueTally());
  }

  /** False when the target object has no unique field to check. */
  get active(): boolean {
    return this.fields.length > 0;
  }

  count(record: CanonicalRecord, written: boolean): void {
    for (const [index, field] of this.fields.entries()) {
      const value = normalized(record.fields[field.key]);
      if (value !== null) this.tallies[index].add(value, written);
    }
  }

  /** Ends counting; true when duplicate groups are to be named by a second pass (`collect`). */
  settle(): boolean {
    let examples = 0;
    this.settled = this.fields.map((field, index) => {
      const { distinct, duplicates } = this.tallies[index].settle();
      const wanted = Math.min(duplicates.count, MAX_EXAMPLES - examples);
      examples += wanted;
      return { field, distinct, groups: duplicates, wanted, named: new Map() };
    });
    return examples > 0;
  }

  collect(record: CanonicalRecord): void {
    for (const field of this.settled) {
      if (field.wanted === 0) continue;
      const value = normalized(record.fields[field.field.key]);
      if (value === null) continue;
      const group = field.groups.indexOf(value);
      if (group < 0) continue;
      const named = field.named.get(group);
      if (named) {
        if (named.ids.length < 3 && !named.ids.includes(record.id)) named.ids.push(record.id);
      } else if (field.named.size < field.wanted) {
        field.named.set(group, { value, ids: [record.id] });
      }
    }
  }

  result(): Check {
    const duplicates = check();
    for (const { field, distinct, groups, wanted, named } of this.settled) {
      duplicates.checked += distinct;
      duplicates.problems += groups.count;
      const examples = [...named].map(([group, { value, ids }]) => `${field.key} "${value}" is held by ${groups.sizes[group]} records (${ids.join(", ")})`);
      // A group gone when the target was read again (it changed meanwhile) is counted, not named.
      for (let group = 0; examples.length < wanted && group < groups.count; group += 1)
        if (!named.has(group)) examples.push(`${field.key}: one value is held by ${groups.sizes[group]} records`);
      duplicates.examples.push(...examples);
    }
    return duplicates;
  }
}

/** The report for one object from its counts and checks (the wording of its discrepancies). */
export function objectReport(
  object: ObjectCounts,
  links: { linked: number; found: number; missingCount: number; missing: string[] },
  checks: ContentChecks,
  duplicates: Check,
  labels: { target: string },
): ObjectVerification {
  const { relations, owners, customFields } = checks;
  const { missingCount, missing } = links;
  const unprocessed = Math.max(0, object.total - object.processed);
  const name = object.objectType;
  const discrepancies: string[] = [];
  if (unprocessed > 0) discrepancies.push(`${name}: ${plural(unprocessed, "selected record")} ${unprocessed === 1 ? "was" : "were"} never processed.`);
  if (object.mapped !== object.processed)
    discrepancies.push(
      `${name}: the record map holds ${object.mapped.toLocaleString("en")} entries for ${object.processed.toLocaleString("en")} processed records.`,
    );
  if (missingCount > 0)
    discrepancies.push(
      `${name}: ${plural(missingCount, "linked record")} ${missingCount === 1 ? "is" : "are"} missing from ${labels.target} (${missing.slice(0, MAX_EXAMPLES).join(", ")}).`,
    );
  if (relations.problems > 0) discrepancies.push(`${name}: ${plural(relations.problems, "relation")} not intact (${relations.examples[0]}).`);
  if (owners.problems > 0)
    discrepancies.push(`${name}: ${plural(owners.problems, "owner or assignee", "owners or assignees")} not as mapped (${owners.examples[0]}).`);
  if (customFields.problems > 0) discrepancies.push(`${name}: ${plural(customFields.problems, "custom field value")} missing (${customFields.examples[0]}).`);
  if (duplicates.problems > 0)
    discrepancies.push(
      `${labels.target} ${object.targetObjectType}: ${plural(duplicates.problems, "duplicate")} on unique fields (${duplicates.examples[0]}).`,
    );
  return {
    objectType: object.objectType,
    targetObjectType: object.targetObjectType,
    parentObjectType: object.parentObjectType,
    selected: object.total,
    created: object.created,
    updated: object.updated,
    skipped: object.skipped,
    failed: object.failed,
    mapped: object.mapped,
    unprocessed,
    linked: links.linked,
    found: links.found,
    missing: missing.slice(0, MAX_MISSING),
    // Only a standard verification that met link rows says how many it took as confirmed when written.
    relations: relations.confirmedOnWrite > 0 ? relations : { checked: relations.checked, problems: relations.problems, examples: relations.examples },
    owners,
    customFields,
    duplicates,
    discrepancies,
  };
}

/**
 * One object checked against target records held in memory (small sets, tests). buildVerification
 * gives the same report while streaming the target with the same checks.
 */
export function verifyObject(
  object: ObjectCounts,
  links: LinkForCheck[],
  targetRecords: Map<string, CanonicalRecord>,
  targetSchema: ObjectTypeDescription | undefined,
  migrationTargetIds: ReadonlySet<string>,
  labels: { target: string },
): ObjectVerification {
  const checks = contentChecks();
  const missing: string[] = [];
  let linked = 0;
  let found = 0;
  for (const link of links) {
    if (!link.targetId) continue;
    linked += 1;
    const record = targetRecords.get(link.targetId);
    if (!record) {
      missing.push(link.sourceId);
      continue;
    }
    found += 1;
    checkLinkedRecord(checks, link, record);
  }
  const duplicates = new DuplicateCheck(uniqueFields(targetSchema));
  for (const record of targetRecords.values()) duplicates.count(record, migrationTargetIds.has(record.id));
  if (duplicates.settle()) for (const record of targetRecords.values()) duplicates.collect(record);
  return objectReport(object, { linked, found, missingCount: missing.length, missing }, checks, duplicates.result(), labels);
}

type RunObjectRow = Omit<ObjectCounts, "mapped">;
type TargetLink = {
  objectType: string;
  sourceId: string;
  targetId: string | null;
  status: string;
  runId: string | null;
  expected: string | null;
  pendingMode: string | null;
};

/** Sizes of the streamed verification (tests use small ones to cross many boundaries). */
export type VerifyOptions = {
  /** Records per page asked of the target's read. */
  pageSize?: number;
  /** Target records whose links are looked up in one query (the records are held until then). */
  linkBatch?: number;
  /** Record links per query when counting an object's linked and missing records. */
  linkPageSize?: number;
  /**
   * Read relations the target keeps as separate link rows again (a deep verification). false (the
   * end of a run): they count as confirmed when written, which saves the link-row reads (at Twenty,
   * two requests per 200 notes: a quarter of a run's tokens).
   */
  separateRelations?: boolean;
};

/*
 * Look-ups by target id pass the ids as one jsonb parameter, not as one bound parameter each (a
 * statement's parameters are limited to 65,535, and one text keeps the statement the same for
 * every batch). Only the columns of the (migrationId, objectType, targetId) index are constrained,
 * so PostgreSQL probes it for each id; status and run are checked by the caller.
 */

/** Links of the migration (any run, any of `objectTypes`) pointing at these target ids. */
async function linksTo(database: Database, migrationId: string, objectTypes: string[], targetIds: string[]): Promise<TargetLink[]> {
  return withConflictRetry(
    () => database.$queryRaw<TargetLink[]>`
      SELECT "objectType", "sourceId", "targetId", "status", "runId", "expected", "pendingMode" FROM "RecordLink"
      WHERE "migrationId" = ${migrationId}
        AND "objectType" IN (SELECT jsonb_array_elements_text(${JSON.stringify(objectTypes)}::jsonb))
        AND "targetId" IN (SELECT jsonb_array_elements_text(${JSON.stringify(targetIds)}::jsonb))`,
  );
}

/** Which of these target ids a link of the migration (any run, any of `objectTypes`) settled onto. */
async function linkedTargetIds(database: Database, migrationId: string, objectTypes: string[], targetIds: string[]): Promise<string[]> {
  const rows = await withConflictRetry(
    () => database.$queryRaw<{ targetId: string }[]>`
      SELECT DISTINCT "targetId" FROM "RecordLink"
      WHERE "migrationId" = ${migrationId}
        AND "objectType" IN (SELECT jsonb_array_elements_text(${JSON.stringify(objectTypes)}::jsonb))
        AND "targetId" IN (SELECT jsonb_array_elements_text(${JSON.stringify(targetIds)}::jsonb))
        AND "status" IN (SELECT jsonb_array_elements_text(${JSON.stringify(RESOLVABLE_STATUSES)}::jsonb))`,
  );
  return rows.map((row) => row.targetId);
}

/**
 * Linked, found and missing records of one object, and its record-map entries: its links paged by
 * source id (the unique index, so each page is a range read; run and status are checked here),
 * each linked target id looked up among the ids the target read returned.
 */
async function tallyLinks(
  database: Database,
  run: RunRow,
  objectType: string,
  seen: IdHashSet,
  pageSize: number,
): Promise<{ linked: number; found: number; missingCount: number; missing: string[]; mapped: number }> {
  const tally = { linked: 0, found: 0, missingCount: 0, missing: [] as string[], mapped: 0 };
  let after: string | null = null;
  for (;;) {
    const cursor: string | null = after;
    const rows: LinkPageRow[] = await withConflictRetry(() => linkPage(database, run.migrationId, objectType, cursor, pageSize));
    for (const row of rows) {
      if (row.runId !== run.id) continue;
      if (row.status !== "pending") tally.mapped += 1;
      if (!row.targetId || !RESOLVABLE_STATUSES.includes(row.status)) continue;
      tally.linked += 1;
      if (seen.has(row.targetId)) {
        tally.found += 1;
      } else {
        tally.missingCount += 1;
        if (tally.missing.length < MAX_MISSING) tally.missing.push(row.sourceId);
      }
    }
    if (rows.length < pageSize) return tally;
    after = rows[rows.length - 1].sourceId;
  }
}

/**
 * The objects of the run written to one target object, checked in one streamed read of it: per
 * batch of pages, the run's links to the batch's records are checked against them and the
 * records' unique values counted. Kept across batches: the hashes of the ids read (IdHashSet)
 * and of the unique values (DuplicateCheck). The target is read again only to name duplicates.
 */
async function verifyTargetObject(
  database: Database,
  run: RunRow,
  target: SideSession,
  group: { targetObjectType: string; objects: RunObjectRow[]; targetSchema: ObjectTypeDescription | undefined; linkedObjectTypes: string[] },
  sizes: Required<VerifyOptions>,
): Promise<ObjectVerification[]> {
  const { targetObjectType, objects, targetSchema } = group;
  const checks = new Map(objects.map((object) => [object.objectType, contentChecks()]));
  const objectTypes = [...checks.keys()];
  const otherObjectTypes = group.linkedObjectTypes.filter((objectType) => !checks.has(objectType));
  const duplicates = new DuplicateCheck(uniqueFields(targetSchema));
  const seen = new IdHashSet();

  const checkBatch = async (records: CanonicalRecord[]) => {
    const ids = records.map((record) => record.id);
    /** Target ids this migration wrote (in any run, for any object), as the duplicate check counts them. */
    const written = new Set<string>();
    const runLinks = new Map<string, TargetLink[]>();
    for (const link of await linksTo(database, run.migrationId, objectTypes, ids)) {
      if (!link.targetId || !RESOLVABLE_STATUSES.includes(link.status)) continue;
      written.add(link.targetId);
      if (link.runId === run.id) runLinks.set(link.targetId, [...(runLinks.get(link.targetId) ?? []), link]);
    }
    if (duplicates.active && otherObjectTypes.length > 0) {
      const unlinked = ids.filter((id) => !written.has(id));
      if (unlinked.length > 0) for (const id of await linkedTargetIds(database, run.migrationId, otherObjectTypes, unlinked)) written.add(id);
    }
    for (const record of records) {
      for (const link of runLinks.get(record.id) ?? []) checkLinkedRecord(checks.get(link.objectType) as ContentChecks, link, record, sizes.separateRelations);
      duplicates.count(record, written.has(record.id));
    }
  };

  // A fresh read of the whole object: the only generic way to see what the target really holds.
  let batch: CanonicalRecord[] = [];
  for await (const page of target.session.read(targetObjectType, { pageSize: sizes.pageSize, separateRelations: sizes.separateRelations })) {
    // A record the read returns twice (paging over a changing target) is checked once.
    for (const record of page.records) if (seen.add(record.id)) batch.push(record);
    if (batch.length >= sizes.linkBatch) {
      await checkBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await checkBatch(batch);
  batch = [];

  if (duplicates.settle()) {
    for await (const page of target.session.read(targetObjectType, { pageSize: sizes.pageSize, separateRelations: false }))
      for (const record of page.records) duplicates.collect(record);
  }
  const duplicateCheck = duplicates.result();
  const reports: ObjectVerification[] = [];
  for (const object of objects) {
    const { mapped, ...links } = await tallyLinks(database, run, object.objectType, seen, sizes.linkPageSize);
    // Objects sharing a target object share its duplicate check (each report holds its own copy).
    const copy = { ...duplicateCheck, examples: [...duplicateCheck.examples] };
    reports.push(objectReport({ ...object, mapped }, links, checks.get(object.objectType) as ContentChecks, copy, { target: target.system.name }));
  }
  return reports;
}

export async function buildVerification(
  database: Database,
  run: RunRow,
  target: SideSession,
  now: Date,
  options: VerifyOptions = {},
): Promise<VerificationReport> {
  const sizes: Required<VerifyOptions> = {
    pageSize: VERIFY_PAGE_SIZE,
    linkBatch: VERIFY_LINK_BATCH,
    linkPageSize: VERIFY_LINK_PAGE_SIZE,
    separateRelations: true,
    ...options,
  };
  const objects = await withConflictRetry(() => database.runObject.findMany({ where: { runId: run.id }, orderBy: { position: "asc" } }));
  const schema = await target.describe();
  const linkedTypes = await withConflictRetry(() => linkedObjectTypes(database, run.migrationId));
  const byTarget = new Map<string, RunObjectRow[]>();
  for (const object of objects) byTarget.set(object.targetObjectType, [...(byTarget.get(object.targetObjectType) ?? []), object]);
  const verified = new Map<string, ObjectVerification>();
  for (const [targetObjectType, group] of byTarget) {
    const targetSchema = schema.objectTypes.find((candidate) => candidate.key === targetObjectType);
    for (const report of await verifyTargetObject(
      database,
      run,
      target,
      { targetObjectType, objects: group, targetSchema, linkedObjectTypes: linkedTypes },
      sizes,
    ))
      verified.set(report.objectType, report);
  }
  const reports: ObjectVerification[] = [];
  const notes: string[] = [];
  for (const object of objects) {
    const report = verified.get(object.objectType) as ObjectVerification;
    reports.push(report);
    if (report.failed > 0) notes.push(`${object.objectType}: ${plural(report.failed, "record")} failed; see the failed records for each reason.`);
    if (report.owners.unmapped > 0)
      notes.push(
        `${object.objectType}: ${plural(report.owners.unmapped, "record")} had an owner or assignee with no matching ${target.system.name} user (left empty, as the plan says).`,
      );
  }
  const discrepancies = reports.flatMap((report) => report.discrepancies);
  return { version: 1, runId: run.id, mode: run.mode, checkedAt: now.toISOString(), clean: discrepancies.length === 0, objects: reports, discrepancies, notes };
}

/** Stores a report on the run with a "verification" event. */
export async function saveVerification(database: Database, runId: string, report: VerificationReport): Promise<void> {
  const confirmedOnWrite = report.objects.reduce((sum, object) => sum + (object.relations.confirmedOnWrite ?? 0), 0);
  const linkRows =
    confirmedOnWrite > 0
      ? ` ${plural(confirmedOnWrite, "link")} kept as separate link rows (notes and tasks to their records) were confirmed one by one when written and not read again; verify again to re-read them.`
      : "";
  const message = report.clean
    ? `Verification passed: every migrated record was found in the target with its relations, owners and custom fields, and no duplicates.${linkRows}`
    : `Verification found ${plural(report.discrepancies.length, "discrepancy", "discrepancies")}: ${report.discrepancies.slice(0, 3).join(" ")}`;
  await withConflictRetry(() =>
    database.$transaction([
      database.run.update({ where: { id: runId }, data: { verification: JSON.stringify(report), verifiedAt: new Date(report.checkedAt) } }),
      database.runEvent.create({
        data: eventData(runId, {
          kind: "verification",
          level: report.clean ? "info" : "warn",
          message,
          data: { clean: report.clean, discrepancies: report.discrepancies.length },
        }),
      }),
    ]),
  );
}

/** Verification on demand (deep): re-reads the target now, link rows included, and stores the report. */
export async function verifyRun(
  database: Database,
  runId: string,
  options: { resolveSession?: SessionResolver; now?: () => Date } = {},
): Promise<VerificationReport> {
  const run = await loadRun(database, runId);
  const { target } = await openSessions(database, run, options.resolveSession);
  const report = await buildVerification(database, run, target, (options.now ?? (() => new Date()))());
  await saveVerification(database, runId, report);
  return report;
}
