// The runs of one migration, newest first, for the runs list and the demo / run steps.
import type { Database } from "@/lib/db";
import { findMigration, type RunAccess } from "./access";

export type RunListRow = {
  id: string;
  mode: string;
  status: string;
  createdAt: string;
  finishedAt: string | null;
  processed: number;
  total: number;
  created: number;
  failed: number;
  repaired: number;
  valueDropped: number;
};

export async function migrationRuns(database: Database, access: RunAccess, migrationId: string, filter: { mode?: string } = {}): Promise<RunListRow[]> {
  await findMigration(database, access, migrationId);
  const runs = await database.run.findMany({
    where: { migrationId, ...(filter.mode ? { mode: filter.mode } : {}) },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      mode: true,
      status: true,
      createdAt: true,
      finishedAt: true,
      processedRecords: true,
      totalRecords: true,
      createdRecords: true,
      failedRecords: true,
      repairedRecords: true,
      valueDroppedRecords: true,
    },
  });
  return runs.map((run) => ({
    id: run.id,
    mode: run.mode,
    status: run.status,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    processed: run.processedRecords,
    total: run.totalRecords,
    created: run.createdRecords,
    failed: run.failedRecords,
    repaired: run.repairedRecords,
    valueDropped: run.valueDroppedRecords,
  }));
}
