// Audit entries for what a person did to a run. The entry goes to the run's organization, which
// for Ferry staff acting from the monitor is not their own.
import { recordAudit, type AuditKind } from "@/lib/audit-log";
import type { Database } from "@/lib/db";

const VERBS = {
  "run.started": "Started",
  "run.paused": "Paused",
  "run.resumed": "Resumed",
  "run.cancelled": "Cancelled",
  "run.rolled_back": "Rolled back",
} as const satisfies Partial<Record<AuditKind, string>>;

export async function recordRunAudit(
  database: Database,
  user: { id: string; name: string; email: string },
  kind: keyof typeof VERBS,
  runId: string,
  options: { asStaff?: boolean } = {},
): Promise<void> {
  const run = await database.run.findUnique({
    where: { id: runId },
    select: { mode: true, sampleSize: true, migration: { select: { id: true, name: true, organizationId: true } } },
  });
  if (!run) return;
  const sample = run.mode === "demo" && run.sampleSize ? ` (${run.sampleSize} records per object)` : "";
  const staff = options.asStaff ? " from the Ferry staff monitor" : "";
  await recordAudit(
    database,
    { organizationId: run.migration.organizationId, user },
    { kind, migrationId: run.migration.id, runId, summary: `${VERBS[kind]} the ${run.mode} run of "${run.migration.name}"${sample}${staff}.` },
  );
}
