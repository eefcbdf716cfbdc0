// ConnectorSession.remove for Pipedrive (rollback of demo or full runs): one DELETE per record
// (reference §7: v2 marks deleted, purged after 30 days; v1 notes are removed). 404: already gone.
import type { HttpClient } from "@/connectors/shared/http-client";
import { ConnectorError } from "@/connectors/types";
import type { RemoveResult } from "@/connectors/types";
import { pathOf } from "./api";
import { resourceOf } from "./reader";

export async function removeRecords(client: HttpClient, objectType: string, ids: string[]): Promise<RemoveResult[]> {
  const resource = resourceOf(objectType);
  const results: RemoveResult[] = [];
  for (const id of ids) {
    if (!/^\d+$/.test(id)) {
      results.push({ id, status: "not_found", message: `"${id}" is not a Pipedrive id` });
      continue;
    }
    try {
      await client.request({ method: "DELETE", path: pathOf(resource, id) });
      results.push({ id, status: "removed" });
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      if (error.code === "NOT_FOUND") results.push({ id, status: "not_found" });
      // A key that stopped working, or a wait: the whole rollback waits or pauses, no record is given up.
      else if (["AUTH_INVALID", "PERMISSION_DENIED", "RATE_LIMITED", "TEMPORARY"].includes(error.code)) throw error;
      else results.push({ id, status: "failed", message: error.message });
    }
  }
  return results;
}
