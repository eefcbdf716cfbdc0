// Each user's choice, per notification kind, of the bell and/or e-mail.
import { z } from "zod";
import type { Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { DEFAULT_CHANNELS, NOTIFICATION_KINDS, notificationKindSchema, type Channels, type NotificationKind } from "./kinds";

type Reader = Pick<Database, "notificationPreference"> | Prisma.TransactionClient;

export type Preferences = Record<NotificationKind, Channels>;

export const preferencesInputSchema = z
  .array(z.object({ kind: notificationKindSchema, inApp: z.boolean(), email: z.boolean() }).strict())
  .max(NOTIFICATION_KINDS.length)
  .refine((rows) => new Set(rows.map((row) => row.kind)).size === rows.length, "Each notification kind may appear once.");

/** Every user's preferences among `userIds`, defaults filled in. */
export async function preferencesOf(database: Reader, userIds: string[]): Promise<Map<string, Preferences>> {
  const rows = userIds.length ? await database.notificationPreference.findMany({ where: { userId: { in: userIds } } }) : [];
  const result = new Map<string, Preferences>(userIds.map((id) => [id, { ...DEFAULT_CHANNELS }]));
  for (const row of rows) {
    const kind = notificationKindSchema.safeParse(row.kind);
    const preferences = result.get(row.userId);
    if (kind.success && preferences) preferences[kind.data] = { inApp: row.inApp, email: row.email };
  }
  return result;
}

export async function preferencesFor(database: Reader, userId: string): Promise<Preferences> {
  return (await preferencesOf(database, [userId])).get(userId) ?? { ...DEFAULT_CHANNELS };
}

export async function savePreferences(database: Database, userId: string, input: unknown): Promise<void> {
  const rows = preferencesInputSchema.parse(input);
  await database.$transaction(
    rows.map((row) =>
      database.notificationPreference.upsert({
        where: { userId_kind: { userId, kind: row.kind } },
        create: { userId, kind: row.kind, inApp: row.inApp, email: row.email },
        update: { inApp: row.inApp, email: row.email },
      }),
    ),
  );
}
