import { describe, expect, it } from "vitest";
import type { CanonicalRecord, FieldDescription, ObjectTypeDescription } from "@/connectors/types";
import { verifyObject } from "@/lib/migration/verify";
import { IdHashSet, UniqueValueTally, hash64Hex } from "@/lib/migration/verify-tally";

describe("IdHashSet", () => {
  it("holds strings as hashes, growing past its first capacity", () => {
    const set = new IdHashSet(16);
    for (let index = 0; index < 20_000; index += 1) if (!set.add(`record-${index}`)) throw new Error(`record-${index} taken for a repeat`);
    expect(set.add("record-123")).toBe(false);
    expect(set.size).toBe(20_000);
    const ids = Array.from({ length: 20_000 }, (_, index) => index);
    expect(ids.filter((index) => !set.has(`record-${index}`))).toEqual([]);
    expect(ids.filter((index) => set.has(`other-${index}`))).toEqual([]);
    expect(set.has("")).toBe(false);
    expect(set.add("")).toBe(true);
    expect(set.has("")).toBe(true);
  });

  it("hashes to 64 bits with both halves spread", () => {
    const hashes = new Set(Array.from({ length: 50_000 }, (_, index) => hash64Hex(`tp-${index}`)));
    expect(hashes.size).toBe(50_000);
    expect(hash64Hex("a")).toMatch(/^[0-9a-f]{16}$/);
    expect(hash64Hex("a")).not.toBe(hash64Hex("b"));
  });
});

describe("UniqueValueTally", () => {
  it("counts distinct values and lists only the groups of 2+ holding a written record", () => {
    const tally = new UniqueValueTally();
    const values: [string, boolean][] = [];
    for (let index = 0; index < 70_000; index += 1) values.push([`value-${index}`, index % 2 === 0]); // more than one chunk
    values.push(["value-1", false], ["value-1", false]); // three unwritten: not listed
    values.push(["value-2", false]); // written once already: listed, 2 records
    values.push(["value-3", true]); // listed, 2 records
    values.push(["lonely", true]);
    for (const [value, written] of values) tally.add(value, written);
    const { distinct, duplicates } = tally.settle();
    expect(distinct).toBe(70_001);
    expect(duplicates.count).toBe(2);
    expect(duplicates.sizes[duplicates.indexOf("value-2")]).toBe(2);
    expect(duplicates.sizes[duplicates.indexOf("value-3")]).toBe(2);
    expect(duplicates.indexOf("value-1")).toBe(-1);
    expect(duplicates.indexOf("lonely")).toBe(-1);
    expect(duplicates.indexOf("absent")).toBe(-1);
    expect(tally.settle()).toMatchObject({ distinct: 0 });
  });
});

describe("verifyObject", () => {
  const field = (key: string, unique: boolean): FieldDescription => ({
    key,
    label: key,
    type: "text",
    nativeType: "text",
    required: false,
    unique,
    readOnly: false,
    custom: false,
  });
  const schema: ObjectTypeDescription = {
    key: "people",
    label: "People",
    custom: false,
    canRead: true,
    canWrite: true,
    dependsOn: [],
    fields: [field("email", true), field("code", true), field("name", false)],
  };
  const record = (id: string, email: string | null, code: string | null): CanonicalRecord => ({
    id,
    objectType: "people",
    createdAt: null,
    updatedAt: null,
    fields: { email, code, name: id },
  });
  const counts = {
    objectType: "customers",
    targetObjectType: "people",
    parentObjectType: null,
    total: 3,
    processed: 3,
    created: 3,
    updated: 0,
    skipped: 0,
    failed: 0,
    mapped: 3,
  };

  it("names at most five duplicate groups, by field then first appearance, with up to three ids each", () => {
    const records = [
      record("a", "one@x.test", "C1"),
      record("b", "ONE@x.test ", "C2"),
      record("c", "two@x.test", "C1"),
      record("d", "two@x.test", "C3"),
      record("e", "one@x.test", "C3"),
      record("f", "one@x.test", "C4"),
      record("g", "three@x.test", "C4"),
      record("h", "three@x.test", "C5"),
      record("i", "four@x.test", "C5"),
      record("j", "four@x.test", null),
      record("k", "five@x.test", null),
      record("l", "five@x.test", "C6"),
      record("m", "six@x.test", "C6"),
      record("n", "six@x.test", "C7"),
      record("o", "seven@x.test", "C7"),
      record("p", "seven@x.test", null),
    ];
    const links = [{ sourceId: "s1", targetId: "a", status: "created", expected: null }];
    const report = verifyObject(counts, links, new Map(records.map((item) => [item.id, item])), schema, new Set(records.map((item) => item.id)), {
      target: "Twenty",
    });
    expect(report.duplicates).toEqual({
      checked: 7 + 7,
      problems: 7 + 6,
      examples: [
        'email "one@x.test" is held by 4 records (a, b, e)',
        'email "two@x.test" is held by 2 records (c, d)',
        'email "three@x.test" is held by 2 records (g, h)',
        'email "four@x.test" is held by 2 records (i, j)',
        'email "five@x.test" is held by 2 records (k, l)',
      ],
    });
    expect(report.linked).toBe(1);
    expect(report.found).toBe(1);
    expect(report.discrepancies).toEqual(['Twenty people: 13 duplicates on unique fields (email "one@x.test" is held by 4 records (a, b, e)).']);
  });

  it("leaves out duplicate groups no record of this migration is in", () => {
    const records = [record("a", "one@x.test", "C1"), record("b", "one@x.test", "C1"), record("c", "two@x.test", "C2"), record("d", "two@x.test", "C3")];
    const report = verifyObject(counts, [], new Map(records.map((item) => [item.id, item])), schema, new Set(["c"]), { target: "Twenty" });
    expect(report.duplicates).toEqual({ checked: 2 + 3, problems: 1, examples: ['email "two@x.test" is held by 2 records (c, d)'] });
  });
});
