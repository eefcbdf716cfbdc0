// Step 4: the source audit over the objects the plan migrates. It reads every record (up to
// MAX_AUDIT_RECORDS_PER_OBJECT per object), so it runs in the background of the server process
// and saves its progress in wizardState; the page polls it, and a user who leaves and comes back
// finds the progress or the stored result.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import type { OrgContext } from "@/lib/team";
import { auditSource, policyImpact, type AuditFinding } from "@/lib/audit";
import { applyPlanPatch, parsePlan, planPatchSchema, serializePlan, type MigrationPlan } from "@/lib/plan";
import type { CanonicalRecord } from "@/connectors/types";
import { connectorProblem, openSide, readWizard, writeWizard } from "./migration";
import { MAX_AUDIT_RECORDS_PER_OBJECT, type AuditProgress, type AuditState } from "./state";

/** Progress is saved at most this often while reading. */
const AUDIT_PROGRESS_SAVE_MS = 500;
/** A running audit whose progress has not moved for this long was interrupted (server restarted). */
export const AUDIT_STALE_MS = 60_000;

export function auditInterrupted(audit: AuditState | null, now = Date.now()): boolean {
  return audit?.status === "running" && now - Date.parse(audit.heartbeatAt) > AUDIT_STALE_MS;
}

async function saveAudit(database: Database, context: OrgContext, migrationId: string, audit: AuditState) {
  // The user may change other answers while the audit runs: only `audit` is ours.
  await writeWizard(database, context, migrationId, { updateState: (current) => ({ ...current, audit }) });
}

async function prepareAudit(database: Database, context: OrgContext, migrationId: string) {
  const { migration, plan, state } = await readWizard(database, context, migrationId);
  if (!plan) throw new UserFacingError("Choose the objects to migrate first (step 3).");
  if (state.audit?.status === "running" && !auditInterrupted(state.audit))
    throw new UserFacingError("The audit is already running. Its progress is shown below.");
  const source = await openSide(database, context, migration.sourceConnectionId, "source");
  const schema = await source.describe().catch((error: unknown) => {
    throw connectorProblem(error, "Ferry could not read the source's object types");
  });
  const wanted = new Set(plan.objects.filter((pair) => pair.enabled).map((pair) => pair.sourceObject));
  const objects = schema.objectTypes.filter((object) => object.canRead && wanted.has(object.key));
  if (objects.length === 0) throw new UserFacingError("No object is selected for migration. Choose at least one in step 3.");
  const now = new Date().toISOString();
  const audit: AuditState = {
    status: "running",
    startedAt: now,
    heartbeatAt: now,
    finishedAt: null,
    maxRecordsPerObject: MAX_AUDIT_RECORDS_PER_OBJECT,
    progress: objects.map((object) => ({ objectType: object.key, label: object.label, total: null, read: 0, done: false, capped: false })),
    reports: [],
    error: null,
  };
  await saveAudit(database, context, migrationId, audit);
  return { source, objects, audit };
}

async function performAudit(
  database: Database,
  context: OrgContext,
  migrationId: string,
  prepared: Awaited<ReturnType<typeof prepareAudit>>,
  options: { now?: Date; maxRecordsPerObject?: number },
): Promise<AuditState> {
  const { source, objects } = prepared;
  const audit = prepared.audit;
  const cap = options.maxRecordsPerObject ?? MAX_AUDIT_RECORDS_PER_OBJECT;
  audit.maxRecordsPerObject = cap;
  const progressOf = (key: string) => audit.progress.find((item) => item.objectType === key) as AuditProgress;
  let lastSave = 0;
  const heartbeat = async (force = false) => {
    if (!force && Date.now() - lastSave < AUDIT_PROGRESS_SAVE_MS) return;
    lastSave = Date.now();
    audit.heartbeatAt = new Date().toISOString();
    await saveAudit(database, context, migrationId, audit);
  };
  try {
    for (const object of objects) progressOf(object.key).total = await source.count(object.key).catch(() => null);
    await heartbeat(true);
    async function* read(objectType: string): AsyncGenerator<CanonicalRecord> {
      const progress = progressOf(objectType);
      for await (const page of source.read(objectType)) {
        for (const record of page.records) {
          if (progress.read >= cap) {
            progress.capped = true;
            progress.done = true;
            return;
          }
          progress.read += 1;
          yield record;
        }
        await heartbeat();
      }
      progress.done = true;
    }
    const reports = await auditSource(objects, read, options.now ?? new Date());
    audit.reports = reports;
    audit.status = "done";
    audit.finishedAt = new Date().toISOString();
  } catch (error) {
    audit.status = "failed";
    audit.error = connectorProblem(error, "The audit stopped").message + " Run it again; it starts over.";
    audit.finishedAt = new Date().toISOString();
  }
  await heartbeat(true);
  return audit;
}

/** Runs the whole audit and returns the stored result (tests, scripts). */
export async function runAudit(
  database: Database,
  context: OrgContext,
  migrationId: string,
  options: { now?: Date; maxRecordsPerObject?: number } = {},
): Promise<AuditState> {
  const prepared = await prepareAudit(database, context, migrationId);
  return performAudit(database, context, migrationId, prepared, options);
}

/** Starts the audit in the background of this server process and returns once it is marked running. */
export async function startAudit(database: Database, context: OrgContext, migrationId: string): Promise<void> {
  const prepared = await prepareAudit(database, context, migrationId);
  // Not awaited on purpose: the page polls the stored progress. Failures are stored by performAudit.
  void performAudit(database, context, migrationId, prepared, {}).catch((error: unknown) => {
    console.error("Audit failed to save its result:", error instanceof Error ? error.message : "unknown");
  });
}

export function findingsOf(audit: AuditState | null): AuditFinding[] {
  return audit?.reports.flatMap((report) => report.findings) ?? [];
}

/**
 * The plan's policies over the audit's invalid values, as sentences. The target's fields say which
 * values get a placeholder instead of being left out (a required email); unread, it is told generally.
 */
export async function invalidValueSentences(
  database: Database,
  context: OrgContext,
  view: { plan: MigrationPlan | null; target: { id: string } | null; state: { audit: AuditState | null } },
): Promise<string[]> {
  if (!view.plan) return [];
  const findings = findingsOf(view.state.audit);
  if (findings.length === 0) return [];
  const target = view.target
    ? await openSide(database, context, view.target.id, "target")
        .then((session) => session.describe())
        .catch(() => null)
    : null;
  return policyImpact(findings, view.plan, target).map((impact) => impact.sentence);
}

export const suggestionInputSchema = z.object({ migrationId: z.string().min(1), findingId: z.string().min(1) });
export const applySuggestionInputSchema = suggestionInputSchema.extend({
  /** For a suggestion that leaves records out: the number of records the user saw listed and agreed to skip. */
  confirmSkipping: z.number().int().min(0).optional(),
});

/**
 * Applies a finding's one-click suggestion to the plan and remembers it (with the plan before, for
 * undo). One that leaves records out applies only with `confirmSkipping` equal to the number of
 * records it skips: the page lists them and asks first.
 */
export async function applySuggestion(database: Database, context: OrgContext, input: unknown): Promise<MigrationPlan> {
  const { migrationId, findingId, confirmSkipping } = applySuggestionInputSchema.parse(input);
  const { plan, state } = await readWizard(database, context, migrationId);
  if (!plan) throw new UserFacingError("Choose the objects to migrate first (step 3).");
  const finding = findingsOf(state.audit).find((candidate) => candidate.id === findingId);
  if (!finding?.suggestion) throw new UserFacingError("That finding has no suggestion to apply. Run the audit again if the list looks outdated.");
  if (state.appliedSuggestions.some((applied) => applied.findingId === findingId)) throw new UserFacingError("That suggestion is already applied.");
  const skips = finding.suggestion.skips ?? 0;
  if (skips > 0 && confirmSkipping !== skips) {
    throw new UserFacingError(
      `This suggestion leaves ${skips.toLocaleString("en")} record${skips === 1 ? "" : "s"} out of the migration. Review the list of records it skips and confirm it first.`,
    );
  }
  const patch = planPatchSchema.parse(finding.suggestion.apply);
  const next = applyPlanPatch(plan, patch);
  const label = finding.suggestion.label;
  await writeWizard(database, context, migrationId, {
    plan: next,
    updateState: (current) => ({
      ...current,
      appliedSuggestions: [...current.appliedSuggestions, { findingId, label, patch, previousPlan: serializePlan(plan), appliedAt: new Date().toISOString() }],
    }),
  });
  return next;
}

/** Undoes one applied suggestion: the plan before it, with the suggestions applied after it applied again. */
export async function undoSuggestion(database: Database, context: OrgContext, input: unknown): Promise<MigrationPlan> {
  const { migrationId, findingId } = suggestionInputSchema.parse(input);
  const { state } = await readWizard(database, context, migrationId);
  const index = state.appliedSuggestions.findIndex((applied) => applied.findingId === findingId);
  if (index < 0) throw new UserFacingError("That suggestion is not applied.");
  let plan = parsePlan(state.appliedSuggestions[index].previousPlan);
  const later = state.appliedSuggestions.slice(index + 1).map((applied) => {
    const previousPlan = serializePlan(plan);
    plan = applyPlanPatch(plan, planPatchSchema.parse(applied.patch));
    return { ...applied, previousPlan };
  });
  await writeWizard(database, context, migrationId, {
    plan,
    updateState: (current) => ({ ...current, appliedSuggestions: [...state.appliedSuggestions.slice(0, index), ...later] }),
  });
  return plan;
}
