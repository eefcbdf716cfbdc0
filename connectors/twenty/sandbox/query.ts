// List query parameters (reference §2.1): limit, order_by, depth, fields and cursor pagination,
// following Twenty's REST parsers (`input-request-parsers/*`).
import { badRequest } from "./errors";
import { valueAt } from "./filter";
import { isRelationField, joinColumnOf, type FieldMetadata } from "./objects";
import { COMPOSITE_SUBFIELDS } from "./values";

/** Reference §2.1: QUERY_DEFAULT_LIMIT_RECORDS. */
export const DEFAULT_LIMIT_RECORDS = 60;
/** Reference §2.1: QUERY_MAX_RECORDS in the 2025-26 mainline; larger limits are clamped, not refused. */
export const MAX_LIMIT_RECORDS = 200;

export const ORDER_BY_DIRECTIONS = ["AscNullsFirst", "AscNullsLast", "DescNullsFirst", "DescNullsLast"] as const;
export type OrderByDirection = (typeof ORDER_BY_DIRECTIONS)[number];
export type OrderByItem = { path: string[]; direction: OrderByDirection };

export type PageInfo = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };

/** Twenty reads a query parameter only when it is a single string (a repeated one is ignored). */
export function singleParam(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  return values.length === 1 ? values[0] : undefined;
}

export function parseLimit(raw: string | undefined, defaultLimit = DEFAULT_LIMIT_RECORDS, maxLimit = MAX_LIMIT_RECORDS): number {
  if (!raw) return defaultLimit;
  const limit = Number(raw);
  if (Number.isNaN(limit) || limit < 0) throw badRequest(`limit '${raw}' is invalid. Should be an integer`);
  return Math.floor(Math.min(limit, maxLimit));
}

export function parseDepth(raw: string | undefined): 0 | 1 {
  if (!raw) return 0;
  const depth = Number(raw);
  if (depth !== 0 && depth !== 1) throw badRequest(`'depth=${raw}' parameter invalid. Allowed values are 0, 1`);
  return depth;
}

/** Names a record exposes at depth 0: plain fields and the join columns of MANY_TO_ONE relations. */
export function readableName(field: FieldMetadata): string | null {
  if (!isRelationField(field)) return field.name;
  return joinColumnOf(field);
}

/** `order_by=field1,field2[DescNullsLast],name.firstName[AscNullsFirst]`; `id` is always appended. */
export function parseOrderBy(raw: string | undefined, fields: FieldMetadata[], objectNameSingular: string): OrderByItem[] {
  const items: OrderByItem[] = [];
  if (raw !== undefined) {
    for (const item of raw.split(",")) {
      let direction: OrderByDirection = "AscNullsFirst";
      let name = item;
      if (item.includes("[") && item.includes("]")) {
        const [fieldName, rest] = item.split("[");
        const candidate = rest.replace("]", "");
        if (!(ORDER_BY_DIRECTIONS as readonly string[]).includes(candidate)) {
          throw badRequest(
            `'order_by' direction '${candidate}' invalid. Allowed values are '${ORDER_BY_DIRECTIONS.join("', '")}'. eg: ?order_by=field_1[AscNullsFirst],field_2[DescNullsLast],field_3`,
          );
        }
        direction = candidate as OrderByDirection;
        name = fieldName;
      }
      const path = name.split(".");
      const field = fields.find((candidate) => readableName(candidate) === path[0]);
      const subFields = field ? COMPOSITE_SUBFIELDS[field.type] : undefined;
      const valid = field && (subFields ? path.length === 2 && path[1] in subFields : path.length === 1);
      // check-order-by exists upstream; its wording is not in the reference [U].
      if (!valid) throw badRequest(`'order_by' invalid: field '${name}' does not exist in '${objectNameSingular}' object`);
      items.push({ path, direction });
    }
  }
  // Twenty appends id as a tie-breaker so cursors are stable (add-default-order-by-id).
  if (!items.some((item) => item.path.length === 1 && item.path[0] === "id")) items.push({ path: ["id"], direction: "AscNullsFirst" });
  return items;
}

/** `fields=name,emails`: the record keys to return; `id` is always returned. */
export function parseFields(raw: string | undefined, fields: FieldMetadata[]): Set<string> | null {
  if (raw === undefined || raw.trim() === "") return null;
  const allowed = new Set(fields.flatMap((field) => [field.name, readableName(field)]).filter((name): name is string => name !== null));
  const selected = new Set(["id"]);
  for (const name of raw
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    if (!allowed.has(name)) throw badRequest(`'fields' parameter invalid. Field "${name}" does not exist or is not readable`);
    selected.add(name);
  }
  return selected;
}

function compareOrderValues(left: unknown, right: unknown, direction: OrderByDirection): number {
  const nullsFirst = direction.endsWith("NullsFirst");
  if (left === null && right === null) return 0;
  if (left === null) return nullsFirst ? -1 : 1;
  if (right === null) return nullsFirst ? 1 : -1;
  let base: number;
  if (typeof left === "number" && typeof right === "number") base = left - right;
  else {
    const a = typeof left === "string" ? left : JSON.stringify(left);
    const b = typeof right === "string" ? right : JSON.stringify(right);
    base = a < b ? -1 : a > b ? 1 : 0;
  }
  return direction.startsWith("Desc") ? -base : base;
}

export function orderKey(record: Record<string, unknown>, orderBy: OrderByItem[]): unknown[] {
  return orderBy.map((item) => valueAt(record, item.path));
}

export function compareKeys(left: unknown[], right: unknown[], orderBy: OrderByItem[]): number {
  for (let index = 0; index < orderBy.length; index += 1) {
    const result = compareOrderValues(left[index], right[index], orderBy[index].direction);
    if (result !== 0) return result;
  }
  return 0;
}

export function sortRecords<T extends Record<string, unknown>>(records: T[], orderBy: OrderByItem[]): T[] {
  return records
    .map((record) => ({ record, key: orderKey(record, orderBy) }))
    .sort((a, b) => compareKeys(a.key, b.key, orderBy))
    .map((entry) => entry.record);
}

/** Reference §2.1: base64 of a JSON object holding the order-by values and the id of the boundary record. */
export function encodeCursor(record: Record<string, unknown>, orderBy: OrderByItem[]): string {
  const payload: Record<string, unknown> = {};
  for (const item of orderBy) {
    let target = payload;
    item.path.slice(0, -1).forEach((key) => {
      target[key] = (target[key] as Record<string, unknown> | undefined) ?? {};
      target = target[key] as Record<string, unknown>;
    });
    target[item.path[item.path.length - 1]] = valueAt(record, item.path);
  }
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64");
}

function decodeCursor(cursor: string, orderBy: OrderByItem[]): unknown[] {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, "base64").toString("utf8"));
  } catch {
    throw badRequest("Invalid cursor");
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) throw badRequest("Invalid cursor");
  return orderKey(payload as Record<string, unknown>, orderBy);
}

/** One page of sorted records, before or after a cursor, with Twenty's pageInfo. */
export function paginate<T extends Record<string, unknown>>(
  sorted: T[],
  orderBy: OrderByItem[],
  options: { limit: number; startingAfter?: string; endingBefore?: string },
): { page: T[]; pageInfo: PageInfo } {
  if (options.startingAfter !== undefined && options.endingBefore !== undefined) {
    // Confirmed on metadata lists (reference §2.1); the core wording is not in the reference [U].
    throw badRequest("Cannot use both starting_after and ending_before");
  }
  let page: T[];
  let hasNextPage: boolean;
  let hasPreviousPage: boolean;
  if (options.endingBefore !== undefined) {
    const boundary = decodeCursor(options.endingBefore, orderBy);
    const before = sorted.filter((record) => compareKeys(orderKey(record, orderBy), boundary, orderBy) < 0);
    page = options.limit === 0 ? [] : before.slice(-options.limit);
    hasPreviousPage = before.length > page.length;
    hasNextPage = sorted.length > before.length;
  } else {
    const boundary = options.startingAfter !== undefined ? decodeCursor(options.startingAfter, orderBy) : undefined;
    const after = boundary ? sorted.filter((record) => compareKeys(orderKey(record, orderBy), boundary, orderBy) > 0) : sorted;
    page = after.slice(0, options.limit);
    hasNextPage = after.length > page.length;
    hasPreviousPage = sorted.length > after.length;
  }
  return {
    page,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: page.length > 0 ? encodeCursor(page[0], orderBy) : null,
      endCursor: page.length > 0 ? encodeCursor(page[page.length - 1], orderBy) : null,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Paging a sequence that is already in order (store.ts keeps such sequences so that a page costs
// a binary search instead of a sort). Same page and pageInfo as paginate() above.
// ---------------------------------------------------------------------------------------------

/** The default order: `id` ascending only (parseOrderBy appends it); ids are never null. */
export function isIdOrder(orderBy: OrderByItem[]): boolean {
  return orderBy.length === 1 && orderBy[0].path.length === 1 && orderBy[0].path[0] === "id" && orderBy[0].direction.startsWith("Asc");
}

/** A request's cursor: the boundary key, and whether the page ends before it (ending_before). */
export type PageCursor = { before: boolean; boundary: unknown[] | null };

/** The cursor checks paginate() makes, with the same errors in the same order. */
export function readPageCursor(orderBy: OrderByItem[], options: { startingAfter?: string; endingBefore?: string }): PageCursor {
  if (options.startingAfter !== undefined && options.endingBefore !== undefined) throw badRequest("Cannot use both starting_after and ending_before");
  if (options.endingBefore !== undefined) return { before: true, boundary: decodeCursor(options.endingBefore, orderBy) };
  if (options.startingAfter !== undefined) return { before: false, boundary: decodeCursor(options.startingAfter, orderBy) };
  return { before: false, boundary: null };
}

/**
 * paginate() over `length` records sorted by `orderBy`, read through `keyAt(index)` (the record's
 * order key). The records after (or before) the boundary are found by binary search, which is what
 * paginate's filter finds as long as comparing with the boundary is monotonic along the sequence:
 * always true for ids, and for other columns when the caller has checked the value types (see
 * store.ts). Returns the page as positions [start, end).
 */
export function pageRange(
  length: number,
  keyAt: (index: number) => unknown[],
  orderBy: OrderByItem[],
  cursor: PageCursor,
  limit: number,
): { start: number; end: number; hasNextPage: boolean; hasPreviousPage: boolean } {
  const { boundary } = cursor;
  /** First position whose key compares above the boundary (or at least equal, when `orEqual`). */
  const firstFrom = (orEqual: boolean): number => {
    if (boundary === null) return 0;
    let low = 0;
    let high = length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const comparison = compareKeys(keyAt(middle), boundary, orderBy);
      if (comparison > 0 || (orEqual && comparison === 0)) high = middle;
      else low = middle + 1;
    }
    return low;
  };
  let start: number;
  let end: number;
  if (cursor.before) {
    // paginate: before = records below the boundary; page = its last `limit` (none for limit 0).
    end = firstFrom(true);
    start = limit === 0 ? end : Math.max(0, end - limit);
  } else {
    // paginate: after = records above the boundary (all without one); page = its first `limit`.
    start = firstFrom(false);
    end = Math.min(length, start + limit);
  }
  // paginate's hasPreviousPage / hasNextPage: records matched but left out before / after the page.
  return { start, end, hasPreviousPage: start > 0, hasNextPage: end < length };
}
