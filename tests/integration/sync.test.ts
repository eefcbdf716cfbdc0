// Sync until cutover, Twenty → Twenty: after a full run, changes in the source (a new person, a
// changed person, a deleted person) reach the target with Sync now; a company edited in the
// target since Ferry wrote it is reported, not overwritten; Cut over stops the schedule.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { cutOver, saveSyncSettings, settleSyncCycles, startSyncCycle, syncTick } from "@/lib/sync/cycles";
import { saveSyncSettingsCommand } from "@/lib/sync/commands";
import { loadSyncDashboard } from "@/lib/sync/dashboard";
import { startDueSyncRuns } from "@/lib/jobs/inngest";
import { createTestDatabase } from "../helpers/database";
import { countsOf } from "../helpers/engine-compare";
import { driveRun, resolverFor, runToEnd, setupMigration, type Endpoint, type TestMigration } from "../helpers/engine-fixtures";

const API_KEY = "sync-key";
const twenty = (url: string): Endpoint => ({ systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: url } });

let database: Database;
let cleanup: () => Promise<void>;
let source: Awaited<ReturnType<typeof startTwentySandbox>>;
let target: Awaited<ReturnType<typeof startTwentySandbox>>;
let migration: TestMigration;

async function call(url: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path}`).toBe(true);
  return response.json() as Promise<{ data: Record<string, Record<string, unknown>> }>;
}

async function linkOf(objectType: string, sourceId: string) {
  return database.recordLink.findFirstOrThrow({ where: { migrationId: migration.migrationId, objectType, sourceId } });
}

/** A record the full run created, by position (so two picks differ). */
async function migrated(objectType: string, skip: number) {
  return database.recordLink.findFirstOrThrow({
    where: { migrationId: migration.migrationId, objectType, status: "created" },
    orderBy: { sourceId: "asc" },
    skip,
  });
}

async function syncNow(kind: "manual" | "cutover" = "manual") {
  const started =
    kind === "cutover"
      ? await cutOver(database, migration.migrationId, { resolver: migration.resolver })
      : await startSyncCycle(database, migration.migrationId, "manual");
  expect(await driveRun(database, started.runId, migration.resolver)).toBe("completed");
  expect(await settleSyncCycles(database, { resolver: migration.resolver })).toBe(1);
  return started;
}

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
  source = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, seed: "sample" });
  target = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0 });
  migration = await setupMigration(database, { source: twenty(source.url), target: twenty(target.url) });
  expect((await runToEnd(database, migration, "full")).status).toBe("completed");
}, 90_000);

afterAll(async () => {
  await source?.close();
  await target?.close();
  await cleanup?.();
});

describe("sync until cutover", () => {
  it("refuses to start before sync is switched on", async () => {
    await expect(startSyncCycle(database, migration.migrationId, "manual")).rejects.toThrow(/does not sync/);
  });

  it("carries a create, an update and a deletion, and reports a conflicting target edit instead of overwriting it", async () => {
    const now = new Date();
    await saveSyncSettings(database, migration.migrationId, { intervalMinutes: 15, conflictPolicy: "report", deletions: { people: "delete" } }, now);
    // Scheduled every 15 minutes: nothing is due yet.
    expect(await syncTick(database, { now })).toEqual([]);

    const changed = await migrated("people", 0);
    const deleted = await migrated("people", 1);
    const company = await migrated("companies", 0);
    // twenty-api §2: PATCH/DELETE /rest/{plural}/{id}, POST /rest/{plural}.
    await call(source.url, "PATCH", `/rest/people/${changed.sourceId}`, { jobTitle: "Head of Sync" });
    await call(source.url, "DELETE", `/rest/people/${deleted.sourceId}`);
    const created = await call(source.url, "POST", "/rest/people", {
      name: { firstName: "Nova", lastName: "Synced" },
      emails: { primaryEmail: "nova.synced@example.com" },
    });
    const createdId = String(created.data.createPerson.id);
    // The same company changed on both sides: someone renamed it in the target after the full run.
    await call(target.url, "PATCH", `/rest/companies/${company.targetId}`, { name: "Renamed In The Target" });
    await call(source.url, "PATCH", `/rest/companies/${company.sourceId}`, { name: "Renamed In The Source" });

    const { cycleId } = await syncNow();
    const dashboard = await loadSyncDashboard(database, migration.migrationId);
    expect(dashboard.last?.id).toBe(cycleId);
    expect(dashboard.last?.counts.people).toEqual({ created: 1, updated: 1, deleted: 1, conflicts: 0 });
    expect(dashboard.last?.counts.companies).toEqual({ created: 0, updated: 0, deleted: 0, conflicts: 1 });
    expect(dashboard.conflicts).toEqual([expect.objectContaining({ objectType: "companies", sourceId: company.sourceId, resolution: "reported" })]);

    // The target matches the source: the change, the new person, the deleted person gone; the conflict kept.
    expect(target.state.record("people", changed.targetId as string)?.jobTitle).toBe("Head of Sync");
    expect(target.state.record("people", deleted.targetId as string)).toBeUndefined();
    expect(await linkOf("people", deleted.sourceId)).toMatchObject({ status: "removed", sourceDeletedAt: expect.any(Date) });
    const newLink = await linkOf("people", createdId);
    expect(target.state.record("people", newLink.targetId as string)?.name).toMatchObject({ firstName: "Nova", lastName: "Synced" });
    expect(newLink.targetVersion).toEqual(expect.any(String));
    expect(target.state.record("companies", company.targetId as string)?.name).toBe("Renamed In The Target");
    const failedPeople = await database.recordLink.count({ where: { migrationId: migration.migrationId, objectType: "people", status: "failed" } });
    expect(countsOf(target.state).people + failedPeople).toBe(countsOf(source.state).people);
  }, 60_000);

  it("starts the next sync when it is due, and a record Ferry wrote last time is no conflict", async () => {
    const changed = await migrated("people", 0);
    await call(source.url, "PATCH", `/rest/people/${changed.sourceId}`, { jobTitle: "Head of Scheduled Syncs" });
    const due = (await database.migration.findUniqueOrThrow({ where: { id: migration.migrationId } })).syncNextAt as Date;
    // Inngest's sync-schedule function: the due sync's run, with its target connection for the concurrency key.
    const [{ runId, targetConnectionId }] = await startDueSyncRuns(database, new Date(due.getTime() + 1_000));
    expect(targetConnectionId).toBe(migration.targetConnectionId);
    expect(await driveRun(database, runId, migration.resolver)).toBe("completed");
    await settleSyncCycles(database, { resolver: migration.resolver });
    const dashboard = await loadSyncDashboard(database, migration.migrationId);
    expect(dashboard.last?.kind).toBe("scheduled");
    expect(dashboard.last?.counts.people).toEqual({ created: 0, updated: 1, deleted: 0, conflicts: 0 });
    expect(dashboard.sinceStart).toMatchObject({ created: 1, updated: 2, deleted: 1, conflicts: 1 });
    expect(target.state.record("people", changed.targetId as string)?.jobTitle).toBe("Head of Scheduled Syncs");
    // What one sync costs (README "Sync until cutover"), 620 source records in 5 objects, one changed:
    // source = schema + a count and a delta read per object + the id listing (6 pages of up to 200,
    // with the link rows of tasks and notes) = 21; target = schema, the conflict check, the update,
    // the version read back = 5.
    const run = await database.run.findUniqueOrThrow({ where: { id: runId } });
    expect({ source: run.sourceRequests, target: run.targetRequests }).toEqual({ source: 21, target: 5 });
  }, 60_000);

  it("cuts over: a final sync, then the schedule stops", async () => {
    await syncNow("cutover");
    const row = await database.migration.findUniqueOrThrow({ where: { id: migration.migrationId } });
    expect(row).toMatchObject({ syncStatus: "cut_over", syncNextAt: null, cutOverAt: expect.any(Date) });
    expect(await syncTick(database, { now: new Date(Date.now() + 24 * 3_600_000) })).toEqual([]);
    await expect(startSyncCycle(database, migration.migrationId, "manual")).rejects.toThrow(/cut over/);
    const summary = await database.runEvent.findFirstOrThrow({ where: { kind: "cut_over" } });
    expect(summary.message).toMatch(/Since sync began: 1 created, 2 updated, 1 deleted, 1 conflicts/);
  }, 60_000);
});

describe("a sync failing repeatedly", () => {
  it("cancels a sync that paused by itself when the next is due, and tells the organization once after three failures in a row", async () => {
    const failing = await setupMigration(database, { source: twenty(source.url), target: twenty(target.url) });
    expect((await runToEnd(database, failing, "full")).status).toBe("completed");
    const user = await database.user.create({ data: { email: `sync-watcher-${Date.now()}@example.com`, name: "Sync Watcher", passwordHash: "unused" } });
    await database.membership.create({ data: { userId: user.id, organizationId: failing.organizationId, role: "admin" } });
    // The source's API key was revoked after the full run.
    const revoked = resolverFor({
      [failing.sourceConnectionId]: { systemId: "twenty", credentials: { apiKey: "revoked-key", baseUrl: source.url } },
      [failing.targetConnectionId]: twenty(target.url),
    });
    let now = new Date();
    await saveSyncSettings(database, failing.migrationId, { intervalMinutes: 15, conflictPolicy: "report", deletions: {} }, now);
    const failures = async () => (await database.migration.findUniqueOrThrow({ where: { id: failing.migrationId } })).syncFailures;
    const notices = () => database.notification.findMany({ where: { userId: user.id } });
    for (let cycle = 1; cycle <= 4; cycle += 1) {
      now = new Date(now.getTime() + 16 * 60_000);
      const [runId] = await syncTick(database, { now });
      expect(await driveRun(database, runId, revoked)).toBe("paused");
      // Still paused when the next sync is due: given up, then counted as failed.
      now = new Date(now.getTime() + 16 * 60_000);
      expect(await syncTick(database, { now })).toEqual([]);
      await settleSyncCycles(database, { now });
      expect(await failures()).toBe(cycle);
      expect((await notices()).map((notice) => notice.kind)).toEqual(cycle >= 3 ? ["sync_failing"] : []);
    }
    const [notice] = await notices();
    expect(notice.title).toMatch(/failed 3 times in a row/);
    expect(notice.link).toBe(`/migrations/${failing.migrationId}/sync`);
    expect(await database.outgoingMail.count({ where: { to: user.email, kind: "sync_failing" } })).toBe(1);
  }, 60_000);
});

describe("archive and source wins", () => {
  it("archives a record gone from the source where the target can, and overwrites a conflicting edit when the source wins", async () => {
    const fresh = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0 });
    try {
      const archiving = await setupMigration(database, { source: twenty(source.url), target: twenty(fresh.url) });
      expect((await runToEnd(database, archiving, "full")).status).toBe("completed");
      await saveSyncSettings(database, archiving.migrationId, { intervalMinutes: 30, conflictPolicy: "source_wins", deletions: { companies: "archive" } });
      const [gone, edited] = await database.recordLink.findMany({
        where: { migrationId: archiving.migrationId, objectType: "companies", status: "created" },
        orderBy: { sourceId: "desc" },
        take: 2,
      });
      await call(source.url, "DELETE", `/rest/companies/${gone.sourceId}`);
      await call(fresh.url, "PATCH", `/rest/companies/${edited.targetId}`, { name: "Edited In The Target" });
      await call(source.url, "PATCH", `/rest/companies/${edited.sourceId}`, { name: "Edited In The Source" });

      const { runId } = await startSyncCycle(database, archiving.migrationId, "manual");
      expect(await driveRun(database, runId, archiving.resolver)).toBe("completed");
      await settleSyncCycles(database);
      const dashboard = await loadSyncDashboard(database, archiving.migrationId);
      expect(dashboard.last?.counts.companies).toMatchObject({ updated: 1, deleted: 1, conflicts: 1 });
      expect(dashboard.conflicts).toEqual([expect.objectContaining({ sourceId: edited.sourceId, resolution: "overwritten" })]);
      expect(fresh.state.record("companies", edited.targetId as string)?.name).toBe("Edited In The Source");
      // Archived: Twenty's soft delete keeps the row, out of every list, restorable.
      expect(fresh.state.record("companies", gone.targetId as string)?.deletedAt).toEqual(expect.any(String));
    } finally {
      await fresh.close();
    }
  }, 60_000);
});

describe("sync settings", () => {
  it("offers archive only where the target can, and sync only after a full run", async () => {
    const organization = await database.organization.create({ data: { name: "Desk target" } });
    const connection = (systemId: string) =>
      database.connection.create({ data: { organizationId: organization.id, systemId, label: systemId, credentialsCiphertext: "unused", keyVersion: 1 } });
    const migrationRow = await database.migration.create({
      data: {
        organizationId: organization.id,
        name: "Into Teamwork Desk",
        sourceConnectionId: (await connection("twenty")).id,
        targetConnectionId: (await connection("teamwork-desk")).id,
      },
    });
    const command = {
      database,
      access: { kind: "organization" as const, organizationId: organization.id },
      actor: { organizationId: organization.id, user: { id: "cli", name: "Test", email: "test@example.com" } },
    };
    const input = { migrationId: migrationRow.id, intervalMinutes: 15, conflictPolicy: "report" };
    await expect(saveSyncSettingsCommand(command, { ...input, deletions: { companies: "archive" } })).rejects.toThrow(
      "The target cannot archive records: choose delete or report for companies.",
    );
    await expect(saveSyncSettingsCommand(command, { ...input, deletions: { companies: "report" } })).rejects.toThrow(/start the full run first/);
    await expect(saveSyncSettingsCommand(command, { ...input, intervalMinutes: 1, deletions: {} })).rejects.toThrow(/At least every 5 minutes/);
    expect(await database.migration.findUniqueOrThrow({ where: { id: migrationRow.id } })).toMatchObject({ syncStatus: null, syncDeletions: "{}" });
  });
});
