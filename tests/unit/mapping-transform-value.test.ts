import { describe, expect, it } from "vitest";
import type { CanonicalFieldType, CanonicalValue, FieldDescription } from "@/connectors/types";
import { transformValue } from "@/lib/mapping";
import type { TransformContext } from "@/lib/mapping";

// ---- factories -------------------------------------------------------------------------------
function field(type: CanonicalFieldType, extra: Partial<FieldDescription> = {}): FieldDescription {
  return {
    key: extra.key ?? type,
    label: extra.label ?? `My ${type}`,
    type,
    nativeType: type,
    required: false,
    unique: false,
    readOnly: false,
    custom: false,
    ...extra,
  };
}

const STATUS = field("select", {
  key: "status",
  label: "Status",
  options: [
    { value: "open", label: "Open" },
    { value: "waiting", label: "Waiting on customer" },
    { value: "on-hold", label: "On hold" },
    { value: "closed", label: "Closed" },
    { value: "spam", label: "Spam" },
  ],
});
const TARGET_STATUS = field("select", {
  key: "status",
  label: "Status",
  options: [
    { value: "OPEN", label: "Open" },
    { value: "PENDING", label: "Pending" },
    { value: "ON_HOLD", label: "On hold" },
    { value: "CLOSED", label: "Closed" },
  ],
});
const PLATFORMS = field("multiselect", {
  label: "Platforms",
  options: [
    { value: "ios", label: "iOS" },
    { value: "android", label: "Android" },
    { value: "web", label: "Web app" },
  ],
});
const TARGET_PLATFORMS = field("multiselect", {
  label: "Platforms",
  options: [
    { value: "IOS", label: "iOS" },
    { value: "ANDROID", label: "Android" },
  ],
});
const phone = (raw: string, extra: Partial<{ e164: string; countryCode: string; callingCode: string; national: string }> = {}) => ({
  e164: extra.e164 ?? null,
  countryCode: extra.countryCode ?? null,
  callingCode: extra.callingCode ?? null,
  national: extra.national ?? null,
  raw,
});

type Row = [
  name: string,
  value: CanonicalValue,
  from: FieldDescription,
  to: FieldDescription,
  context: TransformContext,
  expected: CanonicalValue | { fails: RegExp },
];

function check([, value, from, to, context, expected]: Row) {
  const result = transformValue(value, from, to, context);
  const fails = expected !== null && typeof expected === "object" && "fails" in expected ? expected.fails : null;
  expect(result, JSON.stringify(result)).toEqual(
    fails ? { ok: false, code: "VALIDATION", message: expect.stringMatching(fails) } : { ok: true, value: expected },
  );
}

describe("transformValue", () => {
  describe("text, long text and HTML", () => {
    const rows: Row[] = [
      ["keeps text as text", "Hello", field("text"), field("longtext"), {}, "Hello"],
      [
        "turns HTML into plain text with Markdown structure",
        "<p>Spoke with the <b>buyer</b>.&nbsp;Budget approved.</p><p><br></p>",
        field("html"),
        field("longtext"),
        {},
        "Spoke with the **buyer**. Budget approved.",
      ],
      [
        "turns HTML lists into dashes without escaping",
        "<h3>Summary</h3><ul><li>Call 1. back</li><li>Review * again</li></ul>",
        field("html"),
        field("text"),
        {},
        "### Summary\n\n- Call 1. back\n- Review * again",
      ],
      ["keeps line breaks of a <br>", "<p>Hi Sam,<br>thanks</p>", field("html"), field("longtext"), {}, "Hi Sam,\nthanks"],
      ["keeps plain text found in an HTML field as typed", "Line one\nLine two &amp; more", field("html"), field("text"), {}, "Line one\nLine two & more"],
      ["turns empty HTML into nothing", "<p><br></p>", field("html"), field("text"), {}, null],
      [
        "renders text as HTML paragraphs and line breaks",
        "Hi Sam,\nthanks.\n\nBye",
        field("longtext"),
        field("html"),
        {},
        "<p>Hi Sam,<br>thanks.</p>\n<p>Bye</p>",
      ],
      [
        "escapes markup typed in text before rendering it",
        'Use <script> & "quotes"',
        field("text"),
        field("html"),
        {},
        "<p>Use &lt;script&gt; &amp; &quot;quotes&quot;</p>",
      ],
      [
        "renders numbered steps as a list",
        "1. Open the page\n2. Click",
        field("longtext"),
        field("html"),
        {},
        "<ol>\n<li>Open the page</li>\n<li>Click</li>\n</ol>",
      ],
      ["keeps HTML as HTML", "<p>Hi</p>", field("html"), field("html"), {}, "<p>Hi</p>"],
      ["turns blank text into nothing", "   ", field("text"), field("text"), {}, null],
      [
        "fails text longer than the target takes, with both lengths",
        "x".repeat(300),
        field("text"),
        field("text", { label: "Subject", maxLength: 255 }),
        {},
        { fails: /300 characters is over the limit of 255 for Subject/ },
      ],
      ["cuts text to the limit when truncate is on", "abcdefghij", field("text"), field("text", { maxLength: 5 }), { options: { truncate: true } }, "abcd…"],
      ["keeps text at exactly the limit", "abcde", field("text"), field("text", { maxLength: 5 }), {}, "abcde"],
    ];
    it.each(rows)("%s", (...row) => check(row));
  });

  describe("numbers and booleans", () => {
    const rows: Row[] = [
      ["reads 1,234.5", "1,234.5", field("text"), field("number"), {}, 1234.5],
      ["reads 1.234,5", "1.234,5", field("text"), field("number"), {}, 1234.5],
      ["reads 1 234,5 and a minus sign", "-1 234,5", field("text"), field("number"), {}, -1234.5],
      ["reads 12,5 as a decimal", "12,5", field("text"), field("number"), {}, 12.5],
      ["reads 12,500 as thousands", "12,500", field("text"), field("number"), {}, 12500],
      ["reads 12,500 as a decimal when told", "12,500", field("text"), field("number"), { options: { decimalSeparator: "," } }, 12.5],
      ["fails text that isn't a number", "about ten", field("text"), field("number"), {}, { fails: /"about ten" is not a number/ }],
      ["writes a number as text", 42.5, field("number"), field("text"), {}, "42.5"],
      ["reads yes as true", "Yes", field("text"), field("boolean"), {}, true],
      ["reads 0 as false", "0", field("text"), field("boolean"), {}, false],
      ["reads TRUE as true", "TRUE", field("text"), field("boolean"), {}, true],
      ["fails text that isn't yes or no", "maybe", field("text"), field("boolean"), {}, { fails: /"maybe" is not yes or no/ }],
      ["writes a boolean as text", false, field("boolean"), field("text"), {}, "false"],
      ["writes a boolean as 1 or 0", true, field("boolean"), field("number"), {}, 1],
    ];
    it.each(rows)("%s", (...row) => check(row));
  });

  describe("dates", () => {
    const rows: Row[] = [
      ["makes a date midnight UTC", "2024-03-05", field("date"), field("datetime"), {}, "2024-03-05T00:00:00.000Z"],
      ["keeps the UTC day of a date-time", "2024-03-05T23:30:00-05:00", field("datetime"), field("date"), {}, "2024-03-06"],
      ["reads a date-time without zone as UTC", "2024-03-05 09:15", field("text"), field("datetime"), {}, "2024-03-05T09:15:00.000Z"],
      ["pads a slashed date", "2024/3/5", field("text"), field("date"), {}, "2024-03-05"],
      ["fails a day that does not exist", "2024-02-30", field("text"), field("date"), {}, { fails: /is not a date \(expected YYYY-MM-DD/ }],
      ["fails an ambiguous date", "05/03/2024", field("text"), field("date"), {}, { fails: /is not a date/ }],
      ["writes a date as text", "2024-03-05", field("date"), field("text"), {}, "2024-03-05"],
    ];
    it.each(rows)("%s", (...row) => check(row));
  });

  describe("emails", () => {
    const rows: Row[] = [
      ["trims and lower-cases", "  Jane.Doe@ACME.example ", field("email"), field("email"), {}, "jane.doe@acme.example"],
      ["fails an address without a domain", "jane@", field("email"), field("email"), {}, { fails: /"jane@" is not a valid email address/ }],
      ["fails an address with a space", "jane doe@acme.com", field("email"), field("email"), {}, { fails: /not a valid email/ }],
      ["fails two @", "jane@@acme.com", field("email"), field("email"), {}, { fails: /not a valid email/ }],
      ["fails a domain without a dot", "jane@acme", field("email"), field("email"), {}, { fails: /not a valid email/ }],
      ["fails a doubled dot", "jane@acme..com", field("email"), field("email"), {}, { fails: /not a valid email/ }],
      ["fails n/a", "n/a", field("text"), field("email"), {}, { fails: /"n\/a" is not a valid email/ }],
      ["writes a user's email", { id: "agt_1", email: "Sam@Desk.example", name: "Sam" }, field("user"), field("email"), {}, "sam@desk.example"],
    ];
    it.each(rows)("%s", (...row) => check(row));
  });

  describe("phones", () => {
    const rows: Row[] = [
      [
        "parses a US number into the three parts",
        "(212) 555-0123",
        field("text"),
        field("phone"),
        { options: { defaultCountry: "US" } },
        { e164: "+12125550123", countryCode: "US", callingCode: "+1", national: "2125550123", raw: "(212) 555-0123" },
      ],
      [
        "reads a 00 international prefix",
        "0044 20 7946 0123",
        field("text"),
        field("phone"),
        {},
        { e164: "+442079460123", countryCode: "GB", callingCode: "+44", national: "2079460123", raw: "0044 20 7946 0123" },
      ],
      [
        "drops a (0) trunk prefix",
        "+44 (0)20 7946 0123",
        field("phone"),
        field("phone"),
        {},
        { e164: "+442079460123", countryCode: "GB", callingCode: "+44", national: "2079460123", raw: "+44 (0)20 7946 0123" },
      ],
      [
        "re-reads a canonical phone in its own country",
        phone("030 123456", { countryCode: "DE" }),
        field("phone"),
        field("phone"),
        {},
        { e164: "+4930123456", countryCode: "DE", callingCode: "+49", national: "30123456", raw: "030 123456" },
      ],
      ["keeps an unreadable number as typed", "12345", field("text"), field("phone"), {}, phone("12345")],
      ["never writes a sentence as a phone number", "call me after 5", field("text"), field("phone"), {}, null],
      ["never writes 000 as a phone number", "000", field("text"), field("phone"), {}, null],
      [
        "fails an unreadable number when a valid one is required",
        "12345",
        field("text"),
        field("phone"),
        { options: { requireValidPhone: true } },
        { fails: /"12345" cannot be read as a phone number/ },
      ],
      [
        "keeps a list of numbers a list",
        [phone("+1 212-555-0123")],
        field("phone"),
        field("phone"),
        {},
        [{ e164: "+12125550123", countryCode: "US", callingCode: "+1", national: "2125550123", raw: "+1 212-555-0123" }],
      ],
      ["writes a phone as its international number", phone("(212) 555-0123", { e164: "+12125550123" }), field("phone"), field("text"), {}, "+12125550123"],
    ];
    it.each(rows)("%s", (...row) => check(row));
  });

  describe("web addresses and domains", () => {
    const domain = field("url", { key: "domainName", label: "Domain" });
    const rows: Row[] = [
      ["adds https to a bare domain", "acme.com", field("url", { key: "domain" }), domain, {}, "https://acme.com"],
      ["drops www. from a domain", "www.acme.com", field("url", { key: "domain" }), domain, {}, "https://acme.com"],
      ["drops http, www. and the trailing slash", "http://www.ACME.com/", field("url", { key: "domain" }), domain, {}, "https://acme.com"],
      ["drops a path from a domain", "https://acme.com/about", field("text"), domain, {}, "https://acme.com"],
      [
        "keeps www. and the path of a plain web address",
        "www.acme.com/docs",
        field("url", { key: "recordingUrl" }),
        field("url", { key: "recordingUrl" }),
        {},
        "https://www.acme.com/docs",
      ],
      [
        "treats a web address as a domain when told",
        "www.acme.com/docs",
        field("url", { key: "link" }),
        field("url", { key: "link" }),
        { options: { urlMode: "domain" } },
        "https://acme.com",
      ],
      ["fails text that isn't a web address", "n/a", field("text"), field("url", { key: "link" }), {}, { fails: /"n\/a" is not a web address/ }],
      ["fails a domain without a dot", "acme", field("url", { key: "domain" }), domain, {}, { fails: /"acme" is not a domain/ }],
    ];
    it.each(rows)("%s", (...row) => check(row));
  });

  describe("names, addresses and amounts", () => {
    const rows: Row[] = [
      ["splits a name at the first space", "Mary Jane Watson", field("text"), field("fullname"), {}, { firstName: "Mary", lastName: "Jane Watson" }],
      ["reads 'Last, First'", "Watson, Mary", field("text"), field("fullname"), {}, { firstName: "Mary", lastName: "Watson" }],
      ["keeps a single word as the first name", "Cher", field("text"), field("fullname"), {}, { firstName: "Cher", lastName: "" }],
      [
        "reads text as one part of a name",
        "Watson",
        field("text"),
        field("fullname"),
        { options: { namePart: "lastName" } },
        { firstName: "", lastName: "Watson" },
      ],
      ["joins a name", { firstName: "Mary", lastName: "Watson" }, field("fullname"), field("text"), {}, "Mary Watson"],
      [
        "writes one part of a name",
        { firstName: "Mary", lastName: "Watson" },
        field("fullname"),
        field("text"),
        { options: { namePart: "firstName" } },
        "Mary",
      ],
      [
        "joins an address into one line",
        { street1: "1 High St", city: "London", postcode: "N1", country: "United Kingdom" },
        field("address"),
        field("text"),
        {},
        "1 High St, N1 London, United Kingdom",
      ],
      [
        "writes one part of an address",
        { city: "London", country: "United Kingdom" },
        field("address"),
        field("text"),
        { options: { addressPart: "city" } },
        "London",
      ],
      ["puts text into the first street line", "1 High St, London", field("text"), field("address"), {}, { street1: "1 High St, London" }],
      ["makes a number an amount in micros", 12.5, field("number"), field("currency"), {}, { amountMicros: 12_500_000, currencyCode: "USD" }],
      [
        "uses the mapping's currency",
        12.5,
        field("number"),
        field("currency"),
        { options: { currencyCode: "eur" } },
        { amountMicros: 12_500_000, currencyCode: "EUR" },
      ],
      ["reads an amount with a currency", "€ 1.200,50", field("text"), field("currency"), {}, { amountMicros: 1_200_500_000, currencyCode: "EUR" }],
      ["makes an amount a number", { amountMicros: 99_990_000, currencyCode: "GBP" }, field("currency"), field("number"), {}, 99.99],
      ["writes an amount as text", { amountMicros: 12_500_000, currencyCode: "USD" }, field("currency"), field("text"), {}, "12.50 USD"],
    ];
    it.each(rows)("%s", (...row) => check(row));
  });

  describe("choices and tags", () => {
    const rows: Row[] = [
      ["maps a value through the value map", "waiting", STATUS, TARGET_STATUS, { valueMap: { waiting: "PENDING" } }, "PENDING"],
      ["matches a value by its normalised label", "on-hold", STATUS, TARGET_STATUS, {}, "ON_HOLD"],
      ["matches a value by a synonym", "waiting", STATUS, TARGET_STATUS, {}, "PENDING"],
      ["uses the default for a value that isn't an option", "spam", STATUS, TARGET_STATUS, { defaultValue: "CLOSED" }, "CLOSED"],
      [
        "fails a value that isn't an option, listing the options",
        "spam",
        STATUS,
        TARGET_STATUS,
        {},
        { fails: /"spam" is not an option of Status \(options: OPEN, PENDING, ON_HOLD, CLOSED\)/ },
      ],
      ["leaves out a value that isn't an option when told", "spam", STATUS, TARGET_STATUS, { options: { unknownValue: "drop" } }, null],
      [
        "fails a value map pointing at no option",
        "open",
        STATUS,
        TARGET_STATUS,
        { valueMap: { open: "NEW" } },
        { fails: /sends "open" to "NEW", which is not an option/ },
      ],
      ["writes a choice as its label", "waiting", STATUS, field("text"), {}, "Waiting on customer"],
      ["writes a choice as a one-tag list", "on-hold", STATUS, field("tags"), {}, ["On hold"]],
      ["turns multiple choices into tags by label", ["ios", "web"], PLATFORMS, field("tags"), {}, ["iOS", "Web app"]],
      ["matches multiple choices to options", ["ios", "android"], PLATFORMS, TARGET_PLATFORMS, {}, ["IOS", "ANDROID"]],
      ["fails a choice the target does not offer", ["ios", "web"], PLATFORMS, TARGET_PLATFORMS, {}, { fails: /"web" is not an option of Platforms/ }],
      ["drops choices the target does not offer when told", ["ios", "web"], PLATFORMS, TARGET_PLATFORMS, { options: { unknownValue: "drop" } }, ["IOS"]],
      ["turns tags into multiple choices", ["iOS", " android "], field("tags"), TARGET_PLATFORMS, {}, ["IOS", "ANDROID"]],
      ["joins tags into text", ["billing", "vip"], field("tags"), field("text"), {}, "billing, vip"],
      ["joins multiple choices into text by label", ["ios", "android"], PLATFORMS, field("text"), { options: { separator: " / " } }, "iOS / Android"],
      [
        "keeps the first of several choices",
        ["android", "ios"],
        PLATFORMS,
        field("select", { options: [{ value: "ANDROID", label: "Android" }] }),
        {},
        "ANDROID",
      ],
      ["splits text at commas into tags and drops repeats", "billing, vip,billing,,", field("text"), field("tags"), {}, ["billing", "vip"]],
      ["trims tags and keeps an empty list empty", [], field("tags"), field("tags"), {}, []],
      [
        "maps a boolean onto an option",
        true,
        field("boolean"),
        field("select", {
          options: [
            { value: "YES", label: "Yes" },
            { value: "NO", label: "No" },
          ],
        }),
        {},
        "YES",
      ],
    ];
    it.each(rows)("%s", (...row) => check(row));
  });

  describe("relations and users", () => {
    const company = field("relation", { relatesTo: "companies" });
    const targets = field("relation", { key: "targets.companies", nativeType: "noteTargets", relatesTo: "companies" });
    const rows: Row[] = [
      ["passes a relation through", { objectType: "companies", id: "c1" }, company, company, {}, { objectType: "companies", id: "c1" }],
      [
        "keeps the first of several links for a one-record link",
        [
          { objectType: "companies", id: "c1" },
          { objectType: "companies", id: "c2" },
        ],
        targets,
        company,
        {},
        { objectType: "companies", id: "c1" },
      ],
      ["keeps a list for a list of links", [{ objectType: "companies", id: "c1" }], targets, targets, {}, [{ objectType: "companies", id: "c1" }]],
      ["fails a relation into a date", { objectType: "companies", id: "c1" }, company, field("date"), {}, { fails: /A relation cannot become a date/ }],
      ["writes a user's name as text", { id: "agt_1", email: "sam@desk.example", name: "Sam Lee" }, field("user"), field("text"), {}, "Sam Lee"],
      ["passes a user through", { id: "agt_1", email: "sam@desk.example" }, field("user"), field("user"), {}, { id: "agt_1", email: "sam@desk.example" }],
      // Teamwork Desk threads: an agent or the customer writes them.
      [
        "passes a customer through to an author field that takes customers",
        { objectType: "customers", id: "41" },
        field("user", { relatesTo: "customers" }),
        field("user", { relatesTo: "customers" }),
        {},
        { objectType: "customers", id: "41" },
      ],
      [
        "refuses a customer for a field only users can hold",
        { objectType: "customers", id: "41" },
        field("user", { relatesTo: "customers" }),
        field("user"),
        {},
        { fails: /is not a user/ },
      ],
      [
        "refuses a customer for a field holding other records (Twenty members)",
        { objectType: "customers", id: "41" },
        field("user", { relatesTo: "customers" }),
        field("user", { relatesTo: "workspaceMembers" }),
        {},
        { fails: /is not a user/ },
      ],
    ];
    it.each(rows)("%s", (...row) => check(row));
  });

  it("keeps null as null for every pair of types", () => {
    expect(transformValue(null, field("html"), field("number"))).toEqual({ ok: true, value: null });
    expect(transformValue(undefined, field("text"), field("email"))).toEqual({ ok: true, value: null });
  });
});
