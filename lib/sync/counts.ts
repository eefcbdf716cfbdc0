// A sync cycle's numbers per object: created and updated (from its run), deleted (the deletion
// pass), conflicts (SyncConflict rows). Kept as JSON on SyncCycle.counts.
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseJsonColumn } from "@/lib/migration/database";

export const objectCountsSchema = z.object({
  created: z.number().int().default(0),
  updated: z.number().int().default(0),
  deleted: z.number().int().default(0),
  conflicts: z.number().int().default(0),
});
export type ObjectCounts = z.infer<typeof objectCountsSchema>;
export const cycleCountsSchema = z.record(z.string(), objectCountsSchema);
export type CycleCounts = Record<string, ObjectCounts>;

export const ZERO_COUNTS: ObjectCounts = { created: 0, updated: 0, deleted: 0, conflicts: 0 };

export function parseCycleCounts(text: string | null | undefined): CycleCounts {
  return parseJsonColumn<CycleCounts>(text, cycleCountsSchema, {});
}

export function addCounts(into: CycleCounts, objectType: string, delta: Partial<ObjectCounts>): CycleCounts {
  const current = into[objectType] ?? { ...ZERO_COUNTS };
  into[objectType] = {
    created: current.created + (delta.created ?? 0),
    updated: current.updated + (delta.updated ?? 0),
    deleted: current.deleted + (delta.deleted ?? 0),
    conflicts: current.conflicts + (delta.conflicts ?? 0),
  };
  return into;
}

/** Adds to one object's counts of a cycle (its row locked for the read and write); `deletionsDone` replaces the pass's progress. */
export async function addCycleCounts(
  tx: Prisma.TransactionClient,
  cycleId: string,
  objectType: string,
  delta: Partial<ObjectCounts>,
  deletionsDone?: string[],
): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "SyncCycle" WHERE "id" = ${cycleId} FOR UPDATE`;
  const cycle = await tx.syncCycle.findUniqueOrThrow({ where: { id: cycleId }, select: { counts: true } });
  const counts = addCounts(parseCycleCounts(cycle.counts), objectType, delta);
  await tx.syncCycle.update({
    where: { id: cycleId },
    data: { counts: JSON.stringify(counts), ...(deletionsDone ? { deletionsDone: JSON.stringify(deletionsDone) } : {}) },
  });
}

export function totalOf(counts: CycleCounts): ObjectCounts {
  const total = { ...ZERO_COUNTS };
  for (const value of Object.values(counts)) {
    total.created += value.created;
    total.updated += value.updated;
    total.deleted += value.deleted;
    total.conflicts += value.conflicts;
  }
  return total;
}
