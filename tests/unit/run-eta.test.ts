import { describe, expect, it } from "vitest";
import { estimateEtaSeconds, targetRequestsLeft } from "@/lib/migration/progress";
import { describePhase, runPhase, type PhaseInput } from "@/lib/migration/phase";
import { failuresDescription } from "@/lib/runs/failures-text";
import { SideTraffic } from "@/lib/migration/traffic";

const TWENTY = { requests: 100, perMs: 60_000 };
const TEAMWORK_DESK = { requests: 120, perMs: 60_000 };

describe("estimateEtaSeconds", () => {
  it("at 1,772 of 5,379 after a 15 s burst, promises minutes (the run took 3 min 09 s), not 15 s", () => {
    // The first window's burst: 104 Twenty requests in 15 s, 118 records/s measured.
    const eta = estimateEtaSeconds({
      remaining: 5_379 - 1_772,
      processed: 1_772,
      measuredPerSecond: 118,
      source: { requests: 40, limit: TEAMWORK_DESK },
      target: { requests: 104, limit: TWENTY, maxBatchSize: 60 },
      waitMs: 0,
    });
    expect(eta).toBeGreaterThanOrEqual(120);
    expect(eta).toBeLessThanOrEqual(200);
  });

  it("prices the records left at each object's own cost: notes with their link rows cost three times what companies did", () => {
    // A quarter in: companies done at 1 request per 200, notes begun at 3 per 200 (notes and their link rows).
    const objects = [
      { total: 1_000, processed: 1_000, targetRequests: 5 },
      { total: 4_000, processed: 400, targetRequests: 6 },
      { total: 400, processed: 0, targetRequests: 0 },
    ];
    const left = targetRequestsLeft(objects);
    // 3,600 notes at 6/400 = 54, 400 not started at the average 11/1,400 ≈ 3.1.
    expect(left).toBeCloseTo(54 + (400 * 11) / 1_400, 5);
    const eta = estimateEtaSeconds({
      remaining: 4_000,
      processed: 1_400,
      measuredPerSecond: 0,
      source: { requests: 0, limit: null },
      // Learned: the workspace allows 50 a minute.
      target: { requests: 11, limit: { requests: 50, perMs: 60_000 }, maxBatchSize: 200 },
      targetRequestsLeft: left,
      waitMs: 0,
    });
    // ≈ 57 requests at 50 a minute; the run's average (11 per 1,400) would have said ≈ 38 s.
    expect(eta).toBe(Math.ceil(((left ?? 0) / 50) * 60));
    expect(targetRequestsLeft([{ total: 10, processed: 0, targetRequests: 0 }])).toBeNull();
    // An engine slower than the limit (30 requests a minute so far): its own pace, not the limit's.
    const slower = estimateEtaSeconds({
      remaining: 4_000,
      processed: 1_400,
      measuredPerSecond: 0,
      source: { requests: 0, limit: null },
      target: { requests: 11, limit: { requests: 50, perMs: 60_000 }, maxBatchSize: 200 },
      targetRequestsLeft: left,
      targetRequestsPerSecond: 0.5,
      waitMs: 0,
    });
    expect(slower).toBe(Math.ceil((left ?? 0) / 0.5));
  });

  it("uses the measured rate when it is slower than the limits allow", () => {
    expect(
      estimateEtaSeconds({
        remaining: 600,
        processed: 600,
        measuredPerSecond: 2,
        source: { requests: 0, limit: null },
        target: { requests: 20, limit: TWENTY, maxBatchSize: 60 },
        waitMs: 0,
      }),
    ).toBe(300);
  });

  it("before anything is written, estimates from the target's limit and batch size", () => {
    // 6,000 records in batches of 60 with a look-up each: 200 requests at 100 a minute.
    expect(
      estimateEtaSeconds({
        remaining: 6_000,
        processed: 0,
        measuredPerSecond: 0,
        source: { requests: 0, limit: null },
        target: { requests: 0, limit: TWENTY, maxBatchSize: 60 },
        waitMs: 0,
      }),
    ).toBe(120);
  });

  it("adds a wait in force, and has nothing to say when nothing remains or nothing is known", () => {
    expect(
      estimateEtaSeconds({
        remaining: 600,
        processed: 600,
        measuredPerSecond: 2,
        source: { requests: 0, limit: null },
        target: { requests: 0, limit: null, maxBatchSize: 0 },
        waitMs: 40_000,
      }),
    ).toBe(340);
    expect(
      estimateEtaSeconds({
        remaining: 0,
        processed: 600,
        measuredPerSecond: 2,
        source: { requests: 0, limit: null },
        target: { requests: 0, limit: TWENTY, maxBatchSize: 60 },
        waitMs: 0,
      }),
    ).toBeNull();
    expect(
      estimateEtaSeconds({
        remaining: 10,
        processed: 0,
        measuredPerSecond: 0,
        source: { requests: 0, limit: null },
        target: { requests: 0, limit: null, maxBatchSize: 0 },
        waitMs: 0,
      }),
    ).toBeNull();
  });
});

describe("runPhase", () => {
  const now = new Date("2026-12-07T21:00:00Z");
  const input = (overrides: Partial<PhaseInput>): PhaseInput => ({
    status: "running",
    phase: "writing",
    phaseAt: now,
    waitingUntil: null,
    waitingFor: null,
    retryAt: null,
    sourceName: "Teamwork Desk",
    targetName: "Twenty",
    currentObject: "customers",
    ...overrides,
  });
  const clock = (iso: string) => iso.slice(11, 19);

  it("says whose rate limit it waits for and until when, while the wait lies ahead", () => {
    const phase = runPhase(input({ waitingUntil: new Date("2026-12-07T21:00:42Z"), waitingFor: "Twenty" }), now);
    expect(describePhase(phase, clock)).toBe("Waiting for Twenty's rate limit until 21:00:42; nothing is wrong, the run goes on by itself.");
    // A wait that ended: back to what the run records it is doing.
    expect(runPhase(input({ waitingUntil: new Date("2026-12-07T20:59:59Z"), waitingFor: "Twenty" }), now).kind).toBe("writing");
  });

  it("names what is read or written and where", () => {
    expect(describePhase(runPhase(input({}), now), clock)).toBe("Writing customers to Twenty.");
    expect(describePhase(runPhase(input({ phase: "reading" }), now), clock)).toBe(
      "Reading customers from Teamwork Desk and checking what already exists in the target.",
    );
    expect(describePhase(runPhase(input({ phase: "verifying" }), now), clock)).toBe("Verifying: reading Twenty back to compare it with what was written.");
    expect(runPhase(input({ status: "completed" }), now).kind).toBe("finished");
  });
});

describe("failuresDescription", () => {
  it("explains why the table lists fewer failures than the run's Failed card", () => {
    expect(failuresDescription(216, 33, { shown: 33, truncated: false })).toBe(
      "216 failed in this run; 183 of them were retried by a later run and are listed there. Each failed record with its reason; fix the cause and retry the failed records.",
    );
    expect(failuresDescription(900, 900, { shown: 500, truncated: true })).toBe("The newest 500 are shown; the CSV has them all.");
  });
});

describe("SideTraffic", () => {
  it("notes a long wait once, and the limiter's short pacing waits at most every 5 s", () => {
    let now = 1_000_000;
    const noted: number[] = [];
    const traffic = new SideTraffic(
      (until) => noted.push(until.getTime() - 1_000_000),
      () => now,
    );
    traffic.observer.onRateLimitWait(now + 40_000);
    traffic.observer.onRateLimitWait(now + 40_000); // a caller queued behind the same wait
    now += 40_000;
    traffic.observer.onRateLimitWait(now + 600); // pacing after the wait: noted
    now += 1_000;
    traffic.observer.onRateLimitWait(now + 600); // 1 s later: not again
    now += 4_000;
    traffic.observer.onRateLimitWait(now + 600); // 5 s after the last note
    expect(noted).toEqual([40_000, 40_600, 45_600]);
  });

  it("counts requests until they are taken", () => {
    const traffic = new SideTraffic(() => undefined);
    traffic.observer.onRequest();
    traffic.observer.onRequest();
    expect(traffic.takeRequests()).toBe(2);
    expect(traffic.takeRequests()).toBe(0);
  });
});

describe("describePhase, paced and verifying", () => {
  const now = new Date("2026-12-07T21:00:00Z");
  const base: PhaseInput = {
    status: "running",
    phase: "writing",
    phaseAt: now,
    waitingUntil: null,
    waitingFor: null,
    retryAt: null,
    sourceName: "Teamwork Desk",
    targetName: "Twenty",
    currentObject: "tickets",
  };
  const clock = (iso: string) => iso.slice(11, 19);

  it("says the run goes at the pace of the limit when it waited moments ago", () => {
    const phase = runPhase({ ...base, waitingUntil: new Date("2026-12-07T20:59:55Z"), waitingFor: "Twenty" }, now);
    expect(describePhase(phase, clock)).toBe("Writing tickets to Twenty. At the pace Twenty's rate limit allows.");
    expect(runPhase({ ...base, waitingUntil: new Date("2026-12-07T20:59:00Z"), waitingFor: "Twenty" }, now).pacedBy).toBeNull();
  });

  it("names a rate-limit wait during verification", () => {
    const phase = runPhase({ ...base, phase: "verifying", waitingUntil: new Date("2026-12-07T21:00:30Z"), waitingFor: "Twenty" }, now);
    expect(describePhase(phase, clock)).toBe(
      "Verifying: reading Twenty back to compare it with what was written. Waiting for Twenty's rate limit until 21:00:30.",
    );
  });
});
