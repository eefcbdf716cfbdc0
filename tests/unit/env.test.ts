import { describe, expect, it } from "vitest";
import { EnvironmentError, mailEnvironment, parseEnvironment } from "@/lib/env";
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

  it("links to the port Ferry serves on when NEXTAUTH_URL is not set", () => {
    expect(parseEnvironment(valid).NEXTAUTH_URL).toBe("http://localhost:3000");
    expect(parseEnvironment({ ...valid, PORT: "3400" }).NEXTAUTH_URL).toBe("http://localhost:3400");
    expect(parseEnvironment({ ...valid, PORT: "3400", NEXTAUTH_URL: "https://ferry.example.com" }).NEXTAUTH_URL).toBe("https://ferry.example.com");
  });

  it("trusts no proxy's X-Forwarded-For unless told how many proxies stand in front", () => {
    expect(parseEnvironment(valid).TRUSTED_PROXY_COUNT).toBe(0);
    expect(parseEnvironment({ ...valid, TRUSTED_PROXY_COUNT: "2" }).TRUSTED_PROXY_COUNT).toBe(2);
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

describe("mail settings", () => {
  it("sends to the outbox without SMTP_URL, from a local address, and calls a run stalled after 15 minutes", () => {
    const environment = parseEnvironment(valid);
    expect(environment.SMTP_URL).toBeUndefined();
    expect(environment.MAIL_FROM).toBe("Ferry <ferry@localhost>");
    expect(environment.RUN_STALL_MINUTES).toBe(15);
    expect(parseEnvironment({ ...valid, SMTP_URL: "" }).SMTP_URL).toBeUndefined();
  });

  it("reads an SMTP URL, a from-address and a stall time", () => {
    const environment = parseEnvironment({
      ...valid,
      SMTP_URL: "smtps://user:p%40ss@smtp.example.com:465",
      MAIL_FROM: "Ferry <ferry@example.com>",
      RUN_STALL_MINUTES: "30",
    });
    expect(environment).toMatchObject({ SMTP_URL: "smtps://user:p%40ss@smtp.example.com:465", MAIL_FROM: "Ferry <ferry@example.com>", RUN_STALL_MINUTES: 30 });
  });

  it("names each bad mail setting without repeating the URL's password", () => {
    const bad = { ...valid, SMTP_URL: "http://user:secretpassword@smtp.example.com", MAIL_FROM: "not an address", RUN_STALL_MINUTES: "0" };
    expect(() => parseEnvironment(bad)).toThrow(EnvironmentError);
    try {
      parseEnvironment(bad);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("SMTP_URL must look like smtp://user:password@host:587");
      expect(message).toContain("MAIL_FROM must be an address such as ferry@example.com");
      expect(message).toContain("RUN_STALL_MINUTES must be at least 1");
      expect(message).not.toContain("secretpassword");
    }
  });

  it("parses on their own, without the auth secrets (the run hook reads them in every process)", () => {
    expect(mailEnvironment({ SMTP_URL: "smtp://mail.example.com:587" })).toMatchObject({
      SMTP_URL: "smtp://mail.example.com:587",
      NEXTAUTH_URL: "http://localhost:3000",
    });
    expect(() => mailEnvironment({ SMTP_URL: "mail.example.com" })).toThrow(EnvironmentError);
  });
});
