// Customers (reference §5.4): wrapped create/update with `included.contacts` and
// `included.companies`; the MCP's `{"customer":{"email":…}}` short form is accepted too.
import { conflict, mustBeSet, validation } from "../errors";
import type { ApiRequest, ApiResponse } from "../http-types";
import { noContent } from "../http-types";
import { includedOf, isEmail, isObject, normalizeEmail, parseId, readString, unwrap, type InputObject } from "../input";
import { CONTACT_TYPES, type ContactType, type CustomerRow } from "../model";
import { listResponse, singleResponse } from "../query";
import type { DeskStore } from "../store";
import { VIEWS, customerFilters } from "../views";
import { CREATED, crud, existing, found } from "./common";

const view = VIEWS.customers;
const TEXT_FIELDS = [
  "firstName",
  "lastName",
  "organization",
  "extraData",
  "notes",
  "linkedinURL",
  "facebookURL",
  "twitterHandle",
  "jobTitle",
  "phone",
  "mobile",
  "address",
  "externalId",
  "avatarURL",
] as const;

type ContactChange = { id?: number; type: ContactType; value: string; isMain: boolean; remove: boolean };

function readContacts(raw: unknown): ContactChange[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw validation("must be an array", "included.contacts");
  return raw.map((entry, index) => {
    const source = `included.contacts[${index}]`;
    if (!isObject(entry)) throw validation("must be an object", source);
    const id = entry.id === undefined || entry.id === null ? undefined : (parseId(entry.id) ?? undefined);
    const remove = entry.delete === true;
    const type = (entry.type ?? "email") as ContactType;
    if (!(CONTACT_TYPES as readonly string[]).includes(type)) throw validation(`type must be one of ${CONTACT_TYPES.join(", ")}`, `${source}.type`);
    const value = typeof entry.value === "string" ? entry.value.trim() : "";
    if (!remove && value === "") throw mustBeSet(`${source}.value`);
    if (!remove && type === "email" && !isEmail(value)) throw validation("must be a valid email address", `${source}.value`);
    return { id, type, value, isMain: entry.isMain === true, remove };
  });
}

function readCompanyLinks(store: DeskStore, included: InputObject): { add: number[]; remove: number[] } {
  const raw = included.companies;
  const result = { add: [] as number[], remove: [] as number[] };
  if (raw === undefined || raw === null) return result;
  if (!Array.isArray(raw)) throw validation("must be an array", "included.companies");
  raw.forEach((entry, index) => {
    const id = isObject(entry) ? parseId(entry.id) : null;
    if (id === null) throw validation("must be an object with an id", `included.companies[${index}]`);
    existing(store.companies, id, `included.companies[${index}].id`);
    (isObject(entry) && entry.delete === true ? result.remove : result.add).push(id);
  });
  return result;
}

/** Reference §5.4 does not document uniqueness; one customer per email is what lookups by email assume (409 [U]). */
function assertEmailFree(store: DeskStore, email: string, customerId: number | null, source: string) {
  const owner = store.findCustomerByEmail(email);
  if (owner && owner.id !== customerId) throw conflict(`a customer with email ${normalizeEmail(email)} already exists (id ${owner.id})`, source);
}

function applyTextFields(customer: CustomerRow, input: InputObject) {
  for (const name of TEXT_FIELDS) {
    const value = readString(input, name);
    if (value !== undefined) customer[name] = value;
  }
  if (typeof input.trusted === "boolean") customer.trusted = input.trusted;
  if (typeof input.verifiedEmail === "boolean") customer.verifiedEmail = input.verifiedEmail;
}

function createCustomer(store: DeskStore, request: ApiRequest): ApiResponse {
  const input = unwrap(request.body, "customer");
  const included = includedOf(request.body);
  const contacts = readContacts(included.contacts).filter((contact) => !contact.remove);
  const direct = readString(input, "email");
  if (direct !== undefined && direct.trim() !== "") {
    if (!isEmail(direct.trim())) throw validation("must be a valid email address", "email");
    contacts.unshift({ type: "email", value: direct.trim(), isMain: !contacts.some((contact) => contact.isMain), remove: false });
  }
  // Reference §5.4 [S]: at least one email contact is required.
  if (!contacts.some((contact) => contact.type === "email")) throw mustBeSet("email");
  const seen = new Set<string>();
  for (const contact of contacts.filter((entry) => entry.type === "email")) {
    const key = normalizeEmail(contact.value);
    if (seen.has(key)) throw conflict(`email ${key} is listed twice`, "included.contacts");
    seen.add(key);
    assertEmailFree(store, contact.value, null, "email");
  }
  const companies = readCompanyLinks(store, included);
  const customer = store.createCustomer({ companyIds: companies.add });
  applyTextFields(customer, input);
  const firstEmail = contacts.findIndex((contact) => contact.type === "email");
  const hasMain = contacts.some((contact) => contact.isMain && contact.type === "email");
  contacts.forEach((contact, index) => store.addContact(customer, contact.type, contact.value, contact.isMain || (!hasMain && index === firstEmail)));
  return singleResponse(store, view, customer, request.params, CREATED);
}

function updateCustomer(store: DeskStore, request: ApiRequest, id: number): ApiResponse {
  const customer = found(store.customers, id, "Customer");
  const input = unwrap(request.body, "customer");
  const included = includedOf(request.body);
  const contacts = readContacts(included.contacts);
  for (const contact of contacts) {
    if (contact.id !== undefined && !customer.contactIds.includes(contact.id))
      throw validation(`contact ${contact.id} does not belong to customer ${id}`, "included.contacts");
    if (!contact.remove && contact.type === "email") assertEmailFree(store, contact.value, id, "included.contacts");
  }
  const direct = readString(input, "email");
  if (direct !== undefined && direct.trim() !== "") {
    if (!isEmail(direct.trim())) throw validation("must be a valid email address", "email");
    assertEmailFree(store, direct, id, "email");
  }
  const companies = readCompanyLinks(store, included);

  applyTextFields(customer, input);
  for (const change of contacts) {
    const current = change.id === undefined ? undefined : store.contacts.get(change.id);
    if (current && change.remove) store.softDelete(current);
    else if (current) Object.assign(current, { type: change.type, value: change.value, isMain: change.isMain });
    else if (!change.remove) store.addContact(customer, change.type, change.value, change.isMain);
  }
  if (direct && !store.findCustomerByEmail(direct)) {
    const main = customer.contactIds
      .map((contactId) => store.contacts.get(contactId))
      .find((contact) => contact?.type === "email" && contact.isMain && contact.state !== "deleted");
    if (main) main.value = direct.trim();
    else store.addContact(customer, "email", direct.trim(), true);
  }
  customer.companyIds = [...new Set([...customer.companyIds.filter((companyId) => !companies.remove.includes(companyId)), ...companies.add])];
  store.touch(customer);
  return singleResponse(store, view, customer, request.params);
}

export function handleCustomers(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  return crud(request, rest, {
    list: () => listResponse(store, view, request.params, { filters: customerFilters(store) }),
    create: () => createCustomer(store, request),
    get: (id) => singleResponse(store, view, found(store.customers, id, "Customer"), request.params),
    update: (id) => updateCustomer(store, request, id),
    remove: (id) => {
      const customer = found(store.customers, id, "Customer");
      store.softDelete(customer);
      for (const contactId of customer.contactIds) {
        const contact = store.contacts.get(contactId);
        if (contact && contact.state !== "deleted") store.softDelete(contact);
      }
      return noContent();
    },
  });
}
