"use client";

import { useEffect, useMemo, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { Loader2, Undo2 } from "lucide-react";
import { applySuggestionAction, auditStatusAction, startAuditAction, undoSuggestionAction } from "@/app/actions/wizard-actions";
import { DataTable } from "@/app/_components/data-table";
import { Alert, Badge, Button, Card } from "@/app/_components/ui";
import type { AuditProgress } from "@/lib/wizard/state";
import { formatDateTime, formatNumber } from "@/lib/format-date";

/** How often the page asks for the audit's progress while it runs. */
const POLL_MS = 1_000;

/** A record a suggestion would leave out: its id, what the audit saw, and the record it repeats. */
export type SkippedRecord = { sourceId: string; value: string; sameAs: string | null };

export type FindingRow = {
  id: string;
  kind: string;
  object: string;
  field: string;
  count: number;
  severity: "info" | "warn";
  message: string;
  examples: string[];
  suggestion: string | null;
  /** Records the suggestion leaves out (0: it changes values only) and the ones the audit listed. */
  skips: number;
  skipped: SkippedRecord[];
  appliedAt: string | null;
};

/** Rows shown in the confirmation before a scroll; the rest is counted. */
const LISTED_IN_CONFIRMATION = 500;

export function AuditView(props: {
  migrationId: string;
  status: string | null;
  error: string | null;
  finishedAt: string | null;
  maxRecords: number;
  progress: AuditProgress[];
  findings: FindingRow[];
  invalidValues: string[];
}) {
  const { migrationId } = props;
  const t = useTranslations("audit");
  const locale = useLocale();
  const number = (value: number) => formatNumber(value, locale);
  const router = useRouter();
  const [progress, setProgress] = useState(props.progress);
  const [status, setStatus] = useState(props.status);
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState<FindingRow | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  function apply(row: FindingRow) {
    dialog.current?.close();
    startTransition(async () => {
      const result = await applySuggestionAction({ migrationId, findingId: row.id, ...(row.skips > 0 ? { confirmSkipping: row.skips } : {}) });
      setNotice(
        result.ok
          ? {
              tone: "success",
              text:
                row.skips > 0
                  ? t("appliedSkipping", { suggestion: row.suggestion ?? "", count: row.skips, skips: number(row.skips) })
                  : t("applied", { suggestion: row.suggestion ?? "" }),
            }
          : { tone: "error", text: result.error },
      );
      router.refresh();
    });
  }

  /** A suggestion that leaves records out is applied only after the list of those records was shown. */
  function ask(row: FindingRow) {
    if (row.skips === 0) return apply(row);
    setConfirming(row);
    dialog.current?.showModal();
  }

  useEffect(() => {
    if (status !== "running") return;
    const timer = setInterval(async () => {
      const result = await auditStatusAction(migrationId);
      if (!result.ok || !result.data) return;
      setProgress(result.data.progress);
      if (result.data.status !== "running") {
        setStatus(result.data.status);
        router.refresh();
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [status, migrationId, router]);

  function start() {
    setNotice(null);
    startTransition(async () => {
      const result = await startAuditAction(migrationId);
      if (!result.ok) setNotice({ tone: "error", text: result.error });
      else setStatus("running");
      router.refresh();
    });
  }

  const columns = useMemo<ColumnDef<FindingRow, unknown>[]>(
    () => [
      {
        accessorKey: "kind",
        header: t("finding"),
        cell: ({ row }) => (
          <Badge tone={row.original.severity === "warn" ? "amber" : "slate"}>
            {t.has(`kind.${row.original.kind}` as "kind.duplicate-email")
              ? t(`kind.${row.original.kind}` as "kind.duplicate-email")
              : row.original.kind.replace(/-/g, " ")}
          </Badge>
        ),
      },
      { accessorKey: "object", header: t("object"), cell: ({ row }) => <span translate="no">{row.original.object}</span> },
      { accessorKey: "field", header: t("field"), cell: ({ row }) => <span translate="no">{row.original.field || "—"}</span> },
      { accessorKey: "count", header: t("records") },
      {
        id: "details",
        header: t("details"),
        enableSorting: false,
        accessorFn: (row) => row.message,
        cell: ({ row }) => (
          <div className="max-w-md space-y-1">
            <p lang="en" className="text-xs text-slate-700">
              {row.original.message}
            </p>
            {row.original.examples.length > 0 ? (
              <details className="text-xs text-slate-500">
                <summary className="cursor-pointer">{t("examples", { count: row.original.examples.length })}</summary>
                <ul className="mt-1 list-disc pl-4">
                  {row.original.examples.map((example) => (
                    <li key={example} translate="no" className="break-all">
                      {example}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </div>
        ),
      },
      {
        id: "suggestion",
        header: t("suggestion"),
        enableSorting: false,
        cell: ({ row }) =>
          row.original.suggestion === null ? (
            <span className="text-xs text-slate-400">{t("needsPerson")}</span>
          ) : row.original.appliedAt ? (
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone="green">{t("appliedBadge")}</Badge>
              <Button
                variant="ghost"
                disabled={pending}
                aria-label={t("undoLabel", { suggestion: row.original.suggestion })}
                onClick={() =>
                  startTransition(async () => {
                    const result = await undoSuggestionAction({ migrationId, findingId: row.original.id });
                    setNotice(result.ok ? { tone: "success", text: result.message ?? t("undone") } : { tone: "error", text: result.error });
                    router.refresh();
                  })
                }
              >
                <Undo2 aria-hidden className="h-3.5 w-3.5" /> {t("undo")}
              </Button>
            </div>
          ) : (
            <Button variant="secondary" disabled={pending} onClick={() => ask(row.original)}>
              <span lang="en">{row.original.suggestion}</span>
              {row.original.skips > 0 ? ` (${number(row.original.skips)})` : ""}
            </Button>
          ),
      },
    ],
    // ask/apply only close over the stable values listed here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [migrationId, pending, router, t, locale],
  );

  const capped = progress.filter((item) => item.capped);
  const running = status === "running";
  return (
    <div className="space-y-5">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {status === "failed" && props.error ? <Alert tone="error">{props.error}</Alert> : null}
      {status === "interrupted" ? <Alert tone="error">{t("interrupted")}</Alert> : null}
      <Card
        title={t("progress")}
        description={running ? t("canLeave") : props.finishedAt ? t("lastFinished", { date: formatDateTime(props.finishedAt, locale) }) : t("notRun")}
        actions={
          <Button onClick={start} disabled={running || pending}>
            {running ? <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> : null}
            {running ? t("auditing") : status ? t("runAgain") : t("run")}
          </Button>
        }
      >
        {progress.length === 0 ? (
          <p className="text-sm text-slate-500">{t("runToSee")}</p>
        ) : (
          <ul className="space-y-2" aria-live="polite">
            {progress.map((item) => {
              const total = item.total === null ? null : Math.min(item.total, props.maxRecords);
              const percent = item.done ? 100 : total ? Math.min(100, Math.round((item.read / total) * 100)) : 0;
              return (
                <li key={item.objectType} className="text-sm">
                  <div className="flex justify-between gap-2 text-xs text-slate-600">
                    <span translate="no" className="font-medium text-slate-800">
                      {item.label}
                    </span>
                    <span>
                      {item.total !== null ? t("readOf", { read: number(item.read), total: number(item.total) }) : t("read", { read: number(item.read) })}
                      {item.capped ? ` ${t("capReached")}` : item.done ? ` · ${t("done")}` : ""}
                    </span>
                  </div>
                  <div
                    className="mt-1 h-1.5 overflow-hidden rounded bg-slate-100"
                    role="progressbar"
                    aria-label={t("progressOf", { object: item.label })}
                    aria-valuenow={percent}
                    aria-valuemin={0}
                    aria-valuemax={100}
                  >
                    <div className="h-full bg-indigo-500 transition-all" style={{ width: `${percent}%` }} />
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        {capped.length > 0 ? (
          <p className="mt-3 text-xs text-amber-800">{t("capped", { max: number(props.maxRecords), objects: capped.map((item) => item.label).join(", ") })}</p>
        ) : null}
      </Card>
      {status === "done" ? (
        <Card title={t("findings", { count: props.findings.length })} description={t("findingsDescription")}>
          <DataTable
            label={t("findingsLabel")}
            columns={columns}
            data={props.findings}
            filterPlaceholder={t("filterFindings")}
            emptyMessage={t("noFindings")}
          />
        </Card>
      ) : null}
      {status === "done" && props.invalidValues.length > 0 ? (
        <Card title={t("invalidTitle")} description={t("invalidDescription")}>
          <ul className="list-inside list-disc space-y-1 text-sm text-slate-700">
            {props.invalidValues.map((sentence) => (
              <li key={sentence} lang="en">
                {sentence}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <dialog ref={dialog} aria-labelledby="skip-title" className="m-auto w-full max-w-2xl rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        {confirming ? <SkipConfirmation row={confirming} onCancel={() => dialog.current?.close()} onConfirm={() => apply(confirming)} /> : null}
      </dialog>
    </div>
  );
}

function SkipConfirmation({ row, onCancel, onConfirm }: { row: FindingRow; onCancel: () => void; onConfirm: () => void }) {
  const listed = row.skipped.slice(0, LISTED_IN_CONFIRMATION);
  const repeats = row.skipped.some((record) => record.sameAs !== null);
  const t = useTranslations("audit");
  const locale = useLocale();
  const skips = formatNumber(row.skips, locale);
  return (
    <div className="space-y-3 p-5">
      <h2 id="skip-title" className="text-base font-semibold text-slate-900">
        {t("skipQuestion", { count: row.skips, skips, object: row.object })}
      </h2>
      <p className="text-sm text-slate-700">
        {row.suggestion}. {repeats ? t("skipRepeats") : t("skipLeftOut")} {t("undoBringsBack")}
      </p>
      <div className="max-h-72 overflow-auto rounded border border-slate-200">
        <table className="w-full text-left text-xs" aria-label={t("skippedLabel")}>
          <thead className="sticky top-0 bg-slate-50 text-slate-600">
            <tr>
              <th className="px-2 py-1 font-medium">{t("record")}</th>
              <th className="px-2 py-1 font-medium">{repeats ? row.field || t("value") : t("why")}</th>
              {repeats ? <th className="px-2 py-1 font-medium">{t("sameAsColumn")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {listed.map((record) => (
              <tr key={record.sourceId} className="border-t border-slate-100">
                <td className="px-2 py-1 font-mono">{record.sourceId}</td>
                <td translate="no" className="break-all px-2 py-1">
                  {record.value}
                </td>
                {repeats ? <td className="px-2 py-1 font-mono">{record.sameAs}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {row.skips > listed.length ? <p className="text-xs text-slate-500">{t("andMore", { count: formatNumber(row.skips - listed.length, locale) })}</p> : null}
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onCancel}>
          {t("cancel")}
        </Button>
        <Button onClick={onConfirm}>{t("skipButton", { count: row.skips, skips })}</Button>
      </div>
    </div>
  );
}
