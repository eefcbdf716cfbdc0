// One-click changes to a plan (the audit's suggestions), pure so the wizard can preview them.
import { z } from "zod";
import { type FieldMapping, transformOptionsSchema } from "@/lib/mapping/field-mapping";
import { MAX_STALE_YEARS, type MigrationPlan, key, planOptionsSchema } from "./schema";

export const planPatchSchema = z.discriminatedUnion("kind", [
  /** Leave out records of `objectType` with no activity for `years`. */
  z.strictObject({ kind: z.literal("skipStale"), objectType: key, years: z.number().positive().max(MAX_STALE_YEARS) }),
  z.strictObject({ kind: z.literal("setOptions"), options: planOptionsSchema.partial() }),
  /** Merges transform options into every mapping of source field `field` of `objectType`. */
  z.strictObject({ kind: z.literal("setTransform"), objectType: key, field: key, transform: transformOptionsSchema }),
  /** Removes every mapping of source field `field` of `objectType` (an unused field). */
  z.strictObject({ kind: z.literal("dropField"), objectType: key, field: key }),
  /** Skips these repeats of `objectType`, each linked to the record it repeats. */
  z.strictObject({ kind: z.literal("skipRepeats"), objectType: key, repeats: z.array(z.strictObject({ sourceId: key, sameAs: key })).min(1) }),
]);
export type PlanPatch = z.infer<typeof planPatchSchema>;

function patchMappings(plan: MigrationPlan, objectType: string, change: (mappings: FieldMapping[]) => FieldMapping[]): MigrationPlan {
  return {
    ...plan,
    objects: plan.objects.map((pair) => ({
      ...pair,
      fieldMappings: pair.sourceObject === objectType ? change(pair.fieldMappings) : pair.fieldMappings,
      childObjects: pair.childObjects.map((child) => (child.sourceObject === objectType ? { ...child, fieldMappings: change(child.fieldMappings) } : child)),
    })),
  };
}

/** The plan with one suggestion applied; pure, so the wizard can preview it. */
export function applyPlanPatch(plan: MigrationPlan, patch: PlanPatch): MigrationPlan {
  switch (patch.kind) {
    case "skipStale":
      return {
        ...plan,
        filters: { ...plan.filters, skipStaleYears: patch.years, staleObjects: [...new Set([...plan.filters.staleObjects, patch.objectType])] },
      };
    case "setOptions":
      return { ...plan, options: { ...plan.options, ...Object.fromEntries(Object.entries(patch.options).filter(([, value]) => value !== undefined)) } };
    case "setTransform":
      return patchMappings(plan, patch.objectType, (mappings) =>
        mappings.map((mapping) => (mapping.sourceField === patch.field ? { ...mapping, transform: { ...mapping.transform, ...patch.transform } } : mapping)),
      );
    case "dropField":
      return patchMappings(plan, patch.objectType, (mappings) => mappings.filter((mapping) => mapping.sourceField !== patch.field));
    case "skipRepeats": {
      const listed = new Set(patch.repeats.map((repeat) => repeat.sourceId));
      const kept = plan.skipRepeats.filter((repeat) => repeat.objectType !== patch.objectType || !listed.has(repeat.sourceId));
      return {
        ...plan,
        skipRepeats: [
          ...kept,
          ...patch.repeats.filter((repeat) => repeat.sourceId !== repeat.sameAs).map((repeat) => ({ objectType: patch.objectType, ...repeat })),
        ],
      };
    }
  }
}
