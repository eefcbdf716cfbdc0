// Slows down password guessing: after FREE_FAILURES failed sign-ins from one address, each
// further attempt waits twice as long as the one before, up to MAX_BLOCK_MS.
import type { Database } from "../db";

export const FREE_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60_000;
const FIRST_BLOCK_MS = 2_000;
const MAX_BLOCK_MS = 15 * 60_000;

export function blockDurationMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_BLOCK_MS, FIRST_BLOCK_MS * 2 ** (failures - FREE_FAILURES));
}

export async function secondsUntilAllowed(database: Database, key: string, now = new Date()): Promise<number> {
  const row = await database.signInThrottle.findUnique({ where: { key } });
  if (!row?.blockedTill || row.blockedTill <= now) return 0;
  return Math.ceil((row.blockedTill.getTime() - now.getTime()) / 1000);
}

/**
 * Counts one failure. The row is created if missing, then locked (FOR UPDATE) for the
 * read-and-write, so guesses sent in parallel are each counted (a plain read then write would
 * let them overwrite each other's count and slip past the block).
 */
export async function recordFailure(database: Database, key: string, now = new Date()): Promise<void> {
  await database.$transaction(async (transaction) => {
    await transaction.$executeRaw`INSERT INTO "SignInThrottle" ("key", "failures", "lastFailure") VALUES (${key}, 0, ${now}) ON CONFLICT ("key") DO NOTHING`;
    const [row] = await transaction.$queryRaw<{ failures: number; lastFailure: Date }[]>`
      SELECT "failures", "lastFailure" FROM "SignInThrottle" WHERE "key" = ${key} FOR UPDATE`;
    const stale = row.failures === 0 || now.getTime() - row.lastFailure.getTime() > FAILURE_WINDOW_MS;
    const failures = stale ? 1 : row.failures + 1;
    const blockMs = blockDurationMs(failures);
    const blockedTill = blockMs > 0 ? new Date(now.getTime() + blockMs) : null;
    await transaction.signInThrottle.update({ where: { key }, data: { failures, lastFailure: now, blockedTill } });
  });
}

export async function clearFailures(database: Database, key: string): Promise<void> {
  await database.signInThrottle.deleteMany({ where: { key } });
}
