// The full run's summary before Start: records per object (counted in the source now), an
// estimated duration from the target's published rate limit and batch size, and what will and
// will not migrate according to the plan.
import { getConnector } from "@/connectors/registry";
import { policyImpact, type PolicyImpact } from "@/lib/audit";
import type { Database } from "@/lib/db";
import { parsePlan, type MigrationPlan } from "@/lib/migration/plan";
import { defaultSessionResolver, type SessionResolver } from "@/lib/migration/sessions";
import { parseWizardState } from "@/lib/wizard/state";
import { findMigration, type RunAccess } from "./access";

/** Requests per batch: the duplicate look-up (findExisting) and the write. An estimate, not a promise. */
export const REQUESTS_PER_BATCH = 2;

export type FullRunSummary = {
  objects: { sourceObject: string; targetObject: string; count: number | null; children: string[]; mappedFields: number; error?: string; parent?: string }[];
  totalRecords: number;
  estimate: { seconds: number; requests: number; rateLimit: string; batchSize: number } | null;
  willMigrate: string[];
  willNotMigrate: string[];
  /**
   * What the audit expects of invalid values under the plan's policies: records that will fail
   * (and which), or arrive with a repaired value or without it. Null when no audit was run.
   */
  expectedProblems: { failed: number; repaired: number; dropped: number; fields: PolicyImpact[] } | null;
};

/** The audit's invalid values under the plan's per-field policies. */
async function expectedProblems(database: Database, migrationId: string, plan: MigrationPlan): Promise<FullRunSummary["expectedProblems"]> {
  const row = await database.migration.findUnique({ where: { id: migrationId }, select: { wizardState: true } });
  const audit = parseWizardState(row?.wizardState).audit;
  if (audit?.status !== "done") return null;
  const fields = policyImpact(audit.reports.flatMap((report) => report.findings), plan);
  const sum = (key: "failed" | "repaired" | "dropped") => fields.reduce((total, field) => total + field[key], 0);
  return { failed: sum("failed"), repaired: sum("repaired"), dropped: sum("dropped"), fields };
}

export function estimateSeconds(records: number, target: { rateLimit: { requests: number; perMs: number }; maxBatchSize: number }): { seconds: number; requests: number } {
  const batchSize = Math.max(1, target.maxBatchSize || 1);
  const requests = Math.ceil(records / batchSize) * REQUESTS_PER_BATCH;
  const perSecond = target.rateLimit.requests / Math.max(1, target.rateLimit.perMs / 1000);
  return { requests, seconds: perSecond > 0 ? Math.ceil(requests / perSecond) : 0 };
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
}

function planSentences(plan: MigrationPlan): { willMigrate: string[]; willNotMigrate: string[] } {
  const willMigrate: string[] = [];
  const willNotMigrate: string[] = [];
  for (const pair of plan.objects) {
    if (!pair.enabled) {
      willNotMigrate.push(`${pair.sourceObject}: turned off in the plan.`);
      continue;
    }
    willMigrate.push(`${pair.sourceObject} → ${pair.targetObject} with ${pair.fieldMappings.length} mapped field${pair.fieldMappings.length === 1 ? "" : "s"}.`);
    for (const child of pair.childObjects) {
      if (child.enabled) willMigrate.push(`${child.sourceObject} of each ${pair.sourceObject} → ${child.targetObject}.`);
      else willNotMigrate.push(`${child.sourceObject} of ${pair.sourceObject}: turned off in the plan.`);
    }
  }
  const { filters, options } = plan;
  if (filters.createdFrom || filters.createdTo) willNotMigrate.push(`Records created outside ${filters.createdFrom ?? "the beginning"} – ${filters.createdTo ?? "today"}.`);
  if (filters.updatedFrom || filters.updatedTo) willNotMigrate.push(`Records updated outside ${filters.updatedFrom ?? "the beginning"} – ${filters.updatedTo ?? "today"}.`);
  if (filters.tags.length > 0) willNotMigrate.push(`Records without one of the tags ${filters.tags.join(", ")}.`);
  if (filters.excludeTags.length > 0) willNotMigrate.push(`Records tagged ${filters.excludeTags.join(", ")}.`);
  if (filters.skipStaleYears) willNotMigrate.push(`Records with no activity for ${filters.skipStaleYears} years${filters.staleObjects.length > 0 ? ` (${filters.staleObjects.join(", ")})` : ""}.`);
  if (options.skipAttachments) willNotMigrate.push("Attachments (the plan skips them).");
  willNotMigrate.push(
    options.duplicatePolicy === "skip"
      ? "Records whose unique value (email, domain) already exists in the target: linked, left unchanged."
      : options.duplicatePolicy === "update"
        ? "Nothing is duplicated: records whose unique value already exists in the target are updated instead."
        : "Records whose unique value already exists in the target fail with that reason.",
  );
  willNotMigrate.push("Source fields without a mapping (see the Mapping step).");
  return { willMigrate, willNotMigrate };
}

export async function fullRunSummary(database: Database, access: RunAccess, migrationId: string, options: { resolveSession?: SessionResolver } = {}): Promise<FullRunSummary> {
  const migration = await findMigration(database, access, migrationId);
  let plan: MigrationPlan;
  try {
    plan = parsePlan(migration.plan);
  } catch {
    return { objects: [], totalRecords: 0, estimate: null, willMigrate: [], willNotMigrate: ["The plan is not complete yet: finish the Objects and Mapping steps."], expectedProblems: null };
  }
  // Children that travel with their parent (ticket messages → notes) are written one by one too: count them as the engine does.
  const enabled = plan.objects
    .filter((pair) => pair.enabled)
    .flatMap((pair) => [
      { ...pair, parent: undefined as string | undefined },
      ...pair.childObjects.filter((child) => child.enabled && child.mode === "records").map((child) => ({ ...pair, sourceObject: child.sourceObject, targetObject: child.targetObject, fieldMappings: child.fieldMappings, childObjects: [], parent: pair.sourceObject })),
    ]);
  let counts: (number | null)[] = enabled.map(() => null);
  const errors: (string | undefined)[] = enabled.map(() => undefined);
  if (migration.sourceConnection) {
    const resolve = options.resolveSession ?? defaultSessionResolver(database);
    try {
      const source = await resolve(migration.sourceConnection.id, migration.organizationId);
      // Source API: one count per object (the same call the engine's first slice makes).
      counts = await Promise.all(
        enabled.map(async (pair, index) => {
          try {
            return await source.count(pair.sourceObject);
          } catch (error) {
            errors[index] = error instanceof Error ? error.message : "Could not be counted.";
            return null;
          }
        }),
      );
    } catch (error) {
      errors.fill(error instanceof Error ? error.message : "The source could not be opened.");
    }
  }
  const objects = enabled.map((pair, index) => ({
    sourceObject: pair.sourceObject,
    targetObject: pair.targetObject,
    count: counts[index],
    children: pair.childObjects.filter((child) => child.enabled).map((child) => `${child.sourceObject} → ${child.targetObject}`),
    mappedFields: pair.fieldMappings.length,
    ...(errors[index] ? { error: errors[index] } : {}),
    ...(pair.parent ? { parent: pair.parent } : {}),
  }));
  const totalRecords = objects.reduce((sum, object) => sum + (object.count ?? 0), 0);
  let estimate: FullRunSummary["estimate"] = null;
  if (migration.targetConnection) {
    try {
      const manifest = getConnector(migration.targetConnection.systemId).manifest;
      const { seconds, requests } = estimateSeconds(totalRecords, manifest);
      estimate = { seconds, requests, batchSize: manifest.maxBatchSize, rateLimit: `${manifest.rateLimit.requests} requests per ${manifest.rateLimit.perMs >= 60_000 ? `${manifest.rateLimit.perMs / 60_000} min` : `${manifest.rateLimit.perMs / 1000} s`}` };
    } catch {
      estimate = null;
    }
  }
  return { objects, totalRecords, estimate, ...planSentences(plan), expectedProblems: await expectedProblems(database, migration.id, plan) };
}
