// Record-level behaviour of the engine against the Twenty sandbox over real HTTP: faults on the
// wire never duplicate or lose a record; bad records fail alone with a clear reason; a retry run
// after fixing the cause writes them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorSession } from "@/connectors/types";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { serializePlan, type MigrationPlan } from "@/lib/migration/plan";
import { parseVerification } from "@/lib/migration/verify";
import { createTestDatabase } from "../helpers/database";
import { duplicateSourceIds, snapshot } from "../helpers/engine-compare";
import { startFaultProxy } from "../helpers/engine-fault-proxy";
import { runToEnd, setupMigration, type Endpoint, sampleAgentsAsWorkspaceMembers } from "../helpers/engine-fixtures";

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
    const proxy = await startFaultProxy(faulty.url, { share: 0.1, seed: 11 });
    closers.push(() => proxy.close());

    const expected = await setupMigration(database, { source, target: twenty(reference.url) });
    expect((await runToEnd(database, expected, "full")).status).toBe("completed");
    const migration = await setupMigration(database, { source, target: twenty(faulty.url), runTarget: twenty(proxy.url), tuning: { timeoutMs: 300, maxAttempts: 4 } });
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

describe("bad records", () => {
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
          object.key === "tickets" ? { ...object, fields: object.fields.map((field) => (field.key === "name" ? { ...field, maxLength: TICKET_NAME_LIMIT } : field)) } : object,
        ),
      };
    },
  });

  beforeAll(async () => {
    target = await sandbox();
    // A required field on companies (Twenty: isNullable false, no default), fed from the employee counts some companies lack.
    const objects = (await (await fetch(`${target.url}/rest/metadata/objects`, { headers: { authorization: `Bearer ${API_KEY}` } })).json()) as { data: { objects: { id: string; namePlural: string }[] } };
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
        objects: plan.objects.map((pair) => (pair.sourceObject === "companies" ? { ...pair, fieldMappings: [...pair.fieldMappings, { sourceField: "employees", targetField: "headcount", compatibility: "exact" as const }] } : pair)),
      }),
    });
    const run = await runToEnd(database, migration, "full");
    firstRunId = run.runId;
    expect(run.status).toBe("completed");
  }, 60_000);

  async function failures(runId: string) {
    return database.recordLink.findMany({ where: { runId, status: "failed" }, select: { objectType: true, sourceId: true, errorCode: true, errorMessage: true } });
  }

  it("fails each bad record with its code and a reason naming the problem, and completes the run", async () => {
    const failed = await failures(firstRunId);
    const message = (predicate: (text: string) => boolean, code: string) => failed.find((link) => link.errorCode === code && predicate(link.errorMessage ?? ""));
    expect(message((text) => /is not a valid email address/.test(text), "VALIDATION")).toBeDefined();
    expect(message((text) => /Headcount is required in Companies, but Employees is empty/.test(text), "MISSING_REQUIRED")).toBeDefined();
    expect(message((text) => /links to companies record com_\d+, which failed: Headcount is required/.test(text), "BROKEN_RELATION")).toBeDefined();
    expect(message((text) => new RegExp(`over the limit of ${TICKET_NAME_LIMIT}`).test(text), "VALIDATION")).toBeDefined();
    // Broken relations name the missing record and why it is missing.
    expect(message((text) => /links to customers record cus_\d+, which failed: /.test(text), "BROKEN_RELATION")).toBeDefined();
    expect(message((text) => /links to customers record cus_\d+, which was left out by the plan's filters \(Tagged "vip"\)/.test(text), "BROKEN_RELATION")).toBeDefined();
    expect(message((text) => /Its tickets record tkt_\d+ was not migrated/.test(text), "BROKEN_RELATION")).toBeDefined();
    expect(await database.recordLink.count({ where: { runId: firstRunId, status: "filtered" } })).toBeGreaterThan(0);

    // Failed records are nowhere in the target; the run's numbers add up and verification is clean.
    const stamped = new Set(["companies", "people", "tickets", "notes"].flatMap((object) => target.state.records(object).map((record) => record.ferrySourceId)));
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
          if (pair.sourceObject === "customers" && mapping.targetField === "emails") return { ...mapping, transform: { ...mapping.transform, onInvalid: "empty" as const } };
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
    const remaining = await database.recordLink.findMany({ where: { migrationId: migration.migrationId, status: "failed" }, select: { errorCode: true, errorMessage: true } });
    for (const link of remaining) expect(link.errorMessage).toMatch(/left out by the plan's filters|Its tickets record tkt_\d+ was not migrated/);
    expect((await verificationOf(retry.runId))?.discrepancies).toEqual([]);
    expect(duplicateSourceIds(target.state)).toEqual([]);
  }, 60_000);
});
