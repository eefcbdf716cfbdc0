// ConnectorSession.findExisting for Teamwork Desk: after a crash Ferry asks which source records
// already exist in the target, by natural keys, so it never creates them twice.
//
// - customers: "email" (any of the customer's emails, any case), or "id";
// - companies: "domain" (compared as a bare host: "https://www.Acme.com/" = "acme.com") first,
//   then "name" (trimmed, any case; keys sharing a name get its newest companies, one each, see
//   below), or "id";
// - tickets: "id", or the import's identity. Teamwork's import remembers source + old id but
//   exposes no lookup by them (§6 [U]), so an imported ticket is recognised by what the import
//   keeps verbatim: "createdAt" (to the second) + "subject", narrowed by "customerEmail" when
//   given. "importId" (importIdFor(sourceId)) is accepted for callers that hold it, but only
//   matches through those same fields.
// Several candidates by email or domain: the oldest wins (the one Ferry's first attempt created).
import type { HttpClient } from "@/connectors/shared/http-client";
import { domainHost, normalizeEmail } from "@/connectors/shared/values";
import { ConnectorError } from "@/connectors/types";
import type { ExistingKey, ExistingMatch } from "@/connectors/types";
import { getOne } from "./api";
import { companiesByNameOrDomain, customersByEmail, matchCompanies } from "./lookups";
import { dateTimeToDesk, isPlausibleEmail } from "./mappers/values";
import { findImported } from "./ticket-writer";

const RESOURCE: Record<string, { resource: string; singular: string }> = {
  customers: { resource: "customers", singular: "customer" },
  companies: { resource: "companies", singular: "company" },
  tickets: { resource: "tickets", singular: "ticket" },
};

async function existsById(v2: HttpClient, objectType: string, id: string): Promise<boolean> {
  const target = RESOURCE[objectType];
  if (!target || !/^\d+$/.test(id)) return false;
  try {
    await getOne(v2, target.resource, target.singular, id);
    return true;
  } catch (error) {
    if (error instanceof ConnectorError && error.code === "NOT_FOUND") return false;
    throw error;
  }
}

export async function findExistingRecords(v2: HttpClient, objectType: string, keys: ExistingKey[]): Promise<ExistingMatch[]> {
  if (!RESOURCE[objectType]) throw new ConnectorError("VALIDATION", `Ferry cannot look up existing Teamwork Desk ${objectType}`);
  const matches: ExistingMatch[] = [];
  const pending: ExistingKey[] = [];
  for (const key of keys) {
    const id = key.keys.id?.trim();
    if (id && (await existsById(v2, objectType, id))) matches.push({ sourceId: key.sourceId, targetId: id });
    else pending.push(key);
  }
  if (pending.length === 0) return matches;

  if (objectType === "customers") {
    const emails = pending.map((key) => (key.keys.email && isPlausibleEmail(key.keys.email) ? normalizeEmail(key.keys.email) : null));
    const found = await customersByEmail(
      v2,
      emails.filter((email): email is string => email !== null),
    );
    pending.forEach((key, index) => {
      const email = emails[index];
      const customer = email ? found.get(email) : undefined;
      if (customer) matches.push({ sourceId: key.sourceId, targetId: String(customer.customer.id) });
    });
    return matches;
  }

  if (objectType === "companies") {
    const hosts = pending.map((key) => {
      const domain = key.keys.domain ?? key.keys.domainName ?? key.keys.website;
      return domain ? domainHost(domain) : null;
    });
    const names = pending.map((key) => key.keys.name?.trim() || null);
    const companies = await companiesByNameOrDomain(
      v2,
      names.filter((name): name is string => name !== null),
      hosts.filter((host): host is string => host !== null),
    );
    // Names are not unique: the keys sharing a name get that name's newest companies, one each
    // (matchCompanies). After a crash, the companies an interrupted batch created are the newest
    // of their name, created in the keys' order; "the oldest" was often another source record's
    // (already linked), so the engine wrote a landed record again. Same-name companies are
    // interchangeable here: the engine lets one target record answer one source record only and
    // writes a found record's content once more, so a swap between two same-name keys heals.
    const found = matchCompanies(
      pending.map((_key, index) => ({ name: names[index], hosts: hosts[index] ? [hosts[index]] : [] })),
      companies,
    );
    pending.forEach((key, index) => {
      const targetId = found[index];
      if (targetId) matches.push({ sourceId: key.sourceId, targetId });
    });
    return matches;
  }

  // Tickets: creation instant + subject (+ customer email).
  const wanted = pending.flatMap((key) => {
    const createdAt = key.keys.createdAt;
    const subject = key.keys.subject;
    if (!createdAt || subject === undefined) return [];
    let instant: string;
    try {
      instant = dateTimeToDesk(createdAt, "createdAt");
    } catch {
      return [];
    }
    const email = key.keys.customerEmail && isPlausibleEmail(key.keys.customerEmail) ? normalizeEmail(key.keys.customerEmail) : null;
    return [{ key, ticket: { createdAt: instant, subject: subject.trim() || "(no subject)", customerEmail: email } }];
  });
  const found = await findImported(
    v2,
    wanted.map((entry) => entry.ticket),
  );
  wanted.forEach((entry, index) => {
    const id = found[index];
    if (id) matches.push({ sourceId: entry.key.sourceId, targetId: id });
  });
  return matches;
}
