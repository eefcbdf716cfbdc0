import { describe, expect, it } from "vitest";
import type { Phone } from "@/connectors/types";
import { ConnectorError } from "@/connectors/types";
import { toApiValue, toFieldName } from "@/connectors/twenty/mappers/api-names";
import { addressFromTwenty, addressToTwenty } from "@/connectors/twenty/mappers/address";
import { currencyFromTwenty, currencyToTwenty } from "@/connectors/twenty/mappers/currency";
import { emailsFromTwenty, emailsToTwenty } from "@/connectors/twenty/mappers/emails";
import { fullNameFromTwenty, fullNameToTwenty } from "@/connectors/twenty/mappers/full-name";
import { domainHost, linksFromTwenty, linksToTwenty, normalizeDomain, normalizeUrl } from "@/connectors/twenty/mappers/links";
import { phoneFromTwentyParts, phonesFromTwenty, phonesToTwenty, phoneToTwentyParts } from "@/connectors/twenty/mappers/phones";
import { blocknoteToText, richTextFromTwenty, richTextToTwenty, toMarkdown } from "@/connectors/twenty/mappers/rich-text";
import {
  booleanToTwenty,
  dateFromTwenty,
  dateTimeFromTwenty,
  dateTimeToTwenty,
  dateToTwenty,
  numberFromTwenty,
  numberToTwenty,
  tagsToTwenty,
  textToTwenty,
} from "@/connectors/twenty/mappers/scalars";
import { multiSelectToTwenty, selectToTwenty } from "@/connectors/twenty/mappers/select";

const phone = (overrides: Partial<Phone>): Phone => ({ e164: null, countryCode: null, callingCode: null, national: null, raw: "", ...overrides });

describe("toFieldName", () => {
  it.each([
    ["leadSource", "leadSource"],
    ["Lead source", "leadSource"],
    ["lead_source", "leadSource"],
    ["Priorité client", "prioriteClient"],
    ["2nd contact", "field2ndContact"],
    ["---", "field"],
  ])("%s → %s", (input, expected) => expect(toFieldName(input)).toBe(expected));
});

describe("toApiValue", () => {
  it.each([
    ["WEB", "WEB"],
    ["In progress", "IN_PROGRESS"],
    ["in-progress", "IN_PROGRESS"],
    ["Réunion", "REUNION"],
    ["3", "OPTION_3"],
    ["", "OPTION"],
  ])("%s → %s", (input, expected) => expect(toApiValue(input)).toBe(expected));
});

describe("full name", () => {
  it.each([
    [
      { firstName: "Ada", lastName: "Lovelace" },
      { firstName: "Ada", lastName: "Lovelace" },
    ],
    [
      { firstName: "Ada", lastName: "" },
      { firstName: "Ada", lastName: "" },
    ],
    [{ firstName: "", lastName: "" }, null],
    [null, null],
    ["Ada", null],
  ])("reads %j", (input, expected) => expect(fullNameFromTwenty(input)).toEqual(expected));

  it.each([
    ["Ada Lovelace", { firstName: "Ada", lastName: "Lovelace" }],
    ["  Jean  Paul Sartre ", { firstName: "Jean", lastName: "Paul Sartre" }],
    ["Cher", { firstName: "Cher", lastName: "" }],
    [
      { firstName: " Ada ", lastName: "Lovelace " },
      { firstName: "Ada", lastName: "Lovelace" },
    ],
  ])("writes %j", (input, expected) => expect(fullNameToTwenty(input)).toEqual(expected));
});

describe("emails", () => {
  it.each([
    [
      { primaryEmail: "ada@acme.com", additionalEmails: ["a@b.co"] },
      { primary: "ada@acme.com", additional: ["a@b.co"] },
    ],
    [
      { primaryEmail: "", additionalEmails: null },
      { primary: null, additional: [] },
    ],
    [null, { primary: null, additional: [] }],
  ])("reads %j", (input, expected) => expect(emailsFromTwenty(input)).toEqual(expected));

  it.each([
    [["Ada@Acme.com"], [], { primaryEmail: "ada@acme.com", additionalEmails: [] }],
    [[["ada@acme.com", "ada.l@acme.com"]], [], { primaryEmail: "ada@acme.com", additionalEmails: ["ada.l@acme.com"] }],
    [["ada@acme.com"], ["ADA@acme.com", "x@y.z", "x@y.z"], { primaryEmail: "ada@acme.com", additionalEmails: ["x@y.z"] }],
    [[null], [], { primaryEmail: "", additionalEmails: [] }],
  ] as const)("writes %j + %j", (primary, additional, expected) =>
    expect(emailsToTwenty(primary[0] as string | string[] | null, [...additional])).toEqual(expected),
  );
});

describe("phones", () => {
  it.each([
    [
      "a US number in three parts",
      ["6125550123", "US", "+1"],
      { e164: "+16125550123", countryCode: "US", callingCode: "+1", national: "6125550123", raw: "+1 6125550123" },
    ],
    [
      "a French number",
      ["612345678", "FR", "+33"],
      { e164: "+33612345678", countryCode: "FR", callingCode: "+33", national: "612345678", raw: "+33 612345678" },
    ],
    [
      "an older build's calling code kept in the country column",
      ["612345678", "+33", ""],
      { e164: "+33612345678", countryCode: "FR", callingCode: "+33", national: "612345678", raw: "+33 612345678" },
    ],
    [
      "a national number with only the country",
      ["06 12 34 56 78", "FR", null],
      { e164: "+33612345678", countryCode: "FR", callingCode: "+33", national: "612345678", raw: "06 12 34 56 78" },
    ],
    [
      "an unparseable value, kept raw",
      ["ask reception", "", ""],
      { e164: null, countryCode: null, callingCode: null, national: "ask reception", raw: "ask reception" },
    ],
  ] as const)("reads %s", (_, [number, country, calling], expected) => expect(phoneFromTwentyParts(number, country, calling)).toEqual(expected));

  it("reads an empty number as null", () => expect(phoneFromTwentyParts("", "US", "+1")).toBeNull());

  it("reads additional phones", () => {
    const value = {
      primaryPhoneNumber: "6125550123",
      primaryPhoneCountryCode: "US",
      primaryPhoneCallingCode: "+1",
      additionalPhones: [{ number: "612345678", countryCode: "FR", callingCode: "+33" }],
    };
    const { primary, additional } = phonesFromTwenty(value);
    expect(primary?.e164).toBe("+16125550123");
    expect(additional.map((item) => item.e164)).toEqual(["+33612345678"]);
  });

  it.each([
    ["an E.164 phone", phone({ e164: "+16125550123", raw: "(612) 555-0123" }), undefined, { number: "6125550123", countryCode: "US", callingCode: "+1" }],
    ["a raw international string", "+33 6 12 34 56 78", undefined, { number: "612345678", countryCode: "FR", callingCode: "+33" }],
    ["a national string with a default country", "06 12 34 56 78", "FR", { number: "612345678", countryCode: "FR", callingCode: "+33" }],
    [
      "a national number with its calling code",
      phone({ national: "2079460958", callingCode: "+44", raw: "020 7946 0958" }),
      undefined,
      { number: "2079460958", countryCode: "GB", callingCode: "+44" },
    ],
    ["an unparseable value, kept raw", phone({ raw: "ext. 42", countryCode: "US" }), undefined, { number: "ext. 42", countryCode: "US", callingCode: "" }],
  ] as const)("writes %s", (_, input, country, expected) => expect(phoneToTwentyParts(input, country)).toEqual(expected));

  it("writes a list as primary plus additional phones", () => {
    expect(phonesToTwenty([phone({ e164: "+16125550123" })], ["+33612345678"])).toEqual({
      primaryPhoneNumber: "6125550123",
      primaryPhoneCountryCode: "US",
      primaryPhoneCallingCode: "+1",
      additionalPhones: [{ number: "612345678", countryCode: "FR", callingCode: "+33" }],
    });
    expect(phonesToTwenty(null)).toEqual({ primaryPhoneNumber: "", primaryPhoneCountryCode: "", primaryPhoneCallingCode: "", additionalPhones: [] });
  });
});

describe("links and domains", () => {
  it.each([
    ["acme.com", "https://acme.com"],
    ["https://acme.com/", "https://acme.com"],
    ["www.acme.com/about/", "https://www.acme.com/about/"],
    ["http://Acme.com/Path", "http://Acme.com/Path"],
    ["  ", null],
  ])("normalizeUrl(%j) = %j", (input, expected) => expect(normalizeUrl(input)).toBe(expected));

  it.each([
    ["acme.com", "https://acme.com"],
    ["www.acme.com", "https://acme.com"],
    ["http://WWW.Acme.com/about?x=1", "https://acme.com"],
    ["https://shop.acme.co.uk:8443/", "https://shop.acme.co.uk"],
    ["", null],
  ])("normalizeDomain(%j) = %j", (input, expected) => expect(normalizeDomain(input)).toBe(expected));

  it("compares domains by host", () => expect(domainHost("https://www.acme.com/x")).toBe(domainHost("acme.com")));

  it.each([
    [
      { primaryLinkUrl: "https://acme.com", primaryLinkLabel: "", secondaryLinks: [{ url: "https://acme.io", label: "io" }] },
      { primary: "https://acme.com", secondary: ["https://acme.io"] },
    ],
    [
      { primaryLinkUrl: "", secondaryLinks: null },
      { primary: null, secondary: [] },
    ],
  ])("reads %j", (input, expected) => expect(linksFromTwenty(input)).toEqual(expected));

  it.each([
    ["acme.com", [], false, { primaryLinkUrl: "https://acme.com", primaryLinkLabel: "", secondaryLinks: [] }],
    [
      "www.acme.com",
      ["acme.io", "https://acme.io/"],
      true,
      { primaryLinkUrl: "https://acme.com", primaryLinkLabel: "", secondaryLinks: [{ url: "https://acme.io", label: "" }] },
    ],
    [
      ["linkedin.com/in/ada", "x.com/ada"],
      [],
      false,
      { primaryLinkUrl: "https://linkedin.com/in/ada", primaryLinkLabel: "", secondaryLinks: [{ url: "https://x.com/ada", label: "" }] },
    ],
  ] as const)("writes %j (+%j, domain %s)", (primary, secondary, asDomain, expected) =>
    expect(linksToTwenty(primary as string | string[], [...secondary], { asDomain })).toEqual(expected),
  );
});

describe("currency", () => {
  it.each([
    [
      { amountMicros: 1500000000, currencyCode: "USD" },
      { amountMicros: 1500000000, currencyCode: "USD" },
    ],
    [
      { amountMicros: "2500000", currencyCode: "EUR" },
      { amountMicros: 2500000, currencyCode: "EUR" },
    ],
    [{ amountMicros: null, currencyCode: "USD" }, null],
    [null, null],
  ])("reads %j", (input, expected) => expect(currencyFromTwenty(input)).toEqual(expected));

  it.each([
    [
      { amountMicros: 1500000000, currencyCode: "EUR" },
      { amountMicros: 1500000000, currencyCode: "EUR" },
    ],
    [1500, { amountMicros: 1500000000, currencyCode: "USD" }],
    ["1,234.5", { amountMicros: 1234500000, currencyCode: "USD" }],
    ["abc", null],
  ] as const)("writes %j", (input, expected) => expect(currencyToTwenty(input, "USD")).toEqual(expected));
});

describe("address", () => {
  it.each([
    [
      {
        addressStreet1: "1 Main St",
        addressStreet2: "Floor 2",
        addressStreet3: "Suite 5",
        addressCity: "Paris",
        addressState: "",
        addressPostcode: "75001",
        addressCountry: "France",
        addressLat: 1,
        addressLng: 2,
      },
      { street1: "1 Main St", street2: "Floor 2, Suite 5", city: "Paris", postcode: "75001", country: "France" },
    ],
    [{ addressStreet1: "", addressCity: "" }, null],
    [null, null],
  ])("reads %j", (input, expected) => expect(addressFromTwenty(input)).toEqual(expected));

  it("writes every part, empty strings for missing ones", () => {
    expect(addressToTwenty({ city: "Paris", country: "France" })).toEqual({
      addressStreet1: "",
      addressStreet2: "",
      addressCity: "Paris",
      addressState: "",
      addressPostcode: "",
      addressCountry: "France",
    });
  });
});

describe("rich text", () => {
  it.each([
    [{ markdown: "# Hi\n\n**bold**", blocknote: null }, "<h1>Hi</h1>\n<p><strong>bold</strong></p>"],
    [{ markdown: "", blocknote: '[{"type":"paragraph","content":[{"type":"text","text":"From blocks"}]}]' }, "<p>From blocks</p>"],
    [{ markdown: null, blocknote: null }, null],
    ["legacy <plain>\ntext", "<p>legacy &lt;plain&gt;<br>text</p>"],
  ])("reads %j as HTML", (input, expected) => expect(richTextFromTwenty(input)).toBe(expected));

  it.each([
    ["<p>Hello <strong>world</strong></p><ul><li>one</li></ul>", "Hello **world**\n\n-   one"],
    ["line one\nline two * not a list", "line one\nline two * not a list"],
    ["<h2>Title</h2><p>Body</p>", "## Title\n\nBody"],
  ])("toMarkdown(%j)", (input, expected) => expect(toMarkdown(input)).toBe(expected));

  it("writes markdown only, letting Twenty build the blocknote document", () => expect(richTextToTwenty("<p>Hi</p>")).toEqual({ markdown: "Hi" }));

  it("extracts text from nested BlockNote blocks", () => {
    const blocks = JSON.stringify([
      { type: "paragraph", content: [{ type: "text", text: "a" }], children: [{ type: "paragraph", content: [{ type: "text", text: "b" }] }] },
    ]);
    expect(blocknoteToText(blocks)).toBe("a\nb");
    expect(blocknoteToText("not json")).toBe("");
  });
});

describe("scalars", () => {
  it.each([
    ["2025-01-02", "2025-01-02"],
    ["2025-01-02T10:00:00.000Z", "2025-01-02"],
    ["", null],
    [42, null],
  ])("dateFromTwenty(%j) = %j", (input, expected) => expect(dateFromTwenty(input)).toBe(expected));

  it.each([
    ["2025-03-01", "2025-03-01"],
    ["2025-03-01T23:30:00-05:00", "2025-03-01"],
    ["March 1, 2025 UTC", "2025-03-01"],
  ])("dateToTwenty(%j) = %j", (input, expected) => expect(dateToTwenty(input, "closeDate")).toBe(expected));

  it.each(["2025-02-30", "soon"])("dateToTwenty rejects %j", (input) => expect(() => dateToTwenty(input, "closeDate")).toThrow(ConnectorError));

  it.each([
    ["2025-01-02T10:00:00Z", "2025-01-02T10:00:00.000Z"],
    ["2025-01-02T11:00:00+01:00", "2025-01-02T10:00:00.000Z"],
    ["2025-01-02", "2025-01-02T00:00:00.000Z"],
  ])("dateTimeToTwenty(%j) = %j", (input, expected) => expect(dateTimeToTwenty(input, "dueAt")).toBe(expected));

  it("reads date-times as ISO UTC", () => expect(dateTimeFromTwenty("2025-01-02T11:00:00+01:00")).toBe("2025-01-02T10:00:00.000Z"));

  it.each([
    [3, 3],
    ["1,200.5", 1200.5],
  ])("numberToTwenty(%j) = %j", (input, expected) => expect(numberToTwenty(input, "employees")).toBe(expected));
  it.each(["", "12 people", null])("numberToTwenty rejects %j", (input) => expect(() => numberToTwenty(input, "employees")).toThrow(/employees/));
  it.each([
    ["12", 12],
    [null, null],
    ["x", null],
  ])("numberFromTwenty(%j) = %j", (input, expected) => expect(numberFromTwenty(input)).toBe(expected));

  it.each([
    [true, true],
    ["TRUE", true],
    ["no", false],
    [0, false],
  ])("booleanToTwenty(%j) = %j", (input, expected) => expect(booleanToTwenty(input, "flag")).toBe(expected));
  it("booleanToTwenty rejects other words", () => expect(() => booleanToTwenty("maybe", "flag")).toThrow(ConnectorError));

  it.each([
    [5, "5"],
    [["a", "b"], "a, b"],
  ])("textToTwenty(%j) = %j", (input, expected) => expect(textToTwenty(input, "jobTitle")).toBe(expected));

  it.each([
    ["vip", ["vip"]],
    [
      [" a ", "", "b"],
      ["a", "b"],
    ],
  ])("tagsToTwenty(%j) = %j", (input, expected) => expect(tagsToTwenty(input, "tags")).toEqual(expected));
});

describe("select values", () => {
  const options = [
    { value: "NEW", label: "New" },
    { value: "IN_PROGRESS", label: "In progress" },
    { value: "OPTION_3", label: "High" },
  ];

  it.each([
    ["NEW", "NEW"],
    ["new", "NEW"],
    ["In progress", "IN_PROGRESS"],
    ["in-progress", "IN_PROGRESS"],
    ["High", "OPTION_3"],
    ["3", "OPTION_3"],
  ])("selectToTwenty(%j) = %j (API value, never the label)", (input, expected) => expect(selectToTwenty(input, options, "stage")).toBe(expected));

  it("rejects an unknown option naming the allowed values", () => {
    expect(() => selectToTwenty("Lost", options, "stage")).toThrow('stage: "Lost" is not an option (allowed: NEW, IN_PROGRESS, OPTION_3)');
  });

  it("maps multi-select values and drops repeats", () => expect(multiSelectToTwenty(["New", "NEW", "High"], options, "tags")).toEqual(["NEW", "OPTION_3"]));
});
