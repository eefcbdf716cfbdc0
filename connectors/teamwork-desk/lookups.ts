// Natural-key lookups shared by write reconciliation and findExisting: customers by email
// (§5.4: filter on `contacts.value`), companies by name or domain (§5.5: filter by name and
// domains), tickets by creation time and subject (§2.4 filter keys createdAt, subject).
import { chunks } from "@/connectors/shared/chunks";
import type { HttpClient } from "@/connectors/shared/http-client";
import { normalizeEmail } from "@/connectors/shared/values";
import { listAll, parseRaw } from "./api";
import { customerEmails } from "./mappers/people";
import { companyDomains } from "./mappers/people";
import { text } from "./mappers/values";
import { DeskCompanySchema, DeskContactSchema, DeskCustomerSchema, DeskDomainSchema, DeskTicketSchema } from "./raw-schemas";
import type { DeskContact, DeskCustomer, DeskDomain, DeskTicket } from "./raw-schemas";

/** Values per lookup request: keeps the URL (filter JSON) well under common limits. */
const VALUES_PER_LOOKUP = 50;

function byOldest<T extends { id: string | number; createdAt?: string | null }>(a: T, b: T): number {
  return (Date.parse(a.createdAt ?? "") || 0) - (Date.parse(b.createdAt ?? "") || 0) || Number(a.id) - Number(b.id);
}

export type FoundCustomer = { customer: DeskCustomer; emails: string[] };

/** Customers owning any of these emails, by normalised email; the oldest wins a tie. */
export async function customersByEmail(client: HttpClient, emails: string[]): Promise<Map<string, FoundCustomer>> {
  const wanted = [...new Set(emails.map(normalizeEmail).filter((email) => email !== ""))];
  const found = new Map<string, FoundCustomer>();
  for (const chunk of chunks(wanted, VALUES_PER_LOOKUP)) {
    // §2.4/§5.4: {"contacts.value":{"$in":[…]}} finds customers by any of their emails.
    const { items, included } = await listAll(client, "customers", { filter: { "contacts.value": { $in: chunk } }, includes: ["contacts"] });
    const contacts = new Map<string, DeskContact>();
    for (const [id, item] of included.get("contacts") ?? []) {
      const parsed = DeskContactSchema.safeParse(item);
      if (parsed.success) contacts.set(id, parsed.data);
    }
    const customers = items.map((item) => parseRaw(DeskCustomerSchema, item, "customer")).sort(byOldest);
    for (const customer of customers) {
      const owned = customerEmails(customer, contacts);
      for (const email of owned) if (chunk.includes(email) && !found.has(email)) found.set(email, { customer, emails: owned });
    }
  }
  return found;
}

export function companyNameKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

export type FoundCompany = { id: string; name: string; domains: string[]; createdAt: string | null };

/**
 * Companies by name (compared trimmed, any case) and by domain host; the oldest wins a tie.
 * `allByName` holds every company found per name, oldest first.
 */
export async function companiesByNameOrDomain(
  client: HttpClient,
  names: string[],
  hosts: string[],
): Promise<{ byName: Map<string, FoundCompany>; byDomain: Map<string, FoundCompany>; allByName: Map<string, FoundCompany[]> }> {
  const byName = new Map<string, FoundCompany>();
  const byDomain = new Map<string, FoundCompany>();
  const allByName = new Map<string, FoundCompany[]>();
  const seen = new Set<string>();
  const collect = async (filter: Record<string, unknown>) => {
    const { items, included } = await listAll(client, "companies", { filter, includes: ["domains"] });
    const domains = new Map<string, DeskDomain>();
    for (const [id, item] of included.get("domains") ?? []) {
      const parsed = DeskDomainSchema.safeParse(item);
      if (parsed.success) domains.set(id, parsed.data);
    }
    for (const company of items.map((item) => parseRaw(DeskCompanySchema, item, "company")).sort(byOldest)) {
      const found: FoundCompany = {
        id: String(company.id),
        name: text(company.name) ?? "",
        domains: companyDomains(company, domains),
        createdAt: text(company.createdAt),
      };
      const key = companyNameKey(found.name);
      if (key !== "" && !byName.has(key)) byName.set(key, found);
      if (key !== "" && !seen.has(found.id)) allByName.set(key, [...(allByName.get(key) ?? []), found]);
      seen.add(found.id);
      for (const host of found.domains) if (!byDomain.has(host)) byDomain.set(host, found);
    }
  };
  const wantedNames = [...new Set(names.map((name) => name.trim()).filter((name) => name !== ""))];
  // §5.5: companies filter by name…
  for (const chunk of chunks(wantedNames, VALUES_PER_LOOKUP)) await collect({ name: { $in: chunk } });
  const wantedHosts = [...new Set(hosts)].filter((host) => !byDomain.has(host));
  // …and by domains.
  for (const chunk of chunks(wantedHosts, VALUES_PER_LOOKUP)) await collect({ domains: { $in: chunk } });
  for (const list of allByName.values()) list.sort(byOldest);
  return { byName, byDomain, allByName };
}

export type CompanyKey = { name: string | null; hosts: string[] };

/**
 * Which found company answers each key (null: none). A key's domain hosts come first (the oldest
 * company with that domain). Names are not unique: the keys sharing a name share that name's
 * companies, one each. A key found by its domain has taken its company; the others get the
 * newest remaining ones, in the keys' order (the oldest of them to the first key). The newest
 * are the ones Ferry created last (an interrupted batch's, a re-sent batch's); the oldest of a
 * name is often another source record's, already linked to it.
 */
export function matchCompanies(keys: CompanyKey[], found: { byDomain: Map<string, FoundCompany>; allByName: Map<string, FoundCompany[]> }): (string | null)[] {
  const matched: (string | null)[] = keys.map((key) => key.hosts.map((host) => found.byDomain.get(host)?.id).find((id) => id !== undefined) ?? null);
  const byNameKeys = new Map<string, number[]>();
  keys.forEach((key, index) => {
    const name = key.name ? companyNameKey(key.name) : "";
    if (name !== "") byNameKeys.set(name, [...(byNameKeys.get(name) ?? []), index]);
  });
  for (const [name, indexes] of byNameKeys) {
    const taken = new Set(indexes.flatMap((index) => (matched[index] !== null ? [matched[index]] : [])));
    const open = indexes.filter((index) => matched[index] === null);
    if (open.length === 0) continue;
    const candidates = (found.allByName.get(name) ?? []).filter((company) => !taken.has(company.id)).slice(-open.length);
    candidates.forEach((company, position) => {
      matched[open[position]] = company.id;
    });
  }
  return matched;
}

/** Tickets created at exactly these instants (§2.4: createdAt filter), any subject; hidden ones included via two passes. */
export async function ticketsCreatedAt(client: HttpClient, instants: string[]): Promise<DeskTicket[]> {
  const wanted = [...new Set(instants)];
  const tickets: DeskTicket[] = [];
  for (const chunk of chunks(wanted, VALUES_PER_LOOKUP)) {
    for (const archived of [false, true]) {
      // §2.4: archived tickets are listed only when asked for; imported tickets may end up archived.
      const { items } = await listAll(client, "tickets", { filter: { createdAt: { $in: chunk } }, extra: { archived } });
      tickets.push(...items.map((item) => parseRaw(DeskTicketSchema, item, "ticket")));
    }
  }
  const seen = new Set<string>();
  return tickets.filter((ticket) => (seen.has(String(ticket.id)) ? false : (seen.add(String(ticket.id)), true))).sort(byOldest);
}
