// Pagination as reference §3 describes it: v2 cursors (opaque, the first item of the next page,
// `next_cursor: null` at the end) and v1 offsets (`start`, `more_items_in_collection`, `next_start`).
import { badRequest } from "./errors";

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

/** §3.1 [U]: a limit above 500 is clamped rather than refused. */
export function pageLimit(params: URLSearchParams): number {
  const raw = params.get("limit");
  if (raw === null || raw === "") return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw badRequest("Parameter 'limit' must be a positive integer");
  return Math.min(Number(raw), MAX_LIMIT);
}

/** The position of an item in its sort: the sort value, then the id. */
type Position = { value: number | string; id: number };

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): Position {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Position;
    if (typeof parsed.id === "number" && (typeof parsed.value === "number" || typeof parsed.value === "string")) return parsed;
  } catch {
    // falls through to the 400 below
  }
  throw badRequest("Invalid cursor");
}

function compare(a: Position, b: Position): number {
  if (a.value < b.value) return -1;
  if (a.value > b.value) return 1;
  return a.id - b.id;
}

/** §3.1: one page of `items` (already filtered), sorted by `sortValue` then id, from `cursor`. */
export function cursorPage<T extends { id: number }>(
  items: T[],
  params: URLSearchParams,
  sortValue: (item: T) => number | string,
): { page: T[]; nextCursor: string | null } {
  const direction = params.get("sort_direction") === "desc" ? -1 : 1;
  const limit = pageLimit(params);
  const sorted = items.map((item) => ({ item, position: { value: sortValue(item), id: item.id } })).sort((a, b) => direction * compare(a.position, b.position));
  const cursor = params.get("cursor");
  const from = cursor ? decodeCursor(cursor) : null;
  const start = from ? sorted.findIndex((entry) => direction * compare(entry.position, from) >= 0) : 0;
  const rest = start < 0 ? [] : sorted.slice(start);
  const page = rest.slice(0, limit);
  const next = rest[limit];
  return { page: page.map((entry) => entry.item), nextCursor: next ? encodeCursor(next.position) : null };
}

/** §3.2: one page of a v1 list from `start`. */
export function offsetPage<T>(items: T[], params: URLSearchParams): { page: T[]; pagination: Record<string, unknown> } {
  const rawStart = params.get("start") ?? "0";
  if (!/^\d+$/.test(rawStart)) throw badRequest("Parameter 'start' must be a non-negative integer");
  const start = Number(rawStart);
  const limit = pageLimit(params);
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { page, pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) } };
}
