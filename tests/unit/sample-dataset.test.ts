import { describe, expect, it } from "vitest";
import {
  REFERENCE_DATE,
  SAMPLE_OBJECT_TYPES,
  isSampleAttachmentUrl,
  sampleAttachmentContent,
  sampleCounts,
  sampleRecord,
  sampleRecords,
} from "@/connectors/sample";
import { STALE_CUTOFF_MS } from "@/connectors/sample/generate";
import type { CanonicalRecord, CanonicalValue, Phone, RelationRef, UserRef } from "@/connectors/types";

// The default dataset, generated once for the whole file.
const dataset = Object.fromEntries(SAMPLE_OBJECT_TYPES.map((type) => [type, [...sampleRecords(type)]])) as Record<
  (typeof SAMPLE_OBJECT_TYPES)[number],
  CanonicalRecord[]
>;
const messages = dataset.tickets.flatMap((ticket) => ticket.children?.messages ?? []);

const isRelation = (value: CanonicalValue): value is RelationRef =>
  typeof value === "object" && value !== null && !Array.isArray(value) && "objectType" in value && "id" in value;
const isUser = (value: CanonicalValue): value is UserRef =>
  typeof value === "object" && value !== null && !Array.isArray(value) && "email" in value && "id" in value && !("objectType" in value);
const stringsOf = (records: CanonicalRecord[], key: string) =>
  records.map((record) => record.fields[key]).filter((value): value is string => typeof value === "string");
const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value.trim());

describe("Sample dataset", () => {
  it("has the default counts at scale 1", () => {
    expect(Object.fromEntries(Object.entries(dataset).map(([type, records]) => [type, records.length]))).toEqual({
      agents: 5,
      inboxes: 3,
      companies: 40,
      customers: 250,
      tickets: 1_000,
      opportunities: 60,
      tasks: 120,
      notes: 150,
    });
  });

  it("multiplies customer data with the scale and staff with its square root", () => {
    expect(sampleCounts({ seed: 42, scale: 1_000 })).toMatchObject({ tickets: 1_000_000, customers: 250_000, companies: 40_000, agents: 160, inboxes: 96 });
    expect(sampleCounts({ seed: 42, scale: 0.01 })).toMatchObject({ tickets: 10, customers: 3, companies: 1, agents: 5 });
  });

  it("is identical on every run with the same seed and different with another seed", () => {
    const again = [...sampleRecords("tickets", { seed: 42, end: 50 })];
    expect(again).toEqual(dataset.tickets.slice(0, 50));
    const other = [...sampleRecords("tickets", { seed: 7, end: 50 })];
    expect(other.map((ticket) => ticket.fields.subject)).not.toEqual(again.map((ticket) => ticket.fields.subject));
    expect(other.map((ticket) => ticket.id)).toEqual(again.map((ticket) => ticket.id));
  });

  it("builds any record alone exactly as the stream does, even deep into a million tickets", () => {
    expect(sampleRecord("tickets", 731)).toEqual(dataset.tickets[731]);
    expect(sampleRecord("customers", 249)).toEqual(dataset.customers[249]);
    const deep = [...sampleRecords("tickets", { scale: 1_000, start: 999_990 })];
    expect(deep).toHaveLength(10);
    expect(deep[0].id).toBe("tkt_999991");
    expect(deep[9]).toEqual(sampleRecord("tickets", 999_999, { scale: 1_000 }));
  });

  it("keeps every date at or before the reference date, with ids growing with createdAt", () => {
    for (const records of Object.values(dataset)) {
      for (const record of [...records, ...records.flatMap((item) => item.children?.messages ?? [])]) {
        expect(record.createdAt! <= REFERENCE_DATE && record.updatedAt! <= REFERENCE_DATE && record.createdAt! <= record.updatedAt!).toBe(true);
      }
    }
    const ticketDates = dataset.tickets.map((ticket) => ticket.createdAt!);
    expect(ticketDates).toEqual([...ticketDates].sort());
  });

  it("points every relation and user at a record that exists", () => {
    const ids = new Set(Object.values(dataset).flatMap((records) => records.map((record) => `${record.objectType}/${record.id}`)));
    const agentEmails = new Map(dataset.agents.map((agent) => [agent.id, agent.fields.email]));
    const values = [...Object.values(dataset).flat(), ...messages].flatMap((record) => Object.values(record.fields).map((value) => ({ record, value })));
    const relations = values.flatMap(({ record, value }) => (isRelation(value) ? [{ record, ref: value }] : []));
    const users = values.flatMap(({ value }) => (isUser(value) ? [value] : []));
    expect(relations.length).toBeGreaterThan(3_000);
    expect(users.length).toBeGreaterThan(1_000);
    for (const { record, ref } of relations) expect(ids.has(`${ref.objectType}/${ref.id}`), `${record.id} → ${ref.objectType}/${ref.id}`).toBe(true);
    for (const user of users) expect(agentEmails.get(user.id)).toBe(user.email);
  });

  it("has one agent of five who has left the team", () => {
    expect(dataset.agents.map((agent) => agent.fields.state)).toEqual(["active", "active", "active", "active", "inactive"]);
  });

  it("threads 1 to 12 messages per ticket: customer replies, agent replies and internal notes in HTML, some with attachments", () => {
    const lengths = dataset.tickets.map((ticket) => ticket.children?.messages.length ?? 0);
    expect(Math.min(...lengths)).toBe(1);
    expect(Math.max(...lengths)).toBe(12);
    for (const ticket of dataset.tickets) {
      const thread = ticket.children!.messages;
      expect(thread[0].fields).toMatchObject({ kind: "reply", authorType: "customer", author: ticket.fields.customer });
      expect(thread.map((message) => message.createdAt)).toEqual(thread.map((message) => message.createdAt).sort());
      expect(ticket.updatedAt).toBe(thread[thread.length - 1].createdAt);
    }
    expect(messages.filter((message) => message.fields.kind === "note").every((note) => note.fields.authorType === "agent" && isUser(note.fields.author))).toBe(
      true,
    );
    expect(new Set(messages.map((message) => `${message.fields.kind}/${message.fields.authorType}`))).toEqual(
      new Set(["reply/customer", "reply/agent", "note/agent"]),
    );
    expect(messages.filter((message) => /<p>|<div/.test(String(message.fields.body))).length).toBeGreaterThan(messages.length * 0.8);
    const attachments = messages.flatMap((message) => message.attachments ?? []);
    expect(attachments.length).toBeGreaterThan(50);
    expect(attachments.every((attachment) => isSampleAttachmentUrl(attachment.url) && attachment.sizeBytes > 0)).toBe(true);
  });

  it("serves deterministic attachment content of the advertised size", () => {
    const attachment = messages.flatMap((message) => message.attachments ?? [])[0];
    const content = sampleAttachmentContent(attachment);
    expect(content.byteLength).toBe(attachment.sizeBytes);
    expect(Buffer.from(sampleAttachmentContent(attachment)).equals(Buffer.from(content))).toBe(true);
  });

  it("fills ticket custom fields of every canonical type, and leaves one custom field empty everywhere", () => {
    const filled = (key: string) =>
      dataset.tickets.filter((ticket) => ticket.fields[key] !== null && !(Array.isArray(ticket.fields[key]) && ticket.fields[key].length === 0));
    for (const key of [
      "orderNumber",
      "reproductionSteps",
      "seatCount",
      "vipCustomer",
      "purchaseDate",
      "slaBreachedAt",
      "productArea",
      "platforms",
      "recordingUrl",
      "ccEmail",
      "callbackPhone",
      "refundAmount",
      "escalatedTo",
    ]) {
      expect(filled(key).length, key).toBeGreaterThan(0);
    }
    expect(filled("legacyReference")).toHaveLength(0);
  });

  it("has duplicate customers whose emails differ only in case and spaces", () => {
    const byNormalized = new Map<string, Set<string>>();
    for (const email of stringsOf(dataset.customers, "email")) {
      const key = email.trim().toLowerCase();
      byNormalized.set(key, (byNormalized.get(key) ?? new Set()).add(email));
    }
    const variants = [...byNormalized.values()].filter((emails) => emails.size > 1);
    expect(variants.length).toBeGreaterThanOrEqual(3);
  });

  it("has invalid and missing customer emails", () => {
    const emails = dataset.customers.map((customer) => customer.fields.email);
    expect(emails.filter((email) => typeof email === "string" && !looksLikeEmail(email)).length).toBeGreaterThanOrEqual(3);
    expect(emails.filter((email) => email === null).length).toBeGreaterThanOrEqual(1);
  });

  it("has company websites as bare domains, www hosts and full URLs", () => {
    const domains = stringsOf(dataset.companies, "domain");
    expect(domains.some((domain) => /^[a-z0-9-]+\.[a-z]+$/i.test(domain))).toBe(true);
    expect(domains.some((domain) => domain.startsWith("www."))).toBe(true);
    expect(domains.some((domain) => /^https?:\/\//.test(domain))).toBe(true);
  });

  it("has phone numbers in many formats, parsed to E.164 where possible and kept raw always", () => {
    const phones = [...dataset.customers, ...dataset.companies].map((record) => record.fields.phone).filter((phone): phone is Phone => phone !== null);
    const raws = phones.map((phone) => phone.raw);
    for (const pattern of [/^\+44 20/, /^\(\d{3}\) 555-01\d\d$/, /^0044 /, /^\d{3}\.555\.01\d\d$/, /(x|ext\. )\d+$/]) {
      expect(
        raws.some((raw) => pattern.test(raw)),
        String(pattern),
      ).toBe(true);
    }
    expect(phones.find((phone) => phone.raw.startsWith("+44 20"))?.e164).toMatch(/^\+4420/);
    expect(phones.some((phone) => phone.e164 === null)).toBe(true);
  });

  it("has customers with no activity for over two years", () => {
    const recentTicketCustomers = new Set(
      dataset.tickets.filter((ticket) => Date.parse(ticket.updatedAt!) >= STALE_CUTOFF_MS).map((ticket) => (ticket.fields.customer as RelationRef).id),
    );
    const stale = dataset.customers.filter((customer) => Date.parse(customer.updatedAt!) < STALE_CUTOFF_MS && !recentTicketCustomers.has(customer.id));
    expect(stale.length).toBeGreaterThanOrEqual(5);
  });

  it("has CRM data: opportunities with currency amounts and stages, tasks and notes about their targets", () => {
    expect(dataset.opportunities.some((opportunity) => (opportunity.fields.amount as { currencyCode?: string } | null)?.currencyCode === "EUR")).toBe(true);
    expect(new Set(dataset.opportunities.map((opportunity) => opportunity.fields.stage)).size).toBeGreaterThanOrEqual(4);
    for (const item of [...dataset.tasks, ...dataset.notes]) {
      expect(item.fields.company !== null || item.fields.customer !== null || item.fields.opportunity !== null).toBe(true);
    }
  });
});
