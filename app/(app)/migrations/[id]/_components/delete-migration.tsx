"use client";

// Delete a migration (admins): says that Ferry first puts back the settings it changed and that
// records already migrated stay in the target, and asks for an explicit confirmation.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Trash2 } from "lucide-react";
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
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [checked, setChecked] = useState(false);
  const [byHand, setByHand] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        <Trash2 aria-hidden className="h-4 w-4" /> Delete migration
      </Button>
    );
  }
  return (
    <div role="dialog" aria-label="Confirm deleting the migration" className="mt-2 w-full space-y-2 rounded-md border border-red-200 bg-red-50/40 p-3 text-sm">
      <p className="font-medium text-slate-900">Delete “{name}” from Ferry?</p>
      <ul className="list-inside list-disc text-slate-700">
        {outstandingSettings > 0 ? (
          <li>
            Ferry first puts back the {outstandingSettings} setting{outstandingSettings === 1 ? "" : "s"} it changed in {targetLabel}.
          </li>
        ) : (
          <li>Ferry has no setting of this migration left to put back.</li>
        )}
        <li>Its runs, record map and logs are deleted from Ferry.</li>
        <li>Records already migrated into {targetLabel} are never deleted: to remove them, roll the runs back first.</li>
      </ul>
      {activeRun ? <Alert tone="error">{activeRun} Cancel it or let it finish first.</Alert> : null}
      <label className="flex items-center gap-2 text-slate-800">
        <input type="checkbox" checked={checked} onChange={(event) => setChecked(event.target.checked)} />I want to delete this migration.
      </label>
      {error ? (
        <>
          <Alert tone="error">{error}</Alert>
          <label className="flex items-center gap-2 text-slate-800">
            <input type="checkbox" checked={byHand} onChange={(event) => setByHand(event.target.checked)} />I changed these settings back myself; delete anyway.
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
          {pending ? "Deleting…" : "Delete migration"}
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
          Keep it
        </Button>
      </div>
    </div>
  );
}
