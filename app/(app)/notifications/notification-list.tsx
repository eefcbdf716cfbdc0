"use client";

import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Bell, CheckCheck } from "lucide-react";
import { markReadAction } from "@/app/actions/notification-actions";
import { formatDateTime } from "@/lib/format-date";
import { Alert, Badge, Button, Card, EmptyState, cx } from "@/app/_components/ui";

export type NotificationRow = { id: string; kind: string; title: string; body: string; link: string | null; createdAt: string; read: boolean };

const KIND_TONE: Record<string, "green" | "red" | "amber" | "slate"> = { run_finished: "green", run_failed: "red", run_stalled: "amber", sync_failing: "red" };

export function NotificationList({ notifications }: { notifications: NotificationRow[] }) {
  const t = useTranslations("notifications");
  const locale = useLocale();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const unread = notifications.filter((notice) => !notice.read).length;

  async function mark(input: { ids: string[] } | { all: true }) {
    setPending(true);
    const result = await markReadAction(input);
    setPending(false);
    setError(result.ok ? null : result.error);
    router.refresh();
  }

  if (notifications.length === 0) {
    return (
      <EmptyState icon={<Bell className="h-6 w-6" />} title={t("emptyTitle")}>
        {t("empty")}
      </EmptyState>
    );
  }
  return (
    <Card
      title={t("list")}
      description={t("unreadCount", { count: unread })}
      actions={
        <Button variant="secondary" onClick={() => mark({ all: true })} disabled={pending || unread === 0}>
          <CheckCheck aria-hidden className="h-4 w-4" />
          {t("markAll")}
        </Button>
      }
    >
      {error ? (
        <div className="mb-3">
          <Alert tone="error">{error}</Alert>
        </div>
      ) : null}
      <ul className="divide-y divide-slate-100" aria-label={t("list")}>
        {notifications.map((notice) => (
          <li key={notice.id} data-testid="notification" className={cx("flex items-start gap-3 py-3", !notice.read && "bg-indigo-50/40")}>
            <span aria-hidden className={cx("mt-1.5 h-2 w-2 shrink-0 rounded-full", notice.read ? "bg-transparent" : "bg-indigo-600")} />
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-2">
                <span className={cx("text-sm", notice.read ? "text-slate-700" : "font-semibold text-slate-900")}>{notice.title}</span>
                <Badge tone={KIND_TONE[notice.kind] ?? "slate"}>
                  {t.has(`kind.${notice.kind}` as "kind.run_finished") ? t(`kind.${notice.kind}` as "kind.run_finished") : notice.kind}
                </Badge>
                {!notice.read ? <Badge tone="indigo">{t("unread")}</Badge> : null}
              </div>
              <p className="mt-0.5 text-sm text-slate-600">{notice.body}</p>
              <div className="mt-1 flex items-center gap-3 text-xs text-slate-500">
                <span>{formatDateTime(notice.createdAt, locale)}</span>
                {notice.link ? (
                  <Link
                    href={notice.link}
                    onClick={() => (notice.read ? undefined : void markReadAction({ ids: [notice.id] }))}
                    className="font-medium text-indigo-700 hover:underline"
                  >
                    {t("open")}
                  </Link>
                ) : null}
              </div>
            </div>
            {!notice.read ? (
              <Button variant="ghost" onClick={() => mark({ ids: [notice.id] })} disabled={pending}>
                {t("markOne")}
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
