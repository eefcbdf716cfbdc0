// What Ferry's engine, plans and pages need to know about Pipedrive beyond reading and writing:
// the roles of its objects, its fixes, the source id field and where a record opens in
// Pipedrive's web app (reference §5.8).
import type { FixDeclaration, ObjectRole } from "@/connectors/types";

export const FIX_CREATE_MISSING_FIELDS = "create-missing-fields";
export const FIX_ADD_SELECT_OPTIONS = "add-missing-select-options";
export const FIX_CREATE_FERRY_SOURCE_ID = "create-ferry-source-id-fields";

/**
 * The key describe() gives the "Ferry source id" custom field whatever its hash (reference §8):
 * the manifest's sourceIdField, which the writer stamps and findExisting matches.
 */
export const PIPEDRIVE_SOURCE_ID_FIELD = "ferrySourceId";

/** What each object is in any system: a CRM's tasks are Pipedrive activities. */
export const PIPEDRIVE_OBJECT_ROLES: Record<string, ObjectRole> = {
  organizations: "company",
  persons: "person",
  deals: "deal",
  activities: "task",
  notes: "note",
};

/** Every fix prerequisites.ts offers, in the order they build on each other: fields, then options, then the source id field. */
export const PIPEDRIVE_FIXES: FixDeclaration[] = [
  {
    id: FIX_CREATE_MISSING_FIELDS,
    label: "Create the missing fields",
    effect:
      "Ferry creates the custom fields the plan maps to but Pipedrive does not have yet (Company settings → Data fields). Field types cannot be changed afterwards.",
    changesSchema: true,
    order: 1,
  },
  {
    id: FIX_ADD_SELECT_OPTIONS,
    label: "Add the missing options",
    effect: "Ferry adds the missing options to Pipedrive's single and multiple option fields. Existing options are not changed.",
    changesSchema: false,
    order: 2,
  },
  {
    id: FIX_CREATE_FERRY_SOURCE_ID,
    label: "Add a Ferry source id field",
    effect:
      "Ferry adds a text field “Ferry source id” to organizations, people, deals and activities and fills it with each record's id in the source, so an interrupted run never creates a record twice.",
    changesSchema: true,
    order: 3,
    alwaysApply: true,
  },
];

const RECORD_PATHS: Record<string, string> = { organizations: "organization", persons: "person", deals: "deal" };
const API_HOST = "api.pipedrive.com";

/**
 * §5.8 [U]: `https://{company}.pipedrive.com/deal/{id}` (and /person, /organization); from the
 * shared API host, app.pipedrive.com opens the signed-in user's company. Activities and notes open
 * inside their deal or person: none.
 */
export function pipedriveRecordUrl(baseUrl: URL, objectType: string, id: string): string | null {
  const path = RECORD_PATHS[objectType];
  if (!path || !/^\d+$/.test(id)) return null;
  const origin = baseUrl.hostname === API_HOST ? "https://app.pipedrive.com" : baseUrl.origin;
  return `${origin}/${path}/${id}`;
}
