// Helpers shared by the resource handlers: CRUD dispatch, permission checks, lookups.
import { forbidden, notFound, validation } from "../errors";
import type { ApiRequest, ApiResponse } from "../http-types";
import { parseId } from "../input";
import type { BaseRow } from "../model";
import type { DeskStore, Table } from "../store";

/**
 * Creates other than tickets answer 201 ([U]: the reference only documents 200 for ticket create
 * and 201 for reactions — §4 "creates may return either").
 */
export const CREATED = 201;

export type Crud = {
  list?: () => ApiResponse;
  create?: () => ApiResponse;
  get?: (id: number) => ApiResponse;
  /** Reference §5: the Go SDK uses PUT, the official examples PATCH; both are accepted. */
  update?: (id: number) => ApiResponse;
  remove?: (id: number) => ApiResponse;
  /** `PATCH /<resource>/update.json` (bulk by filter). */
  bulkUpdate?: () => ApiResponse;
};

export function noRoute(request: ApiRequest): never {
  throw notFound(`No route for ${request.method} ${request.path}`);
}

/** Dispatches `/<resource>.json` and `/<resource>/{id}.json` by method. */
export function crud(request: ApiRequest, rest: string[], handlers: Crud): ApiResponse {
  const { method } = request;
  if (rest.length === 0) {
    if (method === "GET" && handlers.list) return handlers.list();
    if (method === "POST" && handlers.create) return handlers.create();
    return noRoute(request);
  }
  if (rest.length === 1) {
    if (rest[0] === "update" && (method === "PATCH" || method === "PUT") && handlers.bulkUpdate) return handlers.bulkUpdate();
    const id = parseId(rest[0]);
    if (id === null) return noRoute(request);
    if (method === "GET" && handlers.get) return handlers.get(id);
    if ((method === "PATCH" || method === "PUT") && handlers.update) return handlers.update(id);
    if (method === "DELETE" && handlers.remove) return handlers.remove(id);
  }
  return noRoute(request);
}

/**
 * Settings (inboxes, triggers, custom fields, agents, statuses…) are admin-only in Desk: the
 * migration guide (seed 003) asks for an admin login for each; the API's exact rule is [U].
 */
export function requireAdmin(store: DeskStore, action: string) {
  if (!store.isAdmin()) throw forbidden(`Only administrators can ${action}`);
}

/** A live row by id, or the reference's 404. */
export function found<T extends BaseRow>(table: Table<T>, id: number, label: string): T {
  const row = table.get(id);
  if (!row || row.state === "deleted") throw notFound(`${label} ${id} not found`);
  return row;
}

/** A row referenced from a body: unknown ids are a validation error on that field. */
export function existing<T extends BaseRow>(table: Table<T>, id: number, source: string): T {
  const row = table.get(id);
  if (!row || row.state === "deleted") throw validation(`${id} does not exist`, source);
  return row;
}
