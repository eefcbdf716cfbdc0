// The wizard as the pages see it: the migration, its two connections, plan and saved state, and
// for each step whether it can be opened (and why not) and whether it is done. Database only:
// no external API is called, so the layout can load it on every page.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { scopedDb } from "@/lib/org-scope";
import type { OrgContext } from "@/lib/team";
import { auditActor, recordAudit } from "@/lib/audit-log";
import { validatePlan, type MigrationPlan } from "@/lib/plan";
import { getConnector, isConnectorId } from "@/connectors/registry";
import { describeBoth, readWizard } from "./migration";
import type { WizardState } from "./state";

export const WIZARD_STEPS = ["source", "target", "objects", "audit", "prerequisites", "mapping", "demo", "run"] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export const STEP_LABELS: Record<WizardStep, string> = {
  source: "Source",
  target: "Target",
  objects: "Objects",
  audit: "Audit",
  prerequisites: "Prerequisites",
  mapping: "Mapping",
  demo: "Demo",
  run: "Full run",
};

export type ConnectionSummary = { id: string; label: string; systemId: string; systemName: string; accountName: string | null };
export type StepView = { step: WizardStep; label: string; href: string; ready: boolean; reason?: string; done: boolean };

export type WizardView = {
  migration: { id: string; name: string; status: string; updatedAt: Date };
  source: ConnectionSummary | null;
  target: ConnectionSummary | null;
  plan: MigrationPlan | null;
  state: WizardState;
  steps: StepView[];
};

export const migrationNameSchema = z.string().trim().min(1, "Give the migration a name.").max(100, "Name must be at most 100 characters.");

function accountNameOf(accountInfo: string | null): string | null {
  if (!accountInfo) return null;
  try {
    return (JSON.parse(accountInfo) as { accountName?: string }).accountName ?? null;
  } catch {
    return null;
  }
}

export function systemName(systemId: string): string {
  return isConnectorId(systemId) ? getConnector(systemId).manifest.name : systemId;
}

async function connectionSummary(database: Database, context: OrgContext, connectionId: string | null): Promise<ConnectionSummary | null> {
  if (!connectionId) return null;
  const connection = await scopedDb(database, context.organization.id).connection.findFirst({
    where: { id: connectionId },
    select: { id: true, label: true, systemId: true, accountInfo: true },
  });
  if (!connection) return null;
  return {
    id: connection.id,
    label: connection.label,
    systemId: connection.systemId,
    systemName: systemName(connection.systemId),
    accountName: accountNameOf(connection.accountInfo),
  };
}

type Gated = "full run" | "demo";

/**
 * Why a run cannot start, from the stored state alone: the demo writes into the live target just
 * like the full run (triggers and notifications fire for its records too), so both wait for the
 * same prerequisites. The live plan check is in fullRunReadiness.
 */
function storedRunBlockers(plan: MigrationPlan | null, state: WizardState, gated: Gated = "full run"): string[] {
  const The = gated === "demo" ? "The demo" : "The full run";
  if (!plan) return ["Build the plan first (step 3, Objects)."];
  const reasons: string[] = [];
  const report = state.prerequisites?.report;
  if (!report) return [`Run the prerequisite checks (step 5) before the ${gated}.`];
  for (const check of report.checks.filter((candidate) => candidate.blocking && candidate.status === "fail")) {
    reasons.push(`${The} cannot start until “${check.title}” passes (step 5, Prerequisites)${check.evidence[0] ? `: ${check.evidence[0]}` : "."}`);
  }
  for (const confirmation of report.confirmations.filter((candidate) => !state.confirmations[candidate.id])) {
    reasons.push(`Confirm “${confirmation.title}” in step 5, Prerequisites${gated === "demo" ? ", before the demo" : ""}.`);
  }
  return reasons;
}

/** The demo's gate: the prerequisites (blocking failures, unconfirmed confirmations) and a saved mapping. */
function demoBlockers(plan: MigrationPlan | null, state: WizardState): string[] {
  const reasons = storedRunBlockers(plan, state, "demo");
  if (reasons.length === 0 && state.mappingSavedAt === null) reasons.push("Review and save the mapping first (step 6).");
  return reasons;
}

export function computeSteps(
  migrationId: string,
  view: {
    source: ConnectionSummary | null;
    target: ConnectionSummary | null;
    plan: MigrationPlan | null;
    state: WizardState;
    demoDone: boolean;
    runDone: boolean;
  },
): StepView[] {
  const { source, target, plan, state } = view;
  const planReady = plan !== null && source !== null && target !== null && state.planBuiltFor?.source === source.id && state.planBuiltFor?.target === target.id;
  const report = state.prerequisites?.report ?? null;
  const blockingFailures = report ? report.checks.filter((check) => check.blocking && check.status === "fail") : [];
  const status: Record<WizardStep, { ready: boolean; reason?: string; done: boolean }> = {
    source: { ready: true, done: source !== null },
    target: source ? { ready: true, done: target !== null } : { ready: false, reason: "Choose the source first.", done: false },
    objects:
      source && target
        ? { ready: true, done: planReady && state.objectsSavedAt !== null }
        : { ready: false, reason: "Choose the source and the target first.", done: false },
    audit: planReady
      ? { ready: true, done: state.audit?.status === "done" }
      : { ready: false, reason: "Choose the objects to migrate first (step 3).", done: false },
    prerequisites: planReady
      ? {
          ready: true,
          done: report !== null && blockingFailures.length === 0 && report.confirmations.every((confirmation) => state.confirmations[confirmation.id]),
        }
      : { ready: false, reason: "Choose the objects to migrate first (step 3).", done: false },
    mapping: planReady
      ? { ready: true, done: state.mappingSavedAt !== null }
      : { ready: false, reason: "Choose the objects to migrate first (step 3).", done: false },
    demo: (() => {
      const blockers = planReady ? demoBlockers(plan, state) : ["Choose the objects to migrate first (step 3)."];
      return blockers.length > 0 ? { ready: false, reason: blockers[0], done: view.demoDone } : { ready: true, done: view.demoDone };
    })(),
    run: (() => {
      const blockers = planReady ? storedRunBlockers(plan, state) : ["Choose the objects to migrate first (step 3)."];
      if (blockers.length === 0 && state.mappingSavedAt === null) blockers.push("Review and save the mapping first (step 6).");
      return blockers.length > 0 ? { ready: false, reason: blockers[0], done: view.runDone } : { ready: true, done: view.runDone };
    })(),
  };
  return WIZARD_STEPS.map((step) => ({ step, label: STEP_LABELS[step], href: `/migrations/${migrationId}/${step}`, ...status[step] }));
}

/** The wizard for one migration of the caller's organization; throws NotFoundError for any other id. */
export async function loadWizard(database: Database, context: OrgContext, migrationId: string): Promise<WizardView> {
  const { migration, plan, state } = await readWizard(database, context, migrationId);
  const [source, target] = await Promise.all([
    connectionSummary(database, context, migration.sourceConnectionId),
    connectionSummary(database, context, migration.targetConnectionId),
  ]);
  const runs = scopedDb(database, context.organization.id).run;
  const [demoDone, runDone] = await Promise.all([
    runs.count({ where: { migrationId, mode: "demo", status: "completed" } }),
    runs.count({ where: { migrationId, mode: "full", status: "completed" } }),
  ]);
  return {
    migration: { id: migration.id, name: migration.name, status: migration.status, updatedAt: migration.updatedAt },
    source,
    target,
    plan,
    state,
    steps: computeSteps(migration.id, { source, target, plan, state, demoDone: demoDone > 0, runDone: runDone > 0 }),
  };
}

/** The step to open when a migration is opened: the first not done (and ready), else the last ready one. */
export function currentStep(view: WizardView): StepView {
  return view.steps.find((step) => step.ready && !step.done) ?? [...view.steps].reverse().find((step) => step.ready) ?? view.steps[0];
}

/** Whether the demo may start: the same prerequisite gate as the full run, from the stored state, and a saved mapping; `fixAt` is the step to open. */
export async function demoReadiness(
  database: Database,
  context: OrgContext,
  migrationId: string,
): Promise<{ ok: boolean; reasons: string[]; fixAt: WizardStep | null }> {
  const { migration, plan, state } = await readWizard(database, context, migrationId);
  if (!plan || !migration.sourceConnectionId || !migration.targetConnectionId)
    return { ok: false, reasons: ["Choose the source, the target and the objects first (steps 1 to 3)."], fixAt: "objects" };
  const prerequisites = storedRunBlockers(plan, state, "demo");
  if (prerequisites.length > 0) return { ok: false, reasons: prerequisites, fixAt: "prerequisites" };
  const mapping = demoBlockers(plan, state);
  return mapping.length > 0 ? { ok: false, reasons: mapping, fixAt: "mapping" } : { ok: true, reasons: [], fixAt: null };
}

/**
 * Whether the full run may start: false while a blocking prerequisite failed at the last check,
 * a manual confirmation is unconfirmed, or the plan does not validate against both live schemas.
 */
export async function fullRunReadiness(database: Database, context: OrgContext, migrationId: string): Promise<{ ok: boolean; reasons: string[] }> {
  const { migration, plan, state } = await readWizard(database, context, migrationId);
  const reasons = storedRunBlockers(plan, state);
  if (plan && migration.sourceConnectionId && migration.targetConnectionId) {
    try {
      const { sourceSchema, targetSchema } = await describeBoth(database, context, migration);
      for (const issue of validatePlan(plan, sourceSchema, targetSchema).filter((candidate) => candidate.severity === "error")) {
        reasons.push(`${issue.sourceObject} → ${issue.targetObject}: ${issue.message} (step 6, Mapping, or step 5, Prerequisites).`);
      }
    } catch (error) {
      reasons.push(error instanceof Error ? error.message : "Ferry could not check the plan against the two systems. Try again.");
    }
  } else if (plan) {
    reasons.push("Choose both connections first.");
  }
  return { ok: reasons.length === 0, reasons };
}

// ---------------------------------------------------------------------------------------------
// The list and new drafts
// ---------------------------------------------------------------------------------------------

export type MigrationListRow = {
  id: string;
  name: string;
  source: string | null;
  target: string | null;
  status: string;
  lastRunAt: string | null;
  lastRunStatus: string | null;
  updatedAt: string;
};

export async function listMigrations(database: Database, context: OrgContext): Promise<MigrationListRow[]> {
  const scoped = scopedDb(database, context.organization.id);
  const migrations = await scoped.migration.findMany({
    orderBy: { updatedAt: "desc" },
    select: {
      id: true,
      name: true,
      status: true,
      updatedAt: true,
      sourceConnection: { select: { label: true, systemId: true } },
      targetConnection: { select: { label: true, systemId: true } },
      runs: { orderBy: { createdAt: "desc" }, take: 1, select: { createdAt: true, startedAt: true, status: true, mode: true } },
    },
  });
  return migrations.map((migration) => {
    const run = migration.runs[0];
    return {
      id: migration.id,
      name: migration.name,
      source: migration.sourceConnection ? `${migration.sourceConnection.label} (${systemName(migration.sourceConnection.systemId)})` : null,
      target: migration.targetConnection ? `${migration.targetConnection.label} (${systemName(migration.targetConnection.systemId)})` : null,
      status: migration.status,
      lastRunAt: run ? (run.startedAt ?? run.createdAt).toISOString() : null,
      lastRunStatus: run ? `${run.mode} · ${run.status}` : null,
      updatedAt: migration.updatedAt.toISOString(),
    };
  });
}

export async function createMigrationDraft(database: Database, context: OrgContext, input: { name: unknown }): Promise<{ id: string }> {
  const name = migrationNameSchema.parse(input.name);
  const created = await scopedDb(database, context.organization.id).migration.create({
    data: { organizationId: context.organization.id, name, status: "draft", plan: "{}", wizardState: "{}" },
    select: { id: true },
  });
  await recordAudit(database, auditActor(context), { kind: "migration.created", migrationId: created.id, summary: `Created the migration "${name}".` });
  return created;
}
