// Small database helpers for the engine: SQLite's write lock (libSQL sets busy_timeout to 0, and
// the runner, the dashboard and the CLI may share one file) and JSON columns parsed with zod.
import type { z } from "zod";

/**
 * How long an operation keeps retrying SQLite's write lock. Ten runs committing to one file (the
 * dashboard benchmark) starved some writers past the former ~5 s (60 attempts) and failed runs;
 * a commit holds the lock for milliseconds, so waiting longer only costs time under contention.
 */
const BUSY_RETRY_BUDGET_MS = 60_000;
const BUSY_RETRY_BASE_MS = 5;

export function isDatabaseBusy(error: unknown): boolean {
  if (!(error instanceof Error)) return /SQLITE_BUSY|database is locked/i.test(String(error));
  // Outside a transaction Prisma reports the lock as P1008 with the driver's words only in `meta`.
  const { cause, meta } = error as { cause?: unknown; meta?: unknown };
  const text = `${error.message} ${String(cause ?? "")} ${meta === undefined ? "" : JSON.stringify(meta)}`;
  if (/SQLITE_BUSY|database is locked/i.test(text)) return true;
  // SQLite's extended busy codes (BUSY_RECOVERY 261, BUSY_SNAPSHOT 517, BUSY_TIMEOUT 773) share
  // the primary code 5; the driver passes only the number for some of them.
  const code = /"originalCode":"(\d+)"/.exec(text)?.[1];
  return code !== undefined && (Number(code) & 0xff) === 5;
}

/** Retries an operation while another connection holds SQLite's write lock. */
export async function withBusyRetry<T>(operation: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + BUSY_RETRY_BUDGET_MS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!isDatabaseBusy(error) || Date.now() >= giveUpAt) throw error;
      const delayMs = BUSY_RETRY_BASE_MS * Math.min(attempt, 20) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** Parses a JSON column; a corrupt or missing value gives `fallback` instead of throwing mid-run. */
export function parseJsonColumn<T>(text: string | null | undefined, schema: z.ZodType<T>, fallback: T): T {
  if (!text) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}
