// Delta runs, Twenty → Twenty: after a full run, records changed or created in the source since
// that run started are read with read({ since }) and written again, updating the linked target
// records rather than creating new ones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { createRun } from "@/lib/migration/engine";
import { parseVerification } from "@/lib/migration/verify";
import { createTestDatabase } from "../helpers/database";
import { countsOf, duplicateSourceIds } from "../helpers/engine-compare";
import { runToEnd, setupMigration, type Endpoint, type TestMigration } from "../helpers/engine-fixtures";

const API_KEY = "engine-delta-key";
const twenty = (url: string): Endpoint => ({ systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: url } });

let database: Database;
let cleanup: () => Promise<void>;
let source: Awaited<ReturnType<typeof startTwentySandbox>>;
let target: Awaited<ReturnType<typeof startTwentySandbox>>;
let migration: TestMigration;
let fullRunId: string;

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${source.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
  return response.json() as Promise<{ data: Record<string, Record<string, unknown>> }>;
}

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
  source = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, seed: "sample" });
  target = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0 });
  migration = await setupMigration(database, { source: twenty(source.url), target: twenty(target.url) });
  const full = await runToEnd(database, migration, "full");
  expect(full.status).toBe("completed");
  fullRunId = full.runId;
}, 60_000);

afterAll(async () => {
  await source?.close();
  await target?.close();
  await cleanup?.();
});

describe("delta runs", () => {
  it("refuses to start before a full run has finished", async () => {
    const fresh = await setupMigration(database, { source: twenty(source.url), target: twenty(target.url) });
    await expect(createRun(database, { migrationId: fresh.migrationId, mode: "delta" })).rejects.toThrow(/run a full migration first/);
  }, 30_000);

  it("updates the linked target records of changed source records and creates the new ones", async () => {
    expect(parseVerification((await database.run.findUniqueOrThrow({ where: { id: fullRunId } })).verification)?.clean).toBe(true);
    const countsBefore = countsOf(target.state);
    const failed = Object.fromEntries(
      (await database.recordLink.groupBy({ by: ["objectType"], where: { runId: fullRunId, status: "failed" }, _count: { _all: true } })).map((row) => [
        row.objectType,
        row._count._all,
      ]),
    );
    const sourceCounts = countsOf(source.state);
    // Everything the source holds is in the target, except the records that failed (invalid emails in the seed, and what links to them).
    for (const object of ["companies", "people", "opportunities", "tasks", "notes"])
      expect(countsBefore[object] + (failed[object] ?? 0)).toBe(sourceCounts[object]);
    expect(countsBefore.people).toBeGreaterThan(200);
    const migrated = async (objectType: string) => {
      const link = await database.recordLink.findFirstOrThrow({ where: { runId: fullRunId, objectType, status: "created" }, orderBy: { sourceId: "asc" } });
      return source.state.record(objectType, link.sourceId) as Record<string, unknown>;
    };
    const person = await migrated("people");
    const company = await migrated("companies");
    // twenty-api §2: PATCH /rest/{plural}/{id}; POST /rest/{plural}.
    await api("PATCH", `/rest/people/${String(person.id)}`, { jobTitle: "Head of Delta Runs" });
    await api("PATCH", `/rest/companies/${String(company.id)}`, { employees: 4321 });
    await api("POST", "/rest/companies", { name: "Founded After The Full Run", domainName: { primaryLinkUrl: "https://after-the-full-run.example" } });

    const delta = await runToEnd(database, migration, "delta");
    expect(delta.status).toBe("completed");
    const run = await database.run.findUniqueOrThrow({ where: { id: delta.runId } });
    expect(run).toMatchObject({ processedRecords: 3, updatedRecords: 2, createdRecords: 1, failedRecords: 0 });

    const personLink = await database.recordLink.findFirstOrThrow({
      where: { migrationId: migration.migrationId, objectType: "people", sourceId: String(person.id) },
    });
    expect(personLink.status).toBe("updated");
    expect(personLink.createdByRunId).toBe(fullRunId);
    expect(target.state.record("people", personLink.targetId as string)?.jobTitle).toBe("Head of Delta Runs");
    const companyLink = await database.recordLink.findFirstOrThrow({
      where: { migrationId: migration.migrationId, objectType: "companies", sourceId: String(company.id) },
    });
    expect(target.state.record("companies", companyLink.targetId as string)?.employees).toBe(4321);

    expect(countsOf(target.state)).toEqual({ ...countsBefore, companies: countsBefore.companies + 1 });
    expect(duplicateSourceIds(target.state)).toEqual([]);
    expect(parseVerification(run.verification)?.discrepancies).toEqual([]);
  }, 60_000);
});
