// List and single-object responses (reference §2): the envelope with both `pagination` and
// `meta.page`, `page`/`pageSize`, `orderBy`/`orderMode`, `filter`, `includes` and `fields`.
import { validation } from "./errors";
import { compileFilter, type FilterField, type FilterSpec } from "./filter";
import type { ApiResponse } from "./http-types";
import type { BaseRow } from "./model";
import type { DeskStore } from "./store";
import { buildIncluded, type View } from "./views";

/** Reference §2.2: default page size 50; list endpoints clamp anything above 100 to 100. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
/** Reference §2.2: `/search/*` accepts up to 200; >200 or <1 reverts to 50. */
export const MAX_SEARCH_PAGE_SIZE = 200;

type JsonRecord = Record<string, unknown>;

function integerParam(params: URLSearchParams, name: string): number | null {
  const raw = params.get(name);
  if (raw === null || raw.trim() === "") return null;
  if (!/^-?\d+$/.test(raw.trim())) throw validation(`${name} must be an integer`, name);
  return Number(raw);
}

export type Paging = { page: number; pageSize: number };

/**
 * Reference §2.2. A non-numeric value is a bad query param (400). Out-of-range numbers are
 * clamped: page < 1 → 1 and pageSize < 1 → 50 are [U] (only the search rule is documented).
 */
export function parsePaging(params: URLSearchParams, search = false): Paging {
  const page = Math.max(1, integerParam(params, "page") ?? 1);
  const requested = integerParam(params, "pageSize");
  let pageSize = requested ?? DEFAULT_PAGE_SIZE;
  if (search) {
    if (pageSize < 1 || pageSize > MAX_SEARCH_PAGE_SIZE) pageSize = DEFAULT_PAGE_SIZE;
  } else {
    if (pageSize < 1) pageSize = DEFAULT_PAGE_SIZE;
    pageSize = Math.min(pageSize, MAX_PAGE_SIZE);
  }
  return { page, pageSize };
}

/** Reference §2.5: `includes=a,b` or `includes=all`. Unknown names are ignored ([U]: the real answer is not documented). */
export function parseIncludes(params: URLSearchParams): Set<string> {
  const raw = params.get("includes");
  return new Set(
    (raw ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  );
}

/** Reference §2.4: `fields=a,b,c` sparse fieldsets; `id` always stays. */
function applyFields(record: JsonRecord, params: URLSearchParams): JsonRecord {
  const raw = params.get("fields");
  if (!raw) return record;
  const keep = new Set(
    raw
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  );
  keep.add("id");
  return Object.fromEntries(Object.entries(record).filter(([key]) => keep.has(key)));
}

function sortValue<T>(fieldSpec: FilterField<T>, row: T): string | number | null {
  const value = fieldSpec.get(row);
  if (value === null || Array.isArray(value)) return null;
  if (fieldSpec.kind === "date") return Date.parse(String(value));
  if (fieldSpec.kind === "string") return String(value).toLowerCase();
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/** Reference §2.3: `orderBy=<field>&orderMode=asc|desc`, fields allowed per endpoint; default id asc [U]. */
function order<T extends BaseRow>(rows: T[], params: URLSearchParams, orders: Record<string, FilterField<T>>): T[] {
  const orderBy = params.get("orderBy") ?? "id";
  const orderMode = (params.get("orderMode") ?? "asc").toLowerCase();
  const spec = orders[orderBy];
  if (!spec) throw validation(`orderBy must be one of ${Object.keys(orders).join(", ")}`, "orderBy");
  if (orderMode !== "asc" && orderMode !== "desc") throw validation("orderMode must be asc or desc", "orderMode");
  const direction = orderMode === "asc" ? 1 : -1;
  return [...rows].sort((left, right) => {
    const a = sortValue(spec, left);
    const b = sortValue(spec, right);
    if (a === b) return (left.id - right.id) * direction;
    if (a === null) return -direction;
    if (b === null) return direction;
    return (a < b ? -1 : 1) * direction;
  });
}

export type ListOptions<T extends BaseRow> = {
  /** Filter keys that need the store (customer emails, user inboxes…), replacing the view's. */
  filters?: FilterSpec<T>;
  /** Rows to list instead of the whole table (search results). */
  rows?: T[];
  search?: boolean;
};

/** Applies filter, visibility, order and paging; the rows a list request selects, before paging. */
export function selectRows<T extends BaseRow>(
  store: DeskStore,
  view: View<T>,
  params: URLSearchParams,
  options: Pick<ListOptions<T>, "filters" | "rows"> = {},
): T[] {
  const rawFilter = params.get("filter");
  const compiled = rawFilter ? compileFilter(rawFilter, options.filters ?? view.filters) : null;
  const filtersState = compiled?.fields.has("state") ?? false;
  const rows = (options.rows ?? view.table(store).all()).filter((row) => !view.hidden(store, row, params, filtersState) && (!compiled || compiled.test(row)));
  return order(rows, params, view.orders);
}

/** GET /<resource>.json (reference §2.1). */
export function listResponse<T extends BaseRow>(store: DeskStore, view: View<T>, params: URLSearchParams, options: ListOptions<T> = {}): ApiResponse {
  const { page, pageSize } = parsePaging(params, options.search);
  const rows = selectRows(store, view, params, options);
  const count = rows.length;
  const offset = (page - 1) * pageSize;
  const pageRows = rows.slice(offset, offset + pageSize);
  const pages = Math.ceil(count / pageSize);
  const hasMore = offset + pageRows.length < count;
  return {
    status: 200,
    body: {
      [view.plural]: pageRows.map((row) => applyFields(view.render(store, row), params)),
      included: buildIncluded(store, view, pageRows, parseIncludes(params)),
      pagination: { records: count, pageSize, pages, page, hasMorePages: hasMore },
      // Reference §2.1: pageOffset is 0 on page 1; whether it counts records or pages is [U] — records here.
      meta: { page: { count, pageSize, pageOffset: offset, pages, hasMore } },
    },
  };
}

/** `{ "<singular>": {…}, "included": {…} }` for GET one, create and update (reference §2.1). */
export function singleResponse<T extends BaseRow>(store: DeskStore, view: View<T>, row: T, params: URLSearchParams, status = 200): ApiResponse {
  return {
    status,
    body: { [view.singular]: applyFields(view.render(store, row), params), included: buildIncluded(store, view, [row], parseIncludes(params)) },
  };
}
