import { describe, expect, it } from "vitest";
import { assertPublicBaseUrl, isPrivateAddress, isPrivateHostName } from "@/connectors/shared/host-guard";

describe("isPrivateAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["10.1.2.3", true],
    ["172.20.0.1", true],
    ["192.168.1.10", true],
    ["192.168.1.1", true],
    ["169.254.169.254", true],
    ["::1", true],
    ["fd00::1", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["8.8.8.8", false],
    ["2606:4700::1111", false],
    ["2606:4700::1", false],
    ["::ffff:808:808", false],
  ])("%s is private: %s", (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe("isPrivateAddress: only global unicast addresses are public", () => {
  it.each([
    // IPv4 special-purpose ranges (IANA registry) that are not globally reachable.
    ["0.1.2.3"],
    ["100.100.1.1"],
    ["192.0.0.8"],
    ["192.0.2.10"],
    ["192.88.99.1"],
    ["198.18.0.1"],
    ["198.51.100.7"],
    ["203.0.113.9"],
    ["224.0.0.1"],
    ["255.255.255.255"],
    // IPv6 forms that reach IPv4 loopback or private networks, or are not global unicast.
    ["::"],
    ["::7f00:1"],
    ["::127.0.0.1"],
    ["::ffff:0:7f00:1"],
    ["::ffff:10.0.0.1"],
    ["64:ff9b::7f00:1"],
    ["64:ff9b::808:808"],
    ["64:ff9b:1::1"],
    ["100::1"],
    ["2001::1"],
    ["2001:db8::1"],
    ["2002:7f00:1::1"],
    ["2002:808:808::1"],
    ["3fff::1"],
    ["fc00::1"],
    ["fe80::1"],
    ["fe80::1%eth0"],
    ["fec0::1"],
    ["ff02::1"],
    ["[::7f00:1]"],
    ["[::ffff:0:7f00:1]"],
  ])("%s is refused", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([["1.1.1.1"], ["93.184.216.34"], ["2606:4700:4700::1111"], ["2a00:1450:4001:80b::200e"], ["[2606:4700::1]"]])("%s is allowed", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe("isPrivateHostName", () => {
  it("knows local names and literal private addresses without a DNS lookup", () => {
    for (const host of ["localhost", "app.localhost", "printer.local", "db.internal", "[::1]"]) expect(isPrivateHostName(host)).toBe(true);
    for (const host of ["acme.teamwork.com", "api.twenty.com"]) expect(isPrivateHostName(host)).toBe(false);
  });
});

describe("assertPublicBaseUrl", () => {
  it("refuses local addresses before any request", () => {
    expect(() => assertPublicBaseUrl("http://localhost:3000")).toThrow(/private or local/);
    expect(() => assertPublicBaseUrl("http://[::1]:3000")).toThrow(/private or local/);
    expect(() => assertPublicBaseUrl("http://[::ffff:127.0.0.1]:3000")).toThrow(/private or local/);
    expect(() => assertPublicBaseUrl("http://[::7f00:1]:3000")).toThrow(/private or local/);
  });

  it("refuses loopback and metadata addresses unless private URLs are allowed", () => {
    expect(() => assertPublicBaseUrl("http://127.0.0.1:4020", { allowPrivateHosts: false })).toThrow(/private or local network/);
    expect(() => assertPublicBaseUrl("http://169.254.169.254/latest", { allowPrivateHosts: false })).toThrow(/private or local network/);
    expect(() => assertPublicBaseUrl("http://127.0.0.1:4020", { allowPrivateHosts: true })).not.toThrow();
  });

  it("refuses what is not an http(s) URL", () => {
    expect(() => assertPublicBaseUrl("ftp://example.com", { allowPrivateHosts: true })).toThrow(/https:\/\//);
    expect(() => assertPublicBaseUrl("not a url", { allowPrivateHosts: true })).toThrow(/full URL/);
  });

  it("is a VALIDATION error naming the URL, what Ferry connects to and the credential field", () => {
    expect(() => assertPublicBaseUrl("http://10.0.0.5", { publicTargets: "Teamwork sites (*.teamwork.com)", field: "site" })).toThrow(
      expect.objectContaining({
        code: "VALIDATION",
        field: "site",
        message: "http://10.0.0.5 points to a private or local network address; Ferry only connects to Teamwork sites (*.teamwork.com).",
      }),
    );
  });
});
