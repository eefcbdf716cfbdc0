// Connector sessions for a run. The default opens the migration's stored connections (decrypted
// on the server, lib/connections.ts); runners and tests may pass their own resolver (for example
// sessions with shorter timeouts). A run's sessions and schemas are reused by its next slices in
// the same process (runSessionCache) until a connection changes, a slice fails, or they age out.
import { getConnector } from "@/connectors/registry";
import type { ConnectorSession, ObjectTypeDescription, SchemaDescription } from "@/connectors/types";
import { openConnection } from "@/lib/connections";
import type { Database } from "@/lib/db";
import { SideTraffic } from "./traffic";

export type SessionResolver = (connectionId: string, organizationId: string) => Promise<ConnectorSession>;

const defaultResolvers = new WeakMap<Database, SessionResolver>();

/** One resolver per database, so sessions cached for it are found again by the next slice. */
export function defaultSessionResolver(database: Database): SessionResolver {
  let resolver = defaultResolvers.get(database);
  if (!resolver) {
    resolver = (connectionId, organizationId) => openConnection(database, organizationId, connectionId);
    defaultResolvers.set(database, resolver);
  }
  return resolver;
}

/** sourceIdField: the field the system's objects hold each record's source id in (ConnectorManifest.sourceIdField); absent: none. */
export type SystemInfo = {
  id: string;
  name: string;
  maxBatchSize: number;
  rateLimit: { requests: number; perMs: number } | null;
  sourceIdField?: string;
};

export function systemInfo(systemId: string): SystemInfo {
  try {
    const manifest = getConnector(systemId).manifest;
    return { id: systemId, name: manifest.name, maxBatchSize: manifest.maxBatchSize, rateLimit: manifest.rateLimit, sourceIdField: manifest.sourceIdField };
  } catch {
    return { id: systemId, name: systemId, maxBatchSize: 50, rateLimit: null };
  }
}

/** A session with its describe() loaded once. */
export class SideSession {
  private schema: Promise<SchemaDescription> | null = null;

  constructor(
    readonly session: ConnectorSession,
    readonly system: SystemInfo,
    /** What the session's requests cost the run (observed through the session). */
    readonly traffic: SideTraffic = new SideTraffic(() => undefined),
  ) {}

  describe(): Promise<SchemaDescription> {
    this.schema ??= this.session.describe().catch((error: unknown) => {
      this.schema = null;
      throw error;
    });
    return this.schema;
  }

  async object(key: string): Promise<ObjectTypeDescription | undefined> {
    return (await this.describe()).objectTypes.find((object) => object.key === key);
  }
}

export type RunSessions = { source: SideSession; target: SideSession };

/** Sessions older than this are reopened, so a schema changed behind a running run is seen again. */
export const SESSION_REUSE_MS = 5 * 60_000;

type CachedSessions = { stamp: string; openedAt: number; sessions: RunSessions };

/**
 * A run's open sessions, kept between its slices in this process. Reopening them every slice
 * (a slice is ~5 s) re-read the target's metadata each time: at Twenty's 100 requests a minute
 * that was a share of the budget spent on describe() instead of records. Keyed by the resolver
 * (tests and the CLI bring their own) and the run; `stamp` holds the connections' updatedAt, so a
 * changed API key or address opens new sessions.
 */
class RunSessionCache {
  private readonly byResolver = new WeakMap<SessionResolver, Map<string, CachedSessions>>();

  async get(resolver: SessionResolver, runId: string, stamp: string, open: () => Promise<RunSessions>): Promise<RunSessions> {
    let runs = this.byResolver.get(resolver);
    if (!runs) {
      runs = new Map();
      this.byResolver.set(resolver, runs);
    }
    const now = Date.now();
    for (const [key, entry] of runs) if (now - entry.openedAt > SESSION_REUSE_MS) runs.delete(key);
    const cached = runs.get(runId);
    if (cached && cached.stamp === stamp) return cached.sessions;
    const sessions = await open();
    runs.set(runId, { stamp, openedAt: now, sessions });
    return sessions;
  }

  /** After a failed slice or at the end of a run: the next slice starts from fresh sessions. */
  forget(runId: string, resolver: SessionResolver): void {
    this.byResolver.get(resolver)?.delete(runId);
  }
}

export const runSessionCache = new RunSessionCache();
