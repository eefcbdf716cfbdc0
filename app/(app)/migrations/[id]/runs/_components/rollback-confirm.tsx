"use client";

// The rollback confirmation (admins): says exactly which runs it covers and what each created,
// what will be deleted per object and what is kept, and asks for an explicit confirmation. While
// the rollback runs in the background, RollbackProgressPanel shows deleted so far / total and an ETA.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Trash2 } from "lucide-react";
import { rollbackRunAction } from "@/app/actions/run-actions";
import { ProgressBar } from "@/app/_components/progress-bar";
import { RUN_MODE_LABELS } from "@/app/_components/run-status-badge";
import { Alert, Button } from "@/app/_components/ui";
import type { RollbackPreview } from "@/lib/runs/rollback-preview";
import type { RollbackProgress } from "@/lib/runs/rollback-progress";
import { formatDateTime } from "@/lib/format-date";

const number = (value: number) => value.toLocaleString("en");
const day = (iso: string) => formatDateTime(iso);

function etaText(seconds: number | null): string {
  if (seconds === null) return "estimating…";
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  return `about ${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s left`;
}

export function RollbackProgressPanel({ progress, status }: { progress: RollbackProgress; status: string }) {
  const running = status === "rolling_back";
  return (
    <div aria-label="Rollback progress" className="w-full space-y-1 rounded-md border border-slate-200 bg-white p-3 text-sm">
      <div className="flex flex-wrap justify-between gap-2">
        <span className="font-medium text-slate-800">
          {running ? "Rolling back" : status === "rolled_back" ? "Rolled back" : "Rollback paused"}: deleted {number(progress.removed)} of{" "}
          {number(progress.total)} record{progress.total === 1 ? "" : "s"}
          {progress.runs > 1 ? ` (${progress.runs} runs)` : ""}
        </span>
        <span className="tabular-nums text-slate-500">
          {running ? `${progress.recordsPerSecond.toLocaleString("en")}/s · ${etaText(progress.etaSeconds)}` : null}
        </span>
      </div>
      <ProgressBar label="Rollback progress" value={progress.removed} total={progress.total} />
      {progress.failed > 0 ? (
        <p className="text-xs text-red-700">{number(progress.failed)} could not be deleted; the audit log says why. Delete them in the target by hand.</p>
      ) : null}
    </div>
  );
}

export function RollbackConfirm({
  preview,
  label = "Roll back",
  confirmLabel = "Delete these records",
}: {
  preview: RollbackPreview;
  label?: string;
  confirmLabel?: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const rows = preview.objects.filter((object) => object.count > 0);
  const several = preview.runs.length > 1;

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
        {preview.total > 0
          ? `This deletes ${number(preview.total)} record${preview.total === 1 ? "" : "s"} ${several ? `created by ${preview.runs.length} runs of this migration` : "this run created"} in ${preview.targetName}:`
          : "These runs created no record that is still in the target; nothing will be deleted."}
      </p>
      {several ? (
        <div>
          <p className="text-slate-700">It covers every run of the migration not rolled back yet, so no record is left pointing at a deleted one:</p>
          <ul className="list-inside list-disc text-slate-700">
            {preview.runs.map((run) => (
              <li key={run.id}>
                {RUN_MODE_LABELS[run.mode] ?? run.mode} of {day(run.createdAt)} ({run.status.replace(/_/g, " ")}): {number(run.created)} created
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {rows.length > 0 ? (
        <ul className="list-inside list-disc text-slate-700">
          {rows.map((row) => (
            <li key={row.objectType}>
              {number(row.count)} {row.targetObjectType || row.objectType}
              {row.targetObjectType && row.targetObjectType !== row.objectType ? <span className="text-slate-500"> (from {row.objectType})</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="text-slate-600">
        {preview.keptExisting + preview.keptUpdated > 0
          ? `Kept: ${number(preview.keptExisting)} record${preview.keptExisting === 1 ? "" : "s"} that existed in ${preview.targetName} before (linked, not created) and ${number(preview.keptUpdated)} only updated.`
          : `Records that existed in ${preview.targetName} before, or were only updated, are never deleted (there are none here).`}
        {preview.duplicatesOfCreated > 0
          ? ` ${number(preview.duplicatesOfCreated)} source duplicate${preview.duplicatesOfCreated === 1 ? " was" : "s were"} merged into records Ferry created; they go with them.`
          : ""}{" "}
        The deletion cannot be undone; it runs in the background and this page shows its progress.
      </p>
      <label className="flex items-center gap-2 text-slate-800">
        <input type="checkbox" checked={checked} onChange={(event) => setChecked(event.target.checked)} />I understand these records will be deleted from{" "}
        {preview.targetName}.
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
