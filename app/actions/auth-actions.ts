"use server";

import { cookies, headers } from "next/headers";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { runAction, type ActionResult } from "@/lib/action-result";
import { clientAddress } from "@/lib/auth/client-address";
import { organizationCookieOptions } from "@/lib/auth/organization-cookie";
import { CURRENT_ORGANIZATION_COOKIE, currentUserId } from "@/lib/auth/session";
import { signUpFromAddress } from "@/lib/auth/sign-up";
import { acceptInvite } from "@/lib/team";
import { UserFacingError } from "@/lib/errors";
import { queueVerificationMail } from "@/lib/notifications/verification";
import { wakeNotificationWorker } from "@/lib/notifications/worker";
import { z } from "zod";

const formSchema = z.record(z.string(), z.string());
const inviteTokenSchema = z.string({ error: "This invite link is not valid." }).trim().min(10, "This invite link is not valid.").max(200);

async function rememberOrganization(organizationId: string) {
  (await cookies()).set(CURRENT_ORGANIZATION_COOKIE, organizationId, organizationCookieOptions());
}

export async function signUpAction(input: Record<string, string>): Promise<ActionResult> {
  return runAction(async () => {
    const form = formSchema.parse(input);
    const address = clientAddress(Object.fromEntries(await headers()), env().TRUSTED_PROXY_COUNT);
    const { userId, organizationId } = await signUpFromAddress(
      db(),
      { ...form, organizationName: form.organizationName || undefined, inviteToken: form.inviteToken || undefined },
      address,
      env().SIGN_UP_LIMIT_PER_HOUR,
    );
    // A sign-up through an invite link is confirmed already (the link came by mail to that address).
    const { emailVerifiedAt } = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { emailVerifiedAt: true } });
    if (!emailVerifiedAt) {
      await queueVerificationMail(db(), userId);
      wakeNotificationWorker();
    }
    await rememberOrganization(organizationId);
  });
}

export async function acceptInviteAction(inviteToken: string): Promise<ActionResult> {
  return runAction(async () => {
    const token = inviteTokenSchema.parse(inviteToken);
    const userId = await currentUserId();
    if (!userId) throw new UserFacingError("Sign in first, then open the invite link again.");
    const { organizationId } = await acceptInvite(db(), userId, token);
    await rememberOrganization(organizationId);
  });
}
