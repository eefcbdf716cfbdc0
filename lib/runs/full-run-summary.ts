// The full run's summary before Start: records per object (counted in the source now), an
// estimated duration from the target's published rate limit and batch size, and what will and
// will not migrate according to the plan.
import { getConnector } from "@/connectors/registry";
import { policyImpact, type PolicyImpact } from "@/lib/audit";
import type { Database } from "@/lib/db";
import type { FieldMapping } from "@/lib/mapping/field-mapping";
import { parsePlan, type MigrationPlan } from "@/lib/plan";
import { runTargetLimit } from "@/lib/migration/progress";
import { defaultSessionResolver, type SessionResolver } from "@/lib/migration/sessions";
import { parseWizardState } from "@/lib/wizard/state";
import { findMigration, type MigrationSummary, type RunAccess } from "./access";
import { CREATED_AT_FIELD } from "@/connectors/shared/record-dates";
import type { ConnectorManifest, SchemaDescription } from "@/connectors/types";

/** Look-ups per batch of the target's largest size: the duplicate look-up (findExisting). An estimate, not a promise. */
export const LOOKUPS_PER_BATCH = 1;

type EstimateTarget = Pick<ConnectorManifest<unknown>, "rateLimit" | "maxBatchSize" | "recordsPerWrite">;
type Limit = { requests: number; perMs: number };

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
async function expectedProblems(
  database: Database,
  migrationId: string,
  plan: MigrationPlan,
  target: SchemaDescription | null,
): Promise<FullRunSummary["expectedProblems"]> {
  const row = await database.migration.findUnique({ where: { id: migrationId }, select: { wizardState: true } });
  const audit = parseWizardState(row?.wizardState).audit;
  if (audit?.status !== "done") return null;
  const fields = policyImpact(
    audit.reports.flatMap((report) => report.findings),
    plan,
    target,
  );
  const sum = (key: "failed" | "repaired" | "dropped") => fields.reduce((total, field) => total + field[key], 0);
  return { failed: sum("failed"), repaired: sum("repaired"), dropped: sum("dropped"), fields };
}

/**
 * Requests and seconds to write `objects` into the target: per object, its writes (records ÷ what
 * one write request carries for that object, connectors/types.ts recordsPerWrite, else the
 * largest batch) plus one look-up per largest batch; at `limit` (the live one when the server
 * showed a lower one than published).
 */
export function estimateSeconds(
  objects: { targetObject: string; count: number }[],
  target: EstimateTarget,
  limit: Limit = target.rateLimit,
): { seconds: number; requests: number } {
  const batchSize = Math.max(1, target.maxBatchSize || 1);
  let requests = 0;
  for (const { targetObject, count } of objects) {
    const perWrite = Math.max(1, Math.min(batchSize, target.recordsPerWrite?.[targetObject] ?? batchSize));
    requests += Math.ceil(count / perWrite) + Math.ceil(count / batchSize) * LOOKUPS_PER_BATCH;
  }
  const perSecond = limit.requests / Math.max(1, limit.perMs / 1000);
  return { requests, seconds: perSecond > 0 ? Math.ceil(requests / perSecond) : 0 };
}

function describeLimit(limit: Limit): string {
  return `${limit.requests} requests per ${limit.perMs >= 60_000 ? `${limit.perMs / 60_000} min` : `${limit.perMs / 1000} s`}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
}

/** What the full-run page needs to know about a system (connectors/types.ts ConnectorManifest). */
export type SystemTraits = Pick<
  ConnectorManifest<unknown>,
  "name" | "notRead" | "notWritten" | "readsAttachments" | "writesAttachments" | "keepsCreationDate" | "objectRoles"
>;

export type SummaryContext = {
  source: SystemTraits;
  target: SystemTraits;
  /** The source's describe(); null when it could not be read (then unmapped fields are named generally). */
  sourceSchema: SchemaDescription | null;
};

/** A live limit a run into this connection kept to lately is still the workspace's (the same day as lib/api-budget.ts trusts). */
const RECENT_RUN_LIMIT_MS = 24 * 60 * 60_000;

/**
 * The limit the target keeps to: the lower of the one its session keeps to in this process (lower
 * than published once a 429 showed it) and the one the latest recent run into this connection
 * kept to (any process, before a restart); the published one otherwise.
 */
async function liveLimitOf(database: Database, connectionId: string, organizationId: string, resolve: SessionResolver, published: Limit): Promise<Limit> {
  const candidates: Limit[] = [published];
  try {
    const live = (await resolve(connectionId, organizationId)).rateLimit?.();
    if (live) candidates.push(live);
  } catch {
    // The published limit stands.
  }
  const lastRun = await database.run.findFirst({
    where: { migration: { targetConnectionId: connectionId }, targetRateLimit: { not: null }, createdAt: { gte: new Date(Date.now() - RECENT_RUN_LIMIT_MS) } },
    orderBy: { createdAt: "desc" },
    select: { targetRateLimit: true, targetRateWindowMs: true },
  });
  const fromRun = lastRun ? runTargetLimit(lastRun) : null;
  if (fromRun) candidates.push(fromRun);
  // Compared as requests per second: a window of another length is still the same budget.
  return candidates.reduce((lowest, limit) => (limit.requests / limit.perMs < lowest.requests / lowest.perMs ? limit : lowest));
}

/** A system's traits from its manifest; an unknown or unchosen system claims nothing. */
function traitsOf(systemId: string | undefined, fallbackName: string): SystemTraits {
  try {
    if (systemId) return getConnector(systemId).manifest;
  } catch {
    // Unknown system: described generally below.
  }
  return { name: fallbackName, notRead: [], notWritten: [], readsAttachments: false, writesAttachments: true, keepsCreationDate: [], objectRoles: {} };
}

/** Fields named on one line before "and N more". */
const MAX_LISTED_FIELDS = 6;

function listed(names: string[]): string {
  const shown = names.slice(0, MAX_LISTED_FIELDS).join(", ");
  return names.length > MAX_LISTED_FIELDS ? `${shown} and ${names.length - MAX_LISTED_FIELDS} more` : shown;
}

type Mapped = { sourceObject: string; targetObject: string; fieldMappings: FieldMapping[] };

/** What of one mapped object does not travel: its unmapped fields, its creation dates. */
function objectLosses(mapped: Mapped, label: string, context: SummaryContext): string[] {
  const lines: string[] = [];
  const object = context.sourceSchema?.objectTypes.find((candidate) => candidate.key === mapped.sourceObject);
  const sources = new Set(mapped.fieldMappings.map((mapping) => mapping.sourceField));
  if (object) {
    const unmapped = object.fields.filter((field) => !sources.has(field.key)).map((field) => field.label);
    if (unmapped.length > 0) lines.push(`${label}: ${listed(unmapped)} ${unmapped.length === 1 ? "is" : "are"} not mapped (see the Mapping step).`);
  }
  const datesKept = sources.has(CREATED_AT_FIELD) || context.target.keepsCreationDate.includes(mapped.targetObject);
  if (!datesKept)
    lines.push(
      `${label}: their original creation dates; in ${context.target.name} they are dated the day of the migration (map Created in the Mapping step where ${context.target.name} has a date field for it).`,
    );
  return lines;
}

/** Unmapped relation fields of the enabled pairs pointing at `objectKey`, as "the Inbox of tickets". */
function linksLost(plan: MigrationPlan, schema: SchemaDescription, objectKey: string): string[] {
  return plan.objects
    .filter((pair) => pair.enabled)
    .flatMap((pair) => {
      const object = schema.objectTypes.find((candidate) => candidate.key === pair.sourceObject);
      const mapped = new Set(pair.fieldMappings.map((mapping) => mapping.sourceField));
      const fields = object?.fields.filter((field) => field.type === "relation" && field.relatesTo === objectKey && !mapped.has(field.key)) ?? [];
      return fields.map((field) => `the ${field.label} of ${(object?.label ?? pair.sourceObject).toLowerCase()}`);
    });
}

/** Source objects the plan does not name: users are matched by email, other objects stay behind. */
function objectsLeftOut(plan: MigrationPlan, context: SummaryContext): string[] {
  const schema = context.sourceSchema;
  if (!schema) return [];
  const inPlan = new Set(plan.objects.map((pair) => pair.sourceObject));
  const lines: string[] = [];
  for (const object of schema.objectTypes) {
    if (!object.canRead || inPlan.has(object.key)) continue;
    if (context.source.objectRoles[object.key] === "user") {
      const total = plan.userMappings.length;
      const matched = plan.userMappings.filter((mapping) => mapping.targetUserId !== null).length;
      const others = plan.fallbackUserId ? "the others' records get the fallback user" : "the others leave owner and assignee fields empty";
      const counts = total === 0 ? "" : matched === total ? ` (all ${total} matched)` : ` (${matched} of ${total}; ${others})`;
      lines.push(`${object.label}: not created in ${context.target.name}; matched to its users by email${counts}.`);
      continue;
    }
    const lost = linksLost(plan, schema, object.key);
    lines.push(`${object.label}: not in the plan${lost.length > 0 ? `; ${listed(lost)} ${lost.length === 1 ? "is" : "are"} not kept` : ""}.`);
  }
  return lines;
}

function attachmentLosses(plan: MigrationPlan, context: SummaryContext): string[] {
  if (!context.source.readsAttachments) return [];
  if (plan.options.skipAttachments)
    return ["Attachments and images inside messages (the plan skips them); images in message text become a placeholder naming the file."];
  if (!context.target.writesAttachments) {
    return [
      `Attachments (files on tickets and messages): ${context.target.name} cannot take files through its API; they stay in ${context.source.name}. Images inside message text become a placeholder naming the file.`,
    ];
  }
  return [];
}

/** What will and will not migrate, derived from the plan and what both systems can read and write. */
export function planSentences(plan: MigrationPlan, context: SummaryContext): { willMigrate: string[]; willNotMigrate: string[] } {
  const willMigrate: string[] = [];
  const willNotMigrate: string[] = [];
  const labelOf = (key: string) => context.sourceSchema?.objectTypes.find((object) => object.key === key)?.label ?? key;
  for (const pair of plan.objects) {
    if (!pair.enabled) {
      willNotMigrate.push(`${labelOf(pair.sourceObject)}: turned off in the plan.`);
      continue;
    }
    willMigrate.push(
      `${pair.sourceObject} → ${pair.targetObject} with ${pair.fieldMappings.length} mapped field${pair.fieldMappings.length === 1 ? "" : "s"}.`,
    );
    willNotMigrate.push(...objectLosses(pair, labelOf(pair.sourceObject), context));
    for (const child of pair.childObjects) {
      if (!child.enabled) {
        willNotMigrate.push(`${child.sourceObject} of ${pair.sourceObject}: turned off in the plan.`);
        continue;
      }
      willMigrate.push(`${child.sourceObject} of each ${pair.sourceObject} → ${child.targetObject}.`);
      willNotMigrate.push(...objectLosses(child, labelOf(child.sourceObject), context));
    }
  }
  willNotMigrate.push(...objectsLeftOut(plan, context), ...attachmentLosses(plan, context));
  const { filters, options } = plan;
  if (filters.createdFrom || filters.createdTo)
    willNotMigrate.push(`Records created outside ${filters.createdFrom ?? "the beginning"} – ${filters.createdTo ?? "today"}.`);
  if (filters.updatedFrom || filters.updatedTo)
    willNotMigrate.push(`Records updated outside ${filters.updatedFrom ?? "the beginning"} – ${filters.updatedTo ?? "today"}.`);
  if (filters.tags.length > 0) willNotMigrate.push(`Records without one of the tags ${filters.tags.join(", ")}.`);
  if (filters.excludeTags.length > 0) willNotMigrate.push(`Records tagged ${filters.excludeTags.join(", ")}.`);
  if (filters.skipStaleYears)
    willNotMigrate.push(
      `Records with no activity for ${filters.skipStaleYears} years${filters.staleObjects.length > 0 ? ` (${filters.staleObjects.join(", ")})` : ""}.`,
    );
  willNotMigrate.push(
    options.duplicatePolicy === "skip"
      ? "Records whose unique value (email, domain) already exists in the target: linked, left unchanged."
      : options.duplicatePolicy === "update"
        ? "Nothing is duplicated: records whose unique value already exists in the target are updated instead."
        : "Records whose unique value already exists in the target fail with that reason.",
  );
  if (!context.sourceSchema) willNotMigrate.push("Source fields without a mapping (see the Mapping step).");
  willNotMigrate.push(...context.source.notRead, ...context.target.notWritten);
  return { willMigrate, willNotMigrate };
}

/** Target API: its fields, to say which unusable values get a placeholder (a required email); null when it cannot be read. */
async function describeTarget(
  migration: { organizationId: string; targetConnection: { id: string } | null },
  resolve: SessionResolver,
): Promise<SchemaDescription | null> {
  if (!migration.targetConnection) return null;
  try {
    return await (await resolve(migration.targetConnection.id, migration.organizationId)).describe();
  } catch {
    return null;
  }
}

type CountedPair = MigrationPlan["objects"][number] & { parent: string | undefined };

/** Children that travel with their parent (ticket messages → notes) are written one by one too: count them as the engine does. */
function pairsToCount(plan: MigrationPlan): CountedPair[] {
  return plan.objects
    .filter((pair) => pair.enabled)
    .flatMap((pair) => [
      { ...pair, parent: undefined as string | undefined },
      ...pair.childObjects
        .filter((child) => child.enabled && child.mode === "records")
        .map((child) => ({
          ...pair,
          sourceObject: child.sourceObject,
          targetObject: child.targetObject,
          fieldMappings: child.fieldMappings,
          childObjects: [],
          parent: pair.sourceObject,
        })),
    ]);
}

/** Each pair's record count in the source (null with an error when it cannot be counted), and the source's schema. */
async function countInSource(
  database: Database,
  migration: MigrationSummary,
  pairs: CountedPair[],
  resolveSession: SessionResolver | undefined,
): Promise<{ counts: (number | null)[]; errors: (string | undefined)[]; sourceSchema: SchemaDescription | null }> {
  let counts: (number | null)[] = pairs.map(() => null);
  let sourceSchema: SchemaDescription | null = null;
  const errors: (string | undefined)[] = pairs.map(() => undefined);
  if (migration.sourceConnection) {
    const resolve = resolveSession ?? defaultSessionResolver(database);
    try {
      const source = await resolve(migration.sourceConnection.id, migration.organizationId);
      // Source API: the object types and fields, to name what the plan leaves out.
      sourceSchema = await source.describe().catch(() => null);
      // Source API: one count per object (the same call the engine's first slice makes).
      counts = await Promise.all(
        pairs.map(async (pair, index) => {
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
  return { counts, errors, sourceSchema };
}

/** The duration estimate at the target's live limit; null without a target or when it cannot be reached. */
async function estimateRun(
  database: Database,
  migration: MigrationSummary,
  objects: FullRunSummary["objects"],
  resolveSession: SessionResolver | undefined,
): Promise<FullRunSummary["estimate"]> {
  if (!migration.targetConnection) return null;
  try {
    const manifest = getConnector(migration.targetConnection.systemId).manifest;
    const limit = await liveLimitOf(
      database,
      migration.targetConnection.id,
      migration.organizationId,
      resolveSession ?? defaultSessionResolver(database),
      manifest.rateLimit,
    );
    const { seconds, requests } = estimateSeconds(
      objects.map((object) => ({ targetObject: object.targetObject, count: object.count ?? 0 })),
      manifest,
      limit,
    );
    return { seconds, requests, batchSize: manifest.maxBatchSize, rateLimit: describeLimit(limit) };
  } catch {
    return null;
  }
}

export async function fullRunSummary(
  database: Database,
  access: RunAccess,
  migrationId: string,
  options: { resolveSession?: SessionResolver } = {},
): Promise<FullRunSummary> {
  const migration = await findMigration(database, access, migrationId);
  let plan: MigrationPlan;
  try {
    plan = parsePlan(migration.plan);
  } catch {
    return {
      objects: [],
      totalRecords: 0,
      estimate: null,
      willMigrate: [],
      willNotMigrate: ["The plan is not complete yet: finish the Objects and Mapping steps."],
      expectedProblems: null,
    };
  }
  const enabled = pairsToCount(plan);
  const { counts, errors, sourceSchema } = await countInSource(database, migration, enabled, options.resolveSession);
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
  const estimate = await estimateRun(database, migration, objects, options.resolveSession);
  const targetSchema = await describeTarget(migration, options.resolveSession ?? defaultSessionResolver(database));
  return {
    objects,
    totalRecords,
    estimate,
    ...planSentences(plan, {
      source: traitsOf(migration.sourceConnection?.systemId, "the source"),
      target: traitsOf(migration.targetConnection?.systemId, "the target"),
      sourceSchema,
    }),
    expectedProblems: await expectedProblems(database, migration.id, plan, targetSchema),
  };
}

/** The "Will not migrate" sentences alone (the migration report): one source describe, no counts. */
export async function willNotMigrateSentences(
  database: Database,
  access: RunAccess,
  migrationId: string,
  options: { resolveSession?: SessionResolver } = {},
): Promise<string[]> {
  const migration = await findMigration(database, access, migrationId);
  let plan: MigrationPlan;
  try {
    plan = parsePlan(migration.plan);
  } catch {
    return ["The plan is not complete yet: finish the Objects and Mapping steps."];
  }
  let sourceSchema: SchemaDescription | null = null;
  if (migration.sourceConnection) {
    const resolve = options.resolveSession ?? defaultSessionResolver(database);
    // Source API: the object types and fields, to name what the plan leaves out.
    sourceSchema = await resolve(migration.sourceConnection.id, migration.organizationId)
      .then((source) => source.describe())
      .catch(() => null);
  }
  return planSentences(plan, {
    source: traitsOf(migration.sourceConnection?.systemId, "the source"),
    target: traitsOf(migration.targetConnection?.systemId, "the target"),
    sourceSchema,
  }).willNotMigrate;
}
