// Webhook endpoints (reference §5.14): stored and listed; the sandbox does not deliver events.
import { validation } from "../errors";
import type { ApiRequest, ApiResponse } from "../http-types";
import { noContent } from "../http-types";
import { includedOf, isObject, parseId, readBoolean, readString, unwrap, type InputObject } from "../input";
import type { WebhookEndpointRow } from "../model";
import { listResponse, singleResponse } from "../query";
import type { DeskStore } from "../store";
import { VIEWS } from "../views";
import { CREATED, crud, existing, found, requireAdmin } from "./common";

const view = VIEWS.webhookendpoints;

function readEvents(included: InputObject): string[] | undefined {
  const raw = included.webhookendpointevents;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw validation("must be an array", "included.webhookendpointevents");
  return raw.map((entry, index) => {
    if (!isObject(entry) || typeof entry.code !== "string") throw validation("must be an object with a code", `included.webhookendpointevents[${index}]`);
    return entry.code;
  });
}

function readInboxes(store: DeskStore, included: InputObject): number[] | undefined {
  const raw = included.webhookendpointinboxes;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw validation("must be an array", "included.webhookendpointinboxes");
  return raw.map((entry, index) => {
    const id = isObject(entry) && isObject(entry.inbox) ? parseId(entry.inbox.id) : null;
    if (id === null) throw validation("must be an object with an inbox ref", `included.webhookendpointinboxes[${index}]`);
    return existing(store.inboxes, id, `included.webhookendpointinboxes[${index}].inbox`).id;
  });
}

function readUrl(input: InputObject, required: boolean): string | undefined {
  const url = readString(input, "url", { required });
  if (url !== undefined && !/^https?:\/\/\S+$/.test(url)) throw validation("must be an http(s) URL", "url");
  return url;
}

function apply(store: DeskStore, row: WebhookEndpointRow, input: InputObject, included: InputObject) {
  const url = readUrl(input, false);
  const token = readString(input, "token");
  const contentType = readString(input, "contentType");
  const state = readString(input, "state");
  const allInboxes = readBoolean(input, "allInboxes");
  const allEvents = readBoolean(input, "allEvents");
  const events = readEvents(included);
  const inboxIds = readInboxes(store, included);
  if (url !== undefined) row.url = url;
  if (token !== undefined) row.token = token;
  if (contentType !== undefined) row.contentType = contentType;
  if (state !== undefined) row.state = state;
  if (allInboxes !== undefined) row.allInboxes = allInboxes;
  if (allEvents !== undefined) row.allEvents = allEvents;
  if (events) row.events = events;
  if (inboxIds) row.inboxIds = inboxIds;
}

export function handleWebhooks(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  return crud(request, rest, {
    list: () => listResponse(store, view, request.params),
    create: () => {
      requireAdmin(store, "manage webhooks");
      const input = unwrap(request.body, "webhookendpoint");
      const included = includedOf(request.body);
      const url = readUrl(input, true)!;
      const row: WebhookEndpointRow = {
        id: 0,
        ...store.base(),
        url,
        token: "",
        allInboxes: true,
        allEvents: true,
        contentType: "application/json",
        events: [],
        inboxIds: [],
      };
      apply(store, row, input, included);
      const saved = store.webhookendpoints.insert({ ...row, id: store.webhookendpoints.nextId() });
      return singleResponse(store, view, saved, request.params, CREATED);
    },
    get: (id) => singleResponse(store, view, found(store.webhookendpoints, id, "Webhook endpoint"), request.params),
    update: (id) => {
      requireAdmin(store, "manage webhooks");
      const row = found(store.webhookendpoints, id, "Webhook endpoint");
      const input = unwrap(request.body, "webhookendpoint");
      const included = includedOf(request.body);
      const draft = structuredClone(row);
      apply(store, draft, input, included);
      Object.assign(row, draft);
      store.touch(row);
      return singleResponse(store, view, row, request.params);
    },
    remove: (id) => {
      requireAdmin(store, "manage webhooks");
      store.softDelete(found(store.webhookendpoints, id, "Webhook endpoint"));
      return noContent();
    },
  });
}
