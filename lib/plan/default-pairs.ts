// Which objects go where by default, per shape of system (help desk, CRM), and the tickets object a
// CRM target is given. Object pairs are listed by object *key* in small tables, easy to adjust as
// the connectors' describe() evolves.
import type { FieldDescription, ObjectTypeDescription, SelectOption } from "@/connectors/types";
import { type PlanOptions } from "./schema";

/** Systems shaped like a help desk (tickets with threads, customers, agents). Sample is one. */
export const HELPDESK_SYSTEMS: ReadonlySet<string> = new Set(["sample", "teamwork-desk"]);
/** Systems shaped like a CRM (companies, people, opportunities, notes, tasks). */
export const CRM_SYSTEMS: ReadonlySet<string> = new Set(["twenty"]);
/**
 * Targets whose API lets Ferry create the custom fields a plan needs (Twenty's metadata API,
 * applied by its prerequisites fix). Teamwork Desk's custom field creation is unconfirmed in
^ * docs/reference, so its plans only map onto fields that exist.
 */
export const FIELD_CREATING_TARGETS: ReadonlySet<string> = new Set(["twenty"]);
/** Objects that hold users: matched through userMappings by email, never created. */
export const USER_OBJECTS: ReadonlySet<string> = new Set(["agents", "workspaceMembers", "users", "members"]);

export type PairSpec = { source: string; target: string; enabled?: boolean };

/** Help desk → CRM. Agents become workspace members through userMappings; inboxes have no CRM equivalent. */
export function helpdeskToCrmPairs(ticketsAs: PlanOptions["ticketsAs"]): PairSpec[] {
  return [
    { source: "companies", target: "companies" },
    { source: "customers", target: "people" },
    { source: "tickets", target: ticketsAs === "tasks" ? "tasks" : "tickets" },
    { source: "opportunities", target: "opportunities" },
    { source: "tasks", target: "tasks" },
    { source: "notes", target: "notes" },
  ];
}

/**
 * CRM → help desk. A CRM's own tickets object (the one a help desk → CRM migration creates) goes
 * back to tickets, with the notes linked to each ticket as its thread; opportunities have no help
 * desk equivalent; notes as tickets of their own is offered but off.
 */
export const CRM_TO_HELPDESK_PAIRS: readonly PairSpec[] = [
  { source: "companies", target: "companies" },
  { source: "people", target: "customers" },
  { source: "tickets", target: "tickets" },
  { source: "tasks", target: "tickets" },
  { source: "notes", target: "tickets", enabled: false },
];

/**
 * The Tickets object Twenty's prerequisites fix creates (connectors/twenty/prerequisites.ts,
 * createTicketsObject), used until the target's describe() lists a real one.
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
    // Every Twenty object has it; accepted on create (twenty-api §7), so tickets keep their original date.
    twentyField("createdAt", "Creation date", "datetime", "DATE_TIME", { custom: false }),
  ],
};

function options(...pairs: [string, string][]): SelectOption[] {
  return pairs.map(([value, label]) => ({ value, label }));
}

function twentyField(key: string, label: string, type: FieldDescription["type"], nativeType: string, extra: Partial<FieldDescription> = {}): FieldDescription {
  return { key, label, type, nativeType, required: false, unique: false, readOnly: false, custom: true, ...extra };
}
