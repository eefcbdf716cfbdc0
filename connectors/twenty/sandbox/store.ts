// The workspace's records in memory: defaults, validation, unique indexes, soft delete, upsert
// (reference §2, §6.3). Writes are all-or-nothing: a batch is checked completely before any row
// changes, as one SQL transaction would be.
import { randomUUID } from "node:crypto";
import type { SandboxTraffic } from "@/connectors/shared/sandbox-kit";
import { badRequest, duplicateEntry, notFound } from "./errors";
import { bindFilter, filterMentions, matchesFilter, type BoundFilter, type FilterNode } from "./filter";
import { isUuid } from "./ids";
import { MetadataRegistry } from "./metadata-registry";
import { isRelationField, joinColumnOf, type FieldMetadata, type ObjectMetadata, type RelationSettings } from "./objects";
import {
  compareKeys,
  encodeCursor,
  isIdOrder,
  orderKey,
  pageRange,
  paginate,
  readableName,
  readPageCursor,
  sortRecords,
  type OrderByItem,
  type PageCursor,
  type PageInfo,
} from "./query";
import { RecordTable } from "./record-table";
import { coerceFieldValue, domainHost, resolveDefault, type ValueContext } from "./values";

export type TwentyRecord = Record<string, unknown>;
export type WorkflowStatus = "DRAFT" | "ACTIVE" | "DEACTIVATED";

/** Reference §5.2 webhook object. */
export type TwentyWebhook = {
  id: string;
  targetUrl: string;
  operations: string[];
  description: string | null;
  secret: string;
  applicationId: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
};

export type TwentyActor = { source: string; workspaceMemberId: string | null; name: string; context: Record<string, unknown> };

/**
 * QUERY_MAX_RECORDS, the most records per batch call and per page. Reference §2.1, §2.3: 200 since
 * September 2025, 60 on older servers; `--max-batch 60` plays an older server.
 */
export const DEFAULT_QUERY_MAX_RECORDS = 200;
/** Reference §6.1: MUTATION_MAXIMUM_AFFECTED_RECORDS for update/delete by filter. */
export const MAX_RECORDS_AFFECTED_BY_FILTER = 100;

/** What tests and the CLI may read and arrange directly, without HTTP. */
export interface TwentySandboxState extends SandboxTraffic {
  /** The API key's display name, used in createdBy/updatedBy of records written through the API. */
  readonly apiKeyName: string;
  /** Records as the API returns them at depth 0, soft-deleted ones included (see `deletedAt`). */
  records(namePlural: string): TwentyRecord[];
  record(namePlural: string, id: string): TwentyRecord | undefined;
  /** Creates records exactly as POST /rest/batch/{namePlural} would, without HTTP or limits. */
  insertRecords(namePlural: string, inputs: TwentyRecord[]): TwentyRecord[];
  addWorkspaceMember(member: { email: string; firstName: string; lastName: string }): TwentyRecord;
  /** A workflow and its one version; ACTIVE in `statuses` makes the version ACTIVE (reference §5.1). */
  addWorkflow(workflow: { name: string; statuses?: WorkflowStatus[]; trigger?: unknown; steps?: unknown[] }): { workflow: TwentyRecord; version: TwentyRecord };
  addWebhook(webhook: { targetUrl: string; operations?: string[]; description?: string; secret?: string }): TwentyWebhook;
  webhooks(): TwentyWebhook[];
  /** Objects with their fields, as GET /rest/metadata/objects returns them. */
  objectMetadata(): Record<string, unknown>[];
}

type PlannedWrite = { record: TwentyRecord; previous: TwentyRecord | null };
type UniqueDefinition = { fieldId: string; key: (record: TwentyRecord) => string | null };
type UniqueIndex = { signature: string; maps: Map<string, Map<string, string>> };
type FindManyResult = { records: TwentyRecord[]; pageInfo: PageInfo; totalCount: number };
/** How values of one order_by column compare (query.ts compareOrderValues): as numbers, as strings, or both. */
type ColumnKind = "empty" | "number" | "text" | "mixed";
/** Records matching a filter, in order_by order, with what their order columns hold. */
type OrderedView = { ids: string[]; columns: ColumnKind[] };

/**
 * A filter pinning at most this many candidate rows through an index is answered by sorting the
 * candidates (paginate() as is); larger candidate sets go through a cached ordered view.
 */
const MAX_SORTED_CANDIDATES = 5_000;

export type FindManyOptions = {
  filter?: FilterNode;
  orderBy: OrderByItem[];
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
  depth: 0 | 1;
  fields: Set<string> | null;
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isEmptyKeyPart(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

/**
 * How an order column's values compare (query.ts compareOrderValues): two numbers as numbers,
 * anything else as strings. Within one kind the order is total, so every boundary of a compatible
 * type splits the sorted values in two; a column mixing numbers with other values is not ordered
 * consistently (9 < 10 as numbers, but "10" < "5" < "9" as strings).
 */
function columnKind(values: unknown[]): ColumnKind {
  let numbers = false;
  let others = false;
  for (const value of values) {
    if (value === null) continue;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return "mixed";
      numbers = true;
    } else others = true;
    if (numbers && others) return "mixed";
  }
  return numbers ? "number" : others ? "text" : "empty";
}

/** Whether comparing the cursor's values with a column is consistent with the column's order. */
function boundaryFits(cursor: PageCursor, columns: ColumnKind[]): boolean {
  if (cursor.boundary === null) return true;
  const boundary = cursor.boundary;
  // A number column compares with a non-number as strings, whose order differs from the numbers'.
  return columns.every(
    (kind, column) => kind !== "number" || boundary[column] === null || (typeof boundary[column] === "number" && Number.isFinite(boundary[column])),
  );
}

export class TwentyStore implements TwentySandboxState {
  requestCount = 0;
  readonly faultsInjected = { serverError: 0, hang: 0 };
  readonly metadata: MetadataRegistry;
  private readonly tables = new Map<string, RecordTable>();
  private readonly uniqueIndexes = new Map<string, UniqueIndex>();
  private readonly webhookItems = new Map<string, TwentyWebhook>();
  private positionCounter = 0;

  constructor(
    readonly apiKeyName: string,
    private readonly newMetadataId: () => string,
    private readonly clock: () => string = () => new Date().toISOString(),
    /** QUERY_MAX_RECORDS of the server played: larger batches are refused, larger pages clamped. */
    readonly queryMaxRecords: number = DEFAULT_QUERY_MAX_RECORDS,
  ) {
    this.metadata = MetadataRegistry.withStandardObjects(newMetadataId, clock);
  }

  /** Reference §7: records written with an API key say `source: "API"` and the key's name. */
  apiActor(): TwentyActor {
    return { source: "API", workspaceMemberId: null, name: this.apiKeyName, context: {} };
  }

  // -------------------------------------------------------------------------------------------
  // Reading
  // -------------------------------------------------------------------------------------------

  objectByPlural(namePlural: string): ObjectMetadata | undefined {
    return this.metadata.activeObjectByPlural(namePlural);
  }

  private table(objectId: string): RecordTable {
    let table = this.tables.get(objectId);
    if (!table) {
      table = new RecordTable();
      this.tables.set(objectId, table);
    }
    return table;
  }

  private tableName(object: ObjectMetadata): string {
    // Twenty prefixes custom objects' tables with an underscore.
    return object.isCustom ? `_${object.nameSingular}` : object.nameSingular;
  }

  /** A stored row as the API shows it at depth 0: every active field, defaults for fields added later. */
  private project(fields: FieldMetadata[], stored: TwentyRecord, newId: () => string = randomUUID): TwentyRecord {
    const record: TwentyRecord = {};
    for (const field of fields) {
      const name = readableName(field);
      if (name === null) continue;
      record[name] = name in stored ? stored[name] : isRelationField(field) ? null : resolveDefault(field.defaultValue, "", newId);
    }
    return record;
  }

  private expand(object: ObjectMetadata, fields: FieldMetadata[], record: TwentyRecord): TwentyRecord {
    const expanded = { ...record };
    for (const field of fields) {
      if (!isRelationField(field) || !field.relationTarget) continue;
      const target = this.metadata.object(field.relationTarget.objectMetadataId);
      if (!target?.isActive) continue;
      const targetFields = this.metadata.activeFieldsOf(target.id);
      const targetTable = this.table(target.id);
      if ((field.settings as RelationSettings | null)?.relationType === "MANY_TO_ONE") {
        const id = record[joinColumnOf(field) ?? ""];
        const related = typeof id === "string" ? targetTable.get(id) : undefined;
        expanded[field.name] = related && !related.deletedAt ? this.project(targetFields, related) : null;
      } else {
        const inverse = this.metadata.field(field.relationTarget.fieldMetadataId);
        const joinColumn = inverse ? joinColumnOf(inverse) : null;
        expanded[field.name] = joinColumn
          ? [...targetTable.values()].filter((row) => row[joinColumn] === record.id && !row.deletedAt).map((row) => this.project(targetFields, row))
          : [];
      }
    }
    return expanded;
  }

  private shape(object: ObjectMetadata, fields: FieldMetadata[], record: TwentyRecord, depth: 0 | 1, selected: Set<string> | null): TwentyRecord {
    const full = depth === 1 ? this.expand(object, fields, record) : record;
    if (!selected) return full;
    return Object.fromEntries(Object.entries(full).filter(([key]) => selected.has(key)));
  }

  /**
   * GET /rest/{plural}: one page of the matching records in order_by order (reference §2.1-2.3).
   * The answer is always what findManyByScan() computes (project, filter and sort every row, then
   * paginate); the other paths get there without sorting the table on every page:
   * - a filter pinning rows by eq/in on `id` or a text/select value: sort just those rows;
   * - no filter, default order (id): binary search in the table's live ids, kept in order;
   * - otherwise: the matching ids in order are computed once and reused until the next write.
   */
  findMany(object: ObjectMetadata, options: FindManyOptions): FindManyResult {
    const fields = this.metadata.activeFieldsOf(object.id);
    const bound = options.filter ? bindFilter(options.filter, { objectNameSingular: object.nameSingular, fields }) : null;
    // Reference §2.2 [U]: soft-deleted rows are listed only when the filter targets deletedAt.
    const includeDeleted = options.filter ? filterMentions(options.filter, "deletedAt") : false;
    return this.findManyIndexed(object, fields, bound, includeDeleted, options) ?? this.findManyByScan(object, fields, bound, includeDeleted, options);
  }

  /** The reference implementation: every row projected, filtered and sorted for each page. */
  private findManyByScan(
    object: ObjectMetadata,
    fields: FieldMetadata[],
    bound: BoundFilter | null,
    includeDeleted: boolean,
    options: FindManyOptions,
  ): FindManyResult {
    const matching = [...this.table(object.id).values()]
      .map((stored) => this.project(fields, stored))
      .filter((record) => includeDeleted || record.deletedAt === null)
      .filter((record) => !bound || matchesFilter(bound, record));
    const sorted = sortRecords(matching, options.orderBy);
    const { page, pageInfo } = paginate(sorted, options.orderBy, options);
    return {
      records: page.map((record) => this.shape(object, fields, record, options.depth, options.fields)),
      pageInfo,
      totalCount: sorted.length,
    };
  }

  /** findManyByScan's answer through the table's indexes, or null when they cannot give it. */
  private findManyIndexed(
    object: ObjectMetadata,
    fields: FieldMetadata[],
    bound: BoundFilter | null,
    includeDeleted: boolean,
    options: FindManyOptions,
  ): FindManyResult | null {
    // The indexes read `id` and `deletedAt` from stored rows; both are system fields a list always shows.
    const shows = (name: string) => fields.some((field) => field.name === name && !isRelationField(field));
    if (!shows("id") || !shows("deletedAt")) return null;
    const table = this.table(object.id);

    const candidates = bound ? this.candidateIds(table, bound) : null;
    if (candidates && candidates.size <= MAX_SORTED_CANDIDATES) {
      // The rows the filter can match, sorted and paged exactly as findManyByScan does with all rows.
      const matching: TwentyRecord[] = [];
      for (const id of candidates) {
        const stored = table.get(id);
        if (!stored) continue;
        const record = this.project(fields, stored);
        if ((includeDeleted || record.deletedAt === null) && matchesFilter(bound as BoundFilter, record)) matching.push(record);
      }
      // Sorting a subset gives the scan's order only when the comparison is a total order; with
      // an order column mixing numbers and other values it depends on the input order (the table's).
      const keys = matching.map((record) => orderKey(record, options.orderBy));
      if (options.orderBy.some((_, column) => columnKind(keys.map((key) => key[column])) === "mixed")) return null;
      const sorted = sortRecords(matching, options.orderBy);
      const { page, pageInfo } = paginate(sorted, options.orderBy, options);
      return { records: page.map((record) => this.shape(object, fields, record, options.depth, options.fields)), pageInfo, totalCount: sorted.length };
    }

    const cursor = readPageCursor(options.orderBy, options);
    if (!bound && isIdOrder(options.orderBy)) {
      const live = table.liveIds;
      const range = pageRange(live.size, (index) => [live.at(index)], options.orderBy, cursor, options.limit);
      return this.pageOf(object, fields, table, live.slice(range.start, range.end), range, live.size, options);
    }

    const view = this.orderedView(fields, table, bound, includeDeleted, options.orderBy);
    if (!view || !boundaryFits(cursor, view.columns)) return null;
    const keyAt = (index: number) => orderKey(this.project(fields, table.get(view.ids[index]) as TwentyRecord), options.orderBy);
    const range = pageRange(view.ids.length, keyAt, options.orderBy, cursor, options.limit);
    return this.pageOf(object, fields, table, view.ids.slice(range.start, range.end), range, view.ids.length, options);
  }

  private pageOf(
    object: ObjectMetadata,
    fields: FieldMetadata[],
    table: RecordTable,
    ids: string[],
    range: { hasNextPage: boolean; hasPreviousPage: boolean },
    totalCount: number,
    options: FindManyOptions,
  ): FindManyResult {
    const page = ids.map((id) => this.project(fields, table.get(id) as TwentyRecord));
    return {
      records: page.map((record) => this.shape(object, fields, record, options.depth, options.fields)),
      pageInfo: {
        hasNextPage: range.hasNextPage,
        hasPreviousPage: range.hasPreviousPage,
        startCursor: page.length > 0 ? encodeCursor(page[0], options.orderBy) : null,
        endCursor: page.length > 0 ? encodeCursor(page[page.length - 1], options.orderBy) : null,
      },
      totalCount,
    };
  }

  /**
   * Ids of every row the filter can match, from indexes, or null when the filter does not pin
   * rows (the caller still applies the whole filter to each candidate). Pinning: eq/in on `id`,
   * or on a text or select value (a field, sub-field or join column), which filter.ts compares as
   * strings; and() of anything pinning, or() of pinning parts only.
   */
  private candidateIds(table: RecordTable, filter: BoundFilter): Set<string> | null {
    switch (filter.kind) {
      case "leaf": {
        if (filter.comparator !== "eq" && filter.comparator !== "in") return null;
        if (filter.valueKind !== "text" && filter.valueKind !== "enum") return null;
        const values = (filter.comparator === "in" ? (filter.value as unknown[]) : [filter.value]).map((value) => String(value));
        if (filter.path.length === 1 && filter.path[0] === "id") return new Set(values.filter((id) => table.has(id)));
        return table.candidates(filter.path, values);
      }
      case "and": {
        let smallest: Set<string> | null = null;
        for (const child of filter.children) {
          const ids = this.candidateIds(table, child);
          if (ids && (!smallest || ids.size < smallest.size)) smallest = ids;
        }
        return smallest;
      }
      case "or": {
        const union = new Set<string>();
        for (const child of filter.children) {
          const ids = this.candidateIds(table, child);
          if (!ids) return null;
          for (const id of ids) union.add(id);
        }
        return union;
      }
      case "not":
        return null;
    }
  }

  /**
   * The ids findManyByScan would sort (live rows, or all with a deletedAt filter, that match), in
   * order_by order, cached on the table until its next write. Null when the result could differ
   * from a fresh scan: a projection drew a random default (a field added later with default uuid),
   * or an order column holds both numbers and other values (compared inconsistently, so binary
   * search would not find paginate's boundary).
   */
  private orderedView(
    fields: FieldMetadata[],
    table: RecordTable,
    bound: BoundFilter | null,
    includeDeleted: boolean,
    orderBy: OrderByItem[],
  ): OrderedView | null {
    const projection = fields.map((field) => [readableName(field), isRelationField(field), field.defaultValue]);
    const signature = JSON.stringify({ orderBy, bound, includeDeleted, projection });
    return table.cachedView<OrderedView | null>(signature, () => {
      let random = false;
      const newId = () => {
        random = true;
        return randomUUID();
      };
      const ids: string[] = [];
      if (isIdOrder(orderBy) && !includeDeleted) {
        // The live ids are already in this order: filter them, no sort.
        for (const id of table.liveIds) {
          const record = this.project(fields, table.get(id) as TwentyRecord, newId);
          if (record.deletedAt === null && (!bound || matchesFilter(bound, record))) ids.push(id);
        }
        return random ? { value: null, cache: false } : { value: { ids, columns: ["text"] }, cache: true };
      }
      const entries: { id: string; key: unknown[] }[] = [];
      for (const stored of table.values()) {
        const record = this.project(fields, stored, newId);
        if ((includeDeleted || record.deletedAt === null) && (!bound || matchesFilter(bound, record)))
          entries.push({ id: String(record.id), key: orderKey(record, orderBy) });
      }
      if (random) return { value: null, cache: false };
      const columns = orderBy.map((_, column) => columnKind(entries.map((entry) => entry.key[column])));
      if (columns.includes("mixed")) return { value: null, cache: true };
      // Array.prototype.sort is stable and the input is in table order, as in sortRecords.
      entries.sort((left, right) => compareKeys(left.key, right.key, orderBy));
      for (const entry of entries) ids.push(entry.id);
      return { value: { ids, columns }, cache: true };
    });
  }

  /** Find one by id; soft-deleted rows are not found, as with a list (reference §2.3). */
  findOne(object: ObjectMetadata, id: string, depth: 0 | 1, selected: Set<string> | null = null): TwentyRecord {
    const stored = this.table(object.id).get(id);
    if (!stored || stored.deletedAt) throw notFound();
    const fields = this.metadata.activeFieldsOf(object.id);
    return this.shape(object, fields, this.project(fields, stored), depth, selected);
  }

  private view(object: ObjectMetadata, id: string, depth: 0 | 1 = 0): TwentyRecord {
    const fields = this.metadata.activeFieldsOf(object.id);
    const stored = this.table(object.id).get(id);
    if (!stored) throw notFound();
    return this.shape(object, fields, this.project(fields, stored), depth, null);
  }

  // -------------------------------------------------------------------------------------------
  // Input
  // -------------------------------------------------------------------------------------------

  private newRecord(fields: FieldMetadata[], now: string, actor: TwentyActor): TwentyRecord {
    const record: TwentyRecord = {};
    for (const field of fields) {
      const name = readableName(field);
      if (name === null) continue;
      record[name] = isRelationField(field) ? null : resolveDefault(field.defaultValue, now, randomUUID);
    }
    this.positionCounter += 1;
    return { ...record, deletedAt: null, createdBy: { ...actor }, updatedBy: { ...actor }, position: this.positionCounter };
  }

  private checkForeignKey(object: ObjectMetadata, field: FieldMetadata, joinColumn: string, value: unknown): string | null {
    if (value === null) return null;
    if (!isUuid(value)) throw badRequest(`Invalid value ${JSON.stringify(value)} for field "${joinColumn}": expected a UUID`);
    const target = field.relationTarget ? this.metadata.object(field.relationTarget.objectMetadataId) : undefined;
    // Reference §7: an unknown owner/relation id is a foreign-key error, answered 400 [wording U].
    if (!target || !this.table(target.id).has(value)) {
      throw badRequest(`insert or update on table "${this.tableName(object)}" violates foreign key constraint "FK_${this.tableName(object)}_${joinColumn}"`);
    }
    return value;
  }

  /**
   * Applies one input object onto `base`. On create `base` holds the defaults; on update the
   * current row, so composite fields are merged sub-field by sub-field.
   */
  private applyInput(object: ObjectMetadata, fields: FieldMetadata[], input: unknown, base: TwentyRecord, mode: "create" | "update"): TwentyRecord {
    if (!isPlainObject(input)) throw badRequest("Record input must be an object");
    const context: ValueContext = { tableName: this.tableName(object) };
    const next: TwentyRecord = { ...base };
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      if (key === "id") {
        if (mode === "create") {
          if (!isUuid(value)) throw badRequest(`'${String(value)}' is not a valid UUID`);
          next.id = value;
        }
        continue;
      }
      // Reference §7: the client may set createdBy.source (e.g. IMPORT); name and
      // workspaceMemberId are computed, so they are accepted and ignored [U]. Upserts and
      // updates never overwrite createdBy; updatedBy is always computed.
      if (key === "createdBy" || key === "updatedBy") {
        const field = fields.find((candidate) => candidate.name === key);
        if (field && mode === "create" && key === "createdBy") {
          const actor = coerceFieldValue(field, value, context, { base: {}, cleared: {} }) as Partial<TwentyActor>;
          if (actor.source) next.createdBy = { ...(next.createdBy as TwentyActor), source: actor.source };
        }
        continue;
      }
      const relation = fields.find((candidate) => joinColumnOf(candidate) === key);
      if (relation) {
        next[key] = this.checkForeignKey(object, relation, key, value);
        continue;
      }
      const field = fields.find((candidate) => candidate.name === key);
      // Unknown-field wording is not in the reference [U]; relation objects are not writable
      // through REST, only their join column (reference §2.3).
      if (!field || isRelationField(field) || field.type === "TS_VECTOR") {
        throw badRequest(`Object ${object.nameSingular} doesn't have any "${key}" field.`);
      }
      const cleared = resolveDefault(field.defaultValue, "", randomUUID);
      next[key] = coerceFieldValue(field, value, context, { base: next[key] ?? cleared, cleared });
    }
    return next;
  }

  // -------------------------------------------------------------------------------------------
  // Unique indexes (reference §6.3)
  // -------------------------------------------------------------------------------------------

  private uniqueDefinitions(object: ObjectMetadata): UniqueDefinition[] {
    return this.metadata
      .activeFieldsOf(object.id)
      .filter((field) => field.isUnique && field.name !== "id")
      .map((field) => ({ fieldId: field.id, key: this.uniqueKeyOf(object, field) }));
  }

  /** The value a unique index compares; null (not indexed) for empty values. */
  private uniqueKeyOf(object: ObjectMetadata, field: FieldMetadata): (record: TwentyRecord) => string | null {
    return (record) => {
      const value = record[field.name];
      if (isEmptyKeyPart(value)) return null;
      if (!isPlainObject(value)) return typeof value === "string" ? value : JSON.stringify(value);
      switch (field.type) {
        case "EMAILS":
          return isEmptyKeyPart(value.primaryEmail) ? null : String(value.primaryEmail);
        case "LINKS":
          if (isEmptyKeyPart(value.primaryLinkUrl)) return null;
          // Reference §6.3: company domains are compared by host.
          return object.nameSingular === "company" && field.name === "domainName" ? domainHost(String(value.primaryLinkUrl)) : String(value.primaryLinkUrl);
        case "PHONES":
          if (isEmptyKeyPart(value.primaryPhoneNumber)) return null;
          return [value.primaryPhoneNumber, value.primaryPhoneCountryCode, value.primaryPhoneCallingCode].map((part) => String(part ?? "")).join("|");
        default:
          return Object.values(value).every(isEmptyKeyPart) ? null : JSON.stringify(value);
      }
    };
  }

  private uniqueIndex(object: ObjectMetadata): { definitions: UniqueDefinition[]; maps: Map<string, Map<string, string>> } {
    const definitions = this.uniqueDefinitions(object);
    const signature = definitions.map((definition) => definition.fieldId).join(",");
    const cached = this.uniqueIndexes.get(object.id);
    if (cached && cached.signature === signature) return { definitions, maps: cached.maps };
    const maps = new Map<string, Map<string, string>>();
    for (const definition of definitions) {
      const map = new Map<string, string>();
      for (const record of this.table(object.id).values()) {
        const key = definition.key(record);
        if (key !== null && !map.has(key)) map.set(key, String(record.id));
      }
      maps.set(definition.fieldId, map);
    }
    this.uniqueIndexes.set(object.id, { signature, maps });
    return { definitions, maps };
  }

  /** Whether the field's current values could carry a unique index (no two rows share one). */
  canBeUnique(object: ObjectMetadata, field: FieldMetadata): boolean {
    const key = this.uniqueKeyOf(object, field);
    const seen = new Set<string>();
    for (const record of this.table(object.id).values()) {
      const value = key(record);
      if (value === null) continue;
      if (seen.has(value)) return false;
      seen.add(value);
    }
    return true;
  }

  private checkUnique(object: ObjectMetadata, writes: TwentyRecord[]) {
    const { definitions, maps } = this.uniqueIndex(object);
    const writtenIds = new Set(writes.map((record) => String(record.id)));
    for (const definition of definitions) {
      const index = maps.get(definition.fieldId) ?? new Map<string, string>();
      const seen = new Map<string, string>();
      for (const record of writes) {
        const key = definition.key(record);
        if (key === null) continue;
        const id = String(record.id);
        const seenId = seen.get(key);
        if (seenId !== undefined && seenId !== id) throw duplicateEntry();
        seen.set(key, id);
        // Soft-deleted rows keep their values in the index (reference §6.3).
        const owner = index.get(key);
        if (owner !== undefined && owner !== id && !writtenIds.has(owner)) throw duplicateEntry();
      }
    }
  }

  private commit(object: ObjectMetadata, writes: PlannedWrite[]) {
    const { definitions, maps } = this.uniqueIndex(object);
    const table = this.table(object.id);
    // Remove every old key before adding new ones, so two rows may swap values in one batch.
    for (const write of writes) {
      if (!write.previous) continue;
      for (const definition of definitions) {
        const key = definition.key(write.previous);
        const map = maps.get(definition.fieldId);
        if (key !== null && map && map.get(key) === write.previous.id) map.delete(key);
      }
    }
    for (const write of writes) {
      for (const definition of definitions) {
        const key = definition.key(write.record);
        if (key !== null) maps.get(definition.fieldId)?.set(key, String(write.record.id));
      }
      table.set(String(write.record.id), write.record);
    }
  }

  private removeRow(object: ObjectMetadata, id: string) {
    const table = this.table(object.id);
    const row = table.get(id);
    if (!row) return;
    const { definitions, maps } = this.uniqueIndex(object);
    for (const definition of definitions) {
      const key = definition.key(row);
      const map = maps.get(definition.fieldId);
      if (key !== null && map && map.get(key) === id) map.delete(key);
    }
    table.delete(id);
  }

  // -------------------------------------------------------------------------------------------
  // Writing
  // -------------------------------------------------------------------------------------------

  /**
   * Create one or many (reference §2.3) with optional upsert (reference §2.4). `single` selects
   * the create-one wording for an existing id ("Record already exists").
   */
  createRecords(object: ObjectMetadata, inputs: unknown[], options: { upsert: boolean; single: boolean; actor?: TwentyActor }): TwentyRecord[] {
    const actor = options.actor ?? this.apiActor();
    const now = this.clock();
    const fields = this.metadata.activeFieldsOf(object.id);
    const table = this.table(object.id);
    const planned = new Map<string, PlannedWrite>();
    const resultIds: string[] = [];
    for (const input of inputs) {
      const candidate = this.applyInput(object, fields, input, this.newRecord(fields, now, actor), "create");
      const match = options.upsert ? this.findUpsertMatch(object, candidate, isPlainObject(input) && input.id !== undefined) : undefined;
      if (match) {
        const previous = planned.get(match)?.previous ?? table.get(match) ?? null;
        const base = planned.get(match)?.record ?? table.get(match);
        if (!base) throw notFound();
        const updated = this.applyInput(object, fields, input, base, "update");
        // Reference §2.4: a matched row is updated and restored; createdBy is kept.
        planned.set(match, {
          record: { ...updated, id: base.id, deletedAt: null, createdBy: base.createdBy, updatedAt: now, updatedBy: { ...actor } },
          previous,
        });
        resultIds.push(match);
        continue;
      }
      const id = String(candidate.id);
      if (table.has(id)) throw options.single ? badRequest("Record already exists") : duplicateEntry();
      if (planned.has(id)) throw duplicateEntry();
      planned.set(id, { record: candidate, previous: null });
      resultIds.push(id);
    }
    const writes = [...planned.values()];
    this.checkUnique(
      object,
      writes.map((write) => write.record),
    );
    this.commit(object, writes);
    return resultIds.map((id) => this.view(object, id));
  }

  /**
   * Reference §2.4: conflict groups are `id` and every unique index; existing rows are searched
   * including soft-deleted ones; more than one matching row is an error.
   */
  private findUpsertMatch(object: ObjectMetadata, candidate: TwentyRecord, hasId: boolean): string | undefined {
    const matches = new Set<string>();
    const table = this.table(object.id);
    if (hasId && table.has(String(candidate.id))) matches.add(String(candidate.id));
    const { definitions, maps } = this.uniqueIndex(object);
    for (const definition of definitions) {
      const key = definition.key(candidate);
      const owner = key === null ? undefined : maps.get(definition.fieldId)?.get(key);
      if (owner !== undefined) matches.add(owner);
    }
    // The code exists upstream; HTTP status (400) and wording are not confirmed [U].
    if (matches.size > 1) throw badRequest("Multiple records found matching the upsert criteria", "UPSERT_MULTIPLE_MATCHING_RECORDS_CONFLICT");
    return matches.values().next().value;
  }

  updateRecord(object: ObjectMetadata, id: string, input: unknown, actor: TwentyActor = this.apiActor()): TwentyRecord {
    const existing = this.table(object.id).get(id);
    // Reference §6.2: newer builds answer 404 for an unknown id (older: 400 EntityNotFoundError).
    if (!existing || existing.deletedAt) throw notFound();
    const fields = this.metadata.activeFieldsOf(object.id);
    const updated = { ...this.applyInput(object, fields, input, existing, "update"), id, updatedAt: this.clock(), updatedBy: { ...actor } };
    this.checkUnique(object, [updated]);
    this.commit(object, [{ record: updated, previous: existing }]);
    return this.view(object, id);
  }

  /** Rows a filter selects for a bulk update/delete/restore; the filter is mandatory. */
  private selectForMutation(object: ObjectMetadata, filter: FilterNode | undefined, onlyDeleted: boolean): string[] {
    // The wording is not in the reference [U]; the 400 is (reference §2).
    if (!filter) throw badRequest("filter is required for this operation. eg: ?filter=id[in]:[…]");
    const fields = this.metadata.activeFieldsOf(object.id);
    const bound = bindFilter(filter, { objectNameSingular: object.nameSingular, fields });
    const includeDeleted = onlyDeleted || filterMentions(filter, "deletedAt");
    const ids = [...this.table(object.id).values()]
      .map((stored) => this.project(fields, stored))
      .filter((record) => (onlyDeleted ? record.deletedAt !== null : includeDeleted || record.deletedAt === null))
      .filter((record) => matchesFilter(bound, record))
      .map((record) => String(record.id));
    if (ids.length > MAX_RECORDS_AFFECTED_BY_FILTER) {
      // Reference §6.1 names the limit; the error wording is not confirmed [U].
      throw badRequest(`Maximum number of records affected at once is ${MAX_RECORDS_AFFECTED_BY_FILTER}.`, "TOO_MANY_RECORDS_TO_UPDATE");
    }
    return ids;
  }

  updateMany(object: ObjectMetadata, filter: FilterNode | undefined, input: unknown): TwentyRecord[] {
    const ids = this.selectForMutation(object, filter, false);
    const fields = this.metadata.activeFieldsOf(object.id);
    const now = this.clock();
    const table = this.table(object.id);
    const writes = ids.map((id) => {
      const existing = table.get(id) as TwentyRecord;
      return { record: { ...this.applyInput(object, fields, input, existing, "update"), id, updatedAt: now, updatedBy: this.apiActor() }, previous: existing };
    });
    this.checkUnique(
      object,
      writes.map((write) => write.record),
    );
    this.commit(object, writes);
    return ids.map((id) => this.view(object, id));
  }

  softDelete(object: ObjectMetadata, id: string): TwentyRecord {
    const existing = this.table(object.id).get(id);
    if (!existing || existing.deletedAt) throw notFound();
    this.table(object.id).set(id, { ...existing, deletedAt: this.clock() });
    return this.view(object, id);
  }

  /** Hard delete (reference §2: the default for DELETE). Works on soft-deleted rows too. */
  destroy(object: ObjectMetadata, id: string): TwentyRecord {
    if (!this.table(object.id).has(id)) throw notFound();
    const record = this.view(object, id);
    this.destroyCascading(object, id);
    return record;
  }

  private destroyCascading(object: ObjectMetadata, id: string) {
    this.removeRow(object, id);
    // Relations pointing here: CASCADE removes the rows (note/task targets), SET_NULL clears the join column.
    for (const field of this.metadata.listFields()) {
      if (field.relationTarget?.objectMetadataId !== object.id) continue;
      const joinColumn = joinColumnOf(field);
      const source = this.metadata.object(field.objectMetadataId);
      if (!joinColumn || !source) continue;
      const onDelete = (field.settings as RelationSettings | null)?.onDelete ?? "SET_NULL";
      for (const row of [...this.table(source.id).values()]) {
        if (row[joinColumn] !== id) continue;
        if (onDelete === "CASCADE") this.destroyCascading(source, String(row.id));
        else this.table(source.id).set(String(row.id), { ...row, [joinColumn]: null });
      }
    }
  }

  restore(object: ObjectMetadata, id: string): TwentyRecord {
    const existing = this.table(object.id).get(id);
    if (!existing || !existing.deletedAt) throw notFound();
    this.table(object.id).set(id, { ...existing, deletedAt: null });
    return this.view(object, id);
  }

  deleteMany(object: ObjectMetadata, filter: FilterNode | undefined, soft: boolean): TwentyRecord[] {
    const ids = this.selectForMutation(object, filter, false);
    return ids.map((id) => (soft ? this.softDelete(object, id) : this.destroy(object, id)));
  }

  restoreMany(object: ObjectMetadata, filter: FilterNode | undefined): TwentyRecord[] {
    const ids = this.selectForMutation(object, filter, true);
    return ids.map((id) => this.restore(object, id));
  }

  // -------------------------------------------------------------------------------------------
  // Metadata side effects on stored rows
  // -------------------------------------------------------------------------------------------

  /** A deleted field's values go with it, so a new field of the same name starts empty. */
  dropFieldValues(objectId: string, names: string[]) {
    for (const row of this.table(objectId).values()) for (const name of names) delete row[name];
    this.table(objectId).changedInPlace();
    this.uniqueIndexes.delete(objectId);
  }

  renameFieldValues(objectId: string, from: string, to: string) {
    for (const row of this.table(objectId).values()) {
      if (!(from in row)) continue;
      row[to] = row[from];
      delete row[from];
    }
    this.table(objectId).changedInPlace();
    this.uniqueIndexes.delete(objectId);
  }

  /** Removing select options clears them from records [U: Twenty migrates such values to null]. */
  dropOptionValues(objectId: string, field: FieldMetadata, removed: string[]) {
    if (removed.length === 0) return;
    for (const row of this.table(objectId).values()) {
      const value = row[field.name];
      if (typeof value === "string" && removed.includes(value)) row[field.name] = null;
      if (Array.isArray(value)) row[field.name] = value.filter((item) => !removed.includes(String(item)));
    }
    this.table(objectId).changedInPlace();
    this.uniqueIndexes.delete(objectId);
  }

  dropTable(objectId: string) {
    this.tables.delete(objectId);
    this.uniqueIndexes.delete(objectId);
  }

  // -------------------------------------------------------------------------------------------
  // Webhooks (reference §5.2)
  // -------------------------------------------------------------------------------------------

  webhooks(): TwentyWebhook[] {
    return [...this.webhookItems.values()].map((webhook) => structuredClone(webhook));
  }

  webhook(id: string): TwentyWebhook | undefined {
    const webhook = this.webhookItems.get(id);
    return webhook ? structuredClone(webhook) : undefined;
  }

  addWebhook(input: { targetUrl: string; operations?: string[]; description?: string; secret?: string }): TwentyWebhook {
    const now = this.clock();
    const webhook: TwentyWebhook = {
      id: randomUUID(),
      targetUrl: input.targetUrl,
      operations: input.operations ?? ["*.*"],
      description: input.description ?? null,
      secret: input.secret ?? randomUUID(),
      applicationId: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    this.webhookItems.set(webhook.id, webhook);
    return structuredClone(webhook);
  }

  updateWebhook(id: string, patch: Partial<Pick<TwentyWebhook, "targetUrl" | "operations" | "description" | "secret">>): TwentyWebhook | undefined {
    const webhook = this.webhookItems.get(id);
    if (!webhook) return undefined;
    Object.assign(webhook, patch, { updatedAt: this.clock() });
    return structuredClone(webhook);
  }

  deleteWebhook(id: string): boolean {
    return this.webhookItems.delete(id);
  }

  // -------------------------------------------------------------------------------------------
  // Test and seed helpers (TwentySandboxState)
  // -------------------------------------------------------------------------------------------

  private requireObject(namePlural: string): ObjectMetadata {
    const object = this.metadata.activeObjectByPlural(namePlural);
    if (!object) throw new Error(`The Twenty sandbox has no object "${namePlural}"`);
    return object;
  }

  records(namePlural: string): TwentyRecord[] {
    const object = this.requireObject(namePlural);
    const fields = this.metadata.activeFieldsOf(object.id);
    return [...this.table(object.id).values()].map((stored) => structuredClone(this.project(fields, stored)));
  }

  record(namePlural: string, id: string): TwentyRecord | undefined {
    const object = this.requireObject(namePlural);
    const stored = this.table(object.id).get(id);
    return stored ? structuredClone(this.project(this.metadata.activeFieldsOf(object.id), stored)) : undefined;
  }

  insertRecords(namePlural: string, inputs: TwentyRecord[], actor?: TwentyActor): TwentyRecord[] {
    return this.createRecords(this.requireObject(namePlural), inputs, { upsert: false, single: false, actor });
  }

  addWorkspaceMember(member: { email: string; firstName: string; lastName: string }): TwentyRecord {
    const system: TwentyActor = { source: "SYSTEM", workspaceMemberId: null, name: "System", context: {} };
    const [created] = this.insertRecords(
      "workspaceMembers",
      [{ name: { firstName: member.firstName, lastName: member.lastName }, userEmail: member.email.toLowerCase(), userId: randomUUID(), avatarUrl: "" }],
      system,
    );
    return created;
  }

  addWorkflow(input: { name: string; statuses?: WorkflowStatus[]; trigger?: unknown; steps?: unknown[] }): { workflow: TwentyRecord; version: TwentyRecord } {
    const statuses = input.statuses ?? ["DRAFT"];
    const versionStatus = statuses.includes("ACTIVE") ? "ACTIVE" : statuses.includes("DEACTIVATED") ? "DEACTIVATED" : "DRAFT";
    const [workflow] = this.insertRecords("workflows", [{ name: input.name, statuses }]);
    const [version] = this.insertRecords("workflowVersions", [
      {
        name: "v1",
        workflowId: workflow.id,
        status: versionStatus,
        // Reference §5.1: a DATABASE_EVENT trigger fires once per imported record.
        trigger: input.trigger ?? { type: "DATABASE_EVENT", name: "Record is created", settings: { eventName: "person.created", outputSchema: {} } },
        steps: input.steps ?? [],
      },
    ]);
    const published =
      versionStatus === "DRAFT" ? workflow : this.updateRecord(this.requireObject("workflows"), String(workflow.id), { lastPublishedVersionId: version.id });
    return { workflow: structuredClone(published), version: structuredClone(version) };
  }

  objectMetadata(): Record<string, unknown>[] {
    return this.metadata.listObjects().map((object) => structuredClone(this.metadata.renderObject(object)));
  }
}
