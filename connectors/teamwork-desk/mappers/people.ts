// Customers (§5.4), companies (§5.5) and agents (§5.6): raw Teamwork Desk records ↔ canonical
// records. Pure: side-loaded contacts and domains come in as maps.
import { domainHost, invalidField, normalizeEmail } from "@/connectors/shared/values";
import type { CanonicalRecord, CanonicalValue, RelationRef, UserRef, WriteMode } from "@/connectors/types";
import { idString, toDeskId } from "../api";
import type { DeskCompany, DeskContact, DeskCustomer, DeskDomain, DeskUser } from "../raw-schemas";
import {
  addressFromDesk,
  addressToDesk,
  booleanToDesk,
  dateTimeFromDesk,
  emailListToDesk,
  emailToDesk,
  fullNameFromDesk,
  fullNameToDesk,
  phoneFromDesk,
  phoneToDesk,
  text,
  textToDesk,
} from "./values";

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

/** Email contacts of a customer, main first; the customer's own `email` when no contact is side-loaded. */
export function customerEmails(raw: DeskCustomer, contacts: Map<string, DeskContact>): string[] {
  const linked = (raw.contacts ?? []).map((ref) => contacts.get(String(ref.id))).filter((contact): contact is DeskContact => contact !== undefined);
  const fromContacts = linked
    .filter((contact) => (contact.type ?? "email").toLowerCase() === "email" && text(contact.value) !== null)
    .sort((a, b) => Number(b.isMain === true) - Number(a.isMain === true))
    .map((contact) => normalizeEmail(contact.value as string));
  const own = text(raw.email);
  const all = own ? [normalizeEmail(own), ...fromContacts] : fromContacts;
  return [...new Set(all)];
}

export function customerCompanyId(raw: DeskCustomer): string | null {
  return idString(raw.companies?.[0]?.id) ?? idString(raw.company?.id);
}

export function customerFromDesk(raw: DeskCustomer, contacts: Map<string, DeskContact>): CanonicalRecord {
  const emails = customerEmails(raw, contacts);
  const companyId = customerCompanyId(raw);
  const fields: Record<string, CanonicalValue> = {
    name: fullNameFromDesk(raw.firstName, raw.lastName),
    email: emails[0] ?? null,
    additionalEmails: emails.length > 1 ? emails.slice(1) : null,
    phone: phoneFromDesk(raw.phone),
    mobile: phoneFromDesk(raw.mobile),
    company: companyId ? ({ objectType: "companies", id: companyId } satisfies RelationRef) : null,
    organization: text(raw.organization),
    jobTitle: text(raw.jobTitle),
    address: addressFromDesk(raw.address),
    notes: text(raw.notes),
    extraData: text(raw.extraData),
    externalId: text(raw.externalId),
    linkedinUrl: text(raw.linkedinURL),
    facebookUrl: text(raw.facebookURL),
    twitterHandle: text(raw.twitterHandle),
    trusted: raw.trusted ?? null,
  };
  return { id: String(raw.id), objectType: "customers", createdAt: dateTimeFromDesk(raw.createdAt), updatedAt: dateTimeFromDesk(raw.updatedAt), fields };
}

export type DeskCustomerPayload = {
  customer: Record<string, unknown>;
  included: { contacts: { value: string; type: "email"; isMain: boolean }[]; companies: { id: number | string; delete?: boolean }[] };
};

const CUSTOMER_TEXT_FIELDS: Record<string, string> = {
  organization: "organization",
  jobTitle: "jobTitle",
  notes: "notes",
  extraData: "extraData",
  externalId: "externalId",
  linkedinUrl: "linkedinURL",
  facebookUrl: "facebookURL",
  twitterHandle: "twitterHandle",
};

export const CUSTOMER_KEYS = new Set([
  "name",
  "email",
  "additionalEmails",
  "phone",
  "mobile",
  "company",
  "address",
  "trusted",
  ...Object.keys(CUSTOMER_TEXT_FIELDS),
]);

function relationId(value: CanonicalValue, field: string): string | null {
  if (value === null) return null;
  const id =
    typeof value === "string" || typeof value === "number"
      ? String(value)
      : typeof value === "object" && !Array.isArray(value) && "id" in value
        ? String(value.id)
        : null;
  if (id === null || id.trim() === "") throw invalidField(field, "expects a reference to a record");
  return id.trim();
}

/**
 * Canonical customer → `{ customer, included: { contacts, companies } }` (§5.4 create). Emails
 * travel as contacts, the first being the main one; at least one is required [S]. On update a
 * null clears the field; on create it is left out.
 */
export function customerToDesk(record: CanonicalRecord, mode: WriteMode): DeskCustomerPayload {
  const customer: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== null && value !== undefined) customer[key] = value;
    else if (mode === "update") customer[key] = "";
  };
  for (const key of Object.keys(record.fields)) if (!CUSTOMER_KEYS.has(key)) throw invalidField(key, `no field "${key}" on Teamwork Desk customers`);
  const fields = record.fields;
  const email = emailToDesk(fields.email ?? null, "email");
  const additional = emailListToDesk(fields.additionalEmails ?? null, "additionalEmails").filter((item) => item !== email);
  if (email === null && additional.length === 0 && mode !== "update") throw invalidField("email", "Teamwork Desk needs an email address for every customer");
  const emails = email === null ? additional : [email, ...additional];
  if ("name" in fields) {
    const name = fullNameToDesk(fields.name ?? null, "name");
    set("firstName", name.firstName || null);
    set("lastName", name.lastName || null);
  }
  if ("phone" in fields) set("phone", phoneToDesk(fields.phone ?? null, "phone"));
  if ("mobile" in fields) set("mobile", phoneToDesk(fields.mobile ?? null, "mobile"));
  if ("address" in fields) set("address", addressToDesk(fields.address ?? null, "address"));
  if ("trusted" in fields) {
    const trusted = booleanToDesk(fields.trusted ?? null, "trusted");
    if (trusted !== null) customer.trusted = trusted;
  }
  for (const [key, native] of Object.entries(CUSTOMER_TEXT_FIELDS)) if (key in fields) set(native, textToDesk(fields[key] ?? null, key));
  // Emails travel only as contacts: the same address also in `customer.email` would be a second contact.
  const companyId = "company" in fields ? relationId(fields.company ?? null, "company") : null;
  return {
    customer,
    included: {
      contacts: emails.map((value, index) => ({ value, type: "email", isMain: index === 0 })),
      companies: companyId === null ? [] : [{ id: toDeskId(companyId), delete: false }],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Companies
// ---------------------------------------------------------------------------------------------

/** A company's domains by name; entries may be refs to side-loaded `domains` or plain strings. */
export function companyDomains(raw: DeskCompany, domains: Map<string, DeskDomain>): string[] {
  const names = (raw.domains ?? []).map((entry) =>
    typeof entry === "string" ? entry : (text(domains.get(String(entry.id))?.name) ?? text((entry as { name?: unknown }).name)),
  );
  return [...new Set(names.filter((name): name is string => name !== null).map((name) => name.toLowerCase()))];
}

export function companyFromDesk(raw: DeskCompany, domains: Map<string, DeskDomain>): CanonicalRecord {
  const names = companyDomains(raw, domains);
  const fields: Record<string, CanonicalValue> = {
    name: text(raw.name),
    domain: names[0] ?? null,
    additionalDomains: names.length > 1 ? names.slice(1) : null,
    website: text(raw.website),
    email: text(raw.email),
    description: text(raw.description),
    details: text(raw.details),
    industry: text(raw.industry),
    kind: text(raw.kind),
    note: text(raw.note),
  };
  return { id: String(raw.id), objectType: "companies", createdAt: dateTimeFromDesk(raw.createdAt), updatedAt: dateTimeFromDesk(raw.updatedAt), fields };
}

/** `domains` is null when the record says nothing about domains (an update then keeps them). */
export type DeskCompanyPayload = { company: Record<string, unknown>; domains: string[] | null };

const COMPANY_TEXT_FIELDS = ["description", "details", "industry", "kind", "note"] as const;
export const COMPANY_KEYS = new Set(["name", "domain", "additionalDomains", "website", "email", ...COMPANY_TEXT_FIELDS]);

/** Canonical company → `{ company }` plus its domains as bare hosts (§5.5). */
export function companyToDesk(record: CanonicalRecord, mode: WriteMode): DeskCompanyPayload {
  for (const key of Object.keys(record.fields)) if (!COMPANY_KEYS.has(key)) throw invalidField(key, `no field "${key}" on Teamwork Desk companies`);
  const fields = record.fields;
  const company: Record<string, unknown> = {};
  const name = textToDesk(fields.name ?? null, "name")?.trim() ?? null;
  if (name === null && mode !== "update") throw invalidField("name", "Teamwork Desk needs a name for every company");
  if (name !== null) company.name = name;
  const set = (key: string, value: string | null) => {
    if (value !== null) company[key] = value;
    else if (mode === "update") company[key] = "";
  };
  for (const key of COMPANY_TEXT_FIELDS) if (key in fields) set(key, textToDesk(fields[key] ?? null, key));
  if ("email" in fields) set("email", emailToDesk(fields.email ?? null, "email"));
  const hosts: string[] = [];
  for (const key of ["domain", "additionalDomains"] as const) {
    const value = fields[key] ?? null;
    const list =
      value === null
        ? []
        : typeof value === "string"
          ? [value]
          : Array.isArray(value) && value.every((item) => typeof item === "string")
            ? (value as string[])
            : null;
    if (list === null) throw invalidField(key, "expects a domain or a list of domains");
    for (const item of list) {
      if (item.trim() === "") continue;
      const host = domainHost(item);
      if (host === null) throw invalidField(key, `"${item}" is not a domain`);
      hosts.push(host);
    }
  }
  if ("website" in fields) set("website", textToDesk(fields.website ?? null, "website"));
  const mentioned = "domain" in fields || "additionalDomains" in fields;
  return { company, domains: mentioned ? [...new Set(hosts)] : null };
}

// ---------------------------------------------------------------------------------------------
// Agents
// ---------------------------------------------------------------------------------------------

/** §5.6: role "Admin" is confirmed; the app owner and explicit admin flags count too. */
export function isAdministrator(user: DeskUser): boolean {
  return /admin|owner/i.test(user.role ?? "") || user.isAdmin === true || user.isAdministrator === true || user.isAppOwner === true;
}

/** §5.6: `state` is active for working agents; invited/deleted are plausible [U]. */
export function agentState(user: DeskUser): string {
  return (text(user.state) ?? "active").toLowerCase();
}

export function agentFromDesk(user: DeskUser): CanonicalRecord {
  return {
    id: String(user.id),
    objectType: "agents",
    createdAt: dateTimeFromDesk(user.createdAt),
    updatedAt: dateTimeFromDesk(user.updatedAt),
    fields: {
      name: fullNameFromDesk(user.firstName, user.lastName),
      email: text(user.email) ? normalizeEmail(user.email as string) : null,
      role: text(user.role),
      state: agentState(user),
      partTime: user.isPartTime ?? false,
      isAdministrator: isAdministrator(user),
    },
  };
}

export function userRefOf(user: DeskUser): UserRef {
  const name = [text(user.firstName), text(user.lastName)].filter(Boolean).join(" ");
  return { id: String(user.id), email: text(user.email) ? normalizeEmail(user.email as string) : null, ...(name ? { name } : {}) };
}
