// Contract tests for the Pipedrive sandbox over real HTTP: it must answer like Pipedrive's API as
// docs/reference/pipedrive-api.md describes it (§8.1 is the checklist).
import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { startPipedriveSandbox, type PipedriveSandboxOptions } from "@/connectors/pipedrive/sandbox";

const TOKEN = "pipedrive-sandbox-test-token";

type Sandbox = Awaited<ReturnType<typeof startPipedriveSandbox>>;
type Envelope = { success: boolean; data: unknown; additional_data?: Record<string, unknown>; error?: string; error_info?: string; errorCode?: number };
type Reply = { status: number; body: Envelope; headers: Headers };

const running: Sandbox[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
});

async function start(options: Partial<PipedriveSandboxOptions> = {}): Promise<Sandbox> {
  const sandbox = await startPipedriveSandbox({ apiKey: TOKEN, rateLimit: 0, ...options });
  running.push(sandbox);
  return sandbox;
}

function api(sandbox: Sandbox, token: string | null = TOKEN) {
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token !== null) headers["x-api-token"] = token;
    const response = await fetch(`${sandbox.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Envelope) : ({} as Envelope), headers: response.headers };
  };
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body: unknown) => call("POST", path, body),
    patch: (path: string, body: unknown) => call("PATCH", path, body),
    put: (path: string, body: unknown) => call("PUT", path, body),
    delete: (path: string) => call("DELETE", path),
  };
}

const rows = (reply: Reply) => reply.body.data as Record<string, unknown>[];

describe("Pipedrive sandbox", () => {
  describe("authentication (§1.2)", () => {
    it("takes the token as the x-api-token header or the api_token query parameter", async () => {
      const sandbox = await start();
      expect((await api(sandbox).get("/api/v1/users/me")).status).toBe(200);
      const byQuery = await fetch(`${sandbox.url}/api/v2/persons?api_token=${TOKEN}`);
      expect(byQuery.status).toBe(200);
    });

    it("answers 401 with the error envelope to a missing or wrong token, and changes nothing", async () => {
      const sandbox = await start();
      for (const token of [null, "wrong-token"]) {
        const reply = await api(sandbox, token).post("/api/v2/persons", { name: "Eve" });
        expect(reply.status).toBe(401);
        expect(reply.body).toMatchObject({ success: false, data: null, additional_data: null, errorCode: 401 });
        expect(reply.body.error).toMatch(/authorized/);
        expect(reply.body.error_info).toMatch(/developers\.pipedrive\.com/);
      }
      expect(sandbox.state.live("persons")).toHaveLength(0);
    });

    it("serves v1 under both /api/v1 and /v1 (§1.1)", async () => {
      const sandbox = await start();
      const [a, b] = await Promise.all([api(sandbox).get("/api/v1/users"), api(sandbox).get("/v1/users")]);
      expect(a.body).toEqual(b.body);
      expect(rows(a).map((user) => user.email)).toEqual(["olivia@example.com", "sam@example.com", "lee@example.com"]);
    });
  });

  describe("records (§2.1, §5)", () => {
    it("creates a person with emails, phones, an organization and custom fields, and reads it back in the v2 shape", async () => {
      const sandbox = await start();
      const tier = sandbox.state.addCustomField("persons", "Tier", "enum", ["Gold", "Silver"]);
      expect(tier.field_code).toMatch(/^[0-9a-f]{40}$/);
      const org = await api(sandbox).post("/api/v2/organizations", { name: "Acme" });
      expect(org.status).toBe(201);
      const orgId = (org.body.data as { id: number }).id;
      const created = await api(sandbox).post("/api/v2/persons", {
        name: "Ada Lovelace",
        org_id: orgId,
        owner_id: 2,
        emails: [{ value: "ada@example.com", primary: true, label: "work" }],
        phone: [{ value: "+44 20 7946 0000", label: "mobile" }],
        add_time: "2024-03-01T10:00:00Z",
        custom_fields: { [tier.field_code]: tier.options?.[1].id },
      });
      expect(created.status).toBe(201);
      const id = (created.body.data as { id: number }).id;
      const read = await api(sandbox).get(`/api/v2/persons/${id}`);
      expect(read.body).toMatchObject({
        success: true,
        data: {
          id,
          name: "Ada Lovelace",
          org_id: orgId,
          owner_id: 2,
          emails: [{ value: "ada@example.com", primary: true, label: "work" }],
          phones: [{ value: "+44 20 7946 0000", primary: true, label: "mobile" }],
          add_time: "2024-03-01T10:00:00Z",
          is_deleted: false,
          custom_fields: { [tier.field_code]: tier.options?.[1].id },
        },
      });
      expect((read.body.data as { update_time: string }).update_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    });

    it("refuses a bad body with 400 and a message naming the problem, writing nothing", async () => {
      const sandbox = await start();
      const tier = sandbox.state.addCustomField("persons", "Tier", "enum", ["Gold"]);
      const cases: [unknown, RegExp][] = [
        [{}, /'name' is required/],
        [{ name: "A", owner_id: 999 }, /User with id 999/],
        [{ name: "A", org_id: 999 }, /Organization with id 999/],
        [{ name: "A", custom_fields: { ["0".repeat(40)]: "x" } }, /Unknown custom field key/],
        [{ name: "A", custom_fields: { [tier.field_code]: 12345 } }, /not an option/],
        [{ name: "A", nickname: "x" }, /Unknown parameter 'nickname'/],
      ];
      for (const [body, message] of cases) {
        const reply = await api(sandbox).post("/api/v2/persons", body);
        expect(reply.status).toBe(400);
        expect(reply.body.success).toBe(false);
        expect(reply.body.error).toMatch(message);
      }
      expect(sandbox.state.live("persons")).toHaveLength(0);
    });

    it("places a deal in a stage and its pipeline, and refuses a stage of another pipeline (§5.3)", async () => {
      const sandbox = await start();
      const pipelines = rows(await api(sandbox).get("/api/v2/pipelines"));
      const stages = rows(await api(sandbox).get(`/api/v2/stages?pipeline_id=${String(pipelines[1].id)}`));
      expect(stages.map((stage) => stage.name)).toEqual(["Intro", "Pilot", "Signed"]);
      const deal = await api(sandbox).post("/api/v2/deals", { title: "Pilot", stage_id: stages[1].id, value: 1200, currency: "EUR", status: "won" });
      expect(deal.body.data).toMatchObject({ pipeline_id: pipelines[1].id, stage_id: stages[1].id, value: 1200, currency: "EUR", status: "won" });
      const defaulted = await api(sandbox).post("/api/v2/deals", { title: "Default" });
      expect((defaulted.body.data as { pipeline_id: number }).pipeline_id).toBe(pipelines[0].id);
      const wrong = await api(sandbox).post("/api/v2/deals", { title: "Wrong", pipeline_id: pipelines[0].id, stage_id: stages[0].id });
      expect(wrong.status).toBe(400);
    });

    it("takes activities of a known type with a due date, time and done flag (§5.4)", async () => {
      const sandbox = await start();
      const types = rows(await api(sandbox).get("/api/v1/activityTypes")).map((type) => type.key_string);
      expect(types).toEqual(expect.arrayContaining(["call", "meeting", "task", "deadline", "email", "lunch"]));
      const ok = await api(sandbox).post("/api/v2/activities", {
        subject: "Call Ada",
        type: "call",
        due_date: "2025-05-01",
        due_time: "09:30",
        done: true,
        owner_id: 3,
      });
      expect(ok.body.data).toMatchObject({ subject: "Call Ada", type: "call", due_date: "2025-05-01", due_time: "09:30", done: true, owner_id: 3 });
      expect((await api(sandbox).post("/api/v2/activities", { subject: "X", type: "telepathy" })).status).toBe(400);
      expect((await api(sandbox).post("/api/v2/activities", { subject: "X", due_date: "01/05/2025" })).status).toBe(400);
    });

    it("updates with PATCH in v2 and PUT for v1 notes", async () => {
      const sandbox = await start();
      const org = await api(sandbox).post("/api/v2/organizations", { name: "Old" });
      const id = (org.body.data as { id: number }).id;
      const patched = await api(sandbox).patch(`/api/v2/organizations/${id}`, { name: "New" });
      expect(patched.body.data).toMatchObject({ id, name: "New" });
      const note = await api(sandbox).post("/api/v1/notes", { content: "<p>Hi</p>", org_id: id });
      const noteId = (note.body.data as { id: number }).id;
      const put = await api(sandbox).put(`/api/v1/notes/${noteId}`, { content: "<p>Bye</p>" });
      expect(put.body.data).toMatchObject({ id: noteId, content: "<p>Bye</p>", org_id: id });
      expect((put.body.data as { add_time: string }).add_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    });

    it("refuses a note with no content or no linked record (§5.5)", async () => {
      const sandbox = await start();
      const person = await api(sandbox).post("/api/v2/persons", { name: "P" });
      expect((await api(sandbox).post("/api/v1/notes", { content: "<p>orphan</p>" })).status).toBe(400);
      expect((await api(sandbox).post("/api/v1/notes", { content: "", person_id: (person.body.data as { id: number }).id })).status).toBe(400);
      expect(sandbox.state.notes.size).toBe(0);
    });
  });

  describe("pagination (§3)", () => {
    it("pages v2 lists with cursor and limit, clamps the limit to 500, and ends with next_cursor null", async () => {
      const sandbox = await start();
      for (let index = 0; index < 620; index += 1) sandbox.state.insert("persons", { name: `P${index}` });
      const first = await api(sandbox).get("/api/v2/persons?limit=1000");
      expect(rows(first)).toHaveLength(500);
      const cursor = first.body.additional_data?.next_cursor as string;
      expect(typeof cursor).toBe("string");
      const second = await api(sandbox).get(`/api/v2/persons?limit=1000&cursor=${encodeURIComponent(cursor)}`);
      expect(rows(second)).toHaveLength(120);
      expect(second.body.additional_data).toEqual({ next_cursor: null });
      const ids = [...rows(first), ...rows(second)].map((person) => person.id as number);
      expect(new Set(ids).size).toBe(620);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(rows(await api(sandbox).get("/api/v2/persons"))).toHaveLength(100);
      expect((await api(sandbox).get("/api/v2/persons?cursor=not-a-cursor")).status).toBe(400);
    });

    it("pages v1 notes with start and limit, more_items_in_collection and next_start", async () => {
      const sandbox = await start();
      const org = sandbox.state.insert("organizations", { name: "Acme" });
      for (let index = 0; index < 7; index += 1) sandbox.state.insertNote({ content: `n${index}`, person_id: null, org_id: org.id, deal_id: null, user_id: 1 });
      const first = await api(sandbox).get("/api/v1/notes?limit=5");
      expect(rows(first)).toHaveLength(5);
      expect(first.body.additional_data).toEqual({ pagination: { start: 0, limit: 5, more_items_in_collection: true, next_start: 5 } });
      const second = await api(sandbox).get("/api/v1/notes?limit=5&start=5");
      expect(rows(second).map((note) => note.content)).toEqual(["n5", "n6"]);
      expect(second.body.additional_data).toEqual({ pagination: { start: 5, limit: 5, more_items_in_collection: false } });
    });

    it("lists only records updated since an instant (§5.7)", async () => {
      const sandbox = await start();
      sandbox.state.insert("deals", { title: "old", status: "open" }, {}, Date.UTC(2024, 0, 1));
      sandbox.state.insert("deals", { title: "new", status: "open" }, {}, Date.UTC(2025, 5, 1));
      const reply = await api(sandbox).get(`/api/v2/deals?updated_since=${encodeURIComponent("2025-01-01T00:00:00Z")}`);
      expect(rows(reply).map((deal) => deal.title)).toEqual(["new"]);
      expect((await api(sandbox).get("/api/v2/deals?updated_since=yesterday")).status).toBe(400);
    });
  });

  describe("custom fields (§6)", () => {
    it("creates fields with a 40-character key and numbered options, and lists them", async () => {
      const sandbox = await start();
      const created = await api(sandbox).post("/api/v2/dealFields", {
        field_name: "Region",
        field_type: "set",
        options: [{ label: "EMEA" }, { label: "APAC" }],
      });
      expect(created.status).toBe(201);
      const field = created.body.data as { field_code: string; options: { id: number; label: string }[]; is_custom_field: boolean };
      expect(field.field_code).toMatch(/^[0-9a-f]{40}$/);
      expect(field.is_custom_field).toBe(true);
      expect(field.options.map((option) => option.label)).toEqual(["EMEA", "APAC"]);
      const listed = rows(await api(sandbox).get("/api/v2/dealFields"));
      expect(listed.find((candidate) => candidate.field_code === field.field_code)).toMatchObject({ field_name: "Region", field_type: "set" });
      expect(listed.find((candidate) => candidate.field_code === "title")).toMatchObject({ is_custom_field: false });
      expect((await api(sandbox).post("/api/v2/dealFields", { field_name: "Kind", field_type: "enum" })).status).toBe(400);
      // Activity fields are listed, never created through the API.
      expect((await api(sandbox).post("/api/v2/activityFields", { field_name: "Region", field_type: "varchar" })).status).toBe(404);
      expect(sandbox.state.fields.activities.some((candidate) => candidate.field_name === "Region")).toBe(false);
      expect((await api(sandbox).post("/api/v2/dealFields", { field_name: "Odd", field_type: "hologram" })).status).toBe(400);
    });

    it("finds a record by the exact value of a text custom field through search (§6.4)", async () => {
      const sandbox = await start();
      const field = sandbox.state.addCustomField("persons", "Ferry source id", "varchar");
      sandbox.state.insert("persons", { name: "A" }, { [field.field_code]: "src-1" });
      const b = sandbox.state.insert("persons", { name: "B" }, { [field.field_code]: "src-12" });
      const reply = await api(sandbox).get("/api/v2/persons/search?term=src-12&fields=custom_fields&exact_match=true");
      expect(reply.body.data).toEqual({ items: [{ result_score: 1, item: { id: b.id, type: "person", name: "B" } }] });
      expect((await api(sandbox).get("/api/v2/persons/search?term=a")).status).toBe(400);
    });
  });

  describe("deleting (§7)", () => {
    it("marks a record deleted: it leaves lists, answers 404, and deals stay listable with status=deleted", async () => {
      const sandbox = await start();
      const deal = sandbox.state.insert("deals", { title: "Gone", status: "open" });
      const removed = await api(sandbox).delete(`/api/v2/deals/${deal.id}`);
      expect(removed.body).toEqual({ success: true, data: { id: deal.id } });
      expect(rows(await api(sandbox).get("/api/v2/deals"))).toHaveLength(0);
      expect((await api(sandbox).get(`/api/v2/deals/${deal.id}`)).status).toBe(404);
      expect((await api(sandbox).delete(`/api/v2/deals/${deal.id}`)).status).toBe(404);
      expect(rows(await api(sandbox).get("/api/v2/deals?status=deleted")).map((row) => row.is_deleted)).toEqual([true]);
    });
  });

  describe("rate limit (§4)", () => {
    it("sends the window's headers on every answer and a 429 with Retry-After once the burst is spent", async () => {
      const sandbox = await start({ rateLimit: 3, rateWindowMs: 60_000 });
      const replies = [];
      for (let index = 0; index < 4; index += 1) replies.push(await api(sandbox).get("/api/v2/persons"));
      expect(replies.slice(0, 3).map((reply) => reply.headers.get("x-ratelimit-remaining"))).toEqual(["2", "1", "0"]);
      expect(replies[0].headers.get("x-ratelimit-limit")).toBe("3");
      const refused = replies[3];
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ success: false, error: "Request over limit", errorCode: 429 });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(Number(refused.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
    });

    it("gives search its own, lower burst limit", async () => {
      const sandbox = await start({ rateLimit: 4, rateWindowMs: 60_000 });
      const statuses = [];
      for (let index = 0; index < 3; index += 1) statuses.push((await api(sandbox).get("/api/v2/persons/search?term=ab")).status);
      expect(statuses).toEqual([200, 200, 429]);
      expect((await api(sandbox).get("/api/v2/persons")).status).toBe(200);
    });
  });

  describe("sample seed and command line", () => {
    it("seeds a small company with custom fields when asked", async () => {
      const sandbox = await start({ seed: "sample" });
      expect(sandbox.state.live("organizations")).toHaveLength(8);
      expect(sandbox.state.live("persons")).toHaveLength(20);
      expect(sandbox.state.live("deals")).toHaveLength(12);
      expect(sandbox.state.live("activities")).toHaveLength(15);
      expect(sandbox.state.notes.size).toBe(15);
      expect(sandbox.state.fields.persons.filter((field) => field.is_custom_field).map((field) => field.field_name)).toEqual(["Customer tier", "Birthday"]);
    });

    it("starts from npm run sandbox:pipedrive's script with --api-token and answers on the printed URL", async () => {
      const child = spawn(
        path.join("node_modules", ".bin", "tsx"),
        ["connectors/pipedrive/sandbox/cli.ts", "--port", "0", "--api-token", TOKEN, "--rate-limit", "0"],
        {
          cwd: process.cwd(),
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      onTestFinished(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      });
      const url = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString("utf8");
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`CLI exited with ${String(code)} before printing its URL: ${output}`)));
      });
      const reply = await fetch(`${url}/api/v1/users/me`, { headers: { "x-api-token": TOKEN } });
      expect(reply.status).toBe(200);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }, 30_000);
  });
});
