// Setting up a migration outside the wizard (the CLI, benchmarks, tests): the default plan from
// both systems' live schemas and users, and the target's prerequisite fixes the plan needs.
import { getConnector } from "@/connectors/registry";
import type { ConnectorSession, FixDeclaration, SchemaDescription, SystemChange } from "@/connectors/types";
import type { FieldMapping } from "@/lib/mapping/field-mapping";
import type { Database } from "@/lib/db";
import { buildDefaultPlan } from "@/lib/plan";
import type { MigrationPlan, PlanOptions } from "@/lib/plan";
import { serializePlan, toPlanForPrerequisites } from "@/lib/plan";

const MAX_FIX_ROUNDS = 3;
/** Where a fix the target does not declare goes among the declared ones: last. */
const UNDECLARED_FIX_ORDER = Number.MAX_SAFE_INTEGER;

export async function buildPlanFor(input: {
  sourceSystem: string;
  targetSystem: string;
  source: ConnectorSession;
  target: ConnectorSession;
  options?: Partial<PlanOptions>;
}): Promise<MigrationPlan> {
  const [sourceSchema, targetSchema, sourceUsers, targetUsers] = await Promise.all([
    input.source.describe(),
    input.target.describe(),
    input.source.listUsers(),
    input.target.listUsers(),
  ]);
  return buildDefaultPlan({
    sourceSystem: input.sourceSystem,
    targetSystem: input.targetSystem,
    sourceSchema,
    targetSchema,
    sourceUsers,
    targetUsers,
    options: input.options,
  });
}

export async function createMigrationRecord(
  database: Database,
  input: { organizationId: string; name: string; sourceConnectionId: string; targetConnectionId: string; plan: MigrationPlan },
): Promise<{ migrationId: string }> {
  const migration = await database.migration.create({
    data: {
      organizationId: input.organizationId,
      name: input.name,
      sourceConnectionId: input.sourceConnectionId,
      targetConnectionId: input.targetConnectionId,
      plan: serializePlan(input.plan),
      status: "ready",
    },
    select: { id: true },
  });
  return { migrationId: migration.id };
}

/** changes: what each fix changed in the target, to record as the migration's SettingChanges (lib/settings/changes.ts). */
export type FixReport = {
  applied: string[];
  failed: string[];
  remaining: string[];
  plan: MigrationPlan;
  changes: { fixId: string; changes: SystemChange[] }[];
};

/**
 * After fixes created fields, points the plan's "create this field" mappings at the fields the
 * target really has: a target may name a field differently from the planned key (Twenty turns
 * "customfields.271" into "customfields271"); the field then is the one with the planned label.
 */
export function alignCreatedFields(plan: MigrationPlan, targetSchema: SchemaDescription): MigrationPlan {
  const objects = new Map(targetSchema.objectTypes.map((object) => [object.key, object]));
  const align = (objectKey: string, mappings: FieldMapping[]): FieldMapping[] =>
    mappings.map((mapping) => {
      const object = objects.get(objectKey);
      if (!mapping.createField || !object || object.fields.some((field) => field.key === mapping.targetField)) return mapping;
      const label = mapping.createField.label.trim().toLowerCase();
      const created = object.fields.find((field) => field.custom && field.label.trim().toLowerCase() === label);
      return created ? { ...mapping, targetField: created.key } : mapping;
    });
  return {
    ...plan,
    objects: plan.objects.map((pair) => ({
      ...pair,
      fieldMappings: align(pair.targetObject, pair.fieldMappings),
      childObjects: pair.childObjects.map((child) => ({ ...child, fieldMappings: align(child.targetObject, child.fieldMappings) })),
    })),
  };
}

/**
 * Applies every fix the target's prerequisite checks offer for this plan, plus the ones its
 * connector always applies (the source id field, so an interrupted write can always be
 * reconciled), in the order the connector declares, and reports what still fails. The
 * returned plan maps onto the fields as the target created them (store that one). onChanges hears
 * what each fix changed as soon as it is done (to record it: lib/settings/changes.ts).
 */
export async function applyPrerequisiteFixes(
  target: ConnectorSession,
  plan: MigrationPlan,
  options: { onChanges?: (fixId: string, changes: SystemChange[]) => Promise<void> } = {},
): Promise<FixReport> {
  const report: FixReport = { applied: [], failed: [], remaining: [], plan, changes: [] };
  if (!target.applyFix) return report;
  const declared = getConnector(plan.targetSystem).manifest.fixes;
  const orderOf = (fixId: string) => declared.find((fix) => fix.id === fixId)?.order ?? UNDECLARED_FIX_ORDER;
  const forPrerequisites = toPlanForPrerequisites(plan);
  const tried = new Set<string>();
  for (let round = 0; round < MAX_FIX_ROUNDS; round += 1) {
    const checks = (await target.prerequisites(forPrerequisites)).checks;
    const offered = checks.filter((check) => check.status !== "pass" && check.fix && !tried.has(check.fix.id)).map((check) => check.fix?.id as string);
    if (round === 0) offered.push(...alwaysApplied(declared).filter((fixId) => !offered.includes(fixId)));
    if (offered.length === 0) break;
    offered.sort((a, b) => orderOf(a) - orderOf(b));
    for (const fix of offered) {
      tried.add(fix);
      try {
        const { changed, changes } = await target.applyFix(fix, forPrerequisites);
        report.applied.push(...changed);
        if (changes && changes.length > 0) {
          report.changes.push({ fixId: fix, changes });
          // Recorded before the next fix, so a crash never loses track of a changed setting.
          await options.onChanges?.(fix, changes);
        }
      } catch (error) {
        report.failed.push(`${fix}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  const final = (await target.prerequisites(forPrerequisites)).checks;
  report.remaining = final.filter((check) => check.status === "fail" && check.blocking).map((check) => `${check.title}: ${check.evidence.join(" ")}`);
  report.plan = alignCreatedFields(plan, await target.describe());
  return report;
}

/** The fixes unattended setup applies whether or not a check offers them (FixDeclaration.alwaysApply). */
function alwaysApplied(declared: FixDeclaration[]): string[] {
  return declared.filter((fix) => fix.alwaysApply).map((fix) => fix.id);
}
