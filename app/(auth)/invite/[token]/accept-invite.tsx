"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { acceptInviteAction } from "@/app/actions/auth-actions";
import { Alert, Button } from "@/app/_components/ui";

export function AcceptInvite({ token, organizationName }: { token: string; organizationName: string }) {
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
        {pending ? "Joining…" : `Join ${organizationName}`}
      </Button>
    </div>
  );
}
