import { describe, expect, it } from "vitest";
import type { CanonicalRecord } from "@/connectors/types";
import { ConnectorError } from "@/connectors/types";
import { describeWorkspace, planWorkspace } from "@/connectors/twenty/describe";
import { canonicalTypeFor, isCompatibleType, nativeTypeFor } from "@/connectors/twenty/field-types";
import { memberDirectory, payloadToTwenty, recordFromTwenty } from "@/connectors/twenty/mappers/record";
import { buildWorkspaceModel } from "@/connectors/twenty/metadata";
import type { TwentyFieldMetadata, TwentyObjectMetadata } from "@/connectors/twenty/raw-schemas";

// ---- factories -------------------------------------------------------------------------------
let nextId = 0;
const id = () => `00000000-0000-4000-8000-${String(++nextId).padStart(12, "0")}`;

function field(name: string, type: string, extra: Partial<TwentyFieldMetadata> = {}): TwentyFieldMetadata {
  return { id: id(), name, type, label: name, isActive: true, isCustom: false, isSystem: false, isNullable: true, isUnique: false, ...extra };
}

function manyToOne(name: string, target: string, extra: Partial<TwentyFieldMetadata> = {}): TwentyFieldMetadata {
  return field(name, "RELATION", {
    relation: { type: "MANY_TO_ONE", targetObjectMetadata: { namePlural: target } },
    settings: { relationType: "MANY_TO_ONE", joinColumnName: `${name}Id` },
    ...extra,
  });
}

function object(nameSingular: string, namePlural: string, fields: TwentyFieldMetadata[], extra: Partial<TwentyObjectMetadata> = {}): TwentyObjectMetadata {
  const system = [
    field("id", "UUID", { isSystem: true }),
    field("createdAt", "DATE_TIME", { isSystem: true }),
    field("updatedAt", "DATE_TIME", { isSystem: true }),
    field("deletedAt", "DATE_TIME", { isSystem: true }),
    field("createdBy", "ACTOR", { isSystem: true }),
    field("searchVector", "TS_VECTOR", { isSystem: true }),
  ];
  return {
    id: id(),
    nameSingular,
    namePlural,
    labelPlural: namePlural.charAt(0).toUpperCase() + namePlural.slice(1),
    isCustom: false,
    isActive: true,
    isSystem: false,
    fields: [...system, ...fields],
    ...extra,
  };
}

/** A workspace the way a 1.17+ build describes it (morph target columns "targetPersonId"). */
function workspace(targetStyle: "morph" | "classic" = "morph") {
  const targetField = (singular: string, plural: string) =>
    targetStyle === "morph"
      ? field(`target${singular.charAt(0).toUpperCase()}${singular.slice(1)}`, "MORPH_RELATION", {
          settings: { relationType: "MANY_TO_ONE", joinColumnName: `target${singular.charAt(0).toUpperCase()}${singular.slice(1)}Id` },
        })
      : manyToOne(singular, plural);
  return [
    object("company", "companies", [
      field("name", "TEXT"),
      field("domainName", "LINKS"),
      field("employees", "NUMBER"),
      field("address", "ADDRESS"),
      field("annualRecurringRevenue", "CURRENCY", { defaultValue: { amountMicros: null, currencyCode: "'EUR'" } }),
      manyToOne("accountOwner", "workspaceMembers"),
      field("people", "RELATION", { relation: { type: "ONE_TO_MANY", targetObjectMetadata: { namePlural: "people" } } }),
    ]),
    object("person", "people", [
      field("name", "FULL_NAME"),
      field("emails", "EMAILS", { isUnique: true }),
      field("phones", "PHONES"),
      field("jobTitle", "TEXT"),
      manyToOne("company", "companies"),
      field("tier", "SELECT", {
        isCustom: true,
        options: [
          { value: "GOLD", label: "Gold", position: 0 },
          { value: "SILVER", label: "Silver", position: 1 },
        ],
      }),
    ]),
    object("opportunity", "opportunities", [
      field("name", "TEXT"),
      field("amount", "CURRENCY"),
      field("closeDate", "DATE_TIME"),
      field("stage", "SELECT", { options: [{ value: "NEW", label: "New" }] }),
      manyToOne("company", "companies"),
      manyToOne("pointOfContact", "people"),
    ]),
    object("note", "notes", [field("title", "TEXT"), field("bodyV2", "RICH_TEXT_V2")]),
    object("task", "tasks", [field("title", "TEXT"), field("bodyV2", "RICH_TEXT_V2"), field("dueAt", "DATE_TIME"), manyToOne("assignee", "workspaceMembers")]),
    object(
      "noteTarget",
      "noteTargets",
      [manyToOne("note", "notes"), targetField("person", "people"), targetField("company", "companies"), targetField("opportunity", "opportunities")],
      { isSystem: true },
    ),
    object("taskTarget", "taskTargets", [manyToOne("task", "tasks"), targetField("person", "people"), targetField("company", "companies")], { isSystem: true }),
    object("workspaceMember", "workspaceMembers", [field("name", "FULL_NAME"), field("userEmail", "TEXT")], { isSystem: true }),
    object(
      "ticket",
      "tickets",
      [
        field("name", "TEXT"),
        field("ferrySourceId", "TEXT", { isUnique: true, isCustom: true }),
        field("labels", "ARRAY", { isCustom: true }),
        manyToOne("requester", "people"),
      ],
      { isCustom: true },
    ),
    object("attachment", "attachments", [field("name", "TEXT")], { isSystem: true }),
  ];
}

const members = memberDirectory([{ id: "11111111-1111-4111-8111-111111111111", email: "owner@acme.com", name: "Olivia Owner" }]);

describe("canonicalTypeFor", () => {
  it.each([
    ["TEXT", "text", false],
    ["RICH_TEXT_V2", "html", false],
    ["RICH_TEXT_DEPRECATED", "longtext", false],
    ["NUMBER", "number", false],
    ["NUMERIC", "number", false],
    ["BOOLEAN", "boolean", false],
    ["DATE", "date", false],
    ["DATE_TIME", "datetime", false],
    ["EMAILS", "email", false],
    ["PHONES", "phone", false],
    ["LINKS", "url", false],
    ["SELECT", "select", false],
    ["RATING", "select", false],
    ["MULTI_SELECT", "multiselect", false],
    ["RELATION", "relation", false],
    ["CURRENCY", "currency", false],
    ["FULL_NAME", "fullname", false],
    ["ADDRESS", "address", false],
    ["ARRAY", "tags", false],
    ["ACTOR", "text", true],
    ["RAW_JSON", "longtext", true],
    ["FILES", "text", true],
  ])("%s → %s (read-only: %s)", (native, type, readOnly) => expect(canonicalTypeFor(native, false)).toEqual({ type, readOnly }));

  it("reads RICH_TEXT as the composite on 2026 builds and as plain text before", () => {
    expect(canonicalTypeFor("RICH_TEXT", true)?.type).toBe("html");
    expect(canonicalTypeFor("RICH_TEXT", false)?.type).toBe("longtext");
  });

  it("hides search vectors", () => expect(canonicalTypeFor("TS_VECTOR", false)).toBeNull());

  it.each([
    ["html", "RICH_TEXT_V2"],
    ["email", "EMAILS"],
    ["tags", "ARRAY"],
    ["user", null],
  ] as const)("creates %s as %s", (type, native) => expect(nativeTypeFor(type, "RICH_TEXT_V2")).toBe(native));

  it.each([
    ["text", "longtext", true],
    ["html", "longtext", true],
    ["number", "text", false],
    ["multiselect", "tags", true],
  ] as const)("%s fits an existing %s field: %s", (planned, actual, expected) => expect(isCompatibleType(planned, actual)).toBe(expected));
});

describe("buildWorkspaceModel", () => {
  it("finds 1.17+ morph target columns (targetPersonId)", () => {
    const model = buildWorkspaceModel(workspace("morph"));
    const link = model.targetLinks.get("notes");
    expect(link?.parentColumn).toBe("noteId");
    expect(Object.fromEntries(link?.columns ?? [])).toEqual({ people: "targetPersonId", companies: "targetCompanyId", opportunities: "targetOpportunityId" });
  });

  it("finds pre-1.17 target columns (personId)", () => {
    const model = buildWorkspaceModel(workspace("classic"));
    expect(Object.fromEntries(model.targetLinks.get("tasks")?.columns ?? [])).toEqual({ people: "personId", companies: "companyId" });
  });

  it("finds very old plain UUID target columns", () => {
    const raw = workspace("classic").map((item) =>
      item.namePlural === "noteTargets" ? { ...item, fields: [field("noteId", "UUID"), field("personId", "UUID"), field("companyId", "UUID")] } : item,
    );
    expect(Object.fromEntries(buildWorkspaceModel(raw).targetLinks.get("notes")?.columns ?? [])).toEqual({ people: "personId", companies: "companyId" });
  });

  it("treats people emails and company domains as unique even when metadata does not say so", () => {
    const model = buildWorkspaceModel(workspace());
    expect(model.byPlural.get("companies")?.fields.find((item) => item.name === "domainName")?.unique).toBe(true);
  });
});

describe("describeWorkspace", () => {
  const schema = describeWorkspace(buildWorkspaceModel(workspace()));
  const objectType = (key: string) => schema.objectTypes.find((item) => item.key === key);

  it("exposes the CRM objects and custom objects, not system ones", () => {
    expect(schema.objectTypes.map((item) => item.key)).toEqual(["companies", "people", "opportunities", "notes", "tasks", "workspaceMembers", "tickets"]);
    expect(objectType("workspaceMembers")?.canWrite).toBe(false);
    expect(objectType("tickets")?.custom).toBe(true);
  });

  it("maps relations, owners and dependencies", () => {
    const people = objectType("people");
    expect(people?.fields.find((item) => item.key === "company")).toMatchObject({ type: "relation", relatesTo: "companies", nativeType: "RELATION" });
    expect(objectType("companies")?.fields.find((item) => item.key === "accountOwner")).toMatchObject({ type: "user", relatesTo: "workspaceMembers" });
    expect(objectType("companies")?.fields.some((item) => item.key === "people")).toBe(false);
    expect(objectType("opportunities")?.dependsOn.sort()).toEqual(["companies", "people"]);
    expect(objectType("notes")?.dependsOn.sort()).toEqual(["companies", "opportunities", "people"]);
  });

  it("lists custom fields with options, flags and the extra composite keys", () => {
    const people = objectType("people");
    expect(people?.fields.find((item) => item.key === "tier")).toMatchObject({
      type: "select",
      custom: true,
      options: [
        { value: "GOLD", label: "Gold" },
        { value: "SILVER", label: "Silver" },
      ],
    });
    expect(people?.fields.find((item) => item.key === "emails")).toMatchObject({ type: "email", unique: true });
    expect(people?.fields.find((item) => item.key === "emails.additionalEmails")).toMatchObject({ type: "tags", unique: false });
    expect(people?.fields.find((item) => item.key === "phones.additionalPhones")).toMatchObject({ type: "phone" });
    expect(people?.fields.find((item) => item.key === "createdBy")).toMatchObject({ type: "text", readOnly: true });
    expect(people?.fields.some((item) => ["id", "deletedAt", "searchVector"].includes(item.key))).toBe(false);
  });

  it("offers note/task links as relation fields per target object", () => {
    expect(
      objectType("notes")
        ?.fields.filter((item) => item.key.startsWith("targets."))
        .map((item) => item.key),
    ).toEqual(["targets.people", "targets.companies", "targets.opportunities"]);
  });
});

describe("record mapping", () => {
  const plans = planWorkspace(buildWorkspaceModel(workspace()));
  const plan = (key: string) => {
    const found = plans.get(key);
    if (!found) throw new Error(`no plan for ${key}`);
    return found;
  };
  const record = (objectType: string, fields: CanonicalRecord["fields"]): CanonicalRecord => ({
    id: "src-1",
    objectType,
    createdAt: null,
    updatedAt: null,
    fields,
  });

  it("reads a Twenty person into canonical values", () => {
    const raw = {
      id: "22222222-2222-4222-8222-222222222222",
      createdAt: "2025-01-02T10:00:00.000Z",
      updatedAt: "2025-01-03T10:00:00.000Z",
      name: { firstName: "Ada", lastName: "Lovelace" },
      emails: { primaryEmail: "ada@acme.com", additionalEmails: ["a@l.dev"] },
      phones: { primaryPhoneNumber: "6125550123", primaryPhoneCountryCode: "US", primaryPhoneCallingCode: "+1", additionalPhones: [] },
      jobTitle: "",
      companyId: "33333333-3333-4333-8333-333333333333",
      tier: "GOLD",
      createdBy: { source: "API", name: "Import key" },
    };
    const canonical = recordFromTwenty(raw, plan("people"), members);
    expect(canonical).toMatchObject({ id: raw.id, objectType: "people", createdAt: raw.createdAt });
    expect(canonical.fields).toMatchObject({
      name: { firstName: "Ada", lastName: "Lovelace" },
      emails: "ada@acme.com",
      "emails.additionalEmails": ["a@l.dev"],
      phones: { e164: "+16125550123", countryCode: "US" },
      "phones.additionalPhones": null,
      jobTitle: null,
      company: { objectType: "companies", id: raw.companyId },
      tier: "GOLD",
      createdBy: "Import key",
    });
  });

  it("reads owners as users with their email", () => {
    const canonical = recordFromTwenty({ id: "c1", accountOwnerId: "11111111-1111-4111-8111-111111111111" }, plan("companies"), members);
    expect(canonical.fields.accountOwner).toEqual({ id: "11111111-1111-4111-8111-111111111111", email: "owner@acme.com", name: "Olivia Owner" });
  });

  it("writes a canonical company in Twenty's formats", () => {
    const { payload } = payloadToTwenty(
      record("companies", {
        name: "Acme",
        domainName: "www.acme.com",
        employees: "50",
        annualRecurringRevenue: 1200,
        address: { city: "Paris" },
        accountOwner: { id: "source-user-9", email: "OWNER@acme.com" },
        createdBy: "ignored, read-only",
      }),
      plan("companies"),
      members,
      "create",
    );
    expect(payload).toEqual({
      name: "Acme",
      domainName: { primaryLinkUrl: "https://acme.com", primaryLinkLabel: "", secondaryLinks: [] },
      employees: 50,
      annualRecurringRevenue: { amountMicros: 1200000000, currencyCode: "EUR" },
      address: { addressStreet1: "", addressStreet2: "", addressCity: "Paris", addressState: "", addressPostcode: "", addressCountry: "" },
      accountOwnerId: "11111111-1111-4111-8111-111111111111",
    });
  });

  it("merges a composite's extra key and writes relations as join columns", () => {
    const { payload } = payloadToTwenty(
      record("people", {
        emails: "Ada@Acme.com",
        "emails.additionalEmails": ["ada@lovelace.dev"],
        company: { objectType: "companies", id: "33333333-3333-4333-8333-333333333333" },
        tier: "Silver",
        name: "Ada Lovelace",
      }),
      plan("people"),
      members,
      "create",
    );
    expect(payload).toEqual({
      emails: { primaryEmail: "ada@acme.com", additionalEmails: ["ada@lovelace.dev"] },
      companyId: "33333333-3333-4333-8333-333333333333",
      tier: "SILVER",
      name: { firstName: "Ada", lastName: "Lovelace" },
    });
  });

  it("omits nulls on create and clears them on update", () => {
    const input = record("people", { jobTitle: null, emails: null });
    expect(payloadToTwenty(input, plan("people"), members, "create").payload).toEqual({});
    expect(payloadToTwenty(input, plan("people"), members, "update").payload).toEqual({ jobTitle: "", emails: { primaryEmail: "", additionalEmails: [] } });
  });

  it("collects note targets for noteTargets rows", () => {
    const { payload, targets } = payloadToTwenty(
      record("notes", {
        title: "Call",
        bodyV2: "<p>Hello</p>",
        "targets.people": [{ objectType: "people", id: "44444444-4444-4444-8444-444444444444" }],
        targets: [{ objectType: "companies", id: "33333333-3333-4333-8333-333333333333" }],
      }),
      plan("notes"),
      members,
      "create",
    );
    expect(payload).toEqual({ title: "Call", bodyV2: { markdown: "Hello" } });
    expect(targets).toEqual([
      { target: "people", column: "targetPersonId", id: "44444444-4444-4444-8444-444444444444" },
      { target: "companies", column: "targetCompanyId", id: "33333333-3333-4333-8333-333333333333" },
    ]);
  });

  it.each([
    ["an unknown field", { nickname: "Ada" }, /no field "nickname"/],
    ["an unknown select option", { tier: "Bronze" }, /not an option/],
    ["an invalid email", { emails: "not an email" }, /not an email address/],
    ["a user who is not a member", { accountOwner: { id: "x", email: "stranger@acme.com" } }, /stranger@acme.com is not a member/],
    ["a relation that is not a Twenty id", { company: { objectType: "companies", id: "42" } }, /not a Twenty record id/],
  ])("fails the record for %s", (_, fields, message) => {
    const objectType = "accountOwner" in fields ? "companies" : "people";
    expect(() => payloadToTwenty(record(objectType, fields as CanonicalRecord["fields"]), plan(objectType), members, "create")).toThrow(message);
    try {
      payloadToTwenty(record(objectType, fields as CanonicalRecord["fields"]), plan(objectType), members, "create");
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).code).toBe("VALIDATION");
    }
  });
});
