// Absolute links for mails (a mail is read outside Ferry) and the paths the bell links to.
import { mailEnvironment } from "@/lib/env";

export function runPath(migrationId: string, runId: string): string {
  return `/migrations/${migrationId}/runs/${runId}`;
}

export const NOTIFICATION_SETTINGS_PATH = "/settings/notifications";

export function absoluteUrl(path: string): string {
  return `${mailEnvironment().NEXTAUTH_URL.replace(/\/$/, "")}${path}`;
}
