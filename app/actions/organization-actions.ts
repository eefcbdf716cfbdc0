"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { runAction, type ActionResult } from "@/lib/action-result";
import { organizationCookieOptions } from "@/lib/auth/organization-cookie";
import { CURRENT_ORGANIZATION_COOKIE, currentUserId, requireOrgContext } from "@/lib/auth/session";
import { createOrganization, renameOrganization, resolveOrgContext } from "@/lib/team";
import { UserFacingError } from "@/lib/errors";
import { idSchema } from "@/lib/action-input";
import { actionText } from "@/lib/i18n/action-text";

const nameInputSchema = z.object({ name: z.string({ error: "Enter a name." }) });

async function setCurrentOrganization(organizationId: string) {
  (await cookies()).set(CURRENT_ORGANIZATION_COOKIE, organizationId, organizationCookieOptions());
}

export async function switchOrganizationAction(id: string): Promise<ActionResult> {
  return runAction(async () => {
    const organizationId = idSchema.parse(id);
    const userId = await currentUserId();
    if (!userId) throw new UserFacingError("Your session has ended. Sign in again.");
    const context = await resolveOrgContext(db(), userId, organizationId);
    if (context?.organization.id !== organizationId) throw new UserFacingError("You are not a member of that organization.");
    await setCurrentOrganization(organizationId);
    revalidatePath("/", "layout");
  });
}

export async function createOrganizationAction(input: { name: string }): Promise<ActionResult> {
  return runAction(async () => {
    const userId = await currentUserId();
    if (!userId) throw new UserFacingError("Your session has ended. Sign in again.");
    const { organizationId } = await createOrganization(db(), userId, nameInputSchema.parse(input).name);
    await setCurrentOrganization(organizationId);
  });
}

export async function renameOrganizationAction(input: { name: string }): Promise<ActionResult> {
  return runAction(
    async () => {
      await renameOrganization(db(), await requireOrgContext(), nameInputSchema.parse(input).name);
      revalidatePath("/", "layout");
    },
    await actionText("organizationRenamed"),
  );
}
