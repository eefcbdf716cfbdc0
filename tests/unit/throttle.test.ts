import { describe, expect, it } from "vitest";
import { blockDurationMs, FREE_FAILURES } from "@/lib/auth/throttle";

describe("sign-in slowdown", () => {
  it("lets the first few failures through, then doubles the wait up to a cap", () => {
    expect(blockDurationMs(FREE_FAILURES - 1)).toBe(0);
    expect(blockDurationMs(FREE_FAILURES)).toBe(2_000);
    expect(blockDurationMs(FREE_FAILURES + 1)).toBe(4_000);
    expect(blockDurationMs(FREE_FAILURES + 30)).toBe(15 * 60_000);
  });
});
