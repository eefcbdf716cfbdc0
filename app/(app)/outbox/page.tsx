import { pageTitle } from "@/app/_components/page-title";
import { db } from "@/lib/db";
import { requireStaff } from "@/lib/auth/session";
import { mailEnvironment } from "@/lib/env";
import { formatDateTime } from "@/lib/format-date";
import { listOutbox, OUTBOX_PAGE_SIZE } from "@/lib/notifications/outbox";
import { Alert, Badge, EmptyState, PageHeader } from "@/app/_components/ui";

export const generateMetadata = pageTitle("outbox");

const TEXT = {
  title: "Outbox",
  description: `Every e-mail Ferry sent or would have sent, newest first (the last ${OUTBOX_PAGE_SIZE}). Only staff see this page: it holds every recipient's links.`,
  noSmtp:
    "No SMTP_URL is configured, so nothing leaves Ferry: each mail below is exactly what would have been sent. Set SMTP_URL (see the README) to send them.",
  smtp: "Mails are sent through the SMTP server in SMTP_URL; a refused mail is retried with growing waits and shows its last error here.",
  emptyTitle: "No mail yet",
  empty: "Invitations, address confirmations and run notifications appear here as soon as Ferry queues them.",
  from: "From",
  to: "To",
  subject: "Subject",
  queuedAt: "Queued",
  attempts: (count: number, error: string | null) => `${count} failed attempt${count === 1 ? "" : "s"}${error ? `; last error: ${error}` : ""}`,
  nextAttempt: (at: string) => `next attempt ${at}`,
};

const STATUS: Record<string, { label: string; tone: "green" | "amber" | "slate" | "indigo" }> = {
  outbox: { label: "In the outbox (not sent)", tone: "indigo" },
  sent: { label: "Sent", tone: "green" },
  queued: { label: "Queued", tone: "amber" },
};

export default async function OutboxPage() {
  await requireStaff();
  const settings = mailEnvironment();
  const mails = await listOutbox(db());
  return (
    <>
      <PageHeader title={TEXT.title} description={TEXT.description} />
      <div className="mb-4">
        <Alert tone="info">{settings.SMTP_URL ? TEXT.smtp : TEXT.noSmtp}</Alert>
      </div>
      {mails.length === 0 ? (
        <EmptyState title={TEXT.emptyTitle}>{TEXT.empty}</EmptyState>
      ) : (
        <ol className="space-y-3">
          {mails.map((mail) => {
            const status = STATUS[mail.status] ?? { label: mail.status, tone: "slate" as const };
            return (
              <li key={mail.id} data-testid="outbox-mail" className="rounded-lg border border-slate-200 bg-white shadow-xs">
                <dl className="grid grid-cols-[5rem_1fr] gap-x-3 gap-y-0.5 border-b border-slate-100 px-4 py-2.5 text-sm">
                  <dt className="text-slate-500">{TEXT.from}</dt>
                  <dd className="text-slate-800">{settings.MAIL_FROM}</dd>
                  <dt className="text-slate-500">{TEXT.to}</dt>
                  <dd className="font-medium text-slate-900">{mail.to}</dd>
                  <dt className="text-slate-500">{TEXT.subject}</dt>
                  <dd className="font-semibold text-slate-900">{mail.subject}</dd>
                  <dt className="text-slate-500">{TEXT.queuedAt}</dt>
                  <dd className="flex flex-wrap items-center gap-2 text-slate-600">
                    {formatDateTime(mail.createdAt)}
                    <Badge tone={status.tone}>{status.label}</Badge>
                    {mail.attempts > 0 && mail.status === "queued" ? (
                      <span className="text-xs text-amber-800">
                        {TEXT.attempts(mail.attempts, mail.lastError)}, {TEXT.nextAttempt(formatDateTime(mail.nextAttemptAt))}
                      </span>
                    ) : null}
                  </dd>
                </dl>
                <pre className="whitespace-pre-wrap break-words px-4 py-3 font-sans text-sm text-slate-700">{mail.text}</pre>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
