import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { RateLimiter, limiterForBudget } from "@/connectors/shared/rate-limiter";
import { createTwentyClient } from "@/connectors/twenty/client";
import { FixedWindowLimiter } from "@/connectors/shared/sandbox-kit";

/** A clock that only moves when the limiter sleeps, so tests never wait. */
function fakeClock(startMs = 1_000_000) {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    // Time passes after the caller yields, as with a real timer.
    sleep: async (ms: number) => {
      await Promise.resolve();
      nowMs += ms;
    },
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

describe("RateLimiter", () => {
  it("learns a lower live limit from when the server starts refusing, and keeps to it", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requests: 100, perMs: 60_000, marginMs: 0, ...clock });
    for (let index = 0; index < 51; index += 1) await limiter.acquire();
    // The 51st was refused: the workspace takes 50 a minute, not the published 100.
    limiter.learnFromRefusal({});
    expect(limiter.limit).toEqual({ requests: 50, perMs: 60_000 });
    await limiter.acquire();
    expect(clock.now() - 1_000_000).toBe(60_000);
  });

  it("takes the limit a 429 announces in x-ratelimit-limit, never raises it, and an unlimited limiter learns nothing", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requests: 100, perMs: 60_000, marginMs: 0, ...clock });
    await limiter.acquire();
    limiter.learnFromRefusal({ "x-ratelimit-limit": "40" });
    expect(limiter.limit?.requests).toBe(40);
    limiter.learnFromRefusal({ "x-ratelimit-limit": "80" });
    expect(limiter.limit?.requests).toBe(40);
    const unlimited = RateLimiter.unlimited(clock);
    unlimited.learnFromRefusal({ "x-ratelimit-limit": "40" });
    expect(unlimited.limit).toBeNull();
  });

  it("lets a full window of requests through at once, then waits for the oldest to leave the window", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requests: 3, perMs: 1_000, marginMs: 0, ...clock });
    const startedAt: number[] = [];
    for (let index = 0; index < 7; index += 1) {
      await limiter.acquire();
      startedAt.push(clock.now() - 1_000_000);
    }
    expect(startedAt).toEqual([0, 0, 0, 1_000, 1_000, 1_000, 2_000]);
    expect(limiter.waitedMs).toBe(2_000);
  });

  it("never exceeds the server's fixed window yet uses at least 95 % of the ceiling (Teamwork Desk: 120/min)", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requests: 120, perMs: 60_000, ...clock });
    const server = new FixedWindowLimiter(120, 60_000, clock.now);
    const total = 1_200;
    const firstAt = clock.now();
    for (let index = 0; index < total; index += 1) {
      await limiter.acquire();
      expect(server.take().allowed).toBe(true);
      // Requests take a little time; the window must hold regardless of when they happen.
      if (index % 7 === 0) clock.advance(13);
    }
    // At exactly the ceiling, 1,200 requests start over 9 full windows: 540 s from first to last.
    const idealElapsedMs = (total / 120 - 1) * 60_000;
    expect(idealElapsedMs / (clock.now() - firstAt)).toBeGreaterThanOrEqual(0.95);
  });

  it("keeps any sliding interval of perMs within the limit, wherever a server puts its window boundary", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requests: 100, perMs: 1_000, marginMs: 0, ...clock });
    const startedAt: number[] = [];
    for (let index = 0; index < 450; index += 1) {
      await limiter.acquire();
      startedAt.push(clock.now());
      if (index % 3 === 0) clock.advance(1);
    }
    for (let index = 100; index < startedAt.length; index += 1) {
      expect(startedAt[index] - startedAt[index - 100]).toBeGreaterThanOrEqual(1_000);
    }
  });

  it("serves concurrent callers in the order they asked", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requests: 2, perMs: 1_000, marginMs: 0, ...clock });
    const served: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((caller) =>
        limiter.acquire().then(() => {
          served.push(caller);
        }),
      ),
    );
    expect(served).toEqual([0, 1, 2, 3, 4]);
    expect(clock.now() - 1_000_000).toBe(2_000);
  });

  it("holds everybody back after pauseFor and keeps the longer of two pauses", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requests: 100, perMs: 1_000, ...clock });
    await limiter.acquire();
    limiter.pauseFor(5_000);
    limiter.pauseFor(2_000);
    await Promise.all([limiter.acquire(), limiter.acquire()]);
    expect(clock.now() - 1_000_000).toBe(5_000);
  });

  it("extends the wait when a pause arrives while callers are already queued", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requests: 1, perMs: 1_000, marginMs: 0, ...clock });
    await limiter.acquire();
    const queued = limiter.acquire();
    limiter.pauseFor(3_000);
    await queued;
    expect(clock.now() - 1_000_000).toBe(3_000);
  });

  it("only pauses when unlimited", async () => {
    const clock = fakeClock();
    const limiter = RateLimiter.unlimited(clock);
    for (let index = 0; index < 1_000; index += 1) await limiter.acquire();
    expect(clock.now()).toBe(1_000_000);
    limiter.pauseFor(750);
    await limiter.acquire();
    expect(clock.now()).toBe(1_000_750);
  });

  it("does not spin when an injected sleep returns at once while the clock stands still", async () => {
    const slept: number[] = [];
    const limiter = new RateLimiter({ requests: 1, perMs: 1_000, marginMs: 0, now: () => 42, sleep: async (ms) => void slept.push(ms) });
    await limiter.acquire();
    await limiter.acquire();
    await limiter.acquire();
    expect(slept).toEqual([1_000, 1_000]);
  });

  it("rejects a limit that could never let a request through", () => {
    expect(() => new RateLimiter({ requests: 0, perMs: 1_000 })).toThrow(/positive/);
  });
});

describe("limiterForBudget", () => {
  it("gives every client of one budget the same limiter, and a new one when the budget or limit differs", () => {
    const limit = { requests: 5, perMs: 1_000 };
    const first = limiterForBudget("http://a.test\nkey-1", limit);
    expect(limiterForBudget("http://a.test\nkey-1", limit)).toBe(first);
    expect(limiterForBudget("http://a.test\nkey-2", limit)).not.toBe(first);
    expect(limiterForBudget("http://b.test\nkey-1", limit)).not.toBe(first);
    expect(limiterForBudget("http://a.test\nkey-1", { requests: 10, perMs: 1_000 })).not.toBe(first);
  });

  it("keeps a second session of the same key inside the window the first one used", async () => {
    const arrivals: number[] = [];
    const server = http.createServer((_request, response) => {
      arrivals.push(Date.now());
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const options = {
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: `key-${randomUUID()}`,
      rateLimit: { requests: 3, perMs: 1_500 },
      hostGuard: { allowPrivateHosts: true },
    };
    try {
      const firstSession = createTwentyClient(options);
      for (let index = 0; index < 3; index += 1) await firstSession.request({ method: "GET", path: "/rest/people" });
      // A later slice opens a new session: it must wait for the window, not burst into it.
      await createTwentyClient(options).request({ method: "GET", path: "/rest/people" });
    } finally {
      server.close();
    }
    expect(arrivals).toHaveLength(4);
    // The limiter counts the window from when a request leaves; on a loaded machine the first one can
    // reach the server some milliseconds later than it left. A burst would arrive within a few ms.
    expect(arrivals[3] - arrivals[0]).toBeGreaterThanOrEqual(1_400);
  });
});

describe("RateLimiter.nextFreeAt", () => {
  it("is now while the window has room, then when the oldest start leaves it, and after a 429's pause", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requests: 3, perMs: 1_000, marginMs: 0, ...clock });
    expect(limiter.nextFreeAt()).toBe(clock.now());
    await limiter.acquire();
    clock.advance(100);
    await limiter.acquire();
    await limiter.acquire();
    // Full: the next start waits for the first (at +0) to leave the 1 s window.
    expect(limiter.nextFreeAt() - 1_000_000).toBe(1_000);
    limiter.pauseFor(5_000);
    expect(limiter.nextFreeAt() - 1_000_000).toBe(5_100);
  });

  it("counts the callers already queued ahead", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requests: 2, perMs: 1_000, marginMs: 0, ...clock });
    await limiter.acquire();
    await limiter.acquire();
    const queued = limiter.acquire();
    // One caller waits for the slot at +1 s; a new one gets the slot after it, also at +1 s (second start), then +2 s.
    expect(limiter.nextFreeAt() - 1_000_000).toBe(1_000);
    await queued;
    await limiter.acquire();
    expect(limiter.nextFreeAt() - 1_000_000).toBe(2_000);
  });
});
