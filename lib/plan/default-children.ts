// Default child pairs (ticket threads): messages as the parent's thread, or as records of their own.
import type { ObjectTypeDescription, SchemaDescription } from "@/connectors/types";
import { suggestFieldMappings } from "@/lib/mapping/suggest";
import { keepCreationDate, requiredDefaults, stripSuggestion } from "./default-mappings";
import { objectOfRole, type PairSpec, roleOf } from "./default-pairs";
import type { DefaultPlanInput, PlanSystems } from "./default-plan";
import { type ChildObjectPair, DEFAULT_CHILD_TITLE_TEMPLATE } from "./schema";

/** Child object types a source describes: read only inside one parent (canRead false, one dependency). */
export function childObjectsOf(schema: SchemaDescription, parentKey: string): ObjectTypeDescription[] {
  return schema.objectTypes.filter((object) => !object.canRead && object.dependsOn.length === 1 && object.dependsOn[0] === parentKey);
}

/** "notes" → "note": what one record of an object type is called, to match a kind option. */
function singularOf(key: string): string {
  return key.endsWith("s") ? key.slice(0, -1) : key;
}

export function childPairs(
  sourceParent: ObjectTypeDescription,
  pair: PairSpec,
  input: DefaultPlanInput,
  systems: PlanSystems,
  targets: Map<string, ObjectTypeDescription>,
  objectMap: Record<string, string>,
  migratedOnTheirOwn: ReadonlySet<string>,
): ChildObjectPair[] {
  const result: ChildObjectPair[] = [];
  const helpdeskTarget = systems.target.kind === "helpdesk" || systems.same;
  const targetSchema: SchemaDescription = { objectTypes: [...targets.values()] };
  for (const childSource of childObjectsOf(input.sourceSchema, sourceParent.key)) {
    // Records of an object the plan migrates on its own (notes) are not migrated a second time as children.
    if (childSource.recordsOf !== undefined && migratedOnTheirOwn.has(childSource.recordsOf)) continue;
    const inside = targets.get(childSource.key) ?? childObjectsOf(targetSchema, pair.target)[0];
    if (helpdeskTarget && inside) {
      // Threads stay threads: written inside their ticket (a CRM's notes on a ticket become its thread).
      const fieldMappings = suggestFieldMappings(childSource, inside, { objectMap }).map(stripSuggestion);
      const kind = childSource.recordsOf !== undefined ? singularOf(childSource.recordsOf) : null;
      result.push({
        childKey: childSource.key,
        sourceObject: childSource.key,
        targetObject: inside.key,
        enabled: true,
        mode: "children",
        fieldMappings: [...fieldMappings, ...requiredDefaults(inside, fieldMappings, kind)],
        parentLink: null,
        alsoLink: [],
        titleField: null,
        titleTemplate: DEFAULT_CHILD_TITLE_TEMPLATE,
      });
      continue;
    }
    if (childSource.recordsOf !== undefined) continue;
    const notesKey = objectOfRole(systems.target, "note");
    const notes = notesKey === undefined ? undefined : targets.get(notesKey);
    if (!notes || systems.target.kind !== "crm") continue;
    // Threads → notes linked to the ticket (when it is a record notes can point at) and to whom it is about.
    const parentLinkKey = `targets.${pair.target}`;
    const createdByFix = systems.target.objectTemplates.some((template) => template.key === pair.target);
    const canLinkParent = roleOf(systems.target, pair.target) !== "task" && (notes.fields.some((field) => field.key === parentLinkKey) || createdByFix);
    const alsoLink = sourceParent.fields
      .filter((field) => field.type === "relation" && field.relatesTo && objectMap[field.relatesTo])
      .map((field) => ({ parentField: field.key, targetField: `targets.${objectMap[field.relatesTo as string]}` }))
      .filter((link) => notes.fields.some((field) => field.key === link.targetField));
    const suggested = suggestFieldMappings(childSource, notes, { objectMap })
      .filter((mapping) => !mapping.targetField.startsWith("targets."))
      .map(stripSuggestion);
    const fieldMappings = keepCreationDate(childSource, notes, suggested, systems.target.createsFields);
    const title = notes.fields.find((field) => field.key === "title" && field.type === "text");
    result.push({
      childKey: childSource.key,
      sourceObject: childSource.key,
      targetObject: notes.key,
      enabled: true,
      mode: "records",
      fieldMappings: title ? fieldMappings.filter((mapping) => mapping.targetField !== title.key) : fieldMappings,
      parentLink: canLinkParent ? parentLinkKey : null,
      alsoLink,
      titleField: title ? title.key : null,
      titleTemplate: DEFAULT_CHILD_TITLE_TEMPLATE,
    });
  }
  return result;
}
