// Many migrations on one database: N CLI runs (Sample → Twenty, each against its own Twenty
// sandbox) are started at the same moment on ONE PostgreSQL database and run to the end, while
// this process polls the progress of every running run and times each call. A poll is
// loadRunProgress — everything GET /api/runs/[runId]/progress does but decoding the session
// cookie and the HTTP round trip: the access check, runProgress and the throughput series.
// Afterwards every record is checked to be in the record map once; each CLI's own verification
// re-reads its target (found = linked, no duplicates) and is clean only if each arrived once.
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "@/lib/db";
import { migrateDatabase } from "@/lib/database-setup";
import { loadRunProgress } from "@/lib/runs/progress";
import { createBenchDatabase } from "./database";
import { runMigrateCli, type CliResult } from "./migrate-cli";
import {
  eventLoopDelay,
  explainQueries,
  probedDatabase,
  schedDelta,
  schedTimes,
  sumSchedTimes,
  type ExplainedQuery,
  type ProbedDatabase,
  type SchedTimes,
} from "./poll-probe";
import { startSandbox, type RunningSandbox } from "./processes";
import { startProgressServer, type ProgressServer } from "./progress-server";

export type DashboardOptions = {
  runs: number;
  scale: number;
  pollEveryMs: number;
  rateLimitPerMinute: number;
  timeoutMs: number;
  /** Also poll GET /api/runs/[runId]/progress of a `next start` server on this port (needs a build). */
  httpPort?: number;
  /** Run the CLIs and sandboxes at this lower CPU priority (nice): the workers of a hosted layout. */
  workerNiceness?: number;
};

/** One poll, in process (the route's loader on a probed pool) or over HTTP. */
export type PollSample = {
  ms: number;
  /** 1-minute load average when the poll started. */
  load: number;
  /** The polling process: its CPU, and time its main thread was runnable but waiting for a core. */
  pollerCpuMs: number;
  pollerWaitMs: number;
  /** The event loop's longest delay during the poll. */
  loopDelayMs: number;
  /** The web server (HTTP) or nothing (in process): CPU of all its threads, wait of its main thread. */
  serverCpuMs: number;
  serverWaitMs: number;
  /** The PostgreSQL backends serving the poller (in process) or the web server (HTTP). */
  backendCpuMs: number;
  backendWaitMs: number;
  /** In process only: queries sent and waits for the database (stretches with a query in flight). */
  queries: number;
  roundTrips: number;
  databaseMs: number;
};

export type DashboardResult = {
  /** Each poll while at least one run was writing. */
  inProcess: PollSample[];
  http: PollSample[];
  /** EXPLAIN (ANALYZE, BUFFERS) of one in-process poll's queries, taken twice while the runs wrote. */
  explained: ExplainedQuery[][];
  runsSeen: number;
  polls: number;
  /** Polls that threw (a database error answered to the dashboard). */
  errors: number;
  /** CLI runs that ended completed with a clean verification and exit code 0. */
  cleanRuns: number;
  /** CLI runs whose output names a database error (Prisma, deadlock, connection). */
  runsWithDatabaseErrors: number;
  /** linked: record-map rows; duplicateLinks: rows beyond one per (migration, object, source id). */
  records: { processed: number; linked: number; duplicateLinks: number; created: number };
  elapsedSeconds: number;
  outcomes: { status: string; exitCode: number; processed: number; created: number; failed: number; elapsedSeconds: number }[];
};

const DATABASE_ERROR = /Prisma|P20\d\d|P10\d\d|deadlock|could not serialize|too many clients|ECONNREFUSED|database/i;

async function duplicateLinks(database: Database): Promise<{ linked: number; duplicates: number }> {
  const [row] = await database.$queryRawUnsafe<{ linked: bigint; duplicates: bigint }[]>(
    `SELECT COUNT(*) AS linked, COUNT(*) - COUNT(DISTINCT ("migrationId", "objectType", "sourceId")) AS duplicates FROM "RecordLink"`,
  );
  return { linked: Number(row.linked), duplicates: Number(row.duplicates) };
}

const EXPLAIN_AT_POLLS = new Set([100, 300]);

type Pollers = { probed: ProbedDatabase; server: ProgressServer | null; loop: ReturnType<typeof eventLoopDelay> };

/** The poller's main thread: its wait for a core delays the poll; helper threads' waits overlap it. */
function pollerTimes(): SchedTimes {
  return schedTimes(process.pid, "main");
}

async function pollInProcess(pollers: Pollers, runId: string): Promise<PollSample> {
  const { probed, loop } = pollers;
  const load = os.loadavg()[0];
  const backendsBefore = sumSchedTimes(probed.backendPids);
  const pollerBefore = pollerTimes();
  const cpuBefore = process.cpuUsage();
  loop.histogram.reset();
  probed.start();
  const startedAt = performance.now();
  await loadRunProgress(probed.database, { kind: "staff" }, runId);
  const ms = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  const poller = schedDelta(pollerTimes(), pollerBefore);
  const backends = schedDelta(sumSchedTimes(probed.backendPids), backendsBefore);
  const { queries, roundTrips } = probed.finish();
  return {
    ms,
    load,
    pollerCpuMs: (cpu.user + cpu.system) / 1000,
    pollerWaitMs: poller.waitMs,
    loopDelayMs: loop.maxMs(),
    serverCpuMs: 0,
    serverWaitMs: 0,
    backendCpuMs: backends.cpuMs,
    backendWaitMs: backends.waitMs,
    queries: queries.length,
    roundTrips,
    databaseMs: queries.reduce((sum, query) => sum + query.ms, 0),
  };
}

async function pollOverHttp(server: ProgressServer, backendPids: number[], runId: string): Promise<PollSample> {
  const load = os.loadavg()[0];
  const serverPids = server.pids();
  const serverBefore = sumSchedTimes(serverPids);
  const serverMainBefore = schedTimes(server.pid, "main");
  const backendsBefore = sumSchedTimes(backendPids);
  const pollerBefore = pollerTimes();
  const startedAt = performance.now();
  await server.poll(runId);
  const ms = performance.now() - startedAt;
  const poller = schedDelta(pollerTimes(), pollerBefore);
  const serverTimes = schedDelta(sumSchedTimes(serverPids), serverBefore);
  const serverMain = schedDelta(schedTimes(server.pid, "main"), serverMainBefore);
  const backends = schedDelta(sumSchedTimes(backendPids), backendsBefore);
  return {
    ms,
    load,
    pollerCpuMs: poller.cpuMs,
    pollerWaitMs: poller.waitMs,
    loopDelayMs: 0,
    serverCpuMs: serverTimes.cpuMs,
    serverWaitMs: serverMain.waitMs,
    backendCpuMs: backends.cpuMs,
    backendWaitMs: backends.waitMs,
    queries: 0,
    roundTrips: 0,
    databaseMs: 0,
  };
}

function startClis(options: DashboardOptions, sandboxes: RunningSandbox[], databaseUrl: string, onFinished: () => void): Promise<CliResult | Error>[] {
  return sandboxes.map((sandbox) =>
    runMigrateCli({
      to: "twenty",
      targetUrl: sandbox.url,
      targetKey: sandbox.apiKey,
      scale: options.scale,
      clientRateLimit: options.rateLimitPerMinute,
      databaseUrl,
      timeoutMs: options.timeoutMs,
      niceness: options.workerNiceness,
    })
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
      .finally(onFinished),
  );
}

type PollRecord = Pick<DashboardResult, "inProcess" | "http" | "explained" | "errors" | "polls"> & { seen: Set<string> };

/** Round robin over the running runs, one run every pollEveryMs: in process, then the same run over HTTP. */
async function pollWhileRunning(options: DashboardOptions, pollers: Pollers, databaseUrl: string, isDone: () => boolean): Promise<PollRecord> {
  const record: PollRecord = { inProcess: [], http: [], explained: [], errors: 0, polls: 0, seen: new Set() };
  let webBackends: number[] = [];
  while (!isDone()) {
    const runIds = (await pollers.probed.database.run.findMany({ where: { status: "running" }, select: { id: true } })).map((run) => run.id);
    if (pollers.server && record.polls % 50 === 0) webBackends = await pollers.server.backendPids();
    for (const runId of runIds) {
      record.seen.add(runId);
      record.polls += 1;
      try {
        record.inProcess.push(await pollInProcess(pollers, runId));
        if (EXPLAIN_AT_POLLS.has(record.polls)) record.explained.push(await explainQueries(databaseUrl, pollers.probed.finish().queries));
        if (pollers.server) record.http.push(await pollOverHttp(pollers.server, webBackends, runId));
      } catch (error) {
        record.errors += 1;
        if (record.errors <= 3) console.error(`[bench] poll failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      await sleep(options.pollEveryMs);
    }
    if (runIds.length === 0) await sleep(options.pollEveryMs);
  }
  return record;
}

export async function measureDashboard(options: DashboardOptions): Promise<DashboardResult> {
  const shared = await createBenchDatabase();
  // Once, before the CLIs share it (each would also migrate it: they take turns on the lock).
  await migrateDatabase({ url: shared.url });
  const sandboxes: RunningSandbox[] = [];
  const probed = probedDatabase(shared.url);
  const database = probed.database;
  const loop = eventLoopDelay();
  let server: ProgressServer | null = null;
  let running: Promise<CliResult | Error>[] = [];
  try {
    if (options.httpPort) server = await startProgressServer({ databaseUrl: shared.url, database, port: options.httpPort });
    for (let index = 0; index < options.runs; index += 1)
      sandboxes.push(await startSandbox("twenty", options.rateLimitPerMinute, { niceness: options.workerNiceness }));
    const startedAt = Date.now();
    let finished = 0;
    running = startClis(options, sandboxes, shared.url, () => (finished += 1));
    const polled = await pollWhileRunning(
      options,
      { probed, server, loop },
      shared.url,
      () => finished >= options.runs || Date.now() - startedAt >= options.timeoutMs,
    );
    const outcomes = await Promise.all(running);
    const elapsedSeconds = (Date.now() - startedAt) / 1000;
    const results = outcomes.map((outcome) => (outcome instanceof Error ? null : outcome));
    for (const outcome of outcomes) if (outcome instanceof Error) console.error(`[bench] concurrent CLI: ${outcome.message.slice(-2_500)}`);
    const links = await duplicateLinks(database);
    return {
      inProcess: polled.inProcess,
      http: polled.http,
      explained: polled.explained,
      runsSeen: polled.seen.size,
      polls: polled.polls,
      errors: polled.errors,
      cleanRuns: results.filter((result) => result?.ok && result.usage.exitCode === 0).length,
      runsWithDatabaseErrors: outcomes.filter((outcome) =>
        outcome instanceof Error ? DATABASE_ERROR.test(outcome.message) : DATABASE_ERROR.test(outcome.stderrTail) && !outcome.ok,
      ).length,
      records: {
        processed: results.reduce((sum, result) => sum + (result?.totals.processed ?? 0), 0),
        created: results.reduce((sum, result) => sum + (result?.totals.created ?? 0), 0),
        linked: links.linked,
        duplicateLinks: links.duplicates,
      },
      elapsedSeconds,
      outcomes: results.map((result) => ({
        status: result?.status ?? "error",
        exitCode: result?.usage.exitCode ?? -1,
        processed: result?.totals.processed ?? 0,
        created: result?.totals.created ?? 0,
        failed: result?.totals.failed ?? 0,
        elapsedSeconds: result?.elapsedSeconds ?? 0,
      })),
    };
  } finally {
    await Promise.all(running);
    loop.histogram.disable();
    await server?.stop();
    await probed.end();
    await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
    await shared.drop();
  }
}
