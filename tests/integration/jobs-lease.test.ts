// Leases on a real PostgreSQL database: one owner per run, one leased run per target connection, and
// claimers on separate connections (like separate processes) racing without a double win.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "@/lib/db";
import { claimRun, LEASE_MS, releaseLease, renewLease } from "@/lib/jobs/lease";
import { createTestDatabase } from "@/tests/helpers/database";

let database: Database;
let url: string;
let cleanup: () => Promise<void>;
let sequence = 0;

beforeAll(async () => {
  ({ database, url, cleanup } = await createTestDatabase());
});
afterAll(async () => {
  await cleanup();
});

async function makeTarget(): Promise<{ organizationId: string; connectionId: string }> {
  sequence += 1;
  const organization = await database.organization.create({ data: { name: `Lease org ${sequence}` } });
  const connection = await database.connection.create({
    data: { organizationId: organization.id, systemId: "twenty", label: `Target ${sequence}`, credentialsCiphertext: "-", keyVersion: 1 },
  });
  return { organizationId: organization.id, connectionId: connection.id };
}

async function makeRun(target: { organizationId: string; connectionId: string }, data: { status?: string; createdAt?: Date } = {}): Promise<string> {
  const migration = await database.migration.create({
    data: { organizationId: target.organizationId, name: "m", sourceConnectionId: target.connectionId, targetConnectionId: target.connectionId },
  });
  const run = await database.run.create({ data: { migrationId: migration.id, mode: "full", ...data } });
  return run.id;
}

async function leaseOf(runId: string) {
  return database.run.findUniqueOrThrow({ where: { id: runId }, select: { leaseOwner: true, leaseExpiresAt: true, heartbeatAt: true } });
}

/** Releases every lease so each test starts from a clean slate on the shared file. */
async function releaseAll() {
  await database.run.updateMany({ data: { leaseOwner: null, leaseExpiresAt: null } });
  await database.run.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "completed" } });
}

describe("run leases", () => {
  it("claims the oldest queued run and sets owner, expiry and heartbeat", async () => {
    await releaseAll();
    const target = await makeTarget();
    const older = await makeRun(target, { createdAt: new Date(Date.now() - 60_000) });
    await makeRun(await makeTarget());
    const now = new Date();
    const claimed = await claimRun(database, { owner: "a", now });
    expect(claimed?.runId).toBe(older);
    const lease = await leaseOf(older);
    expect(lease.leaseOwner).toBe("a");
    expect(lease.leaseExpiresAt?.getTime()).toBe(now.getTime() + LEASE_MS);
    expect(lease.heartbeatAt?.getTime()).toBe(now.getTime());
  });

  it("never claims paused, completed or cancelled runs", async () => {
    await releaseAll();
    const target = await makeTarget();
    for (const status of ["paused", "completed", "cancelled", "failed", "rolled_back"]) await makeRun(target, { status });
    expect(await claimRun(database, { owner: "a" })).toBeNull();
  });

  it("does not claim a second run for a target that already has a live lease", async () => {
    await releaseAll();
    const target = await makeTarget();
    const first = await makeRun(target);
    const second = await makeRun(target);
    const now = new Date();
    expect((await claimRun(database, { owner: "a", now }))?.runId).toBe(first);
    expect(await claimRun(database, { owner: "b", now })).toBeNull();
    expect(await claimRun(database, { owner: "b", now, runId: second })).toBeNull();
    await releaseLease(database, { runId: first, owner: "a" });
    await database.run.update({ where: { id: first }, data: { status: "completed" } });
    expect((await claimRun(database, { owner: "b", now }))?.runId).toBe(second);
  });

  it("takes over a run whose lease expired (the owner died)", async () => {
    await releaseAll();
    const target = await makeTarget();
    const runId = await makeRun(target, { status: "running" });
    await database.run.update({
      where: { id: runId },
      data: { leaseOwner: "dead", leaseExpiresAt: new Date(Date.now() - 1), heartbeatAt: new Date(Date.now() - LEASE_MS) },
    });
    const claimed = await claimRun(database, { owner: "alive" });
    expect(claimed?.runId).toBe(runId);
    expect(await renewLease(database, { runId, owner: "dead" })).toBe(false);
    expect(await releaseLease(database, { runId, owner: "dead" })).toBe(false);
    expect((await leaseOf(runId)).leaseOwner).toBe("alive");
  });

  it("renews only for the owner and moves the expiry and heartbeat forward", async () => {
    await releaseAll();
    const runId = await makeRun(await makeTarget());
    const start = new Date("2030-01-01T00:00:00.000Z");
    await claimRun(database, { owner: "a", now: start, leaseMs: 1_000 });
    const later = new Date(start.getTime() + 900);
    expect(await renewLease(database, { runId, owner: "a", now: later, leaseMs: 1_000 })).toBe(true);
    expect(await renewLease(database, { runId, owner: "b", now: later })).toBe(false);
    const lease = await leaseOf(runId);
    expect(lease.leaseExpiresAt?.toISOString()).toBe("2030-01-01T00:00:01.900Z");
    expect(lease.heartbeatAt?.toISOString()).toBe(later.toISOString());
    expect(await releaseLease(database, { runId, owner: "a" })).toBe(true);
    expect((await leaseOf(runId)).leaseOwner).toBeNull();
  });

  it("lets the owner re-claim its own run by id (a retried step), but nobody else", async () => {
    await releaseAll();
    const runId = await makeRun(await makeTarget());
    expect(await claimRun(database, { owner: "step-1", runId })).not.toBeNull();
    expect(await claimRun(database, { owner: "step-1", runId })).not.toBeNull();
    expect(await claimRun(database, { owner: "other", runId })).toBeNull();
  });

  it("lets exactly one of many racing claimers on separate connections win a target", async () => {
    await releaseAll();
    const target = await makeTarget();
    const runIds = [await makeRun(target), await makeRun(target), await makeRun(target)];
    const claimers = Array.from({ length: 6 }, () => createDatabase({ url }));
    try {
      for (let round = 0; round < 5; round += 1) {
        await database.run.updateMany({ where: { id: { in: runIds } }, data: { leaseOwner: null, leaseExpiresAt: null } });
        const results = await Promise.all(claimers.map((claimer, index) => claimRun(claimer, { owner: `claimer-${index}` })));
        const winners = results.filter((result) => result !== null);
        expect(winners).toHaveLength(1);
        const leased = await database.run.findMany({ where: { id: { in: runIds }, leaseOwner: { not: null } } });
        expect(leased).toHaveLength(1);
        expect(leased[0].id).toBe(winners[0]!.runId);
      }
    } finally {
      await Promise.all(claimers.map((claimer) => claimer.$disconnect()));
    }
  });

  it("spreads racing claimers over different targets, each run claimed once", async () => {
    await releaseAll();
    const runIds: string[] = [];
    for (let index = 0; index < 4; index += 1) runIds.push(await makeRun(await makeTarget()));
    const claimers = Array.from({ length: 8 }, () => createDatabase({ url }));
    try {
      const results = await Promise.all(claimers.map((claimer, index) => claimRun(claimer, { owner: `claimer-${index}` })));
      const won = results.filter((result) => result !== null).map((result) => result!.runId);
      expect(won.sort()).toEqual([...runIds].sort());
      const rows = await database.run.findMany({ where: { id: { in: runIds } }, select: { leaseOwner: true } });
      expect(new Set(rows.map((row) => row.leaseOwner)).size).toBe(4);
    } finally {
      await Promise.all(claimers.map((claimer) => claimer.$disconnect()));
    }
  });
});
