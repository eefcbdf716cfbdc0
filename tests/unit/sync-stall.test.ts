import { describe, expect, it } from "vitest";
import { syncStall } from "@/lib/sync/monitor";

const now = new Date("2026-12-08T12:00:00Z");
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const healthy = { status: "active", intervalMinutes: 15, nextAt: new Date(now.getTime() + 60_000), failures: 0, runningSince: null };

describe("syncStall", () => {
  it("leaves a sync on schedule alone", () => {
    expect(syncStall(healthy, now)).toBeNull();
    expect(syncStall({ ...healthy, runningSince: minutesAgo(20) }, now)).toBeNull();
  });

  it("flags a sync running far longer than its interval", () => {
    expect(syncStall({ ...healthy, runningSince: minutesAgo(45) }, now)).toBe("A sync has been running for 45 minutes.");
  });

  it("flags a schedule no runner picks up", () => {
    expect(syncStall({ ...healthy, nextAt: minutesAgo(12) }, now)).toMatch(/12 minutes overdue/);
    expect(syncStall({ ...healthy, nextAt: minutesAgo(2) }, now)).toBeNull();
  });

  it("flags syncs failing in a row, but never a paused or cut-over sync", () => {
    expect(syncStall({ ...healthy, failures: 3 }, now)).toBe("3 syncs failed in a row.");
    expect(syncStall({ ...healthy, status: "paused", nextAt: minutesAgo(60), failures: 5 }, now)).toBeNull();
    expect(syncStall({ ...healthy, status: "cut_over", nextAt: null }, now)).toBeNull();
  });
});
