// Two processes spending one API budget (two limiters, as two workers would hold) keep to its
// limit together through the database's token grants (lib/api-budget.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { RateLimiter, shareBudgetsThrough } from "@/connectors/shared/rate-limiter";
import { createTwentySession } from "@/connectors/twenty";
import { forgetBatchCaps } from "@/connectors/twenty/batch-limit";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import { LEARNED_LIMITS_TTL_MS, databaseBudgetStore } from "@/lib/api-budget";
import { createDatabase, type Database } from "@/lib/db";
import { createTestDatabase } from "@/tests/helpers/database";

let database: Database;
let url: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ database, url, cleanup } = await createTestDatabase());
});
afterAll(async () => {
  await cleanup();
});
afterEach(() => {
  shareBudgetsThrough(null);
  forgetBatchCaps();
});

/** A clock that only moves when a limiter sleeps. */
function sharedClock() {
  let nowMs = 5_000_000;
  return { now: () => nowMs, sleep: async (ms: number) => void (nowMs += ms) };
}

describe("API budgets shared through the database", () => {
  it("lets two processes of one workspace start no more than the limit in a window, together", async () => {
    const clock = sharedClock();
    const store = databaseBudgetStore(database);
    const limit = { requests: 4, perMs: 60_000, marginMs: 0 };
    const first = new RateLimiter({ ...limit, ...clock, shared: { budget: "workspace-a", store } });
    const second = new RateLimiter({ ...limit, ...clock, shared: { budget: "workspace-a", store } });
    const other = new RateLimiter({ ...limit, ...clock, shared: { budget: "workspace-b", store } });
    const startedAt: number[] = [];
    for (const limiter of [first, first, second, first, second, second]) {
      await limiter.acquire();
      startedAt.push(clock.now() - 5_000_000);
    }
    // Four in the first window (three of one process, one of the other), the rest a window later.
    expect(startedAt).toEqual([0, 0, 0, 0, 60_000, 60_000]);
    // Another workspace's budget is its own.
    await other.acquire();
    expect(clock.now() - 5_000_000).toBe(60_000);
    expect(await database.apiTokenGrant.count({ where: { budget: "workspace-a" } })).toBe(2);
  });

  it("grants the last tokens of a window once when processes ask at the same moment", async () => {
    const clients = Array.from({ length: 8 }, () => createDatabase({ url }));
    try {
      const limit = { requests: 3, perMs: 60_000, marginMs: 0 };
      const waits = await Promise.all(clients.map((client) => databaseBudgetStore(client).take("workspace-race", limit, 9_000_000)));
      expect(waits.filter((wait) => wait === 0)).toHaveLength(3);
      expect(waits.filter((wait) => wait > 0)).toHaveLength(5);
      expect(await database.apiTokenGrant.count({ where: { budget: "workspace-race" } })).toBe(3);
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  });

  it("starts a new process's limiter at the live limit another process learned, and forgets it after a day", async () => {
    const clock = sharedClock();
    let storeNow = Date.now();
    const store = databaseBudgetStore(database, () => storeNow);
    const limit = { requests: 100, perMs: 60_000, marginMs: 0 };
    const first = new RateLimiter({ ...limit, ...clock, shared: { budget: "workspace-learn", store } });
    first.learnFromRefusal({ "x-ratelimit-limit": "50" });
    await vi.waitFor(async () =>
      expect(await database.apiBudgetLearning.findUnique({ where: { budget: "workspace-learn" } })).toMatchObject({ requests: 50, perMs: 60_000 }),
    );

    // A restarted (or another) process: a new limiter of the same budget.
    const next = new RateLimiter({ ...limit, ...clock, shared: { budget: "workspace-learn", store } });
    await next.acquire();
    expect(next.limit).toEqual({ requests: 50, perMs: 60_000 });

    storeNow = Date.now() + LEARNED_LIMITS_TTL_MS + 1_000;
    const later = new RateLimiter({ ...limit, ...clock, shared: { budget: "workspace-learn", store } });
    await later.acquire();
    expect(later.limit).toEqual({ requests: 100, perMs: 60_000 });
  });

  it("starts a restarted process's Twenty writes at the batch cap the server named before, without a refused batch", async () => {
    shareBudgetsThrough(databaseBudgetStore(database));
    const box = await startTwentySandbox({ apiKey: "budget-key", rateLimit: 0, seed: "empty", maxBatch: 60 });
    try {
      const session = () =>
        createTwentySession(
          { apiKey: "budget-key", baseUrl: box.url },
          { allowPrivateHosts: true, rateLimit: null, sleep: async () => {}, retry: { baseDelayMs: 1, maxDelayMs: 10 }, timeoutMs: 2_000 },
        );
      const person = (n: number) => ({
        sourceId: `p-${n}`,
        record: { id: `p-${n}`, objectType: "contacts", createdAt: null, updatedAt: null, fields: { emails: `p${n}@example.com` } },
      });
      const before = box.state.requestCount;
      await session().write(
        "people",
        Array.from({ length: 61 }, (_, n) => person(n)),
      );
      // The data model, one refused batch of 61, then 60 + 1.
      expect(box.state.requestCount - before).toBe(4);
      await vi.waitFor(async () => expect(await database.apiBudgetLearning.findFirst({ where: { maxBatch: 60 } })).not.toBeNull());

      forgetBatchCaps();
      const start = box.state.requestCount;
      await session().write(
        "people",
        Array.from({ length: 120 }, (_, n) => person(n + 100)),
      );
      // The data model, then 60 + 60: no batch of 200 refused first.
      expect(box.state.requestCount - start).toBe(3);
      expect(box.state.records("people").filter((record) => !record.deletedAt)).toHaveLength(181);
    } finally {
      await box.close();
    }
  });
});
