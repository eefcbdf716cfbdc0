// What Twenty offers a sync as a target (ConnectorSession.versions and archive): each record's
// updatedAt, read back by id, and the soft delete, which keeps a record restorable from Twenty's
// "Deleted" view (reference §2: DELETE with ?soft_delete=true; PATCH …/restore brings it back).
import { chunks } from "@/connectors/shared/chunks";
import type { HttpClient } from "@/connectors/shared/http-client";
import type { RecordVersion, RemoveResult } from "@/connectors/types";
import { fetchAllRecords } from "./api";
import { inFilter } from "./filters";
import { UUID_PATTERN } from "./mappers/record";

/** Ids per request: an id filter of 60 UUIDs keeps the URL short; bulk deletes stay under §2's cap of 100. */
const IDS_PER_REQUEST = 60;

/** §2.1: GET /rest/{plural}?filter=id[in]:[…]; soft-deleted records are left out, as if gone (§2.2 [U]). */
export async function readVersions(client: HttpClient, plural: string, ids: string[]): Promise<RecordVersion[]> {
  const versions: RecordVersion[] = [];
  for (const chunk of chunks(
    [...new Set(ids)].filter((id) => UUID_PATTERN.test(id)),
    IDS_PER_REQUEST,
  )) {
    for (const record of await fetchAllRecords(client, plural, inFilter("id", chunk))) {
      if (typeof record.updatedAt === "string") versions.push({ id: record.id, updatedAt: record.updatedAt });
    }
  }
  return versions;
}

/** §2: DELETE /rest/{plural}?filter=id[in]:[…]&soft_delete=true; records no longer listed afterwards are archived. */
export async function archiveRecords(client: HttpClient, plural: string, ids: string[]): Promise<RemoveResult[]> {
  const results = new Map<string, RemoveResult>();
  const valid = [...new Set(ids)].filter((id) => UUID_PATTERN.test(id));
  for (const chunk of chunks(valid, IDS_PER_REQUEST)) {
    const present = new Set((await fetchAllRecords(client, plural, inFilter("id", chunk))).map((record) => record.id));
    const existing = chunk.filter((id) => present.has(id));
    for (const id of chunk) if (!present.has(id)) results.set(id, { id, status: "not_found" });
    if (existing.length === 0) continue;
    await client.request({ method: "DELETE", path: `/rest/${plural}`, query: { filter: inFilter("id", existing) ?? undefined, soft_delete: "true" } });
    const remaining = new Set((await fetchAllRecords(client, plural, inFilter("id", existing))).map((record) => record.id));
    for (const id of existing)
      results.set(
        id,
        remaining.has(id) ? { id, status: "failed", message: "Twenty still lists this record after the soft delete" } : { id, status: "removed" },
      );
  }
  return ids.map((id) => results.get(id) ?? { id, status: "not_found", message: `"${id}" is not a Twenty record id` });
}
