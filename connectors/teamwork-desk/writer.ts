// ConnectorSession.write for companies and customers (v2 has no batch create: one request per
// record, §5.4, §5.5), and the dispatch to ticket-writer.ts for tickets. One WriteResult per
// request; a record that fails (validation, conflict, API rejection) is reported with its code
// and message and the others go on.
//
// Modes: create posts; update patches the given targetId; upsert patches the targetId when
// given, else the record found by natural key (customer email; company domain, then name, the
// newest of a name first, one per record, as findExisting), else creates. Creates go through
// createOnce (create-once.ts): sent once with `retry: false`, reconciled by natural key after an
// ambiguous failure, so a retry never makes a duplicate. Company names are not unique, so that
// reconciliation only accepts a company that was not there before the call (a snapshot taken by
// one lookup per call); customers exclude the same way a customer that already owned the email.
import type { HttpClient } from "@/connectors/shared/http-client";
import type { RetryPolicy } from "@/connectors/shared/retry";
import { ConnectorError } from "@/connectors/types";
import type { ConnectorErrorCode, WriteMode, WriteRequest, WriteResult } from "@/connectors/types";
import { getOne, writtenItem } from "./api";
import { createOnce } from "./create-once";
import { companiesByNameOrDomain, companyNameKey, customersByEmail, matchCompanies } from "./lookups";
import { companyToDesk, customerToDesk } from "./mappers/people";
import type { DeskCompanyPayload, DeskCustomerPayload } from "./mappers/people";
import { DeskContactSchema } from "./raw-schemas";

export type RecordWriterDeps = {
  v2: HttpClient;
  sleep: (ms: number) => Promise<void>;
  retry: RetryPolicy;
  random?: () => number;
};

export function failed(request: WriteRequest, error: unknown): WriteResult {
  if (!(error instanceof ConnectorError)) throw error;
  // Credentials or permissions problems stop the run; they are not a property of this record.
  if (error.code === "AUTH_INVALID" || error.code === "PERMISSION_DENIED") throw error;
  return failure(request, error.code, error.message, error.field);
}

export function failure(request: WriteRequest, code: ConnectorErrorCode, message: string, field?: string): WriteResult {
  return { sourceId: request.sourceId, status: "failed", error: field ? { code, message, field } : { code, message } };
}

function idOf(body: unknown, singular: string, what: string): string {
  const item = writtenItem(body, singular);
  if (item === null || item.id === undefined || item.id === null)
    throw new ConnectorError("UNKNOWN", `Teamwork Desk created the ${what} but did not say its id`);
  return String(item.id);
}

// ---------------------------------------------------------------------------------------------
// Companies (§5.5)
// ---------------------------------------------------------------------------------------------

function companyBody(payload: DeskCompanyPayload): Record<string, unknown> {
  // §5.5: domains are `{ name }` objects; the write shape is [U] (names inside the company here).
  return { company: { ...payload.company, ...(payload.domains !== null ? { domains: payload.domains.map((name) => ({ name })) } : {}) } };
}

/**
 * The newest company that this create may have written: its name (trimmed, any case) and, when
 * the record has domains, one of them; created by none of `before`. Null when there is none.
 *
 * Why a snapshot and not a time window: Desk's `createdAt` is the server's clock, to the second,
 * and Ferry creates companies back to back (about one a second under the rate limit), so any
 * allowance for clock skew would also admit the same-name company another source record got a
 * moment earlier (two source records on one company, the second never created). The snapshot
 * costs one lookup per write call (writeCompanies), not one per company.
 */
async function newCompanyFor(deps: RecordWriterDeps, payload: DeskCompanyPayload, before: ReadonlySet<string>): Promise<string | null> {
  const name = String(payload.company.name ?? "");
  const hosts = payload.domains ?? [];
  const { allByName } = await companiesByNameOrDomain(deps.v2, [name], []);
  const fresh = (allByName.get(companyNameKey(name)) ?? []).filter(
    (company) => !before.has(company.id) && (hosts.length === 0 || company.domains.some((host) => hosts.includes(host))),
  );
  return fresh[fresh.length - 1]?.id ?? null;
}

/** `before`: the ids of every company of this name that was there before the POST (see writeCompanies). */
async function createCompany(deps: RecordWriterDeps, payload: DeskCompanyPayload, before: ReadonlySet<string>): Promise<string> {
  const { value } = await createOnce({
    // §5.5: POST /companies.json, wrapped; not retried blindly (no idempotency key, §6).
    send: async () =>
      idOf((await deps.v2.request({ method: "POST", path: "/companies.json", body: companyBody(payload), retry: false })).data, "company", "company"),
    // Names are not unique: an older company of this name is another record's, never this one.
    lookup: () => newCompanyFor(deps, payload, before),
    sleep: deps.sleep,
    retry: deps.retry,
    random: deps.random,
  });
  return value;
}

async function updateCompany(deps: RecordWriterDeps, id: string, payload: DeskCompanyPayload): Promise<void> {
  // §5.5: PATCH /companies/{id}.json (idempotent, so retried normally).
  await deps.v2.request({ method: "PATCH", path: `/companies/${encodeURIComponent(id)}.json`, body: companyBody(payload) });
}

type PreparedCompany = { index: number; request: WriteRequest; payload: DeskCompanyPayload; targetId: string | null };

export async function writeCompanies(deps: RecordWriterDeps, requests: WriteRequest[], mode: WriteMode): Promise<WriteResult[]> {
  const results: WriteResult[] = new Array<WriteResult>(requests.length);
  const prepared: PreparedCompany[] = [];
  requests.forEach((request, index) => {
    try {
      const updating = mode === "update" || (mode === "upsert" && Boolean(request.targetId));
      const payload = companyToDesk(request.record, updating ? "update" : "create");
      if (mode === "update" && !request.targetId) throw new ConnectorError("VALIDATION", "An update needs the Teamwork Desk id of the company");
      prepared.push({ index, request, payload, targetId: request.targetId ?? null });
    } catch (error) {
      results[index] = failed(request, error);
    }
  });

  // Requests without a targetId may create. One lookup by their names (and, for upsert, their
  // domains) before any of them is sent: upsert matches come from it, so a company created by
  // this call never answers a later request of the same name, and it is the snapshot that tells
  // an uncertain create's own company from the same-name ones that were already there. The ids
  // this call creates join the snapshot as it goes.
  const creating = prepared.filter((entry) => entry.targetId === null);
  const before = new Set<string>();
  const matched = new Map<number, string>();
  if (creating.length > 0) {
    try {
      const name = (entry: PreparedCompany) => (typeof entry.payload.company.name === "string" ? entry.payload.company.name : null);
      const hosts = (entry: PreparedCompany) => (mode === "upsert" ? (entry.payload.domains ?? []) : []);
      const found = await companiesByNameOrDomain(
        deps.v2,
        creating.flatMap((entry) => name(entry) ?? []),
        creating.flatMap((entry) => hosts(entry)),
      );
      for (const list of found.allByName.values()) for (const company of list) before.add(company.id);
      if (mode === "upsert") {
        // Domain first, then name; same-name records get the newest companies of the name, one each (as findExisting).
        const ids = matchCompanies(
          creating.map((entry) => ({ name: name(entry), hosts: hosts(entry) })),
          found,
        );
        creating.forEach((entry, position) => {
          const id = ids[position];
          if (id !== null) matched.set(entry.index, id);
        });
      }
    } catch (error) {
      for (const entry of creating) results[entry.index] = failed(entry.request, error);
    }
  }

  for (const { index, request, payload, targetId: given } of prepared) {
    if (results[index]) continue;
    try {
      const targetId = given ?? matched.get(index) ?? null;
      if (targetId !== null) {
        await updateCompany(deps, targetId, given === null ? companyToDesk(request.record, "update") : payload);
        results[index] = { sourceId: request.sourceId, status: "updated", targetId };
      } else {
        const created = await createCompany(deps, payload, before);
        before.add(created);
        results[index] = { sourceId: request.sourceId, status: "created", targetId: created };
      }
    } catch (error) {
      results[index] = failed(request, error);
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Customers (§5.4)
// ---------------------------------------------------------------------------------------------

/**
 * `before`: ids of customers that were there before the POST. Emails are unique, so a customer
 * already owning this email makes the POST a 409; after a 5xx that struck before the write,
 * the lookup would find that customer (another source record's, or the target's own) and link
 * this record to it. Excluding it lets createOnce send again and meet the 409 (CONFLICT), as a
 * run without the fault would.
 */
async function createCustomer(deps: RecordWriterDeps, payload: DeskCustomerPayload, before: ReadonlySet<string>): Promise<string> {
  const email = payload.included.contacts[0]?.value ?? "";
  const { value } = await createOnce({
    // §5.4: POST /customers.json with included.contacts (emails) and included.companies.
    send: async () => idOf((await deps.v2.request({ method: "POST", path: "/customers.json", body: payload, retry: false })).data, "customer", "customer"),
    lookup: async () => {
      const found = (await customersByEmail(deps.v2, [email])).get(email);
      return found && !before.has(String(found.customer.id)) ? String(found.customer.id) : null;
    },
    sleep: deps.sleep,
    retry: deps.retry,
    random: deps.random,
  });
  return value;
}

/** §5.4 update: emails the customer already has keep their contact; only new ones are added. */
async function updateCustomer(deps: RecordWriterDeps, id: string, payload: DeskCustomerPayload): Promise<void> {
  let contacts = payload.included.contacts;
  if (contacts.length > 0) {
    const current = await getOne(deps.v2, "customers", "customer", id, ["contacts"]);
    const existing = new Set(
      [...(current.included.get("contacts")?.values() ?? [])]
        .map((item) => DeskContactSchema.safeParse(item))
        .flatMap((parsed) => (parsed.success && parsed.data.value ? [parsed.data.value.trim().toLowerCase()] : [])),
    );
    contacts = contacts.filter((contact) => !existing.has(contact.value)).map((contact) => ({ ...contact, isMain: false }));
  }
  await deps.v2.request({
    method: "PATCH",
    path: `/customers/${encodeURIComponent(id)}.json`,
    body: { customer: payload.customer, included: { ...payload.included, contacts } },
  });
}

export async function writeCustomers(deps: RecordWriterDeps, requests: WriteRequest[], mode: WriteMode): Promise<WriteResult[]> {
  const results: WriteResult[] = new Array<WriteResult>(requests.length);
  const prepared: { index: number; request: WriteRequest; payload: DeskCustomerPayload }[] = [];
  requests.forEach((request, index) => {
    try {
      const updating = mode === "update" || (mode === "upsert" && Boolean(request.targetId));
      const payload = customerToDesk(request.record, updating ? "update" : "create");
      if (mode === "update" && !request.targetId) throw new ConnectorError("VALIDATION", "An update needs the Teamwork Desk id of the customer");
      prepared.push({ index, request, payload });
    } catch (error) {
      results[index] = failed(request, error);
    }
  });

  // The customers already owning the emails a create will look up by (createCustomer): one
  // lookup per call in create mode. An upsert looks its email up right before creating, and
  // creates only when nobody owns it. The ids this call creates join as it goes.
  const before = new Set<string>();
  const creating = mode === "create" ? prepared.filter((entry) => !entry.request.targetId) : [];
  const emails = creating.flatMap((entry) => entry.payload.included.contacts[0]?.value ?? []);
  if (emails.length > 0) {
    try {
      for (const found of (await customersByEmail(deps.v2, emails)).values()) before.add(String(found.customer.id));
    } catch (error) {
      for (const entry of creating) results[entry.index] = failed(entry.request, error);
    }
  }

  for (const { index, request, payload } of prepared) {
    if (results[index]) continue;
    try {
      let targetId = request.targetId ?? null;
      if (mode === "upsert" && targetId === null) {
        const email = payload.included.contacts[0]?.value;
        const found = email ? (await customersByEmail(deps.v2, [email])).get(email) : undefined;
        targetId = found ? String(found.customer.id) : null;
      }
      if (targetId !== null) {
        await updateCustomer(deps, targetId, mode === "upsert" && !request.targetId ? customerToDesk(request.record, "update") : payload);
        results[index] = { sourceId: request.sourceId, status: "updated", targetId };
      } else {
        const created = await createCustomer(deps, payload, before);
        before.add(created);
        results[index] = { sourceId: request.sourceId, status: "created", targetId: created };
      }
    } catch (error) {
      results[index] = failed(request, error);
    }
  }
  return results;
}
