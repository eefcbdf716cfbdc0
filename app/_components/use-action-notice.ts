"use client";

// Runs a server action from a button: pending while it works, its outcome as a notice, then a
// refresh so the page shows the change. One way to do it for every table of actions.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";

export type Notice = { tone: "error" | "success"; text: string };
type Outcome = { ok: true; message?: string } | { ok: false; error: string };

export function useActionNotice() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<Notice | null>(null);

  function perform(action: () => Promise<Outcome>) {
    startTransition(async () => {
      const result = await action();
      setNotice(result.ok ? { tone: "success", text: result.message ?? "Done." } : { tone: "error", text: result.error });
      router.refresh();
    });
  }

  return { pending, notice, setNotice, perform };
}
