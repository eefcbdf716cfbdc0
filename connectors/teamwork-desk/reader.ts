// ConnectorSession.read/count for Teamwork Desk: page/pageSize pages of at most 100 (§2.2),
// ordered by id so pages do not shift under inserts, side-loads through `includes` (§2.5) so a
// page of tickets costs one request with its threads, authors and files, and `since` as an
// updatedAt filter (§2.4). Tickets are read in two passes, open then archived (§2.4: archived
// tickets are left out unless asked for); the cursor (cursor.ts) says where to resume.
import type { HttpClient } from "@/connectors/shared/http-client";
import { paginate } from "@/connectors/shared/paginate";
import { sinceInstant } from "@/connectors/shared/values";
import type { CanonicalRecord, ReadOptions, RecordPage } from "@/connectors/types";
import { MAX_PAGE_SIZE, getOne, listPage, parseRaw } from "./api";
import type { Included, ListQuery } from "./api";
import { decodeCursor, encodeCursor } from "./cursor";
import type { TeamworkDeskObjectType } from "./manifest";
import { customFieldFromDesk, inboxFromDesk, namedFromDesk, tagFromDesk } from "./mappers/named";
import { agentFromDesk, companyFromDesk, customerFromDesk } from "./mappers/people";
import { threadsOf, ticketFromDesk } from "./mappers/tickets";
import {
  DeskCompanySchema,
  DeskContactSchema,
  DeskCustomerSchema,
  DeskDomainSchema,
  DeskInboxSchema,
  DeskNamedSchema,
  DeskTicketSchema,
  DeskUserSchema,
} from "./raw-schemas";
import type { DeskContact, DeskDomain } from "./raw-schemas";
import type { SiteModel } from "./site-model";

export type ReaderDeps = { v2: HttpClient; model: () => Promise<SiteModel>; baseUrl: string };

/** §2.5: what a page of tickets side-loads: threads, their files, and the people they name. */
export const TICKET_INCLUDES = ["messages", "files", "users", "customers", "tags"];

type Source = {
  resource: string;
  includes?: string[];
  extra?: ListQuery["extra"];
  /** Extra query per pass; tickets read open then archived ones. */
  passes?: ListQuery["extra"][];
  map: (item: Record<string, unknown>, included: Included, deps: ReaderDeps, model: SiteModel) => Promise<CanonicalRecord | null>;
};

function parsedMap<T>(included: Included, type: string, parse: (item: unknown) => { success: true; data: T } | { success: false }): Map<string, T> {
  const result = new Map<string, T>();
  for (const [id, item] of included.get(type) ?? []) {
    const parsed = parse(item);
    if (parsed.success) result.set(id, parsed.data);
  }
  return result;
}

const SOURCES: Record<Exclude<TeamworkDeskObjectType, "customFields">, Source> = {
  tickets: {
    resource: "tickets",
    includes: TICKET_INCLUDES,
    // §2.4 [U]: whether archived=true lists archived tickets only or all of them; the second
    // pass keeps only those with archivedAt set, so both readings give each ticket once.
    passes: [{ archived: false }, { archived: true }],
    map: async (item, included, deps, model) => {
      const ticket = parseRaw(DeskTicketSchema, item, "ticket");
      const first = threadsOf(ticket, included);
      let messages = first.messages;
      let context = { model, included, baseUrl: deps.baseUrl };
      if (!first.complete) {
        // Rare: the page's side-loads missed some threads; this one ticket is fetched whole.
        const single = await getOne(deps.v2, "tickets", "ticket", String(ticket.id), TICKET_INCLUDES);
        ({ messages } = threadsOf(ticket, single.included));
        const merged: Included = new Map(included);
        for (const [type, byId] of single.included) merged.set(type, new Map([...(included.get(type) ?? []), ...byId]));
        context = { model, included: merged, baseUrl: deps.baseUrl };
      }
      return ticketFromDesk(ticket, messages, context);
    },
  },
  customers: {
    resource: "customers",
    includes: ["contacts"],
    map: async (item, included) =>
      customerFromDesk(
        parseRaw(DeskCustomerSchema, item, "customer"),
        parsedMap<DeskContact>(included, "contacts", (value) => DeskContactSchema.safeParse(value)),
      ),
  },
  companies: {
    resource: "companies",
    includes: ["domains"],
    map: async (item, included) =>
      companyFromDesk(
        parseRaw(DeskCompanySchema, item, "company"),
        parsedMap<DeskDomain>(included, "domains", (value) => DeskDomainSchema.safeParse(value)),
      ),
  },
  agents: { resource: "users", extra: { includeArchived: true }, map: async (item) => agentFromDesk(parseRaw(DeskUserSchema, item, "user")) },
  inboxes: { resource: "inboxes", map: async (item) => inboxFromDesk(parseRaw(DeskInboxSchema, item, "inbox")) },
  tags: { resource: "tags", map: async (item) => tagFromDesk(parseRaw(DeskNamedSchema, item, "tag")) },
  statuses: { resource: "ticketstatuses", map: async (item) => namedFromDesk("statuses", parseRaw(DeskNamedSchema, item, "ticket status")) },
  priorities: { resource: "ticketpriorities", map: async (item) => namedFromDesk("priorities", parseRaw(DeskNamedSchema, item, "ticket priority")) },
  ticketTypes: { resource: "tickettypes", map: async (item) => namedFromDesk("ticketTypes", parseRaw(DeskNamedSchema, item, "ticket type")) },
};

function sinceFilter(since: string | null | undefined): Record<string, unknown> | null {
  const instant = sinceInstant(since);
  // §2.4: {"updatedAt":{"$gte":"…"}} is the documented incremental-sync filter (RFC 3339 inside filter JSON).
  return instant === null ? null : { updatedAt: { $gte: instant } };
}

function sourceOf(objectType: TeamworkDeskObjectType): Source | null {
  return objectType === "customFields" ? null : SOURCES[objectType];
}

function numericId(item: Record<string, unknown>): number | null {
  const id = Number(item.id);
  return Number.isSafeInteger(id) ? id : null;
}

export async function* readRecords(deps: ReaderDeps, objectType: TeamworkDeskObjectType, options: ReadOptions = {}): AsyncGenerator<RecordPage> {
  const pageSize = Math.min(Math.max(1, Math.floor(options.pageSize ?? MAX_PAGE_SIZE)), MAX_PAGE_SIZE);
  const sample = options.sample;
  const start = decodeCursor(objectType, options.cursor);
  if (sample !== undefined && start.read >= sample) return;
  const model = await deps.model();

  const source = sourceOf(objectType);
  if (source === null) {
    // Custom fields come from the site model (one list, §5.8); `since` does not apply to definitions.
    const records = model.customFields.map(customFieldFromDesk).slice(start.read, sample ?? undefined);
    yield { records, nextCursor: null };
    return;
  }
  const filter = sinceFilter(options.since);
  const passes = source.passes ?? [undefined];

  const pages = paginate<CanonicalRecord>(async (cursor) => {
    const position = cursor === null ? start : decodeCursor(objectType, cursor);
    const pass = passes[position.pass] ?? {};
    // §2.2/§2.3: page/pageSize, ordered by id ascending so new records land on later pages.
    const page = await listPage(deps.v2, source.resource, {
      page: position.page,
      pageSize,
      filter,
      includes: source.includes,
      orderBy: "id",
      orderMode: "asc",
      extra: { ...source.extra, ...pass },
    });
    const records: CanonicalRecord[] = [];
    let lastId = position.lastId;
    for (const item of page.items) {
      const id = numericId(item);
      if (id !== null && lastId !== null && id <= lastId) continue;
      if (position.pass > 0 && objectType === "tickets" && !item.archivedAt) continue;
      if (sample !== undefined && position.read + records.length >= sample) break;
      const record = await source.map(item, page.included, deps, model);
      if (id !== null) lastId = id;
      if (record) records.push(record);
    }
    const read = position.read + records.length;
    if (sample !== undefined && read >= sample) return { items: records, nextCursor: null };
    if (page.hasMore) return { items: records, nextCursor: encodeCursor(objectType, { pass: position.pass, page: position.page + 1, lastId, read }) };
    if (position.pass + 1 < passes.length)
      return { items: records, nextCursor: encodeCursor(objectType, { pass: position.pass + 1, page: 1, lastId: null, read }) };
    return { items: records, nextCursor: null };
  }, options.cursor ?? null);

  for await (const page of pages) yield { records: page.items, nextCursor: page.nextCursor };
}

/** §2.1: `pagination.records` counts every row the filter matches, whatever the page size. */
export async function countRecords(deps: ReaderDeps, objectType: TeamworkDeskObjectType, since?: string | null): Promise<number> {
  const source = sourceOf(objectType);
  if (source === null) return (await deps.model()).customFields.length;
  let total = 0;
  for (const pass of source.passes ?? [undefined]) {
    const page = await listPage(deps.v2, source.resource, { page: 1, pageSize: 1, filter: sinceFilter(since), extra: { ...source.extra, ...pass } });
    if (page.total === null) {
      let counted = 0;
      for await (const records of readRecords(deps, objectType, { since })) counted += records.records.length;
      return counted;
    }
    total += page.total;
  }
  return total;
}
