// ConnectorSession.read and count for Pipedrive: pages of 500 (reference §3) from the resource of
// each object type (§1.3), oldest id first, `updated_since` for delta runs (§5.7).
import type { HttpClient } from "@/connectors/shared/http-client";
import { sinceInstant } from "@/connectors/shared/values";
import { ConnectorError } from "@/connectors/types";
import type { ReadOptions, RecordPage } from "@/connectors/types";
import { fetchPage, RESOURCES, type PipedriveObjectType } from "./api";
import { PIPEDRIVE_PAGE_SIZE } from "./manifest";
import type { MapperContext } from "./mappers/fields";
import { toCanonical } from "./mappers/record";

export function resourceOf(objectType: string) {
  const resource = RESOURCES[objectType as PipedriveObjectType];
  if (!resource)
    throw new ConnectorError("NOT_FOUND", `Pipedrive has no object "${objectType}" that Ferry can use (available: ${Object.keys(RESOURCES).join(", ")})`);
  return resource;
}

/** §5.7: updated_since in RFC 3339 (both versions take it); v2 sorted by id, v1 notes by id ascending (§5.5). */
function listFilter(objectType: string, since: string | null | undefined): Record<string, string | undefined> {
  const instant = sinceInstant(since);
  const updatedSince = instant ? instant.replace(/\.\d{3}Z$/, "Z") : undefined;
  return resourceOf(objectType).version === "v2"
    ? { updated_since: updatedSince, sort_by: "id", sort_direction: "asc" }
    : { updated_since: updatedSince, sort: "id ASC" };
}

export async function* readRecords(
  client: HttpClient,
  objectType: string,
  options: ReadOptions,
  context: () => Promise<MapperContext>,
): AsyncGenerator<RecordPage> {
  const resource = resourceOf(objectType);
  const filter = listFilter(objectType, options.since);
  const limit = Math.min(options.pageSize ?? PIPEDRIVE_PAGE_SIZE, PIPEDRIVE_PAGE_SIZE);
  let cursor = options.cursor ?? null;
  let remaining = options.sample ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const page = await fetchPage(client, resource, cursor, filter, Math.min(limit, remaining));
    const ctx = await context();
    const records = page.items.map((raw) => toCanonical(objectType, raw, ctx));
    remaining -= records.length;
    const nextCursor = remaining > 0 ? page.next : null;
    yield { records, nextCursor };
    if (nextCursor === null) return;
    cursor = nextCursor;
  }
}

/** Pipedrive has no count endpoint for these lists: the ids are paged through (500 a request). */
export async function countRecords(client: HttpClient, objectType: string, since: string | null | undefined): Promise<number> {
  const resource = resourceOf(objectType);
  const filter = listFilter(objectType, since);
  let total = 0;
  let cursor: string | null = null;
  do {
    const page = await fetchPage(client, resource, cursor, filter);
    total += page.items.length;
    cursor = page.next;
  } while (cursor !== null);
  return total;
}
