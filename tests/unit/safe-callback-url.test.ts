import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/lib/safe-callback-url";

const APP_ORIGIN = "http://localhost:3000";

describe("safeCallbackUrl", () => {
  it.each([
    ["/team", "/team"],
    ["/migrations/abc/run?tab=log#failures", "/migrations/abc/run?tab=log#failures"],
    ["http://localhost:3000/team", "/team"],
    ["/%09/127.0.0.1:4030/pwned", "/%09/127.0.0.1:4030/pwned"],
  ])("keeps the same-origin path %s -> %s", (input, expected) => {
    expect(safeCallbackUrl(input, APP_ORIGIN)).toBe(expected);
  });

  it.each([
    // What the query string `callbackUrl=/%09/127.0.0.1:4030/pwned` decodes to: browsers drop the tab.
    ["/\t/127.0.0.1:4030/pwned"],
    ["/\n/evil.example"],
    ["/\r\n/evil.example"],
    [" //evil.example"],
    ["//evil.example"],
    ["/\\evil.example"],
    ["\\\\evil.example"],
    ["/.//evil.example"],
    ["https://evil.example"],
    ["http://localhost:3000.evil.example/team"],
    ["http://localhost:3001/team"],
    ["javascript:alert(1)"],
    ["JaVaScRiPt:alert(1)"],
    ["data:text/html,<script>alert(1)</script>"],
    [""],
    [undefined],
    [null],
  ])("refuses %j", (input) => {
    expect(safeCallbackUrl(input, APP_ORIGIN)).toBe("/migrations");
  });
});
