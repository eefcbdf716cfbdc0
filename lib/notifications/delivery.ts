// Delivers queued mails: through SMTP when SMTP_URL is set, else into the outbox (the row stays,
// marked "outbox", and the outbox page shows it as it would have been sent). An SMTP failure keeps
// the mail queued and retries with growing waits, without end: a mail is never dropped.
import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import type { Database } from "@/lib/db";
import { mailEnvironment } from "@/lib/env";

export const DELIVERY_BATCH = 20;
/** A claimed mail is not claimed again for this long (another process may be sending it). */
export const CLAIM_MS = 60_000;
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 60 * 60_000;

/** Sends one mail; nodemailer's transport in production, anything with sendMail in tests. */
export type MailSender = Pick<Transporter, "sendMail">;

export type DeliveryOptions = {
  /** null: no SMTP, mails go to the outbox. */
  sender: MailSender | null;
  from: string;
  now?: () => Date;
};

export type DeliveryReport = { sent: number; outbox: number; failed: number };

/** The sender SMTP_URL describes, or null without one (nodemailer reads the URL's host, port, user, password and TLS). */
export function senderFromEnvironment(): { sender: MailSender | null; from: string } {
  const settings = mailEnvironment();
  return { sender: settings.SMTP_URL ? nodemailer.createTransport(settings.SMTP_URL) : null, from: settings.MAIL_FROM };
}

/** The wait before attempt n+1 after n failures: 30 s, 1 min, 2 min, … up to an hour. */
export function retryDelayMs(failures: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
}

export async function deliverDueMails(database: Database, options: DeliveryOptions): Promise<DeliveryReport> {
  const now = options.now ?? (() => new Date());
  const report: DeliveryReport = { sent: 0, outbox: 0, failed: 0 };
  const due = await database.outgoingMail.findMany({
    where: { status: "queued", nextAttemptAt: { lte: now() } },
    orderBy: { nextAttemptAt: "asc" },
    take: DELIVERY_BATCH,
    select: { id: true, to: true, subject: true, text: true, attempts: true, nextAttemptAt: true },
  });
  for (const mail of due) {
    // The claim is a conditional update: of two processes seeing the same mail, one sends it.
    const claimed = await database.outgoingMail.updateMany({
      where: { id: mail.id, status: "queued", nextAttemptAt: mail.nextAttemptAt },
      data: { nextAttemptAt: new Date(now().getTime() + CLAIM_MS) },
    });
    if (claimed.count !== 1) continue;
    report[await deliverOne(database, mail, options, now)] += 1;
  }
  return report;
}

type QueuedMail = { id: string; to: string; subject: string; text: string; attempts: number };

async function deliverOne(database: Database, mail: QueuedMail, options: DeliveryOptions, now: () => Date): Promise<keyof DeliveryReport> {
  if (!options.sender) {
    await database.outgoingMail.update({ where: { id: mail.id }, data: { status: "outbox", deliveredAt: now() } });
    return "outbox";
  }
  try {
    await options.sender.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
    await database.outgoingMail.update({ where: { id: mail.id }, data: { status: "sent", attempts: mail.attempts + 1, deliveredAt: now(), lastError: null } });
    return "sent";
  } catch (error) {
    const attempts = mail.attempts + 1;
    await database.outgoingMail.update({
      where: { id: mail.id },
      data: {
        attempts,
        nextAttemptAt: new Date(now().getTime() + retryDelayMs(attempts)),
        lastError: error instanceof Error ? error.message.slice(0, 500) : String(error),
      },
    });
    return "failed";
  }
}
