// v1 bulk import `POST /desk/v1/import/tickets.json` (reference §6), the only way to keep
// historic timestamps. Confirmed behaviour: customers and agents matched by email, else created
// (new agents are *invited*); tags matched by name or created; tickets end Closed; the `source`
// is auto-created as a ticket source; the same `source` + `id` is never imported twice, so a
// batch can be re-sent after a crash. [U] and chosen here:
//  - the whole batch is validated first; any problem → 400 with every problem listed, nothing written;
//  - response `{ source, imported, skipped, tickets: [{ importId, ticketId, status }] }` in input order
//    (status "imported" | "skipped"), so a client can map its ids to Desk's;
//  - no batch size limit; `type`/`priority` names that match nothing leave the field empty;
//  - no email is sent unless `notifyCustomer: true` is set on the batch or the ticket;
//  - thread `createdBy.type`: "customer" or "user"/"agent" (the sample and the docs disagree);
//  - attachment URLs are recorded, not fetched (the sandbox has no internet).
import { validationErrors } from "../errors";
import type { ApiRequest, ApiResponse } from "../http-types";
import { isEmail, isObject, parseId, type InputObject } from "../input";
import type { Ref, TicketRow, UserRow } from "../model";
import { STATUS_CLOSED_ID, type DeskStore } from "../store";

type Person = { email: string; firstName: string; lastName: string; kind: "customer" | "agent" };
type ImportThread = {
  type: "message" | "note";
  body: string;
  cc: string[];
  bcc: string[];
  author: Person;
  attachments: { filename: string; url: string }[];
  createdAt: string | null;
  updatedAt: string | null;
};
type ImportTicket = {
  importId: number;
  subject: string;
  customer: Person;
  assignedTo: Person | null;
  emailSource: string | null;
  type: string | null;
  priority: string | null;
  tags: string[];
  createdAt: string | null;
  updatedAt: string | null;
  notifyCustomer: boolean;
  threads: ImportThread[];
};
type Problem = { detail: string; source: string };

const AGENT_TYPES = new Set(["user", "agent"]);

function timestamp(value: unknown, source: string, problems: Problem[]): string | null {
  if (value === undefined || value === null || value === "") return null;
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    problems.push({ detail: "must be an RFC 3339 date-time", source });
    return null;
  }
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function person(value: unknown, source: string, fallbackKind: "customer" | "agent", problems: Problem[]): Person | null {
  if (!isObject(value)) {
    problems.push({ detail: "must be set", source });
    return null;
  }
  const email = typeof value.email === "string" ? value.email.trim() : "";
  if (!isEmail(email)) {
    problems.push({ detail: email === "" ? "must be set" : "must be a valid email address", source: `${source}.email` });
    return null;
  }
  const type = typeof value.type === "string" ? value.type.toLowerCase() : null;
  const kind = type === null ? fallbackKind : AGENT_TYPES.has(type) ? "agent" : type === "customer" ? "customer" : null;
  if (kind === null) {
    problems.push({ detail: "must be customer, user or agent", source: `${source}.type` });
    return null;
  }
  return {
    email,
    firstName: typeof value.firstName === "string" ? value.firstName : "",
    lastName: typeof value.lastName === "string" ? value.lastName : "",
    kind,
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];
}

function parseThreads(raw: unknown, source: string, problems: Problem[]): ImportThread[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({ detail: "must be an array", source });
    return [];
  }
  const threads: ImportThread[] = [];
  raw.forEach((entry, index) => {
    const at = `${source}[${index}]`;
    if (!isObject(entry)) return problems.push({ detail: "must be an object", source: at });
    const type = entry.type === undefined ? "message" : entry.type;
    if (type !== "message" && type !== "note") return problems.push({ detail: "must be message or note", source: `${at}.type` });
    if (typeof entry.body !== "string" || entry.body.trim() === "") return problems.push({ detail: "must be set", source: `${at}.body` });
    const author = person(entry.createdBy, `${at}.createdBy`, "customer", problems);
    if (!author) return;
    // Reference §6: a note is private; its createdBy must be an agent.
    if (type === "note" && author.kind !== "agent") return problems.push({ detail: "a note must be created by an agent", source: `${at}.createdBy.type` });
    const attachments: ImportThread["attachments"] = [];
    for (const [position, attachment] of (Array.isArray(entry.attachments) ? entry.attachments : []).entries()) {
      const url = isObject(attachment) ? (attachment.downloadurl ?? attachment.downloadUrl) : undefined;
      if (!isObject(attachment) || typeof url !== "string" || !/^https?:\/\//.test(url)) {
        problems.push({ detail: "must have a public http(s) downloadurl", source: `${at}.attachments[${position}]` });
        continue;
      }
      attachments.push({ filename: typeof attachment.filename === "string" ? attachment.filename : (url.split("/").pop() ?? "attachment"), url });
    }
    threads.push({
      type,
      body: entry.body,
      cc: strings(entry.cc),
      bcc: strings(entry.bcc),
      author,
      attachments,
      createdAt: timestamp(entry.createdAt, `${at}.createdAt`, problems),
      updatedAt: timestamp(entry.updatedAt, `${at}.updatedAt`, problems),
    });
  });
  return threads;
}

function parseBatch(store: DeskStore, body: unknown): { source: string; fallbackInboxId: number; notifyCustomer: boolean; tickets: ImportTicket[] } {
  const problems: Problem[] = [];
  const input: InputObject = isObject(body) ? body : {};
  const source = typeof input.source === "string" ? input.source.trim() : "";
  if (source === "") problems.push({ detail: "must be set", source: "source" });
  const fallbackInboxId = parseId(input.fallbackInboxId);
  const inbox = fallbackInboxId === null ? undefined : store.inboxes.get(fallbackInboxId);
  if (fallbackInboxId === null) problems.push({ detail: "must be set", source: "fallbackInboxId" });
  else if (!inbox || inbox.state === "deleted") problems.push({ detail: `${fallbackInboxId} does not exist`, source: "fallbackInboxId" });
  const notifyCustomer = input.notifyCustomer === true;
  const tickets: ImportTicket[] = [];
  if (!Array.isArray(input.tickets) || input.tickets.length === 0) problems.push({ detail: "must be set", source: "tickets" });
  else {
    input.tickets.forEach((entry, index) => {
      const at = `tickets[${index}]`;
      if (!isObject(entry)) return problems.push({ detail: "must be an object", source: at });
      const importId = typeof entry.id === "number" && Number.isInteger(entry.id) ? entry.id : parseId(entry.id);
      if (importId === null) problems.push({ detail: "must be set (your old integer id)", source: `${at}.id` });
      if (typeof entry.subject !== "string" || entry.subject.trim() === "") problems.push({ detail: "must be set", source: `${at}.subject` });
      const customer = person(entry.customer, `${at}.customer`, "customer", problems);
      const assignedTo = entry.assignedTo === undefined || entry.assignedTo === null ? null : person(entry.assignedTo, `${at}.assignedTo`, "agent", problems);
      const threads = parseThreads(entry.threads, `${at}.threads`, problems);
      const createdAt = timestamp(entry.createdAt, `${at}.createdAt`, problems);
      const updatedAt = timestamp(entry.updatedAt, `${at}.updatedAt`, problems);
      if (importId === null || !customer || typeof entry.subject !== "string") return;
      tickets.push({
        importId,
        subject: entry.subject,
        customer,
        assignedTo: assignedTo ? { ...assignedTo, kind: "agent" } : null,
        emailSource: typeof entry.emailSource === "string" ? entry.emailSource : null,
        type: typeof entry.type === "string" ? entry.type : null,
        priority: typeof entry.priority === "string" ? entry.priority : null,
        tags: strings(entry.tags),
        createdAt,
        updatedAt,
        notifyCustomer: notifyCustomer || entry.notifyCustomer === true,
        threads,
      });
    });
  }
  if (problems.length > 0) throw validationErrors(problems);
  return { source, fallbackInboxId: fallbackInboxId!, notifyCustomer, tickets };
}

/** Agents are matched by email, else created as invited (no paid seat until they accept). */
function agentFor(store: DeskStore, who: Person): UserRow {
  return store.findUserByEmail(who.email) ?? store.createUser({ email: who.email, firstName: who.firstName, lastName: who.lastName, state: "invited" });
}

function authorRef(store: DeskStore, who: Person): Ref {
  if (who.kind === "agent") return { id: agentFor(store, who).id, type: "users" };
  return { id: store.customerForEmail(who.email, who).id, type: "customers" };
}

function byName<T extends { name: string; state: string }>(rows: T[], name: string | null): T | undefined {
  if (name === null) return undefined;
  const wanted = name.trim().toLowerCase();
  return rows.find((row) => row.state !== "deleted" && row.name.trim().toLowerCase() === wanted);
}

function importTicket(store: DeskStore, batch: { source: string; fallbackInboxId: number }, sourceId: number, entry: ImportTicket): TicketRow {
  const inbox =
    (entry.emailSource && store.inboxes.all().find((row) => row.state !== "deleted" && row.email.toLowerCase() === entry.emailSource!.trim().toLowerCase())) ||
    store.inboxes.get(batch.fallbackInboxId)!;
  const customer = store.customerForEmail(entry.customer.email, entry.customer);
  const agent = entry.assignedTo ? agentFor(store, entry.assignedTo) : null;
  const tagIds = entry.tags.filter((name) => name.trim() !== "").map((name) => (store.findTagByName(name) ?? store.createTag({ name: name.trim() })).id);
  const createdAt = entry.createdAt ?? entry.threads[0]?.createdAt ?? store.now();
  const lastThreadAt = entry.threads
    .map((thread) => thread.createdAt)
    .filter((at): at is string => at !== null)
    .sort()
    .pop();
  const updatedAt = entry.updatedAt ?? lastThreadAt ?? createdAt;
  const ticket = store.createTicket({
    subject: entry.subject,
    inboxId: inbox.id,
    customerId: customer.id,
    agentId: agent?.id ?? null,
    statusId: STATUS_CLOSED_ID,
    priorityId: byName(store.ticketpriorities.all(), entry.priority)?.id ?? null,
    typeId: byName(store.tickettypes.all(), entry.type)?.id ?? null,
    sourceId,
    tagIds,
    createdAt,
    updatedAt,
    notifyCustomer: entry.notifyCustomer,
  });
  for (const thread of entry.threads) {
    const fileIds = thread.attachments.map((attachment) => {
      const id = store.files.nextId();
      return store.files.insert({
        id,
        ...store.base({ createdAt: thread.createdAt ?? createdAt }),
        type: "attachment",
        filename: attachment.filename,
        mimeType: "application/octet-stream",
        disposition: "attachment",
        key: `desk/${id}/${attachment.filename}`,
        sizeBytes: null,
        content: null,
        lazyContent: null,
        uploadedAt: null,
        completedAt: null,
        downloadUrl: attachment.url,
      }).id;
    });
    const message = store.createMessage(ticket, {
      threadType: thread.type,
      htmlBody: thread.body,
      author: authorRef(store, thread.author),
      createdAt: thread.createdAt ?? createdAt,
      cc: thread.cc,
      bcc: thread.bcc,
      fileIds,
      keepTicketUpdatedAt: true,
    });
    if (thread.updatedAt) message.updatedAt = thread.updatedAt;
  }
  const email = store.mainEmail(customer);
  if (entry.notifyCustomer && email) store.outbox.push({ to: email, ticketId: ticket.id, messageId: null, reason: "import" });
  return ticket;
}

export function handleV1Import(store: DeskStore, request: ApiRequest): ApiResponse {
  const batch = parseBatch(store, request.body);
  // Reference §6: the source becomes the ticket Source, auto-created.
  const source =
    byName(store.ticketsources.all(), batch.source) ??
    store.ticketsources.insert({
      id: store.ticketsources.nextId(),
      ...store.base(),
      name: batch.source,
      icon: "",
      displayOrder: store.ticketsources.size,
      isCustom: true,
    });
  const results = batch.tickets.map((entry) => {
    const key = `${batch.source}\u0000${entry.importId}`;
    const existingId = store.importIndex.get(key);
    if (existingId !== undefined) return { importId: entry.importId, ticketId: existingId, status: "skipped" as const };
    const ticket = importTicket(store, batch, source.id, entry);
    store.importIndex.set(key, ticket.id);
    return { importId: entry.importId, ticketId: ticket.id, status: "imported" as const };
  });
  return {
    status: 200,
    body: {
      source: batch.source,
      imported: results.filter((result) => result.status === "imported").length,
      skipped: results.filter((result) => result.status === "skipped").length,
      tickets: results,
    },
  };
}
