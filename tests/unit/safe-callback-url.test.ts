import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/lib/safe-callback-url";

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
