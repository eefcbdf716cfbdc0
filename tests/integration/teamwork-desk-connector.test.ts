// The Teamwork Desk connector over real HTTP against the Teamwork Desk sandbox: reads with
// side-loads and cursors, writes through the v1 import with historic timestamps, idempotent
// re-sends, recovery from 429s and injected 5xx without losing or doubling a record, every
// prerequisite failure, trigger deactivation and exact restore, and key/site errors.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sampleRecords } from "@/connectors/sample";
import { listen, type RunningSandbox } from "@/connectors/shared/sandbox-kit";
import {
  createTeamworkDeskSession,
  importIdFor,
  teamworkDeskConnector,
  type TeamworkDeskSession,
  type TeamworkDeskSessionOptions,
} from "@/connectors/teamwork-desk";
import { startTeamworkDeskSandbox, type TeamworkDeskSandboxState } from "@/connectors/teamwork-desk/sandbox";
import type { CanonicalRecord, PlanForPrerequisites, PlannedUser, ReadOptions, WriteRequest } from "@/connectors/types";

const API_KEY = "tw_test_key_0123456789";
const FAST_RETRY = { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 120_000, rateLimitedBaseDelayMs: 1 };
const noSleep = async () => undefined;

type Sandbox = RunningSandbox & { state: TeamworkDeskSandboxState };
const running: { close(): Promise<void> }[] = [];

afterEach(async () => {
  vi.useRealTimers();
  while (running.length > 0) await running.pop()?.close();
});

async function sandbox(options: Partial<Parameters<typeof startTeamworkDeskSandbox>[0]> = {}): Promise<Sandbox> {
  const started = await startTeamworkDeskSandbox({ apiKey: API_KEY, rateLimit: 0, ...options });
  running.push(started);
  return started;
}

/** Where a scripted fault strikes: before the sandbox sees the request, or after it applied it (the answer is lost). */
type Fault = "before" | "after";

/**
 * A proxy in front of a sandbox that answers the chosen requests with a 5xx, deterministically:
 * `faultFor` sees each request's method and path (query left out) and names its fault, if any.
 */
async function faultyProxy(target: { url: string }, faultFor: (method: string, path: string) => Fault | null): Promise<{ url: string }> {
  const upstream = new URL(target.url);
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const fault = faultFor(request.method ?? "GET", new URL(request.url ?? "/", "http://proxy.local").pathname);
    const fail = (status: number) =>
      response
        .writeHead(status, { "content-type": "application/json" })
        .end(JSON.stringify({ errors: [{ code: "internal", title: "Injected fault", detail: "Injected fault" }] }));
    if (fault === "before") return fail(503);
    const forwarded = http.request(
      { hostname: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: { ...request.headers, host: upstream.host } },
      (answer) => {
        const body: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => body.push(chunk));
        answer.on("end", () => (fault === "after" ? fail(500) : response.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body))));
      },
    );
    forwarded.on("error", () => response.writeHead(502).end());
    forwarded.end(Buffer.concat(chunks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  running.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Faults for the `nth` (1-based) requests of one method and path, and for no other request. */
function faultsOn(method: string, path: string, plan: Record<number, Fault>): (method: string, path: string) => Fault | null {
  let seen = 0;
  return (requestMethod, requestPath) => {
    if (requestMethod !== method || requestPath !== `/desk/api/v2${path}`) return null;
    seen += 1;
    return plan[seen] ?? null;
  };
}

function connect(target: { url: string }, options: TeamworkDeskSessionOptions = {}, apiKey = API_KEY): TeamworkDeskSession {
  return createTeamworkDeskSession(
    { site: target.url, apiKey },
    { allowPrivateHosts: true, rateLimit: null, sleep: noSleep, retry: FAST_RETRY, random: () => 0, timeoutMs: 2_000, ...options },
  );
}

async function readAll(session: TeamworkDeskSession, objectType: string, options: ReadOptions = {}): Promise<{ records: CanonicalRecord[]; pages: number }> {
  const records: CanonicalRecord[] = [];
  let pages = 0;
  for await (const page of session.read(objectType, options)) {
    records.push(...page.records);
    pages += 1;
  }
  return { records, pages };
}

function idsOf(records: { id: string }[]): string[] {
  return records.map((record) => record.id);
}

/** A target site ready for writes: one inbox, two full-time agents, custom fields. */
async function targetSite(options: Partial<Parameters<typeof startTeamworkDeskSandbox>[0]> = {}) {
  const site = await sandbox({ seed: "empty", ...options });
  const inbox = site.state.addInbox({ name: "Support", email: "support@acme.example" });
  const billing = site.state.addInbox({ name: "Billing", email: "billing@acme.example" });
  site.state.addAgent({ email: "ann.smith@acme.example", firstName: "Ann", lastName: "Smith", inboxIds: [Number(inbox.id)] });
  site.state.addAgent({ email: "bo.li@acme.example", firstName: "Bo", lastName: "Li", inboxIds: [Number(inbox.id)] });
  const orderNumber = site.state.addCustomField({ agentLabel: "Order number", kind: "text" });
  const area = site.state.addCustomField({ agentLabel: "Product area", kind: "dropdown", options: ["Billing", "Shipping"] });
  const platforms = site.state.addCustomField({ agentLabel: "Platforms", kind: "checkboxes", options: ["Web", "iOS"] });
  return {
    site,
    inboxId: String(inbox.id),
    billingId: String(billing.id),
    fields: { orderNumber: String(orderNumber.id), area: String(area.id), platforms: String(platforms.id) },
  };
}

function company(sourceId: string, name: string, domain: string | null = null): WriteRequest {
  return { sourceId, record: { id: sourceId, objectType: "companies", createdAt: null, updatedAt: null, fields: { name, ...(domain ? { domain } : {}) } } };
}

function customer(sourceId: string, email: string, companyId: string | null = null): WriteRequest {
  return {
    sourceId,
    record: {
      id: sourceId,
      objectType: "customers",
      createdAt: null,
      updatedAt: null,
      fields: { name: { firstName: "Cust", lastName: sourceId }, email, ...(companyId ? { company: { objectType: "companies", id: companyId } } : {}) },
    },
  };
}

function message(id: string, createdAt: string, fields: CanonicalRecord["fields"], extra: Partial<CanonicalRecord> = {}): CanonicalRecord {
  return { id, objectType: "messages", createdAt, updatedAt: createdAt, fields, ...extra };
}

function ticket(
  sourceId: string,
  customerId: string,
  inboxId: string,
  createdAt: string,
  extra: CanonicalRecord["fields"] = {},
  messages?: CanonicalRecord[],
): WriteRequest {
  const threads = messages ?? [
    message(`${sourceId}-1`, createdAt, {
      body: `<p>Help with ${sourceId}</p>`,
      kind: "reply",
      authorType: "customer",
      author: { objectType: "customers", id: customerId },
    }),
    message(`${sourceId}-2`, new Date(Date.parse(createdAt) + 3_600_000).toISOString(), {
      body: `<p>On it (${sourceId})</p>`,
      kind: "reply",
      authorType: "agent",
      author: { id: "src-agent-1", email: "ann.smith@acme.example" },
    }),
    message(`${sourceId}-3`, new Date(Date.parse(createdAt) + 7_200_000).toISOString(), {
      body: `<p>Internal note ${sourceId}</p>`,
      kind: "note",
      authorType: "agent",
      author: { id: "src-agent-2", email: "BO.LI@acme.example" },
    }),
  ];
  return {
    sourceId,
    record: {
      id: sourceId,
      objectType: "tickets",
      createdAt,
      updatedAt: threads[threads.length - 1]?.createdAt ?? createdAt,
      fields: { subject: `Ticket ${sourceId}`, customer: { objectType: "customers", id: customerId }, inbox: { objectType: "inboxes", id: inboxId }, ...extra },
      children: { messages: threads },
    },
  };
}

function createdIds(results: Awaited<ReturnType<TeamworkDeskSession["write"]>>): string[] {
  return results.map((result) => {
    if (result.status === "failed") throw new Error(`${result.sourceId} failed: ${result.error.code} ${result.error.message}`);
    return result.targetId;
  });
}

// ---------------------------------------------------------------------------------------------
describe("connection and key", () => {
  it("verifies the account, the key's user and that it is an administrator", async () => {
    const site = await sandbox({ keyOwner: { email: "admin@acme.example", firstName: "Ada", lastName: "Admin", isAdmin: true } });
    await expect(connect(site).verify()).resolves.toMatchObject({
      userName: "Ada Admin",
      userEmail: "admin@acme.example",
      isAdministrator: true,
      permissionLevel: "administrator",
    });
  });

  it("reports a plain agent's key as not an administrator", async () => {
    const site = await sandbox({ keyOwner: { email: "agent@acme.example", firstName: "Al", lastName: "Agent", isAdmin: false } });
    await expect(connect(site).verify()).resolves.toMatchObject({ isAdministrator: false, permissionLevel: "agent" });
  });

  it("answers AUTH_INVALID for a wrong key, naming the site", async () => {
    const site = await sandbox();
    await expect(connect(site, {}, "wrong-key").verify()).rejects.toMatchObject({ code: "AUTH_INVALID", message: expect.stringContaining(site.url) });
  });

  it("answers NOT_FOUND naming the address when no Desk answers there", async () => {
    const other = await listen((_request, response) => {
      response.writeHead(404, { "content-type": "text/html" });
      response.end("<html>Not found</html>");
    }, 0);
    running.push(other);
    await expect(connect(other).verify()).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining(other.url) });
  });

  it("answers TEMPORARY naming the address when nothing listens there", async () => {
    const gone = await listen((_request, response) => response.end(), 0);
    await gone.close();
    await expect(connect(gone, { retry: { ...FAST_RETRY, maxAttempts: 2 } }).verify()).rejects.toMatchObject({
      code: "TEMPORARY",
      message: expect.stringContaining(gone.url),
    });
  });

  it("refuses a private address unless private hosts are allowed", async () => {
    const site = await sandbox();
    expect(() => teamworkDeskConnector.connect({ site: site.url, apiKey: API_KEY })).toThrow(/private or local network/);
    await expect(teamworkDeskConnector.connect({ site: site.url, apiKey: API_KEY }, { allowPrivateHosts: true }).verify()).resolves.toMatchObject({
      isAdministrator: true,
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe("describe", () => {
  it("lists object types with live custom fields, options and dependencies", async () => {
    const site = await sandbox({ seed: "sample" });
    const schema = await connect(site).describe();
    const types = new Map(schema.objectTypes.map((type) => [type.key, type]));
    expect([...types.keys()]).toEqual(
      expect.arrayContaining(["tickets", "customers", "companies", "agents", "inboxes", "tags", "statuses", "priorities", "ticketTypes", "customFields"]),
    );
    expect(types.get("tickets")?.dependsOn).toEqual(["customers", "inboxes"]);
    expect(types.get("customers")?.dependsOn).toEqual(["companies"]);
    const custom = Object.fromEntries(
      (types.get("tickets")?.fields ?? []).filter((field) => field.custom).map((field) => [field.label, [field.type, field.nativeType]]),
    );
    expect(custom).toMatchObject({
      "Order number": ["text", "text"],
      "Steps to reproduce": ["longtext", "textarea"],
      "Group size": ["number", "number"],
      "Purchase date": ["date", "date"],
      "Product area": ["select", "dropdown"],
      Platforms: ["multiselect", "checkboxes"],
    });
    const area = types.get("tickets")?.fields.find((field) => field.label === "Product area");
    expect(area).toMatchObject({ required: true, options: expect.arrayContaining([{ value: "Shipping", label: "Shipping" }]) });
    expect(types.get("customers")?.fields.find((field) => field.key === "email")).toMatchObject({ type: "email", unique: true, required: true });
  });
});

// ---------------------------------------------------------------------------------------------
describe("reading", () => {
  it("reads every ticket once with its threads, page by page, with side-loads instead of per-ticket calls", async () => {
    const site = await sandbox({ seed: "sample" });
    const session = connect(site);
    await session.describe();
    const before = site.state.requestCount;
    const { records, pages } = await readAll(session, "tickets", { pageSize: 7 });
    const expected = site.state.list("tickets").filter((row) => row.state === "active");
    expect(idsOf(records).sort()).toEqual(expected.map((row) => String(row.id)).sort());
    expect(new Set(idsOf(records)).size).toBe(records.length);
    expect(records.some((record) => site.state.get("tickets", Number(record.id))?.archivedAt)).toBe(true);
    // One request per page (two passes: open, then archived), none per ticket.
    expect(site.state.requestCount - before).toBeLessThanOrEqual(pages + 2);
    for (const record of records) {
      const threads = site.state.list("messages").filter((row) => (row.ticket as { id: number }).id === Number(record.id) && row.state !== "deleted");
      expect(idsOf(record.children?.messages ?? []).sort()).toEqual(threads.map((row) => String(row.id)).sort());
    }
    const withFile = records.flatMap((record) => record.children?.messages ?? []).find((child) => (child.attachments ?? []).length > 0);
    expect(withFile?.attachments?.[0]).toMatchObject({ url: expect.stringContaining("/desk/api/v2/tickets/"), sizeBytes: expect.any(Number) });
    expect(await session.count("tickets")).toBe(records.length);
  });

  it("resumes from a saved cursor without losing or repeating a ticket", async () => {
    const site = await sandbox({ seed: "sample" });
    const session = connect(site);
    const first: CanonicalRecord[] = [];
    let cursor: string | null = null;
    for await (const page of session.read("tickets", { pageSize: 9 })) {
      first.push(...page.records);
      cursor = page.nextCursor;
      if (first.length >= 27) break;
    }
    const rest = await readAll(connect(site), "tickets", { pageSize: 9, cursor });
    const all = [...idsOf(first), ...idsOf(rest.records)];
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe((await readAll(session, "tickets")).records.length);
  });

  it("reads only tickets updated since a date for delta runs, and caps demo reads", async () => {
    const site = await sandbox({ seed: "sample" });
    const session = connect(site);
    const all = (await readAll(session, "tickets")).records;
    const since = [...all].map((record) => record.updatedAt as string).sort()[Math.floor(all.length * 0.8)];
    const delta = (await readAll(session, "tickets", { since })).records;
    expect(delta.length).toBeGreaterThan(0);
    expect(delta.length).toBeLessThan(all.length);
    expect(delta.every((record) => (record.updatedAt as string) >= since)).toBe(true);
    expect(await session.count("tickets", { since })).toBe(delta.length);
    expect((await readAll(session, "tickets", { sample: 5, pageSize: 2 })).records).toHaveLength(5);
  });

  it("reads customers, companies, agents and reference data", async () => {
    const site = await sandbox({ seed: "sample" });
    const session = connect(site);
    const customers = (await readAll(session, "customers", { pageSize: 10 })).records;
    expect(customers.length).toBe(site.state.list("customers").length);
    expect(customers.every((record) => typeof record.fields.email === "string" || record.fields.email === null)).toBe(true);
    const companies = (await readAll(session, "companies")).records;
    expect(companies.some((record) => typeof record.fields.domain === "string")).toBe(true);
    const agents = (await readAll(session, "agents")).records;
    expect(agents.map((record) => record.fields.state)).toEqual(expect.arrayContaining(["active", "invited", "deleted"]));
    expect(agents.some((record) => record.fields.partTime === true)).toBe(true);
    for (const type of ["inboxes", "tags", "statuses", "priorities", "ticketTypes", "customFields"]) {
      const { records } = await readAll(session, type);
      expect(records.length, type).toBeGreaterThan(0);
      expect(await session.count(type)).toBe(records.length);
    }
    const users = await session.listUsers();
    expect(users.find((user) => user.email === "new.hire@lumen-outfitters.example")).toMatchObject({ state: "invited" });
  });
});

// ---------------------------------------------------------------------------------------------
describe("writing", () => {
  it("imports tickets with historic timestamps and reads them back identical, without emailing anyone", async () => {
    const { site, inboxId, billingId, fields } = await targetSite();
    site.state.addTrigger({ name: "Would tag everything", inboxIds: [Number(inboxId)], actions: [{ type: 5, tags: [] }] });
    const session = connect(site, { importSource: "Zendesk import (test)" });
    const [companyId] = createdIds(await session.write("companies", [company("c1", "Acme", "https://www.acme.example/")]));
    const [customerId, otherId] = createdIds(
      await session.write("customers", [customer("p1", "john@example.com", companyId), customer("p2", "jane@example.com")]),
    );
    const requests = [
      ticket("t1", customerId, inboxId, "2015-11-20T14:03:18Z", {
        status: "Waiting on customer",
        priority: "high",
        assignee: { id: "src-agent-1", email: "ann.smith@acme.example" },
        tags: ["billing", "vip"],
        [`customfields.${fields.orderNumber}`]: "ORD-1",
        "Product area": "shipping",
        [`customfields.${fields.platforms}`]: ["Web", "iOS"],
      }),
      ticket("t2", otherId, billingId, "2016-02-29T08:00:00Z"),
      ticket("t3", customerId, inboxId, "2017-06-01T12:30:45Z", { status: "Closed" }),
    ];
    const results = await session.write("tickets", requests);
    const ids = createdIds(results);
    expect(new Set(ids).size).toBe(3);

    const read = new Map((await readAll(connect(site), "tickets")).records.map((record) => [record.id, record]));
    for (const [index, request] of requests.entries()) {
      const back = read.get(ids[index]);
      expect(back, request.sourceId).toBeDefined();
      expect(back?.createdAt).toBe(new Date(request.record.createdAt as string).toISOString());
      expect(back?.fields.subject).toBe(request.record.fields.subject);
      const sent = request.record.children?.messages ?? [];
      const got = back?.children?.messages ?? [];
      expect(got.map((child) => child.createdAt)).toEqual(sent.map((child) => new Date(child.createdAt as string).toISOString()));
      expect(got.map((child) => [child.fields.body, child.fields.kind, child.fields.authorType])).toEqual(
        sent.map((child) => [child.fields.body, child.fields.kind, child.fields.authorType]),
      );
    }
    const first = read.get(ids[0]);
    expect(first?.fields).toMatchObject({
      status: "Waiting on customer",
      priority: "high",
      inbox: { id: inboxId },
      customer: { id: customerId },
      company: { id: companyId },
      assignee: { email: "ann.smith@acme.example" },
      tags: ["billing", "vip"],
      [`customfields.${fields.orderNumber}`]: "ORD-1",
      [`customfields.${fields.area}`]: "Shipping",
      [`customfields.${fields.platforms}`]: ["Web", "iOS"],
    });
    expect(first?.children?.messages[2].fields.author).toMatchObject({ email: "bo.li@acme.example" });
    expect(read.get(ids[1])?.fields).toMatchObject({ status: "Closed", inbox: { id: billingId } });
    expect(site.state.outbox).toEqual([]);
    expect(site.state.triggerRuns).toEqual([]);
    expect(site.state.list("users").filter((user) => user.state === "invited")).toEqual([]);
  });

  it("re-sends the same import without creating duplicates", async () => {
    const { site, inboxId } = await targetSite();
    const session = connect(site);
    const [customerId] = createdIds(await session.write("customers", [customer("p1", "john@example.com")]));
    const requests = [ticket("t1", customerId, inboxId, "2015-01-01T00:00:00Z"), ticket("t2", customerId, inboxId, "2015-01-02T00:00:00Z")];
    const first = createdIds(await session.write("tickets", requests));
    const again = createdIds(await connect(site).write("tickets", requests));
    expect(again).toEqual(first);
    expect(site.state.list("tickets")).toHaveLength(2);
    expect(site.state.list("messages")).toHaveLength(6);
    const found = await session.findExisting("tickets", [
      { sourceId: "t1", keys: { createdAt: "2015-01-01T00:00:00.000Z", subject: "Ticket t1", customerEmail: "JOHN@example.com" } },
      { sourceId: "t2", keys: { createdAt: "2015-01-02T00:00:00Z", subject: "Ticket t2" } },
      { sourceId: "t9", keys: { createdAt: "2015-01-03T00:00:00Z", subject: "Ticket t9" } },
    ]);
    expect(found).toEqual([
      { sourceId: "t1", targetId: first[0] },
      { sourceId: "t2", targetId: first[1] },
    ]);
    expect(importIdFor("t1")).not.toBe(importIdFor("t2"));
  });

  it("imports a ticket again after its import was deleted (a rolled back demo), and a re-send still finds that one", async () => {
    const { site, inboxId } = await targetSite();
    const session = connect(site);
    const [customerId] = createdIds(await session.write("customers", [customer("p1", "john@example.com")]));
    const requests = [ticket("t1", customerId, inboxId, "2015-01-01T00:00:00Z", { status: "Solved" })];
    const [demoId] = createdIds(await session.write("tickets", requests));
    expect(await session.remove("tickets", [demoId])).toEqual([{ id: demoId, status: "removed" }]);

    const full = await connect(site).write("tickets", requests);
    expect(full).toEqual([{ sourceId: "t1", status: "created", targetId: expect.any(String) }]);
    const [fullId] = createdIds(full);
    expect(fullId).not.toBe(demoId);
    const live = () => site.state.list("tickets").filter((row) => row.state !== "deleted");
    expect(live().map((row) => String(row.id))).toEqual([fullId]);
    expect(site.state.list("messages").filter((row) => String((row.ticket as { id: unknown } | undefined)?.id) === fullId)).toHaveLength(3);
    // After a crash the same write is sent again: it walks past the deleted import to the one that exists.
    expect(createdIds(await connect(site).write("tickets", requests))).toEqual([fullId]);
    expect(live()).toHaveLength(1);
  });

  it("uploads attachments Teamwork cannot fetch itself and passes public ones to the importer", async () => {
    const { site, inboxId } = await targetSite();
    const session = connect(site);
    const [customerId] = createdIds(await session.write("customers", [customer("p1", "john@example.com")]));
    const sampleTicket = [...sampleRecords("tickets", { scale: 1, end: 200 })].find((record) =>
      (record.children?.messages ?? []).some((child) => (child.attachments ?? []).length > 0),
    );
    const attachment = sampleTicket?.children?.messages.flatMap((child) => child.attachments ?? [])[0];
    expect(attachment).toBeDefined();
    const request = ticket("t1", customerId, inboxId, "2019-05-05T05:05:05Z", {}, [
      message(
        "m1",
        "2019-05-05T05:05:05Z",
        { body: "<p>See attached</p>", kind: "reply", authorType: "customer", author: { objectType: "customers", id: customerId } },
        {
          attachments: [
            attachment!,
            { id: "pub", fileName: "manual.pdf", contentType: "application/pdf", sizeBytes: 10, url: "https://files.example.org/manual.pdf" },
          ],
        },
      ),
    ]);
    const [ticketId] = createdIds(await session.write("tickets", [request]));
    const back = (await readAll(session, "tickets")).records.find((record) => record.id === ticketId);
    const children = back?.children?.messages ?? [];
    expect(children[0].attachments?.map((file) => file.fileName)).toEqual(["manual.pdf"]);
    const note = children.find((child) => String(child.fields.body).includes("added by Ferry"));
    expect(note?.fields.kind).toBe("note");
    expect(note?.attachments?.map((file) => file.fileName)).toEqual([attachment!.fileName]);
    expect(site.state.fileContent(Number(note?.attachments?.[0].id))?.length).toBe(attachment!.sizeBytes);
    // Sending it again neither duplicates the ticket nor the note.
    expect(createdIds(await connect(site).write("tickets", [request]))).toEqual([ticketId]);
    const again = (await readAll(session, "tickets")).records.find((record) => record.id === ticketId);
    expect(again?.children?.messages).toHaveLength(children.length);
  });

  it("reports a bad record as data and writes the rest", async () => {
    const { site, inboxId } = await targetSite();
    const session = connect(site);
    const customers = await session.write("customers", [customer("p1", "john@example.com"), customer("p2", "n/a"), customer("p3", "JOHN@example.com ")]);
    expect(customers.map((result) => result.status)).toEqual(["created", "failed", "failed"]);
    expect(customers[1]).toMatchObject({ error: { code: "VALIDATION", field: "email" } });
    expect(customers[2]).toMatchObject({ error: { code: "CONFLICT" } });
    const customerId = (customers[0] as { targetId: string }).targetId;
    const tickets = await session.write("tickets", [
      ticket("t1", customerId, inboxId, "2015-01-01T00:00:00Z", { status: "Nonexistent" }),
      ticket("t2", customerId, inboxId, "2015-01-02T00:00:00Z", { assignee: { id: "x", email: "ghost@acme.example" } }),
      ticket("t3", customerId, inboxId, "2015-01-03T00:00:00Z"),
    ]);
    expect(tickets.map((result) => result.status)).toEqual(["failed", "failed", "created"]);
    expect(tickets[0]).toMatchObject({ error: { code: "VALIDATION", field: "status" } });
    expect(tickets[1]).toMatchObject({ error: { code: "VALIDATION", message: expect.stringContaining("ghost@acme.example") } });
    expect(site.state.list("users").some((user) => user.email === "ghost@acme.example")).toBe(false);
  });

  it("updates existing records and appends new threads as private notes", async () => {
    const { site, inboxId } = await targetSite();
    const session = connect(site);
    const [companyId] = createdIds(await session.write("companies", [company("c1", "Acme", "acme.example")]));
    const [customerId] = createdIds(await session.write("customers", [customer("p1", "john@example.com")]));
    const request = ticket("t1", customerId, inboxId, "2015-01-01T00:00:00Z");
    const [ticketId] = createdIds(await session.write("tickets", [request]));
    const later = message("t1-4", "2015-01-05T00:00:00Z", {
      body: "<p>Any news?</p>",
      kind: "reply",
      authorType: "customer",
      author: { objectType: "customers", id: customerId },
    });
    const update = {
      ...request,
      targetId: ticketId,
      record: {
        ...request.record,
        fields: { ...request.record.fields, status: "Solved", subject: "Renamed" },
        children: { messages: [...(request.record.children?.messages ?? []), later] },
      },
    };
    expect(await session.write("tickets", [update], "update")).toEqual([{ sourceId: "t1", status: "updated", targetId: ticketId }]);
    expect(await session.write("tickets", [update], "update")).toEqual([{ sourceId: "t1", status: "updated", targetId: ticketId }]);
    const back = (await readAll(session, "tickets")).records.find((record) => record.id === ticketId);
    expect(back?.fields).toMatchObject({ subject: "Renamed", status: "Solved" });
    expect(back?.createdAt).toBe("2015-01-01T00:00:00.000Z");
    expect(back?.children?.messages).toHaveLength(4);
    expect(back?.children?.messages[3].fields).toMatchObject({ kind: "note", body: expect.stringContaining("Any news?") });
    expect(site.state.outbox).toEqual([]);

    expect(await session.write("companies", [{ ...company("c1", "Acme Ltd", "acme.example"), targetId: companyId }], "update")).toEqual([
      { sourceId: "c1", status: "updated", targetId: companyId },
    ]);
    expect(await session.write("companies", [company("c1", "Acme Ltd", "https://acme.example")], "upsert")).toEqual([
      { sourceId: "c1", status: "updated", targetId: companyId },
    ]);
    expect(await session.write("customers", [customer("p1", "John@Example.com")], "upsert")).toEqual([
      { sourceId: "p1", status: "updated", targetId: customerId },
    ]);
    expect(site.state.list("companies")).toHaveLength(1);
    expect(site.state.get("companies", Number(companyId))?.name).toBe("Acme Ltd");
  });

  it("finds existing customers and companies by natural keys and removes records", async () => {
    const { site } = await targetSite();
    const session = connect(site);
    const [companyId] = createdIds(await session.write("companies", [company("c1", "Kestrel Ltd", "kestrel.example")]));
    const [customerId] = createdIds(await session.write("customers", [customer("p1", "john@example.com", companyId)]));
    expect(
      await session.findExisting("customers", [
        { sourceId: "p1", keys: { email: " JOHN@example.com" } },
        { sourceId: "p2", keys: { email: "nobody@example.com" } },
      ]),
    ).toEqual([{ sourceId: "p1", targetId: customerId }]);
    expect(
      await session.findExisting("companies", [
        { sourceId: "a", keys: { domain: "https://www.KESTREL.example/about" } },
        { sourceId: "b", keys: { name: "  kestrel ltd" } },
        { sourceId: "c", keys: { name: "Other" } },
        { sourceId: "d", keys: { id: companyId } },
      ]),
    ).toEqual([
      { sourceId: "d", targetId: companyId },
      { sourceId: "a", targetId: companyId },
      { sourceId: "b", targetId: companyId },
    ]);
    expect(await session.remove("customers", [customerId, "999999"])).toEqual([
      { id: customerId, status: "removed" },
      { id: "999999", status: "not_found" },
    ]);
    expect(await session.remove("companies", [companyId])).toEqual([{ id: companyId, status: "removed" }]);
    expect(await session.remove("companies", [companyId])).toEqual([{ id: companyId, status: "not_found" }]);
  });
});

// ---------------------------------------------------------------------------------------------
describe("resilience", () => {
  it("recovers from 429s (small rate limit) without losing or doubling a record", async () => {
    // One clock for the sandbox's rate window and the clients: it moves only when a client sleeps.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-11-01T12:00:00Z") });
    const { site, inboxId } = await targetSite({ rateLimit: 5 });
    // Someone else spent this minute's budget: the first calls meet 429s.
    for (let call = 0; call < 5; call += 1) await fetch(`${site.url}/desk/api/v2/inboxes.json`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    const slept: number[] = [];
    const reasons: string[] = [];
    const options: TeamworkDeskSessionOptions = {
      sleep: async (ms) => {
        slept.push(ms);
        vi.setSystemTime(Date.now() + ms);
      },
      onRetry: (info) => reasons.push(info.reason),
    };
    // Two sessions on the same key, unaware of each other, so 429s keep coming.
    const [first, second] = [connect(site, options), connect(site, options)];
    const customers = Array.from({ length: 8 }, (_, index) => customer(`p${index}`, `person${index}@example.com`));
    const [idsA, idsB] = await Promise.all([first.write("customers", customers.slice(0, 4)), second.write("customers", customers.slice(4))]);
    const customerIds = createdIds([...idsA, ...idsB]);
    const tickets = customerIds.map((id, index) => ticket(`t${index}`, id, inboxId, `2015-01-0${index + 1}T00:00:00Z`));
    await Promise.all([first.write("tickets", tickets.slice(0, 4)).then(createdIds), second.write("tickets", tickets.slice(4)).then(createdIds)]);
    const [readA, readB] = await Promise.all([readAll(first, "tickets", { pageSize: 3 }), readAll(second, "customers", { pageSize: 3 })]);

    expect(reasons).toContain("HTTP 429");
    expect(slept.some((ms) => ms >= 1_000)).toBe(true);
    expect(site.state.list("customers")).toHaveLength(8);
    expect(site.state.list("tickets")).toHaveLength(8);
    expect(readA.records).toHaveLength(8);
    expect(readB.records).toHaveLength(8);
  });

  it("recovers from injected 5xx answered after the write and from hung requests", async () => {
    const { site, inboxId } = await targetSite({ faults: 0.2, faultSeed: 7, faultsAfterWrite: true });
    const retries: string[] = [];
    const session = connect(site, { timeoutMs: 250, onRetry: (info) => retries.push(info.reason) });
    const companies = Array.from({ length: 10 }, (_, index) => company(`c${index}`, `Company ${index}`, `company${index}.example`));
    const companyIds = createdIds(await session.write("companies", companies));
    const customers = Array.from({ length: 12 }, (_, index) => customer(`p${index}`, `person${index}@example.com`, companyIds[index % companyIds.length]));
    const customerIds = createdIds(await session.write("customers", customers));
    const tickets = Array.from({ length: 12 }, (_, index) =>
      ticket(`t${index}`, customerIds[index], inboxId, `2016-03-${String(index + 1).padStart(2, "0")}T10:00:00Z`),
    );
    const ticketIds = createdIds(await session.write("tickets", tickets));

    expect(new Set(companyIds).size).toBe(10);
    expect(site.state.list("companies").filter((row) => row.state !== "deleted")).toHaveLength(10);
    expect(site.state.list("customers").filter((row) => row.state !== "deleted")).toHaveLength(12);
    expect(site.state.list("tickets")).toHaveLength(12);
    expect(site.state.list("messages")).toHaveLength(36);
    expect(new Set(ticketIds).size).toBe(12);
    expect(retries.length).toBeGreaterThan(0);
    const read = (await readAll(session, "tickets", { pageSize: 5 })).records;
    expect(idsOf(read).sort()).toEqual([...ticketIds].sort());
  });

  // Company names are not unique (the Sample has two "Willow Outdoor Co"): after a lost answer to
  // a create, only a company that was not there before the request can be the one it created.
  it("creates a same-name company whose create failed before the write, instead of claiming another record's", async () => {
    const { site } = await targetSite();
    const session = connect(await faultyProxy(site, faultsOn("POST", "/companies.json", { 2: "before" })));
    const [first] = createdIds(await session.write("companies", [company("c1", "Willow Outdoor Co", "willow-outdoorco.example")]));
    const [second] = createdIds(await session.write("companies", [company("c2", "Willow Outdoor Co")]));

    expect(second).not.toBe(first);
    expect(
      site.state
        .list("companies")
        .map((row) => String(row.id))
        .sort(),
    ).toEqual([first, second].sort());
  });

  it("returns the company a create wrote before its answer was lost, not an older one of the same name", async () => {
    const { site } = await targetSite();
    site.state.addCompany({ name: "Willow Outdoor Co", domains: ["willow.example"] });
    const session = connect(await faultyProxy(site, faultsOn("POST", "/companies.json", { 2: "after", 3: "after" })));
    // One call: c2's and c3's creates land, but Ferry only sees a 500 for each.
    const ids = createdIds(
      await session.write("companies", [
        company("c1", "Willow Outdoor Co"),
        company("c2", "willow outdoor co"),
        company("c3", "Willow Outdoor Co", "https://willow.example/"),
      ]),
    );

    const rows = site.state.list("companies");
    expect(rows).toHaveLength(4);
    expect(new Set(ids).size).toBe(3);
    expect(ids).toEqual(rows.slice(1).map((row) => String(row.id)));
  });

  it("upserts same-name companies onto the newest of their name, one each, never onto a company created in the same call", async () => {
    const { site } = await targetSite();
    const session = connect(site);
    const created = await session.write("companies", [company("k1", "Kite Works"), company("k2", "Kite Works")], "upsert");
    expect(created.map((result) => result.status)).toEqual(["created", "created"]);
    expect(new Set(createdIds(created)).size).toBe(2);

    const older = site.state.addCompany({ name: "Heron Supply" });
    const newer = site.state.addCompany({ name: "Heron Supply" });
    expect(await session.write("companies", [company("h1", "Heron Supply")], "upsert")).toEqual([
      { sourceId: "h1", status: "updated", targetId: String(newer.id) },
    ]);
    expect(site.state.get("companies", Number(older.id))?.updatedAt).toBe(older.updatedAt);
    expect(site.state.list("companies")).toHaveLength(4);
  });

  it("reports a duplicate email as a conflict when the customer create failed before the write, and finds a landed one", async () => {
    const { site } = await targetSite();
    const session = connect(await faultyProxy(site, faultsOn("POST", "/customers.json", { 2: "before" })));
    const [first] = createdIds(await session.write("customers", [customer("p1", "sam@example.com")]));
    const [duplicate] = await session.write("customers", [customer("p2", "SAM@example.com")]);
    const [landed] = createdIds(
      await connect(await faultyProxy(site, faultsOn("POST", "/customers.json", { 1: "after" }))).write("customers", [customer("p3", "lee@example.com")]),
    );

    expect(duplicate).toMatchObject({ sourceId: "p2", status: "failed", error: { code: "CONFLICT" } });
    expect(site.state.list("customers").map((row) => String(row.id))).toEqual([first, landed]);
  });
});

// ---------------------------------------------------------------------------------------------
describe("prerequisites", () => {
  const plan = (overrides: Partial<PlanForPrerequisites> = {}): PlanForPrerequisites => ({
    objectTypes: ["companies", "customers", "tickets"],
    users: [],
    fallbackUserId: null,
    customFields: [],
    ...overrides,
  });
  const checkOf = (report: Awaited<ReturnType<TeamworkDeskSession["prerequisites"]>>, id: string) => report.checks.find((check) => check.id === id);
  const agentId = (site: Awaited<ReturnType<typeof sandbox>>, email: string) => String(site.state.list("users").find((user) => user.email === email)?.id);
  const sourceUser = (name: string, targetUserId: string | null): PlannedUser => ({
    sourceUserId: `src-${name}`,
    sourceEmail: `${name.toLowerCase()}@old-desk.example`,
    sourceLabel: name,
    targetUserId,
  });

  it("passes on a prepared site and always asks to confirm that email notifications are off", async () => {
    const { site } = await targetSite();
    const report = await connect(site).prerequisites(
      plan({
        users: [sourceUser("Ann", agentId(site, "ann.smith@acme.example"))],
        customFields: [{ objectType: "tickets", key: "orderNumber", label: "Order number", type: "text" }],
      }),
    );
    expect(report.checks.map((check) => [check.id, check.status])).toEqual([
      ["api-key", "pass"],
      ["inbox", "pass"],
      ["agents", "pass"],
      ["custom-fields", "pass"],
      ["triggers", "pass"],
    ]);
    expect(report.confirmations).toEqual([
      expect.objectContaining({ id: "email-notifications-off", steps: expect.arrayContaining([expect.stringContaining("Notifications")]) }),
    ]);
  });

  it("fails a key that does not belong to an administrator", async () => {
    const site = await sandbox({ keyOwner: { email: "agent@acme.example", firstName: "Al", lastName: "Agent", isAdmin: false } });
    site.state.addInbox({ name: "Support", memberIds: [site.state.keyOwnerId] });
    const check = checkOf(await connect(site).prerequisites(plan()), "api-key");
    expect(check).toMatchObject({ status: "fail", blocking: true, evidence: [expect.stringContaining("administrator")] });
  });

  it("stops at the key check when the key is rejected", async () => {
    const { site } = await targetSite();
    const report = await connect(site, {}, "revoked-key").prerequisites(plan());
    expect(report.checks).toEqual([expect.objectContaining({ id: "api-key", status: "fail", evidence: [expect.stringContaining("rejected the API key")] })]);
    expect(report.confirmations).toHaveLength(1);
  });

  it("fails with the steps to create one when the site has no inbox", async () => {
    const site = await sandbox({ seed: "empty" });
    const check = checkOf(await connect(site).prerequisites(plan()), "inbox");
    expect(check).toMatchObject({ status: "fail", blocking: true });
    expect(check?.evidence.join("\n")).toMatch(/Settings[\s\S]*Inboxes[\s\S]*Add inbox/);
  });

  it("passes source users with other emails once each is mapped to an agent or covered by the fallback user", async () => {
    // The demo's case: the source's agents are not agents here; all of them go to the site owner.
    const { site } = await targetSite();
    const owner = String(site.state.keyOwnerId);
    const mapped = checkOf(await connect(site).prerequisites(plan({ users: [sourceUser("Rita", owner), sourceUser("Sven", owner)] })), "agents");
    expect(mapped).toMatchObject({
      status: "pass",
      evidence: [expect.stringMatching(/^The records of all 2 users go to 1 target user\. .*mapped from Rita, Sven/)],
    });
    const byFallback = { users: [sourceUser("Rita", agentId(site, "bo.li@acme.example")), sourceUser("Left", null)], fallbackUserId: owner };
    const covered = checkOf(await connect(site).prerequisites(plan(byFallback)), "agents");
    expect(covered?.status).toBe("pass");
    expect(covered?.evidence.join("\n")).toContain("fallback user for Left");
    expect(covered?.evidence.join("\n")).not.toContain("Not agents of this site");
  });

  it("fails source users nobody receives, and receiving agents who are gone, invited, archived or part-time, saying what to do", async () => {
    const { site } = await targetSite();
    const invited = site.state.addAgent({ email: "invited@acme.example", firstName: "In", lastName: "Vited", state: "invited" });
    const partTime = site.state.addAgent({ email: "part@acme.example", firstName: "Part", lastName: "Time", isPartTime: true });
    const archived = site.state.addAgent({ email: "gone@acme.example", firstName: "Gone", lastName: "Away", state: "deleted" });
    const accepted = site.state.addAgent({ email: "accepted@acme.example", firstName: "Ac", lastName: "Cepted", state: "invited" });
    site.state.updateAgent(Number(accepted.id), { state: "active" });
    const users = [
      sourceUser("Ann", agentId(site, "ann.smith@acme.example")),
      sourceUser("Nobody", null),
      sourceUser("Ina", String(invited.id)),
      sourceUser("Pat", String(partTime.id)),
      sourceUser("Gus", String(archived.id)),
      sourceUser("Ace", String(accepted.id)),
      sourceUser("Vic", "999999"),
    ];
    const check = checkOf(await connect(site).prerequisites(plan({ users })), "agents");
    expect(check?.status).toBe("fail");
    expect(check?.evidence).toEqual([
      expect.stringMatching(/^In Vited \(invited@acme\.example\) \(mapped from Ina\) has not accepted the invitation yet/),
      expect.stringMatching(/^Part Time \(part@acme\.example\) \(mapped from Pat\) is a part-time agent/),
      expect.stringMatching(/^Gone Away \(gone@acme\.example\) \(mapped from Gus\) is archived/),
      expect.stringMatching(/^agent 999999 \(mapped from Vic\) is not an agent of this site any more\. Choose another agent in step 6/),
      expect.stringMatching(/^No user receives the records of Nobody: in step 6 \(Mapping\), choose a target user for each or set a fallback user/),
    ]);
  });

  it("fails missing and wrong-type custom fields and warns about compatible ones", async () => {
    const { site, fields } = await targetSite();
    site.state.addCustomField({ agentLabel: "Notes", kind: "text" });
    const check = checkOf(
      await connect(site).prerequisites(
        plan({
          customFields: [
            { objectType: "tickets", key: `customfields.${fields.area}`, label: "Area", type: "select", options: [{ value: "shipping", label: "Shipping" }] },
            { objectType: "tickets", key: "legacy", label: "Legacy reference", type: "text" },
            { objectType: "tickets", key: "orderNo", label: "order number", type: "select" },
            { objectType: "tickets", key: "notes", label: "Notes", type: "longtext" },
            { objectType: "tickets", key: "platforms", label: "Platforms", type: "multiselect", options: [{ value: "android", label: "Android" }] },
          ],
        }),
      ),
      "custom-fields",
    );
    expect(check?.status).toBe("fail");
    expect(check?.evidence).toEqual([
      expect.stringContaining("“Product area” is a dropdown field, as planned"),
      expect.stringMatching(/^Missing: “Legacy reference” \(single-line text\)/),
      expect.stringMatching(/“Order number” is a single-line text field; the plan needs dropdown/),
      expect.stringMatching(/“Notes” is a single-line text field; the plan expects multi-line text/),
      expect.stringMatching(/“Platforms” lacks these options: Android/),
    ]);
  });

  it("fails on active triggers, deactivates exactly those and restores exactly those", async () => {
    const { site, inboxId, billingId } = await targetSite();
    const active = site.state.addTrigger({ name: "Auto-assign", inboxIds: [Number(inboxId)], actions: [{ type: 4, user: { id: site.state.keyOwnerId } }] });
    const system = site.state.addTrigger({ name: "Send auto-reply", inboxIds: [Number(inboxId), Number(billingId)], isSystem: true, state: "active" });
    const off = site.state.addTrigger({ name: "Old rule", inboxIds: [Number(billingId)], state: "inactive", actions: [{ type: 5, tags: [] }] });
    const session = connect(site);
    const check = checkOf(await session.prerequisites(plan()), "triggers");
    expect(check).toMatchObject({ status: "fail", blocking: true, fix: { id: "deactivate-triggers" } });
    expect(check?.evidence.slice(0, 2)).toEqual([
      expect.stringContaining("“Auto-assign” is active in Support"),
      expect.stringContaining("“Send auto-reply” is active in Support, Billing (system trigger)"),
    ]);

    const { changed } = await session.applyFix!("deactivate-triggers", plan());
    expect(changed.sort()).toEqual([String(active.id), String(system.id)].sort());
    expect(checkOf(await session.prerequisites(plan()), "triggers")?.status).toBe("pass");
    const stateOf = (id: unknown) => site.state.get("triggers", Number(id))?.state;
    expect([stateOf(active.id), stateOf(system.id), stateOf(off.id)]).toEqual(["inactive", "inactive", "inactive"]);

    expect((await session.restoreTriggers(changed)).changed.sort()).toEqual([...changed].sort());
    expect([stateOf(active.id), stateOf(system.id), stateOf(off.id)]).toEqual(["active", "active", "inactive"]);
    // The same through applyFix: nothing to do now that they are active again.
    expect(await session.applyFix!(`restore-triggers:${changed.join(",")}`, plan())).toEqual({ changed: [] });
  });

  it("reports each trigger it switched off as a restorable setting, and restoreSettings answers per trigger", async () => {
    const { site, inboxId } = await targetSite();
    const rule = site.state.addTrigger({ name: "Auto-assign", inboxIds: [Number(inboxId)], state: "active" });
    const byHand = site.state.addTrigger({ name: "Tag VIP", inboxIds: [Number(inboxId)], state: "active" });
    const session = connect(site);
    const { changes } = await session.applyFix!("deactivate-triggers", plan());
    expect(changes).toEqual(
      expect.arrayContaining([
        { kind: "setting", ref: String(rule.id), label: "Switched off the trigger “Auto-assign”", previous: { state: "active" } },
        { kind: "setting", ref: String(byHand.id), label: "Switched off the trigger “Tag VIP”", previous: { state: "active" } },
      ]),
    );
    // An agent switched one back on by hand meanwhile; another change names a trigger that no longer exists.
    site.state.setTriggerState(Number(byHand.id), "active");
    const answers = await session.restoreSettings!([
      ...(changes ?? []),
      { ref: "999999", previous: { state: "active" } },
      { ref: "not-a-trigger", previous: { state: "active" } },
    ]);
    expect(answers).toEqual(
      expect.arrayContaining([
        { ref: String(rule.id), status: "restored" },
        { ref: String(byHand.id), status: "unchanged" },
        { ref: "999999", status: "gone", message: "The trigger no longer exists." },
        { ref: "not-a-trigger", status: "failed", message: "Ferry does not know how to restore this change." },
      ]),
    );
    expect(site.state.get("triggers", Number(rule.id))?.state).toBe("active");
  });
});
