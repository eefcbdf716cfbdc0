// Thin calls to Twenty's REST endpoints used by several parts of the connector. Each call
// says which section of docs/reference/twenty-api.md it follows.
import type { HttpClient } from "@/connectors/shared/http-client";
import { paginate } from "@/connectors/shared/paginate";
import { ConnectorError } from "@/connectors/types";
import { TwentyListResponseSchema, TwentyMetadataListSchema, TwentyObjectMetadataSchema, TwentyFieldMetadataSchema, TwentyRecordSchema } from "./raw-schemas";
import type { TwentyFieldMetadata, TwentyObjectMetadata, TwentyRecord } from "./raw-schemas";

/** §2.1: the largest page Twenty serves (values above are clamped silently). */
export const MAX_PAGE_SIZE = 200;
/** §2.1: Twenty's default page size, which Ferry also uses for reads. */
export const DEFAULT_PAGE_SIZE = 60;

export type RecordsPage = { records: TwentyRecord[]; endCursor: string | null; hasNextPage: boolean; totalCount: number | null };

export type ListQuery = { limit?: number; after?: string | null; filter?: string | null; orderBy?: string; fields?: string };

/** The list under `data.<plural>`; falls back to the single array in `data` (§2.3 envelope). */
function listOf(data: Record<string, unknown>, plural: string): unknown[] {
  const named = data[plural];
  if (Array.isArray(named)) return named;
  const arrays = Object.values(data).filter(Array.isArray);
  if (arrays.length === 1) return arrays[0] as unknown[];
  throw new ConnectorError("UNKNOWN", `Twenty's answer for ${plural} holds no list of records`);
}

export function parseRecords(items: unknown[], plural: string): TwentyRecord[] {
  return items.map((item) => {
    const parsed = TwentyRecordSchema.safeParse(item);
    if (!parsed.success) throw new ConnectorError("UNKNOWN", `Twenty returned a ${plural} record without an id`);
    return parsed.data;
  });
}

/** §2.1/§2.3: one page of `GET /rest/{plural}` at depth 0 (join columns such as companyId included). */
export async function fetchRecordsPage(client: HttpClient, plural: string, query: ListQuery): Promise<RecordsPage> {
  const response = await client.request({
    method: "GET",
    path: `/rest/${plural}`,
    query: {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      depth: 0,
      starting_after: query.after ?? undefined,
      filter: query.filter ?? undefined,
      order_by: query.orderBy,
      fields: query.fields,
    },
    schema: TwentyListResponseSchema,
  });
  const records = parseRecords(listOf(response.data.data, plural), plural);
  const pageInfo = response.data.pageInfo;
  return {
    records,
    endCursor: pageInfo?.endCursor ?? null,
    hasNextPage: Boolean(pageInfo?.hasNextPage && pageInfo.endCursor),
    totalCount: response.data.totalCount ?? null,
  };
}

/** Every record matching `filter`, following cursors through the shared paginate(). */
export async function fetchAllRecords(client: HttpClient, plural: string, filter: string | null): Promise<TwentyRecord[]> {
  const all: TwentyRecord[] = [];
  const pages = paginate<TwentyRecord>(async (cursor) => {
    const page = await fetchRecordsPage(client, plural, { limit: MAX_PAGE_SIZE, after: cursor, filter });
    return { items: page.records, nextCursor: page.hasNextPage ? page.endCursor : null };
  });
  for await (const page of pages) all.push(...page.items);
  return all;
}

/** §3.1: metadata lists come as `{data:{objects:[…]}}` (legacy) or `{data:[…]}` (2026). */
function metadataItems(data: unknown[] | Record<string, unknown>): unknown[] {
  if (Array.isArray(data)) return data;
  const arrays = Object.values(data).filter(Array.isArray);
  return (arrays[0] as unknown[] | undefined) ?? [];
}

async function fetchMetadataList(client: HttpClient, path: string): Promise<unknown[]> {
  const items: unknown[] = [];
  const pages = paginate<unknown>(async (cursor) => {
    // §3.1: metadata lists take limit/starting_after (cursor = an item id), cap 200.
    const response = await client.request({
      method: "GET",
      path,
      query: { limit: MAX_PAGE_SIZE, starting_after: cursor ?? undefined },
      schema: TwentyMetadataListSchema,
    });
    const page = metadataItems(response.data.data);
    const endCursor = response.data.pageInfo?.endCursor ?? null;
    return { items: page, nextCursor: response.data.pageInfo?.hasNextPage && endCursor ? endCursor : null };
  });
  for await (const page of pages) items.push(...page.items);
  return items;
}

/** §3.1: every object with its fields. Fields come embedded; if a build lists them apart, they are joined by objectMetadataId. */
export async function fetchMetadataObjects(client: HttpClient): Promise<TwentyObjectMetadata[]> {
  const objects = (await fetchMetadataList(client, "/rest/metadata/objects")).map((item) => TwentyObjectMetadataSchema.parse(item));
  if (objects.every((object) => Array.isArray(object.fields))) return objects;
  const fields = (await fetchMetadataList(client, "/rest/metadata/fields")).map((item) => TwentyFieldMetadataSchema.parse(item));
  const byObject = new Map<string, TwentyFieldMetadata[]>();
  for (const field of fields) {
    if (!field.objectMetadataId) continue;
    byObject.set(field.objectMetadataId, [...(byObject.get(field.objectMetadataId) ?? []), field]);
  }
  return objects.map((object) => ({ ...object, fields: object.fields ?? byObject.get(object.id) ?? [] }));
}

/** §3.1: a created/updated metadata item, legacy `{data:{createOneField:{…}}}` or bare. */
export function metadataItem(body: unknown): Record<string, unknown> {
  if (body !== null && typeof body === "object") {
    const data = (body as { data?: unknown }).data;
    if (data !== null && typeof data === "object" && !Array.isArray(data)) {
      const values = Object.values(data as Record<string, unknown>);
      if (values.length === 1 && values[0] !== null && typeof values[0] === "object") return values[0] as Record<string, unknown>;
      return data as Record<string, unknown>;
    }
    return body as Record<string, unknown>;
  }
  throw new ConnectorError("UNKNOWN", "Twenty's metadata API answered with an empty body");
}

/** The records of a write envelope (§2.3): `{data:{createPeople:[…]}}` or `{data:{createPerson:{…}}}`. */
export function writtenRecords(body: unknown, plural: string): TwentyRecord[] {
  const data = body !== null && typeof body === "object" ? (body as { data?: unknown }).data : undefined;
  if (data === null || typeof data !== "object") throw new ConnectorError("UNKNOWN", `Twenty's answer to a ${plural} write holds no data`);
  const values = Array.isArray(data) ? [data] : Object.values(data as Record<string, unknown>);
  const list = values.find(Array.isArray) ?? values.filter((value) => value !== null && typeof value === "object");
  return parseRecords(list as unknown[], plural);
}
