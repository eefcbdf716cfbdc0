// One object's stored rows plus what lets a list request avoid touching all of them: the ids of
// live (not soft-deleted) rows in id order, hash indexes on the values filters pin with eq/in,
// and a few cached orderings for the current contents. Every write goes through set()/delete(),
// which keep the id order and hash indexes up to date and drop the cached orderings; code that
// changes rows in place must call changedInPlace().
import { SortedIdSet } from "./sorted-ids";

export type StoredRow = Record<string, unknown>;

/** Rows whose value at a path is this string; `other` = rows whose value the index cannot tell (kept as candidates for every value). */
type PathIndex = { path: string[]; byValue: Map<string, string | Set<string>>; other: Set<string> };

const NO_VALUE = Symbol("no value");
const UNKNOWN = Symbol("unknown");

/** How many orderings (per filter and order_by) a table keeps for its current contents. */
const MAX_CACHED_VIEWS = 8;

/**
 * A row is live when its stored `deletedAt` is null. Every stored row carries `deletedAt` (the
 * store's newRecord sets it and every write spreads the previous row), so this is the value a
 * list sees after projection.
 */
export function isLiveRow(row: StoredRow): boolean {
  return row.deletedAt === null;
}

/**
 * The string a filter's eq/in compares with (filter.ts `equals`: String(actual) for text and
 * select values), read from the stored row the way filter.ts `valueAt` reads the projected one.
 * NO_VALUE: null or missing, which eq/in never match. UNKNOWN: a value that is not a string, or a
 * top-level field the row does not store (the projection shows the field's default instead).
 */
function indexKey(row: StoredRow, path: string[]): string | typeof NO_VALUE | typeof UNKNOWN {
  if (!(path[0] in row)) return UNKNOWN;
  let current: unknown = row;
  for (const key of path) {
    if (current === null || typeof current !== "object") return NO_VALUE;
    current = (current as Record<string, unknown>)[key];
  }
  if (current === null || current === undefined) return NO_VALUE;
  return typeof current === "string" ? current : UNKNOWN;
}

function addToIndex(index: PathIndex, id: string, key: string | typeof NO_VALUE | typeof UNKNOWN) {
  if (key === NO_VALUE) return;
  if (key === UNKNOWN) {
    index.other.add(id);
    return;
  }
  const held = index.byValue.get(key);
  if (held === undefined) index.byValue.set(key, id);
  else if (typeof held === "string") {
    if (held !== id) index.byValue.set(key, new Set([held, id]));
  } else held.add(id);
}

function removeFromIndex(index: PathIndex, id: string, key: string | typeof NO_VALUE | typeof UNKNOWN) {
  if (key === NO_VALUE) return;
  if (key === UNKNOWN) {
    index.other.delete(id);
    return;
  }
  const held = index.byValue.get(key);
  if (held === undefined) return;
  if (typeof held === "string") {
    if (held === id) index.byValue.delete(key);
    return;
  }
  held.delete(id);
  if (held.size === 1) index.byValue.set(key, held.values().next().value as string);
}

export class RecordTable {
  private readonly rows = new Map<string, StoredRow>();
  private readonly live = new SortedIdSet();
  private readonly pathIndexes = new Map<string, PathIndex>();
  private readonly views = new Map<string, unknown>();

  get size(): number {
    return this.rows.size;
  }

  get(id: string): StoredRow | undefined {
    return this.rows.get(id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** Rows in insertion order (a Map's), as the store has always iterated them. */
  values(): IterableIterator<StoredRow> {
    return this.rows.values();
  }

  /** Ids of live rows, ascending. */
  get liveIds(): SortedIdSet {
    return this.live;
  }

  set(id: string, row: StoredRow): this {
    const previous = this.rows.get(id);
    this.rows.set(id, row);
    const wasLive = previous !== undefined && isLiveRow(previous);
    const isLive = isLiveRow(row);
    if (isLive && !wasLive) this.live.add(id);
    if (!isLive && wasLive) this.live.delete(id);
    for (const index of this.pathIndexes.values()) {
      const next = indexKey(row, index.path);
      if (previous !== undefined) {
        const before = indexKey(previous, index.path);
        if (before === next) continue;
        removeFromIndex(index, id, before);
      }
      addToIndex(index, id, next);
    }
    this.views.clear();
    return this;
  }

  delete(id: string): boolean {
    const previous = this.rows.get(id);
    if (previous === undefined) return false;
    this.rows.delete(id);
    this.live.delete(id);
    for (const index of this.pathIndexes.values()) removeFromIndex(index, id, indexKey(previous, index.path));
    this.views.clear();
    return true;
  }

  /**
   * Rows were changed without set() (custom fields dropped or renamed, select options removed):
   * drop what derives from their values. Ids and deletedAt never change that way.
   */
  changedInPlace() {
    this.pathIndexes.clear();
    this.views.clear();
  }

  /**
   * Ids of rows whose value at `path` (a field, or field.subField) may equal one of `values` as a
   * filter's eq/in compares them: every row that does, plus rows the index cannot judge. The
   * caller still applies the filter. The index is built on first use and kept up to date.
   */
  candidates(path: string[], values: string[]): Set<string> {
    const name = path.join(".");
    let index = this.pathIndexes.get(name);
    if (!index) {
      index = { path: [...path], byValue: new Map(), other: new Set() };
      for (const [id, row] of this.rows) addToIndex(index, id, indexKey(row, path));
      this.pathIndexes.set(name, index);
    }
    const ids = new Set(index.other);
    for (const value of values) {
      const held = index.byValue.get(value);
      if (held === undefined) continue;
      if (typeof held === "string") ids.add(held);
      else for (const id of held) ids.add(id);
    }
    return ids;
  }

  /** A value derived from the current rows, cached until the next write (the least recently used goes first). */
  cachedView<T>(signature: string, build: () => { value: T; cache: boolean }): T {
    if (this.views.has(signature)) {
      const cached = this.views.get(signature) as T;
      this.views.delete(signature);
      this.views.set(signature, cached);
      return cached;
    }
    const { value, cache } = build();
    if (cache) {
      if (this.views.size >= MAX_CACHED_VIEWS) this.views.delete(this.views.keys().next().value as string);
      this.views.set(signature, value);
    }
    return value;
  }
}
