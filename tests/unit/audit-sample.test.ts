import { describe, expect, it } from "vitest";
import { REFERENCE_DATE, sampleConnector, sampleRecords } from "@/connectors/sample";
import type { CanonicalFieldType, CanonicalRecord, FieldDescription, ObjectTypeDescription } from "@/connectors/types";
import { ActivityIndex, MAX_LISTED_RECORDS, auditRecords, auditSource, createAuditor, recordsOf } from "@/lib/audit";
import type { AuditFinding, AuditReport } from "@/lib/audit";
import { applyPlanPatch, validatePlanShape } from "@/lib/plan";

// ---- factories -------------------------------------------------------------------------------
const NOW = new Date(REFERENCE_DATE);
function field(key: string, type: CanonicalFieldType, extra: Partial<FieldDescription> = {}): FieldDescription {
  return { key, label: extra.label ?? key, type, nativeType: type, required: false, unique: false, readOnly: false, custom: false, ...extra };
}
function object(key: string, fields: FieldDescription[]): ObjectTypeDescription {
  return { key, label: key.charAt(0).toUpperCase() + key.slice(1), custom: false, canRead: true, canWrite: false, fields, dependsOn: [] };
}
function record(id: string, fields: CanonicalRecord["fields"], updatedAt = "2026-10-01T00:00:00.000Z"): CanonicalRecord {
  return { id, objectType: "customers", createdAt: updatedAt, updatedAt, fields };
}
const find = (report: AuditReport, kind: AuditFinding["kind"], fieldKey?: string) =>
  report.findings.find((finding) => finding.kind === kind && (fieldKey === undefined || finding.field === fieldKey));

describe("auditSource on the Sample source", async () => {
  // Read through the connector, as the wizard does: pages streamed, nothing held.
  const session = sampleConnector.connect({ seed: 42, scale: 1 });
  const schema = await session.describe();
  const reports = await auditSource(schema.objectTypes, (objectType) => recordsOf(session.read(objectType, { pageSize: 100 })), NOW);
  const byObject = Object.fromEntries(reports.map((report) => [report.objectType, report]));

  it("audits every readable object once, counting all records", () => {
    expect(reports.map((report) => [report.objectType, report.total])).toEqual([
      ["agents", 5],
      ["inboxes", 3],
      ["companies", 40],
      ["customers", 250],
      ["tickets", 1_000],
      ["opportunities", 60],
      ["tasks", 120],
      ["notes", 150],
    ]);
    expect(reports.every((report) => !report.partial)).toBe(true);
  });

  it("finds duplicate customers whose emails differ only in case and spaces", () => {
    const duplicates = find(byObject.customers, "duplicate-email", "email");
    expect(duplicates?.count).toBeGreaterThanOrEqual(3);
    for (const example of duplicates?.examples ?? []) {
      expect(example.duplicateOf).toMatch(/^cus_\d+$/);
      expect(example.value.trim().toLowerCase()).not.toBe(example.value);
    }
    // The suggestion skips exactly the repeats it lists, each linked to the record it repeats.
    expect(duplicates?.records).toHaveLength(duplicates!.count);
    expect(duplicates?.suggestion).toEqual({
      kind: "filter",
      label: "Keep the first of each and skip the repeats",
      apply: {
        kind: "skipRepeats",
        objectType: "customers",
        repeats: duplicates!.records!.map((repeat) => ({ sourceId: repeat.sourceId, sameAs: repeat.duplicateOf })),
      },
      skips: duplicates!.count,
    });
  });

  it("finds invalid emails, says how many the default policy repairs and writes without, and offers to leave them out", () => {
    const invalid = find(byObject.customers, "invalid-email", "email");
    expect(invalid).toMatchObject({ severity: "warn" });
    expect(invalid?.count).toBeGreaterThanOrEqual(3);
    expect(invalid?.examples.length).toBeLessThanOrEqual(5);
    const repairable = invalid?.repairable ?? -1;
    expect(repairable).toBeGreaterThan(0);
    expect(repairable).toBeLessThan(invalid?.count ?? 0);
    expect(invalid?.message).toContain(
      `By default Ferry repairs ${repairable} (spaces, doubled @ or dots) and writes the other ${(invalid?.count ?? 0) - repairable} without it`,
    );
    expect(invalid?.suggestion?.apply).toEqual({ kind: "setTransform", objectType: "customers", field: "email", transform: { onInvalid: "drop" } });
  });

  it("finds bare, www. and http domains that will become https://domain.com, and companies sharing one", () => {
    const domains = find(byObject.companies, "domain-format", "domain");
    expect(domains?.count).toBeGreaterThan(10);
    expect(domains?.examples.map((example) => example.value)).toEqual(expect.arrayContaining([expect.stringMatching(/ → https:\/\/[a-z0-9-]+\.example$/)]));
    expect(domains?.suggestion).toMatchObject({
      kind: "transform",
      label: "Normalise domains to https://domain.com",
      apply: { kind: "setTransform", field: "domain", transform: { urlMode: "domain" } },
    });
    expect(find(byObject.companies, "duplicate-domain", "domain")?.count).toBeGreaterThanOrEqual(1);
    expect(find(byObject.companies, "duplicate-name", "name")?.suggestion).toBeNull();
  });

  it("finds phones in local formats and numbers that cannot be read", () => {
    const formats = find(byObject.customers, "phone-format", "phone");
    expect(formats?.count).toBeGreaterThan(20);
    // The Sample's customers mix US, German and British numbers about evenly; the country is derived from them (lib/mapping/phone-data.ts, tested there).
    expect(formats?.suggestion?.apply).toEqual({
      kind: "setTransform",
      objectType: "customers",
      field: "phone",
      transform: { defaultCountry: expect.stringMatching(/^(US|DE|GB)$/) },
    });
    const unreadable = find(byObject.customers, "invalid-phone", "phone");
    expect(unreadable?.examples.some((example) => ["12345", "n/a", "call me after 5", "+44", "000"].includes(example.value))).toBe(true);
    expect(find(byObject.tickets, "invalid-phone", "callbackPhone")).toBeDefined();
  });

  it("finds customers with no activity for two years, counting their tickets as activity", () => {
    const stale = find(byObject.customers, "stale-records");
    expect(stale?.count).toBeGreaterThanOrEqual(5);
    expect(stale?.suggestion).toEqual({
      kind: "filter",
      label: "Skip customers with no activity for 2 years",
      apply: { kind: "skipStale", objectType: "customers", years: 2 },
      skips: stale!.count,
    });
    // Which ones, by name, for the confirmation before the filter applies.
    expect(stale?.records).toHaveLength(stale!.count);
    expect(stale?.records?.[0].value).toMatch(/^.+ · .+@.+ · last activity \d{4}-\d{2}-\d{2}$/);
    const cutoff = NOW.getTime() - 2 * 365.25 * 24 * 3_600_000;
    const staleIds = new Set((stale?.examples ?? []).map((example) => example.sourceId));
    const recentTickets = [...sampleRecords("tickets")].filter((ticket) => Date.parse(ticket.updatedAt as string) >= cutoff);
    for (const ticket of recentTickets) expect(staleIds.has((ticket.fields.customer as { id: string }).id)).toBe(false);
    // Staff and tickets are not judged stale.
    expect(find(byObject.tickets, "stale-records")).toBeUndefined();
    expect(find(byObject.agents, "stale-records")).toBeUndefined();
  });

  it("finds the custom field nobody filled and reports fill rates for every field", () => {
    expect(find(byObject.tickets, "unused-field", "legacyReference")).toMatchObject({
      count: 1_000,
      severity: "info",
      suggestion: { kind: "filter", label: "Leave out Legacy reference", apply: { kind: "dropField", objectType: "tickets", field: "legacyReference" } },
    });
    expect(byObject.tickets.findings.filter((finding) => finding.kind === "unused-field").map((finding) => finding.field)).toEqual(["legacyReference"]);
    const fill = Object.fromEntries(byObject.tickets.fields.map((entry) => [entry.field, entry.fillRate]));
    expect(fill.subject).toBe(1);
    expect(fill.legacyReference).toBe(0);
    expect(fill.orderNumber).toBeGreaterThan(0.3);
    expect(fill.orderNumber).toBeLessThan(0.8);
  });

  it("lists warnings before information, larger counts first", () => {
    const severities = byObject.customers.findings.map((finding) => finding.severity);
    expect(severities).toEqual([...severities].sort((a, b) => (a === b ? 0 : a === "warn" ? -1 : 1)));
  });

  it("gives suggestions the plan accepts in one click", () => {
    let plan = validatePlanShape({
      sourceSystem: "sample",
      targetSystem: "twenty",
      objects: [{ sourceObject: "customers", targetObject: "people", enabled: true, fieldMappings: [{ sourceField: "email", targetField: "emails" }] }],
    });
    for (const finding of reports.flatMap((report) => report.findings)) if (finding.suggestion) plan = applyPlanPatch(plan, finding.suggestion.apply);
    expect(plan.filters).toMatchObject({ skipStaleYears: 2, staleObjects: ["customers"] });
    expect(plan.skipRepeats.length).toBe(
      find(byObject.customers, "duplicate-email", "email")!.count + (find(byObject.companies, "duplicate-domain", "domain")?.count ?? 0),
    );
    expect(plan.skipRepeats.every((repeat) => repeat.sourceId !== repeat.sameAs)).toBe(true);
    expect(plan.objects[0].fieldMappings[0].transform).toEqual({ onInvalid: "drop" });
  });
});

describe("auditRecords", () => {
  const customers = object("customers", [
    field("name", "fullname"),
    field("email", "email"),
    field("company", "relation", { relatesTo: "companies" }),
    field("nickname", "text", { custom: true }),
  ]);

  it("keeps at most the asked number of examples while counting everything", async () => {
    const records = Array.from({ length: 50 }, (_, index) => record(`c${index}`, { email: `broken${index}@` }));
    const report = await auditRecords(customers, records, NOW, { maxExamples: 2 });
    expect(find(report, "invalid-email")).toMatchObject({
      count: 50,
      examples: [
        { sourceId: "c0", value: "broken0@" },
        { sourceId: "c1", value: "broken1@" },
      ],
    });
  });

  it("reads async streams and counts the same person at the same company once", async () => {
    async function* stream() {
      yield record("a", { name: { firstName: "Jo", lastName: "Lee" }, email: "jo@acme.example", company: { objectType: "companies", id: "k1" } });
      yield record("b", { name: { firstName: "JO", lastName: "Lee " }, email: "jo.lee@acme.example", company: { objectType: "companies", id: "k1" } });
      yield record("c", { name: { firstName: "Jo", lastName: "Lee" }, email: "JO@acme.example", company: { objectType: "companies", id: "k1" } });
      yield record("d", { name: { firstName: "Jo", lastName: "Lee" }, email: null, company: { objectType: "companies", id: "k2" } });
    }
    const report = await auditRecords(customers, stream(), NOW);
    expect(find(report, "duplicate-name")).toMatchObject({ count: 1, examples: [{ sourceId: "b", duplicateOf: "a" }] });
    expect(find(report, "duplicate-email")).toMatchObject({ count: 1, examples: [{ sourceId: "c", value: "JO@acme.example", duplicateOf: "a" }] });
    expect(find(report, "unused-field", "nickname")).toBeDefined();
  });

  it("stops remembering keys past the cap and says the duplicate counts are partial", () => {
    const auditor = createAuditor(customers, NOW, { maxTrackedKeys: 2 });
    for (const email of ["a@x.example", "b@x.example", "c@x.example", "c@x.example"]) auditor.add(record(email, { email }));
    const report = auditor.report();
    expect(report.partial).toBe(true);
    expect(find(report, "duplicate-email")).toBeUndefined();
  });

  it("looks for duplicate emails only on the email that identifies a person, not on ticket recipients", async () => {
    // Every ticket arrives at one of two inbox addresses: that is not 98 duplicate tickets.
    const tickets = object("tickets", [field("subject", "text"), field("name", "text"), field("originalRecipient", "email"), field("customerEmail", "email")]);
    const records = Array.from({ length: 100 }, (_, index) => ({
      ...record(`t${index}`, {
        subject: "Refund",
        name: "Refund",
        originalRecipient: index % 2 ? "support@acme.example" : "billing@acme.example",
        customerEmail: "same@customer.example",
      }),
      objectType: "tickets",
    }));
    const report = await auditRecords(tickets, records, NOW);
    expect(report.findings.filter((finding) => finding.kind.startsWith("duplicate-"))).toEqual([]);
  });

  it("never counts a company as a duplicate of itself when its domain and website name the same host", async () => {
    const companies = object("companies", [field("name", "text"), field("domain", "url"), field("website", "url")]);
    const company = (id: string, name: string, domain: string, website: string) => ({ ...record(id, { name, domain, website }), objectType: "companies" });
    const report = await auditRecords(
      companies,
      [
        company("k1", "Acme", "acme.example", "https://www.acme.example"),
        company("k2", "Globex", "globex.example", "https://globex.example/about"),
        company("k3", "Acme Two", "ACME.example", "https://other.example"),
      ],
      NOW,
    );
    expect(find(report, "duplicate-domain")).toMatchObject({
      field: "domain",
      count: 1,
      examples: [{ sourceId: "k3", duplicateOf: "k1" }],
      records: [{ sourceId: "k3", duplicateOf: "k1" }],
    });
    expect(find(report, "duplicate-domain", "website")).toBeUndefined();
    expect(find(report, "duplicate-domain")?.suggestion).toMatchObject({
      skips: 1,
      apply: { kind: "skipRepeats", objectType: "companies", repeats: [{ sourceId: "k3", sameAs: "k1" }] },
    });
  });

  it("offers no one-click skip when there are more repeats than it can list", async () => {
    const records = Array.from({ length: MAX_LISTED_RECORDS + 2 }, (_, index) => record(`c${index}`, { email: "shared@acme.example" }));
    const duplicates = find(await auditRecords(customers, records, NOW), "duplicate-email");
    expect(duplicates).toMatchObject({ count: MAX_LISTED_RECORDS + 1, suggestion: null });
    expect(duplicates?.message).toMatch(/Too many to skip in one click/);
  });

  it("does not call a customer stale whose related records moved recently", () => {
    const activity = new ActivityIndex(new Set(["customers"]));
    activity.add({
      id: "t1",
      objectType: "tickets",
      createdAt: null,
      updatedAt: "2026-10-20T00:00:00.000Z",
      fields: { customer: { objectType: "customers", id: "old-but-active" } },
    });
    const auditor = createAuditor(customers, NOW, { activity });
    auditor.add(record("old-but-active", {}, "2020-01-01T00:00:00.000Z"));
    auditor.add(record("old", {}, "2020-01-01T00:00:00.000Z"));
    expect(find(auditor.report(), "stale-records")?.examples).toEqual([{ sourceId: "old", value: "last activity 2020-01-01" }]);
  });
});
