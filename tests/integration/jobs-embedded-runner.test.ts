// The embedded runner against the real engine on a real PostgreSQL database: Sample source → Twenty
// sandbox. Tiny poll intervals and an injected clock; no sleeping beyond them.
import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { startEmbeddedRunner, type EmbeddedRunner, type SliceRunner } from "@/lib/jobs/embedded-runner";
import { claimRun, LEASE_MS, renewLease } from "@/lib/jobs/lease";
import { createRun, pauseRun, resumeRun, runSlice, type SessionResolver } from "@/lib/migration/engine";
import { createMigrationRecord } from "@/lib/migration/setup";
import { createTestDatabase } from "@/tests/helpers/database";
import { resolverFor, setupMigration, type Endpoint, type TestMigration } from "@/tests/helpers/engine-fixtures";

const API_KEY = "jobs-sandbox-key";
const SAMPLE_SIZE = 3;
const WAIT_TIMEOUT_MS = 20_000;

type Sandbox = Awaited<ReturnType<typeof startTwentySandbox>>;

let database: Database;
let cleanup: () => Promise<void>;
const sandboxes: Sandbox[] = [];
const runners: EmbeddedRunner[] = [];
/** Connection id → session resolver, for every migration the tests create. */
const resolvers = new Map<string, SessionResolver>();

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  // Finished or not, no run of one test may be claimed by the next test's runner.
  await database.run.updateMany({
    where: { status: { in: ["queued", "running", "cancelling", "rolling_back", "paused"] } },
    data: { status: "cancelled", leaseOwner: null, leaseExpiresAt: null },
  });
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
});
afterAll(async () => {
  await cleanup();
});

// ---- factories -------------------------------------------------------------------------------
const resolveSession: SessionResolver = (connectionId, organizationId) => {
  const resolver = resolvers.get(connectionId);
  if (!resolver) throw new Error(`No test session for connection ${connectionId}`);
  return resolver(connectionId, organizationId);
};

function register(connections: Record<string, Endpoint>) {
  const resolver = resolverFor(connections);
  for (const id of Object.keys(connections)) resolvers.set(id, resolver);
}

async function twentyTarget(): Promise<Endpoint> {
  const sandbox = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, seed: "empty" });
  sandboxes.push(sandbox);
  return { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: sandbox.url } };
}

async function migrationTo(target: Endpoint, seed = 42): Promise<TestMigration> {
  const source: Endpoint = { systemId: "sample", credentials: { seed, scale: 0.02 } };
  const migration = await setupMigration(database, { source, target });
  register({ [migration.sourceConnectionId]: source, [migration.targetConnectionId]: target });
  return migration;
}

/** A second migration into the same target connection, from a differently seeded Sample source. */
async function anotherMigrationInto(first: TestMigration, target: Endpoint, seed: number): Promise<string> {
  const source: Endpoint = { systemId: "sample", credentials: { seed, scale: 0.02 } };
  const connection = await database.connection.create({
    data: { organizationId: first.organizationId, systemId: "sample", label: `sample ${seed}`, credentialsCiphertext: "test-only", keyVersion: 1 },
  });
  register({ [connection.id]: source, [first.targetConnectionId]: target });
  const { migrationId } = await createMigrationRecord(database, {
    organizationId: first.organizationId,
    name: `Second into the same target (${seed})`,
    sourceConnectionId: connection.id,
    targetConnectionId: first.targetConnectionId,
    plan: first.plan,
  });
  return migrationId;
}

async function demoRun(migrationId: string): Promise<string> {
  return (await createRun(database, { migrationId, mode: "demo", sampleSize: SAMPLE_SIZE })).runId;
}

type SliceLog = { runId: string; start: number; end: number }[];

/** The real runSlice, one page per slice, with test sessions; records each slice's interval. */
function engineSlices(log: SliceLog = [], before?: (runId: string) => Promise<void>): SliceRunner {
  return async (db, runId, options) => {
    await before?.(runId);
    const start = performance.now();
    try {
      return await runSlice(db, runId, { ...options, maxBatches: 1, resolveSession, sleep: async () => {} });
    } finally {
      log.push({ runId, start, end: performance.now() });
    }
  };
}

function start(options: Partial<Parameters<typeof startEmbeddedRunner>[0]> = {}): EmbeddedRunner {
  const runner = startEmbeddedRunner({
    database,
    ownerId: `test-runner-${crypto.randomUUID().slice(0, 8)}`,
    pollMs: 5,
    sliceBudgetMs: 2_000,
    runSlice: engineSlices(),
    logger: { info: () => {}, warn: () => {}, error: (message) => console.error(message) },
    ...options,
  });
  runners.push(runner);
  return runner;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function runRow(runId: string) {
  return database.run.findUniqueOrThrow({
    where: { id: runId },
    select: { status: true, leaseOwner: true, leaseExpiresAt: true, heartbeatAt: true, processedRecords: true },
  });
}

const waitForStatus = (runId: string, statuses: string[]) =>
  waitFor(
    () => runRow(runId),
    (run) => statuses.includes(run.status),
    `run ${runId} to be ${statuses.join(" or ")}`,
  );
/** A finished run whose lease the runner has given back (it releases right after the slice that finished it). */
const waitForFinishedAndReleased = (runId: string) =>
  waitFor(
    () => runRow(runId),
    (run) => ["completed", "failed"].includes(run.status) && run.leaseOwner === null,
    `run ${runId} to finish and its lease to be released`,
  );

function overlaps(a: SliceLog, b: SliceLog): boolean {
  return a.some((x) => b.some((y) => x.start < y.end && y.start < x.end));
}

// ---- behaviour -------------------------------------------------------------------------------
describe("embedded runner", () => {
  it("completes two runs on different targets in parallel", async () => {
    const first = await migrationTo(await twentyTarget());
    const second = await migrationTo(await twentyTarget());
    const runIds = [await demoRun(first.migrationId), await demoRun(second.migrationId)];
    // Each run's first slice waits (bounded) until the other run has started one too: only a
    // runner that drives both at once gets past this without the timeout.
    const entered = new Set<string>();
    let bothEntered!: () => void;
    const together = new Promise<void>((resolve) => (bothEntered = resolve));
    let metInParallel = false;
    const log: SliceLog = [];
    start({
      maxParallel: 4,
      runSlice: engineSlices(log, async (runId) => {
        if (entered.has(runId)) return;
        entered.add(runId);
        if (entered.size === 2) {
          metInParallel = true;
          bothEntered();
        }
        await Promise.race([together, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      }),
    });

    for (const runId of runIds) {
      const run = await waitForFinishedAndReleased(runId);
      expect(run.status).toBe("completed");
      expect(run.processedRecords).toBeGreaterThan(0);
      expect(run.leaseOwner).toBeNull();
    }
    expect(metInParallel).toBe(true);
    expect(
      overlaps(
        log.filter((entry) => entry.runId === runIds[0]),
        log.filter((entry) => entry.runId === runIds[1]),
      ),
    ).toBe(true);
    expect(log.length).toBeGreaterThan(4);
  });

  it("serialises two runs on the same target: the second starts after the first is done", async () => {
    const target = await twentyTarget();
    const first = await migrationTo(target, 42);
    const secondMigrationId = await anotherMigrationInto(first, target, 7);
    const firstRun = await demoRun(first.migrationId);
    const secondRun = await demoRun(secondMigrationId);
    const log: SliceLog = [];
    start({ maxParallel: 4, runSlice: engineSlices(log) });

    for (const runId of [firstRun, secondRun]) expect((await waitForStatus(runId, ["completed", "failed"])).status).toBe("completed");
    const firstSlices = log.filter((entry) => entry.runId === firstRun);
    const secondSlices = log.filter((entry) => entry.runId === secondRun);
    expect(firstSlices.length).toBeGreaterThan(1);
    expect(secondSlices.length).toBeGreaterThan(1);
    // The oldest run is claimed first and keeps the target until it is done.
    expect(Math.min(...secondSlices.map((entry) => entry.start))).toBeGreaterThanOrEqual(Math.max(...firstSlices.map((entry) => entry.end)));
  });

  it("takes over a run whose owner died, once its lease has expired", async () => {
    const migration = await migrationTo(await twentyTarget());
    const runId = await demoRun(migration.migrationId);
    // A process claimed the run, did one slice, and died without releasing its lease.
    const clock = { now: new Date("2031-05-01T12:00:00.000Z") };
    expect(await claimRun(database, { owner: "embedded:dead-host:1:deadbeef", now: clock.now })).not.toBeNull();
    await engineSlices()(database, runId, { budgetMs: 2_000 });
    expect((await runRow(runId)).status).toBe("running");

    const runner = start({ now: () => clock.now });
    // While the dead owner's lease is live (by the runner's clock), the run is left alone.
    for (let poll = 0; poll < 5; poll += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(runner.activeRunIds()).toEqual([]);
    expect((await runRow(runId)).leaseOwner).toBe("embedded:dead-host:1:deadbeef");

    clock.now = new Date(clock.now.getTime() + LEASE_MS + 1);
    const finished = await waitForFinishedAndReleased(runId);
    expect(finished.status).toBe("completed");
    expect(finished.leaseOwner).toBeNull();
    // The dead owner, should it wake up, finds it no longer holds the run.
    expect(await renewLease(database, { runId, owner: "embedded:dead-host:1:deadbeef", now: clock.now })).toBe(false);
  });

  it("takes over the run a stopped runner left behind and finishes it", async () => {
    const migration = await migrationTo(await twentyTarget());
    const runId = await demoRun(migration.migrationId);
    let slices = 0;
    let releaseSlice!: () => void;
    const gate = new Promise<void>((resolve) => (releaseSlice = resolve));
    let inSlice!: () => void;
    const sliceStarted = new Promise<void>((resolve) => (inSlice = resolve));
    const first = start({
      runSlice: engineSlices([], async () => {
        slices += 1;
        if (slices === 2) {
          inSlice();
          await gate;
        }
      }),
    });
    await sliceStarted;
    let stopped = false;
    const stopping = first.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // stop() waits for the slice in progress.
    expect(stopped).toBe(false);
    releaseSlice();
    await stopping;
    const afterStop = await runRow(runId);
    expect(afterStop.status).toBe("running");
    expect(afterStop.leaseOwner).toBeNull();
    expect(slices).toBe(2);

    start();
    expect((await waitForStatus(runId, ["completed", "failed"])).status).toBe("completed");
  });

  it("releases a paused run and picks it up again once resumed", async () => {
    const migration = await migrationTo(await twentyTarget());
    const runId = await demoRun(migration.migrationId);
    let slices = 0;
    start({
      runSlice: engineSlices([], async (id) => {
        slices += 1;
        if (slices === 2) await pauseRun(database, id);
      }),
    });
    const paused = await waitFor(
      () => runRow(runId),
      (run) => run.status === "paused" && run.leaseOwner === null,
      "the paused run to be released",
    );
    expect(paused.status).toBe("paused");
    const slicesWhilePaused = slices;
    for (let poll = 0; poll < 5; poll += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(slices).toBe(slicesWhilePaused);

    await resumeRun(database, runId);
    expect((await waitForStatus(runId, ["completed", "failed"])).status).toBe("completed");
    expect(slices).toBeGreaterThan(slicesWhilePaused);
  });

  it("retries a run whose slice threw once its lease has expired, not in a tight loop", async () => {
    const migration = await migrationTo(await twentyTarget());
    const runId = await demoRun(migration.migrationId);
    const clock = { now: new Date("2032-01-01T00:00:00.000Z") };
    let attempts = 0;
    const errors: string[] = [];
    const runner = start({
      now: () => clock.now,
      logger: { info: () => {}, warn: () => {}, error: (message) => void errors.push(String(message)) },
      runSlice: engineSlices([], async () => {
        attempts += 1;
        if (attempts === 1) throw new Error("database went away");
      }),
    });
    await waitFor(
      async () => errors.length,
      (count) => count === 1,
      "the failed slice to be logged",
    );
    // The failed worker keeps its lease: until it expires (by the runner's clock) nothing retries.
    for (let poll = 0; poll < 5; poll += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(attempts).toBe(1);
    expect((await runRow(runId)).leaseOwner).toBe(runner.ownerId);

    clock.now = new Date(clock.now.getTime() + LEASE_MS + 1);
    expect((await waitForStatus(runId, ["completed", "failed"])).status).toBe("completed");
    expect(attempts).toBeGreaterThan(1);
    expect(errors[0]).toMatch(/database went away/);
  });

  it("keeps one loop per owner id in a process (dev-server reloads)", async () => {
    const ownerId = `singleton-${crypto.randomUUID().slice(0, 8)}`;
    const first = start({ ownerId });
    const again = start({ ownerId });
    expect(again).toBe(first);
    await first.stop();
    const fresh = start({ ownerId });
    expect(fresh).not.toBe(first);
  });

  it("renews the heartbeat while a long slice runs", async () => {
    const migration = await migrationTo(await twentyTarget());
    const runId = await demoRun(migration.migrationId);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let heartbeats = 0;
    start({
      leaseMs: 60,
      runSlice: engineSlices([], async () => {
        const before = (await runRow(runId)).heartbeatAt?.getTime() ?? 0;
        await waitFor(
          () => runRow(runId),
          (run) => (run.heartbeatAt?.getTime() ?? 0) > before,
          "a heartbeat during the slice",
        );
        heartbeats += 1;
        release();
        await gate;
      }),
    });
    expect((await waitForStatus(runId, ["completed", "failed"])).status).toBe("completed");
    expect(heartbeats).toBeGreaterThan(0);
  });
});
