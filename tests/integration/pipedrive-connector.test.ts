// Contract tests of the Pipedrive connector over real HTTP against the Pipedrive sandbox.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createPipedriveSession, pipedriveConnector } from "@/connectors/pipedrive";
import type { PipedriveSessionOptions } from "@/connectors/pipedrive";
import { startPipedriveSandbox, type PipedriveSandboxOptions } from "@/connectors/pipedrive/sandbox";
import type { CanonicalRecord, CanonicalValue, PlanForPrerequisites, WriteRequest, WriteResult } from "@/connectors/types";
import { CONTENT_KEY, ConnectorError } from "@/connectors/types";
import { startFaultProxy, type FaultProxy } from "@/tests/helpers/engine-fault-proxy";

const TOKEN = "pipedrive-connector-token";
type Sandbox = Awaited<ReturnType<typeof startPipedriveSandbox>>;
const running: Sandbox[] = [];
const proxies: FaultProxy[] = [];

async function sandbox(options: Partial<PipedriveSandboxOptions> = {}): Promise<Sandbox> {
  const started = await startPipedriveSandbox({ apiKey: TOKEN, rateLimit: 0, ...options });
  running.push(started);
  return started;
}

/** A session that never really waits: instant sleeps, tiny backoff, no client-side limiter. */
function session(box: Sandbox, options: PipedriveSessionOptions = {}) {
  return createPipedriveSession(
    { apiToken: TOKEN, baseUrl: box.url },
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

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await Promise.all(running.splice(0).map((box) => box.close()));
});

function canonical(objectType: string, fields: CanonicalRecord["fields"], createdAt: string | null = null): CanonicalRecord {
  return { id: "source", objectType, createdAt, updatedAt: null, fields };
}
const request = (sourceId: string, record: CanonicalRecord, targetId?: string): WriteRequest => ({ sourceId, record, ...(targetId ? { targetId } : {}) });
const createdIds = (results: WriteResult[]) => results.map((result) => (result.status === "failed" ? null : result.targetId));
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

function plan(overrides: Partial<PlanForPrerequisites> = {}): PlanForPrerequisites {
  return { objectTypes: ["organizations", "persons"], users: [], fallbackUserId: null, customFields: [], ...overrides };
}

describe("Pipedrive connector against the sandbox", () => {
  describe("verify", () => {
    it("names the company and the token's user, an administrator", async () => {
      const box = await sandbox();
      const account = await session(box).verify();
      expect(account).toMatchObject({ accountName: "Sandbox Company", userName: "Olivia Owner", userEmail: "olivia@example.com", isAdministrator: true });
      expect(account.permissionLevel).toContain("3 users");
    });

    it("rejects a wrong token with AUTH_INVALID and says where to copy it again", async () => {
      const box = await sandbox();
      const wrong = createPipedriveSession({ apiToken: "nope", baseUrl: box.url }, { allowPrivateHosts: true, rateLimit: null });
      const error = await wrong.verify().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ code: "AUTH_INVALID" });
      expect((error as Error).message).toMatch(/Personal preferences → API/);
      expect((error as Error).message).not.toContain("nope");
    });

    it("refuses a loopback address unless private hosts are allowed (SSRF guard)", async () => {
      const box = await sandbox();
      const guarded = pipedriveConnector.connect({ apiToken: TOKEN, baseUrl: box.url });
      await expect(guarded.verify()).rejects.toMatchObject({ code: "VALIDATION" });
    });
  });

  describe("describe", () => {
    it("lists the five objects with their dependencies and the custom fields with canonical types and options", async () => {
      const box = await sandbox({ seed: "sample" });
      const schema = await session(box).describe();
      expect(schema.objectTypes.map((object) => [object.key, object.dependsOn])).toEqual([
        ["organizations", []],
        ["persons", ["organizations"]],
        ["deals", ["organizations", "persons"]],
        ["activities", ["organizations", "persons", "deals"]],
        ["notes", ["organizations", "persons", "deals"]],
      ]);
      const persons = schema.objectTypes.find((object) => object.key === "persons");
      const tier = box.state.fields.persons.find((field) => field.field_name === "Customer tier");
      expect(persons?.fields.find((field) => field.key === tier?.field_code)).toMatchObject({
        label: "Customer tier",
        type: "select",
        nativeType: "enum",
        custom: true,
        options: tier?.options?.map((option) => ({ value: String(option.id), label: option.label })),
      });
      expect(persons?.fields.find((field) => field.key === "name")).toMatchObject({ type: "fullname", required: true });
      const deals = schema.objectTypes.find((object) => object.key === "deals");
      expect(deals?.fields.find((field) => field.key === "stage")?.options?.map((option) => option.label)).toEqual([
        "Qualified",
        "Contact made",
        "Proposal made",
        "Negotiations started",
        "Intro",
        "Pilot",
        "Signed",
      ]);
      expect(deals?.fields.find((field) => field.key === "amount")).toMatchObject({ label: "Value", type: "currency" });
    });
  });

  describe("read", () => {
    it("reads every record in canonical form: names, emails and phones, links, owners, values and custom fields", async () => {
      const box = await sandbox({ seed: "sample" });
      const s = session(box);
      const persons = (await readAll(s, "persons")).records;
      expect(persons).toHaveLength(20);
      const ada = persons[0];
      const tier = box.state.fields.persons.find((field) => field.field_name === "Customer tier");
      expect(ada.fields).toMatchObject({
        name: { firstName: "Ada", lastName: "Lovelace" },
        email: "ada.lovelace0@example.com",
        additionalEmails: "home0@example.org",
        phone: null,
        organization: { objectType: "organizations", id: String(box.state.live("organizations")[0].id) },
        owner: { id: "1", email: "olivia@example.com", name: "Olivia Owner" },
        [tier?.field_code ?? ""]: String(tier?.options?.[0].id),
      });
      expect(ada.createdAt).toBe("2025-01-06T19:00:00.000Z");
      const deals = (await readAll(s, "deals")).records;
      expect(deals[1].fields).toMatchObject({
        title: "Globex deal 2",
        amount: { amountMicros: 2_000_000_000, currencyCode: "EUR" },
        pipeline: "Sales pipeline",
        stage: "Contact made",
        status: "open",
      });
      const notes = (await readAll(s, "notes")).records;
      expect(notes).toHaveLength(15);
      expect(notes[0].fields).toMatchObject({
        content: "<p>Note 1 about <b>Ada Lovelace</b></p>",
        person: { objectType: "persons", id: ada.id },
        author: { id: "1" },
      });
      const activities = (await readAll(s, "activities")).records;
      expect(activities[1].fields).toMatchObject({
        subject: "Follow up 2",
        type: "meeting",
        dueDate: "2025-02-02",
        dueTime: "10:30",
        done: false,
        assignee: { id: "2" },
      });
    });

    it("pages 500 at a time, resumes from a saved cursor, stops at the sample size, and counts", async () => {
      const box = await sandbox();
      for (let index = 0; index < 1_100; index += 1) box.state.insert("organizations", { name: `Org ${index}` });
      const s = session(box);
      const all = await readAll(s, "organizations");
      expect(all.pages).toBe(3);
      expect(new Set(all.records.map((record) => record.id)).size).toBe(1_100);
      const pages = s.read("organizations");
      const first = (await pages.next()).value;
      await pages.return(undefined);
      const resumed = await readAll(s, "organizations", { cursor: first?.nextCursor });
      expect(resumed.records).toHaveLength(600);
      expect(resumed.records[0].fields.name).toBe("Org 500");
      expect((await readAll(s, "organizations", { sample: 7 })).records).toHaveLength(7);
      expect(await s.count("organizations")).toBe(1_100);
    });

    it("reads only what changed since an instant (delta runs), in v2 and in v1 notes", async () => {
      const box = await sandbox();
      const org = box.state.insert("organizations", { name: "Old" }, {}, Date.UTC(2024, 0, 1));
      box.state.insert("organizations", { name: "New" }, {}, Date.UTC(2025, 5, 1));
      box.state.insertNote({ content: "old", person_id: null, org_id: org.id, deal_id: null, user_id: 1 }, Date.UTC(2024, 0, 1));
      box.state.insertNote({ content: "new", person_id: null, org_id: org.id, deal_id: null, user_id: 1 }, Date.UTC(2025, 5, 1));
      const s = session(box);
      const since = "2025-01-01T00:00:00.000Z";
      expect((await readAll(s, "organizations", { since })).records.map((record) => record.fields.name)).toEqual(["New"]);
      expect((await readAll(s, "notes", { since })).records.map((record) => record.fields.content)).toEqual(["new"]);
      expect(await s.count("notes", { since })).toBe(1);
    });
  });

  describe("write", () => {
    it("creates organizations, persons, deals, activities and notes linked together, owners matched by email", async () => {
      const box = await sandbox();
      const s = session(box);
      const [orgId] = createdIds(
        await s.write("organizations", [
          request(
            "c1",
            canonical("organizations", { name: "Acme", address: { street1: "1 Main St", city: "Springfield" }, owner: { id: "x", email: "SAM@example.com" } }),
          ),
        ]),
      );
      const [personId] = createdIds(
        await s.write("persons", [
          request(
            "p1",
            canonical(
              "persons",
              {
                name: { firstName: "Ada", lastName: "Lovelace" },
                email: "ada@example.com",
                additionalEmails: "ada@home.example, ada@old.example",
                phone: { e164: "+442079460000", countryCode: "GB", callingCode: "+44", national: "2079460000", raw: "020 7946 0000" },
                organization: { objectType: "organizations", id: orgId as string },
              },
              "2023-04-05T06:07:08.000Z",
            ),
          ),
        ]),
      );
      const [dealId] = createdIds(
        await s.write("deals", [
          request(
            "d1",
            canonical("deals", {
              title: "Big one",
              amount: { amountMicros: 1_500_000_000, currencyCode: "EUR" },
              pipeline: "Partnerships",
              stage: "pilot",
              status: "won",
              person: { objectType: "persons", id: personId as string },
            }),
          ),
        ]),
      );
      const activity = await s.write("activities", [
        request(
          "a1",
          canonical("activities", {
            subject: "Call",
            type: "Call",
            dueDate: "2025-05-01T13:00:00.000Z",
            done: true,
            assignee: { id: "99", email: "lee@example.com" },
            deal: { objectType: "deals", id: dealId as string },
          }),
        ),
      ]);
      const note = await s.write("notes", [
        request(
          "n1",
          canonical("notes", { title: "Kick-off <1>", content: "<p>Met</p>", deal: { objectType: "deals", id: dealId as string } }, "2024-01-02T03:04:05.000Z"),
        ),
      ]);
      expect(failures([...activity, ...note])).toEqual([]);

      const org = box.state.records.organizations.get(Number(orgId));
      expect(org?.values).toMatchObject({ name: "Acme", owner_id: 2, address: { value: "1 Main St, Springfield" } });
      const person = box.state.records.persons.get(Number(personId));
      expect(person?.values).toMatchObject({
        name: "Ada Lovelace",
        org_id: Number(orgId),
        emails: [
          { value: "ada@example.com", primary: true },
          { value: "ada@home.example", primary: false },
          { value: "ada@old.example", primary: false },
        ],
        phones: [{ value: "+442079460000", primary: true }],
      });
      expect(person?.addTime).toBe(Date.UTC(2023, 3, 5, 6, 7, 8));
      const partnerships = box.state.pipelines.find((pipeline) => pipeline.name === "Partnerships");
      const pilot = box.state.stages.find((stage) => stage.name === "Pilot");
      expect(box.state.records.deals.get(Number(dealId))?.values).toMatchObject({
        value: 1500,
        currency: "EUR",
        pipeline_id: partnerships?.id,
        stage_id: pilot?.id,
        status: "won",
        person_id: Number(personId),
      });
      expect(box.state.live("activities")[0].values).toMatchObject({ type: "call", due_date: "2025-05-01", done: true, owner_id: 3, deal_id: Number(dealId) });
      expect([...box.state.notes.values()][0]).toMatchObject({
        content: "<p><strong>Kick-off &lt;1&gt;</strong></p><p>Met</p>",
        deal_id: Number(dealId),
        addTime: Date.UTC(2024, 0, 2, 3, 4, 5),
      });
    });

    it("fails only the record with a bad value, naming the field, and writes the others", async () => {
      const box = await sandbox();
      const s = session(box);
      const results = await s.write("deals", [
        request("d1", canonical("deals", { title: "Fine" })),
        request("d2", canonical("deals", { title: "Odd stage", stage: "Nowhere" })),
        request("d3", canonical("deals", { title: "Stranger", owner: { id: "77", email: "ghost@example.com" } })),
        request("d4", canonical("deals", { title: null })),
        request("d5", canonical("deals", { title: "Also fine", status: "open" })),
      ]);
      expect(results.map((result) => result.status)).toEqual(["created", "failed", "failed", "failed", "created"]);
      expect(failures(results).map((result) => [result.error.code, result.error.field])).toEqual([
        ["VALIDATION", "stage"],
        ["VALIDATION", "owner"],
        ["VALIDATION", "title"],
      ]);
      expect(failures(results)[1].error.message).toMatch(/ghost@example\.com is not a user/);
      expect(box.state.live("deals").map((deal) => deal.values.title)).toEqual(["Fine", "Also fine"]);
    });

    it("updates a record in place with only the fields given", async () => {
      const box = await sandbox();
      const s = session(box);
      const [id] = createdIds(await s.write("persons", [request("p1", canonical("persons", { name: "Ada Lovelace", email: "ada@example.com" }))]));
      const updated = await s.write("persons", [request("p1", canonical("persons", { name: { firstName: "Ada", lastName: "King" } }), id as string)], "update");
      expect(updated).toEqual([{ sourceId: "p1", status: "updated", targetId: id }]);
      expect(box.state.records.persons.get(Number(id))?.values).toMatchObject({ name: "Ada King", emails: [{ value: "ada@example.com" }] });
    });

    it("keeps to the burst window the x-ratelimit headers show, creating every record once", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      const box = await sandbox({ rateLimit: 4, rateWindowMs: 2_000 });
      // Waiting moves the shared fake clock, so the sandbox's 2-second window really passes.
      const s = session(box, {
        sleep: async (ms) => void vi.setSystemTime(Date.now() + ms),
        retry: { baseDelayMs: 100, rateLimitedBaseDelayMs: 1_000, maxDelayMs: 10_000, maxAttempts: 6 },
      });
      await s.describe();
      const results = await s.write(
        "organizations",
        Array.from({ length: 30 }, (_, index) => request(`c${index}`, canonical("organizations", { name: `Org ${index}` }))),
      );
      expect(failures(results)).toEqual([]);
      expect(box.state.live("organizations")).toHaveLength(30);
      // §4.3: remaining 0 and the reset in seconds make the client wait for the next window.
      expect(s.stats.waitedMs).toBeGreaterThanOrEqual(7 * 1_000);
    });

    it("sends a create refused with 429 again after the wait (a wait, never a failed record)", async () => {
      const box = await sandbox();
      let posts = 0;
      const proxy = await startFaultProxy(box.url, { share: 0, rule: ({ method }) => (method === "POST" && ++posts % 3 === 0 ? "rate_limited" : null) });
      proxies.push(proxy);
      const waits: number[] = [];
      const s = createPipedriveSession(
        { apiToken: TOKEN, baseUrl: proxy.url },
        {
          allowPrivateHosts: true,
          rateLimit: null,
          retry: { baseDelayMs: 1, maxDelayMs: 10_000, rateLimitedBaseDelayMs: 2_000 },
          sleep: async (ms) => void waits.push(ms),
        },
      );
      const results = await s.write(
        "organizations",
        Array.from({ length: 10 }, (_, index) => request(`c${index}`, canonical("organizations", { name: `Org ${index}` }))),
      );
      expect(failures(results)).toEqual([]);
      expect(box.state.live("organizations").map((org) => org.values.name)).toEqual(Array.from({ length: 10 }, (_, index) => `Org ${index}`));
      expect(proxy.counts.rate_limited).toBeGreaterThanOrEqual(4);
      expect(waits.filter((ms) => ms === 2_000)).toHaveLength(proxy.counts.rate_limited);
    });
  });

  describe("crash safety", () => {
    it("stamps each record with its source id once the fix added the field, and findExisting finds them by it", async () => {
      const box = await sandbox();
      const s = session(box);
      const target = plan({ objectTypes: ["organizations", "persons", "deals", "activities", "notes"] });
      const before = await s.prerequisites(target);
      expect(before.checks.find((check) => check.id === "ferry-source-id")).toMatchObject({ status: "warn", fix: { id: "create-ferry-source-id-fields" } });
      await s.applyFix?.("create-ferry-source-id-fields", target);
      const after = await s.prerequisites(target);
      expect(after.checks.find((check) => check.id === "ferry-source-id")?.status).toBe("warn");
      expect(after.checks.find((check) => check.id === "ferry-source-id")?.fix).toBeUndefined();
      expect(box.state.fields.activities.some((field) => field.field_name === "Ferry source id")).toBe(false);
      const schema = await s.describe();
      expect(schema.objectTypes.find((object) => object.key === "persons")?.fields.find((field) => field.key === "ferrySourceId")).toMatchObject({
        readOnly: true,
        custom: true,
      });

      expect(after.checks.find((check) => check.id === "ferry-source-id")?.evidence).toEqual([
        'activities: create a text field "Ferry source id" by hand in Pipedrive (Company settings → Data fields → Activity); Pipedrive lets no app create activity fields. Without it, an activity whose write was interrupted is recognised by its subject, type, due date and links.',
        "notes cannot hold a source id: an interrupted note is recognised by its text, links and creation date.",
      ]);
      // §6.2: activity fields are made by hand in Pipedrive; Ferry finds the field by its name.
      box.state.addCustomField("activities", "Ferry source id", "varchar");
      await s.describe();
      const persons = await s.write("persons", [request("src-1", canonical("persons", { name: "A" })), request("src-2", canonical("persons", { name: "B" }))]);
      const activities = await s.write("activities", [request("task-9", canonical("activities", { subject: "T" }))]);
      const code = box.state.fields.persons.find((field) => field.field_name === "Ferry source id")?.field_code as string;
      expect(box.state.live("persons").map((person) => person.customFields[code])).toEqual(["src-1", "src-2"]);
      expect(
        await s.findExisting("persons", [
          { sourceId: "src-2", keys: {} },
          { sourceId: "src-3", keys: {} },
        ]),
      ).toEqual([{ sourceId: "src-2", targetId: createdIds(persons)[1] }]);
      // Activities have no search (§6.4): found among the newest records.
      expect(await s.findExisting("activities", [{ sourceId: "task-9", keys: {} }])).toEqual([{ sourceId: "task-9", targetId: createdIds(activities)[0] }]);
    });

    it.each([1, 2])(
      "loses no record and doubles none when answers are lost after writes (fault seed %i)",
      async (faultSeed) => {
        const clean = await sandbox();
        await session(clean).applyFix?.("create-ferry-source-id-fields", plan());
        const box = await sandbox({ faults: 0.25, faultsAfterWrite: true, faultSeed });
        // The same company, faulty: the fields are created through the API like the fix does.
        await session(box).applyFix?.("create-ferry-source-id-fields", plan());
        const s = session(box, { timeoutMs: 250 });
        let pending = Array.from({ length: 25 }, (_, index) => request(`org-${index}`, canonical("organizations", { name: `Org ${index}` })));
        for (let round = 0; round < 30 && pending.length > 0; round += 1) {
          const results = await s
            .write("organizations", pending)
            .catch(() =>
              pending.map((item) => ({ sourceId: item.sourceId, status: "failed" as const, error: { code: "TEMPORARY" as const, message: "lost" } })),
            );
          const unsure = pending.filter((item) => results.find((result) => result.sourceId === item.sourceId)?.status === "failed");
          const found = await s
            .findExisting(
              "organizations",
              unsure.map((item) => ({ sourceId: item.sourceId, keys: {} })),
            )
            .catch(() => null);
          pending = found === null ? unsure : unsure.filter((item) => !found.some((match) => match.sourceId === item.sourceId));
        }
        const code = box.state.fields.organizations.find((field) => field.field_name === "Ferry source id")?.field_code as string;
        const stamps = box.state.live("organizations").map((org) => org.customFields[code]);
        expect(pending).toEqual([]);
        expect(stamps.sort()).toEqual(Array.from({ length: 25 }, (_, index) => `org-${index}`).sort());
        expect(box.state.faultsInjected.serverError).toBeGreaterThan(0);
      },
      60_000,
    );
  });

  /**
   * Writes `requests` through answers lost after the write, as the engine does: what failed is
   * looked up with the written record as its key (CONTENT_KEY), a match already held by another
   * source record is not this one's (the engine's unclaimedMatches), the rest is written again.
   */
  async function writeThroughLostAnswers(s: ReturnType<typeof session>, objectType: string, requests: WriteRequest[]) {
    const keyOf = (item: WriteRequest) => ({
      sourceId: item.sourceId,
      keys: { [CONTENT_KEY]: JSON.stringify({ createdAt: item.record.createdAt, fields: item.record.fields }) },
    });
    const held = new Map<string, string>();
    let pending = requests;
    for (let round = 0; round < 40 && pending.length > 0; round += 1) {
      const lost = pending.map((item) => ({ sourceId: item.sourceId, status: "failed" as const, error: { code: "TEMPORARY" as const, message: "lost" } }));
      const results: WriteResult[] = await s.write(objectType, pending).catch(() => lost);
      for (const result of results) if (result.status !== "failed") held.set(result.sourceId, result.targetId);
      const unsure = pending.filter((item) => !held.has(item.sourceId));
      const found = await s.findExisting(objectType, unsure.map(keyOf)).catch(() => []);
      const claimed = new Set(held.values());
      for (const match of found) {
        if (claimed.has(match.targetId)) continue;
        held.set(match.sourceId, match.targetId);
        claimed.add(match.targetId);
      }
      pending = unsure.filter((item) => !held.has(item.sourceId));
    }
    return { pending, held };
  }

  describe("crash safety without a stamp (notes, activities without the hand-made field)", () => {
    it.each([1, 2, 3])(
      "writes every note and activity once when answers are lost after writes, identical ones one to one (fault seed %i)",
      async (faultSeed) => {
        const box = await sandbox({ faults: 0.3, faultsAfterWrite: true, faultSeed });
        const person = box.state.insert("persons", { name: "Ada" });
        const deal = box.state.insert("deals", { title: "Big deal", status: "open" });
        const parents: Record<string, CanonicalValue>[] = [
          { person: { objectType: "persons", id: String(person.id) } },
          { deal: { objectType: "deals", id: String(deal.id) } },
        ];
        // 24 notes in 6 kinds of 4 identical ones (same content, parent and creation date), some with a title.
        const notes = Array.from({ length: 24 }, (_, index) => {
          const kind = index % 6;
          const fields = { content: `<p>Call &amp; follow-up ${kind}</p>`, ...(kind % 3 === 0 ? { title: `Visit ${kind}` } : {}), ...parents[kind % 2] };
          return request(`note-${index}`, canonical("notes", fields, `2024-0${1 + kind}-02T03:04:05.000Z`));
        });
        const activities = Array.from({ length: 12 }, (_, index) =>
          request(`act-${index}`, canonical("activities", { subject: `Call ${index % 4}`, dueDate: "2025-03-01", ...parents[index % 2] })),
        );
        const s = session(box, { timeoutMs: 250 });
        const wroteNotes = await writeThroughLostAnswers(s, "notes", notes);
        const wroteActivities = await writeThroughLostAnswers(s, "activities", activities);

        expect(box.state.faultsInjected.serverError).toBeGreaterThan(0);
        expect([wroteNotes.pending, wroteActivities.pending]).toEqual([[], []]);
        // Every source record holds its own target record, and the target holds nothing else.
        expect(new Set(wroteNotes.held.values()).size).toBe(24);
        expect(box.state.notes.size).toBe(24);
        expect(new Set(wroteActivities.held.values()).size).toBe(12);
        expect(box.state.live("activities")).toHaveLength(12);
        const kinds = [...box.state.notes.values()].map((note) => `${note.content}|${note.person_id ?? ""}|${note.deal_id ?? ""}`);
        expect(new Set(kinds).size).toBe(6);
        for (const kind of new Set(kinds)) expect(kinds.filter((other) => other === kind)).toHaveLength(4);
      },
      60_000,
    );

    it("matches a note by its text when Pipedrive changed its markup, and never one of another parent or date", async () => {
      const box = await sandbox();
      const person = box.state.insert("persons", { name: "Ada" });
      const other = box.state.insert("persons", { name: "Bob" });
      const note = (sourceId: string, id: number, createdAt: string) => ({
        sourceId,
        keys: {
          [CONTENT_KEY]: JSON.stringify({ createdAt, fields: { content: "<p>Met  at&nbsp;noon</p>", person: { objectType: "persons", id: String(id) } } }),
        },
      });
      const stored = box.state.insertNote(
        { content: "<div>Met at noon</div>", person_id: person.id, org_id: null, deal_id: null, user_id: box.state.currentUserId },
        Date.parse("2024-01-02T03:04:05Z"),
      );
      const s = session(box);
      expect(
        await s.findExisting("notes", [
          note("same", person.id, "2024-01-02T03:04:05.000Z"),
          note("other-parent", other.id, "2024-01-02T03:04:05.000Z"),
          note("other-date", person.id, "2024-01-03T03:04:05.000Z"),
        ]),
      ).toEqual([{ sourceId: "same", targetId: String(stored.id) }]);
    });
  });

  describe("remove", () => {
    it("deletes what Ferry created and reports ids already gone", async () => {
      const box = await sandbox();
      const s = session(box);
      const ids = createdIds(
        await s.write("organizations", [request("a", canonical("organizations", { name: "A" })), request("b", canonical("organizations", { name: "B" }))]),
      ) as string[];
      const org = box.state.live("organizations")[0];
      box.state.insertNote({ content: "x", person_id: null, org_id: org.id, deal_id: null, user_id: 1 });
      const noteId = String([...box.state.notes.keys()][0]);
      expect(await s.remove("organizations", [ids[0], ids[1], ids[0]])).toEqual([
        { id: ids[0], status: "removed" },
        { id: ids[1], status: "removed" },
        { id: ids[0], status: "not_found" },
      ]);
      expect(await s.remove("notes", [noteId])).toEqual([{ id: noteId, status: "removed" }]);
      expect(box.state.live("organizations")).toHaveLength(0);
      expect(box.state.notes.size).toBe(0);
    });
  });

  describe("prerequisites", () => {
    it("fails the users check for a target user who is not in the company, and passes once mapped to one who is", async () => {
      const box = await sandbox();
      const s = session(box);
      const users = await s.listUsers();
      expect(users.map((user) => user.email)).toEqual(["olivia@example.com", "sam@example.com", "lee@example.com"]);
      const failing = await s.prerequisites(
        plan({ users: [{ sourceUserId: "u1", sourceEmail: "gone@example.com", sourceLabel: "Gone", targetUserId: "404" }] }),
      );
      expect(failing.checks.find((check) => check.id === "pipedrive-users")).toMatchObject({ status: "fail", blocking: true });
      const passing = await s.prerequisites(
        plan({ users: [{ sourceUserId: "u1", sourceEmail: "sam@example.com", sourceLabel: "Sam", targetUserId: users[1].id }] }),
      );
      expect(passing.checks.find((check) => check.id === "pipedrive-users")?.status).toBe("pass");
    });

    it("creates missing custom fields with a compatible type and adds missing options", async () => {
      const box = await sandbox();
      const s = session(box);
      box.state.addCustomField("deals", "Region", "enum", ["EMEA"]);
      const target = plan({
        objectTypes: ["persons", "deals"],
        customFields: [
          {
            objectType: "persons",
            key: "vip",
            label: "VIP level",
            type: "select",
            options: [
              { value: "gold", label: "Gold" },
              { value: "silver", label: "Silver" },
            ],
          },
          { objectType: "persons", key: "notes", label: "Background", type: "longtext" },
          {
            objectType: "deals",
            key: "region",
            label: "Region",
            type: "select",
            options: [
              { value: "emea", label: "EMEA" },
              { value: "apac", label: "APAC" },
            ],
          },
        ],
      });
      const report = await s.prerequisites(target);
      expect(report.checks.find((check) => check.id === "custom-fields")).toMatchObject({ status: "fail", fix: { id: "create-missing-fields" } });
      expect(report.checks.find((check) => check.id === "select-options")).toMatchObject({ status: "fail", evidence: ['deals: "Region" lacks "APAC".'] });
      const fixed = await s.applyFix?.("create-missing-fields", target);
      expect(fixed?.changed).toEqual(['Created persons field "VIP level" (enum)', 'Created persons field "Background" (text)']);
      await s.applyFix?.("add-missing-select-options", target);
      const after = await s.prerequisites(target);
      expect(after.checks.filter((check) => ["custom-fields", "select-options"].includes(check.id)).map((check) => check.status)).toEqual(["pass", "pass"]);
      const vip = box.state.fields.persons.find((field) => field.field_name === "VIP level");
      expect(vip?.options?.map((option) => option.label)).toEqual(["Gold", "Silver"]);
      // A value written by label lands as the option's id (§6.3).
      const [id] = createdIds(await s.write("persons", [request("p", canonical("persons", { name: "P", [vip?.field_code as string]: "Silver" }))]));
      expect(box.state.records.persons.get(Number(id))?.customFields[vip?.field_code as string]).toBe(vip?.options?.[1].id);
    });

    it("reports a field of an incompatible type without offering to create it", async () => {
      const box = await sandbox();
      box.state.addCustomField("persons", "Score", "date");
      const report = await session(box).prerequisites(plan({ customFields: [{ objectType: "persons", key: "score", label: "Score", type: "number" }] }));
      const check = report.checks.find((candidate) => candidate.id === "custom-fields");
      expect(check).toMatchObject({ status: "fail", evidence: ['persons: "Score" is a date field in Pipedrive, the plan needs number.'] });
      expect(check?.fix).toBeUndefined();
    });
  });
});
