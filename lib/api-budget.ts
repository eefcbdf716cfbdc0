// API budgets shared between processes (hosted mode, several workers on one database): every
// start a process's limiter lets through is a row of ApiTokenGrant, so the processes spending one
// budget (a Twenty workspace, whatever the key) together keep to its limit
// (connectors/shared/rate-limiter.ts SharedBudgetStore). The takers of one budget take turns
// under a transaction-scoped advisory lock on its name, so two processes cannot both take the last
// token (under READ COMMITTED both would count the same window). What a process learns about a
// budget (the live limit, the largest batch) is an ApiBudgetLearning row every process starts from.
import { shareBudgetsThrough, type LearnedLimits, type RateLimit, type SharedBudgetStore } from "@/connectors/shared/rate-limiter";
import type { Database } from "@/lib/db";

/** How long to wait for the window to free a token, or 0 once a grant was recorded at `nowMs`. */
async function takeOnce(database: Database, budget: string, limit: RateLimit, nowMs: number): Promise<number> {
  const windowStart = new Date(nowMs - limit.perMs);
  return database.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${budget}, 0))`;
    // Grants that left the window count for nobody any more.
    await tx.apiTokenGrant.deleteMany({ where: { budget, grantedAt: { lte: windowStart } } });
    const inWindow = await tx.apiTokenGrant.findMany({
      where: { budget, grantedAt: { gt: windowStart } },
      orderBy: { grantedAt: "desc" },
      take: limit.requests,
      select: { grantedAt: true },
    });
    if (inWindow.length < limit.requests) {
      await tx.apiTokenGrant.create({ data: { budget, grantedAt: new Date(nowMs) } });
      return 0;
    }
    // The slot frees when the oldest of the last `requests` grants leaves the window.
    const oldest = inWindow[inWindow.length - 1].grantedAt.getTime();
    return Math.max(1, oldest + limit.perMs - nowMs);
  });
}

/** Learned limits older than this are not trusted: a workspace's plan or its server may have changed. */
export const LEARNED_LIMITS_TTL_MS = 24 * 60 * 60_000;

async function recall(database: Database, budget: string, nowMs: number): Promise<LearnedLimits | null> {
  const row = await database.apiBudgetLearning.findUnique({ where: { budget } });
  if (!row || row.updatedAt.getTime() < nowMs - LEARNED_LIMITS_TTL_MS) return null;
  return { requests: row.requests, perMs: row.perMs, maxBatch: row.maxBatch };
}

async function remember(database: Database, budget: string, learned: LearnedLimits): Promise<void> {
  const data = Object.fromEntries(Object.entries(learned).filter(([, value]) => value !== undefined));
  await database.apiBudgetLearning.upsert({ where: { budget }, create: { budget, ...data }, update: data });
}

/** The store hosted processes share their budgets (and what they learned about them) through. */
export function databaseBudgetStore(database: Database, now: () => number = Date.now): SharedBudgetStore {
  return {
    take: (budget, limit, nowMs) => takeOnce(database, budget, limit, nowMs),
    recall: (budget) => recall(database, budget, now()),
    remember: (budget, learned) => remember(database, budget, learned),
  };
}

let sharing: Database | null = null;

/** Hosted runners (lib/jobs): from now on this process's API budgets are shared through `database`. */
export function shareApiBudgetsThrough(database: Database): void {
  if (sharing === database) return;
  sharing = database;
  shareBudgetsThrough(databaseBudgetStore(database));
}
