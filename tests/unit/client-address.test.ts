import { describe, expect, it } from "vitest";
import { CONNECTION_ADDRESS_HEADER, clientAddress, clientKey } from "@/lib/auth/client-address";

const from = (connection: string | undefined, forwardedFor?: string) => ({
  ...(connection ? { [CONNECTION_ADDRESS_HEADER]: connection } : {}),
  ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
});

describe("clientAddress", () => {
  it("takes the connection's address and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(clientAddress(from("198.51.100.7", "1.2.3.4"), 0)).toBe("198.51.100.7");
    expect(clientAddress(from("::ffff:198.51.100.7", "1.2.3.4, 5.6.7.8"), 0)).toBe("198.51.100.7");
  });

  it("believes only the entries the trusted proxies wrote, from the right", () => {
    // The client wrote 6.6.6.6; the first proxy (at 10.0.0.2) appended the client's real address.
    expect(clientAddress(from("10.0.0.2", "6.6.6.6, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(from("10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
  });

  it("falls back to the connection when fewer proxies answered than are trusted, or an entry is not an address", () => {
    expect(clientAddress(from("203.0.113.9", "6.6.6.6"), 3)).toBe("203.0.113.9");
    expect(clientAddress(from("10.0.0.2", "6.6.6.6, unknown"), 1)).toBe("10.0.0.2");
  });

  it("is one shared key when the server stamped no connection address", () => {
    expect(clientAddress(from(undefined, "1.2.3.4"), 0)).toBe("unknown");
    expect(clientAddress(undefined, 1)).toBe("unknown");
  });
});

describe("clientKey", () => {
  it.each([
    ["203.0.113.9", "203.0.113.9"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    ["2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd:12::/64"],
    ["2001:db8:abcd:12::ffff", "2001:db8:abcd:12::/64"],
    ["[2001:db8::1]", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("%s -> %s", (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
