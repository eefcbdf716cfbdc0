"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { Bell } from "lucide-react";
import { useTranslations } from "next-intl";
import { unreadCountAction } from "@/app/actions/notification-actions";

const BELL_POLL_MS = 15_000;

function badge(unread: number): string {
  return unread > 99 ? "99+" : String(unread);
}

/** The bell in the top bar: the unread count, refreshed every few seconds, opens the list. */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  // A count polled since the server last rendered the page wins; a fresh server render resets it.
  const t = useTranslations("notificationBell");
  const [polled, setPolled] = useState<{ forInitial: number; value: number } | null>(null);
  const unread = polled?.forInitial === initialUnread ? polled.value : initialUnread;
  useEffect(() => {
    const timer = setInterval(() => {
      unreadCountAction()
        .then((result) => {
          if (result.ok) setPolled({ forInitial: initialUnread, value: result.data ?? 0 });
        })
        .catch(() => undefined);
    }, BELL_POLL_MS);
    return () => clearInterval(timer);
  }, [initialUnread]);
  return (
    <Link
      href="/notifications"
      aria-label={t("label", { unread })}
      title={t("label", { unread })}
      className="relative rounded-md p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
    >
      <Bell aria-hidden className="h-5 w-5" />
      {unread > 0 ? (
        <span
          data-testid="unread-count"
          className="absolute -right-1 -top-1 min-w-[1.1rem] rounded-full bg-red-600 px-1 text-center text-[10px] font-semibold leading-[1.1rem] text-white"
        >
          {badge(unread)}
        </span>
      ) : null}
    </Link>
  );
}
