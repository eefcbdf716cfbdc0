"use client";

// Delete a migration (admins): says that Ferry first puts back the settings it changed and that
// records already migrated stay in the target, and asks for an explicit confirmation.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { deleteMigrationAction } from "@/app/actions/migration-actions";
import { Alert, Button } from "@/app/_components/ui";

export function DeleteMigration({
  migrationId,
  name,
  targetLabel,
  outstandingSettings,
  activeRun,
}: {
  migrationId: string;
  name: string;
  targetLabel: string;
  outstandingSettings: number;
  activeRun: string | null;
}) {
  const t = useTranslations("deleteMigration");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [checked, setChecked] = useState(false);
  const [byHand, setByHand] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        <Trash2 aria-hidden className="h-4 w-4" /> {t("delete")}
      </Button>
    );
  }
  return (
    <div role="dialog" aria-label={t("confirm")} className="mt-2 w-full space-y-2 rounded-md border border-red-200 bg-red-50/40 p-3 text-sm">
      <p className="font-medium text-slate-900">{t("question", { name })}</p>
      <ul className="list-inside list-disc text-slate-700">
        {outstandingSettings > 0 ? <li>{t("putsBack", { count: outstandingSettings, target: targetLabel })}</li> : <li>{t("nothingToPutBack")}</li>}
        <li>{t("deletesRuns")}</li>
        <li>{t("keepsRecords", { target: targetLabel })}</li>
      </ul>
      {activeRun ? (
        <Alert tone="error">
          {activeRun} {t("cancelFirst")}
        </Alert>
      ) : null}
      <label className="flex items-center gap-2 text-slate-800">
        <input type="checkbox" checked={checked} onChange={(event) => setChecked(event.target.checked)} />
        {t("iWant")}
      </label>
      {error ? (
        <>
          <Alert tone="error">{error}</Alert>
          <label className="flex items-center gap-2 text-slate-800">
            <input type="checkbox" checked={byHand} onChange={(event) => setByHand(event.target.checked)} />
            {t("byHand")}
          </label>
        </>
      ) : null}
      <div className="flex gap-2">
        <Button
          variant="danger"
          disabled={!checked || pending || activeRun !== null}
          onClick={() =>
            startTransition(async () => {
              const result = await deleteMigrationAction({ migrationId, confirm: true, settingsRestoredByHand: byHand });
              if (!result.ok) {
                setError(result.error);
                return;
              }
              router.push("/migrations");
              router.refresh();
            })
          }
        >
          {pending ? t("deleting") : t("delete")}
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
          {t("keep")}
        </Button>
      </div>
    </div>
  );
}
