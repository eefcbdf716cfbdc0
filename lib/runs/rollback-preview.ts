// What a rollback will delete, said exactly before the user confirms: which runs it covers and what
// each created, per object the records those runs created (the selection rollback.ts removes),
// and what is kept — each record counted once, whichever run touched it.
import type { Database } from "@/lib/db";
import { removableLinkCounts } from "@/lib/migration/record-map";
import { keptCounts, rollbackScopeFor, storedScope } from "@/lib/migration/rollback";
import { findRun, type RunAccess } from "./access";

export type CoveredRun = { id: string; mode: string; status: string; createdAt: string; created: number };

export type RollbackPreview = {
  runId: string;
  targetName: string;
  /** The runs whose created records the rollback removes, oldest first (this one included). */
  runs: CoveredRun[];
  objects: { objectType: string; targetObjectType: string; count: number }[];
  total: number;
  /** Records the runs only updated: left as they are. */
  keptUpdated: number;
  /** Records that existed in the target before (linked as duplicates, not created): untouched. */
  keptExisting: number;
  /** Source duplicates linked to a record the migration created: they go with that record. */
  duplicatesOfCreated: number;
};

export async function rollbackPreview(database: Database, access: RunAccess, runId: string): Promise<RollbackPreview> {
  const run = await findRun(database, access, runId);
  const row = await database.run.findUniqueOrThrow({ where: { id: runId }, select: { id: true, rollbackScope: true } });
  const scope = run.status === "rolling_back" ? storedScope(row) : await rollbackScopeFor(database, run);
  const [{ byObject: counts, byRun: createdBy }, runs, objects, kept] = await Promise.all([
    removableLinkCounts(database, run.migrationId, scope),
    database.run.findMany({ where: { id: { in: scope } }, orderBy: { createdAt: "asc" }, select: { id: true, mode: true, status: true, createdAt: true } }),
    database.runObject.findMany({ where: { runId: { in: scope } }, orderBy: { position: "asc" }, select: { objectType: true, targetObjectType: true } }),
    keptCounts(database, scope),
  ]);
  const seen = new Set<string>();
  const rows = objects
    .filter((object) => !seen.has(object.objectType) && seen.add(object.objectType))
    .map((object) => ({ objectType: object.objectType, targetObjectType: object.targetObjectType, count: counts.get(object.objectType) ?? 0 }));
  return {
    runId,
    targetName: run.migration.target?.label ?? "the target",
    // A covered run that created nothing still in the target is not worth a line, except this one.
    runs: runs
      .map((covered) => ({
        id: covered.id,
        mode: covered.mode,
        status: covered.status,
        createdAt: covered.createdAt.toISOString(),
        created: createdBy.get(covered.id) ?? 0,
      }))
      .filter((covered) => covered.created > 0 || covered.id === runId),
    objects: rows,
    total: rows.reduce((sum, entry) => sum + entry.count, 0),
    ...kept,
  };
}

/** "Deletes 12 companies and 40 people from Twenty (sandbox)." */
export function rollbackSentence(preview: RollbackPreview): string {
  const parts = preview.objects
    .filter((object) => object.count > 0)
    .map((object) => `${object.count.toLocaleString("en")} ${object.targetObjectType || object.objectType}`);
  if (parts.length === 0) return "Nothing to delete: these runs created no record that is still in the target.";
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  return `Deletes ${list} (${preview.total.toLocaleString("en")} records) from ${preview.targetName}.`;
}
