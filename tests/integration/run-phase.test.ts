// What the dashboard and the CLI are told while a run works: its phase (waiting for the target's
// rate limit until a given time, verifying), an ETA that accounts for that limit and is withheld
// during verification, and the requests the run spent per side. Real HTTP against the Twenty
// sandbox, real PostgreSQL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTwentySession } from "@/connectors/twenty";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { ConnectorSession, RecordPage } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { createRun, pauseRun, runProgress, runSlice, type RunProgress } from "@/lib/migration/engine";
import { createTestDatabase } from "../helpers/database";
import { TEST_RETRY_WAIT, driveRun, resolverFor, sampleAgentsAsWorkspaceMembers, setupMigration, type Endpoint } from "../helpers/engine-fixtures";

const API_KEY = "run-phase-key";
const SOURCE: Endpoint = { systemId: "sample", credentials: { scale: 0.02 } };
/** A client-side limit small enough that the run must wait for it within a couple of pages. */
const TIGHT_LIMIT = { requests: 3, perMs: 2_000 };

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

/** A proxy that answers the first POST with Twenty's 429 "Limit reached" (no Retry-After) and forwards everything else. */
async function refuseFirstWrite(upstreamUrl: string): Promise<{ url: string; refused: number }> {
  const upstream = new URL(upstreamUrl);
  const state = { url: "", refused: 0 };
  const server = http.createServer((request, response) => {
    if (request.method === "POST" && state.refused === 0) {
      state.refused += 1;
      request.resume();
      response
        .writeHead(429, { "content-type": "application/json" })
        .end(JSON.stringify({ statusCode: 429, error: "Too Many Requests", messages: ["Limit reached"] }));
      return;
    }
    const forward = http.request(
      { hostname: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: { ...request.headers, host: upstream.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

async function twentyTarget(): Promise<Endpoint & { systemId: "twenty" }> {
  const sandbox = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, workspaceMembers: sampleAgentsAsWorkspaceMembers() });
  closers.push(() => sandbox.close());
  return { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: sandbox.url } };
}

describe("a run's phase", () => {
  it("says it is waiting for Twenty's rate limit, until when, and keeps that wait in the ETA", async () => {
    const target = await twentyTarget();
    const migration = await setupMigration(database, { source: SOURCE, target });
    const limited = () => createTwentySession(target.credentials, { allowPrivateHosts: true, rateLimit: TIGHT_LIMIT, timeoutMs: 5_000 });
    const resolver = resolverFor(
      { [migration.sourceConnectionId]: SOURCE, [migration.targetConnectionId]: target },
      {},
      { [migration.targetConnectionId]: limited },
    );
    const { runId } = await createRun(database, { migrationId: migration.migrationId, mode: "full" });

    const running = runSlice(database, runId, { budgetMs: 20_000, resolveSession: resolver, retryWait: TEST_RETRY_WAIT, pageSize: 5 });
    let waiting: RunProgress | undefined;
    await vi.waitFor(
      async () => {
        waiting = await runProgress(database, runId);
        expect(waiting.phase.kind).toBe("waiting_rate_limit");
      },
      { timeout: 15_000, interval: 50 },
    );
    const seen = waiting as RunProgress;
    expect(seen.status).toBe("running");
    expect(seen.phase.system).toBe("Twenty");
    const untilMs = new Date(seen.phase.until ?? 0).getTime();
    expect(untilMs).toBeGreaterThan(Date.now() - 100);
    expect(untilMs).toBeLessThanOrEqual(Date.now() + TIGHT_LIMIT.perMs + 1_000);
    // Nothing moves before the wait ends, so the ETA is at least the wait.
    expect(seen.etaSeconds).not.toBeNull();
    expect(seen.etaSeconds as number).toBeGreaterThanOrEqual(Math.floor((untilMs - Date.now()) / 1000));

    await pauseRun(database, runId);
    expect((await running).status).toBe("paused");
    const paused = await runProgress(database, runId);
    expect(paused.phase.kind).toBe("paused");
    // Every request the run sent to Twenty is on the run, for the requests-per-record estimate.
    const row = await database.run.findUniqueOrThrow({ where: { id: runId }, select: { targetRequests: true, sourceRequests: true } });
    expect(row.targetRequests).toBeGreaterThan(TIGHT_LIMIT.requests);
    expect(row.sourceRequests).toBe(0);
  }, 30_000);

  it("says it is waiting for Twenty's rate limit when Twenty refuses a write with 429 and Ferry backs off", async () => {
    const target = await twentyTarget();
    const migration = await setupMigration(database, { source: SOURCE, target });
    // Twenty refuses the first batch write with "Limit reached" and no Retry-After (twenty-api §6.1); the rest passes through.
    const refusing = await refuseFirstWrite(target.credentials.baseUrl);
    const viaProxy = () =>
      createTwentySession({ ...target.credentials, baseUrl: refusing.url }, { allowPrivateHosts: true, rateLimit: null, timeoutMs: 5_000 });
    const resolver = resolverFor(
      { [migration.sourceConnectionId]: SOURCE, [migration.targetConnectionId]: target },
      {},
      { [migration.targetConnectionId]: viaProxy },
    );
    const { runId } = await createRun(database, { migrationId: migration.migrationId, mode: "full" });

    const running = runSlice(database, runId, { budgetMs: 20_000, resolveSession: resolver, retryWait: TEST_RETRY_WAIT, pageSize: 5 });
    await vi.waitFor(
      async () => {
        const progress = await runProgress(database, runId);
        expect(progress.phase).toMatchObject({ kind: "waiting_rate_limit", system: "Twenty" });
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(refusing.refused).toBe(1);
    await pauseRun(database, runId);
    expect((await running).status).toBe("paused");
  }, 30_000);

  it("shows verifying, with no ETA, while the target is read back; then finished", async () => {
    const target = await twentyTarget();
    const snapshots: RunProgress[] = [];
    let runId = "";
    // Verification reads the target back with read(); look at the dashboard's numbers then.
    const watchReads = (session: ConnectorSession): ConnectorSession => ({
      ...session,
      read: async function* (objectType, options): AsyncGenerator<RecordPage> {
        if (runId) snapshots.push(await runProgress(database, runId));
        yield* session.read(objectType, options);
      },
    });
    const migration = await setupMigration(database, { source: SOURCE, target, wrapTarget: watchReads });
    ({ runId } = await createRun(database, { migrationId: migration.migrationId, mode: "full" }));
    expect(await driveRun(database, runId, migration.resolver, { pageSize: 20 })).toBe("completed");

    const verifying = snapshots.filter((snapshot) => snapshot.phase.kind === "verifying");
    expect(verifying.length).toBeGreaterThan(0);
    for (const snapshot of verifying) {
      expect(snapshot.status).toBe("running");
      expect(snapshot.etaSeconds).toBeNull();
      expect(snapshot.phase.system).toBe("Twenty");
    }
    const done = await runProgress(database, runId);
    expect(done.phase.kind).toBe("finished");
    expect(done.etaSeconds).toBeNull();
    // The failures listed under the run and the run's failed counter are the same number.
    expect(done.failuresListed).toBe(done.totals.failed);
  }, 60_000);
});
