import { describe, expect, it } from "vitest";
import { CANONICAL_FIELD_TYPES } from "@/connectors/types";
import type { CanonicalFieldType } from "@/connectors/types";
import { compatibility, compatibilityTable } from "@/lib/mapping";
import type { CompatibilityLevel } from "@/lib/mapping";

describe("compatibility", () => {
  const table: [CanonicalFieldType, CanonicalFieldType, CompatibilityLevel, string | RegExp | null][] = [
    ["text", "text", "exact", null],
    ["select", "select", "exact", /options/],
    ["relation", "relation", "exact", /migrated first/],
    ["user", "user", "exact", /email/],
    ["text", "longtext", "lossless", null],
    ["longtext", "html", "lossless", null],
    ["html", "text", "lossy", "HTML formatting becomes plain text"],
    ["html", "longtext", "lossy", /HTML formatting becomes plain text/],
    ["text", "number", "lossy", "text that isn't a number fails for that record"],
    ["number", "text", "lossless", null],
    ["text", "boolean", "lossy", /yes\/no/],
    ["boolean", "text", "lossless", null],
    ["date", "datetime", "lossless", null],
    ["datetime", "date", "lossy", "the time of day is dropped"],
    ["text", "email", "lossy", /email address/],
    ["text", "phone", "lossy", /kept as typed/],
    ["text", "url", "lossy", /web address/],
    ["text", "fullname", "lossy", /first and last name/],
    ["fullname", "text", "lossless", null],
    ["select", "text", "lossless", null],
    ["multiselect", "tags", "lossless", null],
    ["tags", "multiselect", "lossy", /aren't options/],
    ["tags", "text", "lossy", "several values are joined into one"],
    ["multiselect", "text", "lossy", "several values are joined into one"],
    ["multiselect", "select", "lossy", /first/],
    ["number", "currency", "lossy", /currency is assumed/],
    ["currency", "number", "lossy", "the currency code is dropped"],
    ["address", "text", "lossy", /joined into one line/],
    ["user", "text", "lossy", /name/],
    ["relation", "date", "incompatible", "A relation cannot become a date"],
    ["relation", "text", "incompatible", "A relation cannot become text"],
    ["date", "phone", "incompatible", "A date cannot become a phone number"],
    ["html", "number", "incompatible", /cannot become a number/],
    ["user", "relation", "incompatible", /cannot become a relation/],
    ["boolean", "date", "incompatible", /cannot become a date/],
  ];

  it.each(table)("%s → %s is %s", (source, target, level, reason) => {
    const result = compatibility(source, target);
    expect(result.level).toBe(level);
    expect(result.reason).toEqual(reason === null ? undefined : typeof reason === "string" ? reason : expect.stringMatching(reason));
  });

  it("covers every pair of canonical types, with the same type always exact", () => {
    const rows = compatibilityTable();
    expect(rows).toHaveLength(CANONICAL_FIELD_TYPES.length ** 2);
    for (const type of CANONICAL_FIELD_TYPES) expect(compatibility(type, type).level).toBe("exact");
  });

  it("explains every lossy and incompatible pair in words", () => {
    const explained = compatibilityTable().filter((row) => row.compatibility.level === "lossy" || row.compatibility.level === "incompatible");
    expect(explained.length).toBeGreaterThan(0);
    for (const { source, target, compatibility: result } of explained) expect(result.reason, `${source} → ${target}`).toMatch(/\w{3,}/);
  });

  it("lets a relation become nothing but a relation", () => {
    const targets = CANONICAL_FIELD_TYPES.filter((type) => compatibility("relation", type).level !== "incompatible");
    expect(targets).toEqual(["relation"]);
  });
});
