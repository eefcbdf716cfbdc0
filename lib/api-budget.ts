// API budgets shared between processes (hosted mode, several workers on one database): every
// start a process's limiter lets through is a row of ApiTokenGrant, so the processes spending one
// budget (a Twenty workspace, whatever the key) together keep to its limit
// (connectors/shared/rate-limiter.ts SharedBudgetStore). Portable Prisma only: a serializable
// transaction counts the window and adds the grant, so two processes cannot both take the last
// token; a write conflict is simply asked again.
import { shareBudgetsThrough, type RateLimit, type SharedBudgetStore } from "@/connectors/shared/rate-limiter";
import type { Database } from "@/lib/db";

const CONFLICT_ATTEMPTS = 5;

/** How long to wait for the window to free a token, or 0 once a grant was recorded at `nowMs`. */
async function takeOnce(database: Database, budget: string, limit: RateLimit, nowMs: number): Promise<number> {
  const windowStart = new Date(nowMs - limit.perMs);
  return database.$transaction(
    async (tx) => {
      // Grants that left the window count for nobody any more.
      await tx.apiTokenGrant.deleteMany({ where: { budget, grantedAt: { lte: windowStart } } });
      const inWindow = await tx.apiTokenGrant.findMany({ where: { budget, grantedAt: { gt: windowStart } }, orderBy: { grantedAt: "desc" }, take: limit.requests, select: { grantedAt: true } });
      if (inWindow.length < limit.requests) {
        await tx.apiTokenGrant.create({ data: { budget, grantedAt: new Date(nowMs) } });
        return 0;
      }
      // The slot frees when the oldest of the last `requests` grants leaves the window.
      const oldest = inWindow[inWindow.length - 1].grantedAt.getTime();
      return Math.max(1, oldest + limit.perMs - nowMs);
    },
    { isolationLevel: "Serializable" },
  );
}

/** The store hosted processes share their budgets through. */
export function databaseBudgetStore(database: Database): SharedBudgetStore {
  return {
    async take(budget, limit, nowMs) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await takeOnce(database, budget, limit, nowMs);
        } catch (error) {
          // P2034: another process's transaction won the row; count again.
          const code = (error as { code?: unknown }).code;
          if (code !== "P2034" || attempt >= CONFLICT_ATTEMPTS) throw error;
        }
      }
    },
  };
}

let sharing: Database | null = null;

/** Hosted runners (lib/jobs): from now on this process's API budgets are shared through `database`. */
export function shareApiBudgetsThrough(database: Database): void {
  if (sharing === database) return;
  sharing = database;
  shareBudgetsThrough(databaseBudgetStore(database));
}
