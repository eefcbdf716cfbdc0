// Agents (reference §5.6): `/users.json` lists agents (archived ones only with
// includeArchived=true), `/agentinvites.json` pending invitations, `/me.json` the key's user.
import { conflict, forbidden, notFound, validation } from "../errors";
import type { ApiRequest, ApiResponse } from "../http-types";
import { isEmail, readBoolean, readEnum, readRefList, readString, unwrap } from "../input";
import type { UserRole } from "../model";
import { listResponse, singleResponse } from "../query";
import type { DeskStore } from "../store";
import { VIEWS, userFilters } from "../views";
import { CREATED, crud, existing, found, noRoute, requireAdmin } from "./common";

const view = VIEWS.users;
const ROLES: readonly UserRole[] = ["Admin", "Agent"];

/**
 * `GET /me.json`: the reference documents it on v1 (§5.6 [S]); on v2 it is [U] but served with
 * the same user object. `role` "Admin" tells an administrator (§5.6).
 */
export function meResponse(store: DeskStore, request: ApiRequest, version: "v1" | "v2"): ApiResponse {
  if (request.method !== "GET") return noRoute(request);
  const user = view.render(store, store.owner());
  return { status: 200, body: version === "v2" ? { user, included: {} } : { user } };
}

function createUser(store: DeskStore, request: ApiRequest): ApiResponse {
  // Creating an agent sends an invitation (reference §5.6: semantics [U]; seed 003: agents are
  // invited and must accept before they are active).
  requireAdmin(store, "invite agents");
  const input = unwrap(request.body, "user");
  const email = readString(input, "email", { required: true })!.trim();
  if (!isEmail(email)) throw validation("must be a valid email address", "email");
  if (store.findUserByEmail(email)) throw conflict(`an agent with email ${email} already exists`, "email");
  const inboxIds = (readRefList(input, "inboxes") ?? []).map((entry, index) => existing(store.inboxes, entry.id, `inboxes[${index}].id`).id);
  const role = readEnum(input, "role", ROLES) ?? "Agent";
  const user = store.createUser({
    email,
    firstName: readString(input, "firstName") ?? "",
    lastName: readString(input, "lastName") ?? "",
    isPartTime: readBoolean(input, "isPartTime") ?? false,
    isAdmin: role === "Admin",
    state: "invited",
    inboxIds,
  });
  return singleResponse(store, view, user, request.params, CREATED);
}

function updateUser(store: DeskStore, request: ApiRequest, id: number): ApiResponse {
  const user = store.users.get(id);
  if (!user) throw notFound(`User ${id} not found`);
  if (id !== store.keyOwnerId && !store.isAdmin()) throw forbidden("Only administrators can edit other agents");
  const input = unwrap(request.body, "user");
  const role = readEnum(input, "role", ROLES);
  if (role !== undefined && !store.isAdmin()) throw forbidden("Only administrators can change roles");
  const firstName = readString(input, "firstName");
  const lastName = readString(input, "lastName");
  const isPartTime = readBoolean(input, "isPartTime");
  if (firstName !== undefined) user.firstName = firstName;
  if (lastName !== undefined) user.lastName = lastName;
  if (isPartTime !== undefined) user.isPartTime = isPartTime;
  if (role !== undefined) user.role = role;
  store.touch(user);
  return singleResponse(store, view, user, request.params);
}

export function handleUsers(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  return crud(request, rest, {
    list: () => listResponse(store, view, request.params, { filters: userFilters(store) }),
    create: () => createUser(store, request),
    // Archived agents stay readable by id.
    get: (id) => {
      const user = store.users.get(id);
      if (!user) throw notFound(`User ${id} not found`);
      return singleResponse(store, view, user, request.params);
    },
    update: (id) => updateUser(store, request, id),
  });
}

export function handleAgentInvites(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  const invites = VIEWS.agentinvites;
  return crud(request, rest, {
    // Reference §5.6: invitations expire after 24 h; expired ones are no longer pending.
    list: () =>
      listResponse(store, invites, request.params, { rows: store.agentinvites.all().filter((invite) => Date.parse(invite.expiresAt) > store.nowMs()) }),
    get: (id) => singleResponse(store, invites, found(store.agentinvites, id, "Invite"), request.params),
  });
}
