// Several Ferry servers on one PostgreSQL database: two processes, each running the embedded job
// runner with its leases (one run at a time each, so they must share), take one queued run each.
// One is SIGKILLed in the middle of its run; the other finishes its own, takes the killed one's
// run over once the lease expires and finishes it too, every record exactly once.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { createRun } from "@/lib/migration/engine";
import { parseVerification } from "@/lib/migration/verify";
import { createTestDatabase } from "../helpers/database";
import { countsOf, duplicateSourceIds } from "../helpers/engine-compare";
import { sampleAgentsAsWorkspaceMembers, setupMigration, type Endpoint } from "../helpers/engine-fixtures";
import { bundleWorker } from "../helpers/engine-process";

const API_KEY = "servers-share-key";
const LEASE_MS = 2_000;
const WAIT_MS = 90_000;
const members = sampleAgentsAsWorkspaceMembers();

let database: Database;
let databaseUrl: string;
let cleanup: () => Promise<void>;
let workerFile: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ database, url: databaseUrl, cleanup } = await createTestDatabase());
  workerFile = await bundleWorker(path.resolve(import.meta.dirname, "..", "helpers", "runner-worker.ts"));
});
afterAll(async () => {
  for (const close of closers) await close();
  await cleanup?.();
});

function startServer(ownerId: string, connections: Record<string, Endpoint>): ChildProcess {
  const config = JSON.stringify({ databaseUrl, ownerId, connections, leaseMs: LEASE_MS, pollMs: 50, sliceBudgetMs: 500, pageSize: 10, maxParallel: 1 });
  const child = spawn(process.execPath, [workerFile], { env: { ...process.env, RUNNER_WORKER_CONFIG: config }, stdio: ["ignore", "ignore", "inherit"] });
  closers.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return child;
}

/** Polls the database (bounded) until `check` answers a value. */
async function until<T>(check: () => Promise<T | null>, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== null) return value;
    await sleep(20);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe("two servers on one database", () => {
  it("share runs through leases, and the survivor finishes the run of a server killed mid-run, every record once", async () => {
    const source: Endpoint = { systemId: "sample", credentials: { scale: 0.1 } };
    const targets = await Promise.all([0, 1].map(() => startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, workspaceMembers: members })));
    for (const target of targets) closers.push(() => target.close());
    const endpoints = targets.map((target): Endpoint => ({ systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: target.url } }));
    const migrations: Awaited<ReturnType<typeof setupMigration>>[] = [];
    for (const target of endpoints) migrations.push(await setupMigration(database, { source, target }));
    const connections = Object.fromEntries(
      migrations.flatMap((migration, index) => [
        [migration.sourceConnectionId, source],
        [migration.targetConnectionId, endpoints[index]],
      ]),
    );
    const runIds: string[] = [];
    for (const migration of migrations) runIds.push((await createRun(database, { migrationId: migration.migrationId, mode: "full" })).runId);

    const leaseOf = async (owner: string) =>
      (await database.run.findFirst({ where: { id: { in: runIds }, leaseOwner: owner, status: "running" }, select: { id: true, processedRecords: true } })) ??
      null;
    const serverA = startServer("server-a", connections);
    const killedExit = new Promise((resolve) => serverA.once("exit", resolve));
    const heldByA = await until(() => leaseOf("server-a"), "server A to claim a run");
    const serverB = startServer("server-b", connections);
    const heldByB = await until(() => leaseOf("server-b"), "server B to claim the other run");
    expect(heldByB.id).not.toBe(heldByA.id);
    // Server A is writing its run: kill it there, mid-run.
    const held = await until(
      async () => (((await leaseOf("server-a"))?.processedRecords ?? 0) > 0 ? await leaseOf("server-a") : null),
      "server A to be writing its run",
    );
    expect(held!.id).toBe(heldByA.id);
    serverA.kill("SIGKILL");
    await killedExit;

    // Server B takes the run over once A's lease has expired, and finishes both runs.
    await until(
      async () => ((await database.run.findFirst({ where: { id: held!.id, leaseOwner: "server-b" } })) ? true : null),
      "server B to take over server A's run",
    );
    const finished = await until(async () => {
      const runs = await database.run.findMany({ where: { id: { in: runIds } } });
      return runs.every((run) => !["queued", "running"].includes(run.status)) ? runs : null;
    }, "both runs to finish");
    serverB.kill("SIGTERM");

    for (const run of finished) {
      expect(run.status).toBe("completed");
      const verification = parseVerification(run.verification);
      expect(verification?.discrepancies).toEqual([]);
      expect(verification?.clean).toBe(true);
      expect(await database.recordLink.count({ where: { runId: run.id, status: "pending" } })).toBe(0);
    }
    expect((await database.run.findUniqueOrThrow({ where: { id: held!.id } })).processedRecords).toBeGreaterThan(held!.processedRecords);
    // Every record once in each target: no source id written twice, and both targets hold the same (same source).
    for (const target of targets) expect(duplicateSourceIds(target.state)).toEqual([]);
    expect(countsOf(targets[0].state)).toEqual(countsOf(targets[1].state));
  }, 120_000);
});
