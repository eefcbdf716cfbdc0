import { pageTitle } from "@/app/_components/page-title";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { formatDateTime } from "@/lib/format-date";
import { db } from "@/lib/db";
import { currentUserId } from "@/lib/auth/session";
import { UserFacingError } from "@/lib/errors";
import { viewInvite, type InviteView } from "@/lib/team";
import { Alert } from "@/app/_components/ui";
import { SignUpForm } from "../../sign-up/sign-up-form";
import { AcceptInvite } from "./accept-invite";

export const generateMetadata = pageTitle("invitation");

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [t, locale] = await Promise.all([getTranslations("invite"), getLocale()]);
  let invite: InviteView;
  try {
    invite = await viewInvite(db(), token);
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    return (
      <div className="space-y-4">
        <h1 className="text-base font-semibold">{t("unusable")}</h1>
        <Alert tone="error">{error.message}</Alert>
        <Link href="/sign-in" className="text-sm font-medium text-indigo-700 hover:underline">
          {t("goToSignIn")}
        </Link>
      </div>
    );
  }
  const signedIn = !!(await currentUserId());
  if (!signedIn) return <SignUpForm invite={{ token, email: invite.email, organizationName: invite.organizationName }} />;
  return (
    <div className="space-y-4">
      <h1 className="text-base font-semibold">{t("join", { organization: invite.organizationName })}</h1>
      <p className="text-sm text-slate-600">
        {t.rich("invited", {
          role: invite.role.name,
          email: invite.email,
          expires: formatDateTime(invite.expiresAt, locale),
          strong: (chunks) => <strong>{chunks}</strong>,
        })}
      </p>
      <AcceptInvite token={token} organizationName={invite.organizationName} />
    </div>
  );
}
