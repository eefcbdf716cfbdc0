// Pages whose records bring children (tickets and their messages, written as Twenty notes) are
// written together with the pages after them, so each kind of record ends in a part-filled write
// once per batch instead of once per page; the same records land, each once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { parseVerification } from "@/lib/migration/verify";
import { createTestDatabase } from "../helpers/database";
import { duplicateSourceIds, snapshot } from "../helpers/engine-compare";
import { startFaultProxy } from "../helpers/engine-fault-proxy";
import { runToEnd, sampleAgentsAsWorkspaceMembers, setupMigration, type Endpoint } from "../helpers/engine-fixtures";

const API_KEY = "engine-carry-key";
const PAGE_SIZE = 10;
/** lib/migration/engine.ts MAX_PAGES_PER_BATCH. */
const PAGES_PER_BATCH = 4;
const twenty = (url: string): Endpoint => ({ systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: url } });

let database: Database;
let cleanup: () => Promise<void>;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
});
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  await cleanup?.();
});

async function sandbox() {
  const box = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, workspaceMembers: sampleAgentsAsWorkspaceMembers() });
  closers.push(() => box.close());
  return box;
}

describe("carrying pages into one batch", () => {
  it("writes the notes of several source pages in one call, and the same records land as with one page", async () => {
    const source: Endpoint = { systemId: "sample", credentials: { scale: 0.05 } };
    const reference = await sandbox();
    const carried = await sandbox();
    const noteWrites = { count: 0 };
    const proxy = await startFaultProxy(carried.url, {
      share: 0,
      rule: ({ method, path }) => {
        if (method === "POST" && path === "/rest/batch/notes") noteWrites.count += 1;
        return null;
      },
    });
    closers.push(() => proxy.close());

    const expected = await setupMigration(database, { source, target: twenty(reference.url) });
    expect((await runToEnd(database, expected, "full")).status).toBe("completed");
    const migration = await setupMigration(database, { source, target: twenty(carried.url), runTarget: twenty(proxy.url) });
    const { runId, status } = await runToEnd(database, migration, "full", { pageSize: PAGE_SIZE });

    expect(status).toBe("completed");
    const run = await database.run.findUniqueOrThrow({ where: { id: runId }, include: { objects: true } });
    const tickets = run.objects.find((object) => object.objectType === "tickets")?.total ?? 0;
    const messages = run.objects.find((object) => object.parentObjectType === "tickets")?.total ?? 0;
    expect(tickets).toBeGreaterThan(PAGE_SIZE * PAGES_PER_BATCH);
    const sourceNotes = run.objects.find((object) => object.objectType === "notes")?.total ?? 0;
    // The messages' notes: one write per source page before; now one per batch of four pages
    // (fewer than 200 notes each here). The source's own notes are one write more.
    const pages = Math.ceil(tickets / PAGE_SIZE);
    const batches = Math.ceil(pages / PAGES_PER_BATCH);
    expect(messages).toBeLessThan(200 * batches);
    expect(sourceNotes).toBeGreaterThan(0);
    expect(sourceNotes).toBeLessThanOrEqual(PAGE_SIZE);
    expect(noteWrites.count).toBe(batches + 1);
    expect(parseVerification(run.verification)?.discrepancies).toEqual([]);
    expect(duplicateSourceIds(carried.state)).toEqual([]);
    expect(snapshot(carried.state)).toEqual(snapshot(reference.state));
  }, 60_000);
});
