import { z } from "zod";
import type { Database } from "../db";
import { verifyPasswordOrDummy } from "./password";
import { clearFailures, recordFailure, secondsUntilAllowed } from "./throttle";

export const GENERIC_SIGN_IN_ERROR = "That email and password do not match an account.";

export const signInInputSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(200),
});

export type SignInOutcome =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; error: string };

/** Checks an email and password; one generic message for every failure, and a slowdown per address. */
export async function signInWithPassword(database: Database, input: unknown, clientAddress: string): Promise<SignInOutcome> {
  const throttleKey = `ip:${clientAddress}`;
  const waitSeconds = await secondsUntilAllowed(database, throttleKey);
  if (waitSeconds > 0) return { ok: false, error: `Too many failed attempts. Try again in ${waitSeconds} seconds.` };

  const parsed = signInInputSchema.safeParse(input);
  const user = parsed.success
    ? await database.user.findUnique({ where: { email: parsed.data.email }, select: { id: true, email: true, name: true, passwordHash: true } })
    : null;
  const matches = await verifyPasswordOrDummy(parsed.success ? parsed.data.password : "", user?.passwordHash ?? null);
  if (!user || !matches) {
    await recordFailure(database, throttleKey);
    return { ok: false, error: GENERIC_SIGN_IN_ERROR };
  }
  await clearFailures(database, throttleKey);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
