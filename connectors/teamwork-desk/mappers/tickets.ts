// Tickets (§5.1) and their threads (§5.2): raw Teamwork Desk ticket + side-loads → canonical
// record with children.messages; canonical ticket → the v1 import ticket (§6) plus the v2 PATCH
// for what the import cannot carry (status, custom fields), and canonical threads → v2 notes.
import { replaceEmbeddedImages } from "@/connectors/shared/html-markdown";
import { invalidField, normalizeEmail } from "@/connectors/shared/values";
import type { Attachment, CanonicalRecord, CanonicalValue, RelationRef, UserRef } from "@/connectors/types";
import { idString } from "../api";
import type { Included } from "../api";
import { DeskFileSchema, DeskMessageSchema } from "../raw-schemas";
import type { DeskCustomer, DeskFile, DeskInbox, DeskMessage, DeskNamed, DeskTicket, DeskUser } from "../raw-schemas";
import type { SiteModel } from "../site-model";
import { CUSTOM_FIELD_KEY_PREFIX, customValueFromDesk, customValueToDesk } from "./custom-fields";
import type { CustomFieldModel } from "./custom-fields";
import { findNamed, nameById } from "./named";
import { userRefOf } from "./people";
import { dateTimeFromDesk, dateTimeToDesk, emailListToDesk, htmlToText, stringListToDesk, text, textToDesk, toHtmlBody } from "./values";

export const MESSAGE_KINDS = ["reply", "note", "forward"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export const AUTHOR_TYPES = ["agent", "customer"] as const;

/** §5.2: thread types that carry a conversation; other values are system "event info" rows. */
const KIND_BY_THREAD_TYPE: Record<string, MessageKind> = { message: "reply", note: "note", forward: "forward" };

export const TICKET_KEYS = new Set([
  "subject",
  "status",
  "priority",
  "type",
  "source",
  "inbox",
  "customer",
  "company",
  "assignee",
  "tags",
  "originalRecipient",
]);
export const MESSAGE_KEYS = new Set(["body", "kind", "authorType", "author", "cc", "bcc"]);

export type TicketReadContext = {
  model: SiteModel;
  included: Included;
  /** Site base URL, for the download address of attachments (§5.3). */
  baseUrl: string;
};

function side<T>(included: Included, type: string, id: string | null, parse: (item: unknown) => { success: true; data: T } | { success: false }): T | null {
  if (id === null) return null;
  const item = included.get(type)?.get(id);
  if (!item) return null;
  const parsed = parse(item);
  return parsed.success ? parsed.data : null;
}

function refName(list: DeskNamed[], included: Included, type: string, id: string | null): string | null {
  if (id === null) return null;
  return nameById(list, id) ?? text(included.get(type)?.get(id)?.name) ?? id;
}

export function attachmentFromDesk(file: DeskFile, ticketId: string, baseUrl: string): Attachment {
  const id = String(file.id);
  return {
    id,
    fileName: text(file.filename) ?? `attachment-${id}`,
    contentType: text(file.mimeType) ?? "application/octet-stream",
    sizeBytes: file.size ?? file.sizeBytes ?? 0,
    // §5.3: GET /tickets/{tid}/files/{fid}/download (needs the API key).
    url: text(file.downloadURL) ?? text(file.url) ?? `${baseUrl}/desk/api/v2/tickets/${ticketId}/files/${id}/download`,
  };
}

/** The author of a thread: an agent as a UserRef, a customer as a RelationRef (like the Sample source). */
function authorOf(message: DeskMessage, context: TicketReadContext): { authorType: "agent" | "customer"; author: UserRef | RelationRef | null } {
  const ref = message.createdBy;
  const id = idString(ref?.id);
  const type = (ref?.type ?? "").toLowerCase();
  if (id === null) return { authorType: "agent", author: null };
  if (type.startsWith("customer") || type.startsWith("contact")) return { authorType: "customer", author: { objectType: "customers", id } };
  const user = context.model.users.find((candidate) => String(candidate.id) === id) ?? (context.included.get("users")?.get(id) as DeskUser | undefined);
  return { authorType: "agent", author: user ? userRefOf(user) : { id, email: null } };
}

/** One thread → a canonical `messages` record; null for system event rows (status changes, merges). */
export function messageFromDesk(message: DeskMessage, ticketId: string, context: TicketReadContext): CanonicalRecord | null {
  const kind = KIND_BY_THREAD_TYPE[(message.threadType ?? "message").toLowerCase()];
  if (!kind || message.state === "deleted") return null;
  const html = text(message.htmlBody) ?? text(message.body);
  const plain = text(message.textBody);
  const { authorType, author } = authorOf(message, context);
  const attachments = (message.files ?? [])
    .map((ref) => side(context.included, "files", String(ref.id), (item) => DeskFileSchema.safeParse(item)))
    .filter((file): file is DeskFile => file !== null)
    .map((file) => attachmentFromDesk(file, ticketId, context.baseUrl));
  const record: CanonicalRecord = {
    id: String(message.id),
    objectType: "messages",
    createdAt: dateTimeFromDesk(message.createdAt),
    updatedAt: dateTimeFromDesk(message.updatedAt),
    fields: {
      body: html ?? (plain === null ? "" : toHtmlBody(plain)),
      kind,
      authorType,
      author,
      cc: message.cc && message.cc.length > 0 ? message.cc : null,
      bcc: message.bcc && message.bcc.length > 0 ? message.bcc : null,
    },
  };
  if (attachments.length > 0) record.attachments = attachments;
  return record;
}

function customFieldValues(ticket: DeskTicket, fields: CustomFieldModel[]): Record<string, CanonicalValue> {
  const values: Record<string, CanonicalValue> = {};
  for (const field of fields) values[field.key] = null;
  for (const ref of ticket.customfields ?? []) {
    const field = fields.find((candidate) => candidate.id === String(ref.id));
    if (!field) continue;
    values[field.key] = customValueFromDesk(field, ref.meta?.value);
  }
  return values;
}

/** Ticket + side-loads → canonical ticket with its threads in children.messages, oldest first. */
export function ticketFromDesk(ticket: DeskTicket, messages: DeskMessage[], context: TicketReadContext): CanonicalRecord {
  const id = String(ticket.id);
  const { model, included } = context;
  const agentId = idString(ticket.agent?.id);
  const agent = agentId === null ? null : (model.users.find((user) => String(user.id) === agentId) ?? null);
  const customerId = idString(ticket.customer?.id);
  const customer = side<DeskCustomer>(included, "customers", customerId, (item) => ({ success: true, data: item as DeskCustomer }));
  const companyId = idString(ticket.company?.id) ?? idString(customer?.companies?.[0]?.id) ?? idString(customer?.company?.id);
  const tagNames = (ticket.tags ?? []).map((ref) => refName(model.tags, included, "tags", String(ref.id))).filter((name): name is string => name !== null);
  const children = messages
    .map((message) => messageFromDesk(message, id, context))
    .filter((message): message is CanonicalRecord => message !== null)
    .sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? "") || Number(a.id) - Number(b.id));
  const threadFiles = new Set(children.flatMap((message) => (message.attachments ?? []).map((attachment) => attachment.id)));
  const ticketFiles = (ticket.files ?? [])
    .filter((ref) => !threadFiles.has(String(ref.id)))
    .map((ref) => side(included, "files", String(ref.id), (item) => DeskFileSchema.safeParse(item)))
    .filter((file): file is DeskFile => file !== null)
    .map((file) => attachmentFromDesk(file, id, context.baseUrl));

  const fields: Record<string, CanonicalValue> = {
    subject: text(ticket.subject),
    status: refName(model.statuses, included, "ticketstatuses", idString(ticket.status?.id)),
    priority: idString(ticket.priority?.id) === "0" ? null : refName(model.priorities, included, "ticketpriorities", idString(ticket.priority?.id)),
    type: refName(model.types, included, "tickettypes", idString(ticket.type?.id)),
    source: refName(model.sources, included, "ticketsources", idString(ticket.source?.id)),
    inbox: ticket.inbox ? { objectType: "inboxes", id: String(ticket.inbox.id) } : null,
    customer: customerId ? { objectType: "customers", id: customerId } : null,
    company: companyId ? { objectType: "companies", id: companyId } : null,
    assignee: agent ? userRefOf(agent) : agentId ? { id: agentId, email: null } : null,
    tags: tagNames,
    originalRecipient: text(ticket.originalRecipient),
    ...customFieldValues(ticket, model.customFields),
  };
  const record: CanonicalRecord = {
    id,
    objectType: "tickets",
    createdAt: dateTimeFromDesk(ticket.createdAt),
    updatedAt: dateTimeFromDesk(ticket.updatedAt),
    fields,
    children: { messages: children },
  };
  if (ticketFiles.length > 0) record.attachments = ticketFiles;
  return record;
}

/** The threads of a ticket found in `included.messages`, and whether every referenced one was there. */
export function threadsOf(ticket: DeskTicket, included: Included): { messages: DeskMessage[]; complete: boolean } {
  const pool = included.get("messages") ?? new Map();
  const refs = ticket.messages ?? [];
  const messages: DeskMessage[] = [];
  let complete = true;
  if (refs.length > 0) {
    for (const ref of refs) {
      const parsed = DeskMessageSchema.safeParse(pool.get(String(ref.id)));
      if (parsed.success) messages.push(parsed.data);
      else complete = false;
    }
    return { messages, complete };
  }
  // No refs on the ticket: side-loaded messages pointing back at it.
  for (const item of pool.values()) {
    const parsed = DeskMessageSchema.safeParse(item);
    if (parsed.success && idString(parsed.data.ticket?.id) === String(ticket.id)) messages.push(parsed.data);
  }
  const expected = ticket.messageCount ?? null;
  return { messages, complete: expected === null || messages.filter((message) => message.threadType !== "note").length >= expected };
}

// ---------------------------------------------------------------------------------------------
// Canonical → Teamwork Desk
// ---------------------------------------------------------------------------------------------

/** §6: a person in an import payload, matched by email (else created; agents are then invited). */
export type ImportPerson = { email: string; firstName: string; lastName: string; type: "customer" | "user" };
export type ImportAttachment = { filename: string; downloadurl: string };
export type ImportThread = {
  type: "message" | "note";
  body: string;
  cc: string[] | null;
  bcc: string[] | null;
  createdBy: ImportPerson;
  attachments: ImportAttachment[];
  createdAt: string;
  updatedAt: string;
};
export type ImportTicket = {
  id: number;
  subject: string;
  customer: ImportPerson;
  assignedTo?: ImportPerson;
  emailSource?: string;
  type?: string;
  priority?: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  threads: ImportThread[];
};

/** What the import cannot carry, set afterwards with `PATCH /tickets/{id}.json` (§5.1). */
export type TicketPatch = { status?: { id: number | string }; customfields?: { id: number | string; meta: { value: unknown } }[] };

/** Resolved people and places a ticket refers to; built by the writer before mapping (lookups are I/O). */
export type TicketWriteContext = {
  model: SiteModel;
  customersById: Map<string, ImportPerson>;
  /** Attachment id → URL Teamwork can fetch (public source URLs, or Ferry-uploaded files, §5.3). */
  attachmentUrls: Map<string, string>;
};

export type MappedTicket = { inbox: DeskInbox; ticket: ImportTicket; patch: TicketPatch | null };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The id inside a relation value (RelationRef, bare id or `{ id }`). */
export function refId(value: CanonicalValue, field: string): string | null {
  if (value === null) return null;
  if (typeof value === "string" || typeof value === "number") return String(value).trim() || null;
  if (isObject(value) && "id" in value && (typeof value.id === "string" || typeof value.id === "number")) return String(value.id);
  throw invalidField(field, "expects a reference to a record");
}

function numericId(id: string): number | string {
  return /^\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id;
}

/** An agent by id or email (users are never created by Ferry: the import would invite them). */
export function resolveAgent(value: CanonicalValue, field: string, users: DeskUser[]): DeskUser | null {
  if (value === null) return null;
  const ref: Partial<UserRef> =
    typeof value === "string" ? (value.includes("@") ? { email: value } : { id: value }) : isObject(value) ? (value as Partial<UserRef>) : {};
  const byId = ref.id ? users.find((user) => String(user.id) === String(ref.id)) : undefined;
  if (byId) return byId;
  const email = typeof ref.email === "string" ? normalizeEmail(ref.email) : null;
  const byEmail = email ? users.find((user) => text(user.email) !== null && normalizeEmail(user.email as string) === email) : undefined;
  if (byEmail) return byEmail;
  throw invalidField(
    field,
    `${email ?? ref.id ?? "this user"} is not an agent of this Teamwork Desk site (invite them as a full-time agent and make sure they accept before migrating)`,
  );
}

function agentPerson(user: DeskUser): ImportPerson {
  return { email: normalizeEmail(user.email ?? ""), firstName: text(user.firstName) ?? "", lastName: text(user.lastName) ?? "", type: "user" };
}

function selectName(list: DeskNamed[], value: CanonicalValue, field: string, what: string): DeskNamed | null {
  const raw = textToDesk(value, field);
  if (raw === null) return null;
  const found = findNamed(list, raw);
  if (!found)
    throw invalidField(
      field,
      `"${raw}" is not a ${what} of this Teamwork Desk site (${
        list
          .map((item) => item.name)
          .filter(Boolean)
          .join(", ") || "none defined"
      })`,
    );
  return found;
}

function attachmentsOf(message: CanonicalRecord, context: TicketWriteContext, field: string): ImportAttachment[] {
  return (message.attachments ?? []).map((attachment) => {
    const url = context.attachmentUrls.get(attachment.id);
    if (!url) throw invalidField(field, `attachment ${attachment.fileName} could not be prepared for upload`);
    return { filename: attachment.fileName, downloadurl: url };
  });
}

/** A thread's HTML with embedded images (`cid:`, data URLs) as placeholders; an image whose file the thread carries says so. */
function withoutEmbeddedImages(html: string, message: CanonicalRecord): string {
  return replaceEmbeddedImages(html, new Set((message.attachments ?? []).map((attachment) => attachment.fileName)));
}

/** Canonical thread → import thread (§6). Notes must be written by an agent; a customer's "note" becomes a message. */
export function threadToImport(message: CanonicalRecord, ticketCustomer: ImportPerson, ticketCreatedAt: string, context: TicketWriteContext): ImportThread {
  const prefix = `messages.${message.id}`;
  for (const key of Object.keys(message.fields))
    if (!MESSAGE_KEYS.has(key)) throw invalidField(`${prefix}.${key}`, `no field "${key}" on Teamwork Desk threads`);
  const fields = message.fields;
  const kind = (textToDesk(fields.kind ?? null, `${prefix}.kind`) ?? "reply").toLowerCase();
  if (!(MESSAGE_KINDS as readonly string[]).includes(kind)) throw invalidField(`${prefix}.kind`, `"${kind}" is not one of ${MESSAGE_KINDS.join(", ")}`);
  const authorType = (
    textToDesk(fields.authorType ?? null, `${prefix}.authorType`) ?? (isObject(fields.author) && "objectType" in fields.author ? "customer" : "agent")
  ).toLowerCase();
  let createdBy: ImportPerson;
  if (authorType === "customer") {
    const id = refId(fields.author ?? null, `${prefix}.author`);
    const person = id === null ? ticketCustomer : context.customersById.get(id);
    if (!person) throw invalidField(`${prefix}.author`, `customer ${id} was not found in Teamwork Desk`);
    createdBy = person;
  } else {
    const agent = resolveAgent(fields.author ?? null, `${prefix}.author`, context.model.users);
    if (!agent) throw invalidField(`${prefix}.author`, "a thread written by an agent needs that agent");
    createdBy = agentPerson(agent);
  }
  // §6: notes are private and must come from an agent; a forward (sent to a third party) is kept as a private note.
  const type: ImportThread["type"] = createdBy.type === "user" && (kind === "note" || kind === "forward") ? "note" : "message";
  const body = withoutEmbeddedImages(textToDesk(fields.body ?? null, `${prefix}.body`) ?? "", message);
  const createdAt = message.createdAt ? dateTimeToDesk(message.createdAt, `${prefix}.createdAt`) : ticketCreatedAt;
  return {
    type,
    body: toHtmlBody(kind === "forward" ? `<p><em>Forwarded message</em></p>${toHtmlBody(body)}` : body),
    cc: nullIfEmpty(emailListToDesk(fields.cc ?? null, `${prefix}.cc`)),
    bcc: nullIfEmpty(emailListToDesk(fields.bcc ?? null, `${prefix}.bcc`)),
    createdBy,
    attachments: attachmentsOf(message, context, `${prefix}.attachments`),
    createdAt,
    updatedAt: message.updatedAt ? dateTimeToDesk(message.updatedAt, `${prefix}.updatedAt`) : createdAt,
  };
}

function nullIfEmpty(list: string[]): string[] | null {
  return list.length === 0 ? null : list;
}

/** The custom field a canonical key names: `customfields.<id>`, or the field's label. */
export function customFieldFor(key: string, fields: CustomFieldModel[]): CustomFieldModel | undefined {
  if (key.startsWith(CUSTOM_FIELD_KEY_PREFIX)) return fields.find((field) => field.key === key);
  const lower = key.trim().toLowerCase();
  return fields.find((field) => field.label.trim().toLowerCase() === lower);
}

/**
 * Canonical ticket → import ticket (§6) + the inbox it goes to + the follow-up PATCH (status and
 * custom fields, which the import does not carry [U]). `importId` is the ticket's stable numeric
 * id in the import (source + id never import twice).
 */
export function ticketToImport(record: CanonicalRecord, importId: number, context: TicketWriteContext, defaultInbox: DeskInbox): MappedTicket {
  const { model } = context;
  const fields = record.fields;
  const patch: TicketPatch = {};
  const customfields: NonNullable<TicketPatch["customfields"]> = [];
  for (const [key, value] of Object.entries(fields)) {
    if (TICKET_KEYS.has(key)) continue;
    const field = customFieldFor(key, model.customFields);
    if (!field) throw invalidField(key, `no field "${key}" on Teamwork Desk tickets`);
    const converted = customValueToDesk(field, value);
    if (converted !== null && !(Array.isArray(converted) && converted.length === 0)) customfields.push({ id: numericId(field.id), meta: { value: converted } });
  }
  if (customfields.length > 0) patch.customfields = customfields;

  const customerId = refId(fields.customer ?? null, "customer");
  if (customerId === null) throw invalidField("customer", "every Teamwork Desk ticket needs a customer");
  const customer = context.customersById.get(customerId);
  if (!customer) throw invalidField("customer", `customer ${customerId} was not found in Teamwork Desk (migrate customers before tickets)`);

  const inboxId = refId(fields.inbox ?? null, "inbox");
  const inbox = inboxId === null ? defaultInbox : model.inboxes.find((candidate) => String(candidate.id) === inboxId);
  if (!inbox) throw invalidField("inbox", `inbox ${inboxId} does not exist in this Teamwork Desk site`);

  const agent = resolveAgent(fields.assignee ?? null, "assignee", model.users);
  const type = selectName(model.types, fields.type ?? null, "type", "ticket type");
  const priority = selectName(model.priorities, fields.priority ?? null, "priority", "priority");
  const status = selectName(model.statuses, fields.status ?? null, "status", "status");
  if (status) patch.status = { id: numericId(String(status.id)) };
  if (!record.createdAt) throw invalidField("createdAt", "a ticket needs its creation date to be imported");
  const createdAt = dateTimeToDesk(record.createdAt, "createdAt");
  const updatedAt = record.updatedAt ? dateTimeToDesk(record.updatedAt, "updatedAt") : createdAt;
  const threads = (record.children?.messages ?? [])
    .map((message) => threadToImport(message, customer, createdAt, context))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const subject = textToDesk(fields.subject ?? null, "subject")?.trim() || "(no subject)";

  const ticket: ImportTicket = {
    id: importId,
    subject,
    customer,
    ...(agent ? { assignedTo: agentPerson(agent) } : {}),
    ...(text(inbox.email) ? { emailSource: normalizeEmail(inbox.email as string) } : {}),
    ...(type ? { type: type.name ?? undefined } : {}),
    ...(priority ? { priority: priority.name ?? undefined } : {}),
    tags: stringListToDesk(fields.tags ?? null, "tags"),
    createdAt,
    updatedAt,
    threads,
  };
  return { inbox, ticket, patch: patch.status || patch.customfields ? patch : null };
}

/** v2 update of an existing ticket (§5.1 PATCH): fields only; threads are appended separately. */
export function ticketToPatch(record: CanonicalRecord, context: TicketWriteContext): Record<string, unknown> {
  const { model } = context;
  const fields = record.fields;
  const patch: Record<string, unknown> = {};
  const customfields: { id: number | string; meta: { value: unknown } }[] = [];
  for (const [key, value] of Object.entries(fields)) {
    switch (key) {
      case "subject": {
        const subject = textToDesk(value, key);
        if (subject) patch.subject = subject;
        break;
      }
      case "status":
      case "priority":
      case "type": {
        const list = key === "status" ? model.statuses : key === "priority" ? model.priorities : model.types;
        const found = selectName(list, value, key, key === "type" ? "ticket type" : key);
        if (found) patch[key] = { id: numericId(String(found.id)) };
        break;
      }
      case "inbox": {
        const id = refId(value, key);
        if (id && !model.inboxes.some((inbox) => String(inbox.id) === id)) throw invalidField(key, `inbox ${id} does not exist in this Teamwork Desk site`);
        if (id) patch.inbox = { id: numericId(id) };
        break;
      }
      case "assignee": {
        const agent = resolveAgent(value, key, model.users);
        patch.agent = agent ? { id: numericId(String(agent.id)) } : null;
        break;
      }
      case "tags": {
        const ids = stringListToDesk(value, key)
          .map((name) => findNamed(model.tags, name))
          .filter((tag): tag is DeskNamed => tag !== undefined);
        // §5.1: listed tags are added; tags created by the import on first write already exist by name.
        patch.tags = ids.map((tag) => ({ id: numericId(String(tag.id)) }));
        break;
      }
      case "customer":
      case "company":
      case "source":
      case "originalRecipient":
        break;
      default: {
        const field = customFieldFor(key, model.customFields);
        if (!field) throw invalidField(key, `no field "${key}" on Teamwork Desk tickets`);
        const converted = customValueToDesk(field, value);
        customfields.push({ id: numericId(field.id), meta: { value: converted ?? "" } });
      }
    }
  }
  if (customfields.length > 0) patch.customfields = customfields;
  return patch;
}

/** A thread appended through v2 (§5.2) to an existing ticket: always a note, so no customer is emailed. */
export function threadToNote(message: CanonicalRecord, authorName: string): { threadType: "note"; message: string; editMethod: "html" } {
  const body = toHtmlBody(withoutEmbeddedImages(textToDesk(message.fields.body ?? null, `messages.${message.id}.body`) ?? "", message));
  const when = message.createdAt ? new Date(message.createdAt).toISOString().replace("T", " ").slice(0, 16) : "an unknown date";
  return { threadType: "note", message: `<p><em>${escape(authorName)} wrote on ${when} UTC (added by Ferry):</em></p>${body}`, editMethod: "html" };
}

function escape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Whether a thread's text already appears on the target ticket (imported or appended earlier). */
export function threadIsPresent(message: CanonicalRecord, existingTexts: string[]): boolean {
  const body = htmlToText(textToDesk(message.fields.body ?? null, "body") ?? "").toLowerCase();
  if (body === "") return true;
  return existingTexts.some((existing) => existing.toLowerCase().includes(body));
}
