// Who may see a run: a member of the run's organization (through scopedDb), or staff (unscoped,
// after requireStaff). Every lib/runs loader takes a RunAccess and answers NotFoundError for a run
// the caller may not see, so another organization's run looks exactly like one that does not exist.
import type { Database } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { scopedDb } from "@/lib/org-scope";
import type { OrgContext } from "@/lib/team";

export type RunAccess = { kind: "organization"; organizationId: string } | { kind: "staff" };

export function organizationAccess(context: Pick<OrgContext, "organization">): RunAccess {
  return { kind: "organization", organizationId: context.organization.id };
}

/** Staff access; a non-staff caller gets the same NotFoundError as for a run that does not exist. */
export function staffAccess(context: Pick<OrgContext, "user">): RunAccess {
  if (!context.user.isStaff) throw new NotFoundError("That run");
  return { kind: "staff" };
}

const RUN_SUMMARY_SELECT = {
  id: true,
  migrationId: true,
  mode: true,
  status: true,
  createdAt: true,
  migration: {
    select: {
      id: true,
      name: true,
      organizationId: true,
      sourceConnectionId: true,
      targetConnectionId: true,
      organization: { select: { name: true } },
      sourceConnection: { select: { id: true, systemId: true, label: true, baseUrl: true } },
      targetConnection: { select: { id: true, systemId: true, label: true, baseUrl: true } },
    },
  },
} as const;

export type RunSummary = {
  id: string;
  migrationId: string;
  mode: string;
  status: string;
  createdAt: Date;
  migration: {
    id: string;
    name: string;
    organizationId: string;
    organizationName: string;
    source: { id: string; systemId: string; label: string; baseUrl: string | null } | null;
    target: { id: string; systemId: string; label: string; baseUrl: string | null } | null;
  };
};

/** The run with its migration and connections (never credentials), or NotFoundError. */
export async function findRun(database: Database, access: RunAccess, runId: string): Promise<RunSummary> {
  const where = { id: runId };
  const row =
    access.kind === "staff"
      ? await database.run.findFirst({ where, select: RUN_SUMMARY_SELECT })
      : await scopedDb(database, access.organizationId).run.findFirst({ where, select: RUN_SUMMARY_SELECT });
  if (!row) throw new NotFoundError("That run");
  const { migration } = row;
  return {
    id: row.id,
    migrationId: row.migrationId,
    mode: row.mode,
    status: row.status,
    createdAt: row.createdAt,
    migration: {
      id: migration.id,
      name: migration.name,
      organizationId: migration.organizationId,
      organizationName: migration.organization.name,
      source: migration.sourceConnection,
      target: migration.targetConnection,
    },
  };
}

const MIGRATION_SELECT = {
  id: true,
  name: true,
  organizationId: true,
  plan: true,
  status: true,
  sourceConnection: { select: { id: true, systemId: true, label: true, baseUrl: true } },
  targetConnection: { select: { id: true, systemId: true, label: true, baseUrl: true } },
} as const;

export async function findMigration(database: Database, access: RunAccess, migrationId: string) {
  const where = { id: migrationId };
  const row =
    access.kind === "staff"
      ? await database.migration.findFirst({ where, select: MIGRATION_SELECT })
      : await scopedDb(database, access.organizationId).migration.findFirst({ where, select: MIGRATION_SELECT });
  if (!row) throw new NotFoundError("That migration");
  return row;
}
export type MigrationSummary = Awaited<ReturnType<typeof findMigration>>;
