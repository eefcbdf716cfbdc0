// ConnectorSession.describe for Pipedrive: the five object types Ferry moves (reference §5) with
// their built-in fields and the company's custom fields discovered live (§6.2, §6.3).
import { describeCreatedAt } from "@/connectors/shared/record-dates";
import type { ObjectTypeDescription, SchemaDescription } from "@/connectors/types";
import { fieldPlans, type MapperContext } from "./mappers/fields";

/**
 * Notes have no custom fields (§5.5) and activities' Ferry source id field exists only when the
 * user made it (§6.2): a pending create of theirs is found by what was written (find-existing.ts).
 */
const MATCHED_BY_CONTENT = new Set(["activities", "notes"]);

const OBJECTS: { key: string; label: string; dependsOn: string[] }[] = [
  { key: "organizations", label: "Organizations", dependsOn: [] },
  { key: "persons", label: "People", dependsOn: ["organizations"] },
  { key: "deals", label: "Deals", dependsOn: ["organizations", "persons"] },
  { key: "activities", label: "Activities", dependsOn: ["organizations", "persons", "deals"] },
  { key: "notes", label: "Notes", dependsOn: ["organizations", "persons", "deals"] },
];

export function describeCompany(ctx: MapperContext): SchemaDescription {
  const objectTypes = OBJECTS.map((object): ObjectTypeDescription => ({
    key: object.key,
    label: object.label,
    custom: false,
    canRead: true,
    canWrite: true,
    dependsOn: object.dependsOn,
    fields: fieldPlans(object.key, ctx).map((plan) => plan.description),
    ...(MATCHED_BY_CONTENT.has(object.key) ? { matchedByContent: true } : {}),
  }));
  return describeCreatedAt({ objectTypes });
}
