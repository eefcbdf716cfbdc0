// Two processes spending one API budget (two limiters, as two workers would hold) keep to its
// limit together through the database's token grants (lib/api-budget.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiter } from "@/connectors/shared/rate-limiter";
import { databaseBudgetStore } from "@/lib/api-budget";
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
});
