// Sign-up from the web: limited per client address, since each one costs a bcrypt hash and
// could otherwise be used to probe which emails have accounts.
import type { Database } from "../db";
import { UserFacingError } from "../errors";
import { signUp, signUpSchema } from "../team";
import { retryAfterText, takeAttempt } from "./throttle";

export { GENERIC_SIGN_UP_ERROR } from "../team";

const SIGN_UP_WINDOW_MS = 60 * 60_000;

/** signUp, counted against the client's address (SIGN_UP_LIMIT_PER_HOUR); input refused by its own checks costs nothing. */
export async function signUpFromAddress(database: Database, input: unknown, clientAddress: string, attemptsPerHour: number, now = new Date()) {
  signUpSchema.parse(input);
  const verdict = await takeAttempt(database, `sign-up:address:${clientAddress}`, { attempts: attemptsPerHour, windowMs: SIGN_UP_WINDOW_MS }, now);
  if (!verdict.allowed) throw new UserFacingError(`Too many sign-ups from your network. Try again in ${retryAfterText(verdict.retryAfterSeconds)}.`);
  return signUp(database, input);
}
