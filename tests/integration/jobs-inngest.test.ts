// The Inngest functions executed in-process by @inngest/test (real step memoisation: the handler
// is replayed from the top with earlier step results) against the real engine on a real PostgreSQL
// database: Sample source → Twenty sandbox.
import { InngestTestEngine } from "@inngest/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { dispatchCancel, dispatchRun } from "@/lib/jobs/dispatch";
import type { SliceRunner } from "@/lib/jobs/embedded-runner";
import {
  createFinishCancelledRunFunction,
  createResumeAfterOutageFunction,
  createRunMigrationFunction,
  createSweepStalledRunsFunction,
  runCancelledEvent,
  runContinueEvent,
  runRequestedEvent,
  SLICES_PER_FUNCTION_RUN,
} from "@/lib/jobs/inngest";
import { claimRun } from "@/lib/jobs/lease";
import { createRun, probeOutage, runSlice } from "@/lib/migration/engine";
import { createTestDatabase } from "@/tests/helpers/database";
import { setupMigration, type TestMigration } from "@/tests/helpers/engine-fixtures";

const API_KEY = "jobs-inngest-key";
/** Inngest's documented per-run step limit (https://www.inngest.com/docs/usage-limits/inngest). */
const INNGEST_STEP_LIMIT = 1_000;

type Sandbox = Awaited<ReturnType<typeof startTwentySandbox>>;
type FunctionResult = { runId: string; status: string; generation?: number; slices: number; continued?: boolean };

let database: Database;
let cleanup: () => Promise<void>;
const sandboxes: Sandbox[] = [];

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
});
afterAll(async () => {
  await cleanup();
});

// ---- factories -------------------------------------------------------------------------------
async function demoMigration(): Promise<TestMigration> {
  const sandbox = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, seed: "empty" });
  sandboxes.push(sandbox);
  return setupMigration(database, {
    source: { systemId: "sample", credentials: { seed: 42, scale: 0.02 } },
    target: { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: sandbox.url } },
  });
}

async function demoRun(migration: TestMigration): Promise<string> {
  return (await createRun(database, { migrationId: migration.migrationId, mode: "demo", sampleSize: 3 })).runId;
}

/** The real runSlice, one page per slice, with the migration's test sessions; counts calls. */
function engineSlices(migration: TestMigration, calls: string[] = [], after?: (runId: string, slice: number) => Promise<void>): SliceRunner {
  return async (db, runId, options) => {
    calls.push(runId);
    const result = await runSlice(db, runId, { ...options, maxBatches: 1, resolveSession: migration.resolver, sleep: async () => {} });
    await after?.(runId, calls.length);
    return result;
  };
}

/** Step ids the handler went through in its last replay, in order. */
function stepIds(spy: unknown): string[] {
  return (spy as { mock: { calls: unknown[][] } }).mock.calls.map((call) => String(call[0]));
}

function requested(migration: TestMigration, runId: string) {
  return { name: "ferry/run.requested", data: { runId, targetConnectionId: migration.targetConnectionId } };
}

/** Mocks the continuation step: @inngest/test has no Inngest server to send the event to. */
const continueSent = { id: "continue", handler: () => ({ ids: ["continuation-event"] }) };

async function statusOf(runId: string): Promise<string> {
  return (await database.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true } })).status;
}

// ---- behaviour -------------------------------------------------------------------------------
describe("run-migration (Inngest)", () => {
  it("runs one memoised step per slice until the run completes", async () => {
    const migration = await demoMigration();
    const runId = await demoRun(migration);
    const calls: string[] = [];
    const fn = createRunMigrationFunction({ database: () => database, runSlice: engineSlices(migration, calls), sliceBudgetMs: 5_000 });
    const engine = new InngestTestEngine({ function: fn, events: [requested(migration, runId)], steps: [continueSent] });

    const { result, ctx, error } = await engine.execute();
    expect(error).toBeUndefined();
    const outcome = result as FunctionResult;
    expect(outcome).toMatchObject({ runId, status: "completed", continued: false });
    // One step per slice, named slice-<n>, and each slice ran once although the handler was
    // replayed from the top after every step.
    const ids = stepIds(ctx.step.run);
    expect(ids).toEqual(Array.from({ length: outcome.slices }, (_, index) => `slice-${index}`));
    expect(calls).toHaveLength(outcome.slices);
    expect(outcome.slices).toBeGreaterThan(3);
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
    expect(await statusOf(runId)).toBe("completed");
    const run = await database.run.findUniqueOrThrow({ where: { id: runId }, select: { leaseOwner: true, processedRecords: true } });
    expect(run.leaseOwner).toBeNull();
    expect(run.processedRecords).toBeGreaterThan(0);
  });

  it("hands over to a fresh function run with a continuation event before the step limit", async () => {
    const migration = await demoMigration();
    const runId = await demoRun(migration);
    const calls: string[] = [];
    const slicesPerRun = 2;
    const fn = createRunMigrationFunction({ database: () => database, runSlice: engineSlices(migration, calls), slicesPerFunctionRun: slicesPerRun });

    let event: { name: string; data: Record<string, unknown> } = requested(migration, runId);
    const generations: string[][] = [];
    for (let generation = 0; generation < 50; generation += 1) {
      // A new engine per generation: each continuation is a new Inngest function run.
      const engine = new InngestTestEngine({ function: fn, events: [event], steps: [continueSent] });
      const { result, ctx, error } = await engine.execute();
      expect(error).toBeUndefined();
      const outcome = result as FunctionResult;
      const ids = stepIds(ctx.step.run);
      generations.push(ids);
      expect(ids.length).toBeLessThanOrEqual(slicesPerRun);
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, index) => `slice-${generation * slicesPerRun + index}`));
      if (!outcome.continued) break;
      const next = { runId, targetConnectionId: migration.targetConnectionId, generation: generation + 1 };
      expect(ctx.step.sendEvent).toHaveBeenCalledWith("continue", expect.objectContaining({ name: "ferry/run.continue", data: next }));
      event = { name: "ferry/run.continue", data: next };
    }

    expect(generations.length).toBeGreaterThan(2);
    expect(calls).toHaveLength(generations.flat().length);
    expect(await statusOf(runId)).toBe("completed");
    // The production threshold: at most two steps per slice plus the continuation, under the limit.
    expect(SLICES_PER_FUNCTION_RUN * 2 + 1).toBeLessThan(INNGEST_STEP_LIMIT / 2);
  });

  it("stops at the cancel event and the finisher completes the cancellation", async () => {
    const migration = await demoMigration();
    const runId = await demoRun(migration);
    const sent: { name: string; data: unknown }[] = [];
    const fn = createRunMigrationFunction({ database: () => database, runSlice: engineSlices(migration), slicesPerFunctionRun: 2 });

    // Two slices, then the function hands over; the user cancels before the continuation runs.
    const first = await new InngestTestEngine({ function: fn, events: [requested(migration, runId)], steps: [continueSent] }).execute();
    expect((first.result as FunctionResult).continued).toBe(true);
    expect(await statusOf(runId)).toBe("running");
    await dispatchCancel(runId, { database, jobRunner: "inngest", sendEvent: async (event) => void sent.push(event) });
    expect(sent).toEqual([expect.objectContaining({ name: "ferry/run.cancelled", data: { runId } })]);
    expect(await statusOf(runId)).toBe("cancelling");

    // cancelOn drops the continuation (Inngest matches the event, not our code); the same event
    // triggers finish-cancelled-run, which lets the engine finish the cancellation.
    const finisher = createFinishCancelledRunFunction({ database: () => database, runSlice: engineSlices(migration) });
    const finished = await new InngestTestEngine({ function: finisher, events: [{ name: "ferry/run.cancelled", data: { runId } }] }).execute();
    expect(finished.error).toBeUndefined();
    expect(finished.result).toMatchObject({ runId, status: "cancelled" });
    expect(await statusOf(runId)).toBe("cancelled");

    // Were the continuation delivered anyway, the function would end at once without writing.
    const late = await new InngestTestEngine({
      function: fn,
      events: [{ name: "ferry/run.continue", data: { runId, targetConnectionId: migration.targetConnectionId, generation: 1 } }],
    }).execute();
    expect(late.result).toMatchObject({ status: "cancelled", continued: false, slices: 1 });
  });

  it("ends with the run's status when a slice cancels the run mid-flight", async () => {
    const migration = await demoMigration();
    const runId = await demoRun(migration);
    const fn = createRunMigrationFunction({
      database: () => database,
      runSlice: engineSlices(migration, [], async (id, slice) => {
        if (slice === 2) await dispatchCancel(id, { database, jobRunner: "inngest", sendEvent: async () => undefined });
      }),
    });
    const { result, ctx } = await new InngestTestEngine({ function: fn, events: [requested(migration, runId)] }).execute();
    expect(result).toMatchObject({ status: "cancelled", continued: false, slices: 3 });
    expect(stepIds(ctx.step.run)).toEqual(["slice-0", "slice-1", "slice-2"]);
    expect(await statusOf(runId)).toBe("cancelled");
  });

  it("declares the concurrency key on the target connection and cancelOn matching the run", () => {
    const fn = createRunMigrationFunction({ database: () => database });
    const [config] = (fn as unknown as { getConfig(options: { baseUrl: URL; appPrefix: string }): Record<string, unknown>[] }).getConfig({
      baseUrl: new URL("http://localhost:3000/api/inngest"),
      appPrefix: "ferry",
    });
    expect(config.id).toBe("ferry-run-migration");
    expect(config.triggers).toEqual([{ event: "ferry/run.requested" }, { event: "ferry/run.continue" }]);
    expect(config.concurrency).toEqual({ limit: 1, key: "event.data.targetConnectionId" });
    expect(config.cancel).toEqual([{ event: "ferry/run.cancelled", if: "async.data.runId == event.data.runId" }]);
  });

  it("waits out another worker's lease instead of working the run beside it", async () => {
    const migration = await demoMigration();
    const runId = await demoRun(migration);
    expect(await claimRun(database, { owner: "embedded:other-process", runId })).not.toBeNull();
    const calls: string[] = [];
    const fn = createRunMigrationFunction({ database: () => database, runSlice: engineSlices(migration, calls) });
    const released = {
      id: "wait-0",
      // The other worker finishes its slice and lets go while this function sleeps.
      handler: async () => {
        await database.run.update({ where: { id: runId }, data: { leaseOwner: null, leaseExpiresAt: null } });
        return null;
      },
    };
    const { result, ctx } = await new InngestTestEngine({ function: fn, events: [requested(migration, runId)], steps: [released] }).execute();
    expect(result).toMatchObject({ status: "completed" });
    expect(ctx.step.sleep).toHaveBeenCalledWith("wait-0", expect.any(Number));
    // slice-0 found the run busy and did no work.
    expect(calls).toHaveLength((result as FunctionResult).slices - 1);
  });

  it("rejects an event without the target connection (the concurrency key)", async () => {
    const migration = await demoMigration();
    const runId = await demoRun(migration);
    const fn = createRunMigrationFunction({ database: () => database, runSlice: engineSlices(migration) });
    const { error } = await new InngestTestEngine({ function: fn, events: [{ name: "ferry/run.requested", data: { runId } }] }).execute();
    expect(String((error as Error | undefined)?.message ?? error)).toMatch(/targetConnectionId/);
    expect(await statusOf(runId)).toBe("queued");
  });
});

describe("dispatch", () => {
  it("sends ferry/run.requested with the run's target connection when Inngest runs jobs", async () => {
    const migration = await demoMigration();
    const runId = await demoRun(migration);
    const sent: { name: string; data: unknown }[] = [];
    expect(await dispatchRun(runId, { database, jobRunner: "inngest", sendEvent: async (event) => void sent.push(event) })).toEqual({ runner: "inngest" });
    expect(sent).toEqual([expect.objectContaining({ name: runRequestedEvent.name, data: { runId, targetConnectionId: migration.targetConnectionId } })]);
  });

  it("sends nothing with the embedded runner (its loop claims queued runs)", async () => {
    const migration = await demoMigration();
    const runId = await demoRun(migration);
    const sent: unknown[] = [];
    expect(await dispatchRun(runId, { database, jobRunner: "embedded", sendEvent: async (event) => void sent.push(event) })).toEqual({ runner: "embedded" });
    await dispatchCancel(runId, { database, jobRunner: "embedded", sendEvent: async (event) => void sent.push(event) });
    expect(sent).toEqual([]);
    // A queued run stops at once.
    expect(await statusOf(runId)).toBe("cancelled");
  });

  it("validates event payloads with zod before sending", async () => {
    await expect(runContinueEvent.create({ runId: "r", targetConnectionId: "t", generation: 0 }).validate()).rejects.toThrow();
    await expect(runCancelledEvent.create({ runId: "" }).validate()).rejects.toThrow();
    await expect(runRequestedEvent.create({ runId: "r", targetConnectionId: "t" }).validate()).resolves.toBeUndefined();
  });
});

describe("sweep-stalled-runs", () => {
  it("re-requests workable runs with no live lease and no recent heartbeat", async () => {
    const migration = await demoMigration();
    const stalled = await demoRun(migration);
    const now = new Date(Date.now() + 60 * 60_000);
    const fn = createSweepStalledRunsFunction({ database: () => database, stallMs: 15 * 60_000, now: () => now });
    const { result, ctx } = await new InngestTestEngine({
      function: fn,
      events: [{ name: "inngest/scheduled.timer", data: {} }],
      steps: [{ id: "request-stalled-runs", handler: () => ({ ids: ["e"] }) }],
    }).execute();
    expect((result as { requested: number }).requested).toBeGreaterThanOrEqual(1);
    const [, payload] = (ctx.step.sendEvent as unknown as { mock: { calls: [string, { name: string; data: { runId: string } }[]][] } }).mock.calls[0];
    expect(payload.map((event) => event.data.runId)).toContain(stalled);
    expect(payload.every((event) => event.name === "ferry/run.requested")).toBe(true);

    // A run whose heartbeat is fresh is left alone.
    await database.run.update({ where: { id: stalled }, data: { heartbeatAt: now } });
    const again = await new InngestTestEngine({
      function: fn,
      events: [{ name: "inngest/scheduled.timer", data: {} }],
      steps: [{ id: "request-stalled-runs", handler: () => ({ ids: [] }) }],
    }).execute();
    const calls = (again.ctx.step.sendEvent as unknown as { mock: { calls: [string, { data: { runId: string } }[]][] } }).mock.calls;
    expect(calls.flatMap(([, events]) => events.map((event) => event.data.runId))).not.toContain(stalled);
  });
});

describe("resume-after-outage", () => {
  it("probes runs paused for an outage and re-requests those whose systems answer again", async () => {
    const migration = await demoMigration();
    const runId = await demoRun(migration);
    const now = new Date();
    // Paused for an outage, probe due; a user's pause next to it is never probed.
    await database.run.update({
      where: { id: runId },
      data: {
        status: "paused",
        pauseKind: "outage",
        pauseReason: "Twenty has not answered for 30 minutes",
        outageSince: new Date(now.getTime() - 30 * 60_000),
        retryAt: now,
      },
    });
    const userPaused = await demoRun(await demoMigration());
    await database.run.update({ where: { id: userPaused }, data: { status: "paused", pauseKind: "user", retryAt: now } });

    const fn = createResumeAfterOutageFunction({
      database: () => database,
      now: () => now,
      probe: (db, id) => probeOutage(db, id, { resolveSession: migration.resolver, now: () => now }),
    });
    const { result, ctx } = await new InngestTestEngine({
      function: fn,
      events: [{ name: "inngest/scheduled.timer", data: {} }],
      steps: [{ id: "request-resumed-runs", handler: () => ({ ids: ["e"] }) }],
    }).execute();

    expect(result).toEqual({ resumed: 1 });
    const [, payload] = (
      ctx.step.sendEvent as unknown as { mock: { calls: [string, { name: string; data: { runId: string; targetConnectionId: string } }[]][] } }
    ).mock.calls[0];
    expect(payload).toHaveLength(1);
    expect(payload[0]).toMatchObject({ name: "ferry/run.requested", data: { runId, targetConnectionId: migration.targetConnectionId } });
    expect(await database.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      status: "running",
      pauseKind: null,
      pauseReason: null,
      outageSince: null,
    });
    expect(await database.runEvent.findFirst({ where: { runId, kind: "resumed" } })).toMatchObject({
      message: "Twenty answers again after 30 minutes: the run resumed on its own where it stopped.",
    });
    expect(await statusOf(userPaused)).toBe("paused");
  });
});
