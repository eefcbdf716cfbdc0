// The Sample dataset: every record is a pure function of (seed, scale, object type, index), so
// any page can be produced directly without holding or replaying the dataset, at any scale.
// Records are ordered by index and createdAt grows with the index, like ids in a real system.
// Dates are anchored to REFERENCE_DATE, never to the clock, so re-runs are identical.
import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { Attachment, CanonicalRecord, CanonicalValue, Phone, RelationRef, UserRef } from "@/connectors/types";
import { between, chance, pick, recordRandom, some, weighted, type Random } from "@/connectors/sample/random";
import { MESSAGES_OBJECT_TYPE, type SampleObjectType } from "@/connectors/sample/schema";
import { CREATED_AT_FIELD } from "@/connectors/shared/record-dates";
import {
  ACCOUNT_DOMAIN,
  ACCOUNT_NAME,
  AGENT_REPLIES,
  ATTACHMENTS,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  COMPANY_TIERS,
  CURRENCY_CODES,
  CUSTOMER_FOLLOW_UPS,
  CUSTOMER_OPENERS,
  CUSTOMER_TAGS,
  FIRST_NAMES,
  INDUSTRIES,
  INTERNAL_NOTES,
  JOB_TITLES,
  LAST_NAMES,
  NOTE_TITLES,
  PERSONAL_EMAIL_DOMAINS,
  PLACES,
  PLATFORMS,
  PRODUCTS,
  PRODUCT_AREAS,
  STREETS,
  SUBJECTS,
  TASK_TITLES,
  TICKET_TAGS,
} from "@/connectors/sample/vocabulary";

export type SampleConfig = { seed: number; scale: number };

export const REFERENCE_DATE = "2026-11-01T00:00:00.000Z";
const REFERENCE_MS = Date.parse(REFERENCE_DATE);
const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const YEAR_MS = 365 * DAY_MS;
const HISTORY_START_MS = REFERENCE_MS - 3 * YEAR_MS;
/** Customers whose last activity is older than this count as stale in the audit. */
export const STALE_CUTOFF_MS = REFERENCE_MS - 2 * YEAR_MS;

/** Counts at scale 1; customer data multiplies with scale, staff (agents, inboxes) with its square root. */
export const BASE_COUNTS: Record<SampleObjectType, number> = {
  agents: 5,
  inboxes: 3,
  companies: 40,
  customers: 250,
  tickets: 1_000,
  opportunities: 60,
  tasks: 120,
  notes: 150,
};
const STAFF_TYPES: ReadonlySet<SampleObjectType> = new Set(["agents", "inboxes"]);
const MAX_MESSAGES_PER_TICKET = 12;

// PRNG streams: one per object type, so adding a field to one type never reshuffles another.
const STREAM: Record<SampleObjectType, number> = { agents: 1, inboxes: 2, companies: 3, customers: 4, tickets: 5, opportunities: 6, tasks: 7, notes: 8 };
const PART_FLAGS = 1;
const PART_DETAILS = 2;
const PART_FIRST_MESSAGE = 10;

/** When each type's records were created: createdAt of record i falls in slot i of this span. */
const CREATION_SPAN: Record<SampleObjectType, readonly [number, number]> = {
  agents: [HISTORY_START_MS - 2 * YEAR_MS, HISTORY_START_MS],
  inboxes: [HISTORY_START_MS - 2 * YEAR_MS, HISTORY_START_MS - 30 * DAY_MS],
  // Most companies predate the help desk, so early customers already have several to work for.
  companies: [HISTORY_START_MS - 2 * YEAR_MS, REFERENCE_MS - 30 * DAY_MS],
  customers: [HISTORY_START_MS - YEAR_MS, REFERENCE_MS - DAY_MS],
  tickets: [HISTORY_START_MS, REFERENCE_MS - 2 * HOUR_MS],
  opportunities: [HISTORY_START_MS, REFERENCE_MS - DAY_MS],
  tasks: [HISTORY_START_MS, REFERENCE_MS - DAY_MS],
  notes: [HISTORY_START_MS, REFERENCE_MS - DAY_MS],
};

export function sampleCounts(config: SampleConfig): Record<SampleObjectType, number> {
  const staffFactor = Math.max(1, Math.round(Math.sqrt(config.scale)));
  const counts = {} as Record<SampleObjectType, number>;
  for (const [type, base] of Object.entries(BASE_COUNTS) as [SampleObjectType, number][]) {
    counts[type] = STAFF_TYPES.has(type) ? base * staffFactor : Math.max(1, Math.round(base * config.scale));
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------
const iso = (ms: number) => new Date(Math.floor(ms / SECOND_MS) * SECOND_MS).toISOString();
const isoDate = (ms: number) => iso(ms).slice(0, 10);

function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}

/** createdAt of record `index` of `count`: inside its own slot of the type's span, so it grows with the index. */
function slotTime(type: SampleObjectType, index: number, count: number, random: Random): number {
  const [start, end] = CREATION_SPAN[type];
  return start + ((index + random()) / count) * (end - start);
}

/** A uniformly chosen record of `type` that already existed at `atMs` (relations never point into the future). */
function existingIndex(type: SampleObjectType, count: number, atMs: number, random: Random): number {
  const [start, end] = CREATION_SPAN[type];
  const existing = Math.min(count, Math.max(1, Math.floor(((atMs - start) / (end - start)) * count)));
  return Math.floor(random() * existing);
}

const ref = (objectType: SampleObjectType, id: string): RelationRef => ({ objectType, id });

// Ids are readable and stable across seeds: the seed changes the data, never the keys.
export const sampleId = {
  agents: (index: number) => `agt_${index + 1}`,
  inboxes: (index: number) => `inb_${index + 1}`,
  companies: (index: number) => `com_${index + 1}`,
  customers: (index: number) => `cus_${index + 1}`,
  tickets: (index: number) => `tkt_${index + 1}`,
  opportunities: (index: number) => `opp_${index + 1}`,
  tasks: (index: number) => `tsk_${index + 1}`,
  notes: (index: number) => `not_${index + 1}`,
} satisfies Record<SampleObjectType, (index: number) => string>;

/** The Sample account parses phone numbers the way a US-based desk would; what fails keeps only raw. */
const DEFAULT_PHONE_REGION = "US";

export function toPhone(raw: string): Phone {
  const parsed = parsePhoneNumberFromString(raw, DEFAULT_PHONE_REGION);
  if (!parsed || !parsed.isPossible()) return { e164: null, countryCode: null, callingCode: null, national: null, raw };
  return { e164: parsed.number, countryCode: parsed.country ?? null, callingCode: parsed.countryCallingCode, national: parsed.nationalNumber, raw };
}

type PhoneRegion = (typeof PLACES)[number]["phone"];

/** A phone number as people type it. US numbers use the fictional 555-01xx range, UK ones Ofcom's drama range. */
function phoneNumber(random: Random, region: PhoneRegion): string {
  if (chance(random, 0.04)) return pick(random, ["12345", "n/a", "call me after 5", "+44", "000"]);
  const d = (count: number) => Array.from({ length: count }, () => between(random, 0, 9)).join("");
  switch (region) {
    case "us": {
      const area = pick(random, ["212", "415", "512", "312", "617"]);
      const line = `01${d(2)}`;
      const ext = String(between(random, 10, 99));
      return pick(random, [
        `(${area}) 555-${line}`,
        `${area}.555.${line}`,
        `+1 ${area}-555-${line}`,
        `${area}-555-${line} x${ext}`,
        `+1 (${area}) 555-${line} ext. ${ext}`,
        `${area}555${line}`,
        `1-${area}-555-${line}`,
      ]);
    }
    case "gb": {
      const line = `0${d(3)}`;
      return pick(random, [`+44 20 7946 ${line}`, `0044 20 7946 ${line}`, `020 7946 ${line}`, `+44 (0)20 7946 ${line}`, `+442079460${line.slice(1)}`]);
    }
    case "fr": {
      const rest = `${d(2)} ${d(2)} ${d(2)} ${d(2)}`;
      return pick(random, [`+33 1 ${rest}`, `01 ${rest}`, `0033 1 ${rest}`]);
    }
    case "de": {
      const rest = d(6);
      return pick(random, [`+49 30 ${rest}`, `+49 (0)30 ${rest}`, `030 ${rest}`, `030/${rest}`]);
    }
    case "au":
      return pick(random, [`+61 2 ${d(4)} ${d(4)}`, `(02) ${d(4)} ${d(4)}`]);
  }
}

function amountMicros(random: Random, min: number, max: number): number {
  const units = between(random, min, max);
  // Some amounts carry cents, most are round.
  const cents = chance(random, 0.3) ? between(random, 1, 99) : 0;
  return units * 1_000_000 + cents * 10_000;
}

function record(objectType: string, id: string, createdAtMs: number, updatedAtMs: number, fields: Record<string, CanonicalValue>): CanonicalRecord {
  // The creation date is also a field ("Created", connectors/shared/record-dates.ts) a plan can map.
  return { id, objectType, createdAt: iso(createdAtMs), updatedAt: iso(updatedAtMs), fields: { ...fields, [CREATED_AT_FIELD]: iso(createdAtMs) } };
}

// ---------------------------------------------------------------------------------------------
// The dataset
// ---------------------------------------------------------------------------------------------
type AgentCore = {
  index: number;
  firstName: string;
  lastName: string;
  email: string;
  active: boolean;
  leftAtMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
};
type CompanyCore = { index: number; name: string; domain: string | null; place: (typeof PLACES)[number]; createdAtMs: number; updatedAtMs: number };
type CustomerCore = {
  index: number;
  firstName: string;
  lastName: string;
  email: string | null;
  companyIndex: number | null;
  stale: boolean;
  duplicateOf: number | null;
  createdAtMs: number;
  updatedAtMs: number;
};
type TicketCore = { index: number; createdAtMs: number; messageTimesMs: number[]; updatedAtMs: number };
type OpportunityCore = { index: number; companyIndex: number; customerIndex: number | null; createdAtMs: number; updatedAtMs: number };
type LinkedCore = { index: number; createdAtMs: number; updatedAtMs: number };

export class SampleDataset {
  readonly counts: Record<SampleObjectType, number>;

  constructor(readonly config: SampleConfig) {
    this.counts = sampleCounts(config);
  }

  private random(type: SampleObjectType, index: number, part = 0): Random {
    return recordRandom(this.config.seed, STREAM[type], index, part);
  }

  /** The record at `index` (0-based) of `type`, with ticket messages in children.messages. */
  record(type: SampleObjectType, index: number): CanonicalRecord {
    if (!Number.isInteger(index) || index < 0 || index >= this.counts[type]) {
      throw new RangeError(`No ${type} record at index ${index} (there are ${this.counts[type]})`);
    }
    switch (type) {
      case "agents":
        return this.agentRecord(index);
      case "inboxes":
        return this.inboxRecord(index);
      case "companies":
        return this.companyRecord(index);
      case "customers":
        return this.customerRecord(index);
      case "tickets":
        return this.ticketRecord(index);
      case "opportunities":
        return this.opportunityRecord(index);
      case "tasks":
        return this.taskRecord(index);
      case "notes":
        return this.noteRecord(index);
    }
  }

  /** updatedAt of one record without building it (for `since` filters and counts over large scales). */
  updatedAtMs(type: SampleObjectType, index: number): number {
    switch (type) {
      case "agents":
        return this.agent(index).updatedAtMs;
      case "inboxes":
        return this.inboxTimes(index).updatedAtMs;
      case "companies":
        return this.company(index).updatedAtMs;
      case "customers":
        return this.customer(index).updatedAtMs;
      case "tickets":
        return this.ticket(index).updatedAtMs;
      case "opportunities":
        return this.opportunity(index).updatedAtMs;
      case "tasks":
      case "notes":
        return this.linked(type, index).updatedAtMs;
    }
  }

  /** Messages in ticket `index`, without building them. */
  messageCount(index: number): number {
    return this.ticket(index).messageTimesMs.length;
  }

  // --- agents --------------------------------------------------------------------------------
  agent(index: number): AgentCore {
    const random = this.random("agents", index);
    // Walking the name lists with strides coprime to their lengths keeps the first 50 agents' names distinct.
    const offset = Math.abs(this.config.seed) % FIRST_NAMES.length;
    const firstName = FIRST_NAMES[(offset + index * 7) % FIRST_NAMES.length];
    const lastName = LAST_NAMES[(offset + index * 11) % LAST_NAMES.length];
    const suffix = index >= FIRST_NAMES.length ? String(index + 1) : "";
    const email = `${slug(firstName)}.${slug(lastName)}${suffix}@${ACCOUNT_DOMAIN}`;
    const createdAtMs = slotTime("agents", index, this.counts.agents, random);
    // Every fifth agent has left the team: still the assignee of old tickets, no longer active.
    const active = index % 5 !== 4;
    const leftAtMs = active ? null : REFERENCE_MS - between(random, 200, 500) * DAY_MS;
    const updatedAtMs = leftAtMs ?? REFERENCE_MS - between(random, 1, 60) * DAY_MS;
    return { index, firstName, lastName, email, active, leftAtMs, createdAtMs, updatedAtMs };
  }

  agentRef(index: number): UserRef {
    const agent = this.agent(index);
    return { id: sampleId.agents(index), email: agent.email, name: `${agent.firstName} ${agent.lastName}` };
  }

  /** An agent who was on the team at `atMs`. */
  private agentAt(random: Random, atMs: number): number {
    let index = Math.floor(random() * this.counts.agents);
    const agent = this.agent(index);
    if (agent.leftAtMs !== null && agent.leftAtMs < atMs) index = (index + 1) % this.counts.agents;
    return index;
  }

  private agentRecord(index: number): CanonicalRecord {
    const agent = this.agent(index);
    return record("agents", sampleId.agents(index), agent.createdAtMs, agent.updatedAtMs, {
      name: { firstName: agent.firstName, lastName: agent.lastName },
      email: agent.email,
      role: index === 0 ? "admin" : "agent",
      state: agent.active ? "active" : "inactive",
    });
  }

  // --- inboxes -------------------------------------------------------------------------------
  private inboxTimes(index: number) {
    const random = this.random("inboxes", index);
    const createdAtMs = slotTime("inboxes", index, this.counts.inboxes, random);
    return { createdAtMs, updatedAtMs: createdAtMs + between(random, 1, 400) * DAY_MS };
  }

  private inboxRecord(index: number): CanonicalRecord {
    const names = ["Support", "Billing", "Sales", "Returns", "Wholesale", "Partners"];
    const round = Math.floor(index / names.length);
    const name = `${names[index % names.length]}${round > 0 ? ` ${round + 1}` : ""}`;
    const { createdAtMs, updatedAtMs } = this.inboxTimes(index);
    return record("inboxes", sampleId.inboxes(index), createdAtMs, updatedAtMs, { name, email: `${slug(name)}@${ACCOUNT_DOMAIN}` });
  }

  // --- companies -----------------------------------------------------------------------------
  private companyIsDuplicate(index: number): boolean {
    return index > 0 && this.random("companies", index, PART_FLAGS)() < 0.04;
  }

  private companyName(index: number): { name: string; host: string } {
    const prefixes = COMPANY_PREFIXES.length;
    const combos = prefixes * COMPANY_SUFFIXES.length;
    // combo walks all combinations (7 is coprime with their number); (p, 11q + p) is a bijection
    // of combo = 40q + p, so the first `combos` companies get distinct names that vary in both words.
    const combo = (Math.abs(this.config.seed) + index * 7) % combos;
    const prefix = COMPANY_PREFIXES[combo % prefixes];
    const suffix = COMPANY_SUFFIXES[(11 * Math.floor(combo / prefixes) + (combo % prefixes)) % COMPANY_SUFFIXES.length];
    const round = Math.floor(index / combos);
    const number = round > 0 ? ` ${round + 1}` : "";
    return { name: `${prefix} ${suffix}${number}`, host: `${slug(prefix)}-${slug(suffix)}${round > 0 ? `-${round + 1}` : ""}.example` };
  }

  company(index: number): CompanyCore {
    const random = this.random("companies", index);
    const createdAtMs = slotTime("companies", index, this.counts.companies, random);
    const updatedAtMs = createdAtMs + random() * (REFERENCE_MS - createdAtMs);
    const place = pick(random, PLACES);
    let { name, host } = this.companyName(index);
    if (this.companyIsDuplicate(index)) {
      // Entered twice by different people: a variant of an earlier company's name and domain.
      let original = index - 1 - Math.floor(random() * Math.min(index, 20));
      while (this.companyIsDuplicate(original)) original -= 1;
      const base = this.companyName(original);
      host = base.host;
      name = pick(random, [`${base.name}.`, `${base.name} Ltd`, base.name.toUpperCase(), base.name.replace(" ", "  "), ` ${base.name}`]);
    }
    const domain = weighted<string | null>(random, [
      [host, 40],
      [`www.${host}`, 20],
      [`https://${host}/`, 15],
      [`http://www.${host}`, 8],
      [host.toUpperCase(), 5],
      [null, 12],
    ]);
    return { index, name, domain, place, createdAtMs, updatedAtMs };
  }

  private companyRecord(index: number): CanonicalRecord {
    const company = this.company(index);
    const random = this.random("companies", index, PART_DETAILS);
    return record("companies", sampleId.companies(index), company.createdAtMs, company.updatedAtMs, {
      name: company.name,
      domain: company.domain,
      industry: chance(random, 0.85) ? pick(random, INDUSTRIES).value : null,
      employees: chance(random, 0.7) ? Math.round(2 + random() ** 3 * 5_000) : null,
      phone: chance(random, 0.6) ? toPhone(phoneNumber(random, company.place.phone)) : null,
      address: chance(random, 0.7)
        ? {
            street1: `${between(random, 1, 240)} ${pick(random, STREETS)}`,
            city: company.place.city,
            postcode: String(between(random, 10_000, 99_999)),
            country: company.place.country,
          }
        : null,
      accountOwner: chance(random, 0.8) ? this.agentRef(Math.floor(random() * this.counts.agents)) : null,
      annualRevenue: chance(random, 0.4) ? { amountMicros: amountMicros(random, 50_000, 20_000_000), currencyCode: pick(random, CURRENCY_CODES) } : null,
      tier: chance(random, 0.6) ? pick(random, COMPANY_TIERS).value : null,
    });
  }

  // --- customers -----------------------------------------------------------------------------
  private customerFlags(index: number) {
    const random = this.random("customers", index, PART_FLAGS);
    const duplicate = index > 0 && random() < 0.04;
    const stale = !duplicate && random() < 0.08;
    const emailKind = weighted<"valid" | "invalid" | "missing">(random, [
      ["valid", 93],
      ["invalid", 4],
      ["missing", 3],
    ]);
    return { duplicate, stale, emailKind, random };
  }

  /** Name, company and the email the person would normally give; duplicates copy it from their original. */
  private customerIdentity(index: number, createdAtMs: number) {
    const random = this.random("customers", index, PART_DETAILS);
    const firstName = pick(random, FIRST_NAMES);
    const lastName = pick(random, LAST_NAMES);
    const companyIndex = chance(random, 0.75) ? existingIndex("companies", this.counts.companies, createdAtMs, random) : null;
    let email: string;
    if (companyIndex !== null) {
      const host = this.companyName(companyIndex).host;
      email = chance(random, 0.7) ? `${slug(firstName)}.${slug(lastName)}@${host}` : `${slug(firstName).charAt(0)}${slug(lastName)}@${host}`;
    } else {
      email = `${slug(firstName)}${slug(lastName)}${between(random, 1, 99)}@${pick(random, PERSONAL_EMAIL_DOMAINS)}`;
    }
    return { firstName, lastName, companyIndex, email, random };
  }

  customer(index: number): CustomerCore {
    const flags = this.customerFlags(index);
    const random = this.random("customers", index);
    let createdAtMs = slotTime("customers", index, this.counts.customers, random);
    let updatedAtMs = createdAtMs + random() * (REFERENCE_MS - createdAtMs);
    if (flags.stale) {
      // No activity for over two years: created and last touched before the cutoff.
      createdAtMs = REFERENCE_MS - 5 * YEAR_MS + random() * (STALE_CUTOFF_MS - 60 * DAY_MS - (REFERENCE_MS - 5 * YEAR_MS));
      updatedAtMs = createdAtMs + random() * (STALE_CUTOFF_MS - DAY_MS - createdAtMs);
    }
    if (flags.duplicate) {
      let original = index - 1 - Math.floor(random() * Math.min(index, 40));
      while (this.customerFlags(original).duplicate) original -= 1;
      const source = this.customer(original);
      const base = this.customerIdentity(original, source.createdAtMs);
      // Same person typed in again: same email but with other case or stray spaces.
      const email = weighted<string>(random, [
        [base.email.toUpperCase(), 2],
        [`  ${base.email}`, 1],
        [`${base.email} `, 1],
        [base.email.charAt(0).toUpperCase() + base.email.slice(1), 2],
        [
          ` ${base.email.replace(/^(.)(.*)@(.*)$/, (_, first: string, rest: string, domain: string) => `${first.toUpperCase()}${rest}@${domain.toUpperCase()}`)}`,
          1,
        ],
      ]);
      return {
        index,
        firstName: base.firstName,
        lastName: base.lastName,
        email,
        companyIndex: base.companyIndex,
        stale: false,
        duplicateOf: original,
        createdAtMs,
        updatedAtMs,
      };
    }
    const identity = this.customerIdentity(index, createdAtMs);
    let email: string | null = identity.email;
    if (flags.emailKind === "missing") email = null;
    if (flags.emailKind === "invalid") {
      const [local, domain] = identity.email.split("@");
      email = pick(flags.random, [
        `${local}@`,
        `${local.replace(".", " ")}@${domain}`,
        `${local}@@${domain}`,
        `${local}@${domain.replace(/\.[a-z]+$/, "")}`,
        "n/a",
        `${local}@${domain.replace(".", "..")}`,
        `${local}.${domain}`,
      ]);
    }
    return { ...identity, index, email, stale: flags.stale, duplicateOf: null, createdAtMs, updatedAtMs };
  }

  private isStaleCustomer(index: number): boolean {
    return this.customerFlags(index).stale;
  }

  private customerRecord(index: number): CanonicalRecord {
    const customer = this.customer(index);
    const random = this.random("customers", index, PART_DETAILS + 1);
    const place = customer.companyIndex !== null ? this.company(customer.companyIndex).place : pick(random, PLACES);
    return record("customers", sampleId.customers(index), customer.createdAtMs, customer.updatedAtMs, {
      name: { firstName: customer.firstName, lastName: customer.lastName },
      email: customer.email,
      phone: chance(random, 0.7) ? toPhone(phoneNumber(random, place.phone)) : null,
      company: customer.companyIndex !== null ? ref("companies", sampleId.companies(customer.companyIndex)) : null,
      jobTitle: customer.companyIndex !== null && chance(random, 0.5) ? pick(random, JOB_TITLES) : null,
      address: chance(random, 0.5) ? { city: place.city, country: place.country } : null,
      tags: chance(random, 0.25) ? some(random, CUSTOMER_TAGS, 2) : [],
    });
  }

  // --- tickets -------------------------------------------------------------------------------
  ticket(index: number): TicketCore {
    const random = this.random("tickets", index);
    const createdAtMs = slotTime("tickets", index, this.counts.tickets, random);
    const count = weighted(random, [
      [1, 15],
      [2, 25],
      [3, 20],
      [4, 12],
      [5, 8],
      [6, 6],
      [7, 4],
      [8, 3],
      [9, 2],
      [10, 2],
      [11, 1.5],
      [MAX_MESSAGES_PER_TICKET, 1.5],
    ]);
    const times = [createdAtMs];
    for (let k = 1; k < count; k += 1) {
      const gap = weighted(random, [
        [between(random, 5, 180) * MINUTE_MS, 4],
        [between(random, 3, 23) * HOUR_MS, 4],
        [between(random, 1, 6) * DAY_MS, 2],
      ]);
      times.push(times[k - 1] + gap);
    }
    // Squeeze a thread that would run past the reference date so it ends just before it.
    const last = times[times.length - 1];
    const latest = REFERENCE_MS - MINUTE_MS;
    const messageTimesMs = last <= latest ? times : times.map((time) => createdAtMs + ((time - createdAtMs) * (latest - createdAtMs)) / (last - createdAtMs));
    return { index, createdAtMs, messageTimesMs, updatedAtMs: messageTimesMs[messageTimesMs.length - 1] };
  }

  private ticketRecord(index: number): CanonicalRecord {
    const ticket = this.ticket(index);
    const random = this.random("tickets", index, PART_DETAILS);
    let customerIndex = existingIndex("customers", this.counts.customers, ticket.createdAtMs, random);
    // Stale customers must stay stale: no thread of theirs may have moved after the cutoff.
    if (ticket.updatedAtMs >= STALE_CUTOFF_MS) {
      for (let step = 0; step < this.counts.customers && this.isStaleCustomer(customerIndex); step += 1)
        customerIndex = (customerIndex + 1) % this.counts.customers;
    }
    const customer = this.customer(customerIndex);
    const assigneeIndex = chance(random, 0.88) ? this.agentAt(random, ticket.createdAtMs) : null;
    const ageMs = REFERENCE_MS - ticket.updatedAtMs;
    const status =
      ageMs < 3 * DAY_MS
        ? weighted(random, [
            ["open", 4],
            ["waiting", 3],
            ["on-hold", 1],
            ["solved", 2],
          ] as const)
        : ageMs < 30 * DAY_MS
          ? weighted(random, [
              ["open", 1],
              ["waiting", 1],
              ["on-hold", 1],
              ["solved", 4],
              ["closed", 3],
            ] as const)
          : weighted(random, [
              ["open", 0.2],
              ["solved", 2],
              ["closed", 8],
            ] as const);
    const type = weighted<string | null>(random, [
      ["question", 35],
      ["problem", 35],
      ["incident", 10],
      ["feature-request", 8],
      [null, 12],
    ]);
    const order = `ORD-${between(random, 100_000, 999_999)}`;
    const product = pick(random, PRODUCTS);
    let subject = fill(pick(random, SUBJECTS[type ?? "question"]), { product, order });
    subject = weighted(random, [
      [subject, 92],
      [`Re: ${subject}`, 3],
      [`Fwd: ${subject}`, 2],
      [`URGENT!!! ${subject.toUpperCase()}`, 2],
      ["(no subject)", 1],
    ]);

    const fields: Record<string, CanonicalValue> = {
      subject,
      status,
      priority: weighted<string | null>(random, [
        ["low", 20],
        ["normal", 50],
        ["high", 15],
        ["urgent", 5],
        [null, 10],
      ]),
      type,
      source: weighted(random, [
        ["email", 60],
        ["web", 20],
        ["chat", 12],
        ["phone", 8],
      ]),
      inbox: ref("inboxes", sampleId.inboxes(Math.floor(random() ** 1.6 * this.counts.inboxes))),
      customer: ref("customers", sampleId.customers(customerIndex)),
      assignee: assigneeIndex !== null ? this.agentRef(assigneeIndex) : null,
      tags: chance(random, 0.6) ? some(random, TICKET_TAGS, 3) : [],
      orderNumber: chance(random, 0.55) ? order : null,
      reproductionSteps:
        type === "problem" && chance(random, 0.3)
          ? `1. Open the order page\n2. Click "Return item"\n3. Nothing happens (tried ${between(random, 2, 5)} times)`
          : null,
      seatCount: chance(random, 0.3) ? between(random, 1, 60) : null,
      vipCustomer: chance(random, 0.7) ? chance(random, 0.1) : null,
      purchaseDate: chance(random, 0.4) ? isoDate(ticket.createdAtMs - between(random, 1, 120) * DAY_MS) : null,
      slaBreachedAt: chance(random, 0.08) ? iso(ticket.createdAtMs + between(random, 8, 72) * HOUR_MS) : null,
      productArea: chance(random, 0.8) ? pick(random, PRODUCT_AREAS).value : null,
      platforms: chance(random, 0.35)
        ? some(
            random,
            PLATFORMS.map((option) => option.value),
            3,
          )
        : [],
      recordingUrl: chance(random, 0.05) ? `https://calls.${ACCOUNT_DOMAIN}/recordings/${index + 1}.mp3` : null,
      ccEmail: chance(random, 0.1)
        ? customer.companyIndex !== null
          ? `accounts@${this.companyName(customer.companyIndex).host}`
          : "accounts@example.com"
        : null,
      callbackPhone: chance(random, 0.1) ? toPhone(phoneNumber(random, pick(random, PLACES).phone)) : null,
      refundAmount: chance(random, 0.1) ? { amountMicros: amountMicros(random, 5, 400), currencyCode: pick(random, CURRENCY_CODES) } : null,
      escalatedTo: chance(random, 0.06) ? this.agentRef(this.agentAt(random, ticket.createdAtMs)) : null,
      legacyReference: null,
    };
    const result = record("tickets", sampleId.tickets(index), ticket.createdAtMs, ticket.updatedAtMs, fields);
    result.children = { messages: this.messages(index, ticket, customer, assigneeIndex, { order, product }) };
    return result;
  }

  private messages(
    ticketIndex: number,
    ticket: TicketCore,
    customer: CustomerCore,
    assigneeIndex: number | null,
    words: Record<string, string>,
  ): CanonicalRecord[] {
    const messages: CanonicalRecord[] = [];
    let lastSpeaker: "agent" | "customer" = "customer";
    ticket.messageTimesMs.forEach((atMs, k) => {
      const random = this.random("tickets", ticketIndex, PART_FIRST_MESSAGE + k);
      let kind: "reply" | "note" = "reply";
      let authorType: "agent" | "customer" = "customer";
      if (k > 0) {
        if (chance(random, 0.18)) {
          kind = "note";
          authorType = "agent";
        } else {
          authorType = lastSpeaker === "customer" ? (chance(random, 0.8) ? "agent" : "customer") : chance(random, 0.7) ? "customer" : "agent";
          lastSpeaker = authorType;
        }
      }
      const agentIndex = assigneeIndex !== null && chance(random, 0.8) ? assigneeIndex : this.agentAt(random, atMs);
      const author: UserRef | RelationRef = authorType === "agent" ? this.agentRef(agentIndex) : ref("customers", sampleId.customers(customer.index));
      const body =
        kind === "note"
          ? noteHtml(random, this.agent(Math.floor(random() * this.counts.agents)).firstName)
          : authorType === "agent"
            ? agentHtml(random, customer.firstName, this.agent(agentIndex).firstName, ticketIndex, words)
            : customerHtml(random, customer, k === 0, words, atMs);
      const id = `msg_${ticketIndex + 1}_${k + 1}`;
      const message = record(MESSAGES_OBJECT_TYPE, id, atMs, atMs, { body, kind, authorType, author });
      const attachmentChance = authorType === "customer" ? 0.12 : 0.05;
      if (kind === "reply" && chance(random, attachmentChance)) {
        message.attachments = Array.from({ length: between(random, 1, 2) }, (_, n) => {
          const file = pick(random, ATTACHMENTS);
          const attachmentId = `att_${ticketIndex + 1}_${k + 1}_${n + 1}`;
          const sizeBytes = between(random, 20_000, 4_000_000);
          return {
            id: attachmentId,
            fileName: file.fileName,
            contentType: file.contentType,
            sizeBytes,
            url: attachmentUrl(attachmentId, file.fileName, sizeBytes),
          };
        });
      }
      messages.push(message);
    });
    return messages;
  }

  // --- opportunities -------------------------------------------------------------------------
  opportunity(index: number): OpportunityCore {
    const random = this.random("opportunities", index);
    const createdAtMs = slotTime("opportunities", index, this.counts.opportunities, random);
    const updatedAtMs = createdAtMs + random() * (REFERENCE_MS - createdAtMs);
    const contact = existingIndex("customers", this.counts.customers, createdAtMs, random);
    const contactCompany = this.customer(contact).companyIndex;
    // The contact is kept only when they work for the company the deal is with.
    const companyIndex = contactCompany ?? existingIndex("companies", this.counts.companies, createdAtMs, random);
    const customerIndex = contactCompany !== null && chance(random, 0.85) ? contact : null;
    return { index, companyIndex, customerIndex, createdAtMs, updatedAtMs };
  }

  private opportunityRecord(index: number): CanonicalRecord {
    const opportunity = this.opportunity(index);
    const random = this.random("opportunities", index, PART_DETAILS);
    const company = this.company(opportunity.companyIndex);
    const stage = weighted(random, [
      ["NEW", 15],
      ["SCREENING", 15],
      ["MEETING", 20],
      ["PROPOSAL", 20],
      ["CUSTOMER", 30],
    ] as const);
    const kind = pick(random, ["Renewal", "Expansion", "Team kit order", "Bulk order", "Rental contract"]);
    return record("opportunities", sampleId.opportunities(index), opportunity.createdAtMs, opportunity.updatedAtMs, {
      name: `${company.name.trim()} – ${kind} ${iso(opportunity.createdAtMs).slice(0, 4)}`,
      amount: chance(random, 0.9)
        ? {
            amountMicros: amountMicros(random, 500, 250_000),
            currencyCode: weighted(random, [
              ["USD", 50],
              ["EUR", 25],
              ["GBP", 25],
            ] as const),
          }
        : null,
      stage,
      closeDate: chance(random, 0.8) ? isoDate(opportunity.createdAtMs + between(random, 15, 120) * DAY_MS) : null,
      company: ref("companies", sampleId.companies(opportunity.companyIndex)),
      pointOfContact: opportunity.customerIndex !== null ? ref("customers", sampleId.customers(opportunity.customerIndex)) : null,
      owner: chance(random, 0.85) ? this.agentRef(this.agentAt(random, opportunity.createdAtMs)) : null,
    });
  }

  // --- tasks and notes -----------------------------------------------------------------------
  private linked(type: "tasks" | "notes", index: number): LinkedCore {
    const random = this.random(type, index);
    const createdAtMs = slotTime(type, index, this.counts[type], random);
    return { index, createdAtMs, updatedAtMs: createdAtMs + random() ** 2 * (REFERENCE_MS - createdAtMs) };
  }

  /** What a task or note is about: a customer (and their company), a company, or a deal (and its company). */
  private targets(random: Random, atMs: number): Record<string, CanonicalValue> {
    const about = weighted(random, [
      ["customer", 40],
      ["company", 35],
      ["opportunity", 25],
    ] as const);
    if (about === "customer") {
      const customerIndex = existingIndex("customers", this.counts.customers, atMs, random);
      const companyIndex = this.customer(customerIndex).companyIndex;
      return {
        company: companyIndex !== null ? ref("companies", sampleId.companies(companyIndex)) : null,
        customer: ref("customers", sampleId.customers(customerIndex)),
        opportunity: null,
      };
    }
    if (about === "company") {
      return {
        company: ref("companies", sampleId.companies(existingIndex("companies", this.counts.companies, atMs, random))),
        customer: null,
        opportunity: null,
      };
    }
    const opportunityIndex = existingIndex("opportunities", this.counts.opportunities, atMs, random);
    return {
      company: ref("companies", sampleId.companies(this.opportunity(opportunityIndex).companyIndex)),
      customer: null,
      opportunity: ref("opportunities", sampleId.opportunities(opportunityIndex)),
    };
  }

  private taskRecord(index: number): CanonicalRecord {
    const task = this.linked("tasks", index);
    const random = this.random("tasks", index, PART_DETAILS);
    const dueAtMs = chance(random, 0.85) ? task.createdAtMs + between(random, 1, 30) * DAY_MS + between(random, 8, 17) * HOUR_MS : null;
    const overdue = dueAtMs !== null && dueAtMs < REFERENCE_MS;
    const status = overdue
      ? weighted(random, [
          ["DONE", 7],
          ["TODO", 3],
        ] as const)
      : weighted(random, [
          ["TODO", 6],
          ["IN_PROGRESS", 3],
          ["DONE", 1],
        ] as const);
    return record("tasks", sampleId.tasks(index), task.createdAtMs, task.updatedAtMs, {
      title: pick(random, TASK_TITLES),
      body: chance(random, 0.5) ? `Context: ${pick(random, INTERNAL_NOTES)}\nNext step: ${pick(random, TASK_TITLES).toLowerCase()}.` : null,
      status,
      dueAt: dueAtMs !== null ? iso(dueAtMs) : null,
      assignee: chance(random, 0.9) ? this.agentRef(this.agentAt(random, task.createdAtMs)) : null,
      ...this.targets(random, task.createdAtMs),
    });
  }

  private noteRecord(index: number): CanonicalRecord {
    const note = this.linked("notes", index);
    const random = this.random("notes", index, PART_DETAILS);
    const title = pick(random, NOTE_TITLES);
    const body = weighted(random, [
      [`<p>${escapeHtml(pick(random, INTERNAL_NOTES))}</p>`, 5],
      [`<h3>Summary</h3><ul><li>${escapeHtml(pick(random, INTERNAL_NOTES))}</li><li>Next review in ${between(random, 2, 12)} weeks</li></ul>`, 3],
      [`<p>Spoke with the buyer.&nbsp;Budget approved for ${pick(random, PRODUCTS)}.</p><p><br></p>`, 2],
    ]);
    return record("notes", sampleId.notes(index), note.createdAtMs, note.updatedAtMs, {
      title: title === "" ? null : title,
      body,
      author: chance(random, 0.95) ? this.agentRef(this.agentAt(random, note.createdAtMs)) : null,
      ...this.targets(random, note.createdAtMs),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Message bodies: HTML as real mail clients produce it
// ---------------------------------------------------------------------------------------------
function customerHtml(random: Random, customer: CustomerCore, first: boolean, words: Record<string, string>, atMs: number): string {
  const text = escapeHtml(fill(pick(random, first ? CUSTOMER_OPENERS : CUSTOMER_FOLLOW_UPS), words));
  const name = escapeHtml(customer.firstName);
  const quote = first
    ? ""
    : `<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On ${new Date(atMs - DAY_MS).toUTCString()}, ${ACCOUNT_NAME} Support &lt;support@${ACCOUNT_DOMAIN}&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Thanks for getting in touch…</blockquote></div>`;
  return weighted(random, [
    [`<p>Hi,</p><p>${text}</p><p>Thanks,<br>${name}</p>`, 4],
    [`<div dir="ltr">Hi there,<div><br></div><div>${text}</div><div><br></div><div>Cheers,</div><div>${name}</div></div>${quote}`, 3],
    [
      `<div class="WordSection1"><p class="MsoNormal">Hello,<o:p></o:p></p><p class="MsoNormal">${text}<o:p></o:p></p><p class="MsoNormal">&nbsp;<o:p></o:p></p><p class="MsoNormal">Kind regards,<br>${name} ${escapeHtml(customer.lastName)}</p></div>`,
      2,
    ],
    [`${text}\n\nSent from my iPhone`, 1],
    [`<p>${text}</p><p><img src="cid:image001.png@01DA2F3C.5B1E2A40" alt="image001.png" width="320"></p>`, 1],
  ]);
}

function agentHtml(random: Random, customerFirstName: string, agentFirstName: string, ticketIndex: number, words: Record<string, string>): string {
  const reply = fill(pick(random, AGENT_REPLIES), words);
  const reference = chance(random, 0.3)
    ? `<p>Ticket reference: <a href="https://help.${ACCOUNT_DOMAIN}/tickets/${ticketIndex + 1}">#${ticketIndex + 1}</a></p>`
    : "";
  return `<p>Hi ${escapeHtml(customerFirstName)},</p><p>${reply}</p>${reference}<p>Best regards,<br>${escapeHtml(agentFirstName)}<br>${ACCOUNT_NAME} Support</p>`;
}

function noteHtml(random: Random, colleagueFirstName: string): string {
  const note = escapeHtml(pick(random, INTERNAL_NOTES));
  return chance(random, 0.3) ? `<p>${note}</p><p><strong>@${escapeHtml(colleagueFirstName)}</strong> can you take a look?</p>` : `<p>${note}</p>`;
}

// ---------------------------------------------------------------------------------------------
// Attachments: no file server exists, so content is generated on demand from the URL
// ---------------------------------------------------------------------------------------------
const ATTACHMENT_HOST = `files.${ACCOUNT_DOMAIN}`;

function attachmentUrl(id: string, fileName: string, sizeBytes: number): string {
  return `https://${ATTACHMENT_HOST}/attachments/${id}/${encodeURIComponent(fileName)}?size=${sizeBytes}`;
}

/** True for URLs the Sample source made up; writers fetch their content with sampleAttachmentContent. */
export function isSampleAttachmentUrl(url: string): boolean {
  return url.startsWith(`https://${ATTACHMENT_HOST}/`);
}

/** Deterministic bytes for a Sample attachment (its URL never resolves: the .example TLD is reserved). */
export function sampleAttachmentContent(attachment: Pick<Attachment, "id" | "fileName" | "sizeBytes">): Uint8Array {
  const bytes = new Uint8Array(attachment.sizeBytes);
  const header = new TextEncoder().encode(`Ferry sample attachment ${attachment.id} (${attachment.fileName})\n`);
  bytes.set(header.subarray(0, bytes.length));
  let state = 0;
  for (const char of attachment.id) state = (Math.imul(state, 31) + char.charCodeAt(0)) >>> 0;
  for (let index = header.length; index < bytes.length; index += 1) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}
