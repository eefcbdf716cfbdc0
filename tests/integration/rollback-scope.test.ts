// Rollback of a migration with a full run and a retry run (Sample → Twenty sandbox over HTTP):
// refused for a member, covers both runs so no record is left behind with a broken link, counts
// each record once (same-run duplicates are not "existing"), and shows its progress while it runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { ConnectorSession, WriteResult } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { ForbiddenError } from "@/lib/errors";
import { builtInRole } from "@/lib/auth/roles";
import { ROLLBACK_FAILED } from "@/lib/migration/record-map";
import type { RunAccess } from "@/lib/runs/access";
import { rollbackRunCommand } from "@/lib/runs/commands";
import { loadRunProgress, type RunProgressJson } from "@/lib/runs/progress";
import { rollbackPreview } from "@/lib/runs/rollback-preview";
import { createTestDatabase } from "../helpers/database";
import { countsOf } from "../helpers/engine-compare";
import { driveRun, runToEnd, sampleAgentsAsWorkspaceMembers, setupMigration, type TestMigration } from "../helpers/engine-fixtures";

const API_KEY = "rollback-scope-key";
const noDispatch = { dispatchRun: async () => undefined, dispatchCancel: async () => undefined };

let database: Database;
let cleanup: () => Promise<void>;
let sandbox: Awaited<ReturnType<typeof startTwentySandbox>>;
let migration: TestMigration;
let access: RunAccess;
let fullId: string;
let retryId: string;
/** While on, the target refuses every other person: the full run leaves work for the retry. */
let refusePeople = true;
/** Called before each remove() the rollback sends. */
let beforeRemove: (call: number) => Promise<void> = async () => undefined;
let removeCalls = 0;

/** The target as the runs see it: people refused while `refusePeople`, removes observed. */
function observedTarget(session: ConnectorSession): ConnectorSession {
  return {
    ...session,
    async write(objectType, requests, mode) {
      if (!refusePeople || objectType !== "people") return session.write(objectType, requests, mode);
      const refused = requests.filter((_, index) => index % 2 === 1);
      const written = await session.write(
        objectType,
        requests.filter((_, index) => index % 2 === 0),
        mode,
      );
      const failures: WriteResult[] = refused.map((request) => ({
        sourceId: request.sourceId,
        status: "failed",
        error: { code: "VALIDATION", message: "Refused by the test target" },
      }));
      return [...written, ...failures];
    },
    async remove(objectType, ids) {
      removeCalls += 1;
      await beforeRemove(removeCalls);
      return session.remove(objectType, ids);
    },
  };
}

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
  sandbox = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, workspaceMembers: sampleAgentsAsWorkspaceMembers() });
  migration = await setupMigration(database, {
    source: { systemId: "sample", credentials: { scale: 0.5 } },
    target: { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: sandbox.url } },
    wrapTarget: observedTarget,
  });
  refusePeople = true;
  ({ runId: fullId } = await runToEnd(database, migration, "full"));
  refusePeople = false;
  ({ runId: retryId } = await runToEnd(database, migration, "retry"));
  access = { kind: "organization", organizationId: migration.organizationId };
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await cleanup?.();
});

describe("rollback of a full run and its retry", () => {
  it("the retry created records that the full run refused", async () => {
    expect(await database.recordLink.count({ where: { createdByRunId: retryId, objectType: "customers" } })).toBeGreaterThan(0);
  });

  it("says which runs it covers and counts each record once: created per run, duplicates of created records apart from existing ones", async () => {
    const preview = await rollbackPreview(database, access, fullId);
    // Sample data at this scale repeats 3 customers (same email typed again): linked to their original, not created.
    const createdBy = async (runId: string) =>
      database.recordLink.count({ where: { createdByRunId: runId, status: { in: ["created", "updated"] }, targetId: { not: null } } });
    expect(preview.runs.map((run) => [run.id, run.mode, run.created])).toEqual([
      [fullId, "full", await createdBy(fullId)],
      [retryId, "retry", await createdBy(retryId)],
    ]);
    expect(preview.total).toBe((await createdBy(fullId)) + (await createdBy(retryId)));
    expect(preview.objects.reduce((sum, object) => sum + object.count, 0)).toBe(preview.total);
    // The target was empty: every duplicate the runs linked is a duplicate of a record Ferry created.
    const duplicates = await database.recordLink.count({ where: { migrationId: migration.migrationId, status: "skipped", targetId: { not: null } } });
    expect(duplicates).toBeGreaterThan(0);
    expect(preview.keptExisting).toBe(0);
    expect(preview.duplicatesOfCreated).toBe(duplicates);
    // The retry's dashboard offers the same rollback.
    expect((await rollbackPreview(database, access, retryId)).total).toBe(preview.total);
  });

  it("is refused for a member, and changes nothing", async () => {
    await expect(
      rollbackRunCommand(
        database,
        { access, role: builtInRole("operator") },
        { runId: fullId, confirm: true },
        { dispatcher: noDispatch, resolveSession: migration.resolver },
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await database.run.findUniqueOrThrow({ where: { id: fullId } })).status).toBe("completed");
    expect((await loadRunProgress(database, access, fullId)).rollback).toBeNull();
  });

  it("deletes every record both runs created, leaves no link to a deleted record, and shows its progress while it runs", async () => {
    const preview = await rollbackPreview(database, access, fullId);
    await rollbackRunCommand(
      database,
      { access, role: builtInRole("admin") },
      { runId: fullId, confirm: true },
      { dispatcher: noDispatch, resolveSession: migration.resolver },
    );
    const started = await loadRunProgress(database, access, fullId);
    expect(started.status).toBe("rolling_back");
    expect(started.rollback).toMatchObject({ removed: 0, total: preview.total, remaining: preview.total, runs: 2 });

    // Observed from inside the rollback: the second batch is about to leave, the first is committed.
    let midway: RunProgressJson | null = null;
    beforeRemove = async (call) => {
      if (call === 2) midway = await loadRunProgress(database, access, fullId);
    };
    expect(await driveRun(database, fullId, migration.resolver)).toBe("rolled_back");
    const seen = midway as RunProgressJson | null;
    expect(seen?.rollback?.removed).toBeGreaterThan(0);
    expect(seen?.rollback?.removed).toBeLessThan(preview.total);
    expect(seen?.rollback?.total).toBe(preview.total);
    expect(seen?.rollback?.etaSeconds).toEqual(expect.any(Number));

    const counts = countsOf(sandbox.state);
    for (const object of ["companies", "people", "tickets", "notes", "opportunities", "tasks"]) expect([object, counts[object] ?? 0]).toEqual([object, 0]);
    expect(
      await database.recordLink.count({
        where: { migrationId: migration.migrationId, status: { in: ["created", "updated", "skipped"] }, targetId: { not: null } },
      }),
    ).toBe(0);
    expect(await database.recordLink.count({ where: { migrationId: migration.migrationId, errorCode: ROLLBACK_FAILED } })).toBe(0);
    expect((await database.run.findUniqueOrThrow({ where: { id: retryId } })).status).toBe("rolled_back");
    expect((await loadRunProgress(database, access, fullId)).rollback).toMatchObject({ removed: preview.total, remaining: 0, failed: 0 });
  }, 120_000);
});
