import { pageTitle } from "@/app/_components/page-title";
import { getLocale, getTranslations } from "next-intl/server";
import { db } from "@/lib/db";
import { requireStaff } from "@/lib/auth/session";
import { mailEnvironment } from "@/lib/env";
import { formatDateTime } from "@/lib/format-date";
import { listOutbox, OUTBOX_PAGE_SIZE } from "@/lib/notifications/outbox";
import { Alert, Badge, EmptyState, PageHeader } from "@/app/_components/ui";

export const generateMetadata = pageTitle("outbox");

const STATUS_TONE: Record<string, "green" | "amber" | "slate" | "indigo"> = { outbox: "indigo", sent: "green", queued: "amber" };

export default async function OutboxPage() {
  await requireStaff();
  const settings = mailEnvironment();
  const mails = await listOutbox(db());
  const [t, locale] = await Promise.all([getTranslations("outbox"), getLocale()]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description", { count: OUTBOX_PAGE_SIZE })} />
      <div className="mb-4">
        <Alert tone="info">{settings.SMTP_URL ? t("smtp") : t("noSmtp")}</Alert>
      </div>
      {mails.length === 0 ? (
        <EmptyState title={t("emptyTitle")}>{t("empty")}</EmptyState>
      ) : (
        <ol className="space-y-3">
          {mails.map((mail) => {
            const status = {
              label: t.has(`status.${mail.status}` as "status.sent") ? t(`status.${mail.status}` as "status.sent") : mail.status,
              tone: STATUS_TONE[mail.status] ?? "slate",
            };
            return (
              <li key={mail.id} data-testid="outbox-mail" className="rounded-lg border border-slate-200 bg-white shadow-xs">
                <dl className="grid grid-cols-[5rem_1fr] gap-x-3 gap-y-0.5 border-b border-slate-100 px-4 py-2.5 text-sm">
                  <dt className="text-slate-500">{t("from")}</dt>
                  <dd className="text-slate-800">{settings.MAIL_FROM}</dd>
                  <dt className="text-slate-500">{t("to")}</dt>
                  <dd className="font-medium text-slate-900">{mail.to}</dd>
                  <dt className="text-slate-500">{t("subject")}</dt>
                  <dd className="font-semibold text-slate-900">{mail.subject}</dd>
                  <dt className="text-slate-500">{t("queuedAt")}</dt>
                  <dd className="flex flex-wrap items-center gap-2 text-slate-600">
                    {formatDateTime(mail.createdAt, locale)}
                    <Badge tone={status.tone}>{status.label}</Badge>
                    {mail.attempts > 0 && mail.status === "queued" ? (
                      <span className="text-xs text-amber-800">
                        {t("attempts", { count: mail.attempts })}
                        {mail.lastError ? t("lastError", { error: mail.lastError }) : ""},{" "}
                        {t("nextAttempt", { date: formatDateTime(mail.nextAttemptAt, locale) })}
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
