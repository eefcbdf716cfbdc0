// Connector sessions for a run. The default opens the migration's stored connections (decrypted
// on the server, lib/connections.ts); runners and tests may pass their own resolver (for example
// sessions with shorter timeouts). Sessions and schemas are opened once per slice.
import { getConnector } from "@/connectors/registry";
import type { ConnectorSession, ObjectTypeDescription, SchemaDescription } from "@/connectors/types";
import { openConnection } from "@/lib/connections";
import type { Database } from "@/lib/db";

export type SessionResolver = (connectionId: string, organizationId: string) => Promise<ConnectorSession>;

export function defaultSessionResolver(database: Database): SessionResolver {
  return (connectionId, organizationId) => openConnection(database, organizationId, connectionId);
}

export type SystemInfo = { id: string; name: string; maxBatchSize: number };

export function systemInfo(systemId: string): SystemInfo {
  try {
    const manifest = getConnector(systemId).manifest;
    return { id: systemId, name: manifest.name, maxBatchSize: manifest.maxBatchSize };
  } catch {
    return { id: systemId, name: systemId, maxBatchSize: 50 };
  }
}

/** A session with its describe() loaded once. */
export class SideSession {
  private schema: Promise<SchemaDescription> | null = null;

  constructor(
    readonly session: ConnectorSession,
    readonly system: SystemInfo,
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
