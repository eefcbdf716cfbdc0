"use client";

// What Ferry changed in the connected systems for this migration, on every page of the migration:
// settings still changed (with Restore now for admins), settings put back, and the fields and
// objects Ferry created (kept: removing them could take data with them).
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Loader2, RotateCcw } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
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
  const t = useTranslations("settingsBanner");
  const locale = useLocale();
  const router = useRouter();
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const { outstanding, restored, additions } = changes;
  if (outstanding.length === 0 && restored.length === 0 && additions.length === 0 && !notice) return null;

  function restore() {
    setNotice(null);
    startTransition(async () => {
      const result = await restoreSettingsAction({ migrationId });
      setNotice(result.ok ? { tone: "success", text: result.message ?? t("restored") } : { tone: "error", text: result.error });
      router.refresh();
    });
  }

  const failed = outstanding.filter((change) => change.status === "restore_failed");
  return (
    <section aria-label={t("label")} className="mb-4 space-y-2">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {outstanding.length > 0 ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          <div className="flex flex-wrap items-start justify-between gap-2">
            <div>
              <p className="font-medium">{t("changed", { count: outstanding.length, target: targetLabel })}</p>
              <ul className="mt-1 list-inside list-disc">
                {outstanding.map((change) => (
                  <li key={change.id}>
                    <span lang="en">{change.label}</span>
                    {change.error ? <span className="text-red-700"> — {t("couldNotPutBack", { error: change.error })}</span> : null}
                  </li>
                ))}
              </ul>
              <p className="mt-1 text-amber-900">
                {t("putsBack", { count: outstanding.length })}
                {canRestore ? "" : ` ${t("adminCanRestore")}`}
                {failed.length > 0 ? ` ${t("checkConnection")}` : ""}
              </p>
            </div>
            {canRestore ? (
              <Button variant="secondary" onClick={restore} disabled={pending}>
                {pending ? <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> : <RotateCcw aria-hidden className="h-4 w-4" />}
                {pending ? t("restoring") : t("restoreNow")}
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}
      {restored.length > 0 || additions.length > 0 ? (
        <details className="rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-700">
          <summary className="cursor-pointer text-slate-600">
            {[
              restored.length > 0 ? t("putBackCount", { count: restored.length }) : null,
              additions.length > 0 ? t("createdCount", { count: additions.length }) : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </summary>
          {restored.length > 0 ? (
            <ul className="mt-1 list-inside list-disc">
              {restored.map((change) => (
                <li key={change.id}>
                  <span lang="en">{change.label}</span> —{" "}
                  {change.status === "gone" ? t("gone") : t("putBackAt", { date: change.restoredAt ? formatDateTime(change.restoredAt, locale) : "" })}
                </li>
              ))}
            </ul>
          ) : null}
          {additions.length > 0 ? (
            <>
              <p className="mt-2 text-slate-600">{t("createdNote")}</p>
              <ul className="mt-1 list-inside list-disc">
                {additions.map((change) => (
                  <li key={change.id} lang="en">
                    {change.label}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </details>
      ) : null}
    </section>
  );
}
