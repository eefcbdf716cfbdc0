import { describe, expect, it } from "vitest";
import { assertPublicUrl, isPrivateAddress } from "@/lib/url-guard";
import { safeCallbackUrl } from "@/lib/safe-callback-url";

describe("isPrivateAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["10.1.2.3", true],
    ["172.20.0.1", true],
    ["192.168.1.10", true],
    ["169.254.169.254", true],
    ["::1", true],
    ["fd00::1", true],
    ["::ffff:127.0.0.1", true],
    ["8.8.8.8", false],
    ["2606:4700::1111", false],
  ])("%s is private: %s", (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe("assertPublicUrl", () => {
  it("refuses loopback and metadata addresses unless private URLs are allowed", async () => {
    await expect(assertPublicUrl("http://127.0.0.1:4020", false)).rejects.toThrow(/private or local network/);
    await expect(assertPublicUrl("http://169.254.169.254/latest", false)).rejects.toThrow(/private or local network/);
    await expect(assertPublicUrl("http://127.0.0.1:4020", true)).resolves.toBeUndefined();
  });

  it("refuses what is not an http(s) URL", async () => {
    await expect(assertPublicUrl("ftp://example.com", true)).rejects.toThrow(/https:\/\//);
    await expect(assertPublicUrl("not a url", true)).rejects.toThrow(/full URL/);
  });
});

describe("safeCallbackUrl", () => {
  it.each([
    ["/team", "/team"],
    ["https://evil.example", "/migrations"],
    ["//evil.example", "/migrations"],
    ["/\\evil.example", "/migrations"],
    [undefined, "/migrations"],
  ])("%s -> %s", (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });
});
