// The progress the dashboard polls, read in one query (lib/migration/progress-query.ts): every
// figure equals what the run's rows say, and the poll costs one round trip to PostgreSQL.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { runProgress, THROUGHPUT_WINDOW_MS, PROGRESS_EVENTS } from "@/lib/migration/progress";
import { loadRunProgress } from "@/lib/runs/progress";
import { createTestDatabase } from "../helpers/database";

const NOW = new Date("2026-12-08T12:00:00.000Z");
const STARTED_AT = new Date(NOW.getTime() - 10 * 60_000);
const secondsAgo = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

let database: Database;
let url: string;
let cleanup: () => Promise<void>;
let runId: string;
let organizationId: string;

/** A Prisma client whose pool counts the statements it sends. */
function countingDatabase(connectionString: string): { database: Database; statements: () => number; end: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString, max: 4 });
  let statements = 0;
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      statements += 1;
      return query(...args);
    };
  });
  const counted = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { database: counted, statements: () => statements, end: () => counted.$disconnect().then(() => pool.end()) };
}

async function seedRun(): Promise<void> {
  const organization = await database.organization.create({ data: { name: "Progress org" } });
  organizationId = organization.id;
  const connection = (systemId: string) =>
    database.connection.create({ data: { organizationId, systemId, label: systemId, credentialsCiphertext: "test-only", keyVersion: 1 } });
  const [source, target] = [await connection("sample"), await connection("twenty")];
  const migration = await database.migration.create({
    data: { organizationId, name: "Progress", sourceConnectionId: source.id, targetConnectionId: target.id },
  });
  const run = await database.run.create({
    data: {
      migrationId: migration.id,
      mode: "full",
      status: "running",
      startedAt: STARTED_AT,
      phase: "writing",
      phaseAt: secondsAgo(5),
      totalRecords: 300,
      processedRecords: 140,
      createdRecords: 120,
      skippedRecords: 5,
      failedRecords: 15,
      repairedRecords: 3,
      targetRequests: 7,
    },
  });
  runId = run.id;
  await database.runObject.createMany({
    data: [
      { runId, objectType: "people", targetObjectType: "people", position: 1, total: 200, processed: 40, created: 35, failed: 5, startedAt: secondsAgo(100) },
      {
        runId,
        objectType: "companies",
        targetObjectType: "companies",
        position: 0,
        total: 100,
        processed: 100,
        created: 85,
        failed: 10,
        done: true,
        startedAt: secondsAgo(500),
      },
      { runId, objectType: "messages", targetObjectType: "notes", parentObjectType: "people", position: 2, total: 0 },
    ],
  });
  const batch = (at: Date, processed: number) => ({
    runId,
    at,
    level: "info",
    kind: "batch",
    message: `${processed} written`,
    data: JSON.stringify({ processed }),
  });
  await database.runEvent.createMany({
    data: [
      batch(secondsAgo(400), 60),
      batch(secondsAgo(90), 30),
      batch(secondsAgo(50), 20),
      batch(secondsAgo(10), 30),
      { runId, at: secondsAgo(2), level: "info", kind: "batch_writing", message: "writing the next batch" },
      ...Array.from({ length: PROGRESS_EVENTS + 5 }, (_, index) => ({
        runId,
        at: secondsAgo(300 - index),
        level: "warn",
        kind: "info",
        message: `event ${index}`,
      })),
    ],
  });
  await database.recordLink.createMany({
    data: Array.from({ length: 7 }, (_, index) => ({
      migrationId: migration.id,
      objectType: "people",
      sourceId: `p${index}`,
      status: index < 4 ? "failed" : "created",
      runId,
    })),
  });
}

beforeAll(async () => {
  ({ database, url, cleanup } = await createTestDatabase());
  await seedRun();
});

afterAll(async () => {
  await cleanup?.();
});

describe("run progress, read in one query", () => {
  it("gives the run's counters, objects in plan order, the newest events and the failures listed", async () => {
    const progress = await runProgress(database, runId, NOW);
    expect(progress.totals).toEqual({ total: 300, processed: 140, created: 120, updated: 0, skipped: 5, failed: 15, repaired: 3, valueDropped: 0 });
    expect(progress.objects.map((object) => [object.objectType, object.processed, object.started, object.done, object.parentObjectType])).toEqual([
      ["companies", 100, true, true, null],
      ["people", 40, true, false, null],
      ["messages", 0, false, false, "people"],
    ]);
    const expectedEvents = await database.runEvent.findMany({
      where: { runId, kind: { not: "batch_writing" } },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: PROGRESS_EVENTS,
      select: { at: true, level: true, kind: true, message: true },
    });
    expect(progress.events).toEqual(expectedEvents);
    expect(progress.failuresListed).toBe(4);
    expect(progress.phase).toMatchObject({ kind: "writing" });
  });

  it("measures records per second over the last minute only, and charts every batch", async () => {
    const progress = await loadRunProgress(database, { kind: "organization", organizationId }, runId, NOW);
    // Batches 50 s and 10 s ago are inside the minute: 50 records in 60 s.
    expect(progress.recordsPerSecond).toBe(Math.round((50 / (THROUGHPUT_WINDOW_MS / 1000)) * 10) / 10);
    const charted = progress.series.reduce((sum, point, index) => sum + point.recordsPerSecond * bucketSeconds(progress.series, index), 0);
    expect(Math.round(charted)).toBe(140);
    expect(progress.rollback).toBeNull();
  });

  it("answers NotFound for another organization's run and for a run that does not exist", async () => {
    await expect(loadRunProgress(database, { kind: "organization", organizationId: "another-org" }, runId, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadRunProgress(database, { kind: "staff" }, "no-such-run", NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(runProgress(database, "no-such-run", NOW)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("costs one statement to PostgreSQL while the run writes", async () => {
    const counted = countingDatabase(url);
    try {
      await loadRunProgress(counted.database, { kind: "staff" }, runId, NOW);
      const before = counted.statements();
      const progress = await loadRunProgress(counted.database, { kind: "organization", organizationId }, runId, NOW);
      expect(counted.statements() - before).toBe(1);
      expect(progress.totals.processed).toBe(140);
    } finally {
      await counted.end();
    }
  });
});

/** Seconds each chart point covers: the gap to the previous point (the first point's bucket is as wide as the others). */
function bucketSeconds(series: { at: string }[], index: number): number {
  const at = (point: { at: string }) => new Date(point.at).getTime();
  const width = series.length > 1 ? at(series[1]) - at(series[0]) : 1_000;
  return (index === 0 ? width : at(series[index]) - at(series[index - 1])) / 1000;
}
