import { pageTitle } from "@/app/_components/page-title";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { mailEnvironment } from "@/lib/env";
import { NOTIFICATION_KINDS } from "@/lib/notifications/kinds";
import { KIND_LABELS } from "@/lib/notifications/messages";
import { preferencesFor } from "@/lib/notifications/preferences";
import { PageHeader } from "@/app/_components/ui";
import { PreferencesForm } from "./preferences-form";

export const generateMetadata = pageTitle("notificationSettings");

const TEXT = {
  title: "Notification settings",
  description: (email: string) => `What Ferry tells you about your organizations' runs, in the app (the bell) and by e-mail to ${email}.`,
};

export default async function NotificationSettingsPage() {
  const context = await requireOrgContext();
  const preferences = await preferencesFor(db(), context.user.id);
  return (
    <>
      <PageHeader title={TEXT.title} description={TEXT.description(context.user.email)} />
      <PreferencesForm
        mailsGoToOutbox={!mailEnvironment().SMTP_URL}
        rows={NOTIFICATION_KINDS.map((kind) => ({ kind, ...KIND_LABELS[kind], ...preferences[kind] }))}
      />
    </>
  );
}
