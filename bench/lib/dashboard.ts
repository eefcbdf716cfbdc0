// Dashboard latency: N CLI runs proceed at once in ONE database file (each against its own Twenty
// sandbox), while this process polls the progress of every run and times each call. A poll is
// loadRunProgress — everything GET /api/runs/[runId]/progress does but decoding the session
// cookie and the HTTP round trip: the access check, runProgress and the throughput series.
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createDatabase } from "@/lib/db";
import { isDatabaseBusy } from "@/lib/migration/database";
import { loadRunProgress } from "@/lib/runs/progress";
import { migrateDatabase } from "@/lib/database-setup";
import { runMigrateCli, tempDirectory, type CliResult } from "./migrate-cli";
import { startSandbox, type RunningSandbox } from "./processes";

export type DashboardOptions = { runs: number; scale: number; measureMs: number; pollEveryMs: number; rateLimitPerMinute: number };
/**
 * latenciesMs: each poll as an endpoint would serve it, retrying SQLITE_BUSY every 10 ms for up to
 * 15 s (libSQL's busy_timeout is 0); busyAnswers: polls whose first attempt was refused with
 * "database is locked" (what an endpoint without the retry would have answered with an error).
 */
export type DashboardResult = { latenciesMs: number[]; runsSeen: number; polls: number; errors: number; busyAnswers: number; busyWhileWaiting: number };

const WAIT_FOR_RUNS_MS = 120_000;
const POLL_GIVE_UP_MS = 15_000;
const BUSY_RETRY_MS = 10;

async function countRuns(database: ReturnType<typeof createDatabase>): Promise<number> {
  try {
    return await database.run.count({ where: { status: "running" } });
  } catch (error) {
    if (isDatabaseBusy(error)) return -1;
    throw error;
  }
}

export async function measureDashboard(options: DashboardOptions): Promise<DashboardResult> {
  const temp = tempDirectory("dashboard");
  const databaseFile = path.join(temp.dir, "shared.db");
  // Once, before the CLIs share it (each would also migrate it, all at the same moment).
  await migrateDatabase({ url: `file:${databaseFile}` });
  const sandboxes: RunningSandbox[] = [];
  const controllers: Promise<CliResult | Error>[] = [];
  const database = createDatabase({ url: `file:${databaseFile}` });
  const stops: (() => void)[] = [];
  try {
    for (let index = 0; index < options.runs; index += 1) sandboxes.push(await startSandbox("twenty", options.rateLimitPerMinute));
    // Started one after another: 10 CLIs setting up at once in one SQLite file fail with
    // "database is locked" (their setup is not busy-retried); each waits for the previous run.
    for (const sandbox of sandboxes) {
      let pid = 0;
      const runsBefore = await countRuns(database);
      controllers.push(
        runMigrateCli({
          to: "twenty",
          targetUrl: sandbox.url,
          targetKey: sandbox.apiKey,
          scale: options.scale,
          clientRateLimit: options.rateLimitPerMinute,
          databaseFile,
          // Bounded: the CLIs are stopped once the measurement ends; this is the backstop.
          timeoutMs: WAIT_FOR_RUNS_MS * 2 + options.measureMs + 60_000,
          onStarted: (childPid) => (pid = childPid),
        }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
      );
      stops.push(() => {
        if (pid) process.kill(pid, "SIGTERM");
      });
      const startBy = Date.now() + WAIT_FOR_RUNS_MS / options.runs;
      while (Date.now() < startBy && (await countRuns(database)) <= runsBefore) await sleep(500);
    }
    // Wait (bounded) until every run is running.
    const waitUntil = Date.now() + WAIT_FOR_RUNS_MS;
    let runIds: string[] = [];
    let busyWhileWaiting = 0;
    while (Date.now() < waitUntil) {
      try {
        runIds = (await database.run.findMany({ where: { status: "running" }, select: { id: true } })).map((run) => run.id);
        if (runIds.length >= options.runs) break;
        busyWhileWaiting = 0;
      } catch (error) {
        if (!isDatabaseBusy(error)) throw error;
        busyWhileWaiting += 1;
      }
      await sleep(500);
    }
    const latenciesMs: number[] = [];
    let errors = 0;
    let busyAnswers = 0;
    const end = Date.now() + options.measureMs;
    let turn = 0;
    while (Date.now() < end && runIds.length > 0) {
      const runId = runIds[turn % runIds.length];
      turn += 1;
      const startedAt = performance.now();
      try {
        // Retry busy answers (bounded) and time the whole answer, as an endpoint would serve it.
        for (let attempt = 0; ; attempt += 1) {
          try {
            await loadRunProgress(database, { kind: "staff" }, runId);
            break;
          } catch (error) {
            if (!isDatabaseBusy(error) || performance.now() - startedAt > POLL_GIVE_UP_MS) throw error;
            if (attempt === 0) busyAnswers += 1;
            await sleep(BUSY_RETRY_MS);
          }
        }
        latenciesMs.push(performance.now() - startedAt);
      } catch {
        errors += 1;
      }
      await sleep(options.pollEveryMs);
    }
    return { latenciesMs, runsSeen: runIds.length, polls: turn, errors, busyAnswers, busyWhileWaiting };
  } finally {
    for (const stop of stops) {
      try {
        stop();
      } catch {
        // already exited
      }
    }
    const outcomes = await Promise.all(controllers);
    for (const outcome of outcomes) if (outcome instanceof Error) console.error(`[bench] dashboard CLI: ${outcome.message.slice(Math.max(0, outcome.message.indexOf("Invalid")), Math.max(0, outcome.message.indexOf("Invalid")) + 2500)}`);
    await database.$disconnect();
    await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
    temp.remove();
  }
}
