"use server";

import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { mailEnvironment } from "@/lib/env";
import { queueInvitationMail } from "@/lib/notifications/invitations";
import { wakeNotificationWorker } from "@/lib/notifications/worker";
import { runAction, type ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/session";
import { changeRole, createInvite, removeMember, revokeInvite } from "@/lib/team";

/** The invite is mailed to the invitee; without SMTP (mails stay in the outbox) the admin also gets the link to pass on. */
export async function createInviteAction(input: { email: string; role: string }): Promise<ActionResult<{ link: string | null; mailedTo: string }>> {
  return runAction(async () => {
    const { token, inviteId } = await createInvite(db(), await requireOrgContext(), input);
    const { to, link } = await queueInvitationMail(db(), inviteId, token);
    wakeNotificationWorker();
    revalidatePath("/team");
    return { link: mailEnvironment().SMTP_URL ? null : link, mailedTo: to };
  });
}

export async function revokeInviteAction(inviteId: string): Promise<ActionResult> {
  return runAction(async () => {
    await revokeInvite(db(), await requireOrgContext(), inviteId);
    revalidatePath("/team");
  }, "Invite withdrawn.");
}

export async function changeRoleAction(membershipId: string, role: string): Promise<ActionResult> {
  return runAction(async () => {
    await changeRole(db(), await requireOrgContext(), membershipId, role);
    revalidatePath("/team");
  }, "Role changed.");
}

export async function removeMemberAction(membershipId: string): Promise<ActionResult> {
  return runAction(async () => {
    await removeMember(db(), await requireOrgContext(), membershipId);
    revalidatePath("/team");
  }, "Member removed.");
}
