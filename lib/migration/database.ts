// Small database helpers for the engine: SQLite's write lock (libSQL sets busy_timeout to 0, and
// the runner, the dashboard and the CLI may share one file) and JSON columns parsed with zod.
import type { z } from "zod";

const BUSY_RETRY_ATTEMPTS = 60;
const BUSY_RETRY_BASE_MS = 5;

export function isDatabaseBusy(error: unknown): boolean {
  if (!(error instanceof Error)) return /SQLITE_BUSY|database is locked/i.test(String(error));
  // Outside a transaction Prisma reports the lock as P1008 with the driver's words only in `meta`.
  const { cause, meta } = error as { cause?: unknown; meta?: unknown };
  const text = `${error.message} ${String(cause ?? "")} ${meta === undefined ? "" : JSON.stringify(meta)}`;
  return /SQLITE_BUSY|database is locked/i.test(text);
}

/** Retries an operation while another connection holds SQLite's write lock. */
export async function withBusyRetry<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!isDatabaseBusy(error) || attempt >= BUSY_RETRY_ATTEMPTS) throw error;
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
