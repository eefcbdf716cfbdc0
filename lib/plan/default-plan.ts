// The plan a new migration starts with: sensible object pairs for the two systems, fields mapped
// by name and type, users matched by email. Everything here is a default the user can change in
// the wizard. Objects are paired by the roles the connectors declare (default-pairs.ts); fields
// come from the live schemas through auto-mapping.
import { canBeTarget, type ObjectTypeDescription, type SchemaDescription, type UserRef } from "@/connectors/types";
import { childPairs } from "./default-children";
import { fieldMappingsFor, type PairRoles } from "./default-mappings";
import {
  CRM_TO_HELPDESK_ROLES,
  type PairSpec,
  type PlanSystem,
  helpdeskToCrmRoles,
  isUserObject,
  objectOfRole,
  pairsByRole,
  planSystem,
  roleOf,
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

/** The two systems of a plan, as their manifests declare them. */
export type PlanSystems = { source: PlanSystem; target: PlanSystem; same: boolean };

/**
 * Object pairs for two systems: same system, every readable object one to one; a help desk and a
 * CRM, by the role tables; two systems of one kind, each object to the target's object of the
 * same role (of the same key, for objects without a role).
 */
export function defaultObjectPairs(input: DefaultPlanInput, systems: PlanSystems, ticketsAs: PlanOptions["ticketsAs"]): PairSpec[] {
  const { source, target } = systems;
  const readable = input.sourceSchema.objectTypes.filter((object) => object.canRead && !isUserObject(source, object.key));
  if (systems.same) return readable.map((object) => ({ source: object.key, target: object.key }));
  if (source.kind === "helpdesk" && target.kind === "crm") return pairsByRole(helpdeskToCrmRoles(ticketsAs), source, target);
  if (source.kind === "crm" && target.kind === "helpdesk") return pairsByRole(CRM_TO_HELPDESK_ROLES, source, target);
  return readable.map((object) => {
    const role = roleOf(source, object.key);
    return { source: object.key, target: (role && objectOfRole(target, role)) ?? object.key };
  });
}

/** What the two systems declare about a pair's objects and their fields. */
function pairRoles(systems: PlanSystems, sourceKey: string, targetKey: string): PairRoles {
  return {
    source: roleOf(systems.source, sourceKey),
    target: roleOf(systems.target, targetKey),
    sourceFields: systems.source.fieldRoles?.[sourceKey] ?? {},
    targetFields: systems.target.fieldRoles?.[targetKey] ?? {},
  };
}

/**
 * The target's objects, with the ones its fixes create on demand (a CRM's tickets object) where a
 * help desk's tickets go into one and the target has none yet: the prerequisites create it.
 */
function plannedTargetObjects(input: DefaultPlanInput, systems: PlanSystems, ticketsAs: PlanOptions["ticketsAs"]): Map<string, ObjectTypeDescription> {
  const targets = new Map(input.targetSchema.objectTypes.map((object) => [object.key, object]));
  if (systems.source.kind !== "helpdesk" || ticketsAs !== "custom-object") return targets;
  for (const template of systems.target.objectTemplates) {
    if (roleOf(systems.target, template.key) === "ticket" && !targets.has(template.key)) targets.set(template.key, template);
  }
  return targets;
}

/**
 * The starting plan for a migration from `sourceSystem` to `targetSystem`. Pairs whose objects
 * are missing on either side are left out, except objects the target's fixes create (its
 * objectTemplates), which the plan expects and the target's prerequisites create. Fields are
 * auto-mapped; source fields with no counterpart become new custom fields where the target can
 * create them.
 */
export function buildDefaultPlan(input: DefaultPlanInput): MigrationPlan {
  const systems: PlanSystems = {
    source: planSystem(input.sourceSystem),
    target: planSystem(input.targetSystem),
    same: input.sourceSystem === input.targetSystem,
  };
  if (!canBeTarget(systems.target)) throw new Error(`${systems.target.name} cannot be a migration target: Ferry only reads from it`);
  const planOptions = validatePlanShape({
    sourceSystem: input.sourceSystem,
    targetSystem: input.targetSystem,
    objects: [],
    options: input.options ?? {},
  }).options;
  const sources = new Map(input.sourceSchema.objectTypes.map((object) => [object.key, object]));
  const targets = plannedTargetObjects(input, systems, planOptions.ticketsAs);
  const specs = defaultObjectPairs(input, systems, planOptions.ticketsAs).filter((spec) => {
    const target = targets.get(spec.target);
    return sources.get(spec.source)?.canRead && target !== undefined && target.canWrite;
  });
  // Relations only map onto relations to the object their target ends up in; the first enabled pair wins.
  const objectMap: Record<string, string> = {};
  for (const spec of specs) if (spec.enabled !== false && objectMap[spec.source] === undefined) objectMap[spec.source] = spec.target;
  const createFields = systems.target.createsFields;
  const migratedOnTheirOwn = new Set(specs.filter((spec) => spec.enabled !== false).map((spec) => spec.source));
  const pairs: ObjectPair[] = specs.map((spec) => {
    const source = sources.get(spec.source) as ObjectTypeDescription;
    const target = targets.get(spec.target) as ObjectTypeDescription;
    return {
      sourceObject: spec.source,
      targetObject: spec.target,
      enabled: spec.enabled ?? true,
      fieldMappings: fieldMappingsFor(source, target, objectMap, createFields, pairRoles(systems, source.key, target.key)),
      childObjects: childPairs(source, spec, input, systems, targets, objectMap, migratedOnTheirOwn),
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
