// The Teamwork Desk sandbox over real HTTP: what a connector written against
// docs/reference/teamwork-desk-api.md relies on (auth, envelopes, paging, filters, includes,
// creates, the v1 import, triggers, rate limit, faults, uploads) and the command line.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { createFaultInjector } from "@/connectors/shared/sandbox-kit";
import { startTeamworkDeskSandbox, type TeamworkDeskSandboxOptions, type TeamworkDeskSandboxState } from "@/connectors/teamwork-desk/sandbox";

const API_KEY = "twd-test-key";
type Sandbox = Awaited<ReturnType<typeof startTeamworkDeskSandbox>>;
type Json = Record<string, unknown> & { errors?: { code: string; title: string; detail: string; source?: string }[] };
type ListBody = Json & {
  included: Record<string, Json[]>;
  pagination: { records: number; pageSize: number; pages: number; page: number; hasMorePages: boolean };
  meta: { page: { count: number; pageSize: number; pageOffset: number; pages: number; hasMore: boolean } };
};

const running: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
});

async function start(options: Partial<TeamworkDeskSandboxOptions> = {}): Promise<Sandbox> {
  const sandbox = await startTeamworkDeskSandbox({ apiKey: API_KEY, port: 0, rateLimit: 0, ...options });
  running.push(sandbox);
  return sandbox;
}

type CallOptions = { method?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal };

function call(url: string, authorization: string | null, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...(options.body === undefined ? {} : { "content-type": "application/json" }), ...options.headers };
  if (authorization) headers.authorization = authorization;
  return fetch(url, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
}

const bearer = `Bearer ${API_KEY}`;
const basic = `Basic ${Buffer.from(`${API_KEY}:x`).toString("base64")}`;
const v2 = (sandbox: Sandbox, path: string, options: CallOptions = {}) => call(`${sandbox.url}/desk/api/v2/${path}`, bearer, options);
const v1 = (sandbox: Sandbox, path: string, options: CallOptions = {}) => call(`${sandbox.url}/desk/v1/${path}`, basic, options);
const json = async <T = Json>(response: Response) => (await response.json()) as T;
const filter = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const ids = (rows: Json[]) => rows.map((row) => row.id as number);

/** An inbox and a customer to hang tickets on. */
function arrangeDesk(state: TeamworkDeskSandboxState) {
  const inbox = state.addInbox({ name: "Support", email: "support@acme.example" });
  const customer = state.addCustomer({ email: "joe@customer.example", firstName: "Joe", lastName: "Soap" });
  return { inboxId: inbox.id as number, customerId: customer.id as number };
}

describe("authentication (teamwork-desk-api §1)", () => {
  it("answers 401 with an errors array when the key is missing or wrong", async () => {
    const sandbox = await start();
    const missing = await call(`${sandbox.url}/desk/api/v2/tickets.json`, null);
    expect(missing.status).toBe(401);
    expect((await json(missing)).errors?.[0]).toMatchObject({ code: "unauthorized", detail: expect.stringContaining("Missing") });
    const wrong = await call(`${sandbox.url}/desk/api/v2/tickets.json`, "Bearer not-the-key");
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).errors?.[0].detail).toBe("Invalid API key");
  });

  it("takes Bearer on v2 and Basic key:x on v1, and refuses Bearer on v1", async () => {
    const sandbox = await start();
    expect((await v2(sandbox, "me.json")).status).toBe(200);
    expect((await v1(sandbox, "me.json")).status).toBe(200);
    expect((await call(`${sandbox.url}/desk/v1/me.json`, bearer)).status).toBe(401);
  });

  it("tells who the key belongs to and whether they are an administrator", async () => {
    const admin = await start();
    const me = await json<{ user: Json; included: Json }>(await v2(admin, "me.json"));
    expect(me.user).toMatchObject({ email: "owner@sandbox.teamwork.example", role: "Admin", state: "active" });
    expect(me.included).toEqual({});

    const agent = await start({ keyOwner: { email: "ann@acme.example", firstName: "Ann", lastName: "Agent", isAdmin: false } });
    const v1Me = await json<{ user: Json }>(await v1(agent, "me.json"));
    expect(v1Me.user).toMatchObject({ email: "ann@acme.example", firstName: "Ann", role: "Agent" });
    const trigger = agent.state.addTrigger({ name: "Any", inboxIds: [] });
    const denied = await v2(agent, `triggers/${trigger.id}.json`, { method: "PATCH", body: { trigger: { state: "inactive" } } });
    expect(denied.status).toBe(403);
  });

  it("answers 404 for paths without .json", async () => {
    const sandbox = await start();
    expect((await v2(sandbox, "tickets")).status).toBe(404);
  });
});

describe("seeds", () => {
  it("starts empty with the key owner and no inbox", async () => {
    const sandbox = await start();
    const inboxes = await json<ListBody>(await v2(sandbox, "inboxes.json"));
    expect(inboxes.inboxes).toEqual([]);
    expect(inboxes.meta.page).toMatchObject({ count: 0, hasMore: false });
    const users = await json<ListBody>(await v2(sandbox, "users.json"));
    expect(users.users).toHaveLength(1);
    const statuses = await json<ListBody>(await v2(sandbox, "ticketstatuses.json"));
    expect(statuses.ticketstatuses).toContainEqual(expect.objectContaining({ id: 3, code: "waiting", color: "#ffa785" }));
  });

  it("has agents in every state with the sample seed", async () => {
    const sandbox = await start({ seed: "sample" });
    const listed = (await json<ListBody>(await v2(sandbox, "users.json"))).users as Json[];
    expect(listed.map((user) => user.state)).not.toContain("deleted");
    expect(listed).toContainEqual(expect.objectContaining({ state: "invited", email: "new.hire@lumen-outfitters.example" }));
    expect(listed).toContainEqual(expect.objectContaining({ isPartTime: true, state: "active" }));
    const archived = (await json<ListBody>(await v2(sandbox, "users.json?includeArchived=true"))).users as Json[];
    expect(archived.filter((user) => user.state === "deleted")).toHaveLength(1);
    const invites = (await json<ListBody>(await v2(sandbox, "agentinvites.json"))).agentinvites as Json[];
    const invited = listed.find((user) => user.state === "invited")!;
    expect(invites).toEqual([expect.objectContaining({ user: { id: invited.id, type: "users" } })]);
  });

  it("archives old closed tickets: a plain list leaves them out, archived=true lists them", async () => {
    const sandbox = await start({ seed: "sample" });
    const all = sandbox.state.list("tickets");
    const active = await json<ListBody>(await v2(sandbox, "tickets.json?pageSize=1"));
    const archived = await json<ListBody>(await v2(sandbox, "tickets.json?pageSize=1&archived=true"));
    expect(archived.meta.page.count).toBeGreaterThan(0);
    expect(active.meta.page.count + archived.meta.page.count).toBe(all.length);
  });
});

describe("lists (teamwork-desk-api §2)", () => {
  it("pages with page/pageSize, clamps pageSize to 100 and reports hasMore in both envelopes", async () => {
    const sandbox = await start();
    const { inboxId, customerId } = arrangeDesk(sandbox.state);
    for (let index = 0; index < 130; index += 1) sandbox.state.addTicket({ subject: `Ticket ${index}`, inboxId, customerId });

    const first = await json<ListBody>(await v2(sandbox, "tickets.json?pageSize=500"));
    expect(first.tickets).toHaveLength(100);
    expect(first.meta.page).toEqual({ count: 130, pageSize: 100, pageOffset: 0, pages: 2, hasMore: true });
    expect(first.pagination).toEqual({ records: 130, pageSize: 100, pages: 2, page: 1, hasMorePages: true });
    expect(first.included).toEqual({});

    const second = await json<ListBody>(await v2(sandbox, "tickets.json?pageSize=500&page=2"));
    expect(second.tickets).toHaveLength(30);
    expect(second.meta.page).toMatchObject({ pageOffset: 100, hasMore: false });
    expect(second.pagination.hasMorePages).toBe(false);

    const defaults = await json<ListBody>(await v2(sandbox, "tickets.json"));
    expect(defaults.tickets).toHaveLength(50);
    expect((await v2(sandbox, "tickets.json?page=abc")).status).toBe(400);
  });

  it("side-loads related records with includes=", async () => {
    const sandbox = await start({ seed: "sample" });
    const withAgent = sandbox.state
      .list("tickets")
      .find((ticket) => ticket.agent !== null && ticket.archivedAt === null && (ticket.tags as unknown[]).length > 0)!;
    const response = await json<{ ticket: Json; included: Record<string, Json[]> }>(
      await v2(sandbox, `tickets/${withAgent.id}.json?includes=customers,users,messages,inboxes,tags,ticketstatuses`),
    );
    expect(response.ticket.id).toBe(withAgent.id);
    expect(ids(response.included.customers)).toContain((withAgent.customer as Json).id);
    expect(ids(response.included.users)).toContain((withAgent.agent as Json).id);
    expect(ids(response.included.inboxes)).toEqual([(withAgent.inbox as Json).id]);
    expect(ids(response.included.tags).sort()).toEqual(ids(withAgent.tags as Json[]).sort());
    expect(ids(response.included.messages)).toEqual(ids(withAgent.messages as Json[]));
    expect(response.included.messages[0]).toMatchObject({ ticket: { id: withAgent.id, type: "tickets" }, threadType: "message" });
    expect(Object.keys(response.included).sort()).toEqual(["customers", "inboxes", "messages", "tags", "ticketstatuses", "users"]);

    const all = await json<{ included: Record<string, Json[]> }>(await v2(sandbox, `tickets/${withAgent.id}.json?includes=all`));
    expect(all.included.ticketpriorities).toBeDefined();
    expect(all.included.timelogs).toEqual([]);
  });

  it("filters with Mongo-style operators on updatedAt and ids", async () => {
    const sandbox = await start();
    const { inboxId, customerId } = arrangeDesk(sandbox.state);
    const old = sandbox.state.addTicket({ subject: "old", inboxId, customerId, createdAt: "2023-01-01T00:00:00Z", updatedAt: "2023-06-01T00:00:00Z" });
    const recent = sandbox.state.addTicket({
      subject: "recent",
      inboxId,
      customerId,
      createdAt: "2024-01-01T00:00:00Z",
      updatedAt: "2024-03-01T00:00:00Z",
      statusId: 3,
    });
    const newest = sandbox.state.addTicket({ subject: "newest", inboxId, customerId, createdAt: "2024-05-01T00:00:00Z", updatedAt: "2024-06-01T00:00:00Z" });

    const since = await json<ListBody>(await v2(sandbox, `tickets.json?filter=${filter({ updatedAt: { $gte: "2024-01-01T00:00:00.000Z" } })}`));
    expect(ids(since.tickets as Json[])).toEqual([recent.id, newest.id]);
    const window = await json<ListBody>(
      await v2(
        sandbox,
        `tickets.json?filter=${filter({ $and: [{ updatedAt: { $gte: "2023-01-01T00:00:00Z" } }, { updatedAt: { $lte: "2024-03-01T00:00:00Z" } }] })}`,
      ),
    );
    expect(ids(window.tickets as Json[])).toEqual([old.id, recent.id]);
    const byStatus = await json<ListBody>(await v2(sandbox, `tickets.json?filter=${filter({ status: { $in: [3] }, inbox: { $eq: String(inboxId) } })}`));
    expect(ids(byStatus.tickets as Json[])).toEqual([recent.id]);

    const unsupported = await v2(sandbox, `tickets.json?filter=${filter({ $not: { id: 1 } })}`);
    expect(unsupported.status).toBe(400);
    expect((await json(unsupported)).errors?.[0]).toMatchObject({ source: "filter" });
    expect((await v2(sandbox, `tickets.json?filter=${filter({ updatedat: { $gte: "2024-01-01" } })}`)).status).toBe(400);
    expect((await v2(sandbox, "tickets.json?filter={not json")).status).toBe(400);
  });

  it("finds customers by email through contacts.value", async () => {
    const sandbox = await start();
    const { customerId } = arrangeDesk(sandbox.state);
    const found = await json<ListBody>(await v2(sandbox, `customers.json?filter=${filter({ "contacts.value": { $in: ["JOE@customer.example"] } })}`));
    expect(ids(found.customers as Json[])).toEqual([customerId]);
  });

  it("orders with orderBy/orderMode and refuses unknown ones", async () => {
    const sandbox = await start();
    const { inboxId, customerId } = arrangeDesk(sandbox.state);
    const a = sandbox.state.addTicket({ subject: "b", inboxId, customerId, updatedAt: "2024-02-01T00:00:00Z", createdAt: "2024-01-01T00:00:00Z" });
    const b = sandbox.state.addTicket({ subject: "a", inboxId, customerId, updatedAt: "2024-03-01T00:00:00Z", createdAt: "2024-01-01T00:00:00Z" });
    const c = sandbox.state.addTicket({ subject: "c", inboxId, customerId, updatedAt: "2024-01-15T00:00:00Z", createdAt: "2024-01-01T00:00:00Z" });
    const desc = await json<ListBody>(await v2(sandbox, "tickets.json?orderBy=updatedAt&orderMode=desc"));
    expect(ids(desc.tickets as Json[])).toEqual([b.id, a.id, c.id]);
    const bySubject = await json<ListBody>(await v2(sandbox, "tickets.json?orderBy=subject&orderMode=asc"));
    expect(ids(bySubject.tickets as Json[])).toEqual([b.id, a.id, c.id]);
    expect((await v2(sandbox, "tickets.json?orderBy=colour")).status).toBe(400);
    expect((await v2(sandbox, "tickets.json?orderMode=sideways")).status).toBe(400);
  });
});

describe("creating tickets and threads (teamwork-desk-api §5.1, teamwork-desk-api §5.2)", () => {
  it("accepts a flat and a wrapped body and answers 200 with the ticket", async () => {
    const sandbox = await start();
    const { inboxId, customerId } = arrangeDesk(sandbox.state);
    const flat = await v2(sandbox, "tickets.json", {
      method: "POST",
      body: { subject: "Flat", message: "<p>Hi</p>", inbox: { id: inboxId }, customer: { id: customerId }, notifyCustomer: false },
    });
    expect(flat.status).toBe(200);
    const flatTicket = (await json<{ ticket: Json; included: Json }>(flat)).ticket;
    expect(flatTicket).toMatchObject({
      subject: "Flat",
      inbox: { id: inboxId, type: "inboxes" },
      customer: { id: customerId, type: "customers" },
      agent: null,
      messageCount: 1,
    });

    const wrapped = await v2(sandbox, "tickets.json", {
      method: "POST",
      body: { ticket: { subject: "Wrapped", message: "Body", inbox: { id: inboxId }, customer: { email: "new.person@customer.example" } } },
    });
    expect(wrapped.status).toBe(200);
    const wrappedTicket = (await json<{ ticket: Json }>(wrapped)).ticket;
    expect(wrappedTicket.subject).toBe("Wrapped");
    expect(wrappedTicket.customer).not.toEqual({ id: customerId, type: "customers" });
    expect(sandbox.state.list("customers").map((customer) => customer.email)).toContain("new.person@customer.example");
    expect(sandbox.state.outbox).toEqual([]);
  });

  it("ignores a client createdAt on v2", async () => {
    const sandbox = await start();
    const { inboxId, customerId } = arrangeDesk(sandbox.state);
    const response = await v2(sandbox, "tickets.json", {
      method: "POST",
      body: { subject: "Old", message: "x", inbox: { id: inboxId }, customer: { id: customerId }, createdAt: "2015-11-20T14:03:18Z" },
    });
    const ticket = (await json<{ ticket: Json }>(response)).ticket;
    expect(ticket.createdAt).not.toBe("2015-11-20T14:03:18Z");
    expect(Date.parse(ticket.createdAt as string)).toBeGreaterThan(Date.parse("2020-01-01T00:00:00Z"));
    expect(ticket.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it("answers 400 'must be set' with the field as source, and writes nothing", async () => {
    const sandbox = await start();
    const { inboxId } = arrangeDesk(sandbox.state);
    const noCustomer = await v2(sandbox, "tickets.json", { method: "POST", body: { subject: "x", inbox: { id: inboxId } } });
    expect(noCustomer.status).toBe(400);
    expect((await json(noCustomer)).errors).toEqual([{ code: "validation", title: "Validation failed", detail: "must be set", source: "customer" }]);
    const noInbox = await v2(sandbox, "tickets.json", { method: "POST", body: { subject: "x", customer: { email: "a@b.example" } } });
    expect((await json(noInbox)).errors?.[0]).toMatchObject({ detail: "must be set", source: "inbox" });
    const unreadable = await fetch(`${sandbox.url}/desk/api/v2/tickets.json`, {
      method: "POST",
      headers: { authorization: bearer, "content-type": "application/json" },
      body: "{",
    });
    expect(unreadable.status).toBe(422);
    expect(sandbox.state.list("tickets")).toEqual([]);
  });

  it("refuses to assign an agent who has not accepted the invitation", async () => {
    const sandbox = await start();
    const { inboxId, customerId } = arrangeDesk(sandbox.state);
    const invited = sandbox.state.addAgent({ email: "later@acme.example", firstName: "Lee", lastName: "Later", state: "invited" });
    const response = await v2(sandbox, "tickets.json", {
      method: "POST",
      body: { ticket: { subject: "x", inbox: { id: inboxId }, customer: { id: customerId }, agent: { id: invited.id } } },
    });
    expect(response.status).toBe(400);
    expect((await json(response)).errors?.[0].source).toBe("agent");
  });

  it("adds notes silently and emails the customer on a reply", async () => {
    const sandbox = await start();
    const { inboxId, customerId } = arrangeDesk(sandbox.state);
    const ticket = sandbox.state.addTicket({ subject: "Help", inboxId, customerId, messages: [{ body: "<p>Help me</p>" }] });
    const note = await v2(sandbox, `tickets/${ticket.id}/messages.json`, {
      method: "POST",
      body: { threadType: "note", message: "<p>internal</p>", createdAt: "2015-01-01T00:00:00Z" },
    });
    expect(note.status).toBe(201);
    const noteBody = (await json<{ message: Json }>(note)).message;
    expect(noteBody).toMatchObject({
      threadType: "note",
      htmlBody: "<p>internal</p>",
      textBody: "internal",
      createdBy: { id: sandbox.state.keyOwnerId, type: "users" },
    });
    expect(noteBody.createdAt).not.toBe("2015-01-01T00:00:00Z");
    expect(sandbox.state.outbox).toEqual([]);
    await v2(sandbox, `tickets/${ticket.id}/messages.json`, { method: "POST", body: { threadType: "message", message: "<p>On it</p>", status: { id: 3 } } });
    expect(sandbox.state.outbox).toEqual([expect.objectContaining({ to: "joe@customer.example", ticketId: ticket.id, reason: "reply" })]);
    expect(sandbox.state.get("tickets", ticket.id as number)).toMatchObject({ status: { id: 3, type: "ticketstatuses" }, messageCount: 2 });
  });

  it("adds and removes tags and sets custom field values on update", async () => {
    const sandbox = await start();
    const { inboxId, customerId } = arrangeDesk(sandbox.state);
    const vip = sandbox.state.addTag({ name: "vip" });
    const billing = sandbox.state.addTag({ name: "billing" });
    const area = sandbox.state.addCustomField({ agentLabel: "Area", kind: "dropdown", options: ["Billing", "Shipping"] });
    const optionId = sandbox.state.list("customfieldoptions").find((option) => option.name === "Shipping")!.id as number;
    const ticket = sandbox.state.addTicket({ subject: "x", inboxId, customerId, tagIds: [vip.id as number] });
    const patched = await v2(sandbox, `tickets/${ticket.id}.json`, {
      method: "PATCH",
      body: { ticket: { tags: [{ id: billing.id }, { id: vip.id, meta: { delete: true } }], customfields: [{ id: area.id, meta: { value: optionId } }] } },
    });
    expect(patched.status).toBe(200);
    expect((await json<{ ticket: Json }>(patched)).ticket).toMatchObject({
      tags: [{ id: billing.id, type: "tags" }],
      customfields: [{ id: area.id, type: "customfields", meta: { value: optionId } }],
    });
    const badOption = await v2(sandbox, `tickets/${ticket.id}.json`, {
      method: "PUT",
      body: { ticket: { customfields: [{ id: area.id, meta: { value: 999_999 } }] } },
    });
    expect(badOption.status).toBe(400);
    expect((await v2(sandbox, `tickets/${ticket.id}.json`, { method: "PATCH", body: { subject: "flat update" } })).status).toBe(400);
  });
});

describe("other endpoints", () => {
  it("searches tickets with YYYY-MM-DD dates and up to 200 per page", async () => {
    const sandbox = await start({ seed: "sample" });
    const page = await json<ListBody>(await v2(sandbox, "search/tickets.json?pageSize=200&startDate=2020-01-01"));
    expect(page.meta.page.pageSize).toBe(200);
    expect(page.meta.page.count).toBeGreaterThan(0);
    expect((await json<ListBody>(await v2(sandbox, "search/tickets.json?pageSize=201"))).meta.page.pageSize).toBe(50);
    const rfc = await v2(sandbox, "search/tickets.json?startDate=2020-01-01T00:00:00Z");
    expect(rfc.status).toBe(400);
    expect((await json(rfc)).errors?.[0].source).toBe("startDate");
  });

  it("bulk-updates tickets by filter and returns sparse fieldsets", async () => {
    const sandbox = await start();
    const { inboxId, customerId } = arrangeDesk(sandbox.state);
    const tickets = [1, 2, 3].map((index) => sandbox.state.addTicket({ subject: `T${index}`, inboxId, customerId }));
    const bulk = await v2(sandbox, "tickets/update.json", {
      method: "PATCH",
      body: { filter_args: { filter: { id: { $in: [tickets[0].id, tickets[1].id] } } }, status: { id: 5 } },
    });
    expect(bulk.status).toBe(200);
    const sparse = await json<ListBody>(await v2(sandbox, "tickets.json?fields=status"));
    expect(sparse.tickets).toEqual([
      { id: tickets[0].id, status: { id: 5, type: "ticketstatuses" } },
      { id: tickets[1].id, status: { id: 5, type: "ticketstatuses" } },
      { id: tickets[2].id, status: { id: 1, type: "ticketstatuses" } },
    ]);
  });

  it("creates companies, tags, statuses, agents and webhook endpoints", async () => {
    const sandbox = await start();
    const { inboxId } = arrangeDesk(sandbox.state);
    const company = await v2(sandbox, "companies.json", { method: "POST", body: { company: { name: "Acme", domains: ["acme.example"] } } });
    expect(company.status).toBe(201);
    const companyBody = await json<{ company: Json; included: Record<string, Json[]> }>(
      await v2(sandbox, `companies/${(await json<{ company: Json }>(company)).company.id}.json?includes=domains`),
    );
    expect(companyBody.included.domains.map((domain) => domain.name)).toEqual(["acme.example"]);
    expect((await v2(sandbox, "tags.json", { method: "POST", body: { tag: { name: "vip", color: "#ff0000" } } })).status).toBe(201);
    expect((await v2(sandbox, "ticketstatuses.json", { method: "POST", body: { ticketstatus: { name: "Escalated" } } })).status).toBe(201);
    const agent = await v2(sandbox, "users.json", {
      method: "POST",
      body: { user: { email: "new@acme.example", firstName: "New", lastName: "Agent", isPartTime: true, inboxes: [{ id: inboxId }] } },
    });
    expect((await json<{ user: Json }>(agent)).user).toMatchObject({ state: "invited", isPartTime: true, inboxes: [{ id: inboxId, type: "inboxes" }] });
    expect((await v2(sandbox, "users.json", { method: "POST", body: { user: { email: "NEW@acme.example" } } })).status).toBe(409);
    const webhook = await v2(sandbox, "webhookendpoints.json", {
      method: "POST",
      body: {
        webhookendpoint: { url: "https://hooks.example/desk", token: "secret", allInboxes: false, allEvents: false },
        included: { webhookendpointevents: [{ code: "ticket.created" }], webhookendpointinboxes: [{ inbox: { id: inboxId } }] },
      },
    });
    expect(webhook.status).toBe(201);
    expect((await json<{ webhookendpoint: Json }>(webhook)).webhookendpoint).toMatchObject({
      webhookendpointevents: [{ code: "ticket.created" }],
      allInboxes: false,
    });
  });
});

describe("customers (teamwork-desk-api §5.4)", () => {
  it("creates a customer with included contacts and refuses a second one with the same email", async () => {
    const sandbox = await start();
    const body = { customer: { firstName: "Joe", lastName: "Soap" }, included: { contacts: [{ value: "joe@example.com", type: "email", isMain: true }] } };
    const created = await v2(sandbox, "customers.json", { method: "POST", body });
    expect(created.status).toBe(201);
    const customer = await json<{ customer: Json; included: Json }>(created);
    expect(customer.customer).toMatchObject({ firstName: "Joe", email: "joe@example.com" });
    const duplicate = await v2(sandbox, "customers.json", { method: "POST", body: { customer: { email: "JOE@example.com " } } });
    expect(duplicate.status).toBe(409);
    expect((await v2(sandbox, "customers.json", { method: "POST", body: { customer: { firstName: "No email" } } })).status).toBe(400);
  });
});

describe("v1 import (teamwork-desk-api §6)", () => {
  const batch = (inboxId: number) => ({
    source: "Zendesk import",
    fallbackInboxId: inboxId,
    tickets: [
      {
        id: 12345,
        subject: "Can't log in",
        customer: { email: "john@example.com", firstName: "John", lastName: "Doe", type: "customer" },
        assignedTo: { email: "ann.smith@acme.example", firstName: "Ann", lastName: "Smith", type: "user" },
        emailSource: "support@acme.example",
        type: "Question",
        priority: "Low",
        tags: ["billing", "vip"],
        createdAt: "2015-11-20T14:03:18Z",
        updatedAt: "2015-11-25T14:16:03Z",
        threads: [
          {
            type: "message",
            body: "<p>Hi, I am having issues…</p>",
            cc: null,
            bcc: null,
            createdBy: { email: "john@example.com", type: "customer" },
            createdAt: "2015-11-20T14:03:18Z",
            updatedAt: "2015-11-20T14:03:18Z",
          },
          { type: "note", body: "<p>Checked the logs</p>", createdBy: { email: "ann.smith@acme.example", type: "agent" }, createdAt: "2015-11-21T09:00:00Z" },
        ],
      },
      { id: 12346, subject: "Second", customer: { email: "mary@example.com" }, createdAt: "2016-01-02T03:04:05Z", threads: [] },
    ],
  });

  it("keeps createdAt on tickets and threads, closes them and never emails", async () => {
    const sandbox = await start();
    const { inboxId } = arrangeDesk(sandbox.state);
    const response = await v1(sandbox, "import/tickets.json", { method: "POST", body: batch(inboxId) });
    expect(response.status).toBe(200);
    const result = await json<{ imported: number; skipped: number; tickets: { importId: number; ticketId: number; status: string }[] }>(response);
    expect(result).toMatchObject({ imported: 2, skipped: 0 });
    const ticketId = result.tickets[0].ticketId;

    const read = await json<{ ticket: Json; included: Record<string, Json[]> }>(
      await v2(sandbox, `tickets/${ticketId}.json?includes=messages,users,ticketsources,tags`),
    );
    expect(read.ticket).toMatchObject({
      createdAt: "2015-11-20T14:03:18Z",
      updatedAt: "2015-11-25T14:16:03Z",
      status: { id: 6, type: "ticketstatuses" },
      priority: { type: "ticketpriorities" },
    });
    expect(read.included.messages.map((message) => [message.threadType, message.createdAt])).toEqual([
      ["message", "2015-11-20T14:03:18Z"],
      ["note", "2015-11-21T09:00:00Z"],
    ]);
    expect(read.included.ticketsources[0].name).toBe("Zendesk import");
    expect(read.included.tags.map((tag) => tag.name).sort()).toEqual(["billing", "vip"]);
    // A new agent is invited, not activated.
    expect(read.included.users).toContainEqual(expect.objectContaining({ email: "ann.smith@acme.example", state: "invited" }));
    expect(sandbox.state.outbox).toEqual([]);
    expect(sandbox.state.triggerRuns).toEqual([]);
  });

  it("does not duplicate anything when the same batch is sent again", async () => {
    const sandbox = await start();
    const { inboxId } = arrangeDesk(sandbox.state);
    const first = await json<{ tickets: { ticketId: number }[] }>(await v1(sandbox, "import/tickets.json", { method: "POST", body: batch(inboxId) }));
    const counts = () => ({
      tickets: sandbox.state.list("tickets").length,
      messages: sandbox.state.list("messages").length,
      customers: sandbox.state.list("customers").length,
      users: sandbox.state.list("users").length,
    });
    const before = counts();
    const again = await v1(sandbox, "import/tickets.json", { method: "POST", body: batch(inboxId) });
    expect(again.status).toBe(200);
    const second = await json<{ imported: number; skipped: number; tickets: { ticketId: number; status: string }[] }>(again);
    expect(second).toMatchObject({ imported: 0, skipped: 2 });
    expect(second.tickets.map((ticket) => ticket.ticketId)).toEqual(first.tickets.map((ticket) => ticket.ticketId));
    expect(counts()).toEqual(before);
  });

  it("validates the whole batch first and writes nothing on error", async () => {
    const sandbox = await start();
    const { inboxId } = arrangeDesk(sandbox.state);
    const bad = batch(inboxId);
    bad.tickets[1].subject = "";
    const response = await v1(sandbox, "import/tickets.json", { method: "POST", body: { ...bad, source: "" } });
    expect(response.status).toBe(400);
    expect((await json(response)).errors?.map((error) => error.source)).toEqual(["source", "tickets[1].subject"]);
    expect(sandbox.state.list("tickets")).toEqual([]);
  });
});

describe("triggers (teamwork-desk-api §5.11)", () => {
  it("lists triggers per inbox with their state, and deactivates and reactivates them", async () => {
    const sandbox = await start({ seed: "sample" });
    const [support] = sandbox.state.list("inboxes");
    const perInbox = await json<ListBody>(await v2(sandbox, `triggers.json?filter=${filter({ "inboxes.id": { $in: [support.id] } })}`));
    const triggers = perInbox.triggers as Json[];
    expect(triggers.length).toBeGreaterThan(0);
    expect(triggers.every((trigger) => (trigger.inboxes as Json[]).some((inbox) => inbox.id === support.id))).toBe(true);
    expect(new Set(triggers.map((trigger) => trigger.state))).toEqual(new Set(["active", "inactive"]));
    const inbox = await json<{ inbox: Json }>(await v2(sandbox, `inboxes/${support.id}.json`));
    expect(ids(inbox.inbox.triggers as Json[])).toEqual(ids(triggers));

    const active = triggers.find((trigger) => trigger.state === "active" && trigger.isSystem === false)!;
    const off = await v2(sandbox, `triggers/${active.id}.json`, { method: "PATCH", body: { trigger: { state: "inactive" } } });
    expect(off.status).toBe(200);
    expect((await json<{ trigger: Json }>(off)).trigger.state).toBe("inactive");
    const on = await v2(sandbox, `triggers/${active.id}.json`, { method: "PUT", body: { trigger: { state: "active" } } });
    expect((await json<{ trigger: Json }>(on)).trigger.state).toBe("active");
    expect((await v2(sandbox, `triggers/${active.id}.json`, { method: "PATCH", body: { trigger: { state: "sleeping" } } })).status).toBe(400);
  });

  it("lets a system trigger be disabled but not edited", async () => {
    const sandbox = await start({ seed: "sample" });
    const system = sandbox.state.list("triggers").find((trigger) => trigger.isSystem === true)!;
    expect((await v2(sandbox, `triggers/${system.id}.json`, { method: "PATCH", body: { trigger: { name: "Renamed" } } })).status).toBe(403);
    expect((await v2(sandbox, `triggers/${system.id}.json`, { method: "PATCH", body: { trigger: { state: "inactive" } } })).status).toBe(200);
    expect((await v2(sandbox, `triggers/${system.id}.json`, { method: "DELETE" })).status).toBe(403);
  });

  it("runs active triggers on v2 creates and stops once they are disabled in bulk", async () => {
    const sandbox = await start();
    const { inboxId, customerId } = arrangeDesk(sandbox.state);
    const vip = sandbox.state.addTag({ name: "vip" });
    const trigger = sandbox.state.addTrigger({ name: "Tag everything", inboxIds: [inboxId], actions: [{ type: 5, tags: [{ id: vip.id }] }] });
    const create = () => v2(sandbox, "tickets.json", { method: "POST", body: { subject: "x", inbox: { id: inboxId }, customer: { id: customerId } } });
    const tagged = (await json<{ ticket: Json }>(await create())).ticket;
    expect(tagged.tags).toEqual([{ id: vip.id, type: "tags" }]);
    expect(sandbox.state.triggerRuns).toHaveLength(1);

    const bulk = await v2(sandbox, "triggers/update.json", {
      method: "PATCH",
      body: { filter_args: { filter: { "inboxes.id": { $in: [inboxId] } } }, trigger: { state: "inactive" } },
    });
    expect(bulk.status).toBe(200);
    expect(sandbox.state.get("triggers", trigger.id as number)?.state).toBe("inactive");
    const plain = (await json<{ ticket: Json }>(await create())).ticket;
    expect(plain.tags).toEqual([]);
    expect(sandbox.state.triggerRuns).toHaveLength(1);
  });
});

describe("custom fields (teamwork-desk-api §5.8)", () => {
  it("lists every kind with options side-loaded", async () => {
    const sandbox = await start({ seed: "sample" });
    const fields = await json<ListBody>(await v2(sandbox, "customfields.json?includes=customfieldoptions"));
    expect(new Set((fields.customfields as Json[]).map((field) => field.kind))).toEqual(
      new Set(["text", "textarea", "number", "dropdown", "date", "checkboxes"]),
    );
    const dropdown = (fields.customfields as Json[]).find((field) => field.kind === "dropdown")!;
    const optionIds = ids(dropdown.options as Json[]);
    expect(ids(fields.included.customfieldoptions)).toEqual(expect.arrayContaining(optionIds));
  });

  it("creates a field through v1 with a flat body", async () => {
    const sandbox = await start();
    const { inboxId } = arrangeDesk(sandbox.state);
    const response = await v1(sandbox, "customfields.json", {
      method: "POST",
      body: {
        agentLabel: "Paint colour",
        kind: "dropdown",
        options: [
          { name: "Red", displayOrder: 0 },
          { name: "Blue", displayOrder: 1 },
        ],
        inboxes: [inboxId],
      },
    });
    expect(response.status).toBe(201);
    const field = (await json<{ customfield: Json }>(response)).customfield;
    expect(field).toMatchObject({ agentLabel: "Paint colour", kind: "dropdown", inboxes: [{ id: inboxId, type: "inboxes" }] });
    expect(field.options).toHaveLength(2);
  });
});

describe("rate limit (teamwork-desk-api §3)", () => {
  it("sends X-Rate-Limit-* on every response and 429 past the limit", async () => {
    const sandbox = await start({ rateLimit: 3 });
    const remaining: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await v2(sandbox, "me.json");
      expect(response.status).toBe(200);
      expect(response.headers.get("x-rate-limit-limit")).toBe("3");
      remaining.push(response.headers.get("x-rate-limit-remaining")!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const limited = await v2(sandbox, "tickets.json");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-rate-limit-remaining")).toBe("0");
    const reset = Number(limited.headers.get("x-rate-limit-reset"));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1_000));
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1_000) + 60);
    expect((await json(limited)).errors?.[0].code).toBe("too_many_requests");
  });

  it("is off with rateLimit 0", async () => {
    const sandbox = await start({ rateLimit: 0 });
    for (let index = 0; index < 130; index += 1) expect((await v2(sandbox, "me.json")).status).toBe(200);
    expect(sandbox.state.requestCount).toBe(130);
  });
});

describe("fault injection", () => {
  const HANG_TIMEOUT_MS = 300;

  async function outcome(sandbox: Sandbox): Promise<string> {
    try {
      return String((await v2(sandbox, "me.json", { signal: AbortSignal.timeout(HANG_TIMEOUT_MS) })).status);
    } catch {
      return "hang";
    }
  }

  it("is deterministic for a faultSeed and follows the shared injector", async () => {
    const decisions = createFaultInjector(0.5, 7);
    const expected = Array.from({ length: 12 }, () => {
      const decision = decisions();
      return decision === "none" ? "200" : decision === "server_error" ? "500" : "hang";
    });
    expect(new Set(expected)).toEqual(new Set(["200", "500", "hang"]));
    const sandbox = await start({ faults: 0.5, faultSeed: 7 });
    const seen: string[] = [];
    for (let index = 0; index < expected.length; index += 1) seen.push(await outcome(sandbox));
    expect(seen).toEqual(expected);
  });

  it("counts the faults it injects in its state, like the Twenty sandbox", async () => {
    const decisions = createFaultInjector(0.5, 7);
    const expected = Array.from({ length: 12 }, () => decisions());
    const sandbox = await start({ faults: 0.5, faultSeed: 7 });
    for (let index = 0; index < expected.length; index += 1) await outcome(sandbox);
    expect(sandbox.state.faultsInjected).toEqual({
      serverError: expected.filter((decision) => decision === "server_error").length,
      hang: expected.filter((decision) => decision === "hang").length,
    });
    expect(sandbox.state.requestCount).toBe(expected.length);
  });

  it("injects a 500 before the write by default, after it with faultsAfterWrite", async () => {
    // A seed whose first decision is a 500 (with share 1 every request faults).
    const seed = Array.from({ length: 50 }, (_, index) => index + 1).find((candidate) => createFaultInjector(1, candidate)() === "server_error")!;
    const attempt = async (faultsAfterWrite: boolean) => {
      const sandbox = await start({ faults: 1, faultSeed: seed, faultsAfterWrite });
      const { inboxId, customerId } = arrangeDesk(sandbox.state);
      const response = await v2(sandbox, "tickets.json", { method: "POST", body: { subject: "lost", inbox: { id: inboxId }, customer: { id: customerId } } });
      expect(response.status).toBe(500);
      expect((await json(response)).errors?.[0].code).toBe("internal_server_error");
      return sandbox.state.list("tickets").length;
    };
    expect(await attempt(false)).toBe(0);
    expect(await attempt(true)).toBe(1);
  });
});

describe("attachments (teamwork-desk-api §5.3)", () => {
  it("uploads in three steps through the fake S3 and attaches the file to a ticket", async () => {
    const sandbox = await start();
    const { inboxId, customerId } = arrangeDesk(sandbox.state);
    const ref = await v2(sandbox, "files/ref.json", {
      method: "POST",
      body: { type: "attachment", filename: "a.png", mimeType: "image/png", disposition: "attachment" },
    });
    expect(ref.status).toBe(200);
    const { url, params, file } = await json<{ url: string; params: Record<string, string>; file: Json }>(ref);
    expect(url).toBe(`${sandbox.url}/s3/tw-desk/`);
    expect(params).toMatchObject({ "Content-Type": "image/png", bucket: "tw-desk", success_action_status: "201", "x-amz-algorithm": "AWS4-HMAC-SHA256" });
    expect(file).toMatchObject({ filename: "a.png", mimeType: "image/png", disposition: "attachment" });

    const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const wrongOrder = new FormData();
    wrongOrder.append("file", new Blob([bytes], { type: "image/png" }), "a.png");
    for (const [name, value] of Object.entries(params)) wrongOrder.append(name, value);
    expect((await fetch(url, { method: "POST", body: wrongOrder })).status).toBe(400);

    const form = new FormData();
    for (const [name, value] of Object.entries(params)) form.append(name, value);
    form.append("file", new Blob([bytes], { type: "image/png" }), "a.png");
    const upload = await fetch(url, { method: "POST", body: form });
    expect(upload.status).toBe(201);
    expect(await upload.text()).toContain("<PostResponse>");

    const complete = await v2(sandbox, `files/${file.id}.json`, { method: "PATCH" });
    expect(complete.status).toBe(200);
    const created = await v2(sandbox, "tickets.json", {
      method: "POST",
      body: { subject: "With file", message: "see attached", inbox: { id: inboxId }, customer: { id: customerId }, files: [{ id: file.id }] },
    });
    const ticket = (await json<{ ticket: Json }>(created)).ticket;
    expect(ticket.files).toEqual([{ id: file.id, type: "files" }]);
    const download = await call(`${sandbox.url}/desk/api/v2/tickets/${ticket.id}/files/${file.id}/download`, bearer);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
  });

  it("takes a one-step v1 upload", async () => {
    const sandbox = await start();
    const form = new FormData();
    form.append("file", new Blob(["hello"], { type: "text/plain" }), "hello.txt");
    const response = await fetch(`${sandbox.url}/desk/v1/upload/attachment`, { method: "POST", headers: { authorization: basic }, body: form });
    expect(response.status).toBe(200);
    const { attachment } = await json<{ attachment: { id: number } }>(response);
    expect(new TextDecoder().decode(sandbox.state.fileContent(attachment.id)!)).toBe("hello");
  });
});

describe("command line", () => {
  it("prints its URL when ready and exits 0 on SIGTERM", async () => {
    // The local tsx binary rather than `npx tsx`: npx dies on SIGTERM without passing it on, which
    // leaves the sandbox running and hides its exit code (same choice as the Twenty sandbox test).
    const child = spawn(path.join("node_modules", ".bin", "tsx"), ["connectors/teamwork-desk/sandbox/cli.ts", "--port", "0", "--api-key", "k"], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    const url = await new Promise<string>((resolve, reject) => {
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`exited with ${code} before printing its URL: ${output}`)));
    });
    const me = await fetch(`${url}/desk/api/v2/me.json`, { headers: { authorization: "Bearer k" } });
    expect(me.status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
