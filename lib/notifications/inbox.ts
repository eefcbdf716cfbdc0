// The bell: a user's notifications, newest first, and marking them read. Every query is confined
// to the user's own rows.
import { z } from "zod";
import type { Database } from "@/lib/db";

export const INBOX_PAGE_SIZE = 50;

export async function unreadCount(database: Database, userId: string): Promise<number> {
  return database.notification.count({ where: { userId, readAt: null } });
}

export async function listNotifications(database: Database, userId: string, limit = INBOX_PAGE_SIZE) {
  return database.notification.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, kind: true, title: true, body: true, link: true, createdAt: true, readAt: true },
  });
}

export const markReadSchema = z.union([z.object({ all: z.literal(true) }).strict(), z.object({ ids: z.array(z.cuid()).min(1).max(INBOX_PAGE_SIZE) }).strict()]);

/** Marks the given notifications (or all) read; ids that are not the user's change nothing. */
export async function markRead(database: Database, userId: string, input: unknown, now = new Date()): Promise<number> {
  const target = markReadSchema.parse(input);
  const { count } = await database.notification.updateMany({
    where: { userId, readAt: null, ...("ids" in target ? { id: { in: target.ids } } : {}) },
    data: { readAt: now },
  });
  return count;
}
