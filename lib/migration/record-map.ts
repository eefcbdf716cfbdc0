// The record map (RecordLink): source id -> target id per migration, with the status of the last
// attempt. It resolves relations, makes writes idempotent (the unique constraint on
// migration+objectType+sourceId guards it), drives delta, retry and rollback, and feeds the report.
import { z } from "zod";
import { chunks } from "@/connectors/shared/chunks";
import type { RelationRef } from "@/connectors/types";
import type { Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseJsonColumn } from "./database";

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
  const state: PreviousState = { status: link.status, runId: link.runId, targetId: link.targetId, errorCode: link.errorCode, errorMessage: link.errorMessage, pendingMode: link.pendingMode };
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
