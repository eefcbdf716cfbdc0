import { describe, expect, it } from "vitest";
import { EnvironmentError, parseEnvironment } from "@/lib/env";
import { generateKey } from "@/lib/crypto";

const valid = { NEXTAUTH_SECRET: "x".repeat(40), ENCRYPTION_KEYS: `1:${generateKey()}`, DATABASE_URL: "postgres://ferry:secret@127.0.0.1:5433/ferry" };

describe("parseEnvironment", () => {
  it("connects to DATABASE_URL and defaults to the embedded runner", () => {
    const environment = parseEnvironment(valid);
    expect(environment.database).toEqual({ url: "postgres://ferry:secret@127.0.0.1:5433/ferry" });
    expect(environment.jobRunner).toBe("embedded");
    expect(environment.NEXTAUTH_URL).toBe("http://localhost:3000");
  });

  it("chooses Inngest when its keys are set, unless told otherwise", () => {
    expect(parseEnvironment({ ...valid, INNGEST_SIGNING_KEY: "signkey-prod-1", INNGEST_EVENT_KEY: "e" }).jobRunner).toBe("inngest");
    expect(parseEnvironment({ ...valid, INNGEST_SIGNING_KEY: "signkey-prod-1", JOB_RUNNER: "embedded" }).jobRunner).toBe("embedded");
  });

  it("accepts a managed PostgreSQL URL with TLS settings", () => {
    const url = "postgresql://app:pw@db.example.com:5432/ferry?sslmode=require";
    expect(parseEnvironment({ ...valid, DATABASE_URL: ` ${url} ` }).database).toEqual({ url });
  });

  it.each([
    [{ ...valid, NEXTAUTH_SECRET: undefined }, "NEXTAUTH_SECRET"],
    [{ ...valid, NEXTAUTH_SECRET: "short" }, "NEXTAUTH_SECRET"],
    [{ ...valid, ENCRYPTION_KEYS: "1:dG9vLXNob3J0" }, "ENCRYPTION_KEYS"],
    [{ ...valid, ENCRYPTION_KEYS: "no-version" }, "ENCRYPTION_KEYS"],
    [{ ...valid, JOB_RUNNER: "cron" }, "JOB_RUNNER"],
    [{ ...valid, DATABASE_URL: "file:.data/ferry.db" }, "DATABASE_URL"],
    [{ ...valid, DATABASE_URL: undefined }, "DATABASE_URL"],
    [{ ...valid, NEXTAUTH_URL: "localhost" }, "NEXTAUTH_URL"],
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
