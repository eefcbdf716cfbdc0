import { parsePhoneNumberFromString } from "libphonenumber-js";
import { describe, expect, it } from "vitest";
import { chunks } from "@/connectors/shared/chunks";
import {
  asCountryCode,
  decodeHtmlEntities,
  domainHost,
  invalidField,
  isCalendarDate,
  isoInstant,
  looksLikeHtml,
  normalizeEmail,
  phoneAsTyped,
  phoneFromParsed,
  sinceInstant,
  textToHtmlParagraphs,
} from "@/connectors/shared/values";
import { ConnectorError } from "@/connectors/types";

describe("domainHost", () => {
  it.each([
    { value: "https://www.Acme.com/about", expected: "acme.com" },
    { value: "ACME.COM", expected: "acme.com" },
    { value: "http://www.kestrel-ltd.example", expected: "kestrel-ltd.example" },
    { value: "localhost", expected: null },
    { value: "", expected: null },
  ])("domainHost($value)", ({ value, expected }) => {
    expect(domainHost(value)).toBe(expected);
  });
});

describe("emails", () => {
  it("normalises by trimming and lower-casing", () => expect(normalizeEmail("  Jo.Smith@Acme.COM ")).toBe("jo.smith@acme.com"));
});

describe("phones", () => {
  it("keeps a phone nothing could parse as typed", () => {
    expect(phoneAsTyped("ext. 12")).toEqual({ e164: null, countryCode: null, callingCode: null, national: null, raw: "ext. 12" });
  });

  it("writes a parsed number in the canonical shape, calling code with its +", () => {
    const parsed = parsePhoneNumberFromString("+44 20 7946 0958")!;
    expect(phoneFromParsed(parsed, "+44 20 7946 0958")).toEqual({
      e164: "+442079460958",
      countryCode: "GB",
      callingCode: "+44",
      national: "2079460958",
      raw: "+44 20 7946 0958",
    });
    expect(phoneFromParsed(parsed, "x", "IE").countryCode).toBe("IE");
  });

  it.each([
    ["gb", "GB"],
    [" us ", "US"],
    ["XX", undefined],
    [null, undefined],
  ])("asCountryCode(%j) = %j", (input, expected) => expect(asCountryCode(input)).toBe(expected));
});

describe("text and HTML", () => {
  it("recognises HTML by its tags", () => {
    expect(looksLikeHtml("<p>Hi</p>")).toBe(true);
    expect(looksLikeHtml("2 < 3 & 4 > 1")).toBe(false);
  });

  it("turns plain text into escaped paragraphs and line breaks", () => {
    expect(textToHtmlParagraphs("Hi <Sam>,\nthanks & bye\n\nJo")).toBe("<p>Hi &lt;Sam&gt;,<br>thanks &amp; bye</p><p>Jo</p>");
  });

  it("decodes the common entities once", () => {
    expect(decodeHtmlEntities("a&nbsp;&lt;b&gt; &quot;c&quot; &#39;d&#39; &amp;lt;")).toBe("a <b> \"c\" 'd' &lt;");
  });
});

describe("isCalendarDate", () => {
  it.each([
    [2024, 2, 29, true],
    [2025, 2, 29, false],
    [2025, 4, 31, false],
    [2025, 12, 31, true],
  ])("%i-%i-%i exists: %s", (year, month, day, expected) => expect(isCalendarDate(year, month, day)).toBe(expected));
});

describe("instants", () => {
  it("turns any instant Date.parse reads into ISO-8601 UTC, and anything else into null", () => {
    expect(isoInstant("2025-03-01T10:00:00+02:00")).toBe("2025-03-01T08:00:00.000Z");
    expect(isoInstant("next tuesday")).toBeNull();
  });

  it("reads a missing since as everything and refuses one that is no date", () => {
    expect(sinceInstant(undefined)).toBeNull();
    expect(sinceInstant("2025-01-01T00:00:00Z")).toBe("2025-01-01T00:00:00.000Z");
    expect(() => sinceInstant("yesterday-ish")).toThrow(expect.objectContaining({ code: "VALIDATION", message: '"yesterday-ish" is not a date and time' }));
  });
});

describe("invalidField", () => {
  it("is a VALIDATION error naming the field", () => {
    const error = invalidField("email", "expects an email address");
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: "VALIDATION", field: "email", message: "email: expects an email address" });
  });
});

describe("chunks", () => {
  it("cuts a list into slices of at most the size, in order", () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 3)).toEqual([]);
  });
});
