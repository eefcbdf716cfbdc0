"use server";

import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { runAction, type ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/session";
import { changeRole, createInvite, removeMember, revokeInvite } from "@/lib/team";

export async function createInviteAction(input: { email: string; role: string }): Promise<ActionResult<{ link: string }>> {
  return runAction(async () => {
    const { token } = await createInvite(db(), await requireOrgContext(), input);
    revalidatePath("/team");
    return { link: `${env().NEXTAUTH_URL.replace(/\/$/, "")}/invite/${token}` };
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
