// Runs `scripts/migrate.ts` (the CLI) as its own process against a sandbox, with a fresh
// database (bench/lib/database.ts), and returns its JSON summary plus its own CPU time and peak RSS (usage-preload.ts).
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createBenchDatabase, serverCpuSeconds } from "./database";
import { REPO_ROOT, spawnTsx, stopChild } from "./processes";

export type CliUsage = {
  exitCode: number;
  wallMs: number;
  userCpuMs: number;
  systemCpuMs: number;
  maxRssKb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
};
export type CliTotals = { total: number; processed: number; created: number; updated: number; skipped: number; failed: number };
export type CliResult = {
  ok: boolean;
  status: string;
  /** The CLI's own clock: from the first slice to the end of verification. */
  elapsedSeconds: number;
  totals: CliTotals;
  usage: CliUsage;
  /** Wall time of the whole process, including schema migration and plan building. */
  processWallMs: number;
  /**
   * RSS sampled every second from /proc: peak while records were being written (until the
   * progress line first shows every record processed) and after it (verification re-reads the
   * target), in MB. The exact peak over the whole process is usage.maxRssKb.
   */
  rssMb: { migrating: number; verifying: number };
  /** Seconds from the first progress line to the one that first shows every record processed. */
  writeSeconds: number | null;
  stderrTail: string;
  /** CPU seconds the embedded PostgreSQL spent during the run (its own processes); null when not measurable. */
  databaseCpuSeconds: number | null;
  /**
   * The ETA the progress line showed when a quarter of the records was processed, against what
   * followed: seconds until every record was processed, and until the process ended (verification
   * included). Null when no line showed an ETA past 25 %.
   */
  etaAtQuarter: { shownSeconds: number; untilAllProcessedSeconds: number | null; untilEndSeconds: number } | null;
};

function etaAtQuarter(quarter: { atMs: number; shownSeconds: number } | null, allProcessedAtMs: number | null, endedAtMs: number): CliResult["etaAtQuarter"] {
  if (!quarter) return null;
  return {
    shownSeconds: quarter.shownSeconds,
    untilAllProcessedSeconds: allProcessedAtMs === null ? null : (allProcessedAtMs - quarter.atMs) / 1000,
    untilEndSeconds: (endedAtMs - quarter.atMs) / 1000,
  };
}

/** The CLI's formatSeconds back to seconds: "45s", "3m05s", "1h02m". */
function parseDuration(text: string): number | null {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === "") return null;
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

export type CliRunOptions = {
  to: "twenty" | "teamwork-desk";
  targetUrl: string;
  targetKey: string;
  scale: number;
  /** Twenty only: requests per minute this process allows itself (0 = off). */
  clientRateLimit?: number;
  clientRateWindowMs?: number;
  /** A database shared with others (the concurrency benchmark); default a fresh one. */
  databaseUrl?: string;
  timeoutMs: number;
  nodeFlags?: string[];
  env?: Record<string, string>;
  onStarted?: (pid: number) => void;
  /** Runs the CLI at this lower CPU priority (`nice -n`): a worker beside a web server. */
  niceness?: number;
};

const USAGE_PRELOAD = "./bench/lib/usage-preload.ts";
/** The node flags `npm run migrate` gives the CLI (package.json), so the benchmark measures what users run. */
const MIGRATE_SCRIPT_FLAGS: string[] =
  (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.migrate.match(
    /--max-old-space-size=\d+/g,
  ) ?? [];
const RSS_SAMPLE_MS = 1_000;

export function tempDirectory(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `ferry-bench-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function runMigrateCli(options: CliRunOptions): Promise<CliResult> {
  const temp = tempDirectory("cli");
  const usageFile = path.join(temp.dir, "usage.json");
  const own = options.databaseUrl ? null : await createBenchDatabase();
  const databaseUrl = options.databaseUrl ?? own!.url;
  const args = [
    "scripts/migrate.ts",
    "--from",
    "sample",
    "--to",
    options.to,
    // Teamwork Desk takes its address as the site (a full URL is accepted).
    ...(options.to === "teamwork-desk" ? ["--target-site", options.targetUrl] : ["--target-url", options.targetUrl]),
    "--target-key",
    options.targetKey,
    "--mode",
    "full",
    "--sample-scale",
    String(options.scale),
    "--apply-fixes",
    "--json",
    "--database",
    databaseUrl,
    ...(options.clientRateLimit !== undefined ? ["--client-rate-limit", String(options.clientRateLimit)] : []),
    ...(options.clientRateWindowMs !== undefined ? ["--client-rate-window-ms", String(options.clientRateWindowMs)] : []),
  ];
  const startedAt = Date.now();
  const databaseCpuBefore = options.databaseUrl ? null : await serverCpuSeconds();
  const child = spawnTsx(args, {
    preload: [USAGE_PRELOAD],
    nodeFlags: [...MIGRATE_SCRIPT_FLAGS, ...(options.nodeFlags ?? [])],
    env: { FERRY_BENCH_USAGE_FILE: usageFile, ALLOW_PRIVATE_CONNECTION_URLS: "1", ...options.env },
    niceness: options.niceness,
  });
  if (child.pid) options.onStarted?.(child.pid);
  let stdout = "";
  let stderr = "";
  // Phase split for RSS: "total N/N" in a progress line means every record is processed.
  let firstProgressAtMs: number | null = null;
  let allProcessedAtMs: number | null = null;
  const seen: { quarter: { atMs: number; shownSeconds: number } | null } = { quarter: null };
  const rss = { migrating: 0, verifying: 0 };
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const phase = allProcessedAtMs === null ? "migrating" : "verifying";
      rss[phase] = Math.max(rss[phase], kb / 1024);
    } catch {
      // the process has exited
    }
  }, RSS_SAMPLE_MS);
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    stderr += text;
    for (const match of text.matchAll(/ · total (\d+)\/(\d+) .*? · ETA ([0-9hms?]+)/g)) {
      firstProgressAtMs ??= Date.now();
      if (allProcessedAtMs === null && match[1] === match[2] && Number(match[2]) > 0) allProcessedAtMs = Date.now();
      const shown = parseDuration(match[3]);
      if (seen.quarter === null && shown !== null && Number(match[2]) > 0 && Number(match[1]) >= Number(match[2]) / 4)
        seen.quarter = { atMs: Date.now(), shownSeconds: shown };
    }
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  const timer = setTimeout(() => void stopChild(child), options.timeoutMs);
  try {
    await once(child, "exit");
    clearTimeout(timer);
    clearInterval(sampler);
    const processWallMs = Date.now() - startedAt;
    await own?.drop();
    const databaseCpuAfter = databaseCpuBefore === null ? null : await serverCpuSeconds();
    const databaseCpuSeconds = databaseCpuBefore === null || databaseCpuAfter === null ? null : Math.round((databaseCpuAfter - databaseCpuBefore) * 100) / 100;
    const usage = JSON.parse(readFileSync(usageFile, "utf8")) as CliUsage;
    const summaryLine = stdout
      .trim()
      .split("\n")
      .findLast((line) => line.startsWith("{"));
    if (!summaryLine) throw new Error(`The CLI printed no summary (exit ${child.exitCode}, signal ${child.signalCode}):\n${stderr.slice(-3_000)}`);
    const summary = JSON.parse(summaryLine) as { ok: boolean; status: string; elapsedSeconds: number; totals: CliTotals };
    return {
      ok: summary.ok,
      status: summary.status,
      elapsedSeconds: summary.elapsedSeconds,
      totals: summary.totals,
      usage,
      processWallMs,
      rssMb: { migrating: Math.round(rss.migrating), verifying: Math.round(rss.verifying) },
      writeSeconds: firstProgressAtMs !== null && allProcessedAtMs !== null ? (allProcessedAtMs - firstProgressAtMs) / 1000 + 1 : null,
      stderrTail: stderr.slice(-2_000),
      databaseCpuSeconds,
      etaAtQuarter: etaAtQuarter(seen.quarter, allProcessedAtMs, startedAt + processWallMs),
    };
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
    temp.remove();
    await own?.drop();
  }
}
