import { describe, expect, it } from "vitest";
import type { CanonicalRecord } from "@/connectors/types";
import { activityFeeders, forEachRelatedActivity, isStale, lastActivityMs } from "@/lib/audit/activity";

const NOW = new Date("2026-11-01T00:00:00.000Z");
const ms = (date: string) => Date.parse(date);

function record(
  id: string,
  dates: { createdAt?: string | null; updatedAt?: string | null },
  fields: CanonicalRecord["fields"] = {},
  children?: CanonicalRecord["children"],
): CanonicalRecord {
  return { id, objectType: "tickets", createdAt: dates.createdAt ?? null, updatedAt: dates.updatedAt ?? null, fields, ...(children ? { children } : {}) };
}

describe("forEachRelatedActivity", () => {
  it("notes every reference to a tracked object, from the record and its children, with the referrer's own date", () => {
    const ticket = record(
      "t1",
      { updatedAt: "2025-01-01T00:00:00Z" },
      { customer: { objectType: "customers", id: "c1" }, company: { objectType: "companies", id: "k1" }, watchers: [{ objectType: "customers", id: "c2" }] },
      {
        messages: [
          record("m1", { createdAt: "2026-05-01T00:00:00Z" }, { author: { objectType: "customers", id: "c3" } }),
          record("m2", { createdAt: "not a date" }, { author: { objectType: "customers", id: "c4" } }),
        ],
      },
    );
    const noted: [string, string, number][] = [];
    forEachRelatedActivity(ticket, new Set(["customers"]), (objectType, id, when) => noted.push([objectType, id, when]));
    expect(noted).toEqual([
      ["customers", "c1", ms("2025-01-01T00:00:00Z")],
      ["customers", "c2", ms("2025-01-01T00:00:00Z")],
      ["customers", "c3", ms("2026-05-01T00:00:00Z")],
    ]);
  });
});

describe("activityFeeders", () => {
  it.each([
    [["companies", "customers", "tickets", "notes"], ["customers"], ["companies", "tickets", "notes"]],
    // Another people-like object never counts as activity, as in the audit.
    [["people", "contacts", "opportunities"], ["people"], ["opportunities"]],
    [["companies", "tickets"], ["tickets"], ["companies"]],
  ])("%j judged on %j are fed by %j", (objects, tracked, feeders) => {
    expect(activityFeeders(objects, new Set(tracked))).toEqual(feeders);
  });
});

describe("lastActivityMs and isStale", () => {
  it.each([
    { own: { updatedAt: "2023-01-01T00:00:00Z" }, related: null, last: "2023-01-01T00:00:00Z", stale: true },
    { own: { updatedAt: "2023-01-01T00:00:00Z" }, related: "2026-10-01T00:00:00Z", last: "2026-10-01T00:00:00Z", stale: false },
    { own: { updatedAt: "2026-01-01T00:00:00Z" }, related: "2020-01-01T00:00:00Z", last: "2026-01-01T00:00:00Z", stale: false },
    { own: { createdAt: "2022-01-01T00:00:00Z" }, related: null, last: "2022-01-01T00:00:00Z", stale: true },
    { own: { updatedAt: "garbage" }, related: "2021-01-01T00:00:00Z", last: "2021-01-01T00:00:00Z", stale: true },
    { own: {}, related: null, last: null, stale: false },
  ])("own $own with related $related: last $last, stale $stale", ({ own, related, last, stale }) => {
    const lastMs = lastActivityMs(record("c", own), related === null ? null : ms(related));
    expect(lastMs).toBe(last === null ? null : ms(last));
    expect(isStale(lastMs, NOW, 2)).toBe(stale);
  });
});
