// The audit's "keep the first of each and skip the repeats" (plan.skipRepeats) in the engine,
// against the Twenty sandbox over real HTTP: a listed repeat is not written but linked to the
// record it repeats, whether that record is written in the same page or an earlier one; a repeat
// whose first record never landed is written, so nothing is lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { parseVerification } from "@/lib/migration/verify";
import { createTestDatabase } from "../helpers/database";
import { runToEnd, sessionFor, setupMigration, type Endpoint, sampleAgentsAsWorkspaceMembers } from "../helpers/engine-fixtures";

const API_KEY = "engine-skip-repeats-key";
const source: Endpoint = { systemId: "sample", credentials: { scale: 0.05 } };

let database: Database;
let cleanup: () => Promise<void>;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
});

afterAll(async () => {
  for (const close of closers) await close();
  await cleanup?.();
});

async function firstCustomerIds(count: number): Promise<string[]> {
  for await (const page of sessionFor(source).read("customers", { pageSize: count })) return page.records.map((record) => record.id);
  return [];
}

describe("repeats the audit was told to skip", () => {
  it.each([
    ["in the same page", 100],
    ["in an earlier page", 1],
  ])(
    "links a listed repeat to the record it repeats instead of writing it (first record %s)",
    async (_where, pageSize) => {
      const twenty = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, workspaceMembers: sampleAgentsAsWorkspaceMembers() });
      closers.push(() => twenty.close());
      const [first, repeat, orphan] = await firstCustomerIds(3);
      const migration = await setupMigration(database, {
        source,
        target: { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: twenty.url } },
        editPlan: (plan) => ({
          ...plan,
          objects: plan.objects.map((pair) => ({ ...pair, enabled: pair.sourceObject === "companies" || pair.sourceObject === "customers" })),
          skipRepeats: [
            { objectType: "customers", sourceId: repeat, sameAs: first },
            // Its first record is not in the source: it never lands, so the "repeat" is written.
            { objectType: "customers", sourceId: orphan, sameAs: "cus_not_in_the_source" },
          ],
        }),
      });

      const { runId, status } = await runToEnd(database, migration, "full", { pageSize });
      expect(status).toBe("completed");
      const link = (sourceId: string) =>
        database.recordLink.findFirstOrThrow({ where: { migrationId: migration.migrationId, objectType: "customers", sourceId } });
      const firstLink = await link(first);
      expect(firstLink.status).toBe("created");
      expect(await link(repeat)).toMatchObject({
        status: "skipped",
        targetId: firstLink.targetId,
        errorCode: "DUPLICATE",
        errorMessage: expect.stringMatching(/^Skipped as a repeat of customers record /),
      });
      expect((await link(orphan)).status).toBe("created");

      const created = await database.recordLink.count({ where: { migrationId: migration.migrationId, objectType: "customers", status: "created" } });
      const total = await database.recordLink.count({ where: { migrationId: migration.migrationId, objectType: "customers" } });
      expect(created).toBe(total - 1);
      expect(twenty.state.records("people")).toHaveLength(created);
      const verification = parseVerification((await database.run.findUniqueOrThrow({ where: { id: runId } })).verification);
      expect(verification?.discrepancies).toEqual([]);
    },
    60_000,
  );
});
