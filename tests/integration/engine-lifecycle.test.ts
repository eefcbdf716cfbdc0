// A run's life: pause and resume between batches, cancel, rollback to the target's prior state
// (records that existed before stay, updated ones are not deleted), demo runs and their
// deletion, and two runs writing to different targets at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleRecords } from "@/connectors/sample";
import type { CanonicalRecord } from "@/connectors/types";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { cancelRun, createRun, pauseRun, resumeRun, rollbackRun, runProgress, runSlice } from "@/lib/migration/engine";
import { isValidEmail } from "@/lib/mapping/normalize";
import { parseVerification } from "@/lib/migration/verify";
import { createTestDatabase } from "../helpers/database";
import { countsOf, duplicateSourceIds, snapshot } from "../helpers/engine-compare";
import {
  TEST_RETRY_WAIT,
  driveRun,
  runToEnd,
  sessionFor,
  setupMigration,
  type Endpoint,
  type TestMigration,
  sampleAgentsAsWorkspaceMembers,
} from "../helpers/engine-fixtures";
import type { SessionResolver } from "@/lib/migration/engine";

const API_KEY = "engine-lifecycle-key";
const SOURCE: Endpoint = { systemId: "sample", credentials: { scale: 0.05 } };
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

const slice = (migration: TestMigration, runId: string, maxBatches?: number) =>
  runSlice(database, runId, { budgetMs: 10_000, maxBatches, resolveSession: migration.resolver, retryWait: TEST_RETRY_WAIT, pageSize: 5 });
const pendingLinks = (runId: string) => database.recordLink.count({ where: { runId, status: "pending" } });
const verificationOf = async (runId: string) => parseVerification((await database.run.findUniqueOrThrow({ where: { id: runId } })).verification);

const hasValidEmail = (record: CanonicalRecord) => typeof record.fields.email === "string" && isValidEmail(record.fields.email);

/** A customer (the first with a valid email, or the one given) and a company of the Sample data, already present in the target before the migration. */
function seedExisting(state: Awaited<ReturnType<typeof sandbox>>["state"], customerId?: string) {
  const customer = [...sampleRecords("customers", { scale: 0.05 })].find(
    (record) => (customerId === undefined || record.id === customerId) && hasValidEmail(record),
  );
  const [person] = state.insertRecords("people", [
    { name: { firstName: "Already", lastName: "There" }, emails: { primaryEmail: customer?.fields.email, additionalEmails: [] }, jobTitle: "Kept" },
  ]);
  const [company] = state.insertRecords("companies", [{ name: "Unrelated Existing Co", domainName: { primaryLinkUrl: "https://unrelated-existing.example" } }]);
  return { customerId: customer?.id as string, personId: String(person.id), companyId: String(company.id) };
}

describe("pause, resume and cancel", () => {
  it("pauses between batches, keeps nothing pending, and resumes where it stopped", async () => {
    const target = await sandbox();
    const migration = await setupMigration(database, { source: SOURCE, target: twenty(target.url) });
    const { runId } = await createRun(database, { migrationId: migration.migrationId, mode: "full" });

    // A slice is running when the pause arrives: the batch in flight finishes and is saved.
    const running = slice(migration, runId);
    for (let waited = 0; waited < 200 && (await database.runEvent.count({ where: { runId, kind: "batch" } })) === 0; waited += 1)
      await new Promise((resolve) => setTimeout(resolve, 5));
    // While running, the dashboard sees a rate over the recent window and an ETA.
    const live = await runProgress(database, runId);
    expect(live.status).toBe("running");
    expect(live.recordsPerSecond).toBeGreaterThan(0);
    expect(live.etaSeconds).toBeGreaterThanOrEqual(0);
    await pauseRun(database, runId);
    const paused = await running;
    expect(paused).toMatchObject({ status: "paused", done: true });
    expect(await pendingLinks(runId)).toBe(0);
    const atPause = await runProgress(database, runId);
    expect(atPause.totals.processed).toBeGreaterThan(0);
    expect(atPause.totals.processed).toBeLessThan(atPause.totals.total);

    // Paused: slices do nothing.
    expect(await slice(migration, runId)).toEqual({ status: "paused", done: true, processed: 0 });
    expect((await runProgress(database, runId)).totals.processed).toBe(atPause.totals.processed);

    await resumeRun(database, runId);
    expect(await driveRun(database, runId, migration.resolver, { pageSize: 5 })).toBe("completed");
    const done = await runProgress(database, runId);
    expect(done.totals.processed).toBe(done.totals.total);
    expect(done.verification?.clean).toBe(true);
    expect(done.events.map((event) => event.kind)).toEqual(expect.arrayContaining(["completed", "verification"]));
    expect(await database.runEvent.count({ where: { runId, kind: { in: ["paused", "resumed"] } } })).toBe(2);
    expect(duplicateSourceIds(target.state)).toEqual([]);
  }, 60_000);

  it("cancels after the current batch, and rollback returns the target to its prior state", async () => {
    const target = await sandbox();
    seedExisting(target.state);
    const migration = await setupMigration(database, { source: SOURCE, target: twenty(target.url) });
    const before = snapshot(target.state);
    const { runId } = await createRun(database, { migrationId: migration.migrationId, mode: "full" });
    await slice(migration, runId, 3);
    await cancelRun(database, runId);
    expect((await database.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("cancelling");
    expect((await slice(migration, runId)).status).toBe("cancelled");
    const created = await database.recordLink.count({ where: { createdByRunId: runId, status: "created" } });
    expect(created).toBeGreaterThan(0);
    expect(snapshot(target.state)).not.toEqual(before);

    const report = await rollbackRun(database, runId, { resolveSession: migration.resolver });
    expect(report.status).toBe("rolled_back");
    expect(report.removed).toBe(created);
    expect(report.failed).toEqual([]);
    expect(snapshot(target.state)).toEqual(before);
    expect(await database.recordLink.count({ where: { createdByRunId: runId, status: { not: "removed" } } })).toBe(0);
    const kinds = (await database.runEvent.findMany({ where: { runId }, select: { kind: true } })).map((event) => event.kind);
    expect(kinds).toEqual(expect.arrayContaining(["cancel_requested", "cancelled", "rollback_started", "rollback_batch", "rolled_back"]));
  }, 60_000);
});

describe("credentials", () => {
  it("pauses with an event asking for a new key when the target rejects it, and resumes once it is replaced", async () => {
    const target = await sandbox();
    const migration = await setupMigration(database, { source: SOURCE, target: twenty(target.url) });
    let apiKey = "revoked-key";
    const resolver: SessionResolver = async (connectionId) =>
      connectionId === migration.targetConnectionId ? sessionFor({ systemId: "twenty", credentials: { apiKey, baseUrl: target.url } }) : sessionFor(SOURCE);
    const { runId } = await createRun(database, { migrationId: migration.migrationId, mode: "full" });
    expect(await driveRun(database, runId, resolver)).toBe("paused");
    const paused = await database.run.findUniqueOrThrow({ where: { id: runId } });
    expect(paused.pauseReason).toMatch(/Twenty API key was rejected\. Update the connection with a valid key, then resume the run\./);
    expect(await database.runEvent.findFirst({ where: { runId, kind: "paused", level: "error" } })).toMatchObject({ message: paused.pauseReason });

    apiKey = API_KEY;
    await resumeRun(database, runId);
    expect(await driveRun(database, runId, resolver)).toBe("completed");
    expect((await verificationOf(runId))?.clean).toBe(true);
  }, 60_000);
});

describe("duplicates the target refuses", () => {
  const expectedLink = {
    skip: (personId: string) => ({ status: "skipped", targetId: personId, errorCode: "DUPLICATE" }),
    fail: () => ({ status: "failed", errorCode: "CONFLICT" }),
  };

  it.each(["skip", "fail"] as const)(
    "gives a record that was already there the %s outcome, with no look-up of people before their create",
    async (duplicatePolicy) => {
      const target = await sandbox();
      const existing = seedExisting(target.state);
      const migration = await setupMigration(database, { source: SOURCE, target: twenty(target.url), options: { duplicatePolicy } });
      // Counts the target's look-ups of people made before people are written.
      let lookupsBeforeWrite = 0;
      let peopleWritten = false;
      const resolver: SessionResolver = async (connectionId, organizationId) => {
        const session = await migration.resolver(connectionId, organizationId);
        if (connectionId !== migration.targetConnectionId) return session;
        return {
          ...session,
          findExisting: (objectType, keys) => {
            if (objectType === "people" && !peopleWritten) lookupsBeforeWrite += 1;
            return session.findExisting(objectType, keys);
          },
          write: (objectType, requests, mode) => {
            if (objectType === "people") peopleWritten = true;
            return session.write(objectType, requests, mode);
          },
        };
      };
      const { runId } = await createRun(database, { migrationId: migration.migrationId, mode: "full" }, resolver);
      expect(await driveRun(database, runId, resolver)).toBe("completed");
      expect(lookupsBeforeWrite).toBe(0);
      const link = await database.recordLink.findFirstOrThrow({ where: { migrationId: migration.migrationId, sourceId: existing.customerId } });
      expect(link).toMatchObject(expectedLink[duplicatePolicy](existing.personId));
      const email = (target.state.record("people", existing.personId)?.emails as { primaryEmail: string }).primaryEmail;
      // Neither changed nor doubled.
      expect(target.state.records("people").filter((person) => (person.emails as { primaryEmail: string }).primaryEmail === email)).toHaveLength(1);
      expect(target.state.record("people", existing.personId)?.jobTitle).toBe("Kept");
    },
    60_000,
  );
});

describe("rollback", () => {
  it("never deletes records that existed before, even those the run updated (duplicate policy update)", async () => {
    const target = await sandbox();
    const existing = seedExisting(target.state);
    const migration = await setupMigration(database, { source: SOURCE, target: twenty(target.url), options: { duplicatePolicy: "update" } });
    const countsBefore = countsOf(target.state);
    const { runId, status } = await runToEnd(database, migration, "full");
    expect(status).toBe("completed");
    const updated = await database.recordLink.findFirstOrThrow({ where: { migrationId: migration.migrationId, sourceId: existing.customerId } });
    expect(updated).toMatchObject({ status: "updated", targetId: existing.personId });
    expect((await verificationOf(runId))?.clean).toBe(true);

    const report = await rollbackRun(database, runId, { resolveSession: migration.resolver });
    expect(report.keptUpdated).toBeGreaterThanOrEqual(1);
    expect(countsOf(target.state)).toEqual(countsBefore);
    expect(target.state.record("people", existing.personId)?.deletedAt ?? null).toBeNull();
    expect(target.state.record("companies", existing.companyId)?.deletedAt ?? null).toBeNull();
  }, 60_000);
});

describe("demo runs", () => {
  it("migrates a covering sample with its dependencies, and deleting the demo data restores the target", async () => {
    const target = await sandbox();
    const migration = await setupMigration(database, { source: SOURCE, target: twenty(target.url) });
    const { runId } = await createRun(database, { migrationId: migration.migrationId, mode: "demo", sampleSize: 5 }, migration.resolver);
    // A slice allowed no batch only chooses the sample; then one chosen ticket's customer is put in the target first.
    await runSlice(database, runId, { budgetMs: 10_000, maxBatches: 0, resolveSession: migration.resolver, retryWait: TEST_RETRY_WAIT });
    const selected = JSON.parse(
      (await database.runObject.findUniqueOrThrow({ where: { runId_objectType: { runId, objectType: "tickets" } } })).selection ?? "[]",
    ) as CanonicalRecord[];
    const customers = new Map([...sampleRecords("customers", { scale: 0.05 })].map((record) => [record.id, record]));
    const seededCustomer = selected
      .map((ticket) => customers.get((ticket.fields.customer as { id: string }).id))
      .find((customer) => customer !== undefined && hasValidEmail(customer));
    expect(seededCustomer).toBeDefined();
    const existing = seedExisting(target.state, seededCustomer?.id);
    expect(existing.customerId).toBe(seededCustomer?.id);
    const before = snapshot(target.state);
    const status = await driveRun(database, runId, migration.resolver);
    expect(status).toBe("completed");

    const objects = await database.runObject.findMany({ where: { runId } });
    const tickets = objects.find((object) => object.objectType === "tickets");
    expect(tickets?.total).toBe(5);
    // Every chosen ticket's customer came along (created, or linked to the record that was there).
    const ticketLinks = await database.recordLink.findMany({ where: { runId, objectType: "tickets" }, select: { sourceId: true, status: true } });
    expect(ticketLinks.filter((link) => link.status === "created")).toHaveLength(5);
    const chosen = JSON.parse(tickets?.selection ?? "[]") as { fields: { customer: { id: string } }; children?: { messages?: unknown[] } }[];
    const customerIds = chosen.map((ticket) => ticket.fields.customer.id);
    const customerLinks = await database.recordLink.findMany({
      where: { migrationId: migration.migrationId, objectType: "customers", sourceId: { in: customerIds } },
    });
    expect(new Set(customerLinks.map((link) => link.sourceId))).toEqual(new Set(customerIds));
    expect(customerLinks.every((link) => ["created", "skipped"].includes(link.status))).toBe(true);
    // Chosen for coverage: the longest threads of the candidates are in.
    expect(Math.max(...chosen.map((ticket) => ticket.children?.messages?.length ?? 0))).toBeGreaterThanOrEqual(5);
    expect((await verificationOf(runId))?.clean).toBe(true);
    // The customer already in the target is linked to, not created again.
    expect(
      await database.recordLink.findFirst({ where: { migrationId: migration.migrationId, objectType: "customers", sourceId: existing.customerId } }),
    ).toMatchObject({ status: "skipped", targetId: existing.personId });

    // Demo data deletion = rollback of the demo run.
    await rollbackRun(database, runId, { resolveSession: migration.resolver });
    expect(snapshot(target.state)).toEqual(before);
  }, 60_000);
});

describe("parallel runs", () => {
  it("runs two migrations into different targets at the same time", async () => {
    const [first, second] = await Promise.all([sandbox(), sandbox()]);
    const migrations = await Promise.all([
      setupMigration(database, { source: SOURCE, target: twenty(first.url) }),
      setupMigration(database, { source: SOURCE, target: twenty(second.url) }),
    ]);
    const runs = await Promise.all(migrations.map((migration) => runToEnd(database, migration, "full", { pageSize: 10 })));
    expect(runs.map((run) => run.status)).toEqual(["completed", "completed"]);
    for (const run of runs) expect((await verificationOf(run.runId))?.clean).toBe(true);
    expect(snapshot(first.state)).toEqual(snapshot(second.state));
    expect(countsOf(first.state).people).toBeGreaterThan(0);
  }, 60_000);
});

describe("sessions between slices", () => {
  it("reuses a run's sessions across its slices until a connection changes or the run stops", async () => {
    const target = await sandbox();
    const migration = await setupMigration(database, { source: SOURCE, target: twenty(target.url) });
    const opened: string[] = [];
    const counting: SessionResolver = (connectionId, organizationId) => {
      opened.push(connectionId);
      return migration.resolver(connectionId, organizationId);
    };
    const { runId } = await createRun(database, { migrationId: migration.migrationId, mode: "full" });
    const oneBatch = () => runSlice(database, runId, { budgetMs: 10_000, maxBatches: 1, resolveSession: counting, retryWait: TEST_RETRY_WAIT, pageSize: 5 });

    await oneBatch();
    await oneBatch();
    expect(opened).toHaveLength(2);

    // A new API key or address (the row's updatedAt moves) opens new sessions at the next slice.
    const run = await database.run.findUniqueOrThrow({ where: { id: runId }, select: { migration: { select: { targetConnectionId: true } } } });
    await database.connection.update({ where: { id: run.migration.targetConnectionId as string }, data: { label: "Twenty (new key)" } });
    await oneBatch();
    expect(opened).toHaveLength(4);
    await oneBatch();
    expect(opened).toHaveLength(4);

    // A paused run forgets them: resuming starts from fresh sessions and schemas.
    await pauseRun(database, runId);
    await oneBatch();
    await resumeRun(database, runId);
    await oneBatch();
    expect(opened).toHaveLength(6);
    expect(await driveRun(database, runId, counting, { pageSize: 5 })).toBe("completed");
    expect(parseVerification((await database.run.findUniqueOrThrow({ where: { id: runId } })).verification)?.clean).toBe(true);
  });
});
