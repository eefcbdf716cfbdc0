// Sign-up (issue 15, hole 7): limited per client address (each costs a bcrypt hash), and a taken
// email gets the answer any refused sign-up gets, so sign-up does not tell who has an account.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERIC_SIGN_UP_ERROR, signUpFromAddress } from "@/lib/auth/sign-up";
import type { Database } from "@/lib/db";
import { signUp } from "@/lib/team";
import { createTestDatabase } from "../helpers/database";

const LIMIT_PER_HOUR = 3;
const T0 = new Date("2026-12-07T12:00:00Z");

let database: Database;
let cleanup: () => Promise<void>;
let sequence = 0;

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
});
afterAll(async () => {
  await cleanup();
});

function person(email = `newcomer${(sequence += 1)}@example.com`) {
  return { name: "New Comer", email, password: "long enough password", organizationName: "Newcomers" };
}

describe("sign-up", () => {
  it("answers a taken email like any refused sign-up, without saying an account exists", async () => {
    await signUp(database, person("taken@example.com"));
    const before = await database.user.count();
    const refusal = signUp(database, { ...person("TAKEN@example.com"), name: "Someone Else" });
    await expect(refusal).rejects.toThrow(GENERIC_SIGN_UP_ERROR);
    await expect(refusal).rejects.not.toThrow(/exist|already|taken/i);
    await expect(refusal).rejects.toMatchObject({ field: undefined });
    expect(await database.user.count()).toBe(before);
  });

  it("limits sign-ups per client address within an hour, creating nothing once refused", async () => {
    for (let index = 0; index < LIMIT_PER_HOUR; index += 1) await signUpFromAddress(database, person(), "198.51.100.40", LIMIT_PER_HOUR, T0);
    const before = await database.user.count();

    await expect(signUpFromAddress(database, person(), "198.51.100.40", LIMIT_PER_HOUR, T0)).rejects.toThrow(
      "Too many sign-ups from your network. Try again in 60 minutes.",
    );
    expect(await database.user.count()).toBe(before);

    await expect(signUpFromAddress(database, person(), "198.51.100.41", LIMIT_PER_HOUR, T0)).resolves.toMatchObject({ userId: expect.any(String) });
    await expect(signUpFromAddress(database, person(), "198.51.100.40", LIMIT_PER_HOUR, new Date(T0.getTime() + 61 * 60_000))).resolves.toMatchObject({
      userId: expect.any(String),
    });
  });

  it("counts parallel sign-ups atomically and does not count input it rejects before hashing", async () => {
    await expect(signUpFromAddress(database, { ...person(), password: "short" }, "198.51.100.50", LIMIT_PER_HOUR, T0)).rejects.toThrow(
      /at least 10 characters/,
    );
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => signUpFromAddress(database, person(), "198.51.100.50", LIMIT_PER_HOUR, T0)));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(LIMIT_PER_HOUR);
  });
});
