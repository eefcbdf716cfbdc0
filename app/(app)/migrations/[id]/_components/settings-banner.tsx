"use client";

// What Ferry changed in the connected systems for this migration, on every page of the migration:
// settings still changed (with Restore now for admins), settings put back, and the fields and
// objects Ferry created (kept: removing them could take data with them).
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Loader2, RotateCcw } from "lucide-react";
import { restoreSettingsAction } from "@/app/actions/migration-actions";
import { Alert, Button } from "@/app/_components/ui";
import type { MigrationSettingChanges } from "@/lib/settings/changes";
import { formatDateTime } from "@/lib/format-date";

export function SettingsBanner({
  migrationId,
  changes,
  canRestore,
  targetLabel,
}: {
  migrationId: string;
  changes: MigrationSettingChanges;
  canRestore: boolean;
  targetLabel: string;
}) {
  const router = useRouter();
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const { outstanding, restored, additions } = changes;
  if (outstanding.length === 0 && restored.length === 0 && additions.length === 0 && !notice) return null;

  function restore() {
    setNotice(null);
    startTransition(async () => {
      const result = await restoreSettingsAction({ migrationId });
      setNotice(result.ok ? { tone: "success", text: result.message ?? "Restored." } : { tone: "error", text: result.error });
      router.refresh();
    });
  }

  const failed = outstanding.filter((change) => change.status === "restore_failed");
  return (
    <section aria-label="Settings Ferry changed" className="mb-4 space-y-2">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {outstanding.length > 0 ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          <div className="flex flex-wrap items-start justify-between gap-2">
            <div>
              <p className="font-medium">
                Ferry changed {outstanding.length} setting{outstanding.length === 1 ? "" : "s"} in {targetLabel} for this migration:
              </p>
              <ul className="mt-1 list-inside list-disc">
                {outstanding.map((change) => (
                  <li key={change.id}>
                    {change.label}
                    {change.error ? <span className="text-red-700"> — could not put back: {change.error}</span> : null}
                  </li>
                ))}
              </ul>
              <p className="mt-1 text-amber-900">
                Ferry puts {outstanding.length === 1 ? "it" : "them"} back when the full run completes or the migration is deleted.
                {canRestore ? "" : " An admin of your organization can restore them now."}
                {failed.length > 0 ? " Check the target connection on the Connections page, then restore again." : ""}
              </p>
            </div>
            {canRestore ? (
              <Button variant="secondary" onClick={restore} disabled={pending}>
                {pending ? <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> : <RotateCcw aria-hidden className="h-4 w-4" />}
                {pending ? "Restoring…" : "Restore now"}
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}
      {restored.length > 0 || additions.length > 0 ? (
        <details className="rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-700">
          <summary className="cursor-pointer text-slate-600">
            {[
              restored.length > 0 ? `${restored.length} setting${restored.length === 1 ? "" : "s"} put back` : null,
              additions.length > 0
                ? `${additions.length} field${additions.length === 1 ? "" : "s"} or object${additions.length === 1 ? "" : "s"} Ferry created (kept)`
                : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </summary>
          {restored.length > 0 ? (
            <ul className="mt-1 list-inside list-disc">
              {restored.map((change) => (
                <li key={change.id}>
                  {change.label} — {change.status === "gone" ? "no longer exists" : `put back ${change.restoredAt ? formatDateTime(change.restoredAt) : ""}`}
                </li>
              ))}
            </ul>
          ) : null}
          {additions.length > 0 ? (
            <>
              <p className="mt-2 text-slate-600">
                Created in the target. Ferry never deletes these: records may hold values in them. Remove them by hand if you no longer need them.
              </p>
              <ul className="mt-1 list-inside list-disc">
                {additions.map((change) => (
                  <li key={change.id}>{change.label}</li>
                ))}
              </ul>
            </>
          ) : null}
        </details>
      ) : null}
    </section>
  );
}
