// The v1 endpoints Ferry uses (reference §1.3): users (§5.6), activity types (§5.4) and notes
// (§5.5) with offset pagination (§3.2).
import type { SandboxResponse } from "@/connectors/shared/sandbox-kit";
import { envelope } from "./api-v2";
import { badRequest, notFound, routeNotFound } from "./errors";
import { offsetPage } from "./paging";
import type { PipedriveStore, SandboxUser, StoredNote } from "./store";
import type { ApiRequest } from "./types";
import { parseInstant, requireInteger, requireRecord, requireString, requireUser, v1Time } from "./values";

function renderUser(user: SandboxUser) {
  return { ...user, default_currency: "USD", locale: "en_US", lang: 1, activated: true, is_deleted: false, role_id: 1, timezone_name: "UTC" };
}

function renderNote(note: StoredNote) {
  const { addTime, updateTime, ...rest } = note;
  return {
    ...rest,
    lead_id: null,
    project_id: null,
    active_flag: true,
    add_time: v1Time(addTime),
    update_time: v1Time(updateTime),
    pinned_to_deal_flag: false,
    pinned_to_organization_flag: false,
    pinned_to_person_flag: false,
  };
}

const NOTE_SORT_FIELDS = new Set(["id", "user_id", "deal_id", "person_id", "org_id", "content", "add_time", "update_time"]);

/** §5.5: `sort` is "field ASC|DESC[, …]"; the default is id ascending [U]. */
function sortNotes(notes: StoredNote[], sort: string | null): StoredNote[] {
  const keys = (sort ?? "id ASC").split(",").map((part) => {
    const [field, direction = "ASC"] = part.trim().split(/\s+/);
    if (!NOTE_SORT_FIELDS.has(field) || !/^(asc|desc)$/i.test(direction)) throw badRequest(`Invalid sort '${part.trim()}'`);
    const key = field === "add_time" ? "addTime" : field === "update_time" ? "updateTime" : field;
    return { key: key as keyof StoredNote, sign: direction.toUpperCase() === "DESC" ? -1 : 1 };
  });
  return [...notes].sort((a, b) => {
    for (const { key, sign } of keys) {
      const left = a[key] ?? "";
      const right = b[key] ?? "";
      if (left < right) return -sign;
      if (left > right) return sign;
    }
    return a.id - b.id;
  });
}

function listNotes(store: PipedriveStore, params: URLSearchParams): SandboxResponse {
  let notes = [...store.notes.values()];
  const since = params.get("updated_since");
  if (since) {
    const sinceMs = parseInstant(since, "updated_since");
    notes = notes.filter((note) => note.updateTime >= sinceMs);
  }
  for (const key of ["deal_id", "person_id", "org_id", "user_id"] as const) {
    const wanted = params.get(key);
    if (wanted !== null) notes = notes.filter((note) => String(note[key] ?? "") === wanted);
  }
  const { page, pagination } = offsetPage(sortNotes(notes, params.get("sort")), params);
  return envelope(page.map(renderNote), { pagination });
}

const LINKS = [
  ["deal_id", "deals"],
  ["person_id", "persons"],
  ["org_id", "organizations"],
] as const;

/** §5.5: content (HTML) and at least one of deal_id, person_id, org_id; user_id and add_time optional. */
function acceptNote(store: PipedriveStore, body: unknown, existing?: StoredNote) {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("The request body must be a JSON object");
  const input = body as Record<string, unknown>;
  const note = {
    content: existing?.content ?? "",
    person_id: existing?.person_id ?? null,
    org_id: existing?.org_id ?? null,
    deal_id: existing?.deal_id ?? null,
    user_id: existing?.user_id ?? store.currentUserId,
  };
  if (input.content !== undefined) note.content = requireString(input.content, "content", 100_000);
  for (const [key, entity] of LINKS) if (input[key] !== undefined) note[key] = input[key] === null ? null : requireRecord(store, entity, input[key], key);
  if (input.user_id !== undefined) note.user_id = requireUser(store, input.user_id, "user_id");
  if (note.content.trim() === "") throw badRequest("Parameter 'content' is required");
  if (note.deal_id === null && note.person_id === null && note.org_id === null)
    throw badRequest("Parameter 'deal_id', 'person_id', 'org_id', 'lead_id' or 'project_id' is required");
  const addTime = !existing && typeof input.add_time === "string" ? parseInstant(input.add_time, "add_time") : undefined;
  return { note, addTime };
}

function noteRoute(store: PipedriveStore, request: ApiRequest, rawId: string | undefined): SandboxResponse {
  if (rawId === undefined) {
    if (request.method === "GET") return listNotes(store, request.params);
    if (request.method === "POST") {
      const { note, addTime } = acceptNote(store, request.body);
      return envelope(renderNote(store.insertNote(note, addTime)), undefined, 201);
    }
    throw routeNotFound(request.method, request.path);
  }
  const id = requireInteger(rawId, "id");
  const existing = store.notes.get(id);
  if (!existing) throw notFound("Note not found");
  if (request.method === "GET") return envelope(renderNote(existing));
  if (request.method === "PUT") {
    const { note } = acceptNote(store, request.body, existing);
    Object.assign(existing, note, { updateTime: store.now() });
    return envelope(renderNote(existing));
  }
  if (request.method === "DELETE") {
    store.notes.delete(id);
    return envelope(true);
  }
  throw routeNotFound(request.method, request.path);
}

export function handleV1(store: PipedriveStore, request: ApiRequest): SandboxResponse {
  const [collection, id, extra] = request.segments;
  if (extra !== undefined) throw routeNotFound(request.method, request.path);
  if (collection === "notes") return noteRoute(store, request, id);
  if (request.method !== "GET") throw routeNotFound(request.method, request.path);
  if (collection === "users" && id === undefined) return envelope(store.users.map(renderUser));
  if (collection === "users" && id === "me") {
    const me = store.users.find((user) => user.id === store.currentUserId);
    if (!me) throw notFound("User not found");
    return envelope({ ...renderUser(me), company_id: 1, company_name: store.companyName, company_domain: store.companyDomain, is_you: true });
  }
  if (collection === "users" && id !== undefined) {
    const user = store.users.find((candidate) => String(candidate.id) === id);
    if (!user) throw notFound("User not found");
    return envelope(renderUser(user));
  }
  if (collection === "activityTypes" && id === undefined) return envelope(store.activityTypes);
  throw routeNotFound(request.method, request.path);
}
