// commit() writes a batch's record links as one INSERT and one UPDATE per set of columns, rows
// passed as JSON (lib/migration/commit.ts): what Prisma reads back must be what was written.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import { commit, zeroCounts } from "@/lib/migration/commit";
import type { RunContext } from "@/lib/migration/context";
import { takeSliceToken } from "@/lib/migration/run-state";
import { warningRows } from "@/lib/migration/warnings";
import { createTestDatabase } from "../helpers/database";

let database: Database;
let cleanup: () => Promise<void>;
let ctx: RunContext;
let migrationId: string;

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
  const organization = await database.organization.create({ data: { name: "Commit test" } });
  const migration = await database.migration.create({ data: { organizationId: organization.id, name: "Commit test" } });
  migrationId = migration.id;
  const run = await database.run.create({ data: { migrationId, mode: "full", status: "running" } });
  const token = await takeSliceToken(database, run.id);
  // Both sides sent no request in these commits (commit() adds each side's request count to the run)
  // and keep to no rate limit.
  const quiet = { traffic: { takeRequests: () => 0, takeForObjects: () => 0 }, session: {} };
  ctx = { database, run: { id: run.id, migrationId }, token, source: quiet, target: quiet } as unknown as RunContext;
});

afterAll(async () => {
  await cleanup?.();
});

describe("commit: record links", () => {
  it("creates and updates many links with text, nulls, dates and quotes, as Prisma reads them", async () => {
    const updatedSource = new Date("2024-03-05T06:07:08.009Z");
    const creates = Array.from({ length: 1_234 }, (_, index) => ({
      id: crypto.randomUUID(),
      migrationId,
      objectType: "customers",
      sourceId: `cu-${index}`,
      status: "pending",
      runId: ctx.run.id,
      parentSourceId: index % 2 === 0 ? null : `co-${index}`,
      sourceUpdatedAt: index % 3 === 0 ? updatedSource : null,
      pendingKeys: JSON.stringify({ email: `o'brien+${index}@example.com`, note: 'say "hi" \\ \u00e9' }),
    }));
    await commit(ctx, { links: creates.map((data) => ({ op: "create" as const, data })) });
    const stored = await database.recordLink.findMany({ where: { migrationId }, orderBy: { sourceId: "asc" } });
    expect(stored).toHaveLength(1_234);
    const byId = new Map(stored.map((row) => [row.id, row]));
    for (const data of creates) {
      const row = byId.get(data.id);
      expect(row).toMatchObject({
        sourceId: data.sourceId,
        status: "pending",
        parentSourceId: data.parentSourceId,
        pendingKeys: data.pendingKeys,
        targetId: null,
        expected: null,
      });
      expect(row?.sourceUpdatedAt?.toISOString() ?? null).toBe(data.sourceUpdatedAt?.toISOString() ?? null);
      expect(row?.updatedAt).toBeInstanceOf(Date);
    }
    // Prisma's own date filter agrees with the stored format.
    expect(await database.recordLink.count({ where: { migrationId, sourceUpdatedAt: { gte: updatedSource } } })).toBe(
      creates.filter((data) => data.sourceUpdatedAt).length,
    );

    // Final states: two column sets, so two UPDATE statements.
    await commit(ctx, {
      links: creates.map((data, index) => ({
        op: "update" as const,
        id: data.id,
        data:
          index % 2 === 0
            ? { status: "created", targetId: `t-${index}`, expected: '{"relations":{}}', pendingKeys: null }
            : { status: "failed", errorCode: "VALIDATION", errorMessage: `Bad "value" ${index}`, pendingKeys: null },
      })),
    });
    const final = await database.recordLink.findMany({ where: { migrationId } });
    const finalById = new Map(final.map((row) => [row.id, row]));
    expect(creates.map((data) => finalById.get(data.id as string))).toEqual(
      creates.map((_, index) =>
        expect.objectContaining(
          index % 2 === 0
            ? { status: "created", targetId: `t-${index}`, expected: '{"relations":{}}', pendingKeys: null, errorCode: null }
            : { status: "failed", errorCode: "VALIDATION", errorMessage: `Bad "value" ${index}`, pendingKeys: null, targetId: null },
        ),
      ),
    );
  });

  it("saves nothing when one link of the commit does not exist", async () => {
    const before = await database.recordLink.count({ where: { migrationId, status: "skipped" } });
    const [existing] = await database.recordLink.findMany({ where: { migrationId }, take: 1 });
    await expect(
      commit(ctx, {
        links: [
          { op: "update", id: existing.id, data: { status: "skipped" } },
          { op: "update", id: "no-such-link", data: { status: "skipped" } },
        ],
      }),
    ).rejects.toThrow(/matched 1 of 2 links/);
    expect(await database.recordLink.count({ where: { migrationId, status: "skipped" } })).toBe(before);
  });

  it("refuses a second link for the same source record and saves nothing of that commit", async () => {
    const count = await database.recordLink.count({ where: { migrationId } });
    await expect(
      commit(ctx, {
        links: [
          { op: "create", data: { id: crypto.randomUUID(), migrationId, objectType: "customers", sourceId: "cu-new", status: "pending" } },
          { op: "create", data: { id: crypto.randomUUID(), migrationId, objectType: "customers", sourceId: "cu-1", status: "pending" } },
        ],
      }),
    ).rejects.toThrow();
    expect(await database.recordLink.count({ where: { migrationId } })).toBe(count);
  });
});

describe("commit: record warnings", () => {
  it("stores warnings with their counters, and a record written once more (after a crash) replaces its warnings without counting twice", async () => {
    await database.runObject.create({ data: { runId: ctx.run.id, objectType: "people", position: 9 } });
    const counts = (repaired: number, valueDropped: number) => new Map([["people", { ...zeroCounts(), repaired, valueDropped }]]);
    const rows = (sourceId: string, actions: ("repaired" | "dropped")[]) =>
      warningRows(
        ctx.run.id,
        "people",
        sourceId,
        null,
        actions.map((action, index) => ({ field: `f${index}`, action, original: `${sourceId} value ${index}`, message: `${action} ${index}` })),
      );
    // p1 repaired and dropped, p2 dropped twice (counted once per action).
    await commit(ctx, {
      counts: counts(1, 2),
      warnings: { replace: null, rows: [...rows("p1", ["repaired", "dropped"]), ...rows("p2", ["dropped", "dropped"])] },
    });
    // p1 rewritten after reconciliation: now only one repaired warning.
    await commit(ctx, { counts: counts(1, 0), warnings: { replace: { objectType: "people", sourceIds: ["p1"] }, rows: rows("p1", ["repaired"]) } });

    const object = await database.runObject.findUniqueOrThrow({ where: { runId_objectType: { runId: ctx.run.id, objectType: "people" } } });
    expect({ repaired: object.repaired, valueDropped: object.valueDropped }).toEqual({ repaired: 1, valueDropped: 1 });
    const run = await database.run.findUniqueOrThrow({ where: { id: ctx.run.id } });
    expect({ repaired: run.repairedRecords, valueDropped: run.valueDroppedRecords }).toEqual({ repaired: 1, valueDropped: 1 });
    const stored = await database.recordWarning.findMany({
      where: { runId: ctx.run.id },
      orderBy: [{ sourceId: "asc" }, { field: "asc" }],
      select: { sourceId: true, field: true, action: true, original: true },
    });
    expect(stored).toEqual([
      { sourceId: "p1", field: "f0", action: "repaired", original: "p1 value 0" },
      { sourceId: "p2", field: "f0", action: "dropped", original: "p2 value 0" },
      { sourceId: "p2", field: "f1", action: "dropped", original: "p2 value 1" },
    ]);
  });
});
