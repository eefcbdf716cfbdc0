// The plan as the target's prerequisite checks want it.
import type { PlanForPrerequisites } from "@/connectors/types";
import type { FieldMapping } from "@/lib/mapping/field-mapping";
import { type MigrationPlan } from "./schema";

/** The plan as the target's prerequisite checks want it: objects written, users mapped, fields to create. */
export function toPlanForPrerequisites(plan: MigrationPlan): PlanForPrerequisites {
  const enabled = plan.objects.filter((pair) => pair.enabled);
  const objectTypes = new Set<string>();
  const customFields: PlanForPrerequisites["customFields"] = [];
  const planned = new Set<string>();
  const collect = (objectType: string, mappings: FieldMapping[]) => {
    for (const mapping of mappings) {
      // Two pairs writing the same new field (tickets and tasks both into Twenty tasks) create it once.
      if (!mapping.createField || planned.has(`${objectType}.${mapping.targetField}`)) continue;
      planned.add(`${objectType}.${mapping.targetField}`);
      customFields.push({
        objectType,
        key: mapping.targetField,
        label: mapping.createField.label,
        type: mapping.createField.type,
        ...(mapping.createField.options ? { options: mapping.createField.options } : {}),
      });
    }
  };
  for (const pair of enabled) {
    objectTypes.add(pair.targetObject);
    collect(pair.targetObject, pair.fieldMappings);
    for (const child of pair.childObjects.filter((candidate) => candidate.enabled && candidate.mode === "records")) {
      objectTypes.add(child.targetObject);
      collect(child.targetObject, child.fieldMappings);
    }
  }
  const users = plan.userMappings.map((mapping) => ({
    sourceUserId: mapping.sourceUserId,
    sourceEmail: mapping.sourceEmail?.trim().toLowerCase() || null,
    sourceLabel: mapping.sourceName?.trim() || mapping.sourceEmail?.trim() || mapping.sourceUserId,
    targetUserId: mapping.targetUserId,
  }));
  return { objectTypes: [...objectTypes], users, fallbackUserId: plan.fallbackUserId, customFields };
}
