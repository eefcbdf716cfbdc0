// Paths and paging of Pipedrive's API (reference §1.3, §3): one place that knows which resource
// is v1 and which is v2, how each pages, and how updates are sent (PATCH in v2, PUT in v1).
import type { HttpClient } from "@/connectors/shared/http-client";
import { PIPEDRIVE_PAGE_SIZE } from "./manifest";
import { PipedriveCursorListSchema, PipedriveItemSchema, PipedriveOffsetListSchema } from "./raw-schemas";

export type Resource = { version: "v1" | "v2"; path: string };

/** §1.3 */
export const RESOURCES = {
  organizations: { version: "v2", path: "organizations" },
  persons: { version: "v2", path: "persons" },
  deals: { version: "v2", path: "deals" },
  activities: { version: "v2", path: "activities" },
  notes: { version: "v1", path: "notes" },
} as const satisfies Record<string, Resource>;
export type PipedriveObjectType = keyof typeof RESOURCES;

export const pathOf = (resource: Resource, id?: string | number) => `/api/${resource.version}/${resource.path}${id === undefined ? "" : `/${id}`}`;

export type Page = { items: Record<string, unknown>[]; next: string | null };

/**
 * One page from `cursor` (§3.1 cursors in v2, §3.2 offsets in v1 as a decimal string).
 * `filter` adds list parameters (updated_since, sort).
 */
export async function fetchPage(
  client: HttpClient,
  resource: Resource,
  cursor: string | null,
  filter: Record<string, string | number | undefined> = {},
  limit = PIPEDRIVE_PAGE_SIZE,
): Promise<Page> {
  if (resource.version === "v2") {
    const response = await client.request({
      method: "GET",
      path: pathOf(resource),
      query: { ...filter, limit, cursor: cursor ?? undefined },
      schema: PipedriveCursorListSchema,
    });
    return { items: response.data.data ?? [], next: response.data.additional_data?.next_cursor ?? null };
  }
  const start = cursor === null ? 0 : Number(cursor);
  const response = await client.request({ method: "GET", path: pathOf(resource), query: { ...filter, start, limit }, schema: PipedriveOffsetListSchema });
  const pagination = response.data.additional_data?.pagination;
  const next = pagination?.more_items_in_collection ? (pagination.next_start ?? start + limit) : null;
  return { items: response.data.data ?? [], next: next === null ? null : String(next) };
}

/** Every item of a list, page by page. */
export async function fetchAll(
  client: HttpClient,
  resource: Resource,
  filter: Record<string, string | number | undefined> = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const page = await fetchPage(client, resource, cursor, filter);
    items.push(...page.items);
    cursor = page.next;
  } while (cursor !== null);
  return items;
}

/** A v2 list path that is not a record resource (fields, pipelines, stages), every page. */
export async function fetchAllV2(
  client: HttpClient,
  path: string,
  query: Record<string, string | number | undefined> = {},
): Promise<Record<string, unknown>[]> {
  return fetchAll(client, { version: "v2", path }, query);
}

export async function createItem(client: HttpClient, resource: Resource, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  // §8: not retried by the client: a create whose answer was lost is reconciled by findExisting.
  const response = await client.request({ method: "POST", path: pathOf(resource), body, schema: PipedriveItemSchema, retry: false });
  return response.data.data;
}

export async function updateItem(client: HttpClient, resource: Resource, id: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await client.request({ method: resource.version === "v2" ? "PATCH" : "PUT", path: pathOf(resource, id), body, schema: PipedriveItemSchema });
  return response.data.data;
}
