"use server";

// Members, invites and roles: lib/team.ts and lib/custom-roles.ts parse every argument with zod,
// check the members permission and record the change in the audit log.
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { mailEnvironment } from "@/lib/env";
import { queueInvitationMail } from "@/lib/notifications/invitations";
import { wakeNotificationWorker } from "@/lib/notifications/worker";
import { runAction, type ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/session";
import { changeRole, createInvite, removeMember, revokeInvite } from "@/lib/team";
import { createCustomRole, deleteCustomRole, updateCustomRole } from "@/lib/custom-roles";
import { actionText } from "@/lib/i18n/action-text";

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
  return runAction(
    async () => {
      await revokeInvite(db(), await requireOrgContext(), inviteId);
      revalidatePath("/team");
    },
    await actionText("inviteWithdrawn"),
  );
}

export async function changeRoleAction(membershipId: string, role: string): Promise<ActionResult> {
  return runAction(
    async () => {
      await changeRole(db(), await requireOrgContext(), membershipId, role);
      revalidatePath("/team");
    },
    await actionText("roleChanged"),
  );
}

export async function removeMemberAction(membershipId: string): Promise<ActionResult> {
  return runAction(
    async () => {
      await removeMember(db(), await requireOrgContext(), membershipId);
      revalidatePath("/team");
    },
    await actionText("memberRemoved"),
  );
}

export async function createRoleAction(input: { name: string; permissions: string[] }): Promise<ActionResult<{ id: string }>> {
  return runAction(
    async () => {
      const created = await createCustomRole(db(), await requireOrgContext(), input);
      revalidatePath("/team");
      return created;
    },
    await actionText("roleDefined"),
  );
}

export async function updateRoleAction(roleId: string, input: { name: string; permissions: string[] }): Promise<ActionResult> {
  return runAction(
    async () => {
      await updateCustomRole(db(), await requireOrgContext(), roleId, input);
      revalidatePath("/team");
    },
    await actionText("roleChanged"),
  );
}

export async function deleteRoleAction(roleId: string): Promise<ActionResult> {
  return runAction(
    async () => {
      await deleteCustomRole(db(), await requireOrgContext(), roleId);
      revalidatePath("/team");
    },
    await actionText("roleDeleted"),
  );
}
