// ConnectorSession.remove for Teamwork Desk (rollback of demo or full runs): one DELETE per
// record (§5: `DELETE /{resource}/{id}.json`; ticket DELETE is [U], the sandbox soft-deletes).
// 404 = already gone. Agents, inboxes and settings are never removed by Ferry.
import type { HttpClient } from "@/connectors/shared/http-client";
import { ConnectorError } from "@/connectors/types";
import type { RemoveResult } from "@/connectors/types";

const REMOVABLE: Record<string, string> = { tickets: "tickets", customers: "customers", companies: "companies" };

export async function removeRecords(v2: HttpClient, objectType: string, ids: string[]): Promise<RemoveResult[]> {
  const resource = REMOVABLE[objectType];
  if (!resource) throw new ConnectorError("VALIDATION", `Ferry does not remove Teamwork Desk ${objectType}`);
  const results: RemoveResult[] = [];
  for (const id of ids) {
    if (!/^\d+$/.test(id)) {
      results.push({ id, status: "not_found", message: `"${id}" is not a Teamwork Desk id` });
      continue;
    }
    try {
      // DELETE is idempotent in effect (a second one answers 404), so the client may retry it.
      await v2.request({ method: "DELETE", path: `/${resource}/${id}.json` });
      results.push({ id, status: "removed" });
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      if (error.code === "NOT_FOUND") results.push({ id, status: "not_found" });
      else if (error.code === "AUTH_INVALID" || error.code === "PERMISSION_DENIED") throw error;
      else results.push({ id, status: "failed", message: error.message });
    }
  }
  return results;
}
