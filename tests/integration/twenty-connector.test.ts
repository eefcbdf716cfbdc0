// Contract tests of the Twenty connector over real HTTP against the Twenty sandbox.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CanonicalRecord, PlanForPrerequisites, WriteRequest, WriteResult } from "@/connectors/types";
import { ConnectorError } from "@/connectors/types";
import { createTwentySession, twentyConnector } from "@/connectors/twenty";
import type { TwentySessionOptions } from "@/connectors/twenty";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import { startFaultProxy, type FaultProxy } from "@/tests/helpers/engine-fault-proxy";

const API_KEY = "sandbox-key";
type Sandbox = Awaited<ReturnType<typeof startTwentySandbox>>;
const running: Sandbox[] = [];

async function sandbox(options: Partial<Parameters<typeof startTwentySandbox>[0]> = {}): Promise<Sandbox> {
  const started = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, seed: "empty", ...options });
  running.push(started);
  return started;
}

/** A session that never really waits: instant sleeps, tiny backoff, no client-side limiter. */
function session(box: Sandbox, options: TwentySessionOptions = {}) {
  return createTwentySession(
    { apiKey: API_KEY, baseUrl: box.url },
    {
      allowPrivateHosts: true,
      rateLimit: null,
      retry: { baseDelayMs: 1, maxDelayMs: 10, rateLimitedBaseDelayMs: 1 },
      sleep: async () => {},
      timeoutMs: 2_000,
      ...options,
    },
  );
}

const proxied: FaultProxy[] = [];

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(proxied.splice(0).map((proxy) => proxy.close()));
  await Promise.all(running.splice(0).map((box) => box.close()));
});

// ---- factories -------------------------------------------------------------------------------
function canonical(objectType: string, fields: CanonicalRecord["fields"]): CanonicalRecord {
  return { id: "source", objectType, createdAt: null, updatedAt: null, fields };
}
function person(n: number, email = `person${n}@example.com`): WriteRequest {
  return {
    sourceId: `p-${n}`,
    record: canonical("contacts", { name: { firstName: `First${n}`, lastName: `Last${n}` }, emails: email, jobTitle: `Role ${n}` }),
  };
}
function company(n: number, domain = `company${n}.example`): WriteRequest {
  return { sourceId: `c-${n}`, record: canonical("organisations", { name: `Company ${n}`, domainName: domain }) };
}
function opportunity(n: number): WriteRequest {
  return { sourceId: `o-${n}`, record: canonical("deals", { name: `Deal ${n}`, amount: { amountMicros: n * 1_000_000, currencyCode: "EUR" }, stage: "New" }) };
}
const live = (box: Sandbox, plural: string) => box.state.records(plural).filter((record) => !record.deletedAt);
const created = (results: WriteResult[]) =>
  results.filter((result): result is Extract<WriteResult, { status: "created" | "updated" }> => result.status === "created");
const failures = (results: WriteResult[]) => results.filter((result): result is Extract<WriteResult, { status: "failed" }> => result.status === "failed");

async function readAll(s: ReturnType<typeof session>, objectType: string, options: Parameters<ReturnType<typeof session>["read"]>[1] = {}) {
  const records: CanonicalRecord[] = [];
  let pages = 0;
  for await (const page of s.read(objectType, options)) {
    records.push(...page.records);
    pages += 1;
  }
  return { records, pages };
}

function expectOneOutcomePerRecord(results: WriteResult[], requests: WriteRequest[]) {
  expect(results.map((result) => result.sourceId)).toEqual(requests.map((request) => request.sourceId));
}

// ---- tests -----------------------------------------------------------------------------------
describe("Twenty connector against the sandbox", () => {
  it("rejects a bad API key with AUTH_INVALID", async () => {
    const box = await sandbox();
    const wrong = twentyConnector.connect({ apiKey: "not-the-key", baseUrl: box.url }, { allowPrivateHosts: true });
    await expect(wrong.verify()).rejects.toMatchObject({ code: "AUTH_INVALID" });
    await expect(wrong.verify()).rejects.toThrow(/rejected the API key/);
  });

  it("names the address when the base URL is wrong, unreachable or private", async () => {
    const box = await sandbox();
    const wrongPath = twentyConnector.connect({ apiKey: API_KEY, baseUrl: `${box.url}/not-twenty` }, { allowPrivateHosts: true });
    await expect(wrongPath.verify()).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining(`${box.url}/not-twenty`) });

    const closed = await sandbox();
    const closedUrl = closed.url;
    await closed.close();
    const unreachable = twentyConnector.connect({ apiKey: API_KEY, baseUrl: closedUrl }, { allowPrivateHosts: true });
    await expect(unreachable.verify()).rejects.toMatchObject({ code: "TEMPORARY", message: expect.stringContaining(closedUrl) });

    const guarded = twentyConnector.connect({ apiKey: API_KEY, baseUrl: box.url });
    await expect(guarded.verify()).rejects.toMatchObject({ code: "VALIDATION", message: expect.stringContaining("private or local") });
    expect(box.state.requestCount).toBe(1);
  });

  it("verifies a good key and describes the workspace", async () => {
    const box = await sandbox();
    const s = session(box);
    expect(await s.verify()).toMatchObject({
      userName: "API key",
      isAdministrator: true,
      permissionLevel: expect.stringContaining("can change the data model"),
    });
    const schema = await s.describe();
    expect(schema.objectTypes.map((type) => type.key)).toEqual(
      expect.arrayContaining(["companies", "people", "opportunities", "notes", "tasks", "workspaceMembers"]),
    );
    expect(schema.objectTypes.find((type) => type.key === "people")?.fields.find((field) => field.key === "emails")).toMatchObject({
      type: "email",
      unique: true,
      nativeType: "EMAILS",
    });
    expect(schema.objectTypes.find((type) => type.key === "notes")?.fields.map((field) => field.key)).toEqual(
      expect.arrayContaining(["targets.people", "targets.companies"]),
    );
  });

  it("reads every page of a large object with no loss or repeat, and resumes from a cursor", async () => {
    const box = await sandbox({ seed: "sample" });
    box.state.insertRecords(
      "people",
      Array.from({ length: 60 }, (_, n) => ({
        name: { firstName: "Extra", lastName: String(n) },
        emails: { primaryEmail: `extra${n}@example.com`, additionalEmails: [] },
      })),
    );
    const s = session(box);
    const expected = live(box, "people")
      .map((record) => record.id)
      .sort();
    expect(expected.length).toBeGreaterThanOrEqual(250);
    expect(await s.count("people")).toBe(expected.length);

    const { records, pages } = await readAll(s, "people", { pageSize: 45 });
    expect(pages).toBe(Math.ceil(expected.length / 45));
    expect(records.map((record) => record.id).sort()).toEqual(expected);

    // Stop after two pages, then resume from the saved cursor.
    const firstPart: string[] = [];
    let cursor: string | null = null;
    for await (const page of s.read("people", { pageSize: 60 })) {
      firstPart.push(...page.records.map((record) => record.id));
      cursor = page.nextCursor;
      if (firstPart.length >= 120) break;
    }
    const rest = await readAll(s, "people", { pageSize: 60, cursor });
    expect([...firstPart, ...rest.records.map((record) => record.id)].sort()).toEqual(expected);

    const sample = await readAll(s, "people", { sample: 25, pageSize: 10 });
    expect(sample.records).toHaveLength(25);
  });

  it("reads only records updated since a date", async () => {
    const box = await sandbox({ seed: "sample" });
    const s = session(box);
    const since = "2024-06-01T00:00:00.000Z";
    const expected = live(box, "companies").filter((record) => String(record.updatedAt) >= since).length;
    expect(await s.count("companies", { since })).toBe(expected);
    expect((await readAll(s, "companies", { since })).records).toHaveLength(expected);
  });

  it("fails only the duplicate inside a batch and lands the rest", async () => {
    const box = await sandbox();
    box.state.insertRecords("people", [{ emails: { primaryEmail: "taken@example.com", additionalEmails: [] } }]);
    box.state.insertRecords("companies", [{ name: "Acme", domainName: { primaryLinkUrl: "https://acme.com", primaryLinkLabel: "", secondaryLinks: [] } }]);
    const s = session(box);

    const people = Array.from({ length: 60 }, (_, n) => person(n));
    people[10] = person(10, "Taken@Example.com");
    people[30] = person(30, "person29@example.com");
    const results = await s.write("people", people);
    expectOneOutcomePerRecord(results, people);
    expect(failures(results).map((result) => [result.sourceId, result.error.code])).toEqual([
      ["p-10", "CONFLICT"],
      ["p-30", "CONFLICT"],
    ]);
    expect(failures(results)[0].error.message).toContain("taken@example.com");
    expect(failures(results)[1].error.message).toContain("person29@example.com");
    expect(created(results)).toHaveLength(58);
    expect(live(box, "people")).toHaveLength(59);
    for (const result of created(results)) expect(box.state.record("people", result.targetId)).toBeDefined();

    const companies = [company(1), company(2, "www.acme.com"), company(3)];
    const companyResults = await s.write("companies", companies);
    expect(companyResults.map((result) => result.status)).toEqual(["created", "failed", "created"]);
    expect(failures(companyResults)[0].error).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("acme.com") });
    expect(
      live(box, "companies")
        .map((record) => (record.domainName as { primaryLinkUrl: string }).primaryLinkUrl)
        .sort(),
    ).toEqual(["https://acme.com", "https://company1.example", "https://company3.example"]);
  });

  it("isolates a record Twenty rejects for another reason, by splitting the batch", async () => {
    const box = await sandbox();
    const s = session(box);
    const requests = Array.from({ length: 20 }, (_, n) => opportunity(n));
    // Written straight as a join column so the mapper cannot catch it: Twenty must refuse the unknown company.
    requests[7] = { sourceId: "o-7", record: canonical("deals", { name: "Deal 7", companyId: "99999999-9999-4999-8999-999999999999" }) };
    const results = await s.write("opportunities", requests);
    expect(failures(results).map((result) => result.sourceId)).toEqual(["o-7"]);
    expect(live(box, "opportunities")).toHaveLength(19);
  });

  it("recovers from 429 answers without losing or doubling a record", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const box = await sandbox({ rateLimit: 3 });
    // Waiting moves the shared fake clock, so the sandbox's one-minute window really passes.
    const s = session(box, {
      sleep: async (ms) => void vi.setSystemTime(Date.now() + ms),
      retry: { baseDelayMs: 500, rateLimitedBaseDelayMs: 20_000, maxDelayMs: 60_000, maxAttempts: 8 },
    });
    const requests = Array.from({ length: 450 }, (_, n) => person(n));
    const results = await s.write("people", requests);
    expect(created(results)).toHaveLength(450);
    expect(live(box, "people")).toHaveLength(450);
    expect(new Set(created(results).map((result) => result.targetId)).size).toBe(450);
    expect((await readAll(s, "people")).records).toHaveLength(450);
    expect(s.stats.rateLimited).toBeGreaterThan(0);
  });

  it.each(["v1", "v2"] as const)(
    "learns that the workspace takes 50 a minute, not the published 100, from its first refusal (%s limiter)",
    async (rateLimiter) => {
      vi.useFakeTimers({ toFake: ["Date"] });
      const box = await sandbox({ rateLimit: 50, rateLimiter });
      const s = session(box, {
        rateLimit: { requests: 100, perMs: 60_000 },
        retry: { baseDelayMs: 1, maxDelayMs: 120_000, rateLimitedBaseDelayMs: 1 },
        sleep: async (ms) => void vi.setSystemTime(Date.now() + ms),
        now: () => Date.now(),
      });
      const startedAt = Date.now();
      for (let index = 0; index < 150; index += 1) expect(await s.count("people")).toBe(0);
      // One refusal, then the client keeps to 50 a minute: 151 requests (one metadata read) in three windows.
      expect(s.stats.rateLimited).toBe(1);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2 * 60_000);
      expect(Date.now() - startedAt).toBeLessThan(4 * 60_000);
    },
  );

  it.each([1, 3, 4])("recovers from injected 5xx after writes (fault seed %i) without losing or doubling a record", async (faultSeed) => {
    const box = await sandbox({ faults: 0.2, faultsAfterWrite: true, faultSeed });
    const s = session(box, { timeoutMs: 400 });
    const people = Array.from({ length: 200 }, (_, n) => person(n));
    const opportunities = Array.from({ length: 130 }, (_, n) => opportunity(n));
    const peopleResults = await s.write("people", people);
    const opportunityResults = await s.write("opportunities", opportunities);
    expectOneOutcomePerRecord(peopleResults, people);
    expect(failures([...peopleResults, ...opportunityResults])).toEqual([]);
    // Opportunities have no unique key: only Ferry's own ids prevent doubles.
    expect(live(box, "people")).toHaveLength(200);
    expect(live(box, "opportunities")).toHaveLength(130);
    expect(peopleResults.map((result) => result.status)).toEqual(people.map(() => "created"));
    for (const [index, result] of created(peopleResults).entries()) {
      expect((box.state.record("people", result.targetId)?.emails as { primaryEmail: string }).primaryEmail).toBe(`person${index}@example.com`);
    }
    expect((await readAll(s, "opportunities", { pageSize: 50 })).records).toHaveLength(130);
    expect(box.state.faultsInjected.serverError).toBeGreaterThan(0);
  });

  it.each([1, 3])("against a server that takes 60 (fault seed %i) steps down from 200 to 60 without losing or doubling a record", async (faultSeed) => {
    const box = await sandbox({ maxBatch: 60, faults: 0.2, faultsAfterWrite: true, faultSeed });
    const s = session(box, { timeoutMs: 400 });
    const people = Array.from({ length: 250 }, (_, n) => person(n));
    const opportunities = Array.from({ length: 130 }, (_, n) => opportunity(n));
    const peopleResults = await s.write("people", people);
    const opportunityResults = await s.write("opportunities", opportunities);
    expect(failures([...peopleResults, ...opportunityResults])).toEqual([]);
    expect(live(box, "people")).toHaveLength(250);
    expect(live(box, "opportunities")).toHaveLength(130);
    expect(new Set(created(opportunityResults).map((result) => result.targetId)).size).toBe(130);
    for (const [index, result] of created(peopleResults).entries()) {
      expect((box.state.record("people", result.targetId)?.emails as { primaryEmail: string }).primaryEmail).toBe(`person${index}@example.com`);
    }
    expect(box.state.faultsInjected.serverError).toBeGreaterThan(0);
  });

  it("writes 200 records in one call to a current server, and a later session of a 60 server starts at 60", async () => {
    const current = await sandbox();
    const big = session(current);
    await big.write("people", [person(0)]);
    const before = current.state.requestCount;
    await big.write(
      "people",
      Array.from({ length: 200 }, (_, n) => person(n + 1)),
    );
    expect(current.state.requestCount - before).toBe(1);

    const older = await sandbox({ maxBatch: 60 });
    const first = session(older);
    await first.write(
      "people",
      Array.from({ length: 61 }, (_, n) => person(n)),
    );
    const later = session(older);
    await later.write("people", [person(100)]);
    const start = older.state.requestCount;
    await later.write(
      "people",
      Array.from({ length: 120 }, (_, n) => person(n + 200)),
    );
    // Two batches of 60: no batch of 200 refused first.
    expect(older.state.requestCount - start).toBe(2);
    expect(live(older, "people")).toHaveLength(182);
  });

  it("reads pages of 200 unless asked otherwise", async () => {
    const box = await sandbox();
    box.state.insertRecords(
      "people",
      Array.from({ length: 450 }, (_, n) => ({ emails: { primaryEmail: `read${n}@example.com`, additionalEmails: [] } })),
    );
    const { records, pages } = await readAll(session(box), "people");
    expect(records).toHaveLength(450);
    expect(pages).toBe(3);
  });

  it("upserts by email and updates by id", async () => {
    const box = await sandbox();
    const [existing] = box.state.insertRecords("people", [{ emails: { primaryEmail: "ada@example.com", additionalEmails: [] }, jobTitle: "Old" }]);
    const s = session(box);
    const results = await s.write("people", [person(1, "ada@example.com"), person(2)], "upsert");
    expect(results).toEqual([
      { sourceId: "p-1", status: "updated", targetId: existing.id },
      { sourceId: "p-2", status: "created", targetId: expect.any(String) },
    ]);
    expect(live(box, "people")).toHaveLength(2);
    expect(box.state.record("people", String(existing.id))?.jobTitle).toBe("Role 1");

    const updates = await s.write(
      "people",
      [
        { sourceId: "p-1", targetId: String(existing.id), record: canonical("contacts", { jobTitle: "CTO" }) },
        { sourceId: "p-9", targetId: "99999999-9999-4999-8999-999999999999", record: canonical("contacts", { jobTitle: "Ghost" }) },
      ],
      "update",
    );
    expect(updates.map((result) => result.status)).toEqual(["updated", "failed"]);
    expect(failures(updates)[0].error.code).toBe("NOT_FOUND");
    expect(box.state.record("people", String(existing.id))?.jobTitle).toBe("CTO");
    expect(live(box, "people")).toHaveLength(2);
  });

  it("keeps a record's original creation date on create (twenty-api §7) and never moves it on update", async () => {
    const box = await sandbox();
    const s = session(box);
    const original = "2019-05-04T03:02:01.000Z";
    const [result] = await s.write("people", [
      { sourceId: "p-1", record: canonical("contacts", { name: { firstName: "Ada", lastName: "Old" }, createdAt: original }) },
    ]);
    expect(result).toMatchObject({ status: "created" });
    const id = (result as Extract<WriteResult, { status: "created" | "updated" }>).targetId;
    expect(box.state.record("people", id)?.createdAt).toBe(original);
    await s.write(
      "people",
      [{ sourceId: "p-1", targetId: id, record: canonical("contacts", { jobTitle: "CTO", createdAt: "2001-01-01T00:00:00.000Z" }) }],
      "update",
    );
    expect(box.state.record("people", id)).toMatchObject({ createdAt: original, jobTitle: "CTO" });
  });

  it("creates note targets with notes, reads them back, and removes both", async () => {
    const box = await sandbox();
    const s = session(box);
    const [acme] = await s.write("companies", [company(1)]);
    const [ada] = await s.write("people", [person(1)]);
    if (acme.status !== "created" || ada.status !== "created") throw new Error("setup failed");
    const notes = await s.write("notes", [
      {
        sourceId: "n-1",
        record: canonical("notes", {
          title: "Call",
          bodyV2: "<p>Spoke with <strong>Ada</strong></p>",
          "targets.people": [{ objectType: "people", id: ada.targetId }],
          "targets.companies": acme.targetId,
        }),
      },
      { sourceId: "n-2", record: canonical("notes", { title: "Broken link", "targets.people": "99999999-9999-4999-8999-999999999999" }) },
    ]);
    expect(notes.map((result) => result.status)).toEqual(["created", "failed"]);
    expect(live(box, "notes")).toHaveLength(1);
    expect(live(box, "noteTargets")).toHaveLength(2);
    const note = (await readAll(s, "notes")).records[0];
    expect(note.fields).toMatchObject({
      title: "Call",
      bodyV2: "<p>Spoke with <strong>Ada</strong></p>",
      "targets.people": [{ objectType: "people", id: ada.targetId }],
      "targets.companies": [{ objectType: "companies", id: acme.targetId }],
    });
    const noteId = notes[0].status === "created" ? notes[0].targetId : "";
    expect(await s.remove("notes", [noteId, "99999999-9999-4999-8999-999999999999", "not-a-uuid"])).toEqual([
      { id: noteId, status: "removed" },
      { id: "99999999-9999-4999-8999-999999999999", status: "not_found" },
      { id: "not-a-uuid", status: "not_found", message: expect.any(String) },
    ]);
    expect(box.state.records("notes")).toHaveLength(0);
    expect(box.state.records("noteTargets")).toHaveLength(0);
  });

  it("keeps a note whose link rows meet 429s, reports it unfinished, and adds only the missing links when it is written again", async () => {
    const box = await sandbox();
    // Every link-row batch is refused with 429 until the gate opens; nothing else is.
    let linksRefused = true;
    const proxy = await startFaultProxy(box.url, {
      share: 0,
      rule: ({ method, path }) => (linksRefused && method === "POST" && path === "/rest/batch/noteTargets" ? "rate_limited" : null),
    });
    proxied.push(proxy);
    const s = session(box);
    const [acme] = await s.write("companies", [company(1)]);
    const [ada] = await s.write("people", [person(1)]);
    if (acme.status !== "created" || ada.status !== "created") throw new Error("setup failed");
    const request: WriteRequest = {
      sourceId: "n-1",
      record: canonical("notes", { title: "Call", "targets.people": [{ objectType: "people", id: ada.targetId }], "targets.companies": acme.targetId }),
    };
    const viaProxy = createTwentySession(
      { apiKey: API_KEY, baseUrl: proxy.url },
      {
        allowPrivateHosts: true,
        rateLimit: null,
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 10, rateLimitedBaseDelayMs: 1 },
        sleep: async () => {},
        timeoutMs: 2_000,
      },
    );

    const [first] = await viaProxy.write("notes", [request]);
    expect(first).toMatchObject({ status: "created", unfinished: { code: "RATE_LIMITED", message: expect.stringContaining("429") } });
    expect(proxy.counts.rate_limited).toBe(3);
    expect(live(box, "notes")).toHaveLength(1);
    expect(live(box, "noteTargets")).toHaveLength(0);

    linksRefused = false;
    const noteId = first.status === "created" ? first.targetId : "";
    const [again] = await viaProxy.write("notes", [{ ...request, targetId: noteId }], "update");
    expect(again).toEqual({ sourceId: "n-1", status: "updated", targetId: noteId });
    expect(live(box, "notes")).toHaveLength(1);
    expect(
      live(box, "noteTargets")
        .map((row) => [row.noteId, row.targetPersonId ?? row.targetCompanyId])
        .sort(),
    ).toEqual(
      [
        [noteId, acme.targetId],
        [noteId, ada.targetId],
      ].sort(),
    );
  });

  it("looks up a batch of 200 keys in as few GETs as the URL allows, and finds every one", async () => {
    const box = await sandbox();
    const s = session(box);
    const written = await s.write(
      "people",
      Array.from({ length: 200 }, (_, n) => person(n)),
    );
    const before = box.state.requestCount;
    const found = await s.findExisting(
      "people",
      Array.from({ length: 200 }, (_, n) => ({ sourceId: `p-${n}`, keys: { email: `person${n}@example.com` } })),
    );
    expect(found).toEqual(created(written).map((result, n) => ({ sourceId: `p-${n}`, targetId: result.targetId })));
    // 200 emails (~5 kB encoded) fit one URL under 6 kB; 60 a GET took four.
    expect(box.state.requestCount - before).toBe(1);
  });

  it("finds existing records by email, domain and Ferry source id", async () => {
    const box = await sandbox();
    const s = session(box);
    const [ada] = await s.write("people", [person(1, "Ada@Example.com")]);
    const [acme] = await s.write("companies", [company(1, "https://acme.com")]);
    const plan: PlanForPrerequisites = { objectTypes: ["opportunities"], users: [], fallbackUserId: null, customFields: [] };
    expect((await s.prerequisites(plan)).checks.find((check) => check.id === "ferry-source-id")).toMatchObject({
      status: "warn",
      fix: { id: "create-ferry-source-id-fields" },
    });
    await s.applyFix?.("create-ferry-source-id-fields", plan);
    const [deal] = await s.write("opportunities", [opportunity(7)]);
    if (ada.status !== "created" || acme.status !== "created" || deal.status !== "created") throw new Error("setup failed");

    expect(
      await s.findExisting("people", [
        { sourceId: "p-1", keys: { email: "ada@example.com" } },
        { sourceId: "p-2", keys: { email: "nobody@example.com" } },
      ]),
    ).toEqual([{ sourceId: "p-1", targetId: ada.targetId }]);
    expect(await s.findExisting("companies", [{ sourceId: "c-1", keys: { domain: "www.acme.com" } }])).toEqual([{ sourceId: "c-1", targetId: acme.targetId }]);
    expect(
      await s.findExisting("opportunities", [
        { sourceId: "o-7", keys: {} },
        { sourceId: "o-8", keys: {} },
      ]),
    ).toEqual([{ sourceId: "o-7", targetId: deal.targetId }]);
    expect(await s.findExisting("opportunities", [{ sourceId: "x", keys: { name: "Deal 7" } }])).toEqual([{ sourceId: "x", targetId: deal.targetId }]);
  });

  it("discovers custom fields added in Twenty", async () => {
    const box = await sandbox();
    const s = session(box);
    const people = box.state.objectMetadata().find((object) => object.namePlural === "people");
    // A field created by a user in Settings → Data model, through the metadata API.
    const response = await fetch(`${box.url}/rest/metadata/fields`, {
      method: "POST",
      headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        objectMetadataId: people?.id,
        type: "MULTI_SELECT",
        name: "interests",
        label: "Interests",
        isNullable: true,
        options: [{ label: "Golf", value: "GOLF", color: "green", position: 0 }],
      }),
    });
    expect(response.status).toBe(201);
    const field = (await s.describe()).objectTypes.find((type) => type.key === "people")?.fields.find((candidate) => candidate.key === "interests");
    expect(field).toMatchObject({ type: "multiselect", nativeType: "MULTI_SELECT", custom: true, options: [{ value: "GOLF", label: "Golf" }] });
  });

  it("reports missing members, fields, workflows and webhooks, and creates missing fields", async () => {
    const box = await sandbox({ workspaceMembers: [{ email: "tim@apple.dev", firstName: "Tim", lastName: "Apple" }] });
    box.state.addWorkflow({ name: "Welcome new people", statuses: ["ACTIVE"] });
    box.state.addWebhook({ targetUrl: "https://hooks.example.com/twenty", operations: ["*.*"] });
    const s = session(box);
    const tim = box.state.records("workspaceMembers").find((member) => member.userEmail === "tim@apple.dev");
    const plan: PlanForPrerequisites = {
      objectTypes: ["people", "companies"],
      users: [
        { sourceUserId: "a1", sourceEmail: "tim@apple.dev", sourceLabel: "tim@apple.dev", targetUserId: String(tim?.id) },
        { sourceUserId: "a2", sourceEmail: "ghost@example.com", sourceLabel: "ghost@example.com", targetUserId: null },
      ],
      fallbackUserId: null,
      customFields: [
        {
          objectType: "people",
          key: "Lead source",
          label: "Lead source",
          type: "select",
          options: [
            { value: "web", label: "Web" },
            { value: "referral", label: "Referral" },
          ],
        },
        { objectType: "companies", key: "externalRef", label: "External ref", type: "text" },
        { objectType: "companies", key: "name", label: "Name", type: "number" },
      ],
    };
    const report = await s.prerequisites(plan);
    const check = (id: string) => report.checks.find((candidate) => candidate.id === id);
    expect(check("workspace-members")).toMatchObject({ status: "fail", blocking: true });
    expect(check("workspace-members")?.evidence.join("\n")).toContain("ghost@example.com");
    expect(check("workspace-members")?.evidence.join("\n")).not.toContain("tim@apple.dev");
    expect(check("custom-fields")).toMatchObject({ status: "fail", fix: { id: "create-missing-fields" } });
    expect(check("custom-fields")?.evidence.join("\n")).toMatch(/Lead source[\s\S]*External ref[\s\S]*is TEXT in Twenty, the plan needs number/);
    expect(check("workflows")).toMatchObject({ status: "warn", blocking: false });
    expect(check("workflows")?.evidence.join("\n")).toContain("Welcome new people");
    expect(check("webhooks")?.evidence.join("\n")).toContain("https://hooks.example.com/twenty");
    expect(report.confirmations.length).toBeGreaterThan(0);

    const { changed } = (await s.applyFix?.("create-missing-fields", plan)) ?? { changed: [] };
    expect(changed).toHaveLength(2);
    const after = await s.prerequisites({ ...plan, customFields: plan.customFields.slice(0, 2) });
    expect(after.checks.find((candidate) => candidate.id === "custom-fields")?.status).toBe("pass");
    const leadSource = (await s.describe()).objectTypes.find((type) => type.key === "people")?.fields.find((field) => field.key === "leadSource");
    expect(leadSource).toMatchObject({
      type: "select",
      options: [
        { value: "WEB", label: "Web" },
        { value: "REFERRAL", label: "Referral" },
      ],
    });

    const [written] = await s.write("people", [{ sourceId: "p-1", record: canonical("contacts", { emails: "ann@example.com", leadSource: "Referral" }) }]);
    if (written.status !== "created") throw new Error(JSON.stringify(written));
    expect(box.state.record("people", written.targetId)?.leadSource).toBe("REFERRAL");

    // A new option on an existing select field.
    const withOption = {
      ...plan,
      customFields: [{ ...plan.customFields[0], options: [...(plan.customFields[0].options ?? []), { value: "event", label: "Event" }] }],
    };
    expect((await s.prerequisites(withOption)).checks.find((candidate) => candidate.id === "select-options")).toMatchObject({
      status: "fail",
      fix: { id: "add-missing-select-options" },
    });
    await s.applyFix?.("add-missing-select-options", withOption);
    expect((await s.prerequisites(withOption)).checks.find((candidate) => candidate.id === "select-options")?.status).toBe("pass");
  });

  it("reads the data model, members, workflows and webhooks once for a plan, its fixes, the checks after them and describe()", async () => {
    const box = await sandbox({ workspaceMembers: [{ email: "tim@apple.dev", firstName: "Tim", lastName: "Apple" }] });
    box.state.addWorkflow({ name: "Welcome new people", statuses: ["ACTIVE"] });
    const reads = new Map<string, number>();
    const proxy = await startFaultProxy(box.url, {
      share: 0,
      rule: ({ method, path }) => {
        if (method === "GET") reads.set(path, (reads.get(path) ?? 0) + 1);
        return null;
      },
    });
    proxied.push(proxy);
    const s = createTwentySession(
      { apiKey: API_KEY, baseUrl: proxy.url },
      { allowPrivateHosts: true, rateLimit: null, sleep: async () => {}, timeoutMs: 2_000 },
    );
    const tim = box.state.records("workspaceMembers").find((member) => member.userEmail === "tim@apple.dev");
    const plan: PlanForPrerequisites = {
      objectTypes: ["people", "companies"],
      users: [{ sourceUserId: "a1", sourceEmail: "tim@apple.dev", sourceLabel: "tim@apple.dev", targetUserId: String(tim?.id) }],
      fallbackUserId: null,
      customFields: [
        { objectType: "people", key: "Lead source", label: "Lead source", type: "select", options: [{ value: "web", label: "Web" }] },
        { objectType: "companies", key: "externalRef", label: "External ref", type: "text" },
      ],
    };
    // What the CLI and the wizard do: describe and list users for the plan, check, fix, check again, describe.
    await s.describe();
    await s.listUsers();
    expect((await s.prerequisites(plan)).checks.find((check) => check.id === "custom-fields")?.status).toBe("fail");
    await s.applyFix?.("create-missing-fields", plan);
    await s.applyFix?.("create-ferry-source-id-fields", plan);
    const withOption = {
      ...plan,
      customFields: [
        {
          ...plan.customFields[0],
          options: [
            { value: "web", label: "Web" },
            { value: "event", label: "Event" },
          ],
        },
      ],
    };
    await s.applyFix?.("add-missing-select-options", withOption);
    const after = await s.prerequisites(withOption);
    const schema = await s.describe();

    expect(after.checks.filter((check) => check.status === "fail").map((check) => check.id)).toEqual([]);
    const people = schema.objectTypes.find((type) => type.key === "people");
    expect(people?.fields.find((field) => field.key === "leadSource")?.options?.map((option) => option.value)).toEqual(["WEB", "EVENT"]);
    expect(people?.fields.find((field) => field.key === "ferrySourceId")).toMatchObject({ unique: true });
    expect(schema.objectTypes.find((type) => type.key === "companies")?.fields.some((field) => field.key === "externalRef")).toBe(true);
    expect(Object.fromEntries(reads)).toEqual({
      "/rest/metadata/objects": 1,
      "/rest/workspaceMembers": 1,
      "/rest/workflows": 1,
      "/rest/workflowVersions": 1,
      "/rest/metadata/webhooks": 1,
    });
  });

  it("passes users who are not members once each is mapped to a member or covered by the fallback user, and fails a mapping to someone who left", async () => {
    // The demo's case: three members, the help desk's agents have other emails.
    const box = await sandbox();
    const s = session(box);
    const members = await s.listUsers();
    expect(members).toHaveLength(3);
    const agent = (name: string, targetUserId: string | null) => ({
      sourceUserId: name,
      sourceEmail: `${name.toLowerCase()}@desk.example`,
      sourceLabel: name,
      targetUserId,
    });
    const base = { objectTypes: ["people"], customFields: [] };
    const membersCheck = async (plan: PlanForPrerequisites) => (await s.prerequisites(plan)).checks.find((check) => check.id === "workspace-members");

    const unmapped = await membersCheck({ ...base, users: [agent("Rita", null), agent("Sven", null)], fallbackUserId: null });
    expect(unmapped).toMatchObject({
      status: "fail",
      blocking: true,
      evidence: [expect.stringMatching(/^No users receive the records of Rita, Sven: in step 6 \(Mapping\)/)],
    });

    const covered = await membersCheck({
      ...base,
      users: [agent("Rita", members[1].id), agent("Sven", null), agent("Left", null)],
      fallbackUserId: members[0].id,
    });
    expect(covered?.status).toBe("pass");
    expect(covered?.evidence.join("\n")).toMatch(/all 3 users go to 2 target users/);
    expect(covered?.evidence.join("\n")).toContain("fallback user for Sven, Left");

    const joined = await membersCheck({ ...base, users: [{ ...agent("Tim", null), sourceEmail: members[0].email }], fallbackUserId: null });
    expect(joined).toMatchObject({
      status: "fail",
      evidence: [expect.stringMatching(/^Tim is a target user now but not chosen in the mapping: choose them in step 6/)],
    });

    const gone = await membersCheck({ ...base, users: [agent("Rita", "00000000-0000-4000-8000-000000000000")], fallbackUserId: members[0].id });
    expect(gone).toMatchObject({
      status: "fail",
      evidence: [expect.stringMatching(/not a member of the workspace any more \(mapped from Rita\)\. Choose another member/)],
    });
  });

  it("does not take a standard link labelled like a planned text field for that field, and creates the field", async () => {
    const box = await sandbox();
    const s = session(box);
    // People carry a standard "Notes" link to note records; a help desk's customer notes are text.
    const plan: PlanForPrerequisites = {
      objectTypes: ["people"],
      users: [],
      fallbackUserId: null,
      customFields: [{ objectType: "people", key: "notes", label: "Notes", type: "longtext" }],
    };
    const check = async () => (await s.prerequisites(plan)).checks.find((candidate) => candidate.id === "custom-fields");
    expect(await check()).toMatchObject({ status: "fail", fix: { id: "create-missing-fields" } });
    expect((await check())?.evidence.join("\n")).not.toMatch(/RELATION/);
    const { changed } = (await s.applyFix?.("create-missing-fields", plan)) ?? { changed: [] };
    expect(changed).toHaveLength(1);
    expect((await check())?.status).toBe("pass");
  });

  it("creates a Tickets object on request and writes tickets into it", async () => {
    const box = await sandbox();
    const s = session(box);
    const plan: PlanForPrerequisites = {
      objectTypes: ["tickets"],
      users: [],
      fallbackUserId: null,
      customFields: [{ objectType: "tickets", key: "channel", label: "Channel", type: "text" }],
    };
    expect((await s.prerequisites(plan)).checks.find((check) => check.id === "object-types")).toMatchObject({
      status: "fail",
      fix: { id: "create-tickets-object" },
    });
    const { changed } = (await s.applyFix?.("create-tickets-object", plan)) ?? { changed: [] };
    expect(changed.join("\n")).toMatch(/Tickets object[\s\S]*Channel/);
    const tickets = (await s.describe()).objectTypes.find((type) => type.key === "tickets");
    expect(tickets?.fields.map((field) => field.key)).toEqual(
      expect.arrayContaining(["name", "status", "priority", "description", "ferrySourceId", "channel"]),
    );
    const results = await s.write("tickets", [
      { sourceId: "t-1", record: canonical("tickets", { name: "Printer on fire", status: "Open", description: "<p>Help</p>", channel: "email" }) },
    ]);
    expect(results[0].status).toBe("created");
    expect(box.state.records("tickets")[0]).toMatchObject({ name: "Printer on fire", status: "OPEN", ferrySourceId: "t-1" });
  });

  it("lists workspace members as users", async () => {
    const box = await sandbox({ workspaceMembers: [{ email: "Tim@Apple.dev", firstName: "Tim", lastName: "Apple" }] });
    expect(await session(box).listUsers()).toEqual([{ id: expect.any(String), email: "tim@apple.dev", name: "Tim Apple" }]);
  });

  it("turns errors into ConnectorError codes", async () => {
    const box = await sandbox();
    const s = session(box);
    await expect(s.count("unicorns")).rejects.toBeInstanceOf(ConnectorError);
    await expect(s.count("unicorns")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
