// Every system Ferry can talk to, by id: one explicit map, no discovery by scanning folders.
// To add a system, import its connector and add one line to `connectors`.
import type { Connector, ConnectorManifest } from "@/connectors/types";
import { pipedriveConnector } from "@/connectors/pipedrive";
import { sampleConnector } from "@/connectors/sample";
import { teamworkDeskConnector } from "@/connectors/teamwork-desk";
import { twentyConnector } from "@/connectors/twenty";

export const connectors = {
  sample: sampleConnector,
  "teamwork-desk": teamworkDeskConnector,
  twenty: twentyConnector,
  pipedrive: pipedriveConnector,
} as const;

export type ConnectorId = keyof typeof connectors;

export function isConnectorId(id: string): id is ConnectorId {
  return Object.hasOwn(connectors, id);
}

/** The connector for `id`; throws for an id Ferry does not know (a stale row, a typo in a script). */
export function getConnector(id: string): Connector<unknown> {
  if (!isConnectorId(id)) {
    throw new Error(`Unknown connector "${id}". Known connectors: ${Object.keys(connectors).join(", ")}`);
  }
  return connectors[id] as Connector<unknown>;
}

/** What the browser may know about a connector: the manifest without its zod schema. */
export type ConnectorCatalogEntry = Omit<ConnectorManifest<unknown>, "credentialSchema">;

export function connectorCatalog(): ConnectorCatalogEntry[] {
  return Object.values(connectors).map((connector) => {
    const { credentialSchema: _schema, ...entry } = connector.manifest;
    return structuredClone(entry);
  });
}
