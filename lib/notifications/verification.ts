// E-mail address confirmation. The link carries a signed token (HMAC-SHA256 with NEXTAUTH_SECRET)
// naming the user, the address and an expiry: nothing to store, and a link for an address the
// account no longer has stops working. A confirmed address is needed to accept an invitation.
import crypto from "node:crypto";
import type { Database } from "@/lib/db";
import { env } from "@/lib/env";
import { UserFacingError } from "@/lib/errors";
import { absoluteUrl } from "./links";
import { chooseLocale } from "@/lib/i18n/locale";
import { verificationMail } from "./messages";
import { queueMails } from "./outbox";

export const VERIFICATION_LIFETIME_MS = 3 * 24 * 60 * 60 * 1000;
export const VERIFY_PATH = "/verify-email";
/** One confirmation mail per address per minute: the address is not proven yet, it may be someone else's. */
export const RESEND_INTERVAL_MS = 60_000;

const MESSAGES = {
  invalid: "This confirmation link is not valid, or it was for an address your account no longer has. Sign in and send a new one from the banner at the top.",
  expired: "This confirmation link has expired. Sign in and send a new one from the banner at the top.",
  alreadyVerified: "Your e-mail address is already confirmed.",
  tooSoon: "A link was sent less than a minute ago. Check your inbox (and spam folder), then try again in a minute.",
};

function signature(secret: string, payload: string): string {
  return crypto.createHmac("sha256", secret).update(`email-verification:${payload}`).digest("base64url");
}

export function verificationToken(user: { id: string; email: string }, expiresAt: Date, secret = env().NEXTAUTH_SECRET): string {
  const payload = `${user.id}.${expiresAt.getTime()}`;
  return `${payload}.${signature(secret, `${payload}.${user.email}`)}`;
}

/** Queues the confirmation mail for the user's current address; refused when it is already confirmed. */
export async function queueVerificationMail(database: Database, userId: string, now = new Date(), secret = env().NEXTAUTH_SECRET): Promise<{ email: string }> {
  const user = await database.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, emailVerifiedAt: true, locale: true } });
  if (!user) throw new UserFacingError("Your account was not found. Sign in again.");
  if (user.emailVerifiedAt) throw new UserFacingError(MESSAGES.alreadyVerified);
  const recent = await database.outgoingMail.count({
    where: { kind: "email_verification", to: user.email, createdAt: { gt: new Date(now.getTime() - RESEND_INTERVAL_MS) } },
  });
  if (recent > 0) throw new UserFacingError(MESSAGES.tooSoon);
  const expiresAt = new Date(now.getTime() + VERIFICATION_LIFETIME_MS);
  const link = absoluteUrl(`${VERIFY_PATH}?token=${encodeURIComponent(verificationToken(user, expiresAt, secret))}`);
  const mail = verificationMail(user.name, link, expiresAt, chooseLocale({ userLocale: user.locale }));
  await queueMails(database, [{ kind: "email_verification", to: user.email, subject: mail.title, text: mail.body }], now);
  return { email: user.email };
}

/** Confirms the address the token names; idempotent for an address already confirmed. */
export async function confirmEmail(database: Database, token: unknown, now = new Date(), secret = env().NEXTAUTH_SECRET): Promise<{ email: string }> {
  const match = typeof token === "string" ? /^([A-Za-z0-9_-]{1,64})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
  if (!match) throw new UserFacingError(MESSAGES.invalid);
  const [, userId, expiresMs] = match;
  const user = await database.user.findUnique({ where: { id: userId }, select: { id: true, email: true, emailVerifiedAt: true } });
  if (!user) throw new UserFacingError(MESSAGES.invalid);
  const expected = Buffer.from(signature(secret, `${userId}.${expiresMs}.${user.email}`));
  const given = Buffer.from(match[3]);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) throw new UserFacingError(MESSAGES.invalid);
  if (Number(expiresMs) <= now.getTime()) throw new UserFacingError(MESSAGES.expired);
  if (!user.emailVerifiedAt) await database.user.updateMany({ where: { id: user.id, emailVerifiedAt: null }, data: { emailVerifiedAt: now } });
  return { email: user.email };
}
