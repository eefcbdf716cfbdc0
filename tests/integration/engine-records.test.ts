// Record-level behaviour of the engine against the Twenty sandbox over real HTTP: faults on the
// wire never duplicate or lose a record; a bad value costs the value, not the record (repaired or
// left out, with a warning), and its record's children arrive too; under a strict policy bad
// records fail alone with a clear reason, and a retry run after fixing the cause writes them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleRecords } from "@/connectors/sample";
import type { ConnectorSession } from "@/connectors/types";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { serializePlan, type MigrationPlan } from "@/lib/plan";
import { parseVerification } from "@/lib/migration/verify";
import { createTestDatabase } from "../helpers/database";
import { duplicateSourceIds, snapshot } from "../helpers/engine-compare";
import { startFaultProxy } from "../helpers/engine-fault-proxy";
import { runToEnd, setupMigration, type Endpoint, sampleAgentsAsWorkspaceMembers, withSourceValues } from "../helpers/engine-fixtures";

const API_KEY = "engine-records-key";
const members = sampleAgentsAsWorkspaceMembers();
const twenty = (url: string): Endpoint => ({ systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: url } });

let database: Database;
let cleanup: () => Promise<void>;
const closers: (() => Promise<void>)[] = [];

async function sandbox() {
  const started = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, workspaceMembers: members });
  closers.push(() => started.close());
  return started;
}

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
});

afterAll(async () => {
  for (const close of closers) await close();
  await cleanup?.();
});

async function verificationOf(runId: string) {
  return parseVerification((await database.run.findUniqueOrThrow({ where: { id: runId } })).verification);
}

describe("faults on the wire", () => {
  it("writes every record exactly once when 10 % of requests fail with 5xx, 429 or hang", async () => {
    const source: Endpoint = { systemId: "sample", credentials: { scale: 0.1 } };
    const reference = await sandbox();
    const faulty = await sandbox();
    const proxy = await startFaultProxy(faulty.url, { share: 0.1, seed: 12 });
    closers.push(() => proxy.close());

    const expected = await setupMigration(database, { source, target: twenty(reference.url) });
    expect((await runToEnd(database, expected, "full")).status).toBe("completed");
    const migration = await setupMigration(database, {
      source,
      target: twenty(faulty.url),
      runTarget: twenty(proxy.url),
      tuning: { timeoutMs: 300, maxAttempts: 4 },
    });
    const { runId, status } = await runToEnd(database, migration, "full", { pageSize: 10 });

    expect(status).toBe("completed");
    expect(proxy.counts.error_after).toBeGreaterThan(0);
    expect(proxy.counts.hang).toBeGreaterThan(0);
    expect(proxy.counts.rate_limited).toBeGreaterThan(0);
    expect((await verificationOf(runId))?.discrepancies).toEqual([]);
    expect(duplicateSourceIds(faulty.state)).toEqual([]);
    expect(snapshot(faulty.state)).toEqual(snapshot(reference.state));
  }, 60_000);
});

describe("bad values, default policy", () => {
  // Customers typed in badly, as the Sample source's messy ones are (each has tickets with messages).
  const BAD_EMAILS = { cus_1: "n/a", cus_2: "oli.hughes@@acme.example", cus_3: "hannah nakamura@acme.example", cus_4: "freya.garcia@" };
  let target: Awaited<ReturnType<typeof sandbox>>;
  let runId: string;

  beforeAll(async () => {
    target = await sandbox();
    const migration = await setupMigration(database, {
      source: { systemId: "sample", credentials: { scale: 0.05 } },
      target: twenty(target.url),
      wrapSource: withSourceValues("customers", "email", BAD_EMAILS),
    });
    const run = await runToEnd(database, migration, "full");
    runId = run.runId;
    expect(run.status).toBe("completed");
  }, 60_000);

  it("writes every customer with a bad email: repaired where safe, else without it, each with a warning keeping the original", async () => {
    expect(await database.recordLink.count({ where: { runId, status: "failed" } })).toBe(0);
    const people = new Map(target.state.records("people").map((person) => [person.ferrySourceId as string, person]));
    for (const id of Object.keys(BAD_EMAILS)) expect(people.has(id)).toBe(true);
    const emailOf = (id: string) => (people.get(id)?.emails as { primaryEmail?: string } | undefined)?.primaryEmail ?? "";
    expect(emailOf("cus_2")).toBe("oli.hughes@acme.example");
    expect(emailOf("cus_3")).toBe("hannahnakamura@acme.example");
    expect(emailOf("cus_1")).toBe("");
    expect(emailOf("cus_4")).toBe("");
    const warnings = await database.recordWarning.findMany({
      where: { runId, objectType: "customers", field: "email" },
      orderBy: { sourceId: "asc" },
      select: { sourceId: true, action: true, original: true },
    });
    expect(warnings).toEqual([
      { sourceId: "cus_1", action: "dropped", original: "n/a" },
      { sourceId: "cus_2", action: "repaired", original: "oli.hughes@@acme.example" },
      { sourceId: "cus_3", action: "repaired", original: "hannah nakamura@acme.example" },
      { sourceId: "cus_4", action: "dropped", original: "freya.garcia@" },
    ]);
    const customers = await database.runObject.findUniqueOrThrow({ where: { runId_objectType: { runId, objectType: "customers" } } });
    expect({ repaired: customers.repaired, valueDropped: customers.valueDropped, failed: customers.failed }).toEqual({
      repaired: 2,
      valueDropped: 2,
      failed: 0,
    });
  });

  it("writes their tickets and messages, linked to them, and verification counts them as arrived", async () => {
    const tickets = await database.recordLink.findMany({ where: { runId, objectType: "tickets" }, select: { sourceId: true, status: true, targetId: true } });
    const messages = await database.recordLink.findMany({ where: { runId, objectType: "messages" }, select: { status: true, parentSourceId: true } });
    expect(tickets.length).toBeGreaterThan(0);
    expect(new Set(tickets.map((ticket) => ticket.status))).toEqual(new Set(["created"]));
    expect(new Set(messages.map((message) => message.status))).toEqual(new Set(["created"]));
    // Every ticket of a badly typed customer is in the target, linked to that customer's person
    // (verification re-reads the links and finds them intact: no discrepancy below).
    const customerOf = new Map(
      [...sampleRecords("tickets", { scale: 0.05 })].map((ticket) => [ticket.id, (ticket.fields.customer as { id: string } | null)?.id]),
    );
    const personIds = new Map(
      (await database.recordLink.findMany({ where: { runId, objectType: "customers" }, select: { sourceId: true, targetId: true } })).map((link) => [
        link.sourceId,
        link.targetId,
      ]),
    );
    const ofBadCustomers = await database.recordLink.findMany({
      where: {
        runId,
        objectType: "tickets",
        sourceId: { in: [...customerOf].filter(([, customer]) => customer && customer in BAD_EMAILS).map(([ticket]) => ticket) },
      },
      select: { sourceId: true, status: true, expected: true },
    });
    expect(ofBadCustomers.length).toBeGreaterThan(5);
    for (const ticket of ofBadCustomers) {
      expect(ticket.status).toBe("created");
      expect(Object.values((JSON.parse(ticket.expected ?? "{}") as { relations: Record<string, string[]> }).relations).flat()).toContain(
        personIds.get(customerOf.get(ticket.sourceId) as string),
      );
    }
    const messagesOfBad = messages.filter((message) => ofBadCustomers.some((ticket) => ticket.sourceId === message.parentSourceId));
    expect(messagesOfBad.length).toBeGreaterThan(ofBadCustomers.length);
    expect(await database.recordLink.count({ where: { runId, errorCode: "BROKEN_RELATION" } })).toBe(0);
    const verification = await verificationOf(runId);
    expect(verification?.discrepancies).toEqual([]);
    const customers = verification?.objects.find((object) => object.objectType === "customers");
    expect(customers?.found).toBe(customers?.linked);
    expect(customers?.created).toBe(customers?.selected);
  });
});

describe("bad records, strict policy", () => {
  const TICKET_NAME_LIMIT = 40;
  let target: Awaited<ReturnType<typeof sandbox>>;
  let migration: Awaited<ReturnType<typeof setupMigration>>;
  let firstRunId: string;

  /** Twenty declares no text limits; this target session declares one on ticket names, like a help desk's subject. */
  const withTicketNameLimit = (session: ConnectorSession): ConnectorSession => ({
    ...session,
    async describe() {
      const schema = await session.describe();
      return {
        objectTypes: schema.objectTypes.map((object) =>
          object.key === "tickets"
            ? { ...object, fields: object.fields.map((field) => (field.key === "name" ? { ...field, maxLength: TICKET_NAME_LIMIT } : field)) }
            : object,
        ),
      };
    },
  });

  beforeAll(async () => {
    target = await sandbox();
    // A required field on companies (Twenty: isNullable false, no default), fed from the employee counts some companies lack.
    const objects = (await (await fetch(`${target.url}/rest/metadata/objects`, { headers: { authorization: `Bearer ${API_KEY}` } })).json()) as {
      data: { objects: { id: string; namePlural: string }[] };
    };
    const companies = objects.data.objects.find((object) => object.namePlural === "companies");
    const created = await fetch(`${target.url}/rest/metadata/fields`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ objectMetadataId: companies?.id, type: "NUMBER", name: "headcount", label: "Headcount", isNullable: false }),
    });
    expect(created.ok).toBe(true);
    migration = await setupMigration(database, {
      source: { systemId: "sample", credentials: { scale: 0.2 } },
      target: twenty(target.url),
      wrapTarget: withTicketNameLimit,
      editPlan: (plan) => ({
        ...plan,
        filters: { ...plan.filters, excludeTags: ["vip"], appliesTo: ["customers"] },
        objects: plan.objects.map((pair) => {
          if (pair.sourceObject === "companies")
            return { ...pair, fieldMappings: [...pair.fieldMappings, { sourceField: "employees", targetField: "headcount", compatibility: "exact" as const }] };
          // Strict: an invalid email or a ticket name over the limit fails its record, as before policies existed.
          const strict = (field: string) => (mapping: MigrationPlan["objects"][number]["fieldMappings"][number]) =>
            mapping.targetField === field ? { ...mapping, transform: { ...mapping.transform, onInvalid: "fail" as const } } : mapping;
          if (pair.sourceObject === "customers") return { ...pair, fieldMappings: pair.fieldMappings.map(strict("emails")) };
          if (pair.sourceObject === "tickets") return { ...pair, fieldMappings: pair.fieldMappings.map(strict("name")) };
          return pair;
        }),
      }),
    });
    const run = await runToEnd(database, migration, "full");
    firstRunId = run.runId;
    expect(run.status).toBe("completed");
  }, 60_000);

  async function failures(runId: string) {
    return database.recordLink.findMany({
      where: { runId, status: "failed" },
      select: { objectType: true, sourceId: true, errorCode: true, errorMessage: true },
    });
  }

  it("fails each bad record with its code and a reason naming the problem, writes the records linking to it without the link, and completes the run", async () => {
    const failed = await failures(firstRunId);
    const message = (predicate: (text: string) => boolean, code: string) =>
      failed.find((link) => link.errorCode === code && predicate(link.errorMessage ?? ""));
    expect(message((text) => /is not a valid email address/.test(text), "VALIDATION")).toBeDefined();
    expect(message((text) => /Headcount is required in Companies, but Employees is empty/.test(text), "MISSING_REQUIRED")).toBeDefined();
    expect(message((text) => new RegExp(`over the limit of ${TICKET_NAME_LIMIT}`).test(text), "VALIDATION")).toBeDefined();
    // A record is never lost because a record it links to had a problem: written without the link, the warning naming it and why.
    expect(failed.filter((link) => link.errorCode === "BROKEN_RELATION" && link.objectType !== "messages")).toEqual([]);
    const warnings = await database.recordWarning.findMany({ where: { runId: firstRunId, action: "dropped" }, select: { objectType: true, message: true } });
    const warned = (objectType: string, pattern: RegExp) => warnings.some((warning) => warning.objectType === objectType && pattern.test(warning.message));
    expect(warned("customers", /written without the link to companies record com_\d+, which failed: Headcount is required/)).toBe(true);
    expect(warned("tickets", /written without the link to customers record cus_\d+, which failed: Email: /)).toBe(true);
    expect(warned("tickets", /written without the link to customers record cus_\d+, which was left out by the plan's filters \(Tagged "vip"\)/)).toBe(true);
    // Messages of a failed ticket still arrive on its customer; one with nowhere to hang fails naming its ticket.
    expect(warned("messages", /Written without the link to tickets record tkt_\d+, which failed: Subject: \d+ characters is over the limit/)).toBe(true);
    for (const link of failed.filter((candidate) => candidate.objectType === "messages"))
      expect(link.errorMessage).toMatch(
        /^Would be linked to no migrated record: tickets record tkt_\d+, which failed: .*; and customers record cus_\d+, which was left out by the plan's filters .*; Retry failed records writes it once its parent is migrated$/,
      );
    expect(await database.recordLink.count({ where: { runId: firstRunId, status: "filtered" } })).toBeGreaterThan(0);

    // Failed records are nowhere in the target; the run's numbers add up and verification is clean.
    const stamped = new Set(
      ["companies", "people", "tickets", "notes"].flatMap((object) => target.state.records(object).map((record) => record.ferrySourceId)),
    );
    for (const link of failed) expect(stamped.has(link.sourceId)).toBe(false);
    const verification = await verificationOf(firstRunId);
    expect(verification?.discrepancies).toEqual([]);
    for (const object of verification?.objects ?? []) expect(object.created + object.updated + object.skipped + object.failed).toBe(object.selected);
    const events = await database.runEvent.findMany({ where: { runId: firstRunId, kind: "failures" } });
    expect(events[0]?.message).toMatch(/records failed and were not migrated/);
  });

  it("writes the failed records in a retry run once the cause is fixed", async () => {
    const fixed = (plan: MigrationPlan): MigrationPlan => ({
      ...plan,
      objects: plan.objects.map((pair) => ({
        ...pair,
        fieldMappings: pair.fieldMappings.map((mapping) => {
          if (pair.sourceObject === "companies" && mapping.targetField === "headcount") return { ...mapping, defaultValue: 0 };
          if (pair.sourceObject === "customers" && mapping.targetField === "emails")
            return { ...mapping, transform: { ...mapping.transform, onInvalid: "empty" as const } };
          if (pair.sourceObject === "tickets" && mapping.targetField === "name") return { ...mapping, transform: { ...mapping.transform, truncate: true } };
          return mapping;
        }),
      })),
    });
    await database.migration.update({ where: { id: migration.migrationId }, data: { plan: serializePlan(fixed(migration.plan)) } });
    const before = (await failures(firstRunId)).length;
    const retry = await runToEnd(database, migration, "retry");
    expect(retry.status).toBe("completed");

    const run = await database.run.findUniqueOrThrow({ where: { id: retry.runId } });
    expect(run.processedRecords).toBe(before);
    expect(run.createdRecords).toBeGreaterThan(0);
    // What still fails is only what the filters leave out on purpose.
    const remaining = await database.recordLink.findMany({
      where: { migrationId: migration.migrationId, status: "failed" },
      select: { errorCode: true, errorMessage: true },
    });
    expect(remaining).toEqual([]);
    expect((await verificationOf(retry.runId))?.discrepancies).toEqual([]);
    expect(duplicateSourceIds(target.state)).toEqual([]);
  }, 60_000);
});
