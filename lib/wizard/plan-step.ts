// Step 3: the plan built from both live schemas and users, which object pairs are migrated, and
// the record filters (dates, tags, stale records).
import { z } from "zod";
import type { Database } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import { scopedDb } from "@/lib/org-scope";
import type { OrgContext } from "@/lib/team";
import { isPeopleLike } from "@/lib/audit";
import { buildDefaultPlan } from "@/lib/plan";
import { MAX_STALE_YEARS, filtersSchema, validatePlanShape, type MigrationPlan, type ObjectPair } from "@/lib/plan";
import type { SchemaDescription } from "@/connectors/types";
import { connectorProblem, describeBoth, readWizard, writeWizard } from "./migration";

export const pairId = (pair: { sourceObject: string; targetObject: string }) => `${pair.sourceObject}→${pair.targetObject}`;

/** The stored plan, built first from both systems when there is none or the connections changed. */
export async function ensurePlan(database: Database, context: OrgContext, migrationId: string): Promise<MigrationPlan> {
  const { migration, plan, state } = await readWizard(database, context, migrationId);
  if (!migration.sourceConnectionId || !migration.targetConnectionId) throw new UserFacingError("Choose the source and the target first (steps 1 and 2).");
  if (plan && state.planBuiltFor?.source === migration.sourceConnectionId && state.planBuiltFor?.target === migration.targetConnectionId) return plan;
  const connections = await scopedDb(database, context.organization.id).connection.findMany({
    where: { id: { in: [migration.sourceConnectionId, migration.targetConnectionId] } },
    select: { id: true, systemId: true },
  });
  const systemOf = (id: string) => connections.find((connection) => connection.id === id)?.systemId as string;
  const { source, target, sourceSchema, targetSchema } = await describeBoth(database, context, migration);
  const [sourceUsers, targetUsers] = await Promise.all([
    source.listUsers().catch((error: unknown) => {
      throw connectorProblem(error, "Ferry could not list the source's users");
    }),
    target.listUsers().catch((error: unknown) => {
      throw connectorProblem(error, "Ferry could not list the target's users");
    }),
  ]);
  // The audit profiles the source: a new plan for another target keeps it.
  // (A new source resets the audit when it is chosen, so an audit still here is of this source.)
  const sameSource = state.planBuiltFor === null || state.planBuiltFor.source === migration.sourceConnectionId;
  const built = buildDefaultPlan({
    sourceSystem: systemOf(migration.sourceConnectionId),
    targetSystem: systemOf(migration.targetConnectionId),
    sourceSchema,
    targetSchema,
    sourceUsers,
    targetUsers,
  });
  const builtFor = { source: migration.sourceConnectionId, target: migration.targetConnectionId };
  await writeWizard(database, context, migrationId, {
    plan: built,
    updateState: (current) => ({
      ...current,
      planBuiltFor: builtFor,
      objectsSavedAt: null,
      audit: sameSource ? current.audit : null,
      appliedSuggestions: [],
      prerequisites: null,
      mappingSavedAt: null,
    }),
  });
  return built;
}

function labelOf(schema: SchemaDescription, key: string): string {
  return schema.objectTypes.find((object) => object.key === key)?.label ?? key;
}

/** The source objects each pair points at through its mapped relation fields (companies for people). */
function pointsAt(pair: ObjectPair, sourceSchema: SchemaDescription): string[] {
  const source = sourceSchema.objectTypes.find((object) => object.key === pair.sourceObject);
  const keys = new Set<string>();
  for (const mapping of pair.fieldMappings) {
    const field = source?.fields.find((candidate) => candidate.key === mapping.sourceField);
    if (field?.type === "relation" && field.relatesTo && field.relatesTo !== pair.sourceObject) keys.add(field.relatesTo);
  }
  return [...keys];
}

/** One sentence on why the pairs run in this order ("Companies first, because people link to them…"). */
export function dependencySentence(plan: MigrationPlan, sourceSchema: SchemaDescription): string {
  const enabled = plan.objects.filter((pair) => pair.enabled);
  if (enabled.length === 0) return "Choose at least one object to migrate.";
  const names = enabled.map((pair) => labelOf(sourceSchema, pair.sourceObject).toLowerCase());
  const links: string[] = [];
  for (const pair of enabled) {
    const targets = pointsAt(pair, sourceSchema).filter((key) => enabled.some((other) => other.sourceObject === key));
    if (targets.length > 0)
      links.push(
        `${labelOf(sourceSchema, pair.sourceObject).toLowerCase()} link to ${targets.map((key) => labelOf(sourceSchema, key).toLowerCase()).join(" and ")}`,
      );
  }
  const order = names.length === 1 ? `Ferry migrates ${names[0]}` : `Ferry migrates ${names[0]} first, then ${names.slice(1).join(", then ")}`;
  // Two reasons make the point; listing every link turns the sentence into a paragraph.
  const reasons = links.length > 2 ? `${links.slice(0, 2).join(" and ")}, and so on` : links.join(" and ");
  return links.length > 0
    ? `${order}, because ${reasons}: a record must exist in the target before others can point at it.`
    : `${order}; none of them links to another, so the order does not matter.`;
}

export type ObjectsView = {
  pairs: {
    id: string;
    sourceObject: string;
    targetObject: string;
    sourceLabel: string;
    targetLabel: string;
    enabled: boolean;
    count: number | null;
    children: string[];
  }[];
  sentence: string;
  filters: MigrationPlan["filters"];
  staleCandidates: { key: string; label: string }[];
  taggable: { key: string; label: string }[];
};

export async function objectsView(database: Database, context: OrgContext, migrationId: string): Promise<ObjectsView> {
  const plan = await ensurePlan(database, context, migrationId);
  const { migration, state } = await readWizard(database, context, migrationId);
  const { source, sourceSchema, targetSchema } = await describeBoth(database, context, migration);
  const stored = new Map(
    (state.sourceTest?.connectionId === migration.sourceConnectionId ? state.sourceTest.objects : []).map((object) => [object.key, object.count]),
  );
  const counts = await Promise.all(
    plan.objects.map(async (pair) => stored.get(pair.sourceObject) ?? (await source.count(pair.sourceObject).catch(() => null))),
  );
  const readable = sourceSchema.objectTypes.filter((object) => object.canRead && plan.objects.some((pair) => pair.sourceObject === object.key));
  return {
    pairs: plan.objects.map((pair, index) => ({
      id: pairId(pair),
      sourceObject: pair.sourceObject,
      targetObject: pair.targetObject,
      sourceLabel: labelOf(sourceSchema, pair.sourceObject),
      targetLabel: targetSchema.objectTypes.some((object) => object.key === pair.targetObject)
        ? labelOf(targetSchema, pair.targetObject)
        : `${pair.targetObject} (created in step 5)`,
      enabled: pair.enabled,
      count: counts[index],
      children: pair.childObjects
        .filter((child) => child.enabled)
        .map((child) => `${labelOf(sourceSchema, child.sourceObject)} → ${labelOf(targetSchema, child.targetObject)}`),
    })),
    sentence: dependencySentence(plan, sourceSchema),
    filters: plan.filters,
    staleCandidates: readable.filter((object) => isPeopleLike(object.key)).map((object) => ({ key: object.key, label: object.label })),
    taggable: readable.filter((object) => object.fields.some((field) => field.key === "tags")).map((object) => ({ key: object.key, label: object.label })),
  };
}

const optionalDate = z
  .string()
  .trim()
  .transform((value) => (value === "" ? null : value))
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2024-01-31.")
      .nullable(),
  );

export const objectsInputSchema = z
  .object({
    migrationId: z.string().min(1),
    enabled: z.array(z.string()),
    createdFrom: optionalDate,
    createdTo: optionalDate,
    tags: z.string().max(1_000).default(""),
    skipStaleYears: z
      .string()
      .trim()
      .transform((value) => (value === "" ? null : Number(value)))
      .pipe(
        z
          .number({ error: "Enter a number of years." })
          .positive("Enter a number of years above 0.")
          .max(MAX_STALE_YEARS, `At most ${MAX_STALE_YEARS} years.`)
          .nullable(),
      ),
    staleObjects: z.array(z.string()).default([]),
  })
  .refine((input) => !input.createdFrom || !input.createdTo || input.createdFrom <= input.createdTo, {
    message: "The end date is before the start date.",
    path: ["createdTo"],
  });

/** Saves which pairs are migrated and the filters; the plan is re-validated before it is stored. */
export async function saveObjects(database: Database, context: OrgContext, input: unknown): Promise<MigrationPlan> {
  const data = objectsInputSchema.parse(input);
  const plan = await ensurePlan(database, context, data.migrationId);
  const enabled = new Set(data.enabled);
  if (!plan.objects.some((pair) => enabled.has(pairId(pair)))) throw new UserFacingError("Choose at least one object to migrate.", "enabled");
  const tags = data.tags
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
  const filters = filtersSchema.parse({
    ...plan.filters,
    createdFrom: data.createdFrom,
    createdTo: data.createdTo,
    tags,
    skipStaleYears: data.skipStaleYears,
    staleObjects: data.skipStaleYears === null ? [] : data.staleObjects,
  });
  if (filters.skipStaleYears !== null && filters.staleObjects.length === 0)
    throw new UserFacingError("Choose which objects the stale-record filter applies to.", "staleObjects");
  const next = validatePlanShape({ ...plan, objects: plan.objects.map((pair) => ({ ...pair, enabled: enabled.has(pairId(pair)) })), filters });
  await writeWizard(database, context, data.migrationId, { plan: next, updateState: (current) => ({ ...current, objectsSavedAt: new Date().toISOString() }) });
  return next;
}
