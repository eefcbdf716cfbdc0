// Thin calls to Teamwork Desk's v2 list/get endpoints used across the connector: the list
// envelope (§2.1), page/pageSize pagination (§2.2), Mongo-style `filter` (§2.4) and side-loads
// under `included` (§2.5).
import type { HttpClient } from "@/connectors/shared/http-client";
import { paginate } from "@/connectors/shared/paginate";
import type { z } from "zod";
import { ConnectorError } from "@/connectors/types";
import { DeskIdSchema, DeskListEnvelopeSchema } from "./raw-schemas";
import type { DeskId } from "./raw-schemas";

/** §2.2: list endpoints clamp pageSize above 100 to 100. */
export const MAX_PAGE_SIZE = 100;
/** Guard against a server that keeps saying "more" (a runaway loop would spend the whole budget). */
const MAX_PAGES = 100_000;

/** Side-loaded records by type, then by id (as a string). */
export type Included = Map<string, Map<string, Record<string, unknown>>>;

export type ListQuery = {
  page?: number;
  pageSize?: number;
  filter?: Record<string, unknown> | null;
  includes?: string[];
  orderBy?: string;
  orderMode?: "asc" | "desc";
  extra?: Record<string, string | number | boolean | undefined>;
};

export type ListPage = { items: Record<string, unknown>[]; included: Included; hasMore: boolean; total: number | null };

export function idString(id: DeskId | null | undefined): string | null {
  if (id === null || id === undefined) return null;
  return String(id);
}

/** Turns a Ferry-side id into the number Teamwork expects (ids are ints, §2.1); strings are kept if not numeric. */
export function toDeskId(id: string): number | string {
  return /^\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id;
}

/** Parses one raw record; a shape Ferry cannot read is a ConnectorError naming the record, not a crash. */
export function parseRaw<T>(schema: z.ZodType<T>, item: unknown, what: string): T {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  const id = item !== null && typeof item === "object" ? (item as { id?: unknown }).id : undefined;
  const issue = parsed.error.issues[0];
  throw new ConnectorError(
    "UNKNOWN",
    `Teamwork Desk returned a ${what}${id !== undefined ? ` (id ${String(id)})` : ""} Ferry cannot read: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unexpected shape"}`,
  );
}

export function indexIncluded(raw: Record<string, unknown[]> | null | undefined, into: Included = new Map()): Included {
  for (const [type, list] of Object.entries(raw ?? {})) {
    const byId = into.get(type) ?? new Map<string, Record<string, unknown>>();
    for (const item of list) {
      if (item === null || typeof item !== "object") continue;
      const id = DeskIdSchema.safeParse((item as { id?: unknown }).id);
      if (id.success) byId.set(String(id.data), item as Record<string, unknown>);
    }
    into.set(type, byId);
  }
  return into;
}

/** The list under its plural key; otherwise the only array in the body besides `included`. */
function itemsOf(body: Record<string, unknown>, resource: string): Record<string, unknown>[] {
  const key = resource.split("/").pop() ?? resource;
  const named = body[key];
  const list = Array.isArray(named)
    ? named
    : (() => {
        const arrays = Object.entries(body).filter(([name, value]) => name !== "included" && Array.isArray(value));
        if (arrays.length === 1) return arrays[0][1] as unknown[];
        throw new ConnectorError("UNKNOWN", `Teamwork Desk's answer for ${resource} holds no list of records`);
      })();
  return list.filter((item): item is Record<string, unknown> => item !== null && typeof item === "object");
}

/** §2.2 / §2.4 / §2.5: one page of `GET /{resource}.json`. */
export async function listPage(client: HttpClient, resource: string, query: ListQuery = {}): Promise<ListPage> {
  const pageSize = Math.min(Math.max(1, query.pageSize ?? MAX_PAGE_SIZE), MAX_PAGE_SIZE);
  const response = await client.request({
    method: "GET",
    path: `/${resource}.json`,
    query: {
      page: query.page ?? 1,
      pageSize,
      filter: query.filter ? JSON.stringify(query.filter) : undefined,
      includes: query.includes && query.includes.length > 0 ? query.includes.join(",") : undefined,
      orderBy: query.orderBy,
      orderMode: query.orderBy ? (query.orderMode ?? "asc") : undefined,
      ...query.extra,
    },
    schema: DeskListEnvelopeSchema,
  });
  const body = response.data as Record<string, unknown> & { included?: Record<string, unknown[]> | null };
  const items = itemsOf(body, resource);
  const envelope = response.data;
  // §2.2: loop until meta.page.hasMore (or pagination.hasMorePages) is false.
  const flag = envelope.meta?.page?.hasMore ?? envelope.pagination?.hasMorePages;
  const hasMore = flag ?? items.length >= pageSize;
  const total = envelope.pagination?.records ?? envelope.meta?.page?.count ?? null;
  return { items, included: indexIncluded(body.included), hasMore: hasMore && items.length > 0, total };
}

/** Every record of a list, page after page through the shared paginate(); side-loads merged. */
export async function listAll(
  client: HttpClient,
  resource: string,
  query: Omit<ListQuery, "page"> = {},
): Promise<{ items: Record<string, unknown>[]; included: Included }> {
  const items: Record<string, unknown>[] = [];
  const included: Included = new Map();
  const pages = paginate<Record<string, unknown>>(async (cursor) => {
    const page = Number(cursor ?? "1");
    if (page > MAX_PAGES) throw new ConnectorError("UNKNOWN", `Teamwork Desk kept announcing more pages of ${resource}`);
    const result = await listPage(client, resource, { ...query, page });
    for (const [type, byId] of result.included) {
      const target = included.get(type) ?? new Map();
      for (const [id, item] of byId) target.set(id, item);
      included.set(type, target);
    }
    return { items: result.items, nextCursor: result.hasMore ? String(page + 1) : null };
  });
  for await (const page of pages) items.push(...page.items);
  // A record that moved between pages while listing would otherwise appear twice.
  const seen = new Set<string>();
  const unique = items.filter((item) => {
    const id = idString(DeskIdSchema.safeParse(item.id).data);
    if (id === null) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { items: unique, included };
}

/** `GET /{resource}/{id}.json` → the record under its singular key, plus side-loads. */
export async function getOne(
  client: HttpClient,
  resource: string,
  singular: string,
  id: string,
  includes: string[] = [],
): Promise<{ item: Record<string, unknown>; included: Included }> {
  const response = await client.request({
    method: "GET",
    path: `/${resource}/${encodeURIComponent(id)}.json`,
    query: { includes: includes.length > 0 ? includes.join(",") : undefined },
  });
  const body = (response.data ?? {}) as Record<string, unknown>;
  const item = body[singular];
  if (item === null || typeof item !== "object") throw new ConnectorError("UNKNOWN", `Teamwork Desk's answer for ${resource}/${id} holds no ${singular}`);
  return { item: item as Record<string, unknown>, included: indexIncluded(body.included as Record<string, unknown[]> | undefined) };
}

/** The created/updated record in a write answer: `{ "<singular>": {...} }` (§2.1), or bare. */
export function writtenItem(body: unknown, singular: string): Record<string, unknown> | null {
  if (body === null || typeof body !== "object") return null;
  const record = body as Record<string, unknown>;
  const wrapped = record[singular];
  if (wrapped !== null && typeof wrapped === "object" && !Array.isArray(wrapped)) return wrapped as Record<string, unknown>;
  return "id" in record ? record : null;
}
