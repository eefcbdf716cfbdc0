// Where the time of one progress poll goes: the queries it sends and how many times it waits for
// the database (round trips: stretches with at least one query in flight), and for each process
// involved its CPU and the time it spent runnable but waiting for a core (/proc/…/schedstat:
// "time on CPU, time waiting on a run queue, time slices", in ns, per thread).
import fs from "node:fs";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { Database } from "@/lib/db";

export type SchedTimes = { cpuMs: number; waitMs: number };

/**
 * CPU and run-queue wait of `pid` (0s when it is gone): its main thread, where JavaScript runs, or
 * every thread (GC and libuv helpers too; their waits overlap, so they can add up beyond wall time).
 */
export function schedTimes(pid: number, threads: "main" | "all" = "all"): SchedTimes {
  let cpuNs = 0;
  let waitNs = 0;
  let tasks: string[] = [];
  try {
    tasks = threads === "main" ? [String(pid)] : fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return { cpuMs: 0, waitMs: 0 };
  }
  for (const task of tasks) {
    try {
      const [cpu, wait] = fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").trim().split(" ").map(Number);
      cpuNs += cpu;
      waitNs += wait;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { cpuMs: cpuNs / 1e6, waitMs: waitNs / 1e6 };
}

export function sumSchedTimes(pids: Iterable<number>): SchedTimes {
  const total = { cpuMs: 0, waitMs: 0 };
  for (const pid of pids) {
    const times = schedTimes(pid);
    total.cpuMs += times.cpuMs;
    total.waitMs += times.waitMs;
  }
  return total;
}

export const schedDelta = (after: SchedTimes, before: SchedTimes): SchedTimes => ({ cpuMs: after.cpuMs - before.cpuMs, waitMs: after.waitMs - before.waitMs });

export type CapturedQuery = { text: string; values: unknown[]; ms: number };

/** A Prisma client on a pg pool whose queries are timed and counted, and whose backends' pids are known. */
export type ProbedDatabase = {
  database: Database;
  backendPids: Set<number>;
  /** Starts a fresh record; `finish` returns the queries since and the number of round trips. */
  start(): void;
  finish(): { queries: CapturedQuery[]; roundTrips: number };
  end(): Promise<void>;
};

type QueryConfig = { text: string; values?: unknown[] };

export function probedDatabase(url: string): ProbedDatabase {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const backendPids = new Set<number>();
  let queries: CapturedQuery[] = [];
  let inFlight = 0;
  let roundTrips = 0;
  pool.on("connect", (client) => {
    const withPid = client as pg.PoolClient & { processID?: number };
    if (withPid.processID) backendPids.add(withPid.processID);
    const original = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
      const config = (typeof args[0] === "string" ? { text: args[0], values: args[1] } : args[0]) as QueryConfig;
      if (inFlight === 0) roundTrips += 1;
      inFlight += 1;
      const startedAt = performance.now();
      try {
        return await original(...args);
      } finally {
        inFlight -= 1;
        queries.push({ text: config.text, values: config.values ?? [], ms: performance.now() - startedAt });
      }
    };
  });
  const database = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    database,
    backendPids,
    start() {
      queries = [];
      roundTrips = 0;
    },
    finish: () => ({ queries, roundTrips }),
    end: async () => {
      await database.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

/** The event loop's delay over one poll (max), 1 ms resolution. */
export function eventLoopDelay(): { histogram: IntervalHistogram; maxMs(): number } {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return { histogram, maxMs: () => histogram.max / 1e6 };
}

export type ExplainedQuery = { query: string; planningMs: number; executionMs: number; sharedHit: number; sharedRead: number; clientMs: number };

type ExplainPlan = { "Planning Time": number; "Execution Time": number; Plan: { "Shared Hit Blocks"?: number; "Shared Read Blocks"?: number } };

/** EXPLAIN (ANALYZE, BUFFERS) of each captured query, on the loaded database as it is now: the server's own time. */
export async function explainQueries(url: string, queries: CapturedQuery[]): Promise<ExplainedQuery[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const explained: ExplainedQuery[] = [];
    for (const query of queries) {
      if (!/^\s*SELECT/i.test(query.text)) continue;
      // Twice: a new connection's first plan reads the catalog into its caches; the poller's connections are warm.
      const explain = () => client.query<{ "QUERY PLAN": ExplainPlan[] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query.text}`, query.values);
      await explain();
      const [plan] = (await explain()).rows[0]["QUERY PLAN"];
      explained.push({
        query: query.text.replace(/\s+/g, " ").slice(0, 160),
        planningMs: plan["Planning Time"],
        executionMs: plan["Execution Time"],
        sharedHit: plan.Plan["Shared Hit Blocks"] ?? 0,
        sharedRead: plan.Plan["Shared Read Blocks"] ?? 0,
        clientMs: query.ms,
      });
    }
    return explained;
  } finally {
    await client.end();
  }
}
