// Seed data: workspace members always; with `seed: "sample"` the CRM part of the built-in Sample
// dataset (connectors/sample) written as a Twenty workspace would hold it, plus workflows and a
// webhook so prerequisite checks have something to warn about.
import type { CanonicalRecord, CanonicalValue } from "@/connectors/types";
import { DEFAULT_SAMPLE_SEED, sampleRecords, sampleUsers } from "@/connectors/sample/index";
import { decodeHtmlEntities } from "@/connectors/shared/values";
import { seededUuids } from "./ids";
import type { TwentyActor, TwentyRecord, TwentyStore } from "./store";
import { domainHost, normalizeEmail } from "./values";

/** Twenty's own dev seed members; the first one owns the API key. */
export const DEFAULT_WORKSPACE_MEMBERS = [
  { email: "tim@apple.dev", firstName: "Tim", lastName: "Apple" },
  { email: "jony.ive@apple.dev", firstName: "Jony", lastName: "Ive" },
  { email: "phil.schiler@apple.dev", firstName: "Phil", lastName: "Schiler" },
];

const SEED_ACTOR: TwentyActor = { source: "IMPORT", workspaceMemberId: null, name: "Sample data", context: {} };
/** Insert in chunks so one seed write stays the size of an API batch. */
const SEED_CHUNK_RECORDS = 200;

export function seedWorkspaceMembers(store: TwentyStore, members: { email: string; firstName: string; lastName: string }[]) {
  for (const member of members) store.addWorkspaceMember(member);
}

// ---------------------------------------------------------------------------------------------
// Canonical value readers
// ---------------------------------------------------------------------------------------------

function asObject(value: CanonicalValue | undefined): Record<string, unknown> | null {
  return value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function asString(value: CanonicalValue | undefined): string | null {
  return typeof value === "string" ? value : null;
}

function refId(value: CanonicalValue | undefined): string | null {
  const object = asObject(value);
  return object && typeof object.id === "string" ? object.id : null;
}

function refEmail(value: CanonicalValue | undefined): string | null {
  const object = asObject(value);
  return object && typeof object.email === "string" ? object.email.toLowerCase() : null;
}

/** Sample bodies are simple HTML; Twenty's bodyV2 takes markdown on import (reference §3.3). */
function htmlToMarkdown(html: string): string {
  const withoutTags = html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p>/gi, "\n\n")
    .replace(/<[^>]+>/g, "");
  return decodeHtmlEntities(withoutTags).trim();
}

function address(value: CanonicalValue | undefined): TwentyRecord | undefined {
  const source = asObject(value);
  if (!source) return undefined;
  const text = (key: string) => (typeof source[key] === "string" ? (source[key] as string) : "");
  return {
    addressStreet1: text("street1"),
    addressStreet2: text("street2"),
    addressCity: text("city"),
    addressState: text("state"),
    addressPostcode: text("postcode"),
    addressCountry: text("country"),
  };
}

function insertChunked(store: TwentyStore, namePlural: string, inputs: TwentyRecord[]) {
  for (let start = 0; start < inputs.length; start += SEED_CHUNK_RECORDS) {
    store.insertRecords(namePlural, inputs.slice(start, start + SEED_CHUNK_RECORDS), SEED_ACTOR);
  }
}

function timestamps(record: CanonicalRecord): TwentyRecord {
  const result: TwentyRecord = {};
  if (record.createdAt) result.createdAt = record.createdAt;
  if (record.updatedAt) result.updatedAt = record.updatedAt;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Sample dataset
// ---------------------------------------------------------------------------------------------

/** Sample record ids → the workspace's UUIDs, handed out in a repeatable order. */
type SampleIds = {
  /** A fresh UUID (for rows the Sample has no record of, such as note targets). */
  newId: () => string;
  /** The UUID of a sample record, given on first use. */
  idFor: (sampleId: string) => string;
  /** The UUID of a sample record already seeded; null if none. */
  known: (sampleId: string | null) => string | null;
};

/** A workspace member's id by the email a sample reference carries; null if none. */
type MemberIdOf = (value: CanonicalValue | undefined) => string | null;

export function seedSampleData(store: TwentyStore, options: { seed?: number } = {}) {
  const sampleSeed = options.seed ?? DEFAULT_SAMPLE_SEED;
  const records = (type: string) => [...sampleRecords(type, { seed: sampleSeed })];
  const ids = sampleIds(sampleSeed);
  const memberId = addSampleAgents(store, sampleSeed);
  addTierField(store);
  insertChunked(store, "companies", companyRows(records("companies"), ids, memberId));
  insertChunked(store, "people", personRows(records("customers"), ids));
  insertChunked(store, "opportunities", opportunityRows(records("opportunities"), ids));
  seedTasks(store, records("tasks"), ids, memberId);
  seedNotes(store, records("notes"), ids);
  addAutomations(store);
}

function sampleIds(sampleSeed: number): SampleIds {
  const newId = seededUuids(sampleSeed * 7919 + 17);
  const ids = new Map<string, string>();
  const idFor = (sampleId: string) => {
    let id = ids.get(sampleId);
    if (!id) {
      id = newId();
      ids.set(sampleId, id);
    }
    return id;
  };
  const known = (sampleId: string | null) => (sampleId && ids.has(sampleId) ? (ids.get(sampleId) as string) : null);
  return { newId, idFor, known };
}

/** The Sample agents join the workspace, so owners and assignees resolve to members by email. */
function addSampleAgents(store: TwentyStore, sampleSeed: number): MemberIdOf {
  const memberIds = new Map(store.records("workspaceMembers").map((member) => [String(member.userEmail).toLowerCase(), String(member.id)]));
  for (const agent of sampleUsers({ seed: sampleSeed })) {
    const email = (agent.email ?? "").toLowerCase();
    if (!email || memberIds.has(email)) continue;
    const [firstName, ...rest] = (agent.name ?? email).split(" ");
    memberIds.set(email, String(store.addWorkspaceMember({ email, firstName, lastName: rest.join(" ") }).id));
  }
  return (value) => {
    const email = refEmail(value);
    return email ? (memberIds.get(email) ?? null) : null;
  };
}

/** A custom SELECT field, so a Twenty source has one to discover (API values are UPPER_SNAKE, reference §3.1). */
function addTierField(store: TwentyStore) {
  const companyObject = store.objectByPlural("companies");
  if (!companyObject || store.metadata.fieldByName(companyObject.id, "tier")) return;
  store.metadata.addFieldFromSpec(
    companyObject.id,
    {
      name: "tier",
      type: "SELECT",
      label: "Customer tier",
      icon: "IconTag",
      defaultValue: null,
      options: [
        ["ENTERPRISE", "Enterprise", "purple"],
        ["MID_MARKET", "Mid-market", "blue"],
        ["SMB", "SMB", "green"],
      ],
    },
    true,
  );
}

// A real workspace never holds two companies with one domain or two people with one email
// (reference §6.3), so the Sample's deliberate duplicates keep their name but lose the value.

function companyRows(companies: CanonicalRecord[], ids: SampleIds, memberId: MemberIdOf): TwentyRecord[] {
  const domains = new Set<string>();
  return companies.map((record) => {
    const domain = asString(record.fields.domain);
    const host = domain ? domainHost(domain) : "";
    const unique = host !== "" && !domains.has(host);
    if (unique) domains.add(host);
    const revenue = asObject(record.fields.annualRevenue);
    const tier = asString(record.fields.tier);
    return {
      id: ids.idFor(record.id),
      name: asString(record.fields.name) ?? "",
      domainName: {
        primaryLinkUrl: unique && domain ? (/^https?:\/\//.test(domain) ? domain : `https://${domain}`) : "",
        primaryLinkLabel: "",
        secondaryLinks: [],
      },
      employees: typeof record.fields.employees === "number" ? record.fields.employees : null,
      ...(address(record.fields.address) ? { address: address(record.fields.address) } : {}),
      accountOwnerId: memberId(record.fields.accountOwner),
      ...(revenue ? { annualRecurringRevenue: { amountMicros: revenue.amountMicros, currencyCode: revenue.currencyCode } } : {}),
      tier: tier ? tier.toUpperCase().replace(/-/g, "_") : null,
      ...timestamps(record),
    };
  });
}

function personRows(customers: CanonicalRecord[], ids: SampleIds): TwentyRecord[] {
  const emails = new Set<string>();
  return customers.map((record) => {
    const raw = asString(record.fields.email);
    const email = raw ? normalizeEmail(raw) : "";
    const unique = email !== "" && !emails.has(email);
    if (unique) emails.add(email);
    const name = asObject(record.fields.name);
    const phone = asObject(record.fields.phone);
    const city = asObject(record.fields.address)?.city;
    return {
      id: ids.idFor(record.id),
      name: { firstName: String(name?.firstName ?? ""), lastName: String(name?.lastName ?? "") },
      emails: { primaryEmail: unique ? email : "", additionalEmails: [] },
      phones: phone
        ? {
            primaryPhoneNumber: String(phone.national ?? phone.raw ?? ""),
            primaryPhoneCountryCode: String(phone.countryCode ?? ""),
            primaryPhoneCallingCode: phone.callingCode ? `+${String(phone.callingCode)}` : "",
            additionalPhones: [],
          }
        : undefined,
      jobTitle: asString(record.fields.jobTitle) ?? "",
      city: typeof city === "string" ? city : "",
      companyId: ids.known(refId(record.fields.company)),
      ...timestamps(record),
    };
  });
}

function opportunityRows(opportunities: CanonicalRecord[], ids: SampleIds): TwentyRecord[] {
  return opportunities.map((record) => {
    const amount = asObject(record.fields.amount);
    const closeDate = asString(record.fields.closeDate);
    return {
      id: ids.idFor(record.id),
      name: asString(record.fields.name) ?? "",
      ...(amount ? { amount: { amountMicros: amount.amountMicros, currencyCode: amount.currencyCode } } : {}),
      stage: asString(record.fields.stage) ?? "NEW",
      closeDate: closeDate ? new Date(closeDate).toISOString() : null,
      companyId: ids.known(refId(record.fields.company)),
      pointOfContactId: ids.known(refId(record.fields.pointOfContact)),
      ...timestamps(record),
    };
  });
}

/** Notes and tasks link to records through noteTargets / taskTargets rows (reference §4): one row per linked record. */
function targetRows(record: CanonicalRecord, ids: SampleIds, owner: "taskId" | "noteId"): TwentyRecord[] {
  const targets = [
    ["targetCompanyId", ids.known(refId(record.fields.company))],
    ["targetPersonId", ids.known(refId(record.fields.customer))],
    ["targetOpportunityId", ids.known(refId(record.fields.opportunity))],
  ].filter((entry): entry is [string, string] => entry[1] !== null);
  return targets.map(([column, id]) => ({ id: ids.newId(), [owner]: ids.idFor(record.id), [column]: id }));
}

function seedTasks(store: TwentyStore, tasks: CanonicalRecord[], ids: SampleIds, memberId: MemberIdOf) {
  insertChunked(
    store,
    "tasks",
    tasks.map((record) => ({
      id: ids.idFor(record.id),
      title: asString(record.fields.title) ?? "",
      bodyV2: { markdown: asString(record.fields.body) ?? "", blocknote: null },
      status: asString(record.fields.status) ?? "TODO",
      dueAt: asString(record.fields.dueAt),
      assigneeId: memberId(record.fields.assignee),
      ...timestamps(record),
    })),
  );
  insertChunked(
    store,
    "taskTargets",
    tasks.flatMap((record) => targetRows(record, ids, "taskId")),
  );
}

function seedNotes(store: TwentyStore, notes: CanonicalRecord[], ids: SampleIds) {
  insertChunked(
    store,
    "notes",
    notes.map((record) => ({
      id: ids.idFor(record.id),
      title: asString(record.fields.title) ?? "",
      bodyV2: { markdown: htmlToMarkdown(asString(record.fields.body) ?? ""), blocknote: null },
      ...timestamps(record),
    })),
  );
  insertChunked(
    store,
    "noteTargets",
    notes.flatMap((record) => targetRows(record, ids, "noteId")),
  );
}

/** Reference §5: an ACTIVE workflow on person.created and a webhook would both fire per imported record. */
function addAutomations(store: TwentyStore) {
  store.addWorkflow({
    name: "Welcome new contacts",
    statuses: ["ACTIVE"],
    trigger: { type: "DATABASE_EVENT", name: "Record is created", settings: { eventName: "person.created", outputSchema: {} } },
  });
  store.addWorkflow({ name: "Quarterly review reminder", statuses: ["DRAFT"] });
  store.addWebhook({ targetUrl: "https://hooks.example.com/twenty", operations: ["*.*"], description: "Sync to the data warehouse" });
}
