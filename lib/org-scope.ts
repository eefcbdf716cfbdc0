// The one way to read or change organization data: a Prisma client whose every query on an
// organization-owned model is confined to one organization. Pages, actions and routes get it
// from requireOrgContext(); nothing else queries those models with an unscoped client.
import type { Database } from "./db";

type QueryArgs = { where?: Record<string, unknown>; data?: unknown; create?: Record<string, unknown> };
type AllOperationsInput = { args: unknown; operation: string; query: (args: never) => Promise<unknown> };

const WRITE_DATA_OPERATIONS = new Set(["create", "createMany", "createManyAndReturn"]);

function scopeWith(filter: Record<string, unknown>, ownerField?: string) {
  return ({ args, operation, query }: AllOperationsInput) => {
    const scoped = { ...((args ?? {}) as QueryArgs) };
    if (WRITE_DATA_OPERATIONS.has(operation)) {
      if (ownerField) {
        const stamp = (row: unknown) => ({ ...(row as Record<string, unknown>), [ownerField]: filter[ownerField] });
        scoped.data = Array.isArray(scoped.data) ? scoped.data.map(stamp) : stamp(scoped.data);
      }
      return query(scoped as never);
    }
    if (operation === "upsert" && ownerField) scoped.create = { ...scoped.create, [ownerField]: filter[ownerField] };
    scoped.where = { ...scoped.where, ...filter };
    return query(scoped as never);
  };
}

export function scopedDb(database: Database, organizationId: string) {
  const direct = scopeWith({ organizationId }, "organizationId");
  const viaMigration = scopeWith({ migration: { organizationId } });
  const viaRun = scopeWith({ run: { migration: { organizationId } } });
  return database.$extends({
    name: "organization-scope",
    query: {
      membership: { $allOperations: direct },
      invite: { $allOperations: direct },
      customRole: { $allOperations: direct },
      auditEntry: { $allOperations: direct },
      connection: { $allOperations: direct },
      migration: { $allOperations: direct },
      run: { $allOperations: viaMigration },
      recordLink: { $allOperations: viaMigration },
      runObject: { $allOperations: viaRun },
      runEvent: { $allOperations: viaRun },
      settingChange: { $allOperations: viaMigration },
    },
  });
}

export type ScopedDatabase = ReturnType<typeof scopedDb>;
