"use server";

import { cookies } from "next/headers";
import { db } from "@/lib/db";
import { runAction, type ActionResult } from "@/lib/action-result";
import { CURRENT_ORGANIZATION_COOKIE, currentUserId } from "@/lib/auth/session";
import { acceptInvite, signUp } from "@/lib/team";
import { UserFacingError } from "@/lib/errors";
import { queueVerificationMail } from "@/lib/notifications/verification";
import { wakeNotificationWorker } from "@/lib/notifications/worker";

async function rememberOrganization(organizationId: string) {
  (await cookies()).set(CURRENT_ORGANIZATION_COOKIE, organizationId, { httpOnly: true, sameSite: "lax", path: "/" });
}

export async function signUpAction(input: Record<string, string>): Promise<ActionResult> {
  return runAction(async () => {
    const { userId, organizationId } = await signUp(db(), {
      ...input,
      organizationName: input.organizationName || undefined,
      inviteToken: input.inviteToken || undefined,
    });
    // A sign-up through an invite link is confirmed already (the link came by mail to that address).
    const { emailVerifiedAt } = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { emailVerifiedAt: true } });
    if (!emailVerifiedAt) {
      await queueVerificationMail(db(), userId);
      wakeNotificationWorker();
    }
    await rememberOrganization(organizationId);
  });
}

export async function acceptInviteAction(token: string): Promise<ActionResult> {
  return runAction(async () => {
    const userId = await currentUserId();
    if (!userId) throw new UserFacingError("Sign in first, then open the invite link again.");
    const { organizationId } = await acceptInvite(db(), userId, token);
    await rememberOrganization(organizationId);
  });
}
