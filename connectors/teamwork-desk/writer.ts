// ConnectorSession.write for companies and customers (v2 has no batch create: one request per
// record, §5.4, §5.5), and the dispatch to ticket-writer.ts for tickets. One WriteResult per
// request; a record that fails (validation, conflict, API rejection) is reported with its code
// and message and the others go on.
//
// Modes: create posts; update patches the given targetId; upsert patches the targetId when
// given, else the record found by natural key (customer email; company domain, then name), else
// creates. Creates go through createOnce (create-once.ts): sent once with `retry: false`,
// reconciled by natural key after an ambiguous failure, so a retry never makes a duplicate.
import type { HttpClient } from "@/connectors/shared/http-client";
import type { RetryPolicy } from "@/connectors/shared/retry";
import { ConnectorError } from "@/connectors/types";
import type { ConnectorErrorCode, WriteMode, WriteRequest, WriteResult } from "@/connectors/types";
import { getOne, writtenItem } from "./api";
import { createOnce } from "./create-once";
import { companiesByNameOrDomain, companyNameKey, customersByEmail } from "./lookups";
import { companyToTw, customerToTw } from "./mappers/people";
import type { TwCompanyPayload, TwCustomerPayload } from "./mappers/people";
import { TwContactSchema } from "./raw-schemas";

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
  if (item === null || item.id === undefined || item.id === null) throw new ConnectorError("UNKNOWN", `Teamwork Desk created the ${what} but did not say its id`);
  return String(item.id);
}

// ---------------------------------------------------------------------------------------------
// Companies (§5.5)
// ---------------------------------------------------------------------------------------------

function companyBody(payload: TwCompanyPayload): Record<string, unknown> {
  // §5.5: domains are `{ name }` objects; the write shape is [U] (names inside the company here).
  return { company: { ...payload.company, ...(payload.domains !== null ? { domains: payload.domains.map((name) => ({ name })) } : {}) } };
}

async function findCompany(deps: RecordWriterDeps, payload: TwCompanyPayload): Promise<string | null> {
  const name = typeof payload.company.name === "string" ? payload.company.name : "";
  const hosts = payload.domains ?? [];
  const { byName, byDomain } = await companiesByNameOrDomain(deps.v2, name ? [name] : [], hosts);
  for (const host of hosts) {
    const found = byDomain.get(host);
    if (found) return found.id;
  }
  return byName.get(companyNameKey(name))?.id ?? null;
}

async function createCompany(deps: RecordWriterDeps, payload: TwCompanyPayload): Promise<string> {
  const { value } = await createOnce({
    // §5.5: POST /companies.json, wrapped; not retried blindly (no idempotency key, §6).
    send: async () => idOf((await deps.v2.request({ method: "POST", path: "/companies.json", body: companyBody(payload), retry: false })).data, "company", "company"),
    // A company Ferry's lost attempt created has this exact name.
    lookup: async () => {
      const name = String(payload.company.name ?? "");
      const { byName } = await companiesByNameOrDomain(deps.v2, [name], []);
      return byName.get(companyNameKey(name))?.id ?? null;
    },
    sleep: deps.sleep,
    retry: deps.retry,
    random: deps.random,
  });
  return value;
}

async function updateCompany(deps: RecordWriterDeps, id: string, payload: TwCompanyPayload): Promise<void> {
  // §5.5: PATCH /companies/{id}.json (idempotent, so retried normally).
  await deps.v2.request({ method: "PATCH", path: `/companies/${encodeURIComponent(id)}.json`, body: companyBody(payload) });
}

export async function writeCompanies(deps: RecordWriterDeps, requests: WriteRequest[], mode: WriteMode): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  for (const request of requests) {
    try {
      const updating = mode === "update" || (mode === "upsert" && Boolean(request.targetId));
      const payload = companyToTw(request.record, updating ? "update" : "create");
      if (mode === "update" && !request.targetId) throw new ConnectorError("VALIDATION", "An update needs the Teamwork Desk id of the company");
      let targetId = request.targetId ?? null;
      if (mode === "upsert" && targetId === null) targetId = await findCompany(deps, payload);
      if (targetId !== null) {
        await updateCompany(deps, targetId, mode === "upsert" && !request.targetId ? companyToTw(request.record, "update") : payload);
        results.push({ sourceId: request.sourceId, status: "updated", targetId });
      } else {
        results.push({ sourceId: request.sourceId, status: "created", targetId: await createCompany(deps, payload) });
      }
    } catch (error) {
      results.push(failed(request, error));
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Customers (§5.4)
// ---------------------------------------------------------------------------------------------

async function createCustomer(deps: RecordWriterDeps, payload: TwCustomerPayload): Promise<string> {
  const email = payload.included.contacts[0]?.value ?? "";
  const { value } = await createOnce({
    // §5.4: POST /customers.json with included.contacts (emails) and included.companies.
    send: async () => idOf((await deps.v2.request({ method: "POST", path: "/customers.json", body: payload, retry: false })).data, "customer", "customer"),
    lookup: async () => {
      const found = (await customersByEmail(deps.v2, [email])).get(email);
      return found ? String(found.customer.id) : null;
    },
    sleep: deps.sleep,
    retry: deps.retry,
    random: deps.random,
  });
  return value;
}

/** §5.4 update: emails the customer already has keep their contact; only new ones are added. */
async function updateCustomer(deps: RecordWriterDeps, id: string, payload: TwCustomerPayload): Promise<void> {
  let contacts = payload.included.contacts;
  if (contacts.length > 0) {
    const current = await getOne(deps.v2, "customers", "customer", id, ["contacts"]);
    const existing = new Set(
      [...(current.included.get("contacts")?.values() ?? [])]
        .map((item) => TwContactSchema.safeParse(item))
        .flatMap((parsed) => (parsed.success && parsed.data.value ? [parsed.data.value.trim().toLowerCase()] : [])),
    );
    contacts = contacts.filter((contact) => !existing.has(contact.value)).map((contact) => ({ ...contact, isMain: false }));
  }
  await deps.v2.request({ method: "PATCH", path: `/customers/${encodeURIComponent(id)}.json`, body: { customer: payload.customer, included: { ...payload.included, contacts } } });
}

export async function writeCustomers(deps: RecordWriterDeps, requests: WriteRequest[], mode: WriteMode): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  for (const request of requests) {
    try {
      const updating = mode === "update" || (mode === "upsert" && Boolean(request.targetId));
      const payload = customerToTw(request.record, updating ? "update" : "create");
      if (mode === "update" && !request.targetId) throw new ConnectorError("VALIDATION", "An update needs the Teamwork Desk id of the customer");
      let targetId = request.targetId ?? null;
      if (mode === "upsert" && targetId === null) {
        const email = payload.included.contacts[0]?.value;
        const found = email ? (await customersByEmail(deps.v2, [email])).get(email) : undefined;
        targetId = found ? String(found.customer.id) : null;
      }
      if (targetId !== null) {
        await updateCustomer(deps, targetId, mode === "upsert" && !request.targetId ? customerToTw(request.record, "update") : payload);
        results.push({ sourceId: request.sourceId, status: "updated", targetId });
      } else {
        results.push({ sourceId: request.sourceId, status: "created", targetId: await createCustomer(deps, payload) });
      }
    } catch (error) {
      results.push(failed(request, error));
    }
  }
  return results;
}

