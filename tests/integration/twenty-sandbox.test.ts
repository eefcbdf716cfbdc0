// Contract tests for the Twenty sandbox over real HTTP: it must answer like Twenty's REST and
// metadata API as docs/reference/twenty-api.md describes it.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { createFaultInjector } from "@/connectors/shared/sandbox-kit";
import { startTwentySandbox, type TwentySandboxOptions, type TwentySandboxState } from "@/connectors/twenty/sandbox";

const API_KEY = "twenty-sandbox-test-key";

type Sandbox = Awaited<ReturnType<typeof startTwentySandbox>>;
type Reply = { status: number; body: Record<string, unknown> & { data?: Record<string, unknown> }; headers: Headers };

const running: Sandbox[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
});

async function start(options: Partial<TwentySandboxOptions> = {}): Promise<Sandbox> {
  const sandbox = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, ...options });
  running.push(sandbox);
  return sandbox;
}

function client(sandbox: Sandbox, key: string | null = API_KEY) {
  const call = async (method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Reply> => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const response = await fetch(`${sandbox.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  };
  return {
    get: (path: string, signal?: AbortSignal) => call("GET", path, undefined, signal),
    post: (path: string, body: unknown) => call("POST", path, body),
    patch: (path: string, body: unknown) => call("PATCH", path, body),
    delete: (path: string) => call("DELETE", path),
  };
}

const q = (value: string) => encodeURIComponent(value);

function personInput(index: number, overrides: Record<string, unknown> = {}) {
  return {
    name: { firstName: `First${String(index).padStart(3, "0")}`, lastName: `Last${String(index % 7)}` },
    emails: { primaryEmail: `person${index}@example.com`, additionalEmails: [] },
    jobTitle: index % 2 === 0 ? "Engineer" : "Manager",
    ...overrides,
  };
}

function arrangePeople(state: TwentySandboxState, count: number) {
  return state.insertRecords(
    "people",
    Array.from({ length: count }, (_, index) => personInput(index)),
  );
}

function list(reply: Reply, plural: string): Record<string, unknown>[] {
  return (reply.body.data as Record<string, Record<string, unknown>[]>)[plural];
}

describe("Twenty sandbox", () => {
  describe("authentication (twenty-api §1)", () => {
    it("answers 403 FORBIDDEN_EXCEPTION without a token", async () => {
      const sandbox = await start();
      const reply = await client(sandbox, null).get("/rest/people");
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual({ statusCode: 403, error: "FORBIDDEN_EXCEPTION", messages: ["Missing authentication token"] });
    });

    it("answers 401 UNAUTHENTICATED with a wrong token", async () => {
      const sandbox = await start();
      const reply = await client(sandbox, "not-the-key").get("/rest/metadata/objects");
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ statusCode: 401, error: "UNAUTHENTICATED", messages: ["Token invalid."] });
    });
  });

  describe("listing records (twenty-api §2.1-2.3)", () => {
    it("pages forward and back with cursors, counting every match in totalCount", async () => {
      const sandbox = await start();
      arrangePeople(sandbox.state, 130);
      const api = client(sandbox);
      const seen: string[] = [];
      let cursor: string | null = null;
      const pages: Reply[] = [];
      do {
        const reply: Reply = await api.get(`/rest/people?limit=50${cursor ? `&starting_after=${q(cursor)}` : ""}`);
        expect(reply.status).toBe(200);
        expect(reply.body.totalCount).toBe(130);
        pages.push(reply);
        seen.push(...list(reply, "people").map((person) => String(person.id)));
        const pageInfo = reply.body.pageInfo as { hasNextPage: boolean; endCursor: string };
        cursor = pageInfo.hasNextPage ? pageInfo.endCursor : null;
      } while (cursor);
      expect(pages.map((page) => list(page, "people").length)).toEqual([50, 50, 30]);
      expect(new Set(seen).size).toBe(130);
      expect(pages[0].body.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

      const lastPage = pages[2].body.pageInfo as { startCursor: string };
      const back = await api.get(`/rest/people?limit=50&ending_before=${q(lastPage.startCursor)}`);
      expect(list(back, "people").map((person) => person.id)).toEqual(list(pages[1], "people").map((person) => person.id));
      expect(back.body.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    });

    it("refuses a cursor it did not hand out", async () => {
      const sandbox = await start();
      const reply = await client(sandbox).get("/rest/people?starting_after=not-base64-json");
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ statusCode: 400, error: "BadRequestException", messages: ["Invalid cursor"] });
    });

    it("defaults to 60 records, clamps limit to 200 and rejects a non-numeric limit", async () => {
      const sandbox = await start();
      arrangePeople(sandbox.state, 230);
      const api = client(sandbox);
      expect(list(await api.get("/rest/people"), "people")).toHaveLength(60);
      const clamped = await api.get("/rest/people?limit=1000");
      expect(list(clamped, "people")).toHaveLength(200);
      expect(clamped.body.pageInfo).toMatchObject({ hasNextPage: true });
      const invalid = await api.get("/rest/people?limit=abc");
      expect(invalid.status).toBe(400);
      expect(invalid.body.messages).toEqual(["limit 'abc' is invalid. Should be an integer"]);
    });

    it("filters with comparators, nested and/or/not and composite sub-fields", async () => {
      const sandbox = await start();
      const [ada, grace] = sandbox.state.insertRecords("people", [
        personInput(1, { name: { firstName: "Ada", lastName: "Lovelace" }, city: "London", emails: { primaryEmail: "ada@acme.com" } }),
        personInput(2, { name: { firstName: "Grace", lastName: "Hopper" }, city: "New York", emails: { primaryEmail: "grace@navy.mil" } }),
        personInput(3, { name: { firstName: "Alan", lastName: "Turing" }, city: "London", emails: { primaryEmail: "alan@acme.com" } }),
      ]);
      sandbox.state.insertRecords("opportunities", [
        { name: "Small", amount: { amountMicros: 1_000_000_000, currencyCode: "USD" }, stage: "NEW", pointOfContactId: ada.id },
        { name: "Big", amount: { amountMicros: 90_000_000_000, currencyCode: "USD" }, stage: "PROPOSAL" },
        { name: "Unset", stage: "MEETING" },
      ]);
      const api = client(sandbox);
      const names = async (path: string, plural = "people") => {
        const reply = await api.get(path);
        expect(reply.status).toBe(200);
        return list(reply, plural)
          .map((record) => (plural === "people" ? (record.name as { firstName: string }).firstName : record.name))
          .sort();
      };
      expect(await names(`/rest/people?filter=${q("emails.primaryEmail[eq]:ada@acme.com")}`)).toEqual(["Ada"]);
      expect(await names(`/rest/people?filter=${q("city[neq]:London")}`)).toEqual(["Grace"]);
      expect(await names(`/rest/people?filter=${q(`id[in]:[${ada.id},${grace.id}]`)}`)).toEqual(["Ada", "Grace"]);
      expect(await names(`/rest/people?filter=${q('name.lastName[ilike]:"%OP%"')}`)).toEqual(["Grace"]);
      expect(await names(`/rest/people?filter=${q("emails.primaryEmail[like]:%@acme.com")}`)).toEqual(["Ada", "Alan"]);
      expect(await names(`/rest/people?filter=${q("or(city[eq]:New York,and(city[eq]:London,name.firstName[startsWith]:Al))")}`)).toEqual(["Alan", "Grace"]);
      expect(await names(`/rest/people?filter=${q("city[eq]:London,not(name.firstName[eq]:Ada)")}`)).toEqual(["Alan"]);
      expect(await names(`/rest/opportunities?filter=${q("amount.amountMicros[gte]:5000000000")}`, "opportunities")).toEqual(["Big"]);
      expect(await names(`/rest/opportunities?filter=${q("amount.amountMicros[lte]:5000000000")}`, "opportunities")).toEqual(["Small"]);
      expect(await names(`/rest/opportunities?filter=${q("amount.amountMicros[is]:NULL")}`, "opportunities")).toEqual(["Unset"]);
      expect(await names(`/rest/opportunities?filter=${q("stage[in]:[NEW,PROPOSAL]")}`, "opportunities")).toEqual(["Big", "Small"]);
      expect(await names(`/rest/opportunities?filter=${q(`pointOfContactId[eq]:${ada.id}`)}`, "opportunities")).toEqual(["Small"]);

      const invalid = await api.get(`/rest/people?filter=${q("city:London")}`);
      expect(invalid.status).toBe(400);
      expect(invalid.body.messages).toEqual(["'filter' invalid for 'city:London'. eg: price[gte]:10"]);
      const unknown = await api.get(`/rest/people?filter=${q("shoeSize[eq]:42")}`);
      expect(unknown.status).toBe(400);
    });

    it("orders by fields and sub-fields with null placement, id breaking ties", async () => {
      const sandbox = await start();
      sandbox.state.insertRecords("companies", [
        { name: "Beta", employees: 10 },
        { name: "Alpha", employees: null },
        { name: "Gamma", employees: 500 },
      ]);
      const api = client(sandbox);
      const order = async (orderBy: string) => list(await api.get(`/rest/companies?order_by=${q(orderBy)}`), "companies").map((company) => company.name);
      expect(await order("name")).toEqual(["Alpha", "Beta", "Gamma"]);
      expect(await order("employees[DescNullsLast]")).toEqual(["Gamma", "Beta", "Alpha"]);
      expect(await order("employees[AscNullsFirst]")).toEqual(["Alpha", "Beta", "Gamma"]);
      const bad = await api.get("/rest/companies?order_by=name[Upwards]");
      expect(bad.status).toBe(400);
      expect(String((bad.body.messages as string[])[0])).toContain("'order_by' direction 'Upwards' invalid");
    });
  });

  describe("writing records (twenty-api §2.3-2.5, twenty-api §3.3)", () => {
    it("creates one record with composite fields normalised and Twenty's envelope", async () => {
      const sandbox = await start();
      const reply = await client(sandbox).post("/rest/people", {
        name: { firstName: "Ada", lastName: "Lovelace" },
        emails: { primaryEmail: "Ada@Exämple.COM.", additionalEmails: ["ADA@Work.com"] },
        phones: { primaryPhoneNumber: "6125550123", primaryPhoneCountryCode: "US", primaryPhoneCallingCode: "+1", additionalPhones: [] },
        linkedinLink: { primaryLinkUrl: "https://linkedin.com/in/ada/", primaryLinkLabel: "", secondaryLinks: [] },
        createdBy: { source: "IMPORT" },
        createdAt: "2020-05-01T10:00:00Z",
      });
      expect(reply.status).toBe(201);
      const person = (reply.body.data as Record<string, Record<string, unknown>>).createPerson;
      expect(person).toMatchObject({
        name: { firstName: "Ada", lastName: "Lovelace" },
        emails: { primaryEmail: "ada@xn--exmple-cua.com", additionalEmails: ["ada@work.com"] },
        linkedinLink: { primaryLinkUrl: "https://linkedin.com/in/ada" },
        createdBy: { source: "IMPORT", workspaceMemberId: null, name: "Sandbox API key" },
        createdAt: "2020-05-01T10:00:00.000Z",
        deletedAt: null,
        jobTitle: "",
      });
      const fetched = await client(sandbox).get(`/rest/people/${String(person.id)}`);
      expect((fetched.body.data as Record<string, unknown>).person).toEqual(person);
    });

    it("rejects wrong shapes, unknown fields and select labels with 400", async () => {
      const sandbox = await start();
      const api = client(sandbox);
      const wrongShape = await api.post("/rest/people", { emails: "ada@acme.com" });
      expect(wrongShape.status).toBe(400);
      const unknownSubField = await api.post("/rest/people", { name: { first: "Ada" } });
      expect(unknownSubField.status).toBe(400);
      const unknownField = await api.post("/rest/people", { shoeSize: 42 });
      expect(unknownField.body).toEqual({ statusCode: 400, error: "BadRequestException", messages: ['Object person doesn\'t have any "shoeSize" field.'] });
      const label = await api.post("/rest/opportunities", { name: "Deal", stage: "Meeting" });
      expect(label.body).toEqual({
        statusCode: 400,
        error: "BadRequestException",
        messages: ['invalid input value for enum workspace_sandbox.opportunity_stage_enum: "Meeting"'],
      });
      const unknownOwner = await api.post("/rest/companies", { name: "Acme", accountOwnerId: "8d1e3f0c-1111-4222-8333-444455556666" });
      expect(unknownOwner.status).toBe(400);
      expect(sandbox.state.records("people")).toHaveLength(0);
    });

    it("takes 200 records per batch by default and refuses 201 with Twenty's error, writing none", async () => {
      const sandbox = await start();
      const api = client(sandbox);
      const tooMany = await api.post(
        "/rest/batch/people",
        Array.from({ length: 201 }, (_, index) => personInput(index)),
      );
      expect(tooMany.status).toBe(400);
      expect(tooMany.body).toEqual({
        statusCode: 400,
        error: "BadRequestException",
        messages: ["Maximum number of records to upsert is 200."],
        code: "TOO_MANY_RECORDS_TO_UPDATE",
      });
      expect(sandbox.state.records("people")).toHaveLength(0);
      const created = await api.post(
        "/rest/batch/people",
        Array.from({ length: 200 }, (_, index) => personInput(index)),
      );
      expect(created.status).toBe(201);
      expect(sandbox.state.records("people")).toHaveLength(200);
      const page = await api.get("/rest/people?limit=500");
      expect(list(page, "people")).toHaveLength(200);
    });

    it("plays an older server with --max-batch 60: 61 records are refused, 60 go through in input order, pages clamp at 60", async () => {
      const sandbox = await start({ maxBatch: 60 });
      const api = client(sandbox);
      const tooMany = await api.post(
        "/rest/batch/people",
        Array.from({ length: 61 }, (_, index) => personInput(index)),
      );
      expect(tooMany.status).toBe(400);
      expect(tooMany.body).toEqual({
        statusCode: 400,
        error: "BadRequestException",
        messages: ["Maximum number of records to upsert is 60."],
        code: "TOO_MANY_RECORDS_TO_UPDATE",
      });
      expect(sandbox.state.records("people")).toHaveLength(0);

      const inputs = Array.from({ length: 60 }, (_, index) => personInput(index));
      const created = await api.post("/rest/batch/people", inputs);
      expect(created.status).toBe(201);
      const people = (created.body.data as Record<string, Record<string, unknown>[]>).createPeople;
      expect(people.map((person) => (person.emails as { primaryEmail: string }).primaryEmail)).toEqual(inputs.map((input) => input.emails.primaryEmail));

      const notArray = await api.post("/rest/batch/people", personInput(99));
      expect(notArray.body.messages).toEqual(["Body must be an array"]);
    });

    it("refuses a duplicate primary email (any case) with Twenty's duplicate error, also for soft-deleted owners", async () => {
      const sandbox = await start();
      const api = client(sandbox);
      const first = await api.post("/rest/people", personInput(1, { emails: { primaryEmail: "ada@acme.com" } }));
      expect(first.status).toBe(201);
      const duplicate = await api.post("/rest/people", personInput(2, { emails: { primaryEmail: "ADA@acme.com" } }));
      expect(duplicate.status).toBe(400);
      expect(duplicate.body).toEqual({ statusCode: 400, error: "BadRequestException", messages: ["A duplicate entry was detected"] });

      const id = String((first.body.data as Record<string, Record<string, unknown>>).createPerson.id);
      await api.delete(`/rest/people/${id}?soft_delete=true`);
      const afterSoftDelete = await api.post("/rest/people", personInput(3, { emails: { primaryEmail: "ada@acme.com" } }));
      expect(afterSoftDelete.body.messages).toEqual(["A duplicate entry was detected"]);
    });

    it("fails a whole batch when one record is a duplicate, so the client can retry without it", async () => {
      const sandbox = await start();
      const api = client(sandbox);
      sandbox.state.insertRecords("people", [personInput(0, { emails: { primaryEmail: "taken@acme.com" } })]);
      const batch = [personInput(1), personInput(2, { emails: { primaryEmail: "taken@acme.com" } }), personInput(3)];
      const failed = await api.post("/rest/batch/people", batch);
      expect(failed.status).toBe(400);
      expect(failed.body.messages).toEqual(["A duplicate entry was detected"]);
      expect(sandbox.state.records("people")).toHaveLength(1);

      const retried = await api.post("/rest/batch/people", [batch[0], batch[2]]);
      expect(retried.status).toBe(201);
      expect(sandbox.state.records("people")).toHaveLength(3);
    });

    it("compares company domains by host", async () => {
      const sandbox = await start();
      const api = client(sandbox);
      expect((await api.post("/rest/companies", { name: "Acme", domainName: { primaryLinkUrl: "https://acme.com/" } })).status).toBe(201);
      const sameHost = await api.post("/rest/companies", { name: "Acme again", domainName: { primaryLinkUrl: "http://acme.com" } });
      expect(sameHost.body).toEqual({ statusCode: 400, error: "BadRequestException", messages: ["A duplicate entry was detected"] });
    });

    it("upserts on id and unique fields, restoring soft-deleted rows and keeping createdBy", async () => {
      const sandbox = await start();
      const api = client(sandbox);
      const [existing] = sandbox.state.insertRecords("people", [personInput(1, { emails: { primaryEmail: "ada@acme.com" }, jobTitle: "Analyst" })]);
      await api.delete(`/rest/people/${String(existing.id)}?soft_delete=true`);

      const upserted = await api.post("/rest/people?upsert=true", {
        emails: { primaryEmail: "Ada@Acme.com" },
        jobTitle: "CTO",
        createdBy: { source: "IMPORT" },
      });
      expect(upserted.status).toBe(201);
      expect((upserted.body.data as Record<string, Record<string, unknown>>).createPerson).toMatchObject({
        id: existing.id,
        jobTitle: "CTO",
        deletedAt: null,
        createdBy: existing.createdBy,
        name: existing.name,
      });

      const batch = await api.post("/rest/batch/people?upsert=true", [
        { id: existing.id, city: "London" },
        personInput(2, { emails: { primaryEmail: "grace@navy.mil" } }),
      ]);
      expect(batch.status).toBe(201);
      const rows = (batch.body.data as Record<string, Record<string, unknown>[]>).createPeople;
      expect(rows[0]).toMatchObject({ id: existing.id, city: "London", jobTitle: "CTO" });
      expect(sandbox.state.records("people")).toHaveLength(2);

      const ambiguous = await api.post("/rest/people?upsert=true", { id: existing.id, emails: { primaryEmail: "grace@navy.mil" } });
      expect(ambiguous.status).toBe(400);
      expect(ambiguous.body.code).toBe("UPSERT_MULTIPLE_MATCHING_RECORDS_CONFLICT");
    });

    it("updates with PATCH, merging composite sub-fields", async () => {
      const sandbox = await start();
      const [person] = sandbox.state.insertRecords("people", [personInput(1, { name: { firstName: "Ada", lastName: "Byron" } })]);
      const reply = await client(sandbox).patch(`/rest/people/${String(person.id)}`, { name: { lastName: "Lovelace" } });
      expect(reply.status).toBe(200);
      expect((reply.body.data as Record<string, Record<string, unknown>>).updatePerson).toMatchObject({ name: { firstName: "Ada", lastName: "Lovelace" } });
      const missing = await client(sandbox).patch("/rest/people/8d1e3f0c-1111-4222-8333-444455556666", { city: "Paris" });
      expect(missing.status).toBe(404);
      const notUuid = await client(sandbox).get("/rest/people/42");
      expect(notUuid.body.messages).toEqual(["'42' is not a valid UUID"]);
    });

    it("hides soft-deleted records unless the filter asks for deletedAt, and destroys by default", async () => {
      const sandbox = await start();
      const api = client(sandbox);
      const [kept, softDeleted, destroyed] = arrangePeople(sandbox.state, 3);
      const soft = await api.delete(`/rest/people/${String(softDeleted.id)}?soft_delete=true`);
      expect(soft.status).toBe(200);
      expect((soft.body.data as Record<string, Record<string, unknown>>).deletePerson).toMatchObject({ id: softDeleted.id });
      expect(typeof sandbox.state.record("people", String(softDeleted.id))?.deletedAt).toBe("string");

      const visible = await api.get("/rest/people");
      expect(list(visible, "people").map((person) => person.id)).not.toContain(softDeleted.id);
      expect(visible.body.totalCount).toBe(2);
      expect((await api.get(`/rest/people/${String(softDeleted.id)}`)).status).toBe(404);
      const trash = await api.get(`/rest/people?filter=${q("deletedAt[is]:NOT_NULL")}`);
      expect(list(trash, "people").map((person) => person.id)).toEqual([softDeleted.id]);

      const destroy = await api.delete(`/rest/people/${String(destroyed.id)}`);
      expect((destroy.body.data as Record<string, Record<string, unknown>>).deletePerson).toMatchObject({ id: destroyed.id });
      expect(sandbox.state.record("people", String(destroyed.id))).toBeUndefined();

      const restored = await api.patch(`/rest/people/${String(softDeleted.id)}/restore`, {});
      expect((restored.body.data as Record<string, Record<string, unknown>>).restorePerson).toMatchObject({ id: softDeleted.id, deletedAt: null });
      expect(kept.id).toBeDefined();
    });
  });

  describe("metadata API (twenty-api §3.1)", () => {
    it("creates a custom SELECT field that shows in the object metadata and takes API values", async () => {
      const sandbox = await start();
      const api = client(sandbox);
      const objects = await api.get("/rest/metadata/objects");
      const companies = (objects.body.data as { objects: { id: string; namePlural: string }[] }).objects.find((object) => object.namePlural === "companies");
      expect(companies).toBeDefined();

      const created = await api.post("/rest/metadata/fields", {
        objectMetadataId: companies?.id,
        type: "SELECT",
        name: "leadSource",
        label: "Lead source",
        isNullable: true,
        options: [
          { label: "Web", value: "WEB", color: "blue", position: 0 },
          { label: "Referral", value: "REFERRAL", color: "green", position: 1 },
        ],
        defaultValue: null,
      });
      expect(created.status).toBe(201);
      const field = (created.body.data as Record<string, Record<string, unknown>>).createOneField;
      expect(field).toMatchObject({ name: "leadSource", type: "SELECT", isCustom: true, isNullable: true });

      const company = await api.get(`/rest/metadata/objects/${String(companies?.id)}`);
      const fields = (company.body.data as Record<string, { fields: Record<string, unknown>[] }>).object.fields;
      expect(fields.find((candidate) => candidate.name === "leadSource")).toMatchObject({ options: [{ value: "WEB" }, { value: "REFERRAL" }] });
      expect(fields.find((candidate) => candidate.name === "domainName")).toMatchObject({ type: "LINKS", isUnique: true, isCustom: false });
      expect(fields.find((candidate) => candidate.name === "accountOwner")).toMatchObject({
        type: "RELATION",
        relation: { type: "MANY_TO_ONE", targetObjectMetadata: { namePlural: "workspaceMembers" } },
      });

      expect((await api.post("/rest/companies", { name: "Acme", leadSource: "WEB" })).status).toBe(201);
      expect((await api.post("/rest/companies", { name: "Acme 2", leadSource: "Web" })).status).toBe(400);

      const renamedOptions = await api.patch(`/rest/metadata/fields/${String(field.id)}`, {
        options: [
          { label: "Website", value: "WEB", color: "blue", position: 0 },
          { label: "Partner", value: "PARTNER", color: "red", position: 1 },
        ],
      });
      expect((renamedOptions.body.data as Record<string, Record<string, unknown>>).updateOneField).toMatchObject({
        options: [{ label: "Website" }, { value: "PARTNER" }],
      });
      expect((await api.post("/rest/companies", { name: "Acme 3", leadSource: "PARTNER" })).status).toBe(201);

      const duplicateName = await api.post("/rest/metadata/fields", { objectMetadataId: companies?.id, type: "TEXT", name: "leadSource", label: "Again" });
      expect(duplicateName.status).toBe(400);
    });

    it("creates a custom object whose records live at /rest/<namePlural>", async () => {
      const sandbox = await start();
      const api = client(sandbox);
      const created = await api.post("/rest/metadata/objects", {
        nameSingular: "ticket",
        namePlural: "tickets",
        labelSingular: "Ticket",
        labelPlural: "Tickets",
        icon: "IconTicket",
      });
      expect(created.status).toBe(201);
      const object = (created.body.data as Record<string, Record<string, unknown>>).createOneObject;
      expect(object).toMatchObject({ nameSingular: "ticket", isCustom: true });
      expect((object.fields as { name: string }[]).map((field) => field.name)).toEqual(
        expect.arrayContaining(["id", "name", "position", "createdBy", "createdAt"]),
      );

      const one = await api.post("/rest/tickets", { name: "Printer on fire" });
      expect(one.status).toBe(201);
      expect((one.body.data as Record<string, Record<string, unknown>>).createTicket).toMatchObject({ name: "Printer on fire" });
      const many = await api.post("/rest/batch/tickets", [{ name: "A" }, { name: "B" }]);
      expect((many.body.data as Record<string, unknown[]>).createTickets).toHaveLength(2);
      const listed = await api.get("/rest/tickets");
      expect(listed.body.totalCount).toBe(3);

      const noteTargetFields = sandbox.state.objectMetadata().find((candidate) => candidate.namePlural === "noteTargets")?.fields as { name: string }[];
      expect(noteTargetFields.map((field) => field.name)).toContain("targetTicket");
      expect((await api.get("/rest/nothings")).status).toBe(400);
    });
  });

  describe("workspace, workflows and webhooks (twenty-api §4, twenty-api §5)", () => {
    it("lists workspace members, the key's owner first, and refuses to create them", async () => {
      const sandbox = await start({ workspaceMembers: [{ email: "owner@acme.com", firstName: "Olive", lastName: "Owner" }] });
      const api = client(sandbox);
      const members = list(await api.get("/rest/workspaceMembers"), "workspaceMembers");
      expect(members.map((member) => member.userEmail)).toEqual(["owner@acme.com"]);
      sandbox.state.addWorkspaceMember({ email: "second@acme.com", firstName: "Sam", lastName: "Second" });
      expect(list(await api.get("/rest/workspaceMembers"), "workspaceMembers")).toHaveLength(2);
      const refused = await api.post("/rest/workspaceMembers", { userEmail: "x@acme.com" });
      expect(refused.status).toBe(403);
    });

    it("exposes workflow statuses and versions so active ones can be found", async () => {
      const sandbox = await start();
      sandbox.state.addWorkflow({ name: "On new person", statuses: ["ACTIVE"] });
      sandbox.state.addWorkflow({ name: "Draft idea", statuses: ["DRAFT"] });
      const api = client(sandbox);
      const active = await api.get(`/rest/workflows?filter=${q("statuses[containsAny]:[ACTIVE]")}`);
      expect(list(active, "workflows").map((workflow) => workflow.name)).toEqual(["On new person"]);
      const versions = await api.get(`/rest/workflowVersions?filter=${q("status[eq]:ACTIVE")}`);
      expect(list(versions, "workflowVersions")[0]).toMatchObject({ status: "ACTIVE", trigger: { type: "DATABASE_EVENT" } });

      const deactivate = await api.post("/graphql", { query: 'mutation { deactivateWorkflowVersion(workflowVersionId: "x") }' });
      expect(deactivate.body.errors).toEqual([{ message: "Forbidden resource", extensions: { code: "FORBIDDEN" } }]);
    });

    it("serves webhooks as a bare array on the legacy route and paged on the metadata route", async () => {
      const sandbox = await start();
      const api = client(sandbox);
      const created = await api.post("/rest/metadata/webhooks", { targetUrl: "https://hooks.acme.com/in", operations: ["person.created"] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ targetUrl: "https://hooks.acme.com/in", operations: ["person.created"] });
      const legacy = await api.get("/rest/webhooks");
      expect(Array.isArray(legacy.body)).toBe(true);
      const paged = await api.get("/rest/metadata/webhooks");
      expect(paged.body).toMatchObject({ totalCount: 1, data: [{ id: created.body.id }] });
      expect((await api.delete(`/rest/webhooks/${String(created.body.id)}`)).body).toBe(true);
    });
  });

  describe("rate limit (twenty-api §6.1)", () => {
    it("answers 429 LIMIT_REACHED once the per-minute budget is spent, without Retry-After", async () => {
      const sandbox = await start({ rateLimit: 5 });
      const api = client(sandbox);
      for (let index = 0; index < 5; index += 1) expect((await api.get("/rest/companies")).status).toBe(200);
      const throttled = await api.get("/rest/companies");
      expect(throttled.status).toBe(429);
      expect(throttled.body).toEqual({
        statusCode: 429,
        error: "TooManyRequestsException",
        messages: ["Limit reached (5 tokens per 60000 ms)"],
        code: "LIMIT_REACHED",
      });
      expect(throttled.headers.get("content-type")).toContain("application/json");
      expect(throttled.headers.get("retry-after")).toBeNull();
    });

    it("spends one budget per workspace: a second key of the same workspace is refused once the first spent it", async () => {
      const sandbox = await start({ rateLimit: 3, extraApiKeys: ["second-key-same-workspace"] });
      const first = client(sandbox);
      const second = client(sandbox, "second-key-same-workspace");
      expect((await first.get("/rest/companies")).status).toBe(200);
      expect((await second.get("/rest/companies")).status).toBe(200);
      expect((await first.get("/rest/companies")).status).toBe(200);
      expect((await second.get("/rest/companies")).status).toBe(429);
      expect((await client(sandbox, "a-key-of-no-workspace").get("/rest/companies")).status).toBe(401);
    });

    it("v2 answers REST with 429, Retry-After and x-ratelimit-* headers and a body naming the limit", async () => {
      const sandbox = await start({ rateLimit: 2, rateLimiter: "v2" });
      const api = client(sandbox);
      await api.get("/rest/companies");
      await api.get("/rest/companies");
      const throttled = await api.get("/rest/companies");
      expect(throttled.status).toBe(429);
      expect(throttled.body).toMatchObject({
        statusCode: 429,
        error: "RATE_LIMITED",
        limitKind: "speed",
        exhaustedKind: "limit",
        limit: 2,
        remaining: 0,
        periodCount: 60,
        periodUnit: "second",
      });
      expect(throttled.body.messages).toHaveLength(1);
      const retryAfter = Number(throttled.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(throttled.body.retryAfterSeconds).toBe(retryAfter);
      expect(throttled.headers.get("x-ratelimit-limit")).toBe("2");
      expect(throttled.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(Number(throttled.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
    });

    it("v2 answers GraphQL with HTTP 200 and extensions.code RATE_LIMITED with retryAfterMs", async () => {
      const sandbox = await start({ rateLimit: 1, rateLimiter: "v2" });
      const api = client(sandbox);
      await api.get("/rest/companies");
      const throttled = await api.post("/graphql", { query: "{ currentWorkspace { displayName } }" });
      expect(throttled.status).toBe(200);
      const [error] = throttled.body.errors as { extensions: Record<string, unknown> }[];
      expect(error.extensions).toMatchObject({ code: "RATE_LIMITED", limit: 1, remaining: 0 });
      expect(error.extensions.retryAfterMs).toBeGreaterThan(0);
    });

    it("applies 100 requests per minute by default", async () => {
      const sandbox = await start({ rateLimit: undefined });
      const api = client(sandbox);
      const statuses = await Promise.all(Array.from({ length: 101 }, () => api.get("/rest/companies?limit=1").then((reply) => reply.status)));
      expect(statuses.filter((status) => status === 429)).toHaveLength(1);
    });
  });

  describe("fault injection", () => {
    /** Fires `count` requests at once; returns once each is answered or known to hang. */
    async function fire(sandbox: Sandbox, count: number) {
      const abort = new AbortController();
      const statuses: number[] = [];
      const requests = Array.from({ length: count }, () =>
        client(sandbox)
          .get("/rest/companies?limit=1", abort.signal)
          .then((reply) => statuses.push(reply.status))
          .catch(() => undefined),
      );
      // Wait on the server's own count of hung requests; yielding to the event loop, not sleeping.
      for (let turn = 0; statuses.length + sandbox.state.faultsInjected.hang < count && turn < 100_000; turn += 1) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      abort.abort();
      await Promise.all(requests);
      return { statuses, hangs: sandbox.state.faultsInjected.hang };
    }

    it("answers the seeded share of requests with 5xx or leaves them hanging", async () => {
      const share = 0.2;
      const requestCount = 200;
      const sandbox = await start({ faults: share, faultSeed: 7 });
      const { statuses, hangs } = await fire(sandbox, requestCount);

      const expected = Array.from({ length: requestCount }, createFaultInjector(share, 7));
      const serverErrors = statuses.filter((status) => status >= 500).length;
      expect(serverErrors).toBe(expected.filter((decision) => decision === "server_error").length);
      expect(hangs).toBe(expected.filter((decision) => decision === "hang").length);
      expect((serverErrors + hangs) / requestCount).toBeGreaterThan(share - 0.08);
      expect((serverErrors + hangs) / requestCount).toBeLessThan(share + 0.08);
      expect(statuses.filter((status) => status === 200)).toHaveLength(requestCount - serverErrors - hangs);
    });

    it("fails before writing by default, and after writing with faultsAfterWrite", async () => {
      // A seed whose first decision is a 5xx, so the first request is the faulty one.
      const seed = Array.from({ length: 100 }, (_, index) => index + 1).find((candidate) => createFaultInjector(1, candidate)() === "server_error") as number;
      for (const faultsAfterWrite of [false, true]) {
        const sandbox = await start({ faults: 1, faultSeed: seed, faultsAfterWrite });
        const reply = await client(sandbox).post("/rest/people", personInput(1));
        expect(reply.status).toBe(500);
        expect(reply.body).toMatchObject({ statusCode: 500, error: "InternalServerErrorException" });
        expect(sandbox.state.records("people")).toHaveLength(faultsAfterWrite ? 1 : 0);
      }
    });
  });

  describe("seed", () => {
    it("starts empty apart from workspace members, or with the Sample CRM data", async () => {
      const empty = await start();
      expect(empty.state.records("companies")).toHaveLength(0);
      expect(empty.state.records("workspaceMembers").length).toBeGreaterThan(0);

      const sample = await start({ seed: "sample" });
      const api = client(sample);
      const companies = await api.get("/rest/companies?limit=1");
      expect(companies.body.totalCount).toBeGreaterThan(10);
      const people = await api.get("/rest/people?limit=1&depth=1");
      expect(people.body.totalCount).toBeGreaterThan(50);
      const workflows = await api.get(`/rest/workflows?filter=${q("statuses[containsAny]:[ACTIVE]")}`);
      expect(workflows.body.totalCount).toBeGreaterThan(0);
      expect(sample.state.webhooks().length).toBeGreaterThan(0);
    });
  });

  describe("command line", () => {
    it("prints its URL when ready, answers, and exits 0 on SIGTERM", async () => {
      // The local tsx binary, as `npm run sandbox:twenty` runs it: `npx` dies on SIGTERM without
      // passing it on, which would leave the sandbox running and hide its exit code.
      const child = spawn(
        path.join("node_modules", ".bin", "tsx"),
        ["connectors/twenty/sandbox/cli.ts", "--port", "0", "--api-key", API_KEY, "--rate-limit", "0", "--max-batch", "60", "--rate-limiter", "v2"],
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
      const reply = await fetch(`${url}/rest/workspaceMembers`, { headers: { authorization: `Bearer ${API_KEY}` } });
      expect(reply.status).toBe(200);
      const tooMany = await fetch(`${url}/rest/batch/companies`, {
        method: "POST",
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify(Array.from({ length: 61 }, (_, index) => ({ name: `C${index}` }))),
      });
      expect(((await tooMany.json()) as { messages: string[] }).messages).toEqual(["Maximum number of records to upsert is 60."]);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    });
  });
});
