// Reading and writing one migration row for the wizard, always through scopedDb, so another
// organization's id is simply not found.
import type { Database } from "@/lib/db";
import { NotFoundError, UserFacingError } from "@/lib/errors";
import { scopedDb } from "@/lib/org-scope";
import type { OrgContext } from "@/lib/team";
import { openConnection } from "@/lib/connections";
import { parsePlan, serializePlan, type MigrationPlan } from "@/lib/plan";
import type { ConnectorSession, SchemaDescription } from "@/connectors/types";
import { ConnectorError } from "@/connectors/types";
import { parseWizardState, type WizardState } from "./state";

const MIGRATION_FIELDS = {
  id: true,
  name: true,
  status: true,
  sourceConnectionId: true,
  targetConnectionId: true,
  plan: true,
  wizardState: true,
  updatedAt: true,
} as const;

export async function findMigration(database: Database, context: OrgContext, migrationId: string) {
  const migration = await scopedDb(database, context.organization.id).migration.findFirst({ where: { id: migrationId }, select: MIGRATION_FIELDS });
  if (!migration) throw new NotFoundError("That migration");
  return migration;
}

/** The stored plan, or null when none was built yet ("{}") or it no longer parses (it is rebuilt). */
export function storedPlan(json: string): MigrationPlan | null {
  if (!json || json.trim() === "{}") return null;
  try {
    return parsePlan(json);
  } catch {
    return null;
  }
}

export async function readWizard(
  database: Database,
  context: OrgContext,
  migrationId: string,
): Promise<{ migration: Awaited<ReturnType<typeof findMigration>>; plan: MigrationPlan | null; state: WizardState }> {
  const migration = await findMigration(database, context, migrationId);
  return { migration, plan: storedPlan(migration.plan), state: parseWizardState(migration.wizardState) };
}

type WizardChanges = {
  /** Applied to the state as stored at the moment of writing, under a row lock. */
  updateState?: (current: WizardState) => WizardState;
  plan?: MigrationPlan | null;
  sourceConnectionId?: string | null;
  targetConnectionId?: string | null;
};

/**
 * Saves the state (and the plan, when given) of a migration of the caller's organization. The
 * state is changed from what is stored now, with the row locked, not from what the caller read
 * earlier: a running audit, a count and a second tab each change their own part without undoing
 * the others'.
 */
export async function writeWizard(database: Database, context: OrgContext, migrationId: string, changes: WizardChanges): Promise<void> {
  await database.$transaction(async (transaction) => {
    const stored = await lockedState(transaction, migrationId, context.organization.id);
    if (stored === null) throw new NotFoundError("That migration");
    const data: Record<string, unknown> = {};
    if (changes.updateState) data.wizardState = JSON.stringify(changes.updateState(stored));
    if (changes.plan !== undefined) data.plan = changes.plan === null ? "{}" : serializePlan(changes.plan);
    if (changes.sourceConnectionId !== undefined) data.sourceConnectionId = changes.sourceConnectionId;
    if (changes.targetConnectionId !== undefined) data.targetConnectionId = changes.targetConnectionId;
    await transaction.migration.update({ where: { id: migrationId }, data });
  });
}

type Transaction = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/** The stored state of a migration (of `organizationId`, when given), its row locked until the transaction ends; null when there is none. */
export async function lockedState(transaction: Transaction, migrationId: string, organizationId?: string): Promise<WizardState | null> {
  const rows = organizationId
    ? await transaction.$queryRaw<{ wizardState: string }[]>`
        SELECT "wizardState" FROM "Migration" WHERE "id" = ${migrationId} AND "organizationId" = ${organizationId} FOR UPDATE`
    : await transaction.$queryRaw<{ wizardState: string }[]>`SELECT "wizardState" FROM "Migration" WHERE "id" = ${migrationId} FOR UPDATE`;
  return rows.length === 0 ? null : parseWizardState(rows[0].wizardState);
}

/** A connector error as a sentence saying what to do next. */
export function connectorProblem(error: unknown, what: string): UserFacingError {
  if (error instanceof UserFacingError) return error;
  if (error instanceof ConnectorError) return new UserFacingError(`${what}: ${error.message}`);
  return new UserFacingError(
    `${what}: ${error instanceof Error ? error.message : "unknown error"}. Test the connection again, or check it on the Connections page.`,
  );
}

export async function openSide(database: Database, context: OrgContext, connectionId: string | null, side: "source" | "target"): Promise<ConnectorSession> {
  if (!connectionId) throw new UserFacingError(`Choose the ${side} connection first (step ${side === "source" ? 1 : 2}).`);
  return openConnection(database, context.organization.id, connectionId);
}

export type Schemas = { sourceSchema: SchemaDescription; targetSchema: SchemaDescription };

/** Both systems' live schemas (after prerequisite fixes the target's fields change, so this is never cached). */
export async function describeBoth(
  database: Database,
  context: OrgContext,
  migration: { sourceConnectionId: string | null; targetConnectionId: string | null },
): Promise<Schemas & { source: ConnectorSession; target: ConnectorSession }> {
  const source = await openSide(database, context, migration.sourceConnectionId, "source");
  const target = await openSide(database, context, migration.targetConnectionId, "target");
  const [sourceSchema, targetSchema] = await Promise.all([
    source.describe().catch((error: unknown) => {
      throw connectorProblem(error, "Ferry could not read the source's object types");
    }),
    target.describe().catch((error: unknown) => {
      throw connectorProblem(error, "Ferry could not read the target's object types");
    }),
  ]);
  return { source, target, sourceSchema, targetSchema };
}
