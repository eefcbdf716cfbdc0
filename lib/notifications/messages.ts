// Every sentence Ferry's notifications and mails say, in the recipient's language (messages: "mail").
// Pure functions of the facts and a locale: the same words reach the bell, the mail and the outbox.
import { createTranslator } from "next-intl";
import { formatDateTime } from "@/lib/format-date";
import { appMessages } from "@/lib/i18n/catalogue";
import { DEFAULT_LOCALE, type Locale } from "@/lib/i18n/locale";

export type Message = { title: string; body: string };

/** The mail catalogue of the recipient's language; dates in the server's time zone, like the rest of Ferry's mails. */
function translator(locale: Locale) {
  return createTranslator({ locale, messages: appMessages(locale), namespace: "mail" });
}

function runName(t: ReturnType<typeof translator>, mode: string, migrationName: string): string {
  const modeKey = `mode.${mode}` as "mode.full";
  return t("runName", { mode: t.has(modeKey) ? t(modeKey) : t("mode.other"), migration: migrationName });
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

export function runFinishedMessage(run: RunFacts, locale: Locale = DEFAULT_LOCALE): Message {
  const t = translator(locale);
  const counts = t("finishedCounts", { created: run.created, updated: run.updated, skipped: run.skipped, failed: run.failed });
  return {
    title: t("finishedTitle", { run: runName(t, run.mode, run.migrationName), failed: run.failed }),
    body: `${counts} ${run.failed > 0 ? t("finishedNextFailed") : t("finishedNext")}`,
  };
}

export type StopFacts = { mode: string; migrationName: string; status: "failed" | "paused"; reason: string; pauseKind: string | null };

const PAUSE_KINDS = ["credentials", "outage", "errors"];

export function runStoppedMessage(stop: StopFacts, locale: Locale = DEFAULT_LOCALE): Message {
  const t = translator(locale);
  const kind = stop.status === "failed" ? "failed" : PAUSE_KINDS.includes(stop.pauseKind ?? "") ? (stop.pauseKind as "credentials") : "other";
  return {
    title: t(stop.status === "failed" ? "stoppedFailed" : "stoppedPaused", { run: runName(t, stop.mode, stop.migrationName) }),
    body: `${stop.reason.trim()} ${t(`whatToDo.${kind}`)}`,
  };
}

export type StallFacts = { mode: string; migrationName: string; processed: number; since: Date; minutes: number };

export function runStalledMessage(stall: StallFacts, locale: Locale = DEFAULT_LOCALE): Message {
  const t = translator(locale);
  return {
    title: t("stalledTitle", { run: runName(t, stall.mode, stall.migrationName), minutes: stall.minutes }),
    body: t("stalledBody", { since: formatDateTime(stall.since, locale), processed: stall.processed }),
  };
}

/** The plain-text mail for a notification: its body, the link, and why the reader gets it. */
export function notificationMailText(message: Message, link: string, settingsLink: string, locale: Locale = DEFAULT_LOCALE): string {
  const t = translator(locale);
  return [message.body, "", t("openIt", { link }), "", t("whyThisMail", { link: settingsLink })].join("\n");
}

export type InvitationFacts = { organizationName: string; inviterName: string; role: string; link: string; expiresAt: Date };

export function invitationMail(invite: InvitationFacts, locale: Locale = DEFAULT_LOCALE): Message {
  const t = translator(locale);
  const facts = { inviter: invite.inviterName, organization: invite.organizationName };
  return {
    title: t("invitationTitle", facts),
    body: [
      t("invitationBody", { ...facts, admin: invite.role === "admin" ? "yes" : "no" }),
      "",
      t("invitationAccept", { link: invite.link }),
      "",
      t("invitationExpiry", { expires: formatDateTime(invite.expiresAt, locale) }),
    ].join("\n"),
  };
}

export function verificationMail(name: string, link: string, expiresAt: Date, locale: Locale = DEFAULT_LOCALE): Message {
  const t = translator(locale);
  return {
    title: t("verificationTitle"),
    body: [t("hello", { name }), "", t("verificationConfirm", { link }), "", t("verificationExpiry", { expires: formatDateTime(expiresAt, locale) })].join(
      "\n",
    ),
  };
}

export type SyncFailingFacts = { migrationName: string; failures: number; reason: string };

export function syncFailingMessage(facts: SyncFailingFacts, locale: Locale = DEFAULT_LOCALE): Message {
  const t = translator(locale);
  return {
    title: t("syncFailingTitle", { migration: facts.migrationName, failures: facts.failures }),
    body: `${facts.reason.trim()} ${t("syncFailingBody")}`,
  };
}
