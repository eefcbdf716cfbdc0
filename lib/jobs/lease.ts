// Leases on runs: whoever holds a live lease on a run is the only worker allowed to call
// runSlice for it, and at most one run per target connection is leased at a time (the target's
// rate limit is shared by every run writing to it). Every transition is one conditional
// statement, so workers in different processes racing on the same database cannot both win.
import { Prisma } from "@/lib/generated/prisma/client";
import type { Database } from "@/lib/db";
import { withConflictRetry } from "@/lib/migration/database";
import { WORKABLE_STATUSES } from "@/lib/migration/engine";

/** pg_advisory_xact_lock key that makes run claims take turns ("ferry-claim" as one bigint). */
const CLAIM_LOCK_KEY = 4_607_235_011_976_348n;

/** How long a lease lives without a heartbeat; a crashed worker's runs are taken over after this. */
export const LEASE_MS = 30_000;

/** Statuses a worker drives forward with runSlice (the engine's list); every other status waits for a person. */
export const WORKABLE_RUN_STATUSES: readonly string[] = WORKABLE_STATUSES;

export type ClaimedRun = { runId: string; migrationId: string; leaseExpiresAt: Date };

export type LeaseClock = { now?: Date; leaseMs?: number };

export function isWorkableStatus(status: string): boolean {
  return WORKABLE_RUN_STATUSES.includes(status);
}

/**
 * Claims the oldest workable run whose lease is free or expired and whose target connection has
 * no other live lease. With `runId`, claims that run only (and re-claims it if `owner` already
 * holds it: a retried Inngest step after a crash). Returns null when nothing could be claimed.
 */
export async function claimRun(
  database: Database,
  options: { owner: string; runId?: string; excludeRunIds?: string[] } & LeaseClock,
): Promise<ClaimedRun | null> {
  const now = options.now ?? new Date();
  const expires = new Date(now.getTime() + (options.leaseMs ?? LEASE_MS));
  const onlyRun = options.runId ? Prisma.sql`AND r."id" = ${options.runId}` : Prisma.empty;
  const exclude = options.excludeRunIds?.length ? Prisma.sql`AND r."id" NOT IN (${Prisma.join(options.excludeRunIds)})` : Prisma.empty;
  const ownLease = options.runId ? Prisma.sql`OR r."leaseOwner" = ${options.owner}` : Prisma.empty;
  // Claims take turns (a transaction-scoped advisory lock): under READ COMMITTED two claimers
  // evaluating the subquery at once could both pick runs of one target connection, or both
  // take the same run, since PostgreSQL re-checks only the outer WHERE on a row another claimer
  // just updated. Each claim is one short statement, so the turn lasts milliseconds.
  const rows = await withConflictRetry(() =>
    database.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`);
      return tx.$queryRaw<{ id: string; migrationId: string }[]>`
      UPDATE "Run"
      SET "leaseOwner" = ${options.owner}, "leaseExpiresAt" = ${expires}, "heartbeatAt" = ${now}
      WHERE "id" = (
        SELECT r."id" FROM "Run" r
        JOIN "Migration" m ON m."id" = r."migrationId"
        WHERE r."status" IN (${Prisma.join([...WORKABLE_RUN_STATUSES])})
          AND (r."leaseOwner" IS NULL OR r."leaseExpiresAt" IS NULL OR r."leaseExpiresAt" <= ${now} ${ownLease})
          ${onlyRun}
          ${exclude}
          AND NOT EXISTS (
            SELECT 1 FROM "Run" o
            JOIN "Migration" om ON om."id" = o."migrationId"
            WHERE om."targetConnectionId" = m."targetConnectionId"
              AND o."id" <> r."id"
              AND o."leaseOwner" IS NOT NULL
              AND o."leaseExpiresAt" > ${now}
          )
        ORDER BY r."createdAt" ASC, r."id" ASC
        LIMIT 1
      )
      RETURNING "id", "migrationId"`;
    }),
  );
  const row = rows[0];
  return row ? { runId: row.id, migrationId: row.migrationId, leaseExpiresAt: expires } : null;
}

/** Heartbeat: extends the lease only while `owner` still holds it. False means the run was taken over. */
export async function renewLease(database: Database, options: { runId: string; owner: string } & LeaseClock): Promise<boolean> {
  const now = options.now ?? new Date();
  const { count } = await withConflictRetry(() =>
    database.run.updateMany({
      where: { id: options.runId, leaseOwner: options.owner },
      data: { leaseExpiresAt: new Date(now.getTime() + (options.leaseMs ?? LEASE_MS)), heartbeatAt: now },
    }),
  );
  return count === 1;
}

/** Gives the run back (done, paused, stopping); a no-op when someone else holds it by now. */
export async function releaseLease(database: Database, options: { runId: string; owner: string }): Promise<boolean> {
  const { count } = await withConflictRetry(() =>
    database.run.updateMany({
      where: { id: options.runId, leaseOwner: options.owner },
      data: { leaseOwner: null, leaseExpiresAt: null },
    }),
  );
  return count === 1;
}
