// The record map (RecordLink): source id -> target id per migration, with the status of the last
// attempt. It resolves relations, makes writes idempotent (the unique constraint on
// migration+objectType+sourceId guards it), drives delta, retry and rollback, and feeds the report.
// It has one owner, this file: every read of it (the engine, rollback, verification, reports,
// dashboards, exports) and every row the engine writes are here, and commit.ts saves the rows in
// one fenced transaction. The raw SQL (commit.ts bulk writes, verify.ts look-ups by target id,
// rollback.ts keptCounts) stays whole in its own function where it is.
import crypto from "node:crypto";
import { z } from "zod";
import { chunks } from "@/connectors/shared/chunks";
import type { RelationRef } from "@/connectors/types";
import type { Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { LinkWrite } from "./commit";
import { parseJsonColumn } from "./database";
import type { GroupItem, Outcome } from "./group";
import { recordDisplayName } from "./record-name";

export const LINK_STATUSES = ["pending", "created", "updated", "skipped", "filtered", "failed", "removed"] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];
/** Statuses whose target id other records may point at. */
export const RESOLVABLE_STATUSES: readonly string[] = ["created", "updated", "skipped"];
/** Pending modes: a create or an update in flight, or a reconciled record whose content is written once more. */
export type PendingMode = "create" | "update" | "refresh";
/**
 * Marks a link whose create was interrupted and not found afterwards: if the next create is
 * refused as a duplicate of its own source id, the earlier attempt did land after all.
 */
export const ATTEMPTED = "attempted";

export const LINK_SELECT = {
  id: true,
  objectType: true,
  sourceId: true,
  targetId: true,
  targetObjectType: true,
  status: true,
  runId: true,
  createdByRunId: true,
  parentSourceId: true,
  errorCode: true,
  errorMessage: true,
  pendingMode: true,
  pendingKeys: true,
  previous: true,
} as const satisfies Prisma.RecordLinkSelect;

export type LinkRow = Prisma.RecordLinkGetPayload<{ select: typeof LINK_SELECT }>;

/** The state a pending link goes back to when its write is known not to have happened. */
export const previousStateSchema = z.object({
  status: z.string(),
  runId: z.string().nullable(),
  targetId: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  pendingMode: z.string().nullable(),
});
export type PreviousState = z.infer<typeof previousStateSchema>;

export function previousStateOf(link: LinkRow | undefined): string | null {
  if (!link) return null;
  const state: PreviousState = {
    status: link.status,
    runId: link.runId,
    targetId: link.targetId,
    errorCode: link.errorCode,
    errorMessage: link.errorMessage,
    pendingMode: link.pendingMode,
  };
  return JSON.stringify(state);
}

export function parsePreviousState(link: Pick<LinkRow, "previous">): PreviousState | null {
  return parseJsonColumn<PreviousState | null>(link.previous, previousStateSchema, null);
}

export const pendingKeysSchema = z.record(z.string(), z.string());

/** What a written record should hold in the target, checked by verification. */
export const expectedSchema = z.object({
  relations: z.record(z.string(), z.array(z.string())).default({}),
  users: z.record(z.string(), z.string()).default({}),
  custom: z.array(z.string()).default([]),
  unmappedUsers: z.array(z.string()).default([]),
});
export type Expected = z.infer<typeof expectedSchema>;

const IN_CHUNK = 400;

/** Links of one object type for the given source ids, by source id. */
export async function loadLinks(database: Database, migrationId: string, objectType: string, sourceIds: string[]): Promise<Map<string, LinkRow>> {
  const links = new Map<string, LinkRow>();
  for (const ids of chunks([...new Set(sourceIds)], IN_CHUNK)) {
    if (ids.length === 0) continue;
    const rows = await database.recordLink.findMany({ where: { migrationId, objectType, sourceId: { in: ids } }, select: LINK_SELECT });
    for (const row of rows) links.set(row.sourceId, row);
  }
  return links;
}

export const refKey = (objectType: string, id: string) => `${objectType}\u0000${id}`;

/** Links for relation references, grouped in one query per object type. */
export async function loadRelationLinks(database: Database, migrationId: string, refs: RelationRef[]): Promise<Map<string, LinkRow>> {
  const byType = new Map<string, Set<string>>();
  for (const ref of refs) byType.set(ref.objectType, (byType.get(ref.objectType) ?? new Set()).add(ref.id));
  const links = new Map<string, LinkRow>();
  for (const [objectType, ids] of byType) {
    for (const [sourceId, link] of await loadLinks(database, migrationId, objectType, [...ids])) links.set(refKey(objectType, sourceId), link);
  }
  return links;
}

/** Why a related record has no target id, as the end of a sentence ("customers cus_12, which failed: …"). */
export function missingReason(ref: RelationRef, link: LinkRow | undefined, planned: ReadonlySet<string>): string {
  const name = `${ref.objectType} record ${ref.id}`;
  if (!link) {
    return planned.has(ref.objectType)
      ? `${name}, which was not migrated (it was not found in the source when its object was migrated)`
      : `${name}, which is not part of this migration (${ref.objectType} is not selected in the plan)`;
  }
  switch (link.status) {
    case "failed":
      return `${name}, which failed${link.errorMessage ? `: ${link.errorMessage}` : ""}`;
    case "filtered":
      return `${name}, which was left out by the plan's filters${link.errorMessage ? ` (${link.errorMessage})` : ""}`;
    case "removed":
      return `${name}, which was removed from the target by a rollback`;
    case "pending":
      return `${name}, whose write has not finished yet`;
    default:
      return `${name}, which has no target record`;
  }
}

/** Links of this migration's `objectType` holding any of these target ids: which source record claims a target record. */
export async function linksHoldingTargets(
  database: Database,
  migrationId: string,
  objectType: string,
  targetIds: string[],
): Promise<{ id: string; sourceId: string; targetId: string | null }[]> {
  return database.recordLink.findMany({
    where: { migrationId, objectType, targetId: { in: targetIds } },
    select: { id: true, sourceId: true, targetId: true },
  });
}

/** A run's links whose write may or may not have landed (reconcile.ts settles them). */
export async function pendingLinksOf(database: Database, runId: string): Promise<LinkRow[]> {
  return database.recordLink.findMany({ where: { runId, status: "pending" }, select: LINK_SELECT });
}

// ---------------------------------------------------------------------------------------------
// Rows: every RecordLink write the engine makes is built here and saved by commit.ts.
// ---------------------------------------------------------------------------------------------

/** Where a group's links belong: the run, and the source and target object of its records. */
export type LinkScope = { migrationId: string; runId: string; objectType: string; targetObject: string };

/** The fields a link takes from its record (and its parent) whenever it is written. */
function recordFields(scope: LinkScope, item: GroupItem) {
  return {
    targetObjectType: scope.targetObject,
    parentSourceId: item.parent?.sourceId ?? null,
    sourceUpdatedAt: item.record.updatedAt ? new Date(item.record.updatedAt) : null,
    sourceName: recordDisplayName(item.record, item.parentRecord),
  };
}

/** Step 4 of the batch protocol: the record's link `pending`, with what finds it after a crash and the state it goes back to; `link` is the row it makes or updates. */
export function pendingLinkWrite(
  scope: LinkScope,
  entry: { item: GroupItem; link: LinkRow | undefined; mode: "create" | "update"; reconcileKeys: Record<string, string> },
): { write: LinkWrite; link: LinkRow } {
  const pendingMode: PendingMode = entry.mode === "create" ? "create" : "update";
  const data = {
    status: "pending",
    runId: scope.runId,
    pendingMode,
    pendingKeys: JSON.stringify(entry.reconcileKeys),
    previous: previousStateOf(entry.link),
    targetObjectType: scope.targetObject,
    parentSourceId: entry.item.parent?.sourceId ?? null,
  };
  if (entry.link) return { write: { op: "update", id: entry.link.id, data }, link: entry.link };
  const id = crypto.randomUUID();
  const link: LinkRow = {
    id,
    objectType: scope.objectType,
    sourceId: entry.item.record.id,
    targetId: null,
    targetObjectType: scope.targetObject,
    status: "pending",
    runId: scope.runId,
    createdByRunId: null,
    parentSourceId: data.parentSourceId,
    errorCode: null,
    errorMessage: null,
    pendingMode,
    pendingKeys: data.pendingKeys,
    previous: null,
  };
  return {
    write: {
      op: "create",
      data: { id, migrationId: scope.migrationId, objectType: scope.objectType, sourceId: entry.item.record.id, ...recordFields(scope, entry.item), ...data },
    },
    link,
  };
}

/** The columns an outcome sets (null: nothing to write, the record stays pending). */
function outcomeColumns(runId: string, outcome: Outcome): Record<string, unknown> | null {
  const clear = { pendingMode: null, pendingKeys: null, previous: null };
  switch (outcome.kind) {
    case "created":
      return {
        status: "created",
        targetId: outcome.targetId,
        createdByRunId: runId,
        errorCode: null,
        errorMessage: null,
        expected: outcome.expected ? JSON.stringify(outcome.expected) : null,
        ...clear,
      };
    case "updated":
      return {
        status: "updated",
        targetId: outcome.targetId,
        errorCode: null,
        errorMessage: null,
        expected: outcome.expected ? JSON.stringify(outcome.expected) : null,
        ...clear,
      };
    case "refreshed":
      // Found by reconciliation (or kept unfinished) and counted then; its content was written once more (or could not be).
      return { status: outcome.status, ...clear };
    case "unfinished":
      // Kept as written; "refresh" makes the page's next read write it again as an update.
      return {
        status: outcome.status,
        targetId: outcome.targetId,
        ...(outcome.status === "created" ? { createdByRunId: runId } : {}),
        errorCode: null,
        errorMessage: null,
        expected: outcome.expected ? JSON.stringify(outcome.expected) : null,
        ...clear,
        pendingMode: "refresh",
      };
    case "skipped":
      return { status: "skipped", targetId: outcome.targetId, errorCode: outcome.code, errorMessage: outcome.message, expected: null, ...clear };
    case "already":
      return {};
    case "filtered":
      return { status: "filtered", errorCode: "FILTERED", errorMessage: outcome.message, ...clear };
    case "failed":
      return { status: "failed", errorCode: outcome.code, errorMessage: outcome.message, ...clear };
    case "pending":
      return null;
  }
}

/** Step 6 of the batch protocol: the link write that puts a record in its final state for this run. */
export function finalLinkWrite(scope: LinkScope, item: GroupItem, link: LinkRow | undefined, outcome: Outcome): LinkWrite | null {
  const data = outcomeColumns(scope.runId, outcome);
  if (data === null) return null;
  const fields = recordFields(scope, item);
  if (link) return { op: "update", id: link.id, data: { ...data, runId: scope.runId, ...fields } };
  return {
    op: "create",
    data: {
      id: crypto.randomUUID(),
      migrationId: scope.migrationId,
      objectType: scope.objectType,
      sourceId: item.record.id,
      ...fields,
      runId: scope.runId,
      status: "failed",
      ...data,
    } as never,
  };
}

/** Reconciliation: a pending create found in the target, kept as created and written once more ("refresh"). */
export function foundLinkWrite(link: LinkRow, runId: string, targetId: string): LinkWrite {
  return {
    op: "update",
    id: link.id,
    data: {
      status: "created",
      targetId,
      createdByRunId: runId,
      errorCode: null,
      errorMessage: null,
      pendingMode: "refresh",
      pendingKeys: null,
      previous: null,
    },
  };
}

/** Reconciliation: back to the state before the write; a create also remembers it was attempted (see ATTEMPTED). */
export function restoreWrite(link: LinkRow, attempted: boolean): LinkWrite {
  const previous = parsePreviousState(link);
  if (!previous && !attempted) return { op: "delete", id: link.id };
  const state = previous ?? {
    status: "failed",
    runId: null,
    targetId: null,
    errorCode: "INTERRUPTED",
    errorMessage: "The write was interrupted; Ferry writes it again.",
    pendingMode: null,
  };
  return {
    op: "update",
    id: link.id,
    data: {
      status: state.status,
      runId: state.runId,
      targetId: state.targetId,
      errorCode: state.errorCode,
      errorMessage: state.errorMessage,
      pendingMode: attempted ? ATTEMPTED : state.pendingMode,
      pendingKeys: null,
      previous: null,
    },
  };
}

/** How many records of the migration failed (a retry run has something to do). */
export async function failedLinkCount(database: Database, migrationId: string): Promise<number> {
  return database.recordLink.count({ where: { migrationId, status: "failed" } });
}

/** Failed records of the migration per source object: what a retry run goes through. */
export async function failedLinksByObject(database: Database, migrationId: string): Promise<Map<string, number>> {
  const grouped = await database.recordLink.groupBy({ by: ["objectType"], where: { migrationId, status: "failed" }, _count: { _all: true } });
  return new Map(grouped.map((row) => [row.objectType, row._count._all]));
}

/** A run's failed records per source object and error code, for its summary. */
export async function runFailuresByCode(database: Database, runId: string): Promise<{ objectType: string; errorCode: string | null; count: number }[]> {
  const grouped = await database.recordLink.groupBy({ by: ["objectType", "errorCode"], where: { runId, status: "failed" }, _count: { _all: true } });
  return grouped.map((row) => ({ objectType: row.objectType, errorCode: row.errorCode, count: row._count._all }));
}

/** How many of a run's records failed (the dashboard lists them). */
export async function runFailedCount(database: Database, runId: string): Promise<number> {
  return database.recordLink.count({ where: { runId, status: "failed" } });
}

// ---------------------------------------------------------------------------------------------
// Rollback: which links it removes, and their rows once it has.
// ---------------------------------------------------------------------------------------------

/** A link whose target record the rollback could not remove (it stays, with the reason). */
export const ROLLBACK_FAILED = "ROLLBACK_FAILED";
/** A duplicate linked to a record the rollback removed: written again by the next run. */
export const TWIN_ROLLED_BACK = "TWIN_ROLLED_BACK";

/** The links a rollback of these runs removes (rollback-preview.ts counts the same selection). */
export const removableWhere = (runIds: string[], objectType?: string) => ({
  createdByRunId: { in: runIds },
  ...(objectType ? { objectType } : {}),
  status: { in: ["created", "updated"] },
  targetId: { not: null },
  OR: [{ errorCode: null }, { errorCode: { not: ROLLBACK_FAILED } }],
});

/** The next `take` links of one object a rollback of `scope` removes, by source id. */
export async function removableLinks(
  database: Database,
  migrationId: string,
  scope: string[],
  objectType: string,
  take: number,
): Promise<{ id: string; sourceId: string; targetId: string | null; targetObjectType: string | null }[]> {
  return database.recordLink.findMany({
    where: { migrationId, ...removableWhere(scope, objectType) },
    select: { id: true, sourceId: true, targetId: true, targetObjectType: true },
    take,
    orderBy: { sourceId: "asc" },
  });
}

/** How many links a rollback of `scope` removes. */
export async function removableLinkCount(database: Database, migrationId: string, scope: string[]): Promise<number> {
  return database.recordLink.count({ where: { migrationId, ...removableWhere(scope) } });
}

/** How many of the scope's links the rollback could not remove. */
export async function rollbackFailedCount(database: Database, migrationId: string, scope: string[]): Promise<number> {
  return database.recordLink.count({ where: { migrationId, createdByRunId: { in: scope }, errorCode: ROLLBACK_FAILED } });
}

/** A link whose target record was removed (or was already gone). */
export function removedLinkWrite(id: string, alreadyGone: boolean): LinkWrite {
  return {
    op: "update",
    id,
    data: { status: "removed", errorCode: null, errorMessage: alreadyGone ? "Already gone from the target when the run was rolled back" : null },
  };
}

/** A link whose target record could not be removed: it keeps its status, with the reason. */
export function rollbackFailedWrite(id: string, message: string): LinkWrite {
  return { op: "update", id, data: { errorCode: ROLLBACK_FAILED, errorMessage: `Could not be removed: ${message}` } };
}

/** Duplicates (status skipped) linked to target records just removed lose their link too. */
export async function twinRemovedWrites(database: Database, migrationId: string, objectType: string, removedTargets: string[]): Promise<LinkWrite[]> {
  const twins = await database.recordLink.findMany({
    where: { migrationId, objectType, status: "skipped", targetId: { in: removedTargets } },
    select: { id: true },
  });
  return twins.map((twin) => ({
    op: "update",
    id: twin.id,
    data: { status: "removed", errorCode: TWIN_ROLLED_BACK, errorMessage: "Linked as a duplicate to a record the rollback removed" },
  }));
}

/** What a rollback of `scope` has done so far: links per object and status, those it could not remove, those already gone. */
export async function rollbackLinkSummary(database: Database, scope: string[]) {
  const [grouped, failed, gone] = await Promise.all([
    database.recordLink.groupBy({ by: ["objectType", "status"], where: { createdByRunId: { in: scope } }, _count: { _all: true } }),
    database.recordLink.findMany({
      where: { createdByRunId: { in: scope }, errorCode: ROLLBACK_FAILED },
      select: { objectType: true, sourceId: true, targetId: true, errorMessage: true },
      take: 100,
    }),
    database.recordLink.count({ where: { createdByRunId: { in: scope }, status: "removed", errorMessage: { startsWith: "Already gone" } } }),
  ]);
  return { grouped: grouped.map((row) => ({ objectType: row.objectType, status: row.status, count: row._count._all })), failed, gone };
}

/** The links a rollback of `scope` would remove, counted per source object and per run that created them. */
export async function removableLinkCounts(
  database: Database,
  migrationId: string,
  scope: string[],
): Promise<{ byObject: Map<string, number>; byRun: Map<string | null, number> }> {
  const removable = { migrationId, ...removableWhere(scope) };
  const [byObject, byRun] = await Promise.all([
    database.recordLink.groupBy({ by: ["objectType"], where: removable, _count: { _all: true } }),
    database.recordLink.groupBy({ by: ["createdByRunId"], where: removable, _count: { _all: true } }),
  ]);
  return {
    byObject: new Map(byObject.map((entry) => [entry.objectType, entry._count._all])),
    byRun: new Map(byRun.map((entry) => [entry.createdByRunId, entry._count._all])),
  };
}

/** How many records of these source objects failed in the migration. */
export async function failedLinkCountIn(database: Database, migrationId: string, objectTypes: string[]): Promise<number> {
  return database.recordLink.count({ where: { migrationId, status: "failed", objectType: { in: objectTypes } } });
}

export type LinkPageRow = { sourceId: string; targetId: string | null; status: string; runId: string | null };

/** One page of a source object's links, by source id after `after` (the unique index: a range read). */
export async function linkPage(database: Database, migrationId: string, objectType: string, after: string | null, take: number): Promise<LinkPageRow[]> {
  return database.recordLink.findMany({
    where: { migrationId, objectType, ...(after === null ? {} : { sourceId: { gt: after } }) },
    orderBy: { sourceId: "asc" },
    take,
    select: { sourceId: true, targetId: true, status: true, runId: true },
  });
}

/** The source objects the migration holds links for. */
export async function linkedObjectTypes(database: Database, migrationId: string): Promise<string[]> {
  return (await database.recordLink.groupBy({ by: ["objectType"], where: { migrationId } })).map((row) => row.objectType);
}

// ---------------------------------------------------------------------------------------------
// Reports, dashboards and exports (lib/runs, lib/admin.ts, lib/wizard).
// ---------------------------------------------------------------------------------------------

/** Failed records per migration (the admin job list). */
export async function failedLinksByMigration(database: Database, migrationIds: string[]): Promise<Map<string, number>> {
  const grouped = await database.recordLink.groupBy({
    by: ["migrationId"],
    where: { status: "failed", migrationId: { in: migrationIds } },
    _count: { _all: true },
  });
  return new Map(grouped.map((row) => [row.migrationId, row._count._all]));
}

/** How many records the record map points at in the migration's current target (removed ones aside). */
export async function linkedTargetCount(database: Database, migrationId: string): Promise<number> {
  return database.recordLink.count({ where: { migrationId, targetId: { not: null }, status: { not: "removed" } } });
}

/** A migration's failed records for its report, by object and source id. */
export async function migrationFailures(database: Database, migrationId: string, take: number) {
  return database.recordLink.findMany({
    where: { migrationId, status: "failed" },
    orderBy: [{ objectType: "asc" }, { sourceId: "asc" }],
    take,
    select: { objectType: true, sourceId: true, sourceName: true, errorCode: true, errorMessage: true, updatedAt: true },
  });
}

/** A run's failed records, newest first (the dashboard). */
export async function runFailures(database: Database, runId: string, take: number) {
  return database.recordLink.findMany({
    where: runFailuresWhere(runId),
    orderBy: { updatedAt: "desc" },
    take,
    select: { id: true, objectType: true, sourceId: true, errorCode: true, errorMessage: true, updatedAt: true },
  });
}

/** A run's failed records. */
export function runFailuresWhere(runId: string): Prisma.RecordLinkWhereInput {
  return { runId, status: "failed" };
}

/** Every record a run touched or created (its ledger). */
export function runLedgerWhere(runId: string): Prisma.RecordLinkWhereInput {
  return { OR: [{ runId }, { createdByRunId: runId }] };
}

/** The columns an export of links carries. */
const LINK_EXPORT_SELECT = {
  id: true,
  objectType: true,
  sourceId: true,
  targetObjectType: true,
  targetId: true,
  status: true,
  runId: true,
  createdByRunId: true,
  errorCode: true,
  errorMessage: true,
  updatedAt: true,
} as const;
export type LinkExportRow = Prisma.RecordLinkGetPayload<{ select: typeof LINK_EXPORT_SELECT }>;

/** The next `take` links matching `where` after id `after` (null: the first), in id order: one page of an export. */
export async function linkExportPage(database: Database, where: Prisma.RecordLinkWhereInput, after: string | null, take: number): Promise<LinkExportRow[]> {
  return database.recordLink.findMany({
    where: after ? { AND: [where, { id: { gt: after } }] } : where,
    orderBy: { id: "asc" },
    take,
    select: LINK_EXPORT_SELECT,
  });
}

/** A demo's links: those its run wrote or created, and those of the records it selected. */
export async function demoRunLinks(database: Database, migrationId: string, runId: string, selected: { objectType: string; sourceIds: string[] }[]) {
  return database.recordLink.findMany({
    where: {
      migrationId,
      OR: selected.map(({ objectType, sourceIds }) => ({ objectType, OR: [{ runId }, { createdByRunId: runId }, { sourceId: { in: sourceIds } }] })),
    },
    select: { objectType: true, sourceId: true, targetId: true, targetObjectType: true, status: true, errorMessage: true, parentSourceId: true },
  });
}
