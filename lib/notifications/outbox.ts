// The mail queue: every mail is a row first (queued in the caller's transaction when it has one),
// delivered after by delivery.ts. Without SMTP the delivered row stays as the outbox's copy.
import type { Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { MailKind } from "./kinds";

type Writer = Pick<Database, "outgoingMail"> | Prisma.TransactionClient;

export type MailInput = { kind: MailKind; to: string; subject: string; text: string };

export const OUTBOX_PAGE_SIZE = 100;

/** `at`: when they were queued and become due (the clock of the caller; the database's otherwise). */
export async function queueMails(database: Writer, mails: MailInput[], at?: Date): Promise<void> {
  if (mails.length === 0) return;
  await database.outgoingMail.createMany({
    data: mails.map((mail) => ({ kind: mail.kind, to: mail.to, subject: mail.subject, text: mail.text, ...(at ? { createdAt: at, nextAttemptAt: at } : {}) })),
  });
}

/** The newest mails first, for the outbox page (staff only: it holds everyone's links). */
export async function listOutbox(database: Database, limit = OUTBOX_PAGE_SIZE) {
  return database.outgoingMail.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      kind: true,
      to: true,
      subject: true,
      text: true,
      status: true,
      attempts: true,
      lastError: true,
      nextAttemptAt: true,
      createdAt: true,
      deliveredAt: true,
    },
  });
}
