// Tags (reference §5.9): `name`, `color`, inbox scoping. Managing tags may be admin-only
// depending on the site setting "Agents can manage tags"; the sandbox site has it on [U].
import type { ApiRequest, ApiResponse } from "../http-types";
import { noContent } from "../http-types";
import { readRefList, readString, unwrap, type InputObject } from "../input";
import { listResponse, singleResponse } from "../query";
import type { DeskStore } from "../store";
import { VIEWS } from "../views";
import { CREATED, crud, existing, found } from "./common";

const view = VIEWS.tags;

function readInboxIds(store: DeskStore, input: InputObject): number[] | undefined {
  return readRefList(input, "inboxes")?.map((entry, index) => existing(store.inboxes, entry.id, `inboxes[${index}].id`).id);
}

export function handleTags(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  return crud(request, rest, {
    list: () => listResponse(store, view, request.params),
    create: () => {
      const input = unwrap(request.body, "tag");
      const name = readString(input, "name", { required: true })!;
      const inboxIds = readInboxIds(store, input);
      const tag = store.createTag({ name, color: readString(input, "color") });
      if (inboxIds) tag.inboxIds = inboxIds;
      return singleResponse(store, view, tag, request.params, CREATED);
    },
    get: (id) => singleResponse(store, view, found(store.tags, id, "Tag"), request.params),
    update: (id) => {
      const tag = found(store.tags, id, "Tag");
      const input = unwrap(request.body, "tag");
      const name = input.name === undefined ? undefined : readString(input, "name", { required: true });
      const color = readString(input, "color");
      const inboxIds = readInboxIds(store, input);
      if (name !== undefined) tag.name = name;
      if (color !== undefined) tag.color = color;
      if (inboxIds) tag.inboxIds = inboxIds;
      store.touch(tag);
      return singleResponse(store, view, tag, request.params);
    },
    remove: (id) => {
      const tag = found(store.tags, id, "Tag");
      store.softDelete(tag);
      for (const ticket of store.tickets.all()) ticket.tagIds = ticket.tagIds.filter((tagId) => tagId !== id);
      return noContent();
    },
  });
}
