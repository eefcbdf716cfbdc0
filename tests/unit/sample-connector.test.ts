import { describe, expect, it } from "vitest";
import { connectorCatalog, getConnector, isConnectorId } from "@/connectors/registry";
import { SAMPLE_OBJECT_TYPES, encodeSampleCursor, sampleConnector, sampleRecord, sampleRecords } from "@/connectors/sample";
import { CANONICAL_FIELD_TYPES, ConnectorError, type ConnectorSession, type ReadOptions, type RecordPage } from "@/connectors/types";

const connect = (credentials: unknown = {}) => sampleConnector.connect(sampleConnector.manifest.credentialSchema.parse(credentials));

async function readAll(session: ConnectorSession, objectType: string, options: ReadOptions = {}): Promise<RecordPage[]> {
  const pages: RecordPage[] = [];
  for await (const page of session.read(objectType, options)) pages.push(page);
  return pages;
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error("expected a ConnectorError");
}

describe("Sample connector", () => {
  it("needs no secret: seed 42 and scale 1 by default, numbers coerced from the form's strings", () => {
    const schema = sampleConnector.manifest.credentialSchema;
    expect(schema.parse({})).toEqual({ seed: 42, scale: 1 });
    expect(schema.parse({ seed: "7", scale: "2.5" })).toEqual({ seed: 7, scale: 2.5 });
    expect(schema.safeParse({ scale: "0" }).success).toBe(false);
    expect(sampleConnector.manifest.credentialFields.every((field) => !field.secret)).toBe(true);
    expect(sampleConnector.manifest).toMatchObject({ id: "sample", kind: "helpdesk", writes: [] });
  });

  it("verifies as the Sample account for its seed", async () => {
    expect(await connect().verify()).toMatchObject({ accountName: "Sample data (seed 42)" });
    expect(await connect({ seed: 9 }).verify()).toMatchObject({ accountName: "Sample data (seed 9)" });
  });

  it("describes every object type with canonical and native types, options, required flags and dependencies", async () => {
    const schema = await connect().describe();
    const byKey = new Map(schema.objectTypes.map((objectType) => [objectType.key, objectType]));
    for (const key of SAMPLE_OBJECT_TYPES) expect(byKey.get(key)?.canRead, key).toBe(true);
    for (const objectType of schema.objectTypes) {
      expect(objectType.canWrite).toBe(false);
      for (const field of objectType.fields) {
        expect(CANONICAL_FIELD_TYPES).toContain(field.type);
        expect(field.nativeType).not.toBe("");
      }
    }
    const fields = schema.objectTypes.flatMap((objectType) => objectType.fields.map((field) => ({ objectType: objectType.key, field })));
    const selects = fields.filter(({ field }) => field.type === "select" || field.type === "multiselect");
    const relations = fields.filter(({ field }) => field.type === "relation");
    expect(selects.length).toBeGreaterThan(0);
    expect(relations.length).toBeGreaterThan(0);
    for (const { objectType, field } of selects) expect(field.options?.length, `${objectType}.${field.key}`).toBeGreaterThan(0);
    for (const { objectType, field } of relations) expect(byKey.has(field.relatesTo ?? ""), `${objectType}.${field.key}`).toBe(true);
    const tickets = byKey.get("tickets")!;
    expect(tickets.dependsOn).toEqual(["customers", "inboxes"]);
    expect(tickets.fields.find((field) => field.key === "subject")).toMatchObject({ required: true, type: "text" });
    const customTypes = new Set(tickets.fields.filter((field) => field.custom).map((field) => field.type));
    for (const type of ["text", "longtext", "number", "boolean", "date", "datetime", "select", "multiselect", "url", "email", "phone", "currency", "user"])
      expect(customTypes).toContain(type);
    expect(byKey.get("messages")).toMatchObject({ canRead: false, dependsOn: ["tickets"] });
  });

  it("describes every field a record carries", async () => {
    const schema = await connect().describe();
    for (const objectType of SAMPLE_OBJECT_TYPES) {
      const keys = schema.objectTypes
        .find((item) => item.key === objectType)!
        .fields.map((field) => field.key)
        .sort();
      expect(Object.keys(sampleRecord(objectType, 0).fields).sort()).toEqual(keys);
    }
  });

  it("counts exactly, also with a since filter and for ticket messages", async () => {
    const session = connect();
    expect(await session.count("tickets")).toBe(1_000);
    const since = "2026-01-01T00:00:00.000Z";
    const recent = (await readAll(session, "tickets", { since })).flatMap((page) => page.records);
    expect(await session.count("tickets", { since })).toBe(recent.length);
    const messages = [...sampleRecords("tickets")].reduce((sum, ticket) => sum + ticket.children!.messages.length, 0);
    expect(await session.count("messages")).toBe(messages);
  });

  it("reads pages of 100 in id order and ends with a null cursor", async () => {
    const pages = await readAll(connect(), "tickets");
    expect(pages.map((page) => page.records.length)).toEqual(Array(10).fill(100));
    expect(pages.flatMap((page) => page.records.map((record) => record.id))).toEqual(Array.from({ length: 1_000 }, (_, index) => `tkt_${index + 1}`));
    expect(pages.slice(0, -1).every((page) => typeof page.nextCursor === "string")).toBe(true);
    expect(pages[9].nextCursor).toBeNull();
  });

  it("resumes from a saved cursor exactly where the interrupted read stopped", async () => {
    const uninterrupted = await readAll(connect(), "customers", { pageSize: 40 });
    let saved: string | null = null;
    let seen = 0;
    for await (const page of connect().read("customers", { pageSize: 40 })) {
      saved = page.nextCursor;
      if (++seen === 3) break; // crashed after checkpointing page 3
    }
    const resumed = await readAll(connect(), "customers", { pageSize: 40, cursor: saved });
    expect(resumed).toEqual(uninterrupted.slice(3));
  });

  it("serves a page deep into a million tickets straight from its cursor, equal to the page reached by reading on", async () => {
    const session = connect({ scale: 1_000 });
    const direct = await readAll(session, "tickets", { cursor: encodeSampleCursor({ t: "tickets", i: 999_800, n: 0 }) });
    expect(direct.map((page) => page.records.length)).toEqual([100, 100]);
    const reachedByReading: RecordPage[] = [];
    for await (const page of session.read("tickets", { cursor: encodeSampleCursor({ t: "tickets", i: 999_700, n: 0 }) })) reachedByReading.push(page);
    expect(reachedByReading.slice(1).map((page) => page.records)).toEqual(direct.map((page) => page.records));
    expect(direct[1].records[99]).toEqual(sampleRecord("tickets", 999_999, { scale: 1_000 }));
    expect(direct[1].nextCursor).toBeNull();
  });

  it("returns only records updated at or after since, across a resume", async () => {
    const since = "2026-06-01T00:00:00.000Z";
    const first = await readAll(connect(), "tickets", { since, pageSize: 25 });
    const records = first.flatMap((page) => page.records);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((record) => record.updatedAt! >= since)).toBe(true);
    const resumed = await readAll(connect(), "tickets", { since, pageSize: 25, cursor: first[0].nextCursor });
    expect(resumed.flatMap((page) => page.records)).toEqual(records.slice(25));
  });

  it("caps a demo read at the sample size, also after a resume", async () => {
    const pages = await readAll(connect(), "companies", { sample: 20, pageSize: 7 });
    expect(pages.map((page) => page.records.length)).toEqual([7, 7, 6]);
    expect(pages[2].nextCursor).toBeNull();
    const resumed = await readAll(connect(), "companies", { sample: 20, pageSize: 7, cursor: pages[0].nextCursor });
    expect(resumed.flatMap((page) => page.records).length).toBe(13);
  });

  it("rejects a cursor it did not hand out or one from another object type", async () => {
    expect((await failureOf(readAll(connect(), "tickets", { cursor: "not-a-cursor" }))).code).toBe("VALIDATION");
    const companiesCursor = encodeSampleCursor({ t: "companies", i: 10, n: 0 });
    expect((await failureOf(readAll(connect(), "tickets", { cursor: companiesCursor }))).code).toBe("VALIDATION");
  });

  it("names unknown object types and sends readers of messages to their tickets", async () => {
    expect(await failureOf(readAll(connect(), "deals"))).toMatchObject({ code: "NOT_FOUND", message: 'The Sample source has no object type "deals"' });
    expect((await failureOf(readAll(connect(), "messages"))).message).toMatch(/children\.messages/);
  });

  it("refuses every write as read-only", async () => {
    const session = connect();
    const record = sampleRecord("customers", 0);
    for (const attempt of [
      session.write("customers", [{ sourceId: "x", record }]),
      session.findExisting("customers", [{ sourceId: "x", keys: { email: "a@b.example" } }]),
      session.remove("customers", ["cus_1"]),
    ]) {
      expect(await failureOf(attempt)).toMatchObject({ code: "PERMISSION_DENIED", message: "The Sample source is read-only" });
    }
  });

  it("has no prerequisites and lists its agents as users", async () => {
    const session = connect();
    expect(await session.prerequisites({ objectTypes: ["tickets"], users: [], fallbackUserId: null, customFields: [] })).toEqual({
      checks: [],
      confirmations: [],
    });
    const users = await session.listUsers();
    expect(users).toHaveLength(5);
    expect(users.every((user) => user.email?.endsWith("@lumen-outfitters.example"))).toBe(true);
  });

  it("is registered under its id, and the registry names unknown ids", () => {
    expect(getConnector("sample")).toBe(sampleConnector);
    expect(isConnectorId("sample")).toBe(true);
    expect(isConnectorId("toString")).toBe(false);
    expect(() => getConnector("zendesk")).toThrow('Unknown connector "zendesk". Known connectors: sample');
    const entry = connectorCatalog().find((item) => item.id === "sample");
    expect(entry).toMatchObject({ name: "Sample data", kind: "helpdesk" });
    expect(entry).not.toHaveProperty("credentialSchema");
  });
});
