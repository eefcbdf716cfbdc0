// Tickets (reference §5.1) and writing threads on them (§5.2): list, get, create (flat or
// wrapped), update, bulk update, delete, search, reply/note, attachment download.
import { forbidden, mustBeSet, notFound, validation } from "../errors";
import type { ApiRequest, ApiResponse } from "../http-types";
import { noContent } from "../http-types";
import { isEmail, isObject, readBoolean, readEnum, readRefId, readRefList, readString, readStringList, unwrap, type InputObject } from "../input";
import { WRITABLE_THREAD_TYPES, type CustomerRow, type TicketRow, type UserRow } from "../model";
import { listResponse, selectRows, singleResponse } from "../query";
import type { DeskStore } from "../store";
import { VIEWS } from "../views";
import { CREATED, crud, existing, found, noRoute } from "./common";
import { applyCustomFieldChanges, readCustomFieldValues } from "./custom-field-values";

const view = VIEWS.tickets;
const EDIT_METHODS = ["html", "markdown"] as const;
/** Subject length limit [U]: not documented; 255 is the usual column size. */
const MAX_SUBJECT_LENGTH_CHARS = 255;

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The sandbox stores bodies as HTML; markdown is kept as escaped paragraphs (no renderer offline). */
function toHtml(body: string, editMethod: "html" | "markdown"): string {
  if (editMethod === "html") return body;
  return body
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

function visibleTicket(store: DeskStore, id: number): TicketRow {
  const ticket = found(store.tickets, id, "Ticket");
  // Reference §4: 403 when the key's user has no access to the ticket's inbox.
  if (!store.canAccessInbox(ticket.inboxId)) throw forbidden(`You do not have access to inbox ${ticket.inboxId}`);
  return ticket;
}

/**
 * Reference §5.6: agents who have not accepted their invitation (and archived ones) cannot be
 * assigned. The wording of the real error is [U].
 */
function assignableAgent(store: DeskStore, id: number, source: string): UserRow {
  const user = store.users.get(id);
  if (!user) throw validation(`${id} does not exist`, source);
  if (user.state === "invited") throw validation("cannot be assigned: the agent has not accepted the invitation", source);
  if (user.state !== "active") throw validation("cannot be assigned: the agent is not active", source);
  return user;
}

/** Reference §5.1: `customer` by id OR email (not both), required; unknown email → customer auto-created. */
function resolveCustomer(store: DeskStore, input: InputObject): CustomerRow {
  let customer = input.customer;
  // The top-level `email` is deprecated in favour of `customer.email` but still accepted.
  if ((customer === undefined || customer === null) && typeof input.email === "string") customer = { email: input.email };
  if (customer === undefined || customer === null) throw mustBeSet("customer");
  if (!isObject(customer)) throw validation("must be an object with an id or an email", "customer");
  const hasId = customer.id !== undefined && customer.id !== null;
  const hasEmail = typeof customer.email === "string" && customer.email.trim() !== "";
  if (hasId && hasEmail) throw validation("set either id or email, not both", "customer");
  if (hasId) {
    const id = readRefId({ customer }, "customer", { required: true })!;
    return existing(store.customers, id, "customer");
  }
  if (!hasEmail) throw mustBeSet("customer");
  const email = (customer.email as string).trim();
  if (!isEmail(email)) throw validation("must be a valid email address", "customer.email");
  const names = {
    firstName: typeof customer.firstName === "string" ? customer.firstName : undefined,
    lastName: typeof customer.lastName === "string" ? customer.lastName : undefined,
  };
  return store.customerForEmail(email, names);
}

function readTagIds(store: DeskStore, input: InputObject): { add: number[]; remove: number[] } | undefined {
  const list = readRefList(input, "tags");
  if (!list) return undefined;
  const add: number[] = [];
  const remove: number[] = [];
  list.forEach((entry, index) => {
    existing(store.tags, entry.id, `tags[${index}].id`);
    // Reference §5.1: a tag with meta.delete true is removed, the others added.
    (entry.meta.delete === true ? remove : add).push(entry.id);
  });
  return { add, remove };
}

function readFileIds(store: DeskStore, input: InputObject): number[] {
  return (readRefList(input, "files") ?? []).map((entry, index) => existing(store.files, entry.id, `files[${index}].id`).id);
}

/** Priority `{"id": 0}` means "no priority" (reference §5.1). */
function readPriority(store: DeskStore, input: InputObject): number | null | undefined {
  const id = readRefId(input, "priority");
  if (id === undefined || id === null || id === 0) return id === 0 ? null : id;
  return existing(store.ticketpriorities, id, "priority").id;
}

function readOptionalRef<T extends { id: number; state: string }>(
  input: InputObject,
  field: string,
  table: { get(id: number): T | undefined },
): number | null | undefined {
  const id = readRefId(input, field);
  if (id === undefined || id === null) return id;
  const row = table.get(id);
  if (!row || row.state === "deleted") throw validation(`${id} does not exist`, field);
  return id;
}

/** Validates an update body entirely, then returns the function that applies it (no half-applied updates). */
function planTicketUpdate(store: DeskStore, input: InputObject): (ticket: TicketRow) => void {
  const subject = readString(input, "subject", { maxLength: MAX_SUBJECT_LENGTH_CHARS });
  const statusId = readOptionalRef(input, "status", store.ticketstatuses);
  if (statusId === null) throw mustBeSet("status");
  const priorityId = readPriority(store, input);
  const typeId = readOptionalRef(input, "type", store.tickettypes);
  const sourceId = readOptionalRef(input, "source", store.ticketsources);
  const inboxId = readOptionalRef(input, "inbox", store.inboxes);
  if (inboxId === null) throw mustBeSet("inbox");
  if (inboxId !== undefined && !store.canAccessInbox(inboxId)) throw forbidden(`You do not have access to inbox ${inboxId}`);
  const agentRef = readRefId(input, "agent");
  if (agentRef !== undefined && agentRef !== null && agentRef !== 0) assignableAgent(store, agentRef, "agent");
  const customerId = readOptionalRef(input, "customer", store.customers);
  if (customerId === null) throw mustBeSet("customer");
  const tagChanges = readTagIds(store, input);
  const customFields = readCustomFieldValues(store, input.customfields);
  const cc = readStringList(input, "cc");
  const bcc = readStringList(input, "bcc");
  const files = input.files === undefined ? undefined : readFileIds(store, input);
  return (ticket) => {
    if (subject !== undefined) ticket.subject = subject;
    if (statusId !== undefined) ticket.statusId = statusId;
    if (priorityId !== undefined) ticket.priorityId = priorityId;
    if (typeId !== undefined) ticket.typeId = typeId;
    if (sourceId !== undefined) ticket.sourceId = sourceId;
    if (inboxId !== undefined) ticket.inboxId = inboxId;
    // `agent: null` (or id 0) unassigns.
    if (agentRef !== undefined) ticket.agentId = agentRef === null || agentRef === 0 ? null : agentRef;
    if (customerId !== undefined) ticket.customerId = customerId;
    if (tagChanges) {
      const tagIds = ticket.tagIds.filter((id) => !tagChanges.remove.includes(id));
      for (const id of tagChanges.add) if (!tagIds.includes(id)) tagIds.push(id);
      ticket.tagIds = tagIds;
    }
    if (customFields) ticket.customFields = applyCustomFieldChanges(ticket.customFields, customFields);
    if (cc) ticket.cc = cc;
    if (bcc) ticket.bcc = bcc;
    if (files) for (const id of files) if (!ticket.fileIds.includes(id)) ticket.fileIds.push(id);
    store.touch(ticket);
  };
}

/** POST /tickets.json — flat (official examples) or `{"ticket":{…}}` (Go SDK, MCP) (reference §5). */
function createTicket(store: DeskStore, request: ApiRequest): ApiResponse {
  const input = unwrap(request.body, "ticket", { allowFlat: true });
  const inboxId = readRefId(input, "inbox", { required: true })!;
  const inbox = existing(store.inboxes, inboxId, "inbox");
  if (!store.canAccessInbox(inbox.id)) throw forbidden(`You do not have access to inbox ${inbox.id}`);
  const customer = resolveCustomer(store, input);
  const subject = readString(input, "subject", { maxLength: MAX_SUBJECT_LENGTH_CHARS }) ?? "";
  const editMethod = readEnum(input, "editMethod", EDIT_METHODS) ?? "html";
  const message = readString(input, "message");
  const agentId = readRefId(input, "agent");
  if (agentId !== undefined && agentId !== null) assignableAgent(store, agentId, "agent");
  const statusId = readOptionalRef(input, "status", store.ticketstatuses) ?? undefined;
  const priorityId = readPriority(store, input);
  const typeId = readOptionalRef(input, "type", store.tickettypes);
  const sourceId = readOptionalRef(input, "source", store.ticketsources);
  const tags = readTagIds(store, input);
  const fileIds = readFileIds(store, input);
  const customFields = readCustomFieldValues(store, input.customfields);
  const cc = readStringList(input, "cc") ?? [];
  const bcc = readStringList(input, "bcc") ?? [];
  // Reference §5.1: notifyCustomer's default is [U]; treated as false.
  const notifyCustomer = readBoolean(input, "notifyCustomer") ?? false;
  // Reference §5.1/§5.2: createdAt is read-only on v2 — a client value is ignored ([U] ignored vs
  // rejected; the reference's checklist says ignore), like id, updatedAt and state.

  // The API creates the ticket as the customer's (createdBy = customer, first thread from them);
  // the real authorship of API-created tickets is [U].
  const ticket = store.createTicket({
    subject,
    inboxId: inbox.id,
    customerId: customer.id,
    agentId: agentId ?? null,
    statusId,
    priorityId: priorityId ?? null,
    typeId: typeId ?? null,
    sourceId: sourceId ?? apiSourceId(store),
    tagIds: tags?.add,
    customFields: customFields ? applyCustomFieldChanges([], customFields) : [],
    notifyCustomer,
    fileIds,
    cc,
    bcc,
  });
  if (message !== undefined && message !== "") {
    store.createMessage(ticket, {
      threadType: "message",
      htmlBody: toHtml(message, editMethod),
      editMethod,
      author: { id: customer.id, type: "customers" },
      fileIds,
      cc,
      bcc,
    });
  }
  const email = store.mainEmail(customer);
  if (notifyCustomer && email) store.outbox.push({ to: email, ticketId: ticket.id, messageId: null, reason: "ticket-created" });
  store.runTriggers(ticket);
  // Reference §4: ticket create answers 200 [C].
  return singleResponse(store, view, ticket, request.params, 200);
}

/** Tickets created through the API get the "API" source unless one is given [U]. */
function apiSourceId(store: DeskStore): number | null {
  return store.ticketsources.all().find((source) => source.name === "API")?.id ?? null;
}

/** POST /tickets/{id}/messages.json — flat body (reference §5.2). */
function createMessage(store: DeskStore, request: ApiRequest, ticketId: number): ApiResponse {
  const ticket = visibleTicket(store, ticketId);
  if (!isObject(request.body)) throw mustBeSet("message");
  // Flat per the official example; a `{"message":{…}}` wrapper is accepted too.
  const input = isObject(request.body.message) ? request.body.message : request.body;
  // Reference §5.2: threadType "message" (emailed reply) or "note" (private); the default is [U].
  const threadType = readEnum(input, "threadType", WRITABLE_THREAD_TYPES) ?? "message";
  const body = readString(input, "message", { required: true })!;
  const editMethod = readEnum(input, "editMethod", EDIT_METHODS) ?? "html";
  const statusId = readOptionalRef(input, "status", store.ticketstatuses);
  const agentId = readRefId(input, "agent");
  if (agentId !== undefined && agentId !== null) assignableAgent(store, agentId, "agent");
  const fileIds = readFileIds(store, input);
  const cc = readStringList(input, "cc") ?? [];
  const bcc = readStringList(input, "bcc") ?? [];
  const isDraft = readBoolean(input, "isDraft") ?? false;
  const isPinned = readBoolean(input, "isPinned") ?? false;
  // createdAt is ignored here too (reference §5.2: historic timestamps only via v1 import).

  const message = store.createMessage(ticket, {
    threadType,
    htmlBody: toHtml(body, editMethod),
    editMethod,
    author: store.ownerRef(),
    statusId: statusId ?? null,
    cc,
    bcc,
    fileIds,
    isDraft,
    isPinned,
  });
  if (statusId) ticket.statusId = statusId;
  if (agentId !== undefined) ticket.agentId = agentId;
  store.touch(ticket);
  // Reference §6 (v2 fallback): a `message` reply emails the customer; notes never do.
  const customer = store.customers.get(ticket.customerId);
  const email = customer ? store.mainEmail(customer) : null;
  if (threadType === "message" && !isDraft && email) store.outbox.push({ to: email, ticketId: ticket.id, messageId: message.id, reason: "reply" });
  return singleResponse(store, VIEWS.messages, message, request.params, CREATED);
}

/** PATCH /tickets/update.json (reference §5.1): `filter_args` selects, the other top-level fields apply. */
function bulkUpdate(store: DeskStore, request: ApiRequest): ApiResponse {
  if (!isObject(request.body)) throw mustBeSet("filter_args");
  const { filter_args: filterArgs, ...changes } = request.body;
  if (!isObject(filterArgs)) throw mustBeSet("filter_args");
  const params = new URLSearchParams();
  if (filterArgs.filter !== undefined) params.set("filter", typeof filterArgs.filter === "string" ? filterArgs.filter : JSON.stringify(filterArgs.filter));
  let ticketIds: Set<number> | null = null;
  if (Array.isArray(filterArgs.ids)) ticketIds = new Set(filterArgs.ids.map(Number));
  if (!params.has("filter") && !ticketIds) throw mustBeSet("filter_args.filter");
  const apply = planTicketUpdate(store, changes);
  const rows = store.tickets.all().filter((ticket) => !ticketIds || ticketIds.has(ticket.id));
  const selected = selectRows(store, view, params, { rows });
  const dryRun = filterArgs.bulkDryExecute === true;
  if (!dryRun) for (const ticket of selected) apply(ticket);
  // The bulk response shape is [U]; the affected tickets are returned as a list.
  return {
    status: 200,
    body: { tickets: selected.map((ticket) => view.render(store, ticket)), included: {}, meta: { bulkDryExecute: dryRun, count: selected.length } },
  };
}

/** Reference §2.4 gotcha: plain date query params take only YYYY-MM-DD; anything else is a 400. */
function dayParam(params: URLSearchParams, name: string): number | null {
  const raw = params.get(name);
  if (raw === null || raw === "") return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) throw validation(`${name} must be a date in YYYY-MM-DD format`, name);
  return Date.parse(`${raw}T00:00:00Z`);
}

/** Array params: repeated keys or comma lists (encoding [U], both accepted). */
function idsParam(params: URLSearchParams, name: string): Set<number> | null {
  const values = params
    .getAll(name)
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);
  if (values.length === 0) return null;
  return new Set(
    values.map((value) => {
      if (!/^\d+$/.test(value)) throw validation(`${name} must be a list of ids`, name);
      return Number(value);
    }),
  );
}

/** GET /search/tickets.json (reference §5.1), page size up to 200. */
function searchTickets(store: DeskStore, request: ApiRequest): ApiResponse {
  const { params } = request;
  const text = params.get("search")?.toLowerCase() ?? "";
  const startMs = dayParam(params, "startDate");
  const endMs = dayParam(params, "endDate");
  const filters = {
    inboxes: idsParam(params, "inboxes"),
    excludeInboxes: idsParam(params, "excludeInboxes"),
    customers: idsParam(params, "customers"),
    companies: idsParam(params, "companies"),
    agents: idsParam(params, "agents"),
    statuses: idsParam(params, "statuses"),
    priorities: idsParam(params, "priorities"),
    tags: idsParam(params, "tags"),
    excludeTags: idsParam(params, "excludeTags"),
    types: idsParam(params, "types"),
    sources: idsParam(params, "sources"),
  };
  const tagRequireAll = params.get("tagRequireAll") === "true";
  const unassigned = params.get("unassigned") === "true";
  const DAY_MS = 86_400_000;
  const rows = store.tickets.all().filter((ticket) => {
    const has = (set: Set<number> | null, value: number | null) => !set || (value !== null && set.has(value));
    if (!has(filters.inboxes, ticket.inboxId) || filters.excludeInboxes?.has(ticket.inboxId)) return false;
    if (!has(filters.customers, ticket.customerId) || !has(filters.companies, ticket.companyId) || !has(filters.agents, ticket.agentId)) return false;
    if (
      !has(filters.statuses, ticket.statusId) ||
      !has(filters.priorities, ticket.priorityId) ||
      !has(filters.types, ticket.typeId) ||
      !has(filters.sources, ticket.sourceId)
    )
      return false;
    if (filters.tags) {
      const wanted = [...filters.tags];
      if (tagRequireAll ? !wanted.every((id) => ticket.tagIds.includes(id)) : !wanted.some((id) => ticket.tagIds.includes(id))) return false;
    }
    if (filters.excludeTags && ticket.tagIds.some((id) => filters.excludeTags!.has(id))) return false;
    if (unassigned && ticket.agentId !== null) return false;
    const createdMs = Date.parse(ticket.createdAt);
    // Whole days on createdAt (reference §5.1).
    if (startMs !== null && createdMs < startMs) return false;
    if (endMs !== null && createdMs >= endMs + DAY_MS) return false;
    if (text) {
      const haystack = [ticket.subject, ticket.previewText, ...store.messagesOf(ticket.id).map((message) => message.textBody)].join("\n").toLowerCase();
      if (!haystack.includes(text)) return false;
    }
    return true;
  });
  return listResponse(store, view, params, { rows, search: true });
}

/** GET /tickets/{tid}/files/{fid}/download (reference §5.3). */
function downloadFile(store: DeskStore, ticketId: number, fileId: number): ApiResponse {
  const ticket = visibleTicket(store, ticketId);
  const onTicket = ticket.fileIds.includes(fileId) || store.messagesOf(ticket.id).some((message) => message.fileIds.includes(fileId));
  const file = store.files.get(fileId);
  if (!onTicket || !file) throw notFound(`File ${fileId} not found on ticket ${ticketId}`);
  const bytes = store.fileBytes(file);
  if (!bytes) throw notFound(`File ${fileId} has no uploaded content`);
  return {
    status: 200,
    raw: { contentType: file.mimeType, data: bytes },
    headers: { "content-disposition": `attachment; filename="${file.filename.replace(/"/g, "")}"` },
  };
}

export function handleTickets(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  const ticketId = rest.length >= 2 ? Number(rest[0]) : Number.NaN;
  if (rest.length === 2 && rest[1] === "messages" && Number.isInteger(ticketId)) {
    if (request.method === "POST") return createMessage(store, request, ticketId);
    return noRoute(request);
  }
  if (rest.length === 4 && rest[1] === "files" && rest[3] === "download" && request.method === "GET" && Number.isInteger(ticketId)) {
    return downloadFile(store, ticketId, Number(rest[2]));
  }
  return crud(request, rest, {
    list: () => listResponse(store, view, request.params),
    create: () => createTicket(store, request),
    get: (id) => singleResponse(store, view, visibleTicket(store, id), request.params),
    update: (id) => {
      const ticket = visibleTicket(store, id);
      // Reference §5: updates are wrapped (`{"ticket":{…}}`).
      planTicketUpdate(store, unwrap(request.body, "ticket"))(ticket);
      return singleResponse(store, view, ticket, request.params);
    },
    // DELETE is [U] (reference §5.1): a soft delete answering 204 (§4: some DELETEs are 204 [U]).
    remove: (id) => {
      store.softDelete(visibleTicket(store, id));
      return noContent();
    },
    bulkUpdate: () => bulkUpdate(store, request),
  });
}

export function handleSearch(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  if (rest.length === 1 && rest[0] === "tickets" && request.method === "GET") return searchTickets(store, request);
  return noRoute(request);
}
