"use client";

// The rollback confirmation (admins): says exactly which runs it covers and what each created,
// what will be deleted per object and what is kept, and asks for an explicit confirmation. While
// the rollback runs in the background, RollbackProgressPanel shows deleted so far / total and an ETA.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Trash2 } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { rollbackRunAction } from "@/app/actions/run-actions";
import { ProgressBar } from "@/app/_components/progress-bar";
import { useRunModeLabel } from "@/app/_components/run-status-badge";
import { Alert, Button } from "@/app/_components/ui";
import type { RollbackPreview } from "@/lib/runs/rollback-preview";
import type { RollbackProgress } from "@/lib/runs/rollback-progress";
import { formatDateTime, formatNumber } from "@/lib/format-date";

function useRollbackText() {
  const t = useTranslations("rollback");
  const locale = useLocale();
  const number = (value: number) => formatNumber(value, locale);
  const etaText = (seconds: number | null): string => {
    if (seconds === null) return t("estimating");
    if (seconds < 60) return t("etaSeconds", { seconds: Math.max(1, Math.round(seconds)) });
    return t("etaMinutes", { minutes: Math.floor(seconds / 60), seconds: Math.round(seconds % 60) });
  };
  return { t, locale, number, etaText };
}

export function RollbackProgressPanel({ progress, status }: { progress: RollbackProgress; status: string }) {
  const { t, number, etaText } = useRollbackText();
  const running = status === "rolling_back";
  return (
    <div aria-label={t("progress")} className="w-full space-y-1 rounded-md border border-slate-200 bg-white p-3 text-sm">
      <div className="flex flex-wrap justify-between gap-2">
        <span className="font-medium text-slate-800">
          {t("deleted", {
            state: running ? t("rollingBack") : status === "rolled_back" ? t("rolledBack") : t("paused"),
            removed: number(progress.removed),
            total: progress.total,
            totalText: number(progress.total),
          })}
          {progress.runs > 1 ? ` ${t("runs", { count: progress.runs })}` : ""}
        </span>
        <span className="tabular-nums text-slate-500">{running ? `${number(progress.recordsPerSecond)}/s · ${etaText(progress.etaSeconds)}` : null}</span>
      </div>
      <ProgressBar label={t("progress")} value={progress.removed} total={progress.total} />
      {progress.failed > 0 ? <p className="text-xs text-red-700">{t("failed", { count: number(progress.failed) })}</p> : null}
    </div>
  );
}

export function RollbackConfirm({ preview, label, confirmLabel }: { preview: RollbackPreview; label?: string; confirmLabel?: string }) {
  const { t, locale, number } = useRollbackText();
  const modeLabel = useRunModeLabel();
  const runStatus = useTranslations("runStatus");
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
        {label ?? t("rollBack")}
      </Button>
    );
  }
  return (
    <div role="dialog" aria-label={t("confirm")} className="w-full space-y-3 rounded-md border border-red-200 bg-red-50/40 p-4 text-sm">
      <p className="font-medium text-slate-900">
        {preview.total > 0
          ? several
            ? t("deletesSeveral", { count: preview.total, total: number(preview.total), runs: preview.runs.length, target: preview.targetName })
            : t("deletesOne", { count: preview.total, total: number(preview.total), target: preview.targetName })
          : t("nothing")}
      </p>
      {several ? (
        <div>
          <p className="text-slate-700">{t("covers")}</p>
          <ul className="list-inside list-disc text-slate-700">
            {preview.runs.map((run) => (
              <li key={run.id}>
                {t("runLine", {
                  mode: modeLabel(run.mode),
                  date: formatDateTime(run.createdAt, locale),
                  status: runStatus.has(run.status as "queued") ? runStatus(run.status as "queued") : run.status,
                  created: number(run.created),
                })}
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
              {row.targetObjectType && row.targetObjectType !== row.objectType ? (
                <span className="text-slate-500"> {t("from", { object: row.objectType })}</span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="text-slate-600">
        {preview.keptExisting + preview.keptUpdated > 0
          ? t("kept", { count: preview.keptExisting, existing: number(preview.keptExisting), target: preview.targetName, updated: number(preview.keptUpdated) })
          : t("keptNone", { target: preview.targetName })}
        {preview.duplicatesOfCreated > 0 ? ` ${t("duplicates", { count: preview.duplicatesOfCreated, duplicates: number(preview.duplicatesOfCreated) })}` : ""}{" "}
        {t("cannotUndo")}
      </p>
      <label className="flex items-center gap-2 text-slate-800">
        <input type="checkbox" checked={checked} onChange={(event) => setChecked(event.target.checked)} />
        {t("understand", { target: preview.targetName })}
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
          {pending ? t("starting") : (confirmLabel ?? t("deleteThese"))}
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
          {t("keep")}
        </Button>
      </div>
    </div>
  );
}
