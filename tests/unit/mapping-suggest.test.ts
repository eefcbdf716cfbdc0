import { describe, expect, it } from "vitest";
import { describeSample } from "@/connectors/sample/schema";
import type { CanonicalFieldType, FieldDescription, ObjectTypeDescription } from "@/connectors/types";
import { compatibility, suggestFieldMappings, suggestValueMappings, toValueMap } from "@/lib/mapping";

// ---- factories -------------------------------------------------------------------------------
function field(key: string, type: CanonicalFieldType, extra: Partial<FieldDescription> = {}): FieldDescription {
  return { key, label: extra.label ?? key, type, nativeType: type.toUpperCase(), required: false, unique: false, readOnly: false, custom: false, ...extra };
}
function object(key: string, fields: FieldDescription[], dependsOn: string[] = []): ObjectTypeDescription {
  return { key, label: key.charAt(0).toUpperCase() + key.slice(1), custom: false, canRead: true, canWrite: true, fields, dependsOn };
}
const system = () => [
  field("createdAt", "datetime", { label: "Creation date" }),
  field("updatedAt", "datetime", { label: "Last update", readOnly: true }),
  field("position", "number", { label: "Position" }),
];
const targets = (prefix: string) =>
  ["people", "companies", "opportunities"].map((target) =>
    field(`targets.${target}`, "relation", { label: `Linked ${target}`, nativeType: `${prefix}Targets`, relatesTo: target }),
  );

/** Twenty's objects as its describe() reports them (keys and types from the Twenty sandbox). */
const twenty = {
  companies: object("companies", [
    ...system(),
    field("name", "text", { label: "Name" }),
    field("domainName", "url", { label: "Domain", unique: true }),
    field("domainName.secondaryLinks", "tags", { label: "Domain (additional)" }),
    field("employees", "number", { label: "Employees" }),
    field("linkedinLink", "url", { label: "Linkedin" }),
    field("annualRecurringRevenue", "currency", { label: "ARR" }),
    field("address", "address", { label: "Address" }),
    field("idealCustomerProfile", "boolean", { label: "ICP" }),
    field("accountOwner", "user", { label: "Account Owner", relatesTo: "workspaceMembers" }),
    field("tier", "select", {
      label: "Customer tier",
      custom: true,
      options: [
        { value: "ENTERPRISE", label: "Enterprise" },
        { value: "MID_MARKET", label: "Mid-market" },
        { value: "SMB", label: "SMB" },
      ],
    }),
  ]),
  people: object(
    "people",
    [
      ...system(),
      field("name", "fullname", { label: "Name" }),
      field("emails", "email", { label: "Emails", unique: true }),
      field("emails.additionalEmails", "tags", { label: "Emails (additional)" }),
      field("linkedinLink", "url", { label: "Linkedin" }),
      field("jobTitle", "text", { label: "Job Title" }),
      field("phones", "phone", { label: "Phones" }),
      field("phones.additionalPhones", "phone", { label: "Phones (additional)" }),
      field("city", "text", { label: "City" }),
      field("company", "relation", { label: "Company", relatesTo: "companies" }),
    ],
    ["companies"],
  ),
  notes: object(
    "notes",
    [...system(), field("title", "text", { label: "Title" }), field("bodyV2", "html", { label: "Body" }), ...targets("note")],
    ["people", "companies", "opportunities"],
  ),
  tasks: object(
    "tasks",
    [
      ...system(),
      field("title", "text", { label: "Title" }),
      field("bodyV2", "html", { label: "Body" }),
      field("dueAt", "datetime", { label: "Due Date" }),
      field("status", "select", {
        label: "Status",
        options: [
          { value: "TODO", label: "To do" },
          { value: "IN_PROGRESS", label: "In progress" },
          { value: "DONE", label: "Done" },
        ],
      }),
      field("assignee", "user", { label: "Assignee", relatesTo: "workspaceMembers" }),
      ...targets("task"),
    ],
    ["people", "companies", "opportunities"],
  ),
};
const sample = Object.fromEntries(describeSample().objectTypes.map((objectType) => [objectType.key, objectType]));
const OBJECT_MAP = { companies: "companies", customers: "people", opportunities: "opportunities", tasks: "tasks", notes: "notes" };

const pairsOf = (mappings: { sourceField: string | null; targetField: string }[]) =>
  mappings.map((mapping) => `${mapping.sourceField} → ${mapping.targetField}`);

describe("suggestFieldMappings", () => {
  it("maps Sample customers onto Twenty people by key, label and synonyms", () => {
    const mappings = suggestFieldMappings(sample.customers, twenty.people, { objectMap: OBJECT_MAP });
    expect(pairsOf(mappings)).toEqual(["name → name", "email → emails", "phone → phones", "company → company", "jobTitle → jobTitle"]);
    expect(mappings.every((mapping) => mapping.compatibility === "exact")).toBe(true);
  });

  it("maps Sample companies onto Twenty companies, the domain and revenue by synonym, with a value map for the tier", () => {
    const mappings = suggestFieldMappings(sample.companies, twenty.companies, { objectMap: OBJECT_MAP });
    expect(pairsOf(mappings)).toEqual([
      "name → name",
      "domain → domainName",
      "employees → employees",
      "address → address",
      "accountOwner → accountOwner",
      "annualRevenue → annualRecurringRevenue",
      "tier → tier",
    ]);
    expect(mappings.find((mapping) => mapping.sourceField === "tier")?.valueMap).toEqual({ enterprise: "ENTERPRISE", "mid-market": "MID_MARKET", smb: "SMB" });
  });

  it("links Sample tasks to Twenty task targets and converts the plain-text body to HTML", () => {
    const mappings = suggestFieldMappings(sample.tasks, twenty.tasks, { objectMap: OBJECT_MAP });
    expect(pairsOf(mappings)).toEqual([
      "title → title",
      "body → bodyV2",
      "status → status",
      "dueAt → dueAt",
      "assignee → assignee",
      "company → targets.companies",
      "customer → targets.people",
      "opportunity → targets.opportunities",
    ]);
    expect(mappings.find((mapping) => mapping.sourceField === "body")).toMatchObject({ compatibility: "lossless" });
  });

  it("never suggests an incompatible pair, a read-only target, or a target twice", () => {
    for (const [source, target] of [
      [sample.tickets, twenty.notes],
      [sample.customers, twenty.companies],
      [sample.notes, twenty.tasks],
      [sample.messages, twenty.notes],
    ] as const) {
      const mappings = suggestFieldMappings(source, target, { objectMap: OBJECT_MAP });
      const targetKeys = mappings.map((mapping) => mapping.targetField);
      expect(new Set(targetKeys).size).toBe(targetKeys.length);
      for (const mapping of mappings) {
        const from = source.fields.find((candidate) => candidate.key === mapping.sourceField) as FieldDescription;
        const to = target.fields.find((candidate) => candidate.key === mapping.targetField) as FieldDescription;
        expect(to.readOnly).toBe(false);
        expect(compatibility(from.type, to.type).level).not.toBe("incompatible");
        expect(mapping.compatibility).toBe(compatibility(from.type, to.type).level);
      }
    }
  });

  it("does not link a relation to a record of another object", () => {
    // A note's opportunity must not land in the people link just because both are relations.
    const source = object("notes", [field("opportunity", "relation", { relatesTo: "opportunities" })]);
    const target = object("notes", [field("targets.people", "relation", { relatesTo: "people", label: "Linked people" })]);
    expect(suggestFieldMappings(source, target, { objectMap: { opportunities: "opportunities" } })).toEqual([]);
  });

  it("does not suggest a relation to an object that is not migrated", () => {
    const mappings = suggestFieldMappings(sample.tickets, object("tickets", [field("inbox", "relation", { relatesTo: "inboxes" })]), { objectMap: OBJECT_MAP });
    expect(mappings).toEqual([]);
  });

  it("maps a help desk ticket onto a CRM ticket by synonyms: subject → name, customer → requester", () => {
    const target = object("tickets", [
      field("name", "text", { label: "Name" }),
      field("requester", "relation", { label: "Requester", relatesTo: "people" }),
      field("description", "html", { label: "Description" }),
    ]);
    expect(pairsOf(suggestFieldMappings(sample.tickets, target, { objectMap: { ...OBJECT_MAP, tickets: "tickets" } }))).toEqual([
      "subject → name",
      "customer → requester",
    ]);
  });

  it("splits a full name into first and last name fields, and joins them back", () => {
    const split = object("customers", [field("firstName", "text"), field("lastName", "text"), field("email", "email")]);
    expect(suggestFieldMappings(twenty.people, split)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sourceField: "name", targetField: "firstName", transform: { namePart: "firstName" } }),
        expect.objectContaining({ sourceField: "name", targetField: "lastName", transform: { namePart: "lastName" } }),
        expect.objectContaining({ sourceField: "emails", targetField: "email" }),
      ]),
    );
    expect(suggestFieldMappings(split, twenty.people)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sourceField: "firstName", targetField: "name", transform: { namePart: "firstName" } }),
        expect.objectContaining({ sourceField: "lastName", targetField: "name", transform: { namePart: "lastName" } }),
      ]),
    );
  });

  it("leaves the additional-emails list alone when mapping the primary email", () => {
    const mappings = suggestFieldMappings(sample.customers, twenty.people);
    expect(mappings.some((mapping) => mapping.targetField === "emails.additionalEmails")).toBe(false);
  });
});

describe("suggestValueMappings", () => {
  it("matches statuses and priorities by value, normalised label and synonyms", () => {
    const rows = suggestValueMappings(sample.tickets.fields.find((candidate) => candidate.key === "status")?.options ?? [], [
      { value: "OPEN", label: "Open" },
      { value: "PENDING", label: "Pending" },
      { value: "ON_HOLD", label: "On hold" },
      { value: "SOLVED", label: "Solved" },
      { value: "CLOSED", label: "Closed" },
    ]);
    expect(toValueMap(rows)).toEqual({ open: "OPEN", waiting: "PENDING", "on-hold": "ON_HOLD", solved: "SOLVED", closed: "CLOSED" });
    expect(toValueMap(suggestValueMappings([{ value: "normal", label: "Normal" }], [{ value: "MEDIUM", label: "Medium" }]))).toEqual({ normal: "MEDIUM" });
  });

  it("leaves a value without counterpart unmatched for the user to choose", () => {
    const rows = suggestValueMappings(
      [
        { value: "feature-request", label: "Feature request" },
        { value: "question", label: "Question" },
      ],
      [{ value: "QUESTION", label: "Question" }],
    );
    expect(rows).toEqual([
      { sourceValue: "feature-request", sourceLabel: "Feature request", targetValue: null },
      { sourceValue: "question", sourceLabel: "Question", targetValue: "QUESTION" },
    ]);
    expect(toValueMap(rows)).toEqual({ question: "QUESTION" });
  });
});
