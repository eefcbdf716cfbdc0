// Small database helpers for the engine: retrying a transaction PostgreSQL aborted to settle a
// conflict between concurrent ones (a deadlock, a serialization failure), and JSON columns parsed with zod.
import type { z } from "zod";

/**
 * How long an operation keeps retrying. PostgreSQL aborts one of two deadlocked transactions
 * after deadlock_timeout (1 s); the retry then finds the other one committed.
 */
const CONFLICT_RETRY_BUDGET_MS = 30_000;
const CONFLICT_RETRY_BASE_MS = 5;

/** SQLSTATE 40P01 deadlock_detected and 40001 serialization_failure (Prisma's P2034): safe to run again. */
export function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return /deadlock detected|could not serialize access/i.test(String(error));
  const { code, cause, meta } = error as { code?: unknown; cause?: unknown; meta?: unknown };
  if (code === "P2034" || code === "40P01" || code === "40001") return true;
  const text = `${error.message} ${String(cause ?? "")} ${meta === undefined ? "" : JSON.stringify(meta)}`;
  return /deadlock detected|could not serialize access|"code":"40P01"|"code":"40001"|TransactionWriteConflict/i.test(text);
}

/** Runs an operation again (with jittered backoff) when PostgreSQL aborted it to resolve a conflict. */
export async function withConflictRetry<T>(operation: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + CONFLICT_RETRY_BUDGET_MS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransactionConflict(error) || Date.now() >= giveUpAt) throw error;
      const delayMs = CONFLICT_RETRY_BASE_MS * Math.min(attempt, 20) * (0.5 + Math.random());
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
