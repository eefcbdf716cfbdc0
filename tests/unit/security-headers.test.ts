// Response headers (issue 15, hole 8): a Content-Security-Policy with a fresh nonce per page and
// frame-ancestors 'none', plus X-Frame-Options, nosniff and a Referrer-Policy on every response.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { config, proxy } from "@/proxy";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe("Content-Security-Policy", () => {
  it("gives every page a fresh nonce, allows scripts only by it, and forbids framing", () => {
    const first = proxy(new NextRequest("http://localhost:3000/migrations"));
    const second = proxy(new NextRequest("http://localhost:3000/migrations"));
    const policy = directives(first.headers.get("content-security-policy")!);
    const nonce = first.headers.get("x-middleware-request-x-nonce")!;

    expect(nonce).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
    expect(second.headers.get("x-middleware-request-x-nonce")).not.toBe(nonce);
    expect(policy.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    // Next.js reads the nonce from the request's policy to stamp its own scripts.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(first.headers.get("content-security-policy"));
  });

  it("runs for pages, not for static files or API routes", () => {
    const matcher = config.matcher[0];
    expect(matcher.source).toContain("_next/static");
    expect(matcher.source).toContain("api");
  });
});

describe("security headers", () => {
  it("refuse framing, MIME sniffing and cross-site referrers on every response", async () => {
    const rules = await nextConfig.headers!();
    const everywhere = rules.find((rule) => rule.source === "/:path*");
    expect(everywhere?.headers).toEqual(
      expect.arrayContaining([
        { key: "X-Frame-Options", value: "DENY" },
        { key: "X-Content-Type-Options", value: "nosniff" },
        { key: "Referrer-Policy", value: "same-origin" },
      ]),
    );
  });
});
