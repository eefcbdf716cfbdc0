// Every sentence Ferry's notifications and mails say, in one place (a translation comes later).
// Pure functions of the facts: the same words reach the bell, the mail and the outbox.
import { formatDateTime } from "@/lib/format-date";
import type { NotificationKind } from "./kinds";

export type Message = { title: string; body: string };

const MODE_LABEL: Record<string, string> = { demo: "Demo run", full: "Full run", delta: "Delta run", retry: "Retry run" };

function runName(mode: string, migrationName: string): string {
  return `${MODE_LABEL[mode] ?? "Run"} of “${migrationName}”`;
}

function count(value: number, one: string, many = `${one}s`): string {
  return `${value.toLocaleString("en")} ${value === 1 ? one : many}`;
}

export type RunFacts = {
  mode: string;
  migrationName: string;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  processed: number;
};

export function runFinishedMessage(run: RunFacts): Message {
  const counts = `${count(run.created, "record")} created, ${run.updated.toLocaleString("en")} updated, ${run.skipped.toLocaleString("en")} skipped, ${run.failed.toLocaleString("en")} failed.`;
  const next =
    run.failed > 0
      ? "Open the run to see each failed record's reason and what to do, then Retry failed records."
      : "Open the run to read the verification report.";
  return {
    title: `${runName(run.mode, run.migrationName)} finished${run.failed > 0 ? ` with ${count(run.failed, "failure")}` : ""}`,
    body: `${counts} ${next}`,
  };
}

export type StopFacts = { mode: string; migrationName: string; status: "failed" | "paused"; reason: string; pauseKind: string | null };

const WHAT_TO_DO: Record<string, string> = {
  failed: "Open the run, fix what the reason names, then start the run again (records already written are kept and not written twice).",
  credentials: "Update the connection's API key under Connections (or give it the permission named), then Resume the run.",
  outage: "Nothing to do yet: Ferry checks the systems again on its own and resumes the run when they answer. Nothing is lost.",
  errors: "Open the run, look at the failed records' reasons, fix the cause, then Resume the run.",
  other: "Open the run, fix what the reason names, then Resume the run.",
};

export function runStoppedMessage(stop: StopFacts): Message {
  const next = stop.status === "failed" ? WHAT_TO_DO.failed : (WHAT_TO_DO[stop.pauseKind ?? "other"] ?? WHAT_TO_DO.other);
  return {
    title: `${runName(stop.mode, stop.migrationName)} ${stop.status === "failed" ? "failed" : "paused"}`,
    body: `${stop.reason.trim()} ${next}`,
  };
}

export type StallFacts = { mode: string; migrationName: string; processed: number; since: Date; minutes: number };

export function runStalledMessage(stall: StallFacts): Message {
  return {
    title: `${runName(stall.mode, stall.migrationName)} has made no progress for ${count(stall.minutes, "minute")}`,
    body: `It is still running but has not moved on since ${formatDateTime(stall.since)} (${count(stall.processed, "record")} processed). Open the run: it says what it is doing (a long rate-limit wait shows there). If it says nothing, pause and resume it, or ask support.`,
  };
}

/** The plain-text mail for a notification: its body, the link, and why the reader gets it. */
export function notificationMailText(message: Message, link: string, settingsLink: string): string {
  return [message.body, "", `Open it: ${link}`, "", `You get this mail because of your notification settings: ${settingsLink}`].join("\n");
}

export type InvitationFacts = { organizationName: string; inviterName: string; role: string; link: string; expiresAt: Date };

export function invitationMail(invite: InvitationFacts): Message {
  return {
    title: `${invite.inviterName} invited you to ${invite.organizationName} on Ferry`,
    body: [
      `${invite.inviterName} invited you to join ${invite.organizationName} on Ferry as ${invite.role === "admin" ? "an admin" : "a member"}.`,
      "",
      `Accept the invitation: ${invite.link}`,
      "",
      `The link works once, for this e-mail address only, until ${formatDateTime(invite.expiresAt)}. If you did not expect it, ignore this mail.`,
    ].join("\n"),
  };
}

export function verificationMail(name: string, link: string, expiresAt: Date): Message {
  return {
    title: "Confirm your e-mail address for Ferry",
    body: [
      `Hello ${name},`,
      "",
      `Confirm that this address is yours: ${link}`,
      "",
      `The link works until ${formatDateTime(expiresAt)}. You need a confirmed address to accept an invitation to a team. If you did not sign up for Ferry, ignore this mail.`,
    ].join("\n"),
  };
}

export const KIND_LABELS: Record<NotificationKind, { label: string; description: string }> = {
  run_finished: { label: "Run finished", description: "A run completed: its counts and a link to the run." },
  run_failed: { label: "Run failed or paused", description: "A run stopped: the reason and what to do. Not sent when you paused it yourself." },
  run_stalled: { label: "Run stalled", description: "A running run has made no progress for a while." },
  sync_failing: { label: "Sync failing", description: "A migration in sync mode failed several syncs in a row." },
};

export type SyncFailingFacts = { migrationName: string; failures: number; reason: string };

export function syncFailingMessage(facts: SyncFailingFacts): Message {
  return {
    title: `Sync of “${facts.migrationName}” failed ${count(facts.failures, "time")} in a row`,
    body: `${facts.reason.trim()} Changes in the source are not reaching the target. Open the sync page, fix what the reason names (often the connection's API key), then press Sync now.`,
  };
}
