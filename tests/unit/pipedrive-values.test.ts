// The Pipedrive connector's pure pieces: value conversions (pipedrive-api §5, §6.3), field types
// for the prerequisites fix, and the error envelope → ConnectorError codes (pipedrive-api §2.2, §2.3).
import { describe, expect, it } from "vitest";
import { pipedriveRecordUrl } from "@/connectors/pipedrive/capabilities";
import { codeForPipedriveStatus, pipedriveError } from "@/connectors/pipedrive/client";
import { canonicalTypeOf } from "@/connectors/pipedrive/mappers/fields";
import * as v from "@/connectors/pipedrive/mappers/values";
import { fieldTypeFor, isCompatible } from "@/connectors/pipedrive/prerequisites";
import { phoneAsTyped } from "@/connectors/shared/values";
import { ConnectorError, type Phone } from "@/connectors/types";

const users = v.userDirectory([
  { id: 1, name: "Olivia", email: "Olivia@Example.com" },
  { id: 2, name: "Sam", email: "sam@example.com" },
]);

describe("Pipedrive values", () => {
  it.each([
    ["Ada Lovelace", { firstName: "Ada", lastName: "Lovelace" }],
    ["Ada King Lovelace", { firstName: "Ada", lastName: "King Lovelace" }],
    ["Plato", { firstName: "Plato", lastName: "" }],
    ["  ", null],
    [null, null],
  ])("reads the name %j as %j", (name, expected) => {
    expect(v.fullNameOf(name)).toEqual(expected);
  });

  it.each([
    [{ firstName: "Ada", lastName: "Lovelace" }, "Ada Lovelace"],
    [{ firstName: "", lastName: "Lovelace" }, "Lovelace"],
    ["Grace Hopper", "Grace Hopper"],
    [null, null],
  ])("writes the name %j as %j", (name, expected) => {
    expect(v.asFullName(name, "name")).toBe(expected);
  });

  it("reads an address object's parts, and a bare formatted address", () => {
    expect(
      v.addressOf({ value: "1 Main St, Springfield", street_number: "1", route: "Main St", locality: "Springfield", postal_code: "12345", country: "US" }),
    ).toEqual({
      street1: "1 Main St",
      city: "Springfield",
      postcode: "12345",
      country: "US",
    });
    expect(v.addressOf({ value: "Somewhere 5" })).toEqual({ street1: "Somewhere 5" });
    expect(v.addressOf("Elsewhere 9")).toEqual({ street1: "Elsewhere 9" });
    expect(v.addressOf({})).toBeNull();
  });

  it("writes an address as its formatted text", () => {
    expect(v.asAddress({ street1: "1 Main St", postcode: "12345", city: "Springfield", country: "US" }, "address")).toEqual({
      value: "1 Main St, 12345 Springfield, US",
    });
    expect(v.asAddress({}, "address")).toBeNull();
  });

  it("converts money both ways in micros", () => {
    expect(v.currencyOf(12.5, "EUR")).toEqual({ amountMicros: 12_500_000, currencyCode: "EUR" });
    expect(v.asCurrency({ amountMicros: 12_500_000, currencyCode: "EUR" }, "value")).toEqual({ value: 12.5, currency: "EUR" });
    expect(v.asCurrency({ amountMicros: 1_000_000, currencyCode: "" }, "value")).toEqual({ value: 1, currency: null });
    expect(() => v.asCurrency("lots", "value")).toThrow(ConnectorError);
  });

  it.each([
    ["2025-03-04", "2025-03-04"],
    ["2025-03-04T23:30:00.000Z", "2025-03-04"],
    [null, null],
  ])("writes the date %j as %j", (value, expected) => {
    expect(v.asDate(value, "dueDate")).toBe(expected);
  });

  it("refuses a date it cannot read, naming the field", () => {
    expect(() => v.asDate("04/03/2025", "dueDate")).toThrow(expect.objectContaining({ code: "VALIDATION", field: "dueDate" }));
  });

  it("reads v1 and v2 times as ISO instants", () => {
    expect(v.instantOf("2025-01-02 03:04:05")).toBe("2025-01-02T03:04:05.000Z");
    expect(v.instantOf("2025-01-02T03:04:05Z")).toBe("2025-01-02T03:04:05.000Z");
    expect(v.instantOf("")).toBeNull();
  });

  it("matches users by id, then by email in any case, and refuses anyone else", () => {
    expect(v.asUserId({ id: "2", email: null }, "owner", users)).toBe(2);
    expect(v.asUserId({ id: "twenty-member-uuid", email: "olivia@example.com" }, "owner", users)).toBe(1);
    expect(v.asUserId("SAM@example.com", "owner", users)).toBe(2);
    expect(() => v.asUserId({ id: "9", email: "ghost@example.com" }, "owner", users)).toThrow(/ghost@example\.com is not a user/);
    expect(v.userRefOf(1, users)).toEqual({ id: "1", email: "Olivia@Example.com", name: "Olivia" });
  });

  it("keeps a list of text (tags) in a text field as one comma-separated text, and refuses other shapes", () => {
    expect(v.asText(["vip", "partner"], "tags")).toBe("vip, partner");
    expect(v.asText(true, "flag")).toBe("true");
    expect(() => v.asText({ amountMicros: 1, currencyCode: "EUR" }, "note")).toThrow(/expects text/);
    expect(() => v.asText("x".repeat(256), "title", 255)).toThrow(/longer than the 255 characters/);
  });

  it("splits lists of emails or phones typed as text", () => {
    expect(v.asList("a@x.com; b@x.com, c@x.com", "emails", (entry) => v.asText(entry, "emails"))).toEqual(["a@x.com", "b@x.com", "c@x.com"]);
    const phones: Phone[] = [phoneAsTyped("+1 555"), { e164: "+4420", raw: "020", countryCode: null, callingCode: null, national: null }];
    expect(v.asList(phones, "phones", v.asPhoneText)).toEqual(["+1 555", "+4420"]);
  });
});

describe("Pipedrive field types", () => {
  it.each([
    ["varchar", "text"],
    ["text", "longtext"],
    ["double", "number"],
    ["monetary", "currency"],
    ["enum", "select"],
    ["set", "multiselect"],
    ["date", "date"],
    ["user", "user"],
    ["org", "relation"],
    ["people", "relation"],
  ])("reads a %s field as %s", (fieldType, canonical) => {
    expect(canonicalTypeOf(fieldType)?.type).toBe(canonical);
  });

  it("reads unknown types as nothing it writes", () => {
    expect(canonicalTypeOf("daterange")).toBeNull();
  });

  it.each([
    [{ type: "select", options: [{ value: "a", label: "A" }] }, "enum"],
    [{ type: "select", options: [] }, "varchar"],
    [{ type: "multiselect", options: [{ value: "a", label: "A" }] }, "set"],
    [{ type: "datetime" }, "varchar"],
    [{ type: "boolean" }, "varchar"],
    [{ type: "longtext" }, "text"],
    [{ type: "relation" }, null],
  ] as const)("creates a field for %j as %s", (planned, fieldType) => {
    expect(fieldTypeFor(planned as Parameters<typeof fieldTypeFor>[0])).toBe(fieldType);
  });

  it("accepts an existing field that can hold the values without loss, and nothing else", () => {
    expect(isCompatible("datetime", "text")).toBe(true);
    expect(isCompatible("select", "multiselect")).toBe(true);
    expect(isCompatible("number", "date")).toBe(false);
    expect(isCompatible("select", "number")).toBe(false);
  });
});

describe("Pipedrive errors", () => {
  it.each([
    [401, "AUTH_INVALID"],
    [402, "PERMISSION_DENIED"],
    [403, "PERMISSION_DENIED"],
    [404, "NOT_FOUND"],
    [410, "NOT_FOUND"],
    [400, "VALIDATION"],
    [422, "VALIDATION"],
    [429, "RATE_LIMITED"],
    [503, "TEMPORARY"],
  ])("reads status %i as %s", (status, code) => {
    expect(codeForPipedriveStatus(status)).toBe(code);
  });

  it("takes the message from the error envelope, and leaves other bodies to the shared mapping", () => {
    const error = pipedriveError(400, {
      success: false,
      error: "Parameter 'name' is required",
      error_info: "Please check developers.pipedrive.com",
      data: null,
    });
    expect(error).toMatchObject({ code: "VALIDATION", status: 400, message: "Pipedrive answered 400: Parameter 'name' is required" });
    expect(pipedriveError(502, "<html>Bad gateway</html>")).toBeUndefined();
  });
});

describe("Pipedrive record pages (pipedrive-api §5.8)", () => {
  it.each([
    ["https://acme.pipedrive.com", "deals", "42", "https://acme.pipedrive.com/deal/42"],
    ["https://api.pipedrive.com", "persons", "7", "https://app.pipedrive.com/person/7"],
    ["http://127.0.0.1:4030", "organizations", "3", "http://127.0.0.1:4030/organization/3"],
    ["https://api.pipedrive.com", "notes", "5", null],
    ["https://api.pipedrive.com", "deals", "not-an-id", null],
  ])("opens %s %s %s at %s", (base, objectType, id, expected) => {
    expect(pipedriveRecordUrl(new URL(base), objectType, id)).toBe(expected);
  });
});
