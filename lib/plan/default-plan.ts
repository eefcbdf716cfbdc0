// The plan a new migration starts with: sensible object pairs for the two systems, fields mapped
// by name and type, users matched by email. Everything here is a default the user can change in
// the wizard. Object pairs are listed by object *key* in small tables, easy to adjust as the
// connectors' describe() evolves; fields come from the live schemas through auto-mapping.
import type { ObjectTypeDescription, SchemaDescription, UserRef } from "@/connectors/types";
import { childPairs } from "./default-children";
import { fieldMappingsFor } from "./default-mappings";
import {
  CRM_SYSTEMS,
  FIELD_CREATING_TARGETS,
  HELPDESK_SYSTEMS,
  type PairSpec,
  CRM_TO_HELPDESK_PAIRS,
  TWENTY_TICKETS_OBJECT,
  USER_OBJECTS,
  helpdeskToCrmPairs,
} from "./default-pairs";
import { orderObjectPairs } from "./dependency-order";
import { matchUsers } from "./match-users";
import { validatePlanShape } from "./parse";
import { type MigrationPlan, type ObjectPair, type PlanOptions } from "./schema";

export type DefaultPlanInput = {
  sourceSystem: string;
  targetSystem: string;
  sourceSchema: SchemaDescription;
  targetSchema: SchemaDescription;
  sourceUsers: UserRef[];
  targetUsers: UserRef[];
  options?: Partial<PlanOptions>;
};

/** Object pairs for two systems, by key; same system: every readable, writable object one to one. */
export function defaultObjectPairs(input: DefaultPlanInput, ticketsAs: PlanOptions["ticketsAs"]): PairSpec[] {
  if (input.sourceSystem === input.targetSystem) {
    return input.sourceSchema.objectTypes
      .filter((object) => object.canRead && !USER_OBJECTS.has(object.key))
      .map((object) => ({ source: object.key, target: object.key }));
  }
  if (HELPDESK_SYSTEMS.has(input.sourceSystem) && CRM_SYSTEMS.has(input.targetSystem)) return helpdeskToCrmPairs(ticketsAs);
  if (CRM_SYSTEMS.has(input.sourceSystem) && HELPDESK_SYSTEMS.has(input.targetSystem)) return [...CRM_TO_HELPDESK_PAIRS];
  // Two different help desks (or CRMs): same keys one to one.
  return input.sourceSchema.objectTypes
    .filter((object) => object.canRead && !USER_OBJECTS.has(object.key))
    .map((object) => ({ source: object.key, target: object.key }));
}

/**
 * The starting plan for a migration from `sourceSystem` to `targetSystem`. Pairs whose objects
 * are missing on either side are left out, except Twenty's Tickets object, which the plan
 * expects and the target's prerequisites create. Fields are auto-mapped; source fields with no
 * counterpart become new custom fields where the target can create them.
 */
export function buildDefaultPlan(input: DefaultPlanInput): MigrationPlan {
  if (input.targetSystem === "sample") throw new Error("The Sample source cannot be a migration target");
  const planOptions = validatePlanShape({
    sourceSystem: input.sourceSystem,
    targetSystem: input.targetSystem,
    objects: [],
    options: input.options ?? {},
  }).options;
  const sources = new Map(input.sourceSchema.objectTypes.map((object) => [object.key, object]));
  const targets = new Map(input.targetSchema.objectTypes.map((object) => [object.key, object]));
  if (
    input.targetSystem === "twenty" &&
    !targets.has(TWENTY_TICKETS_OBJECT.key) &&
    HELPDESK_SYSTEMS.has(input.sourceSystem) &&
    planOptions.ticketsAs === "custom-object"
  ) {
    targets.set(TWENTY_TICKETS_OBJECT.key, TWENTY_TICKETS_OBJECT);
  }
  const specs = defaultObjectPairs(input, planOptions.ticketsAs).filter((spec) => {
    const target = targets.get(spec.target);
    return sources.get(spec.source)?.canRead && target !== undefined && target.canWrite;
  });
  // Relations only map onto relations to the object their target ends up in; the first enabled pair wins.
  const objectMap: Record<string, string> = {};
  for (const spec of specs) if (spec.enabled !== false && objectMap[spec.source] === undefined) objectMap[spec.source] = spec.target;
  const createFields = FIELD_CREATING_TARGETS.has(input.targetSystem);
  const migratedOnTheirOwn = new Set(specs.filter((spec) => spec.enabled !== false).map((spec) => spec.source));
  const pairs: ObjectPair[] = specs.map((spec) => {
    const source = sources.get(spec.source) as ObjectTypeDescription;
    const target = targets.get(spec.target) as ObjectTypeDescription;
    return {
      sourceObject: spec.source,
      targetObject: spec.target,
      enabled: spec.enabled ?? true,
      fieldMappings: fieldMappingsFor(source, target, objectMap, createFields),
      childObjects: childPairs(source, spec, input, targets, objectMap, migratedOnTheirOwn),
    };
  });
  const targetSchema: SchemaDescription = { objectTypes: [...targets.values()] };
  return validatePlanShape({
    sourceSystem: input.sourceSystem,
    targetSystem: input.targetSystem,
    objects: orderObjectPairs(pairs, input.sourceSchema, targetSchema),
    userMappings: matchUsers(input.sourceUsers, input.targetUsers),
    fallbackUserId: null,
    options: planOptions,
  });
}
