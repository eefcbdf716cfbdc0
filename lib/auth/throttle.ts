// Attempt windows against password guessing and sign-up floods: at most `attempts` tries per key
// in a fixed window that starts with the first try. Counting is one conditional UPDATE, so
// parallel tries can never overshoot the limit; tries refused while a window is full do not
// count, so every window ends on time and nobody can keep an address or account locked by trying.
import type { Database } from "../db";

export type AttemptLimit = { attempts: number; windowMs: number };
export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const MAX_ROUNDS = 5;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

async function openWindow(database: Database, key: string, now: Date): Promise<boolean> {
  try {
    await database.rateLimitWindow.create({ data: { key, attempts: 1, windowStart: now } });
    return true;
  } catch (error) {
    // Another try opened it first: count against theirs.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Counts one attempt against `key`, or refuses it (uncounted) while the key's window is full. */
export async function takeAttempt(database: Database, key: string, limit: AttemptLimit, now = new Date()): Promise<AttemptVerdict> {
  const openAfter = new Date(now.getTime() - limit.windowMs);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const counted = await database.rateLimitWindow.updateMany({
      where: { key, windowStart: { gt: openAfter }, attempts: { lt: limit.attempts } },
      data: { attempts: { increment: 1 } },
    });
    if (counted.count === 1) return { allowed: true };
    const restarted = await database.rateLimitWindow.updateMany({ where: { key, windowStart: { lte: openAfter } }, data: { attempts: 1, windowStart: now } });
    if (restarted.count === 1) return { allowed: true };
    const window = await database.rateLimitWindow.findUnique({ where: { key }, select: { attempts: true, windowStart: true } });
    if (window && window.attempts >= limit.attempts && window.windowStart > openAfter) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.windowStart.getTime() + limit.windowMs - now.getTime()) / 1000)) };
    }
    if (!window && (await openWindow(database, key, now))) return { allowed: true };
  }
  // Only under extreme contention: refusing is safer than letting an uncounted attempt through.
  return { allowed: false, retryAfterSeconds: 1 };
}

/** Takes back one attempt (a sign-in that succeeded does not count against its address). */
export async function giveBackAttempt(database: Database, key: string): Promise<void> {
  await database.rateLimitWindow.updateMany({ where: { key, attempts: { gt: 0 } }, data: { attempts: { decrement: 1 } } });
}

export async function clearAttempts(database: Database, key: string): Promise<void> {
  await database.rateLimitWindow.deleteMany({ where: { key } });
}

/** "Try again in 14 minutes" / "in 40 seconds". */
export function retryAfterText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
