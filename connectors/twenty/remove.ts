// ConnectorSession.remove for Twenty (rollback of demo or full runs). Twenty's DELETE destroys
// (hard delete) unless ?soft_delete=true (reference §2), so rolled-back rows do not linger in
// "Deleted" views nor keep holding their unique emails/domains (§6.3).
import { chunks } from "@/connectors/shared/chunks";
import type { HttpClient } from "@/connectors/shared/http-client";
import { ConnectorError } from "@/connectors/types";
import type { RemoveResult } from "@/connectors/types";
import { fetchAllRecords } from "./api";
import { inFilter } from "./filters";
import { UUID_PATTERN } from "./mappers/record";
import type { TwentyTargetLinkModel } from "./metadata";

/** §2: bulk delete by filter is capped by MUTATION_MAXIMUM_AFFECTED_RECORDS (100); Ferry stays under it. */
const IDS_PER_DELETE = 60;

/** Destroys `ids`; one DELETE with an id filter, falling back to one DELETE per id on builds without bulk delete. */
async function destroy(client: HttpClient, plural: string, ids: string[]): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  if (ids.length === 0) return failures;
  try {
    // §2: DELETE /rest/{plural}?filter=… (filter mandatory), hard delete by default.
    await client.request({ method: "DELETE", path: `/rest/${plural}`, query: { filter: inFilter("id", ids) ?? undefined } });
    return failures;
  } catch (error) {
    if (!(error instanceof ConnectorError) || (error.code !== "VALIDATION" && error.code !== "NOT_FOUND")) throw error;
  }
  for (const id of ids) {
    try {
      // §2: DELETE /rest/{plural}/{id}; 404 means someone removed it already.
      await client.request({ method: "DELETE", path: `/rest/${plural}/${id}` });
    } catch (error) {
      if (error instanceof ConnectorError && error.code === "NOT_FOUND") continue;
      if (error instanceof ConnectorError && error.code !== "AUTH_INVALID" && error.code !== "PERMISSION_DENIED") failures.set(id, error.message);
      else throw error;
    }
  }
  return failures;
}

export async function removeRecords(client: HttpClient, plural: string, ids: string[], link: TwentyTargetLinkModel | null): Promise<RemoveResult[]> {
  const results = new Map<string, RemoveResult>();
  const valid = [...new Set(ids)].filter((id) => {
    if (UUID_PATTERN.test(id)) return true;
    results.set(id, { id, status: "not_found", message: `"${id}" is not a Twenty record id` });
    return false;
  });
  for (const chunk of chunks(valid, IDS_PER_DELETE)) {
    const present = new Set((await fetchAllRecords(client, plural, inFilter("id", chunk))).map((record) => record.id));
    for (const id of chunk) if (!present.has(id)) results.set(id, { id, status: "not_found" });
    const existing = chunk.filter((id) => present.has(id));
    if (existing.length === 0) continue;
    if (link) {
      // Links first: a note's noteTargets rows would otherwise point at nothing.
      const rows = await fetchAllRecords(client, link.joinObject, inFilter(link.parentColumn, existing));
      for (const rowChunk of chunks(
        rows.map((row) => row.id),
        IDS_PER_DELETE,
      ))
        await destroy(client, link.joinObject, rowChunk);
    }
    const failures = await destroy(client, plural, existing);
    const remaining = new Set((await fetchAllRecords(client, plural, inFilter("id", existing))).map((record) => record.id));
    for (const id of existing) {
      if (!remaining.has(id)) results.set(id, { id, status: "removed" });
      else results.set(id, { id, status: "failed", message: failures.get(id) ?? "Twenty still lists this record after the delete" });
    }
  }
  return ids.map((id) => results.get(id) ?? { id, status: "failed", message: "No outcome was recorded" });
}
