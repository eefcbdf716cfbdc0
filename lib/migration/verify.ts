// Verification: after every run (and on demand) the target is read back and compared with the
// record map, per object: selected in the source vs created+updated+skipped+failed, linked
// records found in the target, relations intact, owners/assignees as mapped, mapped custom
// fields filled, no duplicates on unique keys. Stored on Run.verification; clean = no discrepancy.
import { z } from "zod";
import type { CanonicalRecord, CanonicalValue, ObjectTypeDescription } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { isEmptyValue, isRelationRef, isUserRef } from "@/lib/mapping/values";
import { loadRun, openSessions, type RunRow } from "./context";
import { parseJsonColumn, withBusyRetry } from "./database";
import { eventData, plural } from "./events";
import { expectedSchema, type Expected } from "./record-map";
import type { SessionResolver, SideSession } from "./sessions";

export const VERIFY_PAGE_SIZE = 200;
const MAX_EXAMPLES = 5;

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
  relations: checkSchema,
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
  if (typeof value === "string") return value.trim().toLowerCase().replace(/^https?:\/\/(www\.)?/, "").replace(/\/+$/, "") || null;
  if (typeof value === "number") return String(value);
  return null;
}

async function readAll(side: SideSession, objectType: string): Promise<Map<string, CanonicalRecord>> {
  const records = new Map<string, CanonicalRecord>();
  // A fresh read of the whole object: the only generic way to see what the target really holds.
  for await (const page of side.session.read(objectType, { pageSize: VERIFY_PAGE_SIZE })) for (const record of page.records) records.set(record.id, record);
  return records;
}

type LinkForCheck = { sourceId: string; targetId: string | null; status: string; expected: string | null };

function check(): { checked: number; problems: number; examples: string[] } {
  return { checked: 0, problems: 0, examples: [] };
}

function note(target: { problems: number; examples: string[] }, example: string) {
  target.problems += 1;
  if (target.examples.length < MAX_EXAMPLES) target.examples.push(example);
}

export function verifyObject(
  object: { objectType: string; targetObjectType: string; parentObjectType: string | null; total: number; processed: number; created: number; updated: number; skipped: number; failed: number; mapped: number },
  links: LinkForCheck[],
  targetRecords: Map<string, CanonicalRecord>,
  targetSchema: ObjectTypeDescription | undefined,
  migrationTargetIds: ReadonlySet<string>,
  labels: { target: string },
): ObjectVerification {
  const relations = check();
  const owners = { ...check(), unmapped: 0 };
  const customFields = check();
  const duplicates = check();
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
    if (link.status !== "created" && link.status !== "updated") continue;
    const expected: Expected | null = parseJsonColumn<Expected | null>(link.expected, expectedSchema, null);
    if (!expected) continue;
    for (const [field, ids] of Object.entries(expected.relations)) {
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
  // Duplicates on the target's unique fields, among groups holding a record this migration wrote.
  for (const field of (targetSchema?.fields ?? []).filter((candidate) => candidate.unique && candidate.type !== "relation")) {
    const groups = new Map<string, string[]>();
    for (const record of targetRecords.values()) {
      const value = normalized(record.fields[field.key]);
      if (value !== null) groups.set(value, [...(groups.get(value) ?? []), record.id]);
    }
    for (const [value, ids] of groups) {
      duplicates.checked += 1;
      if (ids.length > 1 && ids.some((id) => migrationTargetIds.has(id))) note(duplicates, `${field.key} "${value}" is held by ${ids.length} records (${ids.slice(0, 3).join(", ")})`);
    }
  }
  const unprocessed = Math.max(0, object.total - object.processed);
  const name = object.objectType;
  const discrepancies: string[] = [];
  if (unprocessed > 0) discrepancies.push(`${name}: ${plural(unprocessed, "selected record")} ${unprocessed === 1 ? "was" : "were"} never processed.`);
  if (object.mapped !== object.processed) discrepancies.push(`${name}: the record map holds ${object.mapped.toLocaleString("en")} entries for ${object.processed.toLocaleString("en")} processed records.`);
  if (missing.length > 0) discrepancies.push(`${name}: ${plural(missing.length, "linked record")} ${missing.length === 1 ? "is" : "are"} missing from ${labels.target} (${missing.slice(0, MAX_EXAMPLES).join(", ")}).`);
  if (relations.problems > 0) discrepancies.push(`${name}: ${plural(relations.problems, "relation")} not intact (${relations.examples[0]}).`);
  if (owners.problems > 0) discrepancies.push(`${name}: ${plural(owners.problems, "owner or assignee", "owners or assignees")} not as mapped (${owners.examples[0]}).`);
  if (customFields.problems > 0) discrepancies.push(`${name}: ${plural(customFields.problems, "custom field value")} missing (${customFields.examples[0]}).`);
  if (duplicates.problems > 0) discrepancies.push(`${labels.target} ${object.targetObjectType}: ${plural(duplicates.problems, "duplicate")} on unique fields (${duplicates.examples[0]}).`);
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
    linked,
    found,
    missing: missing.slice(0, 20),
    relations,
    owners,
    customFields,
    duplicates,
    discrepancies,
  };
}

export async function buildVerification(database: Database, run: RunRow, target: SideSession, now: Date): Promise<VerificationReport> {
  const objects = await database.runObject.findMany({ where: { runId: run.id }, orderBy: { position: "asc" } });
  const schema = await target.describe();
  const cache = new Map<string, Map<string, CanonicalRecord>>();
  const migrationTargetIds = new Set(
    (await database.recordLink.findMany({ where: { migrationId: run.migrationId, targetId: { not: null }, status: { in: ["created", "updated", "skipped"] } }, select: { targetId: true } })).map((row) => row.targetId as string),
  );
  const reports: ObjectVerification[] = [];
  const notes: string[] = [];
  for (const object of objects) {
    const targetObjectType = object.targetObjectType;
    let records = cache.get(targetObjectType);
    if (!records) {
      records = await readAll(target, targetObjectType);
      cache.set(targetObjectType, records);
    }
    const links = await database.recordLink.findMany({
      where: { runId: run.id, objectType: object.objectType, status: { in: ["created", "updated", "skipped"] } },
      select: { sourceId: true, targetId: true, status: true, expected: true },
    });
    const mapped = await database.recordLink.count({ where: { runId: run.id, objectType: object.objectType, status: { not: "pending" } } });
    const report = verifyObject({ ...object, mapped }, links, records, schema.objectTypes.find((candidate) => candidate.key === targetObjectType), migrationTargetIds, { target: target.system.name });
    reports.push(report);
    if (report.failed > 0) notes.push(`${object.objectType}: ${plural(report.failed, "record")} failed; see the failed records for each reason.`);
    if (report.owners.unmapped > 0) notes.push(`${object.objectType}: ${plural(report.owners.unmapped, "record")} had an owner or assignee with no matching ${target.system.name} user (left empty, as the plan says).`);
  }
  const discrepancies = reports.flatMap((report) => report.discrepancies);
  return { version: 1, runId: run.id, mode: run.mode, checkedAt: now.toISOString(), clean: discrepancies.length === 0, objects: reports, discrepancies, notes };
}

/** Stores a report on the run with a "verification" event. */
export async function saveVerification(database: Database, runId: string, report: VerificationReport): Promise<void> {
  const message = report.clean
    ? `Verification passed: every migrated record was found in the target with its relations, owners and custom fields, and no duplicates.`
    : `Verification found ${plural(report.discrepancies.length, "discrepancy", "discrepancies")}: ${report.discrepancies.slice(0, 3).join(" ")}`;
  await withBusyRetry(() =>
    database.$transaction([
      database.run.update({ where: { id: runId }, data: { verification: JSON.stringify(report), verifiedAt: new Date(report.checkedAt) } }),
      database.runEvent.create({ data: eventData(runId, { kind: "verification", level: report.clean ? "info" : "warn", message, data: { clean: report.clean, discrepancies: report.discrepancies.length } }) }),
    ]),
  );
}

/** Verification on demand: re-reads the target now and stores the report. */
export async function verifyRun(database: Database, runId: string, options: { resolveSession?: SessionResolver; now?: () => Date } = {}): Promise<VerificationReport> {
  const run = await loadRun(database, runId);
  const { target } = await openSessions(database, run, options.resolveSession);
  const report = await buildVerification(database, run, target, (options.now ?? (() => new Date()))());
  await saveVerification(database, runId, report);
  return report;
}
