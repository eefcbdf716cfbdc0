// Sign-in rate limits (issue 15, hole 1): per client address (from the connection, not from a
// header the client writes), per account, counted atomically, and every lock ends on time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECTION_ADDRESS_HEADER, clientAddress } from "@/lib/auth/client-address";
import { GENERIC_SIGN_IN_ERROR, SIGN_IN_LIMIT_PER_ACCOUNT, SIGN_IN_LIMIT_PER_ADDRESS, signInWithPassword } from "@/lib/auth/credentials-sign-in";
import { hashPassword } from "@/lib/auth/password";
import type { Database } from "@/lib/db";
import { createTestDatabase } from "../helpers/database";

const PASSWORD = "the right password";
const WRONG = "a wrong password";
const T0 = new Date("2026-12-07T12:00:00Z");
const minutesAfter = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let database: Database;
let cleanup: () => Promise<void>;
let sequence = 0;

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
});
afterAll(async () => {
  await cleanup();
});

/** Accounts with a cheap hash (cost 4): these tests count password checks, not bcrypt time. */
async function accounts(count: number): Promise<string[]> {
  const passwordHash = await hashPassword(PASSWORD, 4);
  const emails = Array.from({ length: count }, () => `person${(sequence += 1)}@example.com`);
  await database.user.createMany({ data: emails.map((email) => ({ email, name: email, passwordHash })) });
  return emails;
}

/** What the server stamps from the socket, plus whatever X-Forwarded-For the client chose to send. */
function requestFrom(connectionAddress: string, forwardedFor?: string) {
  return { [CONNECTION_ADDRESS_HEADER]: connectionAddress, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) };
}

const evaluated = (outcomes: { ok: boolean; error?: string }[]) => outcomes.filter((outcome) => outcome.ok || outcome.error === GENERIC_SIGN_IN_ERROR).length;
const refused = (outcomes: { ok: boolean; error?: string }[]) =>
  outcomes.filter((outcome) => !outcome.ok && /^Too many sign-in attempts\. Try again in \d+ minutes?\.$/.test(outcome.error ?? "")).length;

describe("sign-in throttle", () => {
  it("ignores a rotating X-Forwarded-For: one connection gets the per-address limit, then even a right password waits", async () => {
    const emails = await accounts(SIGN_IN_LIMIT_PER_ADDRESS.attempts + 10);
    const outcomes = [];
    for (const [index, email] of emails.entries()) {
      const address = clientAddress(requestFrom("198.51.100.20", `10.9.${index}.1`), 0);
      outcomes.push(await signInWithPassword(database, { email, password: WRONG }, address, T0));
    }
    expect(evaluated(outcomes)).toBe(SIGN_IN_LIMIT_PER_ADDRESS.attempts);
    expect(refused(outcomes)).toBe(10);

    const [fresh] = await accounts(1);
    expect(
      await signInWithPassword(database, { email: fresh, password: PASSWORD }, clientAddress(requestFrom("198.51.100.20", "10.77.0.1"), 0), T0),
    ).toMatchObject({ ok: false });
    // Nobody else is locked out by it.
    expect(
      await signInWithPassword(database, { email: fresh, password: PASSWORD }, clientAddress(requestFrom("198.51.100.21", "198.51.100.20"), 0), T0),
    ).toMatchObject({ ok: true });
  });

  it("limits guesses at one account from any number of addresses, and the lock ends on time however often it is tried", async () => {
    const [email] = await accounts(1);
    const outcomes = [];
    for (let index = 0; index < 12; index += 1) {
      outcomes.push(await signInWithPassword(database, { email, password: WRONG }, `203.0.113.${index}`, T0));
    }
    expect(evaluated(outcomes)).toBe(SIGN_IN_LIMIT_PER_ACCOUNT.attempts);
    expect(await signInWithPassword(database, { email, password: PASSWORD }, "203.0.113.100", minutesAfter(1))).toMatchObject({
      ok: false,
      error: "Too many sign-in attempts. Try again in 14 minutes.",
    });
    // Tries during the lock do not extend it.
    for (let minute = 2; minute < 15; minute += 1)
      await signInWithPassword(database, { email: email.toUpperCase(), password: WRONG }, "203.0.113.101", minutesAfter(minute));
    expect(await signInWithPassword(database, { email, password: PASSWORD }, "203.0.113.102", minutesAfter(15.1))).toMatchObject({ ok: true });
  });

  it("counts atomically: of 20 parallel guesses at one account, exactly the limit are evaluated", async () => {
    const [email] = await accounts(1);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => signInWithPassword(database, { email, password: WRONG }, "192.0.2.50", T0)));
    expect(evaluated(outcomes)).toBe(SIGN_IN_LIMIT_PER_ACCOUNT.attempts);
    expect(refused(outcomes)).toBe(20 - SIGN_IN_LIMIT_PER_ACCOUNT.attempts);
  });

  it("counts atomically per address too: 30 parallel guesses at 30 accounts from one address evaluate exactly the address limit", async () => {
    const emails = await accounts(30);
    const outcomes = await Promise.all(emails.map((email) => signInWithPassword(database, { email, password: WRONG }, "192.0.2.60", T0)));
    expect(evaluated(outcomes)).toBe(SIGN_IN_LIMIT_PER_ADDRESS.attempts);
  });

  it("does not count successful sign-ins against the address", async () => {
    const [email] = await accounts(1);
    for (let index = 0; index < SIGN_IN_LIMIT_PER_ADDRESS.attempts + 5; index += 1) {
      expect(await signInWithPassword(database, { email, password: PASSWORD }, "192.0.2.70", T0)).toMatchObject({ ok: true });
    }
  });
});
