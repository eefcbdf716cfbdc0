// Delivers one notification to the members of an organization, each by the channels they chose:
// a Notification row for the bell and/or a queued mail, written with the caller's transaction.
import type { Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { NotificationKind } from "./kinds";
import { absoluteUrl, NOTIFICATION_SETTINGS_PATH } from "./links";
import { notificationMailText, type Message } from "./messages";
import { queueMails } from "./outbox";
import { preferencesOf } from "./preferences";

type Writer = Pick<Database, "membership" | "notification" | "notificationPreference" | "outgoingMail"> | Prisma.TransactionClient;

export type OrganizationNotice = { organizationId: string; kind: NotificationKind; message: Message; link: string; runId?: string };

/** How many users got it in the app and by mail. */
export async function notifyOrganization(database: Writer, notice: OrganizationNotice): Promise<{ inApp: number; email: number }> {
  const members = await database.membership.findMany({
    where: { organizationId: notice.organizationId },
    select: { user: { select: { id: true, email: true } } },
  });
  const preferences = await preferencesOf(
    database,
    members.map((member) => member.user.id),
  );
  const inApp = members.filter((member) => preferences.get(member.user.id)?.[notice.kind].inApp);
  const email = members.filter((member) => preferences.get(member.user.id)?.[notice.kind].email);
  if (inApp.length > 0) {
    await database.notification.createMany({
      data: inApp.map((member) => ({
        userId: member.user.id,
        kind: notice.kind,
        title: notice.message.title,
        body: notice.message.body,
        link: notice.link,
        runId: notice.runId ?? null,
      })),
    });
  }
  const text = notificationMailText(notice.message, absoluteUrl(notice.link), absoluteUrl(NOTIFICATION_SETTINGS_PATH));
  await queueMails(
    database,
    email.map((member) => ({ kind: notice.kind, to: member.user.email, subject: notice.message.title, text })),
  );
  return { inApp: inApp.length, email: email.length };
}
