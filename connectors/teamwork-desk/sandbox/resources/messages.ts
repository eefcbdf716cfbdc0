// Threads read on their own (reference §5.2: `GET /messages.json`, `GET /messages/{id}.json`,
// from the Go SDK). Writing goes through POST /tickets/{id}/messages.json (tickets.ts).
import { forbidden } from "../errors";
import type { ApiRequest, ApiResponse } from "../http-types";
import { listResponse, singleResponse } from "../query";
import type { DeskStore } from "../store";
import { VIEWS } from "../views";
import { crud, found } from "./common";

export function handleMessages(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  return crud(request, rest, {
    list: () => listResponse(store, VIEWS.messages, request.params),
    get: (id) => {
      const message = found(store.messages, id, "Message");
      const inboxId = store.tickets.get(message.ticketId)?.inboxId ?? -1;
      if (!store.canAccessInbox(inboxId)) throw forbidden(`You do not have access to inbox ${inboxId}`);
      return singleResponse(store, VIEWS.messages, message, request.params);
    },
  });
}
