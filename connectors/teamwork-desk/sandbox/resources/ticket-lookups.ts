// Ticket statuses, priorities, types and sources (reference §5.10): paths and wrappers
// `ticketstatuses`/`ticketstatus` etc.; all creatable and updatable (admin settings).
import type { ApiRequest, ApiResponse } from "../http-types";
import { readBoolean, readNumber, readRefList, readString, unwrap, type InputObject } from "../input";
import type { BaseRow } from "../model";
import { listResponse, singleResponse } from "../query";
import type { DeskStore, Table } from "../store";
import { VIEWS, type View } from "../views";
import { CREATED, crud, existing, found, requireAdmin } from "./common";

type LookupRow = BaseRow & { name: string; displayOrder: number };

function lookupHandler<T extends LookupRow>(
  view: View<T>,
  table: (store: DeskStore) => Table<T>,
  build: (store: DeskStore, name: string, displayOrder: number) => T,
  apply: (store: DeskStore, row: T, input: InputObject) => void,
) {
  return (store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse =>
    crud(request, rest, {
      list: () => listResponse(store, view, request.params),
      create: () => {
        requireAdmin(store, `create ${view.plural}`);
        const input = unwrap(request.body, view.singular);
        const name = readString(input, "name", { required: true })!;
        const rows = table(store);
        // Validate before inserting, so a bad field leaves nothing behind.
        const probe = build(store, name, readNumber(input, "displayOrder") ?? rows.size);
        apply(store, probe, input);
        const row = rows.insert({ ...probe, id: rows.nextId() });
        return singleResponse(store, view, row, request.params, CREATED);
      },
      get: (id) => singleResponse(store, view, found(table(store), id, view.singular), request.params),
      update: (id) => {
        requireAdmin(store, `edit ${view.plural}`);
        const row = found(table(store), id, view.singular);
        const input = unwrap(request.body, view.singular);
        const name = input.name === undefined ? undefined : readString(input, "name", { required: true });
        const displayOrder = readNumber(input, "displayOrder");
        apply(store, row, input);
        if (name !== undefined) row.name = name;
        if (displayOrder !== undefined) row.displayOrder = displayOrder;
        store.touch(row);
        return singleResponse(store, view, row, request.params);
      },
    });
}

function setStrings<T extends Record<string, unknown>>(row: T, input: InputObject, names: (keyof T & string)[]) {
  for (const name of names) {
    const value = readString(input, name);
    if (value !== undefined) (row as Record<string, unknown>)[name] = value;
  }
}

export const handleTicketStatuses = lookupHandler(
  VIEWS.ticketstatuses,
  (store) => store.ticketstatuses,
  (store, name, displayOrder) => ({
    id: 0,
    ...store.base(),
    name,
    code: name.toLowerCase().replace(/[^a-z0-9]+/g, ""),
    color: "#8f9bb3",
    icon: "",
    displayOrder,
    isCustom: true,
  }),
  (_store, row, input) => setStrings(row, input, ["code", "color", "icon"]),
);

export const handleTicketPriorities = lookupHandler(
  VIEWS.ticketpriorities,
  (store) => store.ticketpriorities,
  (store, name, displayOrder) => ({ id: 0, ...store.base(), name, color: "#8f9bb3", icon: "", displayOrder }),
  (_store, row, input) => setStrings(row, input, ["color", "icon"]),
);

export const handleTicketTypes = lookupHandler(
  VIEWS.tickettypes,
  (store) => store.tickettypes,
  (store, name, displayOrder) => ({ id: 0, ...store.base(), name, displayOrder, inboxIds: [], isDefault: false, enabledForFutureInboxes: false }),
  (store, row, input) => {
    const inboxes = readRefList(input, "inboxes")?.map((entry, index) => existing(store.inboxes, entry.id, `inboxes[${index}].id`).id);
    if (inboxes) row.inboxIds = inboxes;
    const isDefault = readBoolean(input, "default");
    if (isDefault !== undefined) row.isDefault = isDefault;
    const future = readBoolean(input, "enabledForFutureInboxes");
    if (future !== undefined) row.enabledForFutureInboxes = future;
  },
);

export const handleTicketSources = lookupHandler(
  VIEWS.ticketsources,
  (store) => store.ticketsources,
  (store, name, displayOrder) => ({ id: 0, ...store.base(), name, icon: "", displayOrder, isCustom: true }),
  (_store, row, input) => setStrings(row, input, ["icon"]),
);
