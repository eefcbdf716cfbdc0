"use client";

// Step 8: what the full run will do (counts, estimated duration, what will and will not migrate),
// then Start, disabled with the reasons while the wizard says it is not ready (the action re-checks).
import { useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { formatNumber } from "@/lib/format-date";
import type { Locale } from "@/lib/i18n/locale";
import { Rocket } from "lucide-react";
import { startFullRunAction } from "@/app/actions/run-actions";
import { DataTable } from "@/app/_components/data-table";
import { Alert, Button, Card } from "@/app/_components/ui";
import type { FullRunSummary } from "@/lib/runs/full-run-summary";
import type { RunListRow } from "@/lib/runs/list";
import { RunsList } from "../runs/runs-list";

type ObjectRow = FullRunSummary["objects"][number];

type Translate = ReturnType<typeof useTranslations<"fullRun">>;

const objectColumns = (t: Translate, locale: Locale): ColumnDef<ObjectRow, unknown>[] => [
  {
    accessorKey: "sourceObject",
    header: t("sourceObject"),
    cell: ({ row }) =>
      row.original.parent ? (
        <span translate="no" className="pl-3 text-slate-600">
          {row.original.sourceObject} <span className="text-xs text-slate-400">{t("ofEach", { parent: row.original.parent })}</span>
        </span>
      ) : (
        <span translate="no">{row.original.sourceObject}</span>
      ),
  },
  { accessorKey: "targetObject", header: t("targetObject"), cell: ({ getValue }) => <span translate="no">{String(getValue())}</span> },
  {
    accessorKey: "count",
    header: t("records"),
    cell: ({ row }) =>
      row.original.count === null ? (
        <span className="text-slate-500" title={row.original.error}>
          {t("countedDuringRun")}
        </span>
      ) : (
        formatNumber(row.original.count, locale)
      ),
  },
  { accessorKey: "mappedFields", header: t("mappedFields") },
  { id: "children", header: t("with"), cell: ({ row }) => <span translate="no">{row.original.children.join(", ") || "—"}</span> },
];

/** Before Start: what the audit expects to fail or lose a value under the plan's policies. */
function ExpectedProblems({ expected }: { expected: FullRunSummary["expectedProblems"] }) {
  const t = useTranslations("fullRun");
  const locale = useLocale();
  if (expected === null) return <Alert tone="info">{t("runAudit")}</Alert>;
  const title = expected.failed > 0 ? t("expectedFail", { count: formatNumber(expected.failed, locale) }) : t("noneExpected");
  const description =
    expected.fields.length === 0
      ? t("noInvalid")
      : t("expectedRepairs", { repaired: formatNumber(expected.repaired, locale), dropped: formatNumber(expected.dropped, locale) });
  return (
    <Card title={title} description={description}>
      {expected.fields.length > 0 ? (
        <ul lang="en" className="list-inside list-disc space-y-1 text-sm text-slate-700">
          {expected.fields.map((field) => (
            <li key={`${field.objectType}.${field.field}`}>{field.sentence}</li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">{t("nothingToRepair")}</p>
      )}
    </Card>
  );
}

export function FullRunView({
  migrationId,
  summary,
  duration,
  readiness,
  runs,
}: {
  migrationId: string;
  summary: FullRunSummary;
  duration: string | null;
  readiness: { ok: boolean; reasons: string[] };
  runs: RunListRow[];
}) {
  const t = useTranslations("fullRun");
  const locale = useLocale();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const active = runs.some((run) => ["queued", "running", "paused", "cancelling", "rolling_back"].includes(run.status));

  return (
    <div className="space-y-5">
      <Card
        title={t("title")}
        description={
          summary.objects.some((object) => object.count === null)
            ? t("countedSome", { count: formatNumber(summary.totalRecords, locale) })
            : t("counted", { count: formatNumber(summary.totalRecords, locale) })
        }
      >
        <DataTable columns={objectColumns(t, locale)} data={summary.objects} label={t("objects")} emptyMessage={t("noObjects")} />
        {summary.estimate ? (
          <p className="mt-3 text-sm text-slate-700">
            {t.rich("estimate", {
              duration: duration ?? "",
              requests: formatNumber(summary.estimate.requests, locale),
              batch: summary.estimate.batchSize,
              limit: summary.estimate.rateLimit,
              en: (chunks) => <span lang="en">{chunks}</span>,
              strong: (chunks) => <strong>{chunks}</strong>,
            })}
          </p>
        ) : null}
      </Card>
      <div className="grid gap-5 md:grid-cols-2">
        {/* These lines are still worded in English by lib/runs/full-run-summary.ts (lang marks them). */}
        <Card title={t("willMigrate")}>
          <ul lang="en" className="list-inside list-disc space-y-1 text-sm text-slate-700">
            {summary.willMigrate.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </Card>
        <Card title={t("willNotMigrate")}>
          <ul lang="en" className="list-inside list-disc space-y-1 text-sm text-slate-700">
            {summary.willNotMigrate.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </Card>
      </div>
      <ExpectedProblems expected={summary.expectedProblems} />
      <Card title={t("start")} description={t("startDescription")}>
        {!readiness.ok ? (
          <div className="mb-3">
            <Alert tone="info">
              {t("notReady")}
              <ul lang="en" className="mt-1 list-inside list-disc">
                {readiness.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            </Alert>
          </div>
        ) : null}
        {active ? (
          <div className="mb-3">
            <Alert tone="info">{t("inProgress")}</Alert>
          </div>
        ) : null}
        {error ? (
          <div className="mb-3">
            <Alert tone="error">{error}</Alert>
          </div>
        ) : null}
        <Button
          disabled={!readiness.ok || pending || active}
          onClick={() =>
            startTransition(async () => {
              setError(null);
              const result = await startFullRunAction({ migrationId });
              if (!result.ok || !result.data) {
                setError(result.ok ? t("couldNotStart") : result.error);
                return;
              }
              router.push(`/migrations/${migrationId}/runs/${result.data.runId}`);
            })
          }
        >
          <Rocket aria-hidden className="h-4 w-4" />
          {pending ? t("starting") : t("start")}
        </Button>
      </Card>
      {runs.length > 0 ? (
        <Card title={t("runs")}>
          <RunsList migrationId={migrationId} runs={runs} />
          <p className="mt-3 text-sm text-slate-600">
            {t.rich("syncLink", {
              link: (chunks) => (
                <Link className="text-indigo-700 hover:underline" href={`/migrations/${migrationId}/sync`}>
                  {chunks}
                </Link>
              ),
            })}
          </p>
        </Card>
      ) : null}
    </div>
  );
}
