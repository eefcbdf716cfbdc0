// What the Sample source describes: its object types and fields, with canonical and native
// types, options and dependencies. Native type names imitate a typical help desk's.
import type { CanonicalFieldType, FieldDescription, ObjectTypeDescription, SchemaDescription, SelectOption } from "@/connectors/types";
import {
  COMPANY_TIERS,
  CUSTOMER_TAGS,
  INDUSTRIES,
  OPPORTUNITY_STAGES,
  PLATFORMS,
  PRODUCT_AREAS,
  TASK_STATUSES,
  TICKET_PRIORITIES,
  TICKET_SOURCES,
  TICKET_STATUSES,
  TICKET_TAGS,
  TICKET_TYPES,
} from "@/connectors/sample/vocabulary";

export const SAMPLE_OBJECT_TYPES = ["agents", "inboxes", "companies", "customers", "tickets", "opportunities", "tasks", "notes"] as const;
export type SampleObjectType = (typeof SAMPLE_OBJECT_TYPES)[number];

/** Ticket messages travel inside their ticket (`children.messages`); described, counted, never read alone. */
export const MESSAGES_OBJECT_TYPE = "messages";

export function isSampleObjectType(value: string): value is SampleObjectType {
  return (SAMPLE_OBJECT_TYPES as readonly string[]).includes(value);
}

type FieldOptions = Partial<Omit<FieldDescription, "key" | "label" | "type" | "nativeType">>;

function field(key: string, label: string, type: CanonicalFieldType, nativeType: string, options: FieldOptions = {}): FieldDescription {
  return { key, label, type, nativeType, required: false, unique: false, readOnly: false, custom: false, ...options };
}

const optionsOf = (options: readonly SelectOption[]): SelectOption[] => options.map(({ value, label }) => ({ value, label }));
const tagOptions = (tags: readonly string[]): SelectOption[] => tags.map((tag) => ({ value: tag, label: tag }));

const AGENT_ROLES: SelectOption[] = [
  { value: "admin", label: "Administrator" },
  { value: "agent", label: "Agent" },
];
const AGENT_STATES: SelectOption[] = [
  { value: "active", label: "Active" },
  { value: "inactive", label: "Inactive (left the team)" },
];
const MESSAGE_KINDS: SelectOption[] = [
  { value: "reply", label: "Reply" },
  { value: "note", label: "Internal note" },
];
const AUTHOR_TYPES: SelectOption[] = [
  { value: "agent", label: "Agent" },
  { value: "customer", label: "Customer" },
];

/** Relations a note or task may point at; one or two are set on each record. */
const targetFields = (): FieldDescription[] => [
  field("company", "Company", "relation", "company", { relatesTo: "companies" }),
  field("customer", "Customer", "relation", "customer", { relatesTo: "customers" }),
  field("opportunity", "Opportunity", "relation", "opportunity", { relatesTo: "opportunities" }),
];

const OBJECT_TYPES: ObjectTypeDescription[] = [
  {
    key: "agents",
    label: "Agents",
    custom: false,
    canRead: true,
    canWrite: false,
    dependsOn: [],
    fields: [
      field("name", "Name", "fullname", "name", { required: true }),
      field("email", "Email", "email", "email", { required: true, unique: true }),
      field("role", "Role", "select", "role", { required: true, options: AGENT_ROLES }),
      field("state", "State", "select", "state", { required: true, options: AGENT_STATES }),
    ],
  },
  {
    key: "inboxes",
    label: "Inboxes",
    custom: false,
    canRead: true,
    canWrite: false,
    dependsOn: [],
    fields: [field("name", "Name", "text", "string", { required: true, unique: true }), field("email", "Email address", "email", "email", { required: true })],
  },
  {
    key: "companies",
    label: "Companies",
    custom: false,
    canRead: true,
    canWrite: false,
    dependsOn: [],
    fields: [
      field("name", "Name", "text", "string", { required: true }),
      field("domain", "Website", "url", "domain"),
      field("industry", "Industry", "select", "dropdown", { options: optionsOf(INDUSTRIES) }),
      field("employees", "Employees", "number", "integer"),
      field("phone", "Phone", "phone", "phone"),
      field("address", "Address", "address", "address"),
      field("accountOwner", "Account owner", "user", "agent"),
      field("annualRevenue", "Annual revenue", "currency", "money"),
      field("tier", "Customer tier", "select", "dropdown", { custom: true, options: optionsOf(COMPANY_TIERS) }),
    ],
  },
  {
    key: "customers",
    label: "Customers",
    custom: false,
    canRead: true,
    canWrite: false,
    dependsOn: ["companies"],
    fields: [
      field("name", "Name", "fullname", "name", { required: true }),
      field("email", "Email", "email", "email"),
      field("phone", "Phone", "phone", "phone"),
      field("company", "Company", "relation", "company", { relatesTo: "companies" }),
      field("jobTitle", "Job title", "text", "string", { maxLength: 100 }),
      field("address", "Address", "address", "address"),
      field("tags", "Tags", "tags", "tags", { options: tagOptions(CUSTOMER_TAGS) }),
    ],
  },
  {
    key: "tickets",
    label: "Tickets",
    custom: false,
    canRead: true,
    canWrite: false,
    dependsOn: ["customers", "inboxes"],
    fields: [
      field("subject", "Subject", "text", "string", { required: true, maxLength: 255 }),
      field("status", "Status", "select", "status", { required: true, options: optionsOf(TICKET_STATUSES) }),
      field("priority", "Priority", "select", "priority", { options: optionsOf(TICKET_PRIORITIES) }),
      field("type", "Type", "select", "ticketType", { options: optionsOf(TICKET_TYPES) }),
      field("source", "Source", "select", "source", { required: true, options: optionsOf(TICKET_SOURCES) }),
      field("inbox", "Inbox", "relation", "inbox", { required: true, relatesTo: "inboxes" }),
      field("customer", "Customer", "relation", "customer", { required: true, relatesTo: "customers" }),
      field("assignee", "Assignee", "user", "agent"),
      field("tags", "Tags", "tags", "tags", { options: tagOptions(TICKET_TAGS) }),
      // Ticket custom fields, one per canonical type a help desk lets admins create.
      field("orderNumber", "Order number", "text", "text", { custom: true, maxLength: 50 }),
      field("reproductionSteps", "Steps to reproduce", "longtext", "textarea", { custom: true }),
      field("seatCount", "Group size", "number", "number", { custom: true }),
      field("vipCustomer", "VIP customer", "boolean", "checkbox", { custom: true }),
      field("purchaseDate", "Purchase date", "date", "date", { custom: true }),
      field("slaBreachedAt", "SLA breached at", "datetime", "datetime", { custom: true }),
      field("productArea", "Product area", "select", "dropdown", { custom: true, options: optionsOf(PRODUCT_AREAS) }),
      field("platforms", "Platforms", "multiselect", "multiselect", { custom: true, options: optionsOf(PLATFORMS) }),
      field("recordingUrl", "Call recording", "url", "url", { custom: true }),
      field("ccEmail", "CC email", "email", "email", { custom: true }),
      field("callbackPhone", "Callback number", "phone", "phone", { custom: true }),
      field("refundAmount", "Refund amount", "currency", "money", { custom: true }),
      field("escalatedTo", "Escalated to", "user", "agent", { custom: true }),
      // Created for a 2019 import and never filled since: the audit should flag it.
      field("legacyReference", "Legacy reference", "text", "text", { custom: true }),
    ],
  },
  {
    key: MESSAGES_OBJECT_TYPE,
    label: "Ticket messages",
    custom: false,
    // Read as children.messages of each ticket.
    canRead: false,
    canWrite: false,
    dependsOn: ["tickets"],
    fields: [
      field("body", "Body", "html", "html", { required: true }),
      field("kind", "Kind", "select", "threadType", { required: true, options: MESSAGE_KINDS }),
      field("authorType", "Author type", "select", "authorType", { required: true, options: AUTHOR_TYPES }),
      // A UserRef when an agent wrote it, a RelationRef to customers when the customer did.
      field("author", "Author", "user", "agent | customer", { required: true, relatesTo: "customers" }),
    ],
  },
  {
    key: "opportunities",
    label: "Opportunities",
    custom: false,
    canRead: true,
    canWrite: false,
    dependsOn: ["companies", "customers"],
    fields: [
      field("name", "Name", "text", "string", { required: true }),
      field("amount", "Amount", "currency", "money"),
      field("stage", "Stage", "select", "stage", { required: true, options: optionsOf(OPPORTUNITY_STAGES) }),
      field("closeDate", "Close date", "date", "date"),
      field("company", "Company", "relation", "company", { required: true, relatesTo: "companies" }),
      field("pointOfContact", "Point of contact", "relation", "customer", { relatesTo: "customers" }),
      field("owner", "Owner", "user", "agent"),
    ],
  },
  {
    key: "tasks",
    label: "Tasks",
    custom: false,
    canRead: true,
    canWrite: false,
    dependsOn: ["companies", "customers", "opportunities"],
    fields: [
      field("title", "Title", "text", "string", { required: true }),
      field("body", "Details", "longtext", "text"),
      field("status", "Status", "select", "taskStatus", { required: true, options: optionsOf(TASK_STATUSES) }),
      field("dueAt", "Due", "datetime", "datetime"),
      field("assignee", "Assignee", "user", "agent"),
      ...targetFields(),
    ],
  },
  {
    key: "notes",
    label: "Notes",
    custom: false,
    canRead: true,
    canWrite: false,
    dependsOn: ["companies", "customers", "opportunities"],
    fields: [
      field("title", "Title", "text", "string"),
      field("body", "Body", "html", "html", { required: true }),
      field("author", "Author", "user", "agent"),
      ...targetFields(),
    ],
  },
];

export function describeSample(): SchemaDescription {
  // A fresh copy each time, so a caller that edits the description cannot change the next one.
  return structuredClone({ objectTypes: OBJECT_TYPES });
}
