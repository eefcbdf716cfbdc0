// Inboxes (reference §5.7): `{"inbox":{"name","localPart","email","users":[{"id"}]}}`. A new
// site has none until an admin creates one (seed 003: "create your first inbox").
import type { ApiRequest, ApiResponse } from "../http-types";
import { noContent } from "../http-types";
import { readBoolean, readRefId, readRefList, readString, unwrap, type InputObject } from "../input";
import type { InboxRow } from "../model";
import { listResponse, singleResponse } from "../query";
import type { DeskStore } from "../store";
import { VIEWS } from "../views";
import { CREATED, crud, existing, found, requireAdmin } from "./common";

const view = VIEWS.inboxes;

function readMembers(store: DeskStore, input: InputObject): number[] | undefined {
  return readRefList(input, "users")?.map((entry, index) => existing(store.users, entry.id, `users[${index}].id`).id);
}

function applyFields(store: DeskStore, inbox: InboxRow, input: InputObject) {
  for (const name of ["name", "email", "localPart", "signature", "autoReplySubject", "autoReplyMessage", "sendEmailsFrom", "languageCode"] as const) {
    const value = readString(input, name, { required: name === "name" && input.name !== undefined });
    if (value !== undefined) inbox[name] = value;
  }
  for (const name of ["autoReplyEnabled", "happinessRatingEnabled"] as const) {
    const value = readBoolean(input, name);
    if (value !== undefined) inbox[name] = value;
  }
  const statusId = readRefId(input, "ticketstatus");
  if (statusId !== undefined) inbox.ticketstatusId = statusId === null ? null : existing(store.ticketstatuses, statusId, "ticketstatus").id;
}

export function handleInboxes(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  return crud(request, rest, {
    list: () => listResponse(store, view, request.params),
    create: () => {
      requireAdmin(store, "create inboxes");
      const input = unwrap(request.body, "inbox");
      const name = readString(input, "name", { required: true })!;
      const members = readMembers(store, input);
      const inbox = store.createInbox({
        name,
        email: readString(input, "email"),
        localPart: readString(input, "localPart"),
        memberIds: [...new Set([store.keyOwnerId, ...(members ?? [])])],
      });
      applyFields(store, inbox, input);
      return singleResponse(store, view, inbox, request.params, CREATED);
    },
    get: (id) => singleResponse(store, view, found(store.inboxes, id, "Inbox"), request.params),
    update: (id) => {
      requireAdmin(store, "edit inboxes");
      const inbox = found(store.inboxes, id, "Inbox");
      const input = unwrap(request.body, "inbox");
      const members = readMembers(store, input);
      applyFields(store, inbox, input);
      if (members) inbox.members = inbox.members.filter((member) => members.includes(member.userId));
      for (const userId of members ?? []) store.addMember(inbox.id, userId);
      store.touch(inbox);
      return singleResponse(store, view, inbox, request.params);
    },
    remove: (id) => {
      requireAdmin(store, "delete inboxes");
      store.softDelete(found(store.inboxes, id, "Inbox"));
      return noContent();
    },
  });
}
