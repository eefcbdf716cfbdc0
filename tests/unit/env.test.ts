import { describe, expect, it } from "vitest";
import { EnvironmentError, parseEnvironment } from "@/lib/env";
import { generateKey } from "@/lib/crypto";

const valid = { NEXTAUTH_SECRET: "x".repeat(40), ENCRYPTION_KEYS: `1:${generateKey()}` };

describe("parseEnvironment", () => {
  it("defaults to a SQLite file under .data and the embedded runner", () => {
    const environment = parseEnvironment(valid);
    expect(environment.database.url).toMatch(/^file:.*\.data[\\/]ferry\.db$/);
    expect(environment.jobRunner).toBe("embedded");
    expect(environment.NEXTAUTH_URL).toBe("http://localhost:3000");
  });

  it("chooses Inngest when its keys are set, unless told otherwise", () => {
    expect(parseEnvironment({ ...valid, INNGEST_SIGNING_KEY: "signkey-prod-1", INNGEST_EVENT_KEY: "e" }).jobRunner).toBe("inngest");
    expect(parseEnvironment({ ...valid, INNGEST_SIGNING_KEY: "signkey-prod-1", JOB_RUNNER: "embedded" }).jobRunner).toBe("embedded");
  });

  it("trusts no proxy's X-Forwarded-For unless told how many proxies stand in front", () => {
    expect(parseEnvironment(valid).TRUSTED_PROXY_COUNT).toBe(0);
    expect(parseEnvironment({ ...valid, TRUSTED_PROXY_COUNT: "2" }).TRUSTED_PROXY_COUNT).toBe(2);
  });

  it("accepts a hosted libSQL URL with its token", () => {
    const environment = parseEnvironment({ ...valid, DATABASE_URL: "libsql://ferry.example.turso.io", DATABASE_AUTH_TOKEN: "token" });
    expect(environment.database).toEqual({ url: "libsql://ferry.example.turso.io", authToken: "token" });
  });

  it.each([
    [{ ...valid, NEXTAUTH_SECRET: undefined }, "NEXTAUTH_SECRET"],
    [{ ...valid, NEXTAUTH_SECRET: "short" }, "NEXTAUTH_SECRET"],
    [{ ...valid, ENCRYPTION_KEYS: "1:dG9vLXNob3J0" }, "ENCRYPTION_KEYS"],
    [{ ...valid, ENCRYPTION_KEYS: "no-version" }, "ENCRYPTION_KEYS"],
    [{ ...valid, JOB_RUNNER: "cron" }, "JOB_RUNNER"],
    [{ ...valid, DATABASE_URL: "postgres://localhost/ferry" }, "DATABASE_URL"],
    [{ ...valid, NEXTAUTH_URL: "localhost" }, "NEXTAUTH_URL"],
    [{ ...valid, TRUSTED_PROXY_COUNT: "-1" }, "TRUSTED_PROXY_COUNT"],
    [{ ...valid, TRUSTED_PROXY_COUNT: "one" }, "TRUSTED_PROXY_COUNT"],
    [{ ...valid, TRUSTED_PROXY_COUNT: "1.5" }, "TRUSTED_PROXY_COUNT"],
  ])("stops with a message naming the bad variable (%#)", (source, variable) => {
    expect(() => parseEnvironment(source)).toThrow(EnvironmentError);
    expect(() => parseEnvironment(source)).toThrow(new RegExp(`- ${variable} `));
  });

  it("never repeats a secret value in its error", () => {
    const secretish = `1:${"A".repeat(10)}`;
    try {
      parseEnvironment({ ...valid, ENCRYPTION_KEYS: secretish });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain("A".repeat(10));
    }
  });
});
