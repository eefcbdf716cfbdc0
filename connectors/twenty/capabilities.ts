// What Ferry's engine, plans and pages need to know about Twenty beyond reading and writing:
// the roles of its objects, the Tickets object its fix creates, its fixes, the source id field
// and where a record opens in Twenty's app (connectors/types.ts ConnectorManifest, Connector).
import type { FieldDescription, FieldRole, FixDeclaration, ObjectRole, ObjectTypeDescription, SelectOption } from "@/connectors/types";

/**
 * The unique custom text field holding each record's source id, added by a fix. The writer stamps
 * it on every write and findExisting matches ExistingKey.sourceId against it.
 */
export const FERRY_SOURCE_ID_FIELD = "ferrySourceId";

export const FIX_CREATE_MISSING_FIELDS = "create-missing-fields";
export const FIX_ADD_SELECT_OPTIONS = "add-missing-select-options";
export const FIX_CREATE_TICKETS_OBJECT = "create-tickets-object";
export const FIX_CREATE_FERRY_SOURCE_ID = "create-ferry-source-id-fields";

/** Every fix prerequisites.ts offers, in the order they build on each other: objects, then fields, then options. */
export const TWENTY_FIXES: FixDeclaration[] = [
  {
    id: FIX_CREATE_TICKETS_OBJECT,
    label: "Create a Tickets object",
    effect: "Ferry creates a custom object “Tickets” in the target, with the fields the plan needs.",
    changesSchema: true,
    order: 1,
  },
  {
    id: FIX_CREATE_MISSING_FIELDS,
    label: "Create the missing fields",
    effect:
      "Ferry creates the custom fields the plan maps to but the target does not have yet. Field types cannot be changed afterwards; field keys may differ slightly, and the plan follows them.",
    changesSchema: true,
    order: 2,
  },
  {
    id: FIX_ADD_SELECT_OPTIONS,
    label: "Add the missing options",
    effect: "Ferry adds the missing options to the target's choice fields. Existing options are not changed.",
    changesSchema: false,
    order: 3,
  },
  {
    id: FIX_CREATE_FERRY_SOURCE_ID,
    label: "Add a Ferry source id field",
    effect: "Ferry adds a hidden-purpose unique “Ferry source id” field to each object it writes, so an interrupted run can be resumed without duplicates.",
    changesSchema: true,
    order: 4,
    alwaysApply: true,
  },
];

export const TWENTY_OBJECT_ROLES: Record<string, ObjectRole> = {
  companies: "company",
  people: "person",
  opportunities: "deal",
  notes: "note",
  tasks: "task",
  tickets: "ticket",
  workspaceMembers: "user",
};

/** The main fields of the standard objects (§7) and of the Tickets object, by what they mean. */
export const TWENTY_FIELD_ROLES: Record<string, Record<string, FieldRole>> = {
  companies: { name: "name", accountOwner: "owner" },
  people: { company: "company" },
  opportunities: { name: "name", amount: "amount", closeDate: "closeDate", stage: "stage", company: "company", pointOfContact: "person", owner: "owner" },
  notes: { title: "name", bodyV2: "body" },
  tasks: { title: "name", bodyV2: "body", dueAt: "dueDate", status: "status", assignee: "owner" },
  tickets: { name: "name", status: "status", description: "body", requester: "person", company: "company", assignee: "owner" },
};

/**
 * The Tickets object the create-tickets-object fix makes (prerequisites.ts, createTicketsObject),
 * as describe() then reports it: a help desk's tickets are planned onto it before it exists.
 */
export const TWENTY_TICKETS_OBJECT: ObjectTypeDescription = {
  key: "tickets",
  label: "Tickets",
  custom: true,
  canRead: true,
  canWrite: true,
  dependsOn: ["people", "companies"],
  fields: [
    twentyField("name", "Name", "text", "TEXT"),
    twentyField("status", "Status", "select", "SELECT", {
      options: options(["OPEN", "Open"], ["PENDING", "Pending"], ["ON_HOLD", "On hold"], ["SOLVED", "Solved"], ["CLOSED", "Closed"]),
    }),
    twentyField("priority", "Priority", "select", "SELECT", { options: options(["LOW", "Low"], ["MEDIUM", "Medium"], ["HIGH", "High"], ["URGENT", "Urgent"]) }),
    twentyField("description", "Description", "html", "RICH_TEXT_V2"),
    twentyField("requester", "Requester", "relation", "RELATION", { relatesTo: "people" }),
    twentyField("company", "Company", "relation", "RELATION", { relatesTo: "companies" }),
    twentyField("assignee", "Assignee", "user", "RELATION", { relatesTo: "workspaceMembers" }),
    // Every Twenty object has it; accepted on create (§7), so tickets keep their original date.
    twentyField("createdAt", "Creation date", "datetime", "DATE_TIME", { custom: false }),
  ],
};

function options(...pairs: [string, string][]): SelectOption[] {
  return pairs.map(([value, label]) => ({ value, label }));
}

function twentyField(key: string, label: string, type: FieldDescription["type"], nativeType: string, extra: Partial<FieldDescription> = {}): FieldDescription {
  return { key, label, type, nativeType, required: false, unique: false, readOnly: false, custom: true, ...extra };
}

/** people → person, companies → company, opportunities → opportunity: Twenty's singular object names. */
export function singularObjectName(objectType: string): string {
  if (objectType === "people") return "person";
  if (objectType.endsWith("ies")) return `${objectType.slice(0, -3)}y`;
  if (objectType.endsWith("s")) return objectType.slice(0, -1);
  return objectType;
}

/** A record's page in Twenty's app: /object/<singular name>/<id>, on the server's own origin. */
export function twentyRecordUrl(baseUrl: URL, objectType: string, id: string): string | null {
  // Twenty Cloud's API host is not where the workspace's app lives (a per-workspace subdomain Ferry does not know).
  if (baseUrl.hostname === "api.twenty.com") return null;
  return new URL(`/object/${encodeURIComponent(singularObjectName(objectType))}/${encodeURIComponent(id)}`, baseUrl.origin).toString();
}
