import { describe, expect, it } from "vitest";
import { countryCodeOf, derivePhoneCountry, isNotAPhoneNumber } from "@/lib/mapping/phone-data";

describe("isNotAPhoneNumber", () => {
  it.each(["call me after 5", "000", "+44", "n/a", "12", "0000000", "ask reception"])("%s is not a phone number", (raw) => {
    expect(isNotAPhoneNumber(raw)).toBe(true);
  });

  it.each(["+49 30 123456", "030/654321", "(212) 555-0123", "212-555-0123 x42", "+1 (415) 555-0199 ext. 12", "Tel. 020 7946 0123", "mobile: 0171 2345678"])(
    "%s is one",
    (raw) => {
      expect(isNotAPhoneNumber(raw)).toBe(false);
    },
  );
});

describe("derivePhoneCountry", () => {
  it("offers Germany for mostly German numbers typed without +49, beside a few British ones with +44", () => {
    const german = ["030 123456", "030/654321", "030 987654", "089 1234567", "030 555123", "0171 2345678", "030 246810"];
    const british = ["+44 20 7946 0123", "+44 20 7946 0456"];
    const addresses = ["Germany", "Deutschland", "DE", "United Kingdom"];
    expect(derivePhoneCountry([...british, ...german, "call me after 5", "000"], addresses)).toBe("DE");
  });

  it("follows the country codes the numbers carry", () => {
    expect(derivePhoneCountry(["+1 415 555 0199", "+1 (212) 555-0123", "(312) 555-0101", "+44 20 7946 0123"])).toBe("US");
  });

  it("has nothing to offer when no value is a phone number", () => {
    expect(derivePhoneCountry(["n/a", "000", ""])).toBeNull();
  });
});

describe("countryCodeOf", () => {
  it("reads country names as addresses write them", () => {
    expect(["Germany", "Deutschland", "de", "UK", "United States of America", "France", "Atlantis"].map(countryCodeOf)).toEqual([
      "DE",
      "DE",
      "DE",
      "GB",
      "US",
      "FR",
      undefined,
    ]);
  });
});
