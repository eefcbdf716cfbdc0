// Many migrations on one database: N CLI runs (Sample → Twenty, each against its own Twenty
// sandbox) are started at the same moment on ONE PostgreSQL database and run to the end, while
// this process polls the progress of every running run and times each call. A poll is
// loadRunProgress — everything GET /api/runs/[runId]/progress does but decoding the session
// cookie and the HTTP round trip: the access check, runProgress and the throughput series.
// Afterwards every record is checked to be in the record map once; each CLI's own verification
// re-reads its target (found = linked, no duplicates) and is clean only if each arrived once.
import { setTimeout as sleep } from "node:timers/promises";
import { createDatabase, type Database } from "@/lib/db";
import { migrateDatabase } from "@/lib/database-setup";
import { loadRunProgress } from "@/lib/runs/progress";
import { createBenchDatabase } from "./database";
import { runMigrateCli, type CliResult } from "./migrate-cli";
import { startSandbox, type RunningSandbox } from "./processes";

export type DashboardOptions = { runs: number; scale: number; pollEveryMs: number; rateLimitPerMinute: number; timeoutMs: number };
export type DashboardResult = {
  /** Each poll while at least one run was writing. */
  latenciesMs: number[];
  /** CPU this process spent on each poll (user + system): the rest of a poll's time is waiting, for the database or for a core. */
  pollCpuMs: number[];
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

export async function measureDashboard(options: DashboardOptions): Promise<DashboardResult> {
  const shared = await createBenchDatabase();
  // Once, before the CLIs share it (each would also migrate it: they take turns on the lock).
  await migrateDatabase({ url: shared.url });
  const sandboxes: RunningSandbox[] = [];
  const database = createDatabase({ url: shared.url });
  let running: Promise<CliResult | Error>[] = [];
  try {
    for (let index = 0; index < options.runs; index += 1) sandboxes.push(await startSandbox("twenty", options.rateLimitPerMinute));
    const startedAt = Date.now();
    let finished = 0;
    running = sandboxes.map((sandbox) =>
      runMigrateCli({
        to: "twenty",
        targetUrl: sandbox.url,
        targetKey: sandbox.apiKey,
        scale: options.scale,
        clientRateLimit: options.rateLimitPerMinute,
        databaseUrl: shared.url,
        timeoutMs: options.timeoutMs,
      })
        .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
        .finally(() => (finished += 1)),
    );
    const latenciesMs: number[] = [];
    const pollCpuMs: number[] = [];
    const seen = new Set<string>();
    let errors = 0;
    let polls = 0;
    while (finished < options.runs && Date.now() - startedAt < options.timeoutMs) {
      const runIds = (await database.run.findMany({ where: { status: "running" }, select: { id: true } })).map((run) => run.id);
      for (const runId of runIds) {
        seen.add(runId);
        const pollStartedAt = performance.now();
        const cpuBefore = process.cpuUsage();
        polls += 1;
        try {
          await loadRunProgress(database, { kind: "staff" }, runId);
          latenciesMs.push(performance.now() - pollStartedAt);
          const cpu = process.cpuUsage(cpuBefore);
          pollCpuMs.push((cpu.user + cpu.system) / 1000);
        } catch {
          errors += 1;
        }
        await sleep(options.pollEveryMs);
      }
      if (runIds.length === 0) await sleep(options.pollEveryMs);
    }
    const outcomes = await Promise.all(running);
    const elapsedSeconds = (Date.now() - startedAt) / 1000;
    const results = outcomes.map((outcome) => (outcome instanceof Error ? null : outcome));
    for (const outcome of outcomes) if (outcome instanceof Error) console.error(`[bench] concurrent CLI: ${outcome.message.slice(-2_500)}`);
    const links = await duplicateLinks(database);
    return {
      latenciesMs,
      pollCpuMs,
      runsSeen: seen.size,
      polls,
      errors,
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
    await database.$disconnect();
    await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
    await shared.drop();
  }
}
