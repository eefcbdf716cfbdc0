import { pageTitle } from "@/app/_components/page-title";
import { getTranslations } from "next-intl/server";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { mailEnvironment } from "@/lib/env";
import { NOTIFICATION_KINDS } from "@/lib/notifications/kinds";
import { preferencesFor } from "@/lib/notifications/preferences";
import { PageHeader } from "@/app/_components/ui";
import { PreferencesForm } from "./preferences-form";

export const generateMetadata = pageTitle("notificationSettings");

export default async function NotificationSettingsPage() {
  const context = await requireOrgContext();
  const preferences = await preferencesFor(db(), context.user.id);
  const t = await getTranslations("notificationSettings");
  return (
    <>
      <PageHeader title={t("title")} description={t("description", { email: context.user.email })} />
      <PreferencesForm
        mailsGoToOutbox={!mailEnvironment().SMTP_URL}
        rows={NOTIFICATION_KINDS.map((kind) => ({ kind, label: t(`kind.${kind}.label`), description: t(`kind.${kind}.description`), ...preferences[kind] }))}
      />
    </>
  );
}
