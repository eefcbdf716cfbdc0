// ConnectorSession.write for tickets with their threads.
//
// New tickets go through the v1 import (reference §6), the only way to keep historic createdAt
// on tickets and threads: `POST /desk/v1/import/tickets.json` with a `source` and, per ticket, a
// numeric id. Teamwork never imports the same source + id twice, so a batch can be re-sent after
// a timeout or a 5xx without doubling anything (the HTTP client retries it like a GET). Tickets
// are grouped by inbox (`fallbackInboxId` is per request) and sent ten at a time; a 400 for a
// batch is split in halves until the offending ticket stands alone and fails by itself.
//
// What the import cannot carry is set afterwards through v2 (§5.1 PATCH, which keeps createdAt):
// status (imported tickets end Closed) and custom field values. Attachments whose URL Teamwork
// can fetch travel as `downloadurl`; the others (Sample data, private hosts, another Teamwork
// site's authenticated links) are uploaded with the three-step flow (§5.3) and attached to a
// private note added after the import. Updates of existing tickets use v2 only: PATCH for fields,
// and threads not yet on the ticket appended as notes (never `message`, which emails the
// customer, §6). See README.md for what is lost on each path.
import { createHash } from "node:crypto";
import type { HttpClient } from "@/connectors/shared/http-client";
import { normalizeEmail } from "@/connectors/shared/values";
import { ConnectorError } from "@/connectors/types";
import type { CanonicalRecord, WriteMode, WriteRequest, WriteResult } from "@/connectors/types";
import { getOne, idString, parseRaw, toDeskId, writtenItem } from "./api";
import { isPublicAttachmentUrl, uploadAttachment } from "./attachments";
import type { UploadDeps } from "./attachments";
import { createOnce } from "./create-once";
import { customersByEmail, ticketsCreatedAt } from "./lookups";
import { IMPORT_TICKETS_PER_REQUEST } from "./manifest";
import { customerEmails } from "./mappers/people";
import { refId, threadIsPresent, threadToNote, ticketToImport, ticketToPatch } from "./mappers/tickets";
import type { ImportPerson, ImportTicket, MappedTicket, TicketWriteContext } from "./mappers/tickets";
import { htmlToText, text } from "./mappers/values";
import { DeskContactSchema, DeskCustomerSchema, DeskImportResponseSchema, DeskMessageSchema } from "./raw-schemas";
import type { DeskInbox } from "./raw-schemas";
import type { SiteModel } from "./site-model";
import { failed, failure } from "./writer";
import type { RecordWriterDeps } from "./writer";

export type TicketWriterDeps = RecordWriterDeps & {
  v1: HttpClient;
  model: () => Promise<SiteModel>;
  /** §6: the import's `source`, which also names the ticket source in Desk; stable per migration so re-sends dedupe. */
  importSource: string;
  upload: UploadDeps;
  /** Customers already resolved in this session, by Teamwork id (or email). */
  customerCache: Map<string, ImportPerson | null>;
};

/** The largest integer the import's `id` can take without precision loss in JSON readers. */
const IMPORT_ID_BITS = 52;

/**
 * The numeric id a source record gets in the import (§6: "your old id (int)"): derived from the
 * source id, so the same record always gets the same id and a re-send is recognised.
 */
export function importIdFor(sourceId: string): number {
  const digest = createHash("sha256").update(`ferry-import:${sourceId}`).digest();
  // 52 bits: six bytes and a half, read as an unsigned integer; never 0.
  const high = digest.readUInt32BE(0) >>> (64 - IMPORT_ID_BITS);
  const low = digest.readUInt32BE(4);
  return high * 2 ** 32 + low || 1;
}

/** Closed is what the import leaves a ticket in (§6); a status patch to Closed is skipped. */
function isClosedStatus(model: SiteModel, id: string | number): boolean {
  const status = model.statuses.find((candidate) => String(candidate.id) === String(id));
  return Boolean(status && (/^closed$/i.test(status.code ?? "") || /^closed$/i.test(status.name ?? "")));
}

// ---------------------------------------------------------------------------------------------
// People and attachments, resolved before mapping
// ---------------------------------------------------------------------------------------------

function customerIdsOf(record: CanonicalRecord): string[] {
  const ids: string[] = [];
  const push = (value: unknown) => {
    try {
      const id = refId((value ?? null) as CanonicalRecord["fields"][string], "customer");
      if (id) ids.push(id);
    } catch {
      // The mapper reports a malformed reference with the record.
    }
  };
  push(record.fields.customer);
  for (const message of record.children?.messages ?? []) if (String(message.fields.authorType ?? "").toLowerCase() === "customer") push(message.fields.author);
  return ids;
}

/** §5.4: GET /customers/{id}.json with contacts → the customer as the import names people (by email). */
async function resolveCustomers(deps: TicketWriterDeps, ids: string[]): Promise<Map<string, ImportPerson>> {
  const result = new Map<string, ImportPerson>();
  for (const id of [...new Set(ids)]) {
    if (id.includes("@")) {
      result.set(id, { email: normalizeEmail(id), firstName: "", lastName: "", type: "customer" });
      continue;
    }
    if (!deps.customerCache.has(id)) {
      try {
        const { item, included } = await getOne(deps.v2, "customers", "customer", id, ["contacts"]);
        const customer = parseRaw(DeskCustomerSchema, item, "customer");
        const contacts = new Map(
          [...(included.get("contacts") ?? [])].flatMap(([key, value]) => {
            const parsed = DeskContactSchema.safeParse(value);
            return parsed.success ? [[key, parsed.data] as const] : [];
          }),
        );
        const email = customerEmails(customer, contacts)[0];
        deps.customerCache.set(
          id,
          email ? { email, firstName: text(customer.firstName) ?? "", lastName: text(customer.lastName) ?? "", type: "customer" } : null,
        );
      } catch (error) {
        if (!(error instanceof ConnectorError) || error.code !== "NOT_FOUND") throw error;
        deps.customerCache.set(id, null);
      }
    }
    const person = deps.customerCache.get(id);
    if (person) result.set(id, person);
  }
  return result;
}

type PendingUpload = { messageId: string; attachmentIds: string[] };

/** Public attachment URLs go to the importer as they are; the others are uploaded (§5.3) and noted after the import. */
function splitAttachments(record: CanonicalRecord): { urls: Map<string, string>; uploads: PendingUpload[]; withoutUploads: CanonicalRecord } {
  const urls = new Map<string, string>();
  const uploads: PendingUpload[] = [];
  const messages = (record.children?.messages ?? []).map((message) => {
    const keep = (message.attachments ?? []).filter((attachment) => isPublicAttachmentUrl(attachment.url));
    for (const attachment of keep) urls.set(attachment.id, attachment.url);
    const later = (message.attachments ?? []).filter((attachment) => !isPublicAttachmentUrl(attachment.url));
    if (later.length > 0) uploads.push({ messageId: message.id, attachmentIds: later.map((attachment) => attachment.id) });
    return { ...message, attachments: keep };
  });
  return { urls, uploads, withoutUploads: { ...record, children: { ...record.children, messages } } };
}

// ---------------------------------------------------------------------------------------------
// The import
// ---------------------------------------------------------------------------------------------

type Planned = { request: WriteRequest; index: number; mapped: MappedTicket; uploads: PendingUpload[]; original: CanonicalRecord };

/** Import answer → Desk id per import id, and the import ids it skipped as imported before (format [U], §6). */
function idsFromResponse(body: unknown): { ids: Map<number, string>; skipped: Set<number> } {
  const ids = new Map<number, string>();
  const skipped = new Set<number>();
  const parsed = DeskImportResponseSchema.safeParse(body);
  if (!parsed.success) return { ids, skipped };
  for (const entry of parsed.data.tickets ?? []) {
    const importId = Number(entry.importId ?? entry.externalId ?? Number.NaN);
    const deskId = idString(entry.ticketId ?? entry.id);
    if (!Number.isSafeInteger(importId) || deskId === null) continue;
    ids.set(importId, deskId);
    if (/^skipped$/i.test(entry.status ?? "")) skipped.add(importId);
  }
  return { ids, skipped };
}

/**
 * Tickets the import created, found by creation time + subject + customer (the import keeps all
 * three): the fallback when the answer does not list ids, and the way findExisting works.
 */
export async function findImported(
  v2: HttpClient,
  tickets: { createdAt: string; subject: string; customerEmail: string | null }[],
): Promise<(string | null)[]> {
  if (tickets.length === 0) return [];
  const candidates = await ticketsCreatedAt(
    v2,
    tickets.map((ticket) => ticket.createdAt),
  );
  const emailsById = new Map<string, string[]>();
  const customerIds = [...new Set(candidates.map((ticket) => idString(ticket.customer?.id)).filter((id): id is string => id !== null))];
  if (tickets.some((ticket) => ticket.customerEmail !== null) && customerIds.length > 0) {
    const byEmail = await customersByEmail(
      v2,
      tickets.map((ticket) => ticket.customerEmail).filter((email): email is string => email !== null),
    );
    for (const [email, found] of byEmail) emailsById.set(String(found.customer.id), [...(emailsById.get(String(found.customer.id)) ?? []), email]);
  }
  const taken = new Set<string>();
  return tickets.map((wanted) => {
    const at = Date.parse(wanted.createdAt);
    const match = candidates.find((ticket) => {
      if (taken.has(String(ticket.id)) || Date.parse(ticket.createdAt ?? "") !== at) return false;
      if ((text(ticket.subject) ?? "") !== wanted.subject.trim()) return false;
      if (wanted.customerEmail === null) return true;
      return (emailsById.get(idString(ticket.customer?.id) ?? "") ?? []).includes(wanted.customerEmail);
    });
    if (!match) return null;
    taken.add(String(match.id));
    return String(match.id);
  });
}

type ImportOutcome = { ok: Map<Planned, string>; failed: Map<Planned, ConnectorError>; skipped: Set<Planned> };

async function sendImport(deps: TicketWriterDeps, inbox: DeskInbox, batch: Planned[]): Promise<ImportOutcome> {
  const ok = new Map<Planned, string>();
  const failedTickets = new Map<Planned, ConnectorError>();
  const skippedTickets = new Set<Planned>();
  const tickets: ImportTicket[] = batch.map((entry) => entry.mapped.ticket);
  try {
    // §6: v1 import, Basic auth; idempotent per source + id, so the client may retry it.
    const response = await deps.v1.request({
      method: "POST",
      path: "/import/tickets.json",
      // notifyCustomer: whether the import emails anyone is [U]; Ferry says no explicitly.
      body: { source: deps.importSource, fallbackInboxId: toDeskId(String(inbox.id)), notifyCustomer: false, tickets },
    });
    const { ids, skipped } = idsFromResponse(response.data);
    for (const entry of batch) if (skipped.has(entry.mapped.ticket.id)) skippedTickets.add(entry);
    const missing = batch.filter((entry) => !ids.has(entry.mapped.ticket.id));
    const looked = await findImported(
      deps.v2,
      missing.map((entry) => ({
        createdAt: entry.mapped.ticket.createdAt,
        subject: entry.mapped.ticket.subject,
        customerEmail: entry.mapped.ticket.customer.email,
      })),
    );
    missing.forEach((entry, index) => {
      const id = looked[index];
      if (id) ids.set(entry.mapped.ticket.id, id);
    });
    for (const entry of batch) {
      const id = ids.get(entry.mapped.ticket.id);
      if (id) ok.set(entry, id);
      else failedTickets.set(entry, new ConnectorError("UNKNOWN", "The import answered but the ticket could not be found afterwards"));
    }
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.code === "AUTH_INVALID" || error.code === "PERMISSION_DENIED") throw error;
    if ((error.code === "VALIDATION" || error.code === "CONFLICT") && batch.length > 1) {
      // §6: the batch is refused as a whole [U]; halves isolate the ticket at fault.
      const middle = Math.ceil(batch.length / 2);
      for (const half of [batch.slice(0, middle), batch.slice(middle)]) {
        const outcome = await sendImport(deps, inbox, half);
        for (const [entry, id] of outcome.ok) ok.set(entry, id);
        for (const [entry, failure] of outcome.failed) failedTickets.set(entry, failure);
        for (const entry of outcome.skipped) skippedTickets.add(entry);
      }
    } else {
      for (const entry of batch) failedTickets.set(entry, error);
    }
  }
  return { ok, failed: failedTickets, skipped: skippedTickets };
}

/** How many times a ticket is imported again under a new import id after the one before was deleted. */
const MAX_IMPORT_GENERATIONS = 10;

/** The import id of a source record's `generation`-th import: the first is importIdFor(sourceId). */
function importIdOf(sourceId: string, generation: number): number {
  return importIdFor(generation === 0 ? sourceId : `${sourceId}#${generation}`);
}

/** §5.1: whether a ticket still exists (a rolled back demo deleted it, but the import remembers its id). */
async function ticketExists(v2: HttpClient, ticketId: string): Promise<boolean> {
  try {
    await getOne(v2, "tickets", "ticket", ticketId, []);
    return true;
  } catch (error) {
    if (error instanceof ConnectorError && error.code === "NOT_FOUND") return false;
    throw error;
  }
}

/**
 * Imports one inbox's tickets. Teamwork never imports a source + id twice (§6), not even after
 * the ticket was deleted (the demo's rollback): an import answered "skipped" with a ticket that is
 * gone is sent again under the next generation's id. A re-send after a crash walks the same
 * generations, finding the ticket it imported (skipped, still there) instead of a second copy.
 */
async function importGroup(deps: TicketWriterDeps, group: Planned[]): Promise<ImportOutcome> {
  const result: ImportOutcome = { ok: new Map(), failed: new Map(), skipped: new Set() };
  let pending = group;
  for (let generation = 0; pending.length > 0; generation += 1) {
    const again: Planned[] = [];
    for (const entry of pending) entry.mapped.ticket.id = importIdOf(entry.request.sourceId, generation);
    for (let start = 0; start < pending.length; start += IMPORT_TICKETS_PER_REQUEST) {
      const batch = pending.slice(start, start + IMPORT_TICKETS_PER_REQUEST);
      const outcome = await sendImport(deps, batch[0].mapped.inbox, batch);
      for (const [entry, error] of outcome.failed) result.failed.set(entry, error);
      for (const [entry, ticketId] of outcome.ok) {
        if (!outcome.skipped.has(entry) || (await ticketExists(deps.v2, ticketId))) result.ok.set(entry, ticketId);
        else if (generation + 1 < MAX_IMPORT_GENERATIONS) again.push(entry);
        else
          result.failed.set(
            entry,
            new ConnectorError(
              "CONFLICT",
              `Teamwork Desk keeps answering with deleted tickets for this record (last ${ticketId}); it was imported and deleted ${MAX_IMPORT_GENERATIONS} times`,
            ),
          );
      }
    }
    pending = again;
  }
  return result;
}

/** The note carrying attachments Teamwork could not fetch itself; its first line makes it recognisable on a re-send. */
function attachmentNoteHtml(message: CanonicalRecord, names: string[]): string {
  const when = message.createdAt ? new Date(message.createdAt).toISOString().replace("T", " ").slice(0, 16) : "an unknown date";
  return `<p><em>Attachments of the message of ${when} UTC (added by Ferry): ${names.map((name) => name.replace(/[<>&]/g, "")).join(", ")}</em></p>`;
}

async function ticketTexts(v2: HttpClient, ticketId: string): Promise<string[]> {
  const { included } = await getOne(v2, "tickets", "ticket", ticketId, ["messages"]);
  return [...(included.get("messages")?.values() ?? [])].flatMap((item) => {
    const parsed = DeskMessageSchema.safeParse(item);
    return parsed.success ? [htmlToText(parsed.data.htmlBody ?? parsed.data.textBody ?? "")] : [];
  });
}

/** §5.2 + §5.3: a private note on the ticket, created once (recognised by its text after an ambiguous failure). */
async function addNote(deps: TicketWriterDeps, ticketId: string, html: string, fileIds: string[]): Promise<void> {
  const wanted = htmlToText(html);
  await createOnce({
    send: async () => {
      const response = await deps.v2.request({
        method: "POST",
        path: `/tickets/${encodeURIComponent(ticketId)}/messages.json`,
        body: { threadType: "note", message: html, editMethod: "html", ...(fileIds.length > 0 ? { files: fileIds.map((id) => ({ id: toDeskId(id) })) } : {}) },
        retry: false,
      });
      return writtenItem(response.data, "message") ?? {};
    },
    lookup: async () => ((await ticketTexts(deps.v2, ticketId)).some((existing) => existing.includes(wanted)) ? {} : null),
    sleep: deps.sleep,
    retry: deps.retry,
    random: deps.random,
  });
}

async function attachUploads(deps: TicketWriterDeps, ticketId: string, entry: Planned): Promise<void> {
  if (entry.uploads.length === 0) return;
  const existing = await ticketTexts(deps.v2, ticketId);
  for (const pending of entry.uploads) {
    const message = (entry.original.children?.messages ?? []).find((candidate) => candidate.id === pending.messageId);
    if (!message) continue;
    const attachments = (message.attachments ?? []).filter((attachment) => pending.attachmentIds.includes(attachment.id));
    const html = attachmentNoteHtml(
      message,
      attachments.map((attachment) => attachment.fileName),
    );
    if (existing.some((text) => text.includes(htmlToText(html)))) continue;
    const fileIds: string[] = [];
    for (const attachment of attachments) fileIds.push(await uploadAttachment(deps.upload, attachment));
    await addNote(deps, ticketId, html, fileIds);
  }
}

async function importTickets(
  deps: TicketWriterDeps,
  model: SiteModel,
  entries: { request: WriteRequest; index: number }[],
  results: (WriteResult | undefined)[],
): Promise<void> {
  const defaultInbox = model.inboxes[0];
  if (!defaultInbox) {
    for (const { request, index } of entries)
      results[index] = failure(request, "VALIDATION", "Teamwork Desk has no inbox to import tickets into; create one first");
    return;
  }
  const customers = await resolveCustomers(
    deps,
    entries.flatMap(({ request }) => customerIdsOf(request.record)),
  );
  const planned: Planned[] = [];
  for (const { request, index } of entries) {
    try {
      const { urls, uploads, withoutUploads } = splitAttachments(request.record);
      const context: TicketWriteContext = { model, customersById: customers, attachmentUrls: urls };
      const mapped = ticketToImport(withoutUploads, importIdFor(request.sourceId), context, defaultInbox);
      planned.push({ request, index, mapped, uploads, original: request.record });
    } catch (error) {
      results[index] = failed(request, error);
    }
  }
  const byInbox = new Map<string, Planned[]>();
  for (const entry of planned) byInbox.set(String(entry.mapped.inbox.id), [...(byInbox.get(String(entry.mapped.inbox.id)) ?? []), entry]);
  for (const group of byInbox.values()) {
    const outcome = await importGroup(deps, group);
    for (const [entry, error] of outcome.failed) results[entry.index] = failure(entry.request, error.code, error.message, error.field);
    for (const [entry, ticketId] of outcome.ok) {
      try {
        const patch = entry.mapped.patch;
        if (patch && patch.status && isClosedStatus(model, patch.status.id)) delete patch.status;
        if (patch && (patch.status || patch.customfields)) {
          // §5.1: PATCH keeps createdAt; status and custom fields are what the import cannot carry.
          await deps.v2.request({ method: "PATCH", path: `/tickets/${encodeURIComponent(ticketId)}.json`, body: { ticket: patch } });
        }
        await attachUploads(deps, ticketId, entry);
        results[entry.index] = { sourceId: entry.request.sourceId, status: "created", targetId: ticketId };
      } catch (error) {
        if (!(error instanceof ConnectorError)) throw error;
        if (error.code === "AUTH_INVALID" || error.code === "PERMISSION_DENIED") throw error;
        // The import is idempotent: a retry of this record finds the same ticket and finishes the job.
        results[entry.index] = failure(entry.request, error.code, `Imported as ticket ${ticketId}, but finishing it failed: ${error.message}`, error.field);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Updates of existing tickets (v2 only)
// ---------------------------------------------------------------------------------------------

function authorName(message: CanonicalRecord): string {
  const author = message.fields.author;
  if (author && typeof author === "object" && !Array.isArray(author)) {
    const ref = author as { name?: unknown; email?: unknown; id?: unknown };
    if (typeof ref.name === "string" && ref.name) return ref.name;
    if (typeof ref.email === "string" && ref.email) return ref.email;
  }
  return String(message.fields.authorType ?? "Someone") === "customer" ? "The customer" : "An agent";
}

async function updateTicket(deps: TicketWriterDeps, model: SiteModel, request: WriteRequest): Promise<WriteResult> {
  const ticketId = request.targetId as string;
  const context: TicketWriteContext = { model, customersById: new Map(), attachmentUrls: new Map() };
  const patch = ticketToPatch(request.record, context);
  if (Object.keys(patch).length > 0) {
    // §5.1: PATCH /tickets/{id}.json, wrapped; idempotent.
    await deps.v2.request({ method: "PATCH", path: `/tickets/${encodeURIComponent(ticketId)}.json`, body: { ticket: patch } });
  }
  const existing = await ticketTexts(deps.v2, ticketId);
  for (const message of request.record.children?.messages ?? []) {
    if (threadIsPresent(message, existing)) continue;
    const fileIds: string[] = [];
    for (const attachment of message.attachments ?? []) fileIds.push(await uploadAttachment(deps.upload, attachment));
    const note = threadToNote(message, authorName(message));
    await addNote(deps, ticketId, note.message, fileIds);
    existing.push(htmlToText(note.message));
  }
  return { sourceId: request.sourceId, status: "updated", targetId: ticketId };
}

export async function writeTickets(deps: TicketWriterDeps, requests: WriteRequest[], mode: WriteMode): Promise<WriteResult[]> {
  const model = await deps.model();
  const results: (WriteResult | undefined)[] = new Array(requests.length);
  const imports: { request: WriteRequest; index: number }[] = [];
  for (const [index, request] of requests.entries()) {
    if (mode === "create" || (mode === "upsert" && !request.targetId)) {
      imports.push({ request, index });
      continue;
    }
    if (!request.targetId) {
      results[index] = failure(request, "VALIDATION", "An update needs the Teamwork Desk id of the ticket");
      continue;
    }
    try {
      results[index] = await updateTicket(deps, model, request);
    } catch (error) {
      results[index] = failed(request, error);
    }
  }
  if (imports.length > 0) await importTickets(deps, model, imports, results);
  return results.map((result, index) => result ?? failure(requests[index], "UNKNOWN", "No outcome was recorded for this ticket"));
}
