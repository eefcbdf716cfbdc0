import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";
import { confirmEmail } from "@/lib/notifications/verification";
import { Alert } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Confirm your e-mail address" };

const TEXT = {
  confirmedTitle: "Address confirmed",
  confirmed: (email: string) => `${email} is confirmed. You can now accept invitations sent to it.`,
  failedTitle: "This link cannot be used",
  continue: "Continue to Ferry",
};

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  let outcome: { ok: true; email: string } | { ok: false; error: string };
  try {
    outcome = { ok: true, ...(await confirmEmail(db(), token)) };
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    outcome = { ok: false, error: error.message };
  }
  return (
    <div className="space-y-4">
      <h1 className="text-base font-semibold">{outcome.ok ? TEXT.confirmedTitle : TEXT.failedTitle}</h1>
      <Alert tone={outcome.ok ? "success" : "error"}>{outcome.ok ? TEXT.confirmed(outcome.email) : outcome.error}</Alert>
      <Link href="/migrations" className="text-sm font-medium text-indigo-700 hover:underline">
        {TEXT.continue}
      </Link>
    </div>
  );
}
