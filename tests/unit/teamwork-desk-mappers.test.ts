// Table tests for the Teamwork Desk connector's pure conversions: site addresses, credentials,
// scalar values, custom fields, reference data, people, tickets and threads, error bodies,
// cursors, import ids and create-once reconciliation.
import { describe, expect, it } from "vitest";
import { MAX_ERROR_DETAIL_CHARS } from "@/connectors/shared/http-client";
import type { Included } from "@/connectors/teamwork-desk/api";
import { isPublicAttachmentUrl } from "@/connectors/teamwork-desk/attachments";
import { teamworkDeskError } from "@/connectors/teamwork-desk/client";
import { createOnce } from "@/connectors/teamwork-desk/create-once";
import { decodeCursor, encodeCursor } from "@/connectors/teamwork-desk/cursor";
import { teamworkDeskCredentialSchema } from "@/connectors/teamwork-desk/manifest";
import {
  canonicalTypeForKind,
  customFieldModel,
  customValueFromDesk,
  customValueToDesk,
  expectedKindFor,
  normalizeKind,
  type CustomFieldModel,
} from "@/connectors/teamwork-desk/mappers/custom-fields";
import { customFieldFromDesk, findNamed, inboxFromDesk, namedFromDesk, namedOptions, tagFromDesk } from "@/connectors/teamwork-desk/mappers/named";
import {
  agentFromDesk,
  companyFromDesk,
  companyToDesk,
  customerEmails,
  customerFromDesk,
  customerToDesk,
  isAdministrator,
} from "@/connectors/teamwork-desk/mappers/people";
import {
  messageFromDesk,
  resolveAgent,
  threadIsPresent,
  threadsOf,
  threadToImport,
  threadToNote,
  ticketFromDesk,
  ticketToImport,
  ticketToPatch,
  type ImportPerson,
  type TicketWriteContext,
} from "@/connectors/teamwork-desk/mappers/tickets";
import {
  addressToDesk,
  booleanToDesk,
  dateTimeFromDesk,
  dateTimeToDesk,
  emailToDesk,
  fullNameToDesk,
  htmlToText,
  phoneFromDesk,
  phoneToDesk,
  slug,
  toHtmlBody,
} from "@/connectors/teamwork-desk/mappers/values";
import type {
  DeskCompany,
  DeskContact,
  DeskCustomer,
  DeskDomain,
  DeskInbox,
  DeskMessage,
  DeskNamed,
  DeskTicket,
  DeskUser,
} from "@/connectors/teamwork-desk/raw-schemas";
import type { SiteModel } from "@/connectors/teamwork-desk/site-model";
import { normalizeSiteUrl } from "@/connectors/teamwork-desk/site-url";
import { importIdFor } from "@/connectors/teamwork-desk/ticket-writer";
import { ConnectorError, type CanonicalRecord } from "@/connectors/types";

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------
const BASE_URL = "https://acme.teamwork.com";

function user(overrides: Partial<DeskUser> = {}): DeskUser {
  return { id: 238001, email: "ann.smith@acme.example", firstName: "Ann", lastName: "Smith", role: "Agent", isPartTime: false, state: "active", ...overrides };
}

function named(id: number, name: string, extra: Partial<DeskNamed> = {}): DeskNamed {
  return { id, name, ...extra };
}

function dropdown(): CustomFieldModel {
  return {
    id: "272",
    key: "customfields.272",
    label: "Paint colour",
    kind: "dropdown",
    nativeKind: "dropdown",
    required: false,
    options: [
      { id: "1601", name: "Red" },
      { id: "1602", name: "Sky Blue" },
    ],
    inboxIds: [],
  };
}

function checkboxes(): CustomFieldModel {
  return {
    id: "273",
    key: "customfields.273",
    label: "Platforms",
    kind: "checkbox",
    nativeKind: "checkboxes",
    required: false,
    options: [
      { id: "1610", name: "Web" },
      { id: "1611", name: "iOS" },
    ],
    inboxIds: [],
  };
}

function yesNo(): CustomFieldModel {
  return {
    id: "275",
    key: "customfields.275",
    label: "VIP customer",
    kind: "dropdown",
    nativeKind: "dropdown",
    required: false,
    options: [
      { id: "1701", name: "Yes" },
      { id: "1702", name: "No" },
    ],
    inboxIds: [],
  };
}

function textField(kind: CustomFieldModel["kind"], id = "274", label = "Order number"): CustomFieldModel {
  return { id, key: `customfields.${id}`, label, kind, nativeKind: kind ?? "rating", required: false, options: [], inboxIds: [] };
}

function siteModel(overrides: Partial<SiteModel> = {}): SiteModel {
  return {
    statuses: [
      named(1, "Active", { code: "active" }),
      named(3, "Waiting on customer", { code: "waiting" }),
      named(4, "On-hold"),
      named(6, "Closed", { code: "closed" }),
    ],
    priorities: [named(20301, "Low"), named(20303, "High")],
    types: [named(143601, "Question"), named(143602, "Problem")],
    sources: [named(1, "Email"), named(2, "API")],
    tags: [named(369901, "billing"), named(369902, "vip")],
    inboxes: [
      { id: 9701, name: "Support", email: "support@acme.example" } as DeskInbox,
      { id: 9702, name: "Billing", email: "billing@acme.example" } as DeskInbox,
    ],
    customFields: [dropdown(), checkboxes(), textField("text")],
    users: [user(), user({ id: 238002, email: "bo.li@acme.example", firstName: "Bo", lastName: "Li" })],
    ...overrides,
  };
}

function included(entries: Record<string, Record<string, unknown>[]>): Included {
  return new Map(Object.entries(entries).map(([type, items]) => [type, new Map(items.map((item) => [String(item.id), item]))]));
}

/** Table rows infer unions with `undefined` members; the fields are canonical values all the same. */
function canonical(objectType: string, fields: Record<string, unknown>, extra: Partial<CanonicalRecord> = {}): CanonicalRecord {
  return {
    id: "src_1",
    objectType,
    createdAt: "2015-11-20T14:03:18.000Z",
    updatedAt: "2015-11-25T14:16:03.000Z",
    fields: fields as CanonicalRecord["fields"],
    ...extra,
  };
}

const JOHN: ImportPerson = { email: "john@example.com", firstName: "John", lastName: "Doe", type: "customer" };

function writeContext(overrides: Partial<TicketWriteContext> = {}): TicketWriteContext {
  return { model: siteModel(), customersById: new Map([["550001", JOHN]]), attachmentUrls: new Map(), ...overrides };
}

function validationOf(run: () => unknown): ConnectorError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error("expected a ConnectorError");
}

// ---------------------------------------------------------------------------------------------
// Site address and credentials
// ---------------------------------------------------------------------------------------------
describe("normalizeSiteUrl", () => {
  it.each([
    { input: "acme", baseUrl: "https://acme.teamwork.com" },
    { input: "  Acme-Support ", baseUrl: "https://acme-support.teamwork.com" },
    { input: "acme.teamwork.com", baseUrl: "https://acme.teamwork.com" },
    { input: "https://acme.teamwork.com", baseUrl: "https://acme.teamwork.com" },
    { input: "https://acme.teamwork.com/desk/tickets/123?x=1", baseUrl: "https://acme.teamwork.com" },
    { input: "http://acme.teamwork.com/", baseUrl: "https://acme.teamwork.com" },
    { input: "https://acme.eu.teamwork.com", baseUrl: "https://acme.eu.teamwork.com" },
    { input: "ACME.EU.TEAMWORK.COM/desk", baseUrl: "https://acme.eu.teamwork.com" },
    { input: "http://127.0.0.1:4031", baseUrl: "http://127.0.0.1:4031" },
    { input: "http://localhost:4031/desk/api/v2", baseUrl: "http://localhost:4031" },
  ])("$input → $baseUrl", ({ input, baseUrl }) => {
    expect(normalizeSiteUrl(input)).toEqual({ ok: true, baseUrl });
  });

  it.each([
    { input: "", message: /site name/ },
    { input: "acme support", message: /neither a site name nor an address/ },
    { input: "www", message: /not a site name/ },
    { input: "https://www.teamwork.com", message: /Teamwork's own website/ },
    { input: "https://acme.zendesk.com", message: /acme\.zendesk\.com is not a Teamwork address/ },
    { input: "ftp://acme.teamwork.com", message: /start with https/ },
    { input: "https://user:pw@acme.teamwork.com", message: /user name or password/ },
    { input: "https://a.b.c.teamwork.com", message: /not a Teamwork address/ },
  ])("refuses $input", ({ input, message }) => {
    expect(normalizeSiteUrl(input)).toMatchObject({ ok: false, message: expect.stringMatching(message) });
  });
});

describe("teamworkDeskCredentialSchema", () => {
  it("normalises the site and trims the key", () => {
    expect(teamworkDeskCredentialSchema.parse({ site: "acme", apiKey: "  twp_abc123  " })).toEqual({ site: "https://acme.teamwork.com", apiKey: "twp_abc123" });
  });

  it("is idempotent on its own output (stored credentials parse again)", () => {
    const once = teamworkDeskCredentialSchema.parse({ site: "https://acme.eu.teamwork.com/desk", apiKey: "k" });
    expect(teamworkDeskCredentialSchema.parse(once)).toEqual(once);
  });

  it.each([
    { input: { site: "acme", apiKey: "" }, path: "apiKey" },
    { input: { site: "acme", apiKey: "two words" }, path: "apiKey" },
    { input: { site: "not a site", apiKey: "k" }, path: "site" },
    { input: { apiKey: "k" }, path: "site" },
  ])("reports $path for junk", ({ input, path }) => {
    const result = teamworkDeskCredentialSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([path]);
  });
});

// ---------------------------------------------------------------------------------------------
// Scalar values
// ---------------------------------------------------------------------------------------------
describe("scalar values", () => {
  it.each([
    { value: "2024-05-01T10:00:00Z", expected: "2024-05-01T10:00:00.000Z" },
    { value: "2024-05-01T12:00:00+02:00", expected: "2024-05-01T10:00:00.000Z" },
    { value: "0001-01-01T00:00:00Z", expected: null },
    { value: "", expected: null },
    { value: "soon", expected: null },
    { value: null, expected: null },
  ])("dateTimeFromDesk($value)", ({ value, expected }) => {
    expect(dateTimeFromDesk(value)).toBe(expected);
  });

  it.each([
    { value: "2015-11-20T14:03:18.000Z", expected: "2015-11-20T14:03:18Z" },
    { value: "2015-11-20T15:03:18+01:00", expected: "2015-11-20T14:03:18Z" },
    { value: "2015-11-20", expected: "2015-11-20T00:00:00Z" },
  ])("dateTimeToDesk($value)", ({ value, expected }) => {
    expect(dateTimeToDesk(value, "createdAt")).toBe(expected);
  });

  it.each([
    { value: "Waiting on customer", expected: "waiting-on-customer" },
    { value: "On-hold", expected: "on-hold" },
    { value: "  Résolu!! ", expected: "resolu" },
  ])("slug($value)", ({ value, expected }) => {
    expect(slug(value)).toBe(expected);
  });

  it.each([
    { value: " John@Example.COM ", expected: "john@example.com" },
    { value: "", expected: null },
    { value: null, expected: null },
  ])("emailToDesk($value)", ({ value, expected }) => {
    expect(emailToDesk(value, "email")).toBe(expected);
  });

  it.each(["n/a", "john@", "john doe@example.com"])("emailToDesk refuses %s", (value) => {
    expect(validationOf(() => emailToDesk(value, "email")).field).toBe("email");
  });

  it.each([
    { value: "+44 20 7946 0958", e164: "+442079460958", country: "GB" },
    { value: "555-0100", e164: null, country: null },
  ])("phoneFromDesk($value)", ({ value, e164, country }) => {
    expect(phoneFromDesk(value)).toMatchObject({ e164, countryCode: country, raw: value });
  });

  it.each([
    { value: { e164: "+442079460958", countryCode: "GB", callingCode: "+44", national: "2079460958", raw: "020 7946 0958" }, expected: "+442079460958" },
    { value: { e164: null, countryCode: null, callingCode: null, national: null, raw: "ext. 12" }, expected: "ext. 12" },
    { value: "  +1 555 0100 ", expected: "+1 555 0100" },
    { value: null, expected: null },
  ])("phoneToDesk → $expected", ({ value, expected }) => {
    expect(phoneToDesk(value, "phone")).toBe(expected);
  });

  it.each([
    { value: { firstName: " Ann ", lastName: "Smith" }, expected: { firstName: "Ann", lastName: "Smith" } },
    { value: "Jean-Luc de la Cruz", expected: { firstName: "Jean-Luc de la", lastName: "Cruz" } },
    { value: "Cher", expected: { firstName: "Cher", lastName: "" } },
    { value: null, expected: { firstName: "", lastName: "" } },
  ])("fullNameToDesk($value)", ({ value, expected }) => {
    expect(fullNameToDesk(value, "name")).toEqual(expected);
  });

  it.each([
    { value: { street1: "1 High Street", city: "London", postcode: "N1 9GU", country: "UK" }, expected: "1 High Street, N1 9GU London, UK" },
    { value: { city: "Paris", country: "France" }, expected: "Paris, France" },
    { value: {}, expected: null },
    { value: "Somewhere 12", expected: "Somewhere 12" },
  ])("addressToDesk → $expected", ({ value, expected }) => {
    expect(addressToDesk(value, "address")).toBe(expected);
  });

  it.each([
    { value: true, expected: true },
    { value: "yes", expected: true },
    { value: "0", expected: false },
    { value: null, expected: null },
  ])("booleanToDesk($value)", ({ value, expected }) => {
    expect(booleanToDesk(value, "trusted")).toBe(expected);
  });

  it.each([
    { value: "<p>Hi</p>", expected: "<p>Hi</p>" },
    { value: "Hi there, a < b > c\nline two\n\nnext", expected: "<p>Hi there, a &lt; b &gt; c<br>line two</p><p>next</p>" },
    { value: "Fish &amp; chips", expected: "Fish &amp; chips" },
  ])("toHtmlBody($value)", ({ value, expected }) => {
    expect(toHtmlBody(value)).toBe(expected);
  });

  it("htmlToText keeps the visible text only", () => {
    expect(htmlToText("<div>Hi&nbsp;<b>Peter</b>,</div>\n<p>a &lt; b &amp; c</p>")).toBe("Hi Peter , a < b & c");
  });
});

// ---------------------------------------------------------------------------------------------
// Custom fields
// ---------------------------------------------------------------------------------------------
describe("custom field kinds", () => {
  it.each([
    { kind: "text", normalized: "text", type: "text" },
    { kind: "textarea", normalized: "textarea", type: "longtext" },
    { kind: "number", normalized: "number", type: "number" },
    { kind: "date", normalized: "date", type: "date" },
    { kind: "dropdown", normalized: "dropdown", type: "select" },
    { kind: "checkbox", normalized: "checkbox", type: "multiselect" },
    { kind: "checkboxes", normalized: "checkbox", type: "multiselect" },
    { kind: "rating", normalized: null, type: "text" },
  ] as const)("$kind → $type", ({ kind, normalized, type }) => {
    expect(normalizeKind(kind)).toBe(normalized);
    expect(canonicalTypeForKind(normalizeKind(kind))).toBe(type);
  });

  it.each([
    { type: "text", exact: "text" },
    { type: "longtext", exact: "textarea" },
    { type: "html", exact: "textarea" },
    { type: "number", exact: "number" },
    { type: "date", exact: "date" },
    { type: "select", exact: "dropdown" },
    { type: "multiselect", exact: "checkbox" },
    { type: "boolean", exact: "checkbox" },
    { type: "email", exact: "text" },
  ] as const)("a planned $type needs a $exact field", ({ type, exact }) => {
    expect(expectedKindFor(type).exact).toBe(exact);
  });

  it("builds the model from side-loaded options in display order", () => {
    const model = customFieldModel(
      {
        id: 272,
        agentLabel: "Paint colour",
        kind: "dropdown",
        options: [
          { id: 1602, type: "customfieldoptions" },
          { id: 1601, type: "customfieldoptions" },
        ],
        inboxes: [{ id: 9701 }],
      },
      [
        { id: 1602, name: "Blue", displayOrder: 1, customfield: { id: 272 } },
        { id: 1601, name: "Red", displayOrder: 0, customfield: { id: 272 } },
        { id: 1700, name: "Other field's", displayOrder: 0, customfield: { id: 999 } },
      ],
    );
    expect(model).toMatchObject({
      id: "272",
      key: "customfields.272",
      label: "Paint colour",
      kind: "dropdown",
      inboxIds: ["9701"],
      options: [
        { id: "1601", name: "Red" },
        { id: "1602", name: "Blue" },
      ],
    });
  });

  it.each([
    { field: dropdown(), value: 1602, expected: "Sky Blue" },
    { field: dropdown(), value: "1601", expected: "Red" },
    { field: dropdown(), value: 9999, expected: "9999" },
    { field: checkboxes(), value: [1610, "1611"], expected: ["Web", "iOS"] },
    { field: checkboxes(), value: "1611", expected: ["iOS"] },
    { field: checkboxes(), value: [], expected: null },
    { field: textField("number"), value: "42.5", expected: 42.5 },
    { field: textField("date"), value: "2024-02-29T00:00:00Z", expected: "2024-02-29" },
    { field: textField("text"), value: "ORD-1", expected: "ORD-1" },
    { field: textField("textarea"), value: "", expected: null },
    { field: textField("text"), value: null, expected: null },
  ])("customValueFromDesk($field.kind, $value)", ({ field, value, expected }) => {
    expect(customValueFromDesk(field, value)).toEqual(expected);
  });

  it.each([
    { field: dropdown(), value: "sky blue", expected: 1602 },
    { field: dropdown(), value: "Sky-Blue", expected: 1602 },
    { field: dropdown(), value: "1601", expected: 1601 },
    { field: dropdown(), value: "", expected: null },
    { field: yesNo(), value: true, expected: 1701 },
    { field: yesNo(), value: false, expected: 1702 },
    { field: checkboxes(), value: ["ios", "Web", "web"], expected: ["1611", "1610"] },
    { field: checkboxes(), value: true, expected: ["1610"] },
    { field: checkboxes(), value: false, expected: [] },
    { field: textField("number"), value: 7, expected: "7" },
    { field: textField("number"), value: { amountMicros: 12_500_000, currencyCode: "EUR" }, expected: "12.5" },
    { field: textField("date"), value: "2024-03-01T23:30:00-05:00", expected: "2024-03-01" },
    { field: textField("text"), value: "ORD-1", expected: "ORD-1" },
    { field: textField("text"), value: ["a", "b"], expected: "a, b" },
    {
      field: textField("text"),
      value: { e164: "+15550100", countryCode: "US", callingCode: "+1", national: "5550100", raw: "555 0100" },
      expected: "+15550100",
    },
    { field: textField("text"), value: null, expected: null },
  ])("customValueToDesk($field.kind, $value)", ({ field, value, expected }) => {
    expect(customValueToDesk(field, value)).toEqual(expected);
  });

  it.each([
    { field: dropdown(), value: "Green", message: /"Green" is not an option of Paint colour \(options: Red, Sky Blue\)/ },
    { field: checkboxes(), value: ["Linux"], message: /not an option of Platforms/ },
    { field: textField("number"), value: "many", message: /not a number/ },
    { field: textField("date"), value: "someday", message: /not a date/ },
  ])("customValueToDesk refuses $value", ({ field, value, message }) => {
    const error = validationOf(() => customValueToDesk(field, value));
    expect(error.code).toBe("VALIDATION");
    expect(error.message).toMatch(message);
    expect(error.field).toBe(field.key);
  });
});

// ---------------------------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------------------------
describe("reference data", () => {
  const statuses = siteModel().statuses;

  it.each([
    { value: "Waiting on customer", id: 3 },
    { value: "waiting on CUSTOMER", id: 3 },
    { value: "waiting", id: 3 },
    { value: "on-hold", id: 4 },
    { value: "6", id: 6 },
    { value: "open", id: undefined },
    { value: "", id: undefined },
  ])("findNamed($value)", ({ value, id }) => {
    expect(findNamed(statuses, value)?.id).toBe(id);
  });

  it("uses names as option values", () => {
    expect(namedOptions([named(1, "Active"), named(2, "", { code: "spam" })])).toEqual([
      { value: "Active", label: "Active" },
      { value: "spam", label: "spam" },
    ]);
  });

  it.each([
    {
      record: inboxFromDesk({ id: 9701, name: "Support", email: "support@acme.example", state: "active", createdAt: "2020-01-01T00:00:00Z" } as DeskInbox),
      fields: { name: "Support", email: "support@acme.example", state: "active" },
    },
    { record: tagFromDesk(named(5, "vip", { color: "#ff0000" })), fields: { name: "vip", color: "#ff0000" } },
    {
      record: namedFromDesk("statuses", named(3, "Waiting", { code: "waiting", color: "#ffa785", displayOrder: 2 })),
      fields: { name: "Waiting", code: "waiting", color: "#ffa785", displayOrder: 2 },
    },
    { record: namedFromDesk("ticketTypes", named(1, "Question", { default: true })), fields: { name: "Question", isDefault: true } },
    {
      record: customFieldFromDesk(dropdown()),
      fields: { label: "Paint colour", kind: "dropdown", type: "select", options: ["Red", "Sky Blue"], inboxes: null },
    },
  ])("$record.objectType as canonical", ({ record, fields }) => {
    expect(record.fields).toMatchObject(fields);
  });
});

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------
describe("customers", () => {
  const contacts = new Map<string, DeskContact>([
    ["1", { id: 1, value: "Joe@Example.com", type: "email", isMain: false }],
    ["2", { id: 2, value: "joe.soap@work.example", type: "email", isMain: true }],
    ["3", { id: 3, value: "@joe", type: "twitter", isMain: false }],
  ]);
  const raw: DeskCustomer = {
    id: 550001,
    firstName: "Joe",
    lastName: "Soap",
    phone: "+44 20 7946 0958",
    jobTitle: "Dev",
    address: "1 High Street, London",
    contacts: [{ id: 1 }, { id: 2 }, { id: 3 }],
    companies: [{ id: 1601, type: "companies" }],
    createdAt: "2021-01-01T00:00:00Z",
    updatedAt: "2021-02-01T00:00:00Z",
  };

  it("reads emails from contacts, main first, social handles left out", () => {
    expect(customerEmails(raw, contacts)).toEqual(["joe.soap@work.example", "joe@example.com"]);
  });

  it("becomes a canonical customer", () => {
    const record = customerFromDesk(raw, contacts);
    expect(record).toMatchObject({ id: "550001", objectType: "customers", createdAt: "2021-01-01T00:00:00.000Z" });
    expect(record.fields).toMatchObject({
      name: { firstName: "Joe", lastName: "Soap" },
      email: "joe.soap@work.example",
      additionalEmails: ["joe@example.com"],
      company: { objectType: "companies", id: "1601" },
      jobTitle: "Dev",
      address: { street1: "1 High Street, London" },
      mobile: null,
    });
    expect(record.fields.phone).toMatchObject({ e164: "+442079460958" });
  });

  it.each([
    {
      name: "create with emails as contacts and the company link",
      fields: {
        name: { firstName: "Joe", lastName: "Soap" },
        email: " JOE@example.com ",
        additionalEmails: ["joe@example.com", "j@work.example"],
        company: { objectType: "companies", id: "1601" },
        jobTitle: null,
      },
      mode: "create" as const,
      expected: {
        customer: { firstName: "Joe", lastName: "Soap" },
        included: {
          contacts: [
            { value: "joe@example.com", type: "email", isMain: true },
            { value: "j@work.example", type: "email", isMain: false },
          ],
          companies: [{ id: 1601, delete: false }],
        },
      },
    },
    {
      name: "update clears fields set to null",
      fields: { jobTitle: null, phone: { e164: "+15550100", countryCode: "US", callingCode: "+1", national: "5550100", raw: "555 0100" } },
      mode: "update" as const,
      expected: { customer: { jobTitle: "", phone: "+15550100" }, included: { contacts: [], companies: [] } },
    },
  ])("customerToDesk: $name", ({ fields, mode, expected }) => {
    expect(customerToDesk(canonical("customers", fields), mode)).toEqual(expected);
  });

  it.each([
    { fields: { name: "Joe" }, field: "email", message: /needs an email/ },
    { fields: { email: "n/a" }, field: "email", message: /not an email address/ },
    { fields: { email: "a@b.example", shoeSize: 42 }, field: "shoeSize", message: /no field "shoeSize"/ },
  ])("customerToDesk refuses $field", ({ fields, field, message }) => {
    const error = validationOf(() => customerToDesk(canonical("customers", fields), "create"));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});

describe("companies", () => {
  const domains = new Map<string, DeskDomain>([
    ["4001", { id: 4001, name: "Acme.com" }],
    ["4002", { id: 4002, name: "acme.co.uk" }],
  ]);

  it("becomes a canonical company with its domains", () => {
    const raw: DeskCompany = { id: 1601, name: "Acme", website: "https://acme.com", industry: "Retail", domains: [{ id: 4001 }, { id: 4002 }] };
    expect(companyFromDesk(raw, domains).fields).toMatchObject({
      name: "Acme",
      domain: "acme.com",
      additionalDomains: ["acme.co.uk"],
      website: "https://acme.com",
      industry: "Retail",
    });
  });

  it.each([
    {
      name: "domains as bare hosts",
      fields: {
        name: "  Kestrel Ltd ",
        domain: "https://www.Kestrel-Ltd.example/",
        additionalDomains: ["kestrel.example", "kestrel-ltd.example"],
        industry: "Travel",
      },
      mode: "create" as const,
      expected: { company: { name: "Kestrel Ltd", industry: "Travel" }, domains: ["kestrel-ltd.example", "kestrel.example"] },
    },
    {
      name: "no domain fields keep the existing ones",
      fields: { name: "Kestrel", note: null },
      mode: "update" as const,
      expected: { company: { name: "Kestrel", note: "" }, domains: null },
    },
  ])("companyToDesk: $name", ({ fields, mode, expected }) => {
    expect(companyToDesk(canonical("companies", fields), mode)).toEqual(expected);
  });

  it.each([
    { fields: { domain: "acme.com" }, field: "name" },
    { fields: { name: "Acme", domain: "not a domain" }, field: "domain" },
    { fields: { name: "Acme", employees: 5 }, field: "employees" },
  ])("companyToDesk refuses $field", ({ fields, field }) => {
    expect(validationOf(() => companyToDesk(canonical("companies", fields), "create")).field).toBe(field);
  });
});

describe("agents", () => {
  it.each([
    { raw: user({ role: "Admin" }), admin: true },
    { raw: user({ role: "Agent", isAppOwner: true }), admin: true },
    { raw: user({ role: "Agent" }), admin: false },
    { raw: user({ role: null }), admin: false },
  ])("isAdministrator(role $raw.role)", ({ raw, admin }) => {
    expect(isAdministrator(raw)).toBe(admin);
  });

  it.each([
    { raw: user(), fields: { state: "active", partTime: false, isAdministrator: false } },
    { raw: user({ state: "invited", isPartTime: true }), fields: { state: "invited", partTime: true } },
    { raw: user({ state: "deleted", email: " Ann.Smith@ACME.example " }), fields: { state: "deleted", email: "ann.smith@acme.example" } },
  ])("agentFromDesk($raw.state)", ({ raw, fields }) => {
    expect(agentFromDesk(raw).fields).toMatchObject(fields);
  });

  it.each([
    { value: { id: "238002", email: null }, id: 238002 },
    { value: { id: "zd_77", email: "BO.LI@acme.example" }, id: 238002 },
    { value: "ann.smith@acme.example", id: 238001 },
    { value: null, id: undefined },
  ])("resolveAgent finds agents by id or email", ({ value, id }) => {
    expect(resolveAgent(value, "assignee", siteModel().users)?.id).toBe(id);
  });

  it("resolveAgent refuses an unknown agent instead of letting the import invite them", () => {
    expect(validationOf(() => resolveAgent({ id: "x", email: "ghost@acme.example" }, "assignee", siteModel().users)).message).toMatch(
      /ghost@acme\.example is not an agent/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Tickets and threads, read side
// ---------------------------------------------------------------------------------------------
describe("tickets from Teamwork Desk", () => {
  const ticket: DeskTicket = {
    id: 14427001,
    subject: "Printer on fire",
    status: { id: 3, type: "ticketstatuses" },
    priority: { id: 20303, type: "ticketpriorities" },
    type: { id: 143601, type: "tickettypes" },
    source: { id: 1, type: "ticketsources" },
    inbox: { id: 9701, type: "inboxes" },
    customer: { id: 550001, type: "customers" },
    agent: { id: 238001, type: "users" },
    tags: [{ id: 369902, type: "tags" }],
    messages: [{ id: 80054002 }, { id: 80054001 }, { id: 80054003 }],
    files: [{ id: 556 }],
    customfields: [
      { id: 272, type: "customfields", meta: { value: 1602 } },
      { id: 273, type: "customfields", meta: { value: [1610] } },
    ],
    createdAt: "2024-05-01T10:00:00Z",
    updatedAt: "2024-05-02T10:05:00Z",
  };
  const messages: DeskMessage[] = [
    {
      id: 80054001,
      threadType: "message",
      htmlBody: "<p>It burns</p>",
      createdBy: { id: 550001, type: "customers" },
      files: [{ id: 555 }],
      createdAt: "2024-05-01T10:00:00Z",
    },
    {
      id: 80054002,
      threadType: "note",
      htmlBody: "<p>Call the fire brigade</p>",
      createdBy: { id: 238002, type: "users" },
      createdAt: "2024-05-01T11:00:00Z",
      cc: [],
    },
    { id: 80054003, threadType: "status", textBody: "Status changed", createdBy: { id: 238001, type: "users" }, createdAt: "2024-05-01T12:00:00Z" },
  ];
  const side = included({
    customers: [{ id: 550001, companies: [{ id: 1601 }] }],
    files: [
      { id: 555, filename: "fire.jpg", mimeType: "image/jpeg", size: 2048 },
      { id: 556, filename: "invoice.pdf", mimeType: "application/pdf", size: 10 },
    ],
  });
  const record = ticketFromDesk(ticket, messages, { model: siteModel(), included: side, baseUrl: BASE_URL });

  it("names statuses, priorities, types, sources and tags, and links records by id", () => {
    expect(record.fields).toMatchObject({
      subject: "Printer on fire",
      status: "Waiting on customer",
      priority: "High",
      type: "Question",
      source: "Email",
      inbox: { objectType: "inboxes", id: "9701" },
      customer: { objectType: "customers", id: "550001" },
      company: { objectType: "companies", id: "1601" },
      assignee: { id: "238001", email: "ann.smith@acme.example", name: "Ann Smith" },
      tags: ["vip"],
    });
  });

  it("reads custom field values by key, with option names", () => {
    expect(record.fields).toMatchObject({ "customfields.272": "Sky Blue", "customfields.273": ["Web"], "customfields.274": null });
  });

  it("keeps replies and notes in order as children.messages, without system rows", () => {
    const children = record.children?.messages ?? [];
    expect(children.map((child) => [child.id, child.fields.kind, child.fields.authorType])).toEqual([
      ["80054001", "reply", "customer"],
      ["80054002", "note", "agent"],
    ]);
    expect(children[0].fields.author).toEqual({ objectType: "customers", id: "550001" });
    expect(children[1].fields.author).toMatchObject({ id: "238002", email: "bo.li@acme.example" });
    expect(children[0].createdAt).toBe("2024-05-01T10:00:00.000Z");
  });

  it("puts thread files on the thread and the others on the ticket, with download URLs", () => {
    expect(record.children?.messages[0].attachments).toEqual([
      { id: "555", fileName: "fire.jpg", contentType: "image/jpeg", sizeBytes: 2048, url: `${BASE_URL}/desk/api/v2/tickets/14427001/files/555/download` },
    ]);
    expect(record.attachments?.map((attachment) => attachment.fileName)).toEqual(["invoice.pdf"]);
  });

  it.each([
    { name: "refs all side-loaded", ticket: { id: 1, messages: [{ id: 10 }] }, pool: [{ id: 10, threadType: "message" }], count: 1, complete: true },
    { name: "a ref missing from the page", ticket: { id: 1, messages: [{ id: 10 }, { id: 11 }] }, pool: [{ id: 10 }], count: 1, complete: false },
    {
      name: "no refs: messages pointing back",
      ticket: { id: 1, messageCount: 1 },
      pool: [
        { id: 10, ticket: { id: 1 } },
        { id: 12, ticket: { id: 2 } },
      ],
      count: 1,
      complete: true,
    },
  ])("threadsOf: $name", ({ ticket: raw, pool, count, complete }) => {
    const result = threadsOf(raw as DeskTicket, included({ messages: pool }));
    expect(result.messages).toHaveLength(count);
    expect(result.complete).toBe(complete);
  });

  it("messageFromDesk turns a plain-text body into HTML and skips deleted threads", () => {
    const context = { model: siteModel(), included: included({}), baseUrl: BASE_URL };
    expect(messageFromDesk({ id: 1, threadType: "message", textBody: "a < b", createdBy: { id: 550001, type: "customers" } }, "9", context)?.fields.body).toBe(
      "<p>a &lt; b</p>",
    );
    expect(messageFromDesk({ id: 2, threadType: "message", htmlBody: "x", state: "deleted" }, "9", context)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Tickets and threads, write side
// ---------------------------------------------------------------------------------------------
describe("tickets to Teamwork Desk", () => {
  const reply = canonical(
    "messages",
    { body: "<p>It burns</p>", kind: "reply", authorType: "customer", author: { objectType: "customers", id: "550001" }, cc: ["boss@example.com"] },
    {
      id: "m1",
      createdAt: "2015-11-20T14:03:18.000Z",
      updatedAt: "2015-11-20T14:03:18.000Z",
      attachments: [{ id: "a1", fileName: "fire.jpg", contentType: "image/jpeg", sizeBytes: 1, url: "https://files.example.org/fire.jpg" }],
    },
  );
  const note = canonical(
    "messages",
    { body: "Internal\nnote", kind: "note", authorType: "agent", author: { id: "zd_9", email: "bo.li@acme.example" } },
    { id: "m2", createdAt: "2015-11-21T09:00:00.000Z", updatedAt: null },
  );
  const ticket = canonical(
    "tickets",
    {
      subject: "Printer on fire",
      status: "waiting",
      priority: "high",
      type: "Question",
      inbox: { objectType: "inboxes", id: "9702" },
      customer: { objectType: "customers", id: "550001" },
      assignee: { id: "zd_1", email: "ann.smith@acme.example" },
      tags: ["billing", " urgent "],
      "customfields.272": "Red",
      "Order number": "ORD-1",
      "customfields.273": [],
    },
    { children: { messages: [note, reply] } },
  );
  const context = writeContext({ attachmentUrls: new Map([["a1", "https://files.example.org/fire.jpg"]]) });

  it("maps to an import ticket with names, emails and historic timestamps", () => {
    const mapped = ticketToImport(ticket, 4242, context, siteModel().inboxes[0]);
    expect(mapped.inbox.id).toBe(9702);
    expect(mapped.ticket).toEqual({
      id: 4242,
      subject: "Printer on fire",
      customer: JOHN,
      assignedTo: { email: "ann.smith@acme.example", firstName: "Ann", lastName: "Smith", type: "user" },
      emailSource: "billing@acme.example",
      type: "Question",
      priority: "High",
      tags: ["billing", "urgent"],
      createdAt: "2015-11-20T14:03:18Z",
      updatedAt: "2015-11-25T14:16:03Z",
      threads: [
        {
          type: "message",
          body: "<p>It burns</p>",
          cc: ["boss@example.com"],
          bcc: null,
          createdBy: JOHN,
          attachments: [{ filename: "fire.jpg", downloadurl: "https://files.example.org/fire.jpg" }],
          createdAt: "2015-11-20T14:03:18Z",
          updatedAt: "2015-11-20T14:03:18Z",
        },
        {
          type: "note",
          body: "<p>Internal<br>note</p>",
          cc: null,
          bcc: null,
          createdBy: { email: "bo.li@acme.example", firstName: "Bo", lastName: "Li", type: "user" },
          attachments: [],
          createdAt: "2015-11-21T09:00:00Z",
          updatedAt: "2015-11-21T09:00:00Z",
        },
      ],
    });
  });

  it("leaves status and custom fields to the follow-up PATCH", () => {
    const mapped = ticketToImport(ticket, 4242, context, siteModel().inboxes[0]);
    expect(mapped.patch).toEqual({
      status: { id: 3 },
      customfields: [
        { id: 272, meta: { value: 1601 } },
        { id: 274, meta: { value: "ORD-1" } },
      ],
    });
  });

  it("uses the default inbox and no patch when the ticket names neither inbox, status nor custom fields", () => {
    const plain = canonical("tickets", { subject: "  ", customer: { objectType: "customers", id: "550001" } }, { children: { messages: [] } });
    const mapped = ticketToImport(plain, 1, writeContext(), siteModel().inboxes[0]);
    expect(mapped).toMatchObject({ inbox: { id: 9701 }, patch: null, ticket: { subject: "(no subject)", emailSource: "support@acme.example", threads: [] } });
  });

  it.each([
    { name: "no customer", fields: { subject: "x" }, field: "customer", message: /needs a customer/ },
    {
      name: "customer not migrated",
      fields: { subject: "x", customer: { objectType: "customers", id: "999" } },
      field: "customer",
      message: /migrate customers before tickets/,
    },
    {
      name: "unknown inbox",
      fields: { subject: "x", customer: "550001", inbox: { objectType: "inboxes", id: "1" } },
      field: "inbox",
      message: /inbox 1 does not exist/,
    },
    {
      name: "unknown status",
      fields: { subject: "x", customer: "550001", status: "open" },
      field: "status",
      message: /"open" is not a status of this Teamwork Desk site \(Active, Waiting on customer, On-hold, Closed\)/,
    },
    {
      name: "unknown agent",
      fields: { subject: "x", customer: "550001", assignee: { id: "1", email: "ghost@acme.example" } },
      field: "assignee",
      message: /ghost@acme\.example is not an agent/,
    },
    {
      name: "unknown field",
      fields: { subject: "x", customer: "550001", legacyReference: "L-1" },
      field: "legacyReference",
      message: /no field "legacyReference"/,
    },
  ])("refuses a ticket with $name", ({ fields, field, message }) => {
    const error = validationOf(() => ticketToImport(canonical("tickets", fields), 1, writeContext(), siteModel().inboxes[0]));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it.each([
    {
      name: "a customer's note becomes a message",
      fields: { body: "x", kind: "note", authorType: "customer", author: { objectType: "customers", id: "550001" } },
      type: "message",
    },
    { name: "a forward stays private", fields: { body: "x", kind: "forward", authorType: "agent", author: "bo.li@acme.example" }, type: "note" },
    { name: "an agent reply", fields: { body: "x", kind: "reply", authorType: "agent", author: { id: "238001", email: null } }, type: "message" },
  ])("threadToImport: $name", ({ fields, type }) => {
    expect(threadToImport(canonical("messages", fields), JOHN, "2015-11-20T14:03:18Z", writeContext()).type).toBe(type);
  });

  it.each([
    {
      name: "attached to the thread",
      attachments: [{ id: "a1", fileName: "image001.png", contentType: "image/png", sizeBytes: 1, url: "https://x" }],
      placeholder: "[inline image image001.png — attached to this message]",
    },
    { name: "not carried", attachments: [], placeholder: "[inline image image001.png — not migrated; see the original message]" },
  ])("threadToImport replaces an image embedded by cid: with a placeholder: $name", ({ attachments, placeholder }) => {
    const message = canonical(
      "messages",
      { body: '<p>See below</p><p><img src="cid:image001.png@01DA2F3C.5B1E2A40" alt="image001.png"></p>', kind: "reply", authorType: "customer" },
      { attachments },
    );
    const context = writeContext({ attachmentUrls: new Map([["a1", "https://files.example.org/image001.png"]]) });
    expect(threadToImport(message, JOHN, "2015-11-20T14:03:18Z", context).body).toBe(`<p>See below</p><p>${placeholder}</p>`);
  });

  it("threadToImport refuses an attachment that could not be prepared", () => {
    const message = canonical(
      "messages",
      { body: "x", kind: "reply", authorType: "customer" },
      { attachments: [{ id: "a9", fileName: "x.png", contentType: "image/png", sizeBytes: 1, url: "https://x" }] },
    );
    expect(validationOf(() => threadToImport(message, JOHN, "2015-11-20T14:03:18Z", writeContext())).message).toMatch(/x\.png could not be prepared/);
  });

  it("ticketToPatch maps fields to v2 refs", () => {
    const patch = ticketToPatch(
      canonical("tickets", {
        subject: "New",
        status: "Closed",
        priority: null,
        assignee: null,
        tags: ["vip", "unknown"],
        inbox: "9701",
        "customfields.272": null,
        customer: "1",
      }),
      writeContext(),
    );
    expect(patch).toEqual({
      subject: "New",
      status: { id: 6 },
      agent: null,
      tags: [{ id: 369902 }],
      inbox: { id: 9701 },
      customfields: [{ id: 272, meta: { value: "" } }],
    });
  });

  it("threadToNote writes a private note that names the author and the original time", () => {
    const noteBody = threadToNote(reply, "John Doe");
    expect(noteBody).toEqual({
      threadType: "note",
      editMethod: "html",
      message: "<p><em>John Doe wrote on 2015-11-20 14:03 UTC (added by Ferry):</em></p><p>It burns</p>",
    });
  });

  it.each([
    { existing: ["hello it burns there"], present: true },
    { existing: ["john doe wrote on … (added by ferry): It burns"], present: true },
    { existing: ["something else"], present: false },
  ])("threadIsPresent($existing)", ({ existing, present }) => {
    expect(threadIsPresent(reply, existing)).toBe(present);
  });
});

// ---------------------------------------------------------------------------------------------
// Errors, cursors, import ids, create-once
// ---------------------------------------------------------------------------------------------
describe("teamworkDeskError", () => {
  it.each([
    { status: 401, body: { errors: [{ detail: "bad key" }] }, code: "AUTH_INVALID", field: undefined },
    { status: 403, body: { errors: [{ detail: "admins only" }] }, code: "PERMISSION_DENIED", field: undefined },
    { status: 404, body: { errors: [{ detail: "no ticket" }] }, code: "NOT_FOUND", field: undefined },
    {
      status: 400,
      body: { errors: [{ code: "validation", title: "Validation failed", detail: "must be set", source: "customer" }] },
      code: "VALIDATION",
      field: "customer",
    },
    { status: 409, body: { errors: [{ detail: "a customer with email x already exists (id 5)", source: "email" }] }, code: "CONFLICT", field: "email" },
    { status: 400, body: { errors: [{ detail: "name already exists" }] }, code: "CONFLICT", field: undefined },
    { status: 422, body: { errors: [{ detail: "The request body is not valid JSON" }] }, code: "VALIDATION", field: undefined },
    { status: 429, body: { errors: [{ detail: "Rate limit exceeded" }] }, code: "RATE_LIMITED", field: undefined },
    { status: 503, body: { errors: [{ detail: "down" }] }, code: "TEMPORARY", field: undefined },
  ])("$status → $code", ({ status, body, code, field }) => {
    const error = teamworkDeskError(status, body, "the v2 API");
    expect(error?.code).toBe(code);
    expect(error?.field).toBe(field);
  });

  it("echoes at most a short, sanitised excerpt of the body", () => {
    const error = teamworkDeskError(400, { errors: [{ detail: `bad\n\u0000value ${"w".repeat(1_000)}` }] }, "the v2 API");
    const echoed = error!.message.replace("Teamwork Desk answered 400 to the v2 API: ", "");
    expect(echoed.length).toBeLessThanOrEqual(MAX_ERROR_DETAIL_CHARS + 1);
    expect(echoed).toMatch(/^bad value w/);
  });

  it("leaves bodies it does not understand to the status mapping", () => {
    expect(teamworkDeskError(502, "<html>Bad gateway</html>", "x")).toBeUndefined();
    expect(teamworkDeskError(500, undefined, "x")).toBeUndefined();
    expect(teamworkDeskError(400, { unexpected: true }, "x")).toBeUndefined();
  });
});

describe("read cursor", () => {
  it("round-trips and stays bound to its object type", () => {
    const cursor = encodeCursor("tickets", { pass: 1, page: 3, lastId: 14427099, read: 250 });
    expect(decodeCursor("tickets", cursor)).toEqual({ pass: 1, page: 3, lastId: 14427099, read: 250 });
    expect(() => decodeCursor("customers", cursor)).toThrow(/belongs to tickets/);
    expect(() => decodeCursor("tickets", "garbage")).toThrow(/not valid/);
    expect(decodeCursor("tickets", null)).toEqual({ pass: 0, page: 1, lastId: null, read: 0 });
  });
});

describe("isPublicAttachmentUrl", () => {
  it.each([
    { url: "https://files.example.org/manual.pdf", public: true },
    { url: "http://cdn.example.com/a.png", public: true },
    { url: "https://files.lumen-outfitters.example/attachments/att_1/a.png?size=10", public: false },
    { url: "https://acme.teamwork.com/desk/api/v2/tickets/1/files/2/download", public: false },
    { url: "http://127.0.0.1:4000/a.png", public: false },
    { url: "http://192.168.1.20/a.png", public: false },
    { url: "ftp://files.example.org/a.png", public: false },
    { url: "not a url", public: false },
  ])("$url → $public", ({ url, public: expected }) => {
    expect(isPublicAttachmentUrl(url)).toBe(expected);
  });
});

describe("importIdFor", () => {
  it("is stable, numeric, positive and within 52 bits", () => {
    const ids = ["tkt_1", "tkt_2", "8c2b6f7e-1b0f-4a53-9d5e-0f1f2a3b4c5d", "12345"].map(importIdFor);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) {
      expect(Number.isSafeInteger(id)).toBe(true);
      expect(id).toBeGreaterThan(0);
      expect(id).toBeLessThan(2 ** 52);
    }
    expect(importIdFor("tkt_1")).toBe(ids[0]);
  });
});

describe("createOnce", () => {
  const retry = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 10 };
  const sleep = async () => undefined;

  it.each([
    { name: "succeeds at once", failures: [], foundAfter: null, value: "new", reconciled: false, sends: 1, lookups: 0 },
    { name: "a 5xx that did write is found, not re-sent", failures: ["TEMPORARY"], foundAfter: 1, value: "existing", reconciled: true, sends: 1, lookups: 1 },
    { name: "a 5xx that did not write is re-sent", failures: ["TEMPORARY"], foundAfter: null, value: "new", reconciled: false, sends: 2, lookups: 1 },
    { name: "a 429 is re-sent without a lookup", failures: ["RATE_LIMITED"], foundAfter: null, value: "new", reconciled: false, sends: 2, lookups: 0 },
  ] as const)("$name", async ({ failures, foundAfter, value, reconciled, sends, lookups }) => {
    let sent = 0;
    let looked = 0;
    const result = await createOnce({
      send: async () => {
        sent += 1;
        const failure = failures[sent - 1];
        if (failure) throw new ConnectorError(failure, failure);
        return "new";
      },
      lookup: async () => {
        looked += 1;
        return foundAfter !== null && sent >= foundAfter ? "existing" : null;
      },
      sleep,
      retry,
    });
    expect(result).toEqual({ value, reconciled });
    expect([sent, looked]).toEqual([sends, lookups]);
  });

  it("passes a validation error through at once", async () => {
    let sent = 0;
    const run = createOnce({
      send: async () => {
        sent += 1;
        throw new ConnectorError("VALIDATION", "bad");
      },
      lookup: async () => null,
      sleep,
      retry,
    });
    await expect(run).rejects.toMatchObject({ code: "VALIDATION" });
    expect(sent).toBe(1);
  });
});
