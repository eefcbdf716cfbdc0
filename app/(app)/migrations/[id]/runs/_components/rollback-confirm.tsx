"use client";

// The rollback confirmation: says exactly what will be deleted (records this run created, per
// object) and what is kept, and asks for an explicit confirmation before the action runs.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Trash2 } from "lucide-react";
import { rollbackRunAction } from "@/app/actions/run-actions";
import { Alert, Button } from "@/app/_components/ui";
import type { RollbackPreview } from "@/lib/runs/rollback-preview";

export function RollbackConfirm({ preview, label = "Roll back this run", confirmLabel = "Delete these records" }: { preview: RollbackPreview; label?: string; confirmLabel?: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const rows = preview.objects.filter((object) => object.count > 0);

  if (!open) {
    return (
      <Button variant="danger" onClick={() => setOpen(true)}>
        <Trash2 aria-hidden className="h-4 w-4" />
        {label}
      </Button>
    );
  }
  return (
    <div role="dialog" aria-label="Confirm rollback" className="w-full space-y-3 rounded-md border border-red-200 bg-red-50/40 p-4 text-sm">
      <p className="font-medium text-slate-900">
        {preview.total > 0 ? `This deletes ${preview.total.toLocaleString("en")} record${preview.total === 1 ? "" : "s"} this run created in ${preview.targetName}:` : "This run created no record that is still in the target; nothing will be deleted."}
      </p>
      {rows.length > 0 ? (
        <ul className="list-inside list-disc text-slate-700">
          {rows.map((row) => (
            <li key={row.objectType}>
              {row.count.toLocaleString("en")} {row.targetObjectType || row.objectType}
              {row.targetObjectType && row.targetObjectType !== row.objectType ? <span className="text-slate-500"> (from {row.objectType})</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="text-slate-600">
        Records that existed before or were only updated are kept
        {preview.keptUpdated + preview.keptExisting > 0 ? ` (${preview.keptExisting.toLocaleString("en")} existing, ${preview.keptUpdated.toLocaleString("en")} updated)` : ""}. The deletion cannot be undone.
      </p>
      <label className="flex items-center gap-2 text-slate-800">
        <input type="checkbox" checked={checked} onChange={(event) => setChecked(event.target.checked)} />
        I understand these records will be deleted from {preview.targetName}.
      </label>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="flex gap-2">
        <Button
          variant="danger"
          disabled={!checked || pending}
          onClick={() =>
            startTransition(async () => {
              const result = await rollbackRunAction({ runId: preview.runId, confirm: true });
              if (!result.ok) {
                setError(result.error);
                return;
              }
              setOpen(false);
              router.refresh();
            })
          }
        >
          {pending ? "Starting…" : confirmLabel}
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
          Keep them
        </Button>
      </div>
    </div>
  );
}
