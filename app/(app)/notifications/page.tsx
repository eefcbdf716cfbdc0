import { pageTitle } from "@/app/_components/page-title";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { listNotifications } from "@/lib/notifications/inbox";
import { NOTIFICATION_SETTINGS_PATH } from "@/lib/notifications/links";
import { PageHeader } from "@/app/_components/ui";
import { NotificationList } from "./notification-list";

export const generateMetadata = pageTitle("notifications");

export default async function NotificationsPage() {
  const context = await requireOrgContext();
  const notifications = await listNotifications(db(), context.user.id);
  const t = await getTranslations("notifications");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <div className="flex gap-4 text-sm">
            {context.user.isStaff ? (
              <Link href="/outbox" className="font-medium text-indigo-700 hover:underline">
                {t("outbox")}
              </Link>
            ) : null}
            <Link href={NOTIFICATION_SETTINGS_PATH} className="font-medium text-indigo-700 hover:underline">
              {t("settings")}
            </Link>
          </div>
        }
      />
      <NotificationList
        notifications={notifications.map((notice) => ({
          id: notice.id,
          kind: notice.kind,
          title: notice.title,
          body: notice.body,
          link: notice.link,
          createdAt: notice.createdAt.toISOString(),
          read: !!notice.readAt,
        }))}
      />
    </>
  );
}
