// ADDRESS composite (reference §3.3) ↔ canonical Address. addressStreet3, lat and lng have no
// canonical counterpart: street3 is folded into street2 on read, coordinates are not carried.
import type { Address } from "@/connectors/types";

export type TwentyAddress = {
  addressStreet1: string;
  addressStreet2: string;
  addressCity: string;
  addressState: string;
  addressPostcode: string;
  addressCountry: string;
};

export function addressFromTwenty(value: unknown): Address | null {
  if (value === null || typeof value !== "object") return null;
  const raw = value as Record<string, unknown>;
  const text = (key: string) => (typeof raw[key] === "string" && (raw[key] as string).trim() !== "" ? (raw[key] as string) : undefined);
  const street2 = [text("addressStreet2"), text("addressStreet3")].filter(Boolean).join(", ") || undefined;
  const address: Address = {
    street1: text("addressStreet1"),
    street2,
    city: text("addressCity"),
    postcode: text("addressPostcode"),
    state: text("addressState"),
    country: text("addressCountry"),
  };
  const present = Object.fromEntries(Object.entries(address).filter(([, part]) => part !== undefined)) as Address;
  return Object.keys(present).length === 0 ? null : present;
}

export function addressToTwenty(value: Address): TwentyAddress {
  return {
    addressStreet1: value.street1 ?? "",
    addressStreet2: value.street2 ?? "",
    addressCity: value.city ?? "",
    addressState: value.state ?? "",
    addressPostcode: value.postcode ?? "",
    addressCountry: value.country ?? "",
  };
}
