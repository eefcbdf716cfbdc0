// What a rollback will delete, said exactly before the user confirms: per object, the records this
// run created (the same selection rollback.ts removes), and what is kept.
import type { Database } from "@/lib/db";
import { ROLLBACK_FAILED } from "@/lib/migration/rollback";
import { findRun, type RunAccess } from "./access";

export type RollbackPreview = {
  runId: string;
  targetName: string;
  objects: { objectType: string; targetObjectType: string; count: number }[];
  total: number;
  /** Records the run only updated: left as they are. */
  keptUpdated: number;
  /** Records that existed in the target before (linked, not created): untouched. */
  keptExisting: number;
};

export async function rollbackPreview(database: Database, access: RunAccess, runId: string): Promise<RollbackPreview> {
  const run = await findRun(database, access, runId);
  const [grouped, objects, keptUpdated, keptExisting] = await Promise.all([
    // Mirrors removableWhere in lib/migration/rollback.ts.
    database.recordLink.groupBy({
      by: ["objectType"],
      where: { createdByRunId: runId, status: { in: ["created", "updated"] }, targetId: { not: null }, OR: [{ errorCode: null }, { errorCode: { not: ROLLBACK_FAILED } }] },
      _count: { _all: true },
    }),
    database.runObject.findMany({ where: { runId }, orderBy: { position: "asc" }, select: { objectType: true, targetObjectType: true } }),
    database.recordLink.count({ where: { runId, status: "updated", OR: [{ createdByRunId: null }, { createdByRunId: { not: runId } }] } }),
    database.recordLink.count({ where: { runId, status: "skipped", targetId: { not: null } } }),
  ]);
  const counts = new Map(grouped.map((row) => [row.objectType, row._count._all]));
  const rows = objects.map((object) => ({ objectType: object.objectType, targetObjectType: object.targetObjectType, count: counts.get(object.objectType) ?? 0 }));
  return {
    runId,
    targetName: run.migration.target?.label ?? "the target",
    objects: rows,
    total: rows.reduce((sum, row) => sum + row.count, 0),
    keptUpdated,
    keptExisting,
  };
}

/** "Deletes 12 companies and 40 people from Twenty (sandbox)." */
export function rollbackSentence(preview: RollbackPreview): string {
  const parts = preview.objects.filter((object) => object.count > 0).map((object) => `${object.count.toLocaleString("en")} ${object.targetObjectType || object.objectType}`);
  if (parts.length === 0) return "Nothing to delete: this run created no record that is still in the target.";
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  return `Deletes ${list} (${preview.total.toLocaleString("en")} records) from ${preview.targetName}.`;
}
