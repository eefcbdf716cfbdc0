"use server";

import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { noArgumentsSchema } from "@/lib/action-input";
import { runAction, type ActionResult } from "@/lib/action-result";
import { currentUserId, requireOrgContext } from "@/lib/auth/session";
import { markRead, unreadCount } from "@/lib/notifications/inbox";
import { savePreferences } from "@/lib/notifications/preferences";
import { queueVerificationMail } from "@/lib/notifications/verification";
import { wakeNotificationWorker } from "@/lib/notifications/worker";
import { actionText } from "@/lib/i18n/action-text";

export async function unreadCountAction(...input: unknown[]): Promise<ActionResult<number>> {
  return runAction(async () => {
    noArgumentsSchema.parse(input);
    const userId = await currentUserId();
    return userId ? unreadCount(db(), userId) : 0;
  });
}

/** input: { ids: [...] } or { all: true }; parsed with zod in lib/notifications/inbox.ts. */
export async function markReadAction(input: unknown): Promise<ActionResult<{ marked: number }>> {
  return runAction(async () => {
    const context = await requireOrgContext();
    const marked = await markRead(db(), context.user.id, input);
    revalidatePath("/notifications");
    return { marked };
  });
}

export async function savePreferencesAction(input: unknown): Promise<ActionResult> {
  return runAction(
    async () => {
      const context = await requireOrgContext();
      await savePreferences(db(), context.user.id, input);
      revalidatePath("/settings/notifications");
    },
    await actionText("notificationSettingsSaved"),
  );
}

export async function resendVerificationAction(...input: unknown[]): Promise<ActionResult<{ email: string }>> {
  return runAction(async () => {
    noArgumentsSchema.parse(input);
    const context = await requireOrgContext();
    const sent = await queueVerificationMail(db(), context.user.id);
    wakeNotificationWorker();
    return sent;
  });
}
