// The invitation mail (the team guide's "send the invitation by e-mail"): the invite link goes to
// the invited address. Without SMTP the mail waits in the outbox and the admin is shown the link too.
import type { Database } from "@/lib/db";
import { absoluteUrl } from "./links";
import { chooseLocale } from "@/lib/i18n/locale";
import { invitationMail } from "./messages";
import { queueMails } from "./outbox";

export function invitePath(token: string): string {
  return `/invite/${token}`;
}

export async function queueInvitationMail(database: Database, inviteId: string, token: string): Promise<{ to: string; link: string }> {
  const invite = await database.invite.findUniqueOrThrow({
    where: { id: inviteId },
    select: { email: true, role: true, expiresAt: true, organization: { select: { name: true } }, createdBy: { select: { name: true, locale: true } } },
  });
  const link = absoluteUrl(invitePath(token));
  const mail = invitationMail(
    {
      organizationName: invite.organization.name,
      inviterName: invite.createdBy.name,
      role: invite.role,
      link,
      expiresAt: invite.expiresAt,
    },
    // The invitee may have no account yet: the mail speaks the inviter's language.
    chooseLocale({ userLocale: invite.createdBy.locale }),
  );
  await queueMails(database, [{ kind: "invitation", to: invite.email, subject: mail.title, text: mail.body }]);
  return { to: invite.email, link };
}
