// ConnectorSession.describe for Teamwork Desk: the fixed fields of each object type (reference
// §5) plus the ticket custom fields discovered live (§5.8), with canonical and native types,
// select options from the site's own statuses, priorities, types, sources and tags.
import type { CanonicalFieldType, FieldDescription, ObjectTypeDescription, SchemaDescription, SelectOption } from "@/connectors/types";
import { canonicalTypeForKind, selectOptionsOf } from "./mappers/custom-fields";
import { namedOptions } from "./mappers/named";
import { AUTHOR_TYPES, MESSAGE_KINDS } from "./mappers/tickets";
import type { SiteModel } from "./site-model";

type FieldOptions = Partial<Omit<FieldDescription, "key" | "label" | "type" | "nativeType">>;

function field(key: string, label: string, type: CanonicalFieldType, nativeType: string, options: FieldOptions = {}): FieldDescription {
  return { key, label, type, nativeType, required: false, unique: false, readOnly: false, custom: false, ...options };
}

const listOptions = (values: readonly string[]): SelectOption[] => values.map((value) => ({ value, label: value.charAt(0).toUpperCase() + value.slice(1) }));

const AGENT_STATES: SelectOption[] = [
  { value: "active", label: "Active" },
  { value: "invited", label: "Invited (not accepted yet)" },
  { value: "deleted", label: "Archived (left the team)" },
];

function objectType(
  key: string,
  label: string,
  fields: FieldDescription[],
  options: { canRead?: boolean; canWrite?: boolean; dependsOn?: string[] } = {},
): ObjectTypeDescription {
  return { key, label, custom: false, canRead: options.canRead ?? true, canWrite: options.canWrite ?? false, fields, dependsOn: options.dependsOn ?? [] };
}

/** The custom fields as ticket fields: text→text, textarea→longtext, dropdown→select, checkbox→multiselect, number, date. */
export function customFieldDescriptions(model: SiteModel): FieldDescription[] {
  return model.customFields.map((custom) => {
    const type = canonicalTypeForKind(custom.kind);
    return field(custom.key, custom.label, type, custom.nativeKind, {
      custom: true,
      required: custom.required,
      // A kind Ferry does not know is shown (nothing silently lost) but never written.
      readOnly: custom.kind === null,
      ...(type === "select" || type === "multiselect" ? { options: selectOptionsOf(custom) } : {}),
    });
  });
}

/** The site's inboxes as choices for a ticket's default inbox, by id. */
function inboxOptions(model: SiteModel): SelectOption[] {
  return model.inboxes.map((inbox) => ({ value: String(inbox.id), label: inbox.name?.trim() || inbox.email?.trim() || `Inbox ${inbox.id}` }));
}

const ro = { readOnly: true };

export function describeSite(model: SiteModel): SchemaDescription {
  return { objectTypes: [companiesType(), customersType(), ticketsType(model), messagesType(), ...referenceTypes()] };
}

function companiesType(): ObjectTypeDescription {
  return objectType(
    "companies",
    "Companies",
    [
      field("name", "Name", "text", "name", { required: true }),
      field("domain", "Domain", "url", "domains"),
      field("additionalDomains", "Other domains", "tags", "domains"),
      field("website", "Website", "url", "website"),
      field("email", "Email", "email", "email"),
      field("description", "Description", "longtext", "description"),
      field("details", "Details", "longtext", "details"),
      field("industry", "Industry", "text", "industry"),
      field("kind", "Kind", "text", "kind"),
      field("note", "Note", "longtext", "note"),
    ],
    { canWrite: true },
  );
}

function customersType(): ObjectTypeDescription {
  return objectType(
    "customers",
    "Customers",
    [
      field("name", "Name", "fullname", "firstName + lastName", { required: true }),
      field("email", "Email", "email", "contacts (email, main)", { required: true, unique: true }),
      field("additionalEmails", "Other emails", "tags", "contacts (email)"),
      field("phone", "Phone", "phone", "phone"),
      field("mobile", "Mobile", "phone", "mobile"),
      field("company", "Company", "relation", "companies", { relatesTo: "companies" }),
      field("organization", "Organization", "text", "organization"),
      field("jobTitle", "Job title", "text", "jobTitle"),
      field("address", "Address", "address", "address (one line)"),
      field("notes", "Notes", "longtext", "notes"),
      field("extraData", "Extra data", "longtext", "extraData"),
      field("externalId", "External id", "text", "externalId"),
      field("linkedinUrl", "LinkedIn", "url", "linkedinURL"),
      field("facebookUrl", "Facebook", "url", "facebookURL"),
      field("twitterHandle", "Twitter", "text", "twitterHandle"),
      field("trusted", "Trusted", "boolean", "trusted"),
    ],
    { canWrite: true, dependsOn: ["companies"] },
  );
}

/** Tickets with the site's own statuses, priorities, types, sources, tags, inboxes and custom fields. */
function ticketsType(model: SiteModel): ObjectTypeDescription {
  return objectType(
    "tickets",
    "Tickets",
    [
      field("subject", "Subject", "text", "subject", { required: true }),
      field("status", "Status", "select", "ticketstatus", { options: namedOptions(model.statuses) }),
      field("priority", "Priority", "select", "ticketpriority", { options: namedOptions(model.priorities) }),
      field("type", "Type", "select", "tickettype", { options: namedOptions(model.types) }),
      // §6: the import names the source after the migration; the original source cannot be set.
      field("source", "Source", "select", "ticketsource", { ...ro, options: namedOptions(model.sources) }),
      // Inboxes are never migrated (they must exist): a ticket without one goes to the inbox picked on the mapping page.
      field("inbox", "Inbox", "relation", "inbox", { required: true, relatesTo: "inboxes", options: inboxOptions(model), relationDefault: "option" }),
      // §6: the import matches a customer by email and creates one that is missing, so a placeholder is an email address.
      field("customer", "Customer", "relation", "customer", { required: true, relatesTo: "customers", relationDefault: "email" }),
      field("company", "Company", "relation", "company", { ...ro, relatesTo: "companies" }),
      field("assignee", "Assignee", "user", "agent"),
      field("tags", "Tags", "tags", "tags", { options: namedOptions(model.tags) }),
      field("originalRecipient", "Original recipient", "email", "originalRecipient", ro),
      ...customFieldDescriptions(model),
    ],
    { canWrite: true, dependsOn: ["customers", "inboxes"] },
  );
}

function messagesType(): ObjectTypeDescription {
  return objectType(
    "messages",
    "Ticket threads",
    [
      field("body", "Body", "html", "htmlBody", { required: true }),
      field("kind", "Kind", "select", "threadType", { required: true, options: listOptions(MESSAGE_KINDS) }),
      field("authorType", "Author type", "select", "createdBy.type", { required: true, options: listOptions(AUTHOR_TYPES) }),
      // A UserRef for an agent, a RelationRef to customers for a customer (like the Sample source).
      field("author", "Author", "user", "createdBy (users | customers)", { required: true, relatesTo: "customers" }),
      field("cc", "Cc", "tags", "cc"),
      field("bcc", "Bcc", "tags", "bcc"),
    ],
    // Read and written with their ticket, in children.messages.
    { canRead: false, canWrite: false, dependsOn: ["tickets"] },
  );
}

/** What a ticket refers to and Ferry reads but never writes: agents, inboxes, tags and the ticket lookups. */
function referenceTypes(): ObjectTypeDescription[] {
  return [
    objectType("agents", "Agents", [
      field("name", "Name", "fullname", "firstName + lastName", ro),
      field("email", "Email", "email", "email", { ...ro, unique: true }),
      field("role", "Role", "text", "role", ro),
      field("state", "State", "select", "state", { ...ro, options: AGENT_STATES }),
      field("partTime", "Part-time", "boolean", "isPartTime", ro),
      field("isAdministrator", "Administrator", "boolean", "role", ro),
    ]),
    objectType("inboxes", "Inboxes", [
      field("name", "Name", "text", "name", ro),
      field("email", "Email address", "email", "email", ro),
      field("state", "State", "text", "state", ro),
    ]),
    objectType("tags", "Tags", [field("name", "Name", "text", "name", { ...ro, unique: true }), field("color", "Colour", "text", "color", ro)]),
    objectType("statuses", "Ticket statuses", [
      field("name", "Name", "text", "name", ro),
      field("code", "Code", "text", "code", ro),
      field("color", "Colour", "text", "color", ro),
      field("displayOrder", "Order", "number", "displayOrder", ro),
    ]),
    objectType("priorities", "Ticket priorities", [
      field("name", "Name", "text", "name", ro),
      field("color", "Colour", "text", "color", ro),
      field("displayOrder", "Order", "number", "displayOrder", ro),
    ]),
    objectType("ticketTypes", "Ticket types", [
      field("name", "Name", "text", "name", ro),
      field("color", "Colour", "text", "color", ro),
      field("displayOrder", "Order", "number", "displayOrder", ro),
      field("isDefault", "Default", "boolean", "default", ro),
    ]),
    objectType("customFields", "Custom fields", [
      field("label", "Label", "text", "agentLabel", ro),
      field("kind", "Kind", "text", "kind", ro),
      field("type", "Canonical type", "text", "kind", ro),
      field("required", "Required", "boolean", "agentRequired", ro),
      field("options", "Options", "tags", "customfieldoptions", ro),
      field("inboxes", "Inboxes", "relation", "inboxes", { ...ro, relatesTo: "inboxes" }),
    ]),
  ];
}
