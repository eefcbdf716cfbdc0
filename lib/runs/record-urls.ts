// Where a user can open a migrated record in the target system's own web app, when Ferry knows it:
// each connector says how (Connector.recordUrl); anything else (or an unknown host) gives null
// and the page shows the ids instead.
import { getConnector, isConnectorId } from "@/connectors/registry";

export function targetRecordUrl(target: { systemId: string; baseUrl: string | null } | null, objectType: string, targetId: string | null): string | null {
  if (!target || !targetId || !target.baseUrl || !isConnectorId(target.systemId)) return null;
  const recordUrl = getConnector(target.systemId).recordUrl;
  if (!recordUrl) return null;
  let base: URL;
  try {
    base = new URL(target.baseUrl);
  } catch {
    return null;
  }
  return recordUrl(base, objectType, targetId);
}
