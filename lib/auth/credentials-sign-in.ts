import { z } from "zod";
import type { Database } from "../db";
import { verifyPasswordOrDummy } from "./password";
import { clearAttempts, giveBackAttempt, retryAfterText, takeAttempt, type AttemptLimit } from "./throttle";

export const GENERIC_SIGN_IN_ERROR = "That email and password do not match an account.";

const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Sign-ins per client address: enough for a team behind one NAT, too few to try many accounts. */
export const SIGN_IN_LIMIT_PER_ADDRESS: AttemptLimit = { attempts: 20, windowMs: SIGN_IN_WINDOW_MS };
/** Failed sign-ins per account (the email typed, known or not), from any number of addresses. */
export const SIGN_IN_LIMIT_PER_ACCOUNT: AttemptLimit = { attempts: 5, windowMs: SIGN_IN_WINDOW_MS };

export const signInInputSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(200),
});

export type SignInOutcome = { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } } | { ok: false; error: string };

function accountKey(input: unknown): string {
  const email = (input as { email?: unknown } | null)?.email;
  return `sign-in:account:${typeof email === "string" ? email.trim().toLowerCase().slice(0, 320) : ""}`;
}

/**
 * Checks an email and password; one generic message for every failure. Each attempt counts
 * against the client's address and the account before the password is checked, so parallel
 * guesses get exactly the limit; a success gives the address its attempt back.
 */
export async function signInWithPassword(database: Database, input: unknown, clientAddress: string, now = new Date()): Promise<SignInOutcome> {
  const addressKey = `sign-in:address:${clientAddress}`;
  const byAddress = await takeAttempt(database, addressKey, SIGN_IN_LIMIT_PER_ADDRESS, now);
  if (!byAddress.allowed) return { ok: false, error: `Too many sign-in attempts. Try again in ${retryAfterText(byAddress.retryAfterSeconds)}.` };
  const byAccount = await takeAttempt(database, accountKey(input), SIGN_IN_LIMIT_PER_ACCOUNT, now);
  if (!byAccount.allowed) {
    await giveBackAttempt(database, addressKey);
    return { ok: false, error: `Too many sign-in attempts. Try again in ${retryAfterText(byAccount.retryAfterSeconds)}.` };
  }

  const parsed = signInInputSchema.safeParse(input);
  const user = parsed.success
    ? await database.user.findUnique({
        where: { email: parsed.data.email },
        select: { id: true, email: true, name: true, passwordHash: true, sessionVersion: true },
      })
    : null;
  const matches = await verifyPasswordOrDummy(parsed.success ? parsed.data.password : "", user?.passwordHash ?? null);
  if (!user || !matches) return { ok: false, error: GENERIC_SIGN_IN_ERROR };
  await Promise.all([giveBackAttempt(database, addressKey), clearAttempts(database, accountKey(input))]);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
}
