import { pageTitle } from "@/app/_components/page-title";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { db } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import { confirmEmail } from "@/lib/notifications/verification";
import { Alert } from "@/app/_components/ui";

export const generateMetadata = pageTitle("confirmYourEMailAddress");

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const t = await getTranslations("verifyEmail");
  let outcome: { ok: true; email: string } | { ok: false; error: string };
  try {
    outcome = { ok: true, ...(await confirmEmail(db(), token)) };
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    outcome = { ok: false, error: error.message };
  }
  return (
    <div className="space-y-4">
      <h1 className="text-base font-semibold">{outcome.ok ? t("confirmedTitle") : t("failedTitle")}</h1>
      <Alert tone={outcome.ok ? "success" : "error"}>{outcome.ok ? t("confirmed", { email: outcome.email }) : outcome.error}</Alert>
      <Link href="/migrations" className="text-sm font-medium text-indigo-700 hover:underline">
        {t("continue")}
      </Link>
    </div>
  );
}
