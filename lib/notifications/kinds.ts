// The notification kinds a user can choose to receive, in the app and by e-mail, with their
// defaults (a user without a saved choice gets these). Invitations and address confirmations are
// not here: they go to one address that asked for them, not to a team.
import { z } from "zod";

export const NOTIFICATION_KINDS = ["run_finished", "run_failed", "run_stalled", "sync_failing"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const notificationKindSchema = z.enum(NOTIFICATION_KINDS);

export type Channels = { inApp: boolean; email: boolean };

export const DEFAULT_CHANNELS: Record<NotificationKind, Channels> = {
  run_finished: { inApp: true, email: true },
  run_failed: { inApp: true, email: true },
  run_stalled: { inApp: true, email: true },
  sync_failing: { inApp: true, email: true },
};

/** Mail kinds: the notification kinds plus the mails sent to one address on request. */
export type MailKind = NotificationKind | "invitation" | "email_verification";
