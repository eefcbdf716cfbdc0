// Steps 1 and 2: choose a system and one of the organization's connections for each side, and
// test it (account, permission level, record counts per object type).
import { z } from "zod";
import type { Database } from "@/lib/db";
import { NotFoundError, UserFacingError } from "@/lib/errors";
import { linkedTargetCount } from "@/lib/migration/record-map";
import { scopedDb } from "@/lib/org-scope";
import type { OrgContext } from "@/lib/team";
import { auditActor, recordAudit } from "@/lib/audit-log";
import { connectorCatalog, getConnector, isConnectorId } from "@/connectors/registry";
import { canBeTarget } from "@/connectors/types";
import { connectorProblem, openSide, readWizard, writeWizard } from "./migration";
import type { MigrationPlan } from "@/lib/plan";
import { resetPlanState, type ConnectionTest, type WizardState } from "./state";

export const sideSchema = z.enum(["source", "target"]);
export type Side = z.infer<typeof sideSchema>;

/** Systems a side may use: any for the source, those that write for the target. */
export function systemAllowed(systemId: string, side: Side): boolean {
  return isConnectorId(systemId) && (side === "source" || canBeTarget(getConnector(systemId).manifest));
}

/** The systems Ferry writes to, in words: "Teamwork Desk or Twenty". */
function targetSystemNames(): string {
  const names = connectorCatalog()
    .filter(canBeTarget)
    .map((entry) => entry.name);
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : names.join("");
}

export async function selectSystem(database: Database, context: OrgContext, migrationId: string, side: Side, systemId: string): Promise<void> {
  if (!systemAllowed(systemId, side))
    throw new UserFacingError(side === "target" ? "Ferry cannot write to that system; choose another target." : "Choose a system Ferry supports.", "systemId");
  await writeWizard(database, context, migrationId, {
    updateState: (current) => (side === "source" ? { ...current, sourceSystemId: systemId } : { ...current, targetSystemId: systemId }),
  });
}

/**
 * What choosing another connection on one side keeps and discards. The audit profiles the source,
 * so a new target keeps it; a target of the same system keeps the objects and field mapping too
 * (the mapping step re-checks them), but not the user mapping (other users) nor the prerequisite
 * checks (another system's settings). A new source, or a target of another system, starts the
 * plan over.
 */
export function connectionChange(
  state: WizardState,
  plan: MigrationPlan | null,
  side: Side,
  change: { connectionId: string; systemId: string; previousSystemId: string | null },
): { state: WizardState; plan: MigrationPlan | null; discarded: string[] } {
  if (side === "source") {
    const discarded = [...(plan ? ["the objects, field mapping and user mapping"] : []), ...(state.audit ? ["the audit"] : [])];
    return { state: resetPlanState({ ...state, sourceSystemId: change.systemId, sourceTest: null }), plan: null, discarded };
  }
  const keepPlan = plan !== null && change.previousSystemId === change.systemId && state.planBuiltFor !== null;
  const next: WizardState = { ...state, targetSystemId: change.systemId, targetTest: null, prerequisites: null, confirmations: {} };
  if (keepPlan) {
    const mappedUsers = plan.userMappings.some((mapping) => mapping.targetUserId !== null) || plan.fallbackUserId !== null;
    return {
      state: { ...next, planBuiltFor: { source: state.planBuiltFor!.source, target: change.connectionId } },
      plan: { ...plan, userMappings: plan.userMappings.map((mapping) => ({ ...mapping, targetUserId: null })), fallbackUserId: null },
      discarded: mappedUsers ? ["the user mapping (the new target has its own users)"] : [],
    };
  }
  return {
    state: { ...next, planBuiltFor: null, objectsSavedAt: null, mappingSavedAt: null, appliedSuggestions: [] },
    plan: null,
    discarded: plan
      ? [
          `the objects, field mapping and user mapping${state.appliedSuggestions.length > 0 ? " (with the audit suggestions applied to them; the audit itself is kept)" : ""}`,
        ]
      : [],
  };
}

export async function selectConnection(
  database: Database,
  context: OrgContext,
  migrationId: string,
  side: Side,
  connectionId: string,
  options: { confirmDiscard?: boolean } = {},
): Promise<{ discarded: string[] }> {
  const { migration, state, plan } = await readWizard(database, context, migrationId);
  const scoped = scopedDb(database, context.organization.id);
  const connection = await scoped.connection.findFirst({ where: { id: connectionId }, select: { id: true, systemId: true } });
  if (!connection) throw new NotFoundError("That connection");
  if (!systemAllowed(connection.systemId, side))
    throw new UserFacingError(`Ferry cannot write to that system. Choose a ${targetSystemNames()} connection as the target.`, "connectionId");
  const other = side === "source" ? migration.targetConnectionId : migration.sourceConnectionId;
  if (other === connection.id)
    throw new UserFacingError(
      `The ${side} must be a different connection from the ${side === "source" ? "target" : "source"}. Choose or add another connection.`,
      "connectionId",
    );
  const current = side === "source" ? migration.sourceConnectionId : migration.targetConnectionId;
  if (current === connection.id) {
    await writeWizard(database, context, migrationId, {
      updateState: (current) => (side === "source" ? { ...current, sourceSystemId: connection.systemId } : { ...current, targetSystemId: connection.systemId }),
    });
    return { discarded: [] };
  }
  if (side === "target" && current) await assertTargetReplaceable(database, migrationId);
  const chosen = await scoped.connection.findFirst({ where: { id: connection.id }, select: { label: true } });
  const previous = current ? await scoped.connection.findFirst({ where: { id: current }, select: { systemId: true } }) : null;
  const change = connectionChange(state, plan, side, {
    connectionId: connection.id,
    systemId: connection.systemId,
    previousSystemId: previous?.systemId ?? null,
  });
  if (change.discarded.length > 0 && !options.confirmDiscard) {
    // Nothing is lost silently: the page asks first, naming what goes.
    throw new UserFacingError(`Changing the ${side} discards ${change.discarded.join(" and ")}. Confirm to change it.`, "confirmDiscard");
  }
  await writeWizard(database, context, migrationId, {
    // A new connection resets what depended on the old one: the state computed from it replaces the stored one.
    updateState: () => change.state,
    ...(change.plan === plan ? {} : { plan: change.plan }),
    ...(side === "source" ? { sourceConnectionId: connection.id } : { targetConnectionId: connection.id }),
  });
  if (current) {
    const discarded = change.discarded.length > 0 ? ` (discarding ${change.discarded.join(" and ")})` : "";
    await recordAudit(database, auditActor(context), {
      kind: "connection.replaced",
      migrationId,
      summary: `Replaced the ${side} connection of "${migration.name}" with "${chosen?.label ?? connection.id}"${discarded}.`,
    });
  }
  return { discarded: change.discarded };
}

/**
 * Runs keep target ids but not which connection they wrote to: a rollback after a change of target
 * would delete by those ids in the new one, and the next run would take records matched there as
 * already migrated. The target changes only once the record map points at nothing in the current one.
 */
async function assertTargetReplaceable(database: Database, migrationId: string): Promise<void> {
  const linked = await linkedTargetCount(database, migrationId);
  if (linked === 0) return;
  throw new UserFacingError(
    `Runs of this migration wrote or matched ${linked.toLocaleString("en")} record${linked === 1 ? "" : "s"} in the current target, and its record map points there. Roll the runs back (or delete the demo data) before changing the target, or start a new migration for the new target.`,
    "connectionId",
  );
}

function connectionIdOf(migration: { sourceConnectionId: string | null; targetConnectionId: string | null }, side: Side) {
  return side === "source" ? migration.sourceConnectionId : migration.targetConnectionId;
}

/** Checks the key with the system and lists the object types to count; counts come one by one (countObject) so the page can show progress. */
export async function testConnection(database: Database, context: OrgContext, migrationId: string, side: Side): Promise<ConnectionTest> {
  const { migration } = await readWizard(database, context, migrationId);
  const connectionId = connectionIdOf(migration, side);
  const session = await openSide(database, context, connectionId, side);
  let test: ConnectionTest;
  try {
    const account = await session.verify();
    const schema = await session.describe();
    const objects = schema.objectTypes.filter((object) => object.canRead).map((object) => ({ key: object.key, label: object.label, count: null }));
    test = { connectionId: connectionId as string, testedAt: new Date().toISOString(), account, objects };
  } catch (error) {
    throw connectorProblem(error, `The ${side} connection did not answer`);
  }
  await scopedDb(database, context.organization.id).connection.updateMany({
    where: { id: connectionId as string },
    data: { lastVerifiedAt: new Date(), accountInfo: JSON.stringify(test.account) },
  });
  await recordAudit(database, auditActor(context), {
    kind: "connection.tested",
    migrationId,
    summary: `Tested the ${side} connection of "${migration.name}": account "${test.account.accountName}" answered.`,
  });
  await writeWizard(database, context, migrationId, {
    updateState: (current) => (side === "source" ? { ...current, sourceTest: test } : { ...current, targetTest: test }),
  });
  return test;
}

/** Counts one object type of a tested connection and stores the count with the test. */
export async function countObject(
  database: Database,
  context: OrgContext,
  migrationId: string,
  side: Side,
  objectType: string,
): Promise<{ count: number | null; error?: string }> {
  const { migration, state } = await readWizard(database, context, migrationId);
  const test = side === "source" ? state.sourceTest : state.targetTest;
  if (!test || test.connectionId !== connectionIdOf(migration, side)) throw new UserFacingError("Test the connection first.");
  if (!test.objects.some((object) => object.key === objectType)) throw new UserFacingError(`The ${side} has no object type "${objectType}".`);
  const session = await openSide(database, context, test.connectionId, side);
  let result: { count: number | null; error?: string };
  try {
    result = { count: await session.count(objectType) };
  } catch (error) {
    result = { count: null, error: connectorProblem(error, "Could not count").message };
  }
  // Several counts run at once: each changes its own object of the test as stored now.
  await writeWizard(database, context, migrationId, { updateState: (current) => withCount(current, side, test.connectionId, objectType, result) });
  return result;
}

function withCount(state: WizardState, side: Side, connectionId: string, objectType: string, result: { count: number | null; error?: string }): WizardState {
  const test = side === "source" ? state.sourceTest : state.targetTest;
  if (!test || test.connectionId !== connectionId) return state;
  const updated = { ...test, objects: test.objects.map((object) => (object.key === objectType ? { ...object, ...result } : object)) };
  return side === "source" ? { ...state, sourceTest: updated } : { ...state, targetTest: updated };
}
