// The order objects are written in: every object after the objects it depends on (its relations' targets).
import type { ObjectTypeDescription, SchemaDescription } from "@/connectors/types";
import { PlanError } from "./parse";
import type { ObjectPair } from "./schema";

/** Object types a description says must exist first: dependsOn plus every relation's target. */
export function dependenciesOf(object: ObjectTypeDescription): string[] {
  const relations = object.fields.filter((field) => field.type === "relation" && field.relatesTo).map((field) => field.relatesTo as string);
  return [...new Set([...object.dependsOn, ...relations])].filter((dependency) => dependency !== object.key);
}

export class DependencyCycleError extends PlanError {
  constructor(readonly cycle: string[]) {
    super(
      `These objects depend on each other in a loop: ${cycle.join(" → ")}. Turn off one of the relation mappings in the loop so one of them can be migrated first.`,
    );
    this.name = "DependencyCycleError";
  }
}

type DependencySource = SchemaDescription | ((objectKey: string) => readonly string[]);

function lookupOf(describe: DependencySource): (objectKey: string) => readonly string[] {
  if (typeof describe === "function") return describe;
  const byKey = new Map(describe.objectTypes.map((object) => [object.key, object]));
  return (objectKey) => {
    const object = byKey.get(objectKey);
    return object ? dependenciesOf(object) : [];
  };
}

function findCycle(remaining: string[], dependencies: Map<string, string[]>): string[] {
  // Every remaining node has a remaining dependency: walk them until one repeats.
  const path: string[] = [];
  let node = remaining[0];
  while (!path.includes(node)) {
    path.push(node);
    node = (dependencies.get(node) ?? []).find((dependency) => remaining.includes(dependency)) as string;
  }
  const loop = path.slice(path.indexOf(node));
  // Start the loop at its first object in the caller's order, so the message is stable.
  const start = loop.indexOf(remaining.find((object) => loop.includes(object)) as string);
  const rotated = [...loop.slice(start), ...loop.slice(0, start)];
  return [...rotated, rotated[0]];
}

/**
 * `objects` sorted so each comes after the objects it depends on (relations, dependsOn), keeping
 * the given order where there is a choice. Dependencies outside `objects` are ignored (they are
 * not migrated). A loop throws DependencyCycleError naming it.
 */
export function dependencyOrder(objects: readonly string[], describe: DependencySource): string[] {
  const lookup = lookupOf(describe);
  const included = new Set(objects);
  const dependencies = new Map(objects.map((object) => [object, lookup(object).filter((dependency) => included.has(dependency) && dependency !== object)]));
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < objects.length) {
    const next = objects.find((object) => !done.has(object) && (dependencies.get(object) ?? []).every((dependency) => done.has(dependency)));
    if (next === undefined)
      throw new DependencyCycleError(
        findCycle(
          objects.filter((object) => !done.has(object)),
          dependencies,
        ),
      );
    done.add(next);
    order.push(next);
  }
  return order;
}

/**
 * Pairs in write order. A pair depends on another when one of its mapped relation fields points
 * (in the source) at the other pair's source object, or (in the target) at its target object.
 */
export function orderObjectPairs<T extends ObjectPair>(pairs: readonly T[], sourceSchema: SchemaDescription, targetSchema: SchemaDescription): T[] {
  const id = (pair: ObjectPair) => `${pair.sourceObject}→${pair.targetObject}`;
  const sources = new Map(sourceSchema.objectTypes.map((object) => [object.key, object]));
  const targets = new Map(targetSchema.objectTypes.map((object) => [object.key, object]));
  const lookup = (pairId: string): string[] => {
    const pair = pairs.find((candidate) => id(candidate) === pairId) as T;
    const pointedAt = new Set<string>();
    for (const mapping of pair.fieldMappings) {
      const sourceField = mapping.sourceField ? sources.get(pair.sourceObject)?.fields.find((field) => field.key === mapping.sourceField) : undefined;
      const targetField = targets.get(pair.targetObject)?.fields.find((field) => field.key === mapping.targetField);
      if (sourceField?.type === "relation" && sourceField.relatesTo) pointedAt.add(`source:${sourceField.relatesTo}`);
      if (targetField?.type === "relation" && targetField.relatesTo) pointedAt.add(`target:${targetField.relatesTo}`);
    }
    return pairs.filter((other) => other !== pair && (pointedAt.has(`source:${other.sourceObject}`) || pointedAt.has(`target:${other.targetObject}`))).map(id);
  };
  const order = dependencyOrder(pairs.map(id), lookup);
  return order.map((pairId) => pairs.find((pair) => id(pair) === pairId) as T);
}
