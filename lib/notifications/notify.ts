// Delivers one notification to the members of an organization, each by the channels they chose:
// a Notification row for the bell and/or a queued mail, written with the caller's transaction.
import type { Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { chooseLocale, type Locale } from "@/lib/i18n/locale";
import type { NotificationKind } from "./kinds";
import { absoluteUrl, NOTIFICATION_SETTINGS_PATH } from "./links";
import { notificationMailText, type Message } from "./messages";
import { queueMails } from "./outbox";
import { preferencesOf } from "./preferences";

type Writer = Pick<Database, "membership" | "notification" | "notificationPreference" | "outgoingMail"> | Prisma.TransactionClient;

/** `message` is written for each recipient in their language (their saved locale, else English). */
export type OrganizationNotice = { organizationId: string; kind: NotificationKind; message: (locale: Locale) => Message; link: string; runId?: string };

/** How many users got it in the app and by mail. */
export async function notifyOrganization(database: Writer, notice: OrganizationNotice): Promise<{ inApp: number; email: number }> {
  const members = await database.membership.findMany({
    where: { organizationId: notice.organizationId },
    select: { user: { select: { id: true, email: true, locale: true } } },
  });
  const preferences = await preferencesOf(
    database,
    members.map((member) => member.user.id),
  );
  const inApp = members.filter((member) => preferences.get(member.user.id)?.[notice.kind].inApp);
  const email = members.filter((member) => preferences.get(member.user.id)?.[notice.kind].email);
  const localeOf = (member: (typeof members)[number]) => chooseLocale({ userLocale: member.user.locale });
  if (inApp.length > 0) {
    await database.notification.createMany({
      data: inApp.map((member) => {
        const message = notice.message(localeOf(member));
        return { userId: member.user.id, kind: notice.kind, title: message.title, body: message.body, link: notice.link, runId: notice.runId ?? null };
      }),
    });
  }
  await queueMails(
    database,
    email.map((member) => {
      const locale = localeOf(member);
      const message = notice.message(locale);
      const text = notificationMailText(message, absoluteUrl(notice.link), absoluteUrl(NOTIFICATION_SETTINGS_PATH), locale);
      return { kind: notice.kind, to: member.user.email, subject: message.title, text };
    }),
  );
  return { inApp: inApp.length, email: email.length };
}
