"use client";

import { useState } from "react";
import { MailWarning } from "lucide-react";
import { useTranslations } from "next-intl";
import { resendVerificationAction } from "@/app/actions/notification-actions";
import { Button } from "./ui";

/** Shown on every page until the signed-in user confirms their address. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const t = useTranslations("verifyEmailBanner");
  const [state, setState] = useState<{ pending: boolean; notice: string | null; error: string | null }>({ pending: false, notice: null, error: null });
  async function resend() {
    setState({ pending: true, notice: null, error: null });
    const result = await resendVerificationAction();
    setState(
      result.ok
        ? { pending: false, notice: t("sent", { email: result.data?.email ?? email }), error: null }
        : { pending: false, notice: null, error: result.error },
    );
  }
  return (
    <div role="status" className="flex flex-wrap items-center gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
      <MailWarning aria-hidden className="h-4 w-4 shrink-0" />
      <span className="flex-1">{state.error ?? state.notice ?? t("ask", { email })}</span>
      <Button variant="secondary" onClick={resend} disabled={state.pending}>
        {state.pending ? t("sending") : t("resend")}
      </Button>
    </div>
  );
}
