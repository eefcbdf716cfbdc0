"use client";

// Step 7: a demo run on a small sample, its live progress, then the results side by side with a
// field-by-field comparison, the failed records, and "Delete demo data".
import { useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { ExternalLink, FlaskConical } from "lucide-react";
import { startDemoRunAction } from "@/app/actions/run-actions";
import { DataTable } from "@/app/_components/data-table";
import { ProgressBar, ProgressLegend } from "@/app/_components/progress-bar";
import { RunStatusBadge } from "@/app/_components/run-status-badge";
import { Alert, Badge, Button, Card, Field, Input } from "@/app/_components/ui";
import type { DemoRecordRow, DemoResults, FieldComparison } from "@/lib/runs/demo-results";
import type { RunProgressJson } from "@/lib/runs/progress";
import type { RollbackPreview } from "@/lib/runs/rollback-preview";
import { RollbackConfirm, RollbackProgressPanel } from "../runs/_components/rollback-confirm";
import { useRunProgress } from "../runs/_components/use-run-progress";
import { formatTime } from "@/lib/format-date";
import { describePhase } from "@/lib/migration/phase";

const OUTCOME_TONE = { same: "green", changed: "indigo", missing: "red", empty: "slate" } as const;

type Translate = ReturnType<typeof useTranslations<"demo">>;

const comparisonColumns = (t: Translate): ColumnDef<FieldComparison, unknown>[] => [
  { accessorKey: "sourceLabel", header: t("sourceField"), cell: ({ getValue }) => <span translate="no">{String(getValue())}</span> },
  {
    accessorKey: "sourceValue",
    header: t("sourceValue"),
    cell: ({ getValue }) => (
      <span className="break-words">
        {String(getValue()) ? <span translate="no">{String(getValue())}</span> : <span className="text-slate-400">{t("empty")}</span>}
      </span>
    ),
  },
  { accessorKey: "targetLabel", header: t("targetField"), cell: ({ getValue }) => <span translate="no">{String(getValue())}</span> },
  {
    accessorKey: "targetValue",
    header: t("targetValue"),
    cell: ({ getValue }) => (
      <span className="break-words">
        {String(getValue()) ? <span translate="no">{String(getValue())}</span> : <span className="text-slate-400">{t("empty")}</span>}
      </span>
    ),
  },
  {
    accessorKey: "outcome",
    header: t("result"),
    cell: ({ getValue }) => {
      const outcome = getValue() as keyof typeof OUTCOME_TONE;
      return <Badge tone={OUTCOME_TONE[outcome]}>{t(`outcome.${outcome}`)}</Badge>;
    },
  },
];

function LiveProgress({ initial }: { initial: RunProgressJson }) {
  const t = useTranslations("demo");
  const locale = useLocale();
  const { progress, error } = useRunProgress(initial);
  return (
    <Card
      title={
        <span className="inline-flex items-center gap-2">
          {t("run")} <RunStatusBadge status={progress.status} />
        </span>
      }
      description={progress.active ? t("live") : undefined}
      actions={<ProgressLegend />}
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      {progress.error ? (
        <Alert tone="error">
          <span lang="en">{progress.error}</span>
        </Alert>
      ) : null}
      {progress.active ? (
        <p lang="en" className="mb-3 text-sm text-slate-700">
          {describePhase(progress.phase, (value) => formatTime(value, locale))}
        </p>
      ) : null}
      {progress.rollback ? (
        <div className="mb-3">
          <RollbackProgressPanel progress={progress.rollback} status={progress.status} />
        </div>
      ) : null}
      <ul className="space-y-3">
        {progress.objects.map((object) => (
          <li key={object.objectType}>
            <div className="mb-1 flex justify-between text-sm">
              <span translate="no" className={object.parentObjectType ? "pl-4 text-slate-600" : "font-medium"}>
                {object.objectType} → {object.targetObjectType}
              </span>
              <span className="tabular-nums text-slate-500">
                {object.processed} / {object.total}
              </span>
            </div>
            <ProgressBar label={t("objectProgress", { object: object.objectType })} value={object.processed} total={object.total} segments={object} />
          </li>
        ))}
      </ul>
      <p className="mt-3 text-xs text-slate-500">
        {t("totals", { created: progress.totals.created, updated: progress.totals.updated, skipped: progress.totals.skipped, failed: progress.totals.failed })}{" "}
        ·{" "}
        <Link className="text-indigo-700 hover:underline" href={`/migrations/${progress.migrationId}/runs/${progress.runId}`}>
          {t("openDashboard")}
        </Link>
      </p>
    </Card>
  );
}

export function DemoView({
  migrationId,
  defaultSampleSize,
  progress,
  results,
  resultsError,
  preview,
  targetLabel,
  readiness,
  canDelete,
}: {
  migrationId: string;
  defaultSampleSize: number;
  progress: RunProgressJson | null;
  results: DemoResults | null;
  resultsError: string | null;
  preview: RollbackPreview | null;
  targetLabel: string;
  readiness: { ok: boolean; reasons: string[]; fix: { href: string; label: string } | null };
  canDelete: boolean;
}) {
  const t = useTranslations("demo");
  const recordStatus = useTranslations("recordStatus");
  const router = useRouter();
  const [sampleSize, setSampleSize] = useState(String(defaultSampleSize));
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [selected, setSelected] = useState<string | null>(null);
  const active = progress?.active ?? false;
  const rows = results?.records ?? [];
  const chosen = rows.find((row) => `${row.objectType}:${row.sourceId}` === selected) ?? rows.find((row) => row.fields !== null) ?? null;

  const recordColumns: ColumnDef<DemoRecordRow, unknown>[] = [
    {
      accessorKey: "objectLabel",
      header: t("object"),
      cell: ({ row }) => (
        <span translate="no" className={row.original.parentSourceId ? "pl-3 text-slate-500" : undefined}>
          {row.original.objectLabel}
        </span>
      ),
    },
    {
      accessorKey: "sourceTitle",
      header: t("sourceRecord"),
      cell: ({ row }) => (
        <div translate="no">
          <div className="font-medium text-slate-800">{row.original.sourceTitle}</div>
          <code className="text-xs text-slate-500">{row.original.sourceId}</code>
        </div>
      ),
    },
    {
      accessorKey: "targetId",
      header: t("inTarget", { target: targetLabel }),
      cell: ({ row }) =>
        row.original.targetUrl ? (
          <a
            translate="no"
            className="inline-flex items-center gap-1 text-indigo-700 hover:underline"
            href={row.original.targetUrl}
            target="_blank"
            rel="noreferrer"
          >
            {row.original.targetObjectType} <code className="text-xs">{row.original.targetId}</code> <ExternalLink aria-hidden className="h-3 w-3" />
          </a>
        ) : row.original.targetId ? (
          <span translate="no">
            {row.original.targetObjectType} <code className="text-xs">{row.original.targetId}</code>
          </span>
        ) : (
          <span className="text-slate-400">—</span>
        ),
    },
    {
      accessorKey: "status",
      header: t("status"),
      cell: ({ row }) => (
        <Badge tone={row.original.status === "failed" ? "red" : row.original.status === "created" ? "green" : "slate"}>
          {recordStatus.has(row.original.status as "created") ? recordStatus(row.original.status as "created") : row.original.status}
        </Badge>
      ),
    },
    {
      id: "compare",
      header: "",
      cell: ({ row }) =>
        row.original.fields ? (
          <Button
            variant={chosen === row.original ? "primary" : "secondary"}
            onClick={() => setSelected(`${row.original.objectType}:${row.original.sourceId}`)}
          >
            {t("compare")}
          </Button>
        ) : null,
    },
  ];
  const failureColumns: ColumnDef<DemoRecordRow, unknown>[] = [
    { accessorKey: "objectLabel", header: t("object"), cell: ({ row }) => <span translate="no">{row.original.objectLabel}</span> },
    {
      accessorKey: "sourceTitle",
      header: t("sourceRecord"),
      cell: ({ row }) => (
        <span translate="no">
          {row.original.sourceTitle} <code className="text-xs text-slate-500">{row.original.sourceId}</code>
        </span>
      ),
    },
    {
      accessorKey: "error",
      header: t("reason"),
      cell: ({ getValue }) =>
        getValue() ? (
          <span lang="en" className="text-red-800">
            {String(getValue())}
          </span>
        ) : (
          <span className="text-red-800">{t("noReason")}</span>
        ),
    },
  ];

  function start() {
    setError(null);
    startTransition(async () => {
      const result = await startDemoRunAction({ migrationId, sampleSize });
      if (!result.ok) {
        setError({ message: result.error, field: result.fieldErrors?.sampleSize });
        return;
      }
      router.refresh();
    });
  }

  return (
    <div className="space-y-5">
      <Card title={t("title")} description={t("description")}>
        {!readiness.ok ? (
          <div className="mb-3">
            <Alert tone="info">
              <p className="font-medium">{t("notReady", { target: targetLabel })}</p>
              <ul lang="en" className="mt-1 list-inside list-disc">
                {readiness.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
              {readiness.fix ? (
                <Link className="mt-1 inline-block font-medium text-indigo-700 underline" href={readiness.fix.href}>
                  {t("goTo", { step: readiness.fix.label })}
                </Link>
              ) : null}
            </Alert>
          </div>
        ) : null}
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            start();
          }}
        >
          <div className="w-48">
            <Field label={t("sampleSize")} htmlFor="demo-sample-size" error={error?.field} hint={t("sampleSizeHint")}>
              <Input
                id="demo-sample-size"
                type="number"
                min={1}
                max={500}
                value={sampleSize}
                invalid={Boolean(error?.field)}
                onChange={(event) => setSampleSize(event.target.value)}
              />
            </Field>
          </div>
          <Button type="submit" disabled={pending || active || !readiness.ok}>
            <FlaskConical aria-hidden className="h-4 w-4" />
            {pending ? t("starting") : progress ? t("again") : t("start")}
          </Button>
        </form>
        {error && !error.field ? (
          <div className="mt-3">
            <Alert tone="error">{error.message}</Alert>
          </div>
        ) : null}
      </Card>

      {progress ? <LiveProgress initial={progress} /> : null}

      {resultsError ? <Alert tone="error">{resultsError}</Alert> : null}
      {results?.targetReadError ? <Alert tone="error">{t("readBackFailed", { error: results.targetReadError })}</Alert> : null}
      {results && results.status === "rolled_back" ? <Alert tone="success">{t("deleted", { target: targetLabel })}</Alert> : null}

      {results ? (
        <Card title={t("sideBySide")} description={t("sideBySideDescription")}>
          <DataTable columns={recordColumns} data={rows} label={t("records")} filterPlaceholder={t("filterRecords")} emptyMessage={t("noRecords")} />
        </Card>
      ) : null}

      {results && chosen?.fields ? (
        <Card
          title={t("fieldByField", { record: chosen.sourceTitle })}
          description={t("fieldByFieldDescription", {
            source: `${chosen.objectLabel} ${chosen.sourceId}`,
            target: `${chosen.targetObjectType} ${chosen.targetId ?? ""}`,
          })}
        >
          <DataTable columns={comparisonColumns(t)} data={chosen.fields} label={t("comparison")} emptyMessage={t("noField")} />
        </Card>
      ) : null}

      {results ? (
        <Card title={t("failedTitle", { count: results.failures.length })} description={t("failedDescription")}>
          <DataTable columns={failureColumns} data={results.failures} label={t("failedRecords")} emptyMessage={t("noFailure")} />
        </Card>
      ) : null}

      {preview && progress && !progress.active && progress.status !== "rolled_back" && preview.total > 0 ? (
        <Card title={t("deleteTitle")} description={t("deleteDescription")}>
          {canDelete ? (
            <RollbackConfirm preview={preview} label={t("deleteTitle")} confirmLabel={t("deleteTitle")} />
          ) : (
            <p className="text-sm text-slate-600">{t("deleteRefused")}</p>
          )}
        </Card>
      ) : null}
    </div>
  );
}
