"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { acceptInviteAction } from "@/app/actions/auth-actions";
import { Alert, Button } from "@/app/_components/ui";

export function AcceptInvite({ token, organizationName }: { token: string; organizationName: string }) {
  const t = useTranslations("invite");
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function accept() {
    setPending(true);
    const result = await acceptInviteAction(token);
    if (!result.ok) {
      setPending(false);
      setError(result.error);
      return;
    }
    router.push("/team");
    router.refresh();
  }

  return (
    <div className="space-y-3">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button onClick={accept} disabled={pending} className="w-full">
        {pending ? t("joining") : t("join", { organization: organizationName })}
      </Button>
    </div>
  );
}
