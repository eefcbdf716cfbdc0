// ConnectorSession.findExisting for Pipedrive: after a crash Ferry asks which source records
// already exist, so it never creates them twice. Pipedrive chooses every id itself (reference §8),
// so the one reliable key is the source id the writer stamps in the object's "Ferry source id"
// custom field. Found by:
// 1. search on that field (persons, organizations, deals: §6.4, exact match, its own burst limit);
// 2. the newest records of the object, read back, because the search index lags behind writes
//    [U] and activities have no search: a record whose create answer was lost is among them.
// A candidate counts only when its stamp equals the source id exactly (search ignores case).
// Notes, and activities without the field, are found by what was written (find-by-content.ts);
// persons, organizations and deals without it (the fix declined) find nothing: written again.
import type { HttpClient } from "@/connectors/shared/http-client";
import type { ExistingKey, ExistingMatch } from "@/connectors/types";
import { fetchPage, pathOf, RESOURCES } from "./api";
import { findByContent } from "./find-by-content";
import type { MapperContext } from "./mappers/fields";
import { ferrySourceIdCode } from "./model";
import { PipedriveSearchSchema } from "./raw-schemas";
import { resourceOf } from "./reader";

/** How many of the newest records step 2 reads back: one page (§3.1). */
const RECENT_RECORDS = 500;
const SEARCHABLE = new Set(["persons", "organizations", "deals"]);

type Clients = { client: HttpClient; search: HttpClient };

function stampOf(raw: Record<string, unknown>, code: string): string | null {
  const value = (raw.custom_fields as Record<string, unknown> | undefined)?.[code] ?? raw[code];
  return typeof value === "string" ? value : null;
}

async function searchIds(search: HttpClient, objectType: string, sourceId: string): Promise<number[]> {
  // §6.4: GET /api/v2/{objects}/search?term&fields=custom_fields&exact_match=true.
  const response = await search.request({
    method: "GET",
    path: `${pathOf(RESOURCES[objectType as keyof typeof RESOURCES])}/search`,
    query: { term: sourceId, fields: "custom_fields", exact_match: true, limit: 10 },
    schema: PipedriveSearchSchema,
  });
  return (response.data.data?.items ?? []).map((entry) => entry.item.id);
}

export async function findExistingRecords(clients: Clients, ctx: MapperContext, objectType: string, keys: ExistingKey[]): Promise<ExistingMatch[]> {
  const code = ferrySourceIdCode(ctx.model, objectType);
  const resource = resourceOf(objectType);
  if (keys.length === 0) return [];
  if (code === null) return findByContent(clients.client, ctx, objectType, keys);
  const wanted = new Set(keys.map((key) => key.sourceId));
  const found = new Map<string, number>();
  const consider = (raw: Record<string, unknown>) => {
    const stamp = stampOf(raw, code);
    const id = Number(raw.id);
    // The oldest record wins when a source id was stamped twice (the first attempt's record).
    if (stamp !== null && wanted.has(stamp) && (!found.has(stamp) || id < (found.get(stamp) as number))) found.set(stamp, id);
  };
  if (SEARCHABLE.has(objectType)) {
    const candidates = new Set<number>();
    for (const sourceId of wanted) for (const id of await searchIds(clients.search, objectType, sourceId)) candidates.add(id);
    const ids = [...candidates];
    for (let start = 0; start < ids.length; start += 100) {
      // §5: v2 lists take up to 100 `ids`.
      const page = await fetchPage(clients.client, resource, null, { ids: ids.slice(start, start + 100).join(",") });
      page.items.forEach(consider);
    }
  }
  if ([...wanted].some((sourceId) => !found.has(sourceId))) {
    const newest = await fetchPage(clients.client, resource, null, { sort_by: "id", sort_direction: "desc" }, RECENT_RECORDS);
    newest.items.forEach(consider);
  }
  return keys.flatMap((key) => (found.has(key.sourceId) ? [{ sourceId: key.sourceId, targetId: String(found.get(key.sourceId)) }] : []));
}
