import { describe, expect, it } from "vitest";
import { RateLimiter } from "@/connectors/shared/rate-limiter";
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
