"use server";

import { cookies } from "next/headers";
import { db } from "@/lib/db";
import { runAction, type ActionResult } from "@/lib/action-result";
import { CURRENT_ORGANIZATION_COOKIE, currentUserId } from "@/lib/auth/session";
import { acceptInvite, signUp } from "@/lib/team";
import { UserFacingError } from "@/lib/errors";
import { z } from "zod";

const formSchema = z.record(z.string(), z.string());
const inviteTokenSchema = z.string({ error: "This invite link is not valid." }).trim().min(10, "This invite link is not valid.").max(200);

async function rememberOrganization(organizationId: string) {
  (await cookies()).set(CURRENT_ORGANIZATION_COOKIE, organizationId, { httpOnly: true, sameSite: "lax", path: "/" });
}

export async function signUpAction(input: Record<string, string>): Promise<ActionResult> {
  return runAction(async () => {
    const form = formSchema.parse(input);
    const { organizationId } = await signUp(db(), {
      ...form,
      organizationName: form.organizationName || undefined,
      inviteToken: form.inviteToken || undefined,
    });
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
