"use client";

// Step 7: a demo run on a small sample, its live progress, then the results side by side with a
// field-by-field comparison, the failed records, and "Delete demo data".
import { useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
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

const OUTCOME = {
  same: { tone: "green", label: "Same" },
  changed: { tone: "indigo", label: "Transformed" },
  missing: { tone: "red", label: "Not in target" },
  empty: { tone: "slate", label: "Empty" },
} as const;

const comparisonColumns: ColumnDef<FieldComparison, unknown>[] = [
  { accessorKey: "sourceLabel", header: "Source field" },
  {
    accessorKey: "sourceValue",
    header: "Source value",
    cell: ({ getValue }) => <span className="break-words">{String(getValue()) || <span className="text-slate-400">(empty)</span>}</span>,
  },
  { accessorKey: "targetLabel", header: "Target field" },
  {
    accessorKey: "targetValue",
    header: "Target value",
    cell: ({ getValue }) => <span className="break-words">{String(getValue()) || <span className="text-slate-400">(empty)</span>}</span>,
  },
  {
    accessorKey: "outcome",
    header: "Result",
    cell: ({ getValue }) => {
      const outcome = OUTCOME[getValue() as keyof typeof OUTCOME];
      return <Badge tone={outcome.tone}>{outcome.label}</Badge>;
    },
  },
];

function LiveProgress({ initial }: { initial: RunProgressJson }) {
  const { progress, error } = useRunProgress(initial);
  return (
    <Card
      title={
        <span className="inline-flex items-center gap-2">
          Demo run <RunStatusBadge status={progress.status} />
        </span>
      }
      description={progress.active ? "Live: updates every 1.5 s." : undefined}
      actions={<ProgressLegend />}
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      {progress.error ? <Alert tone="error">{progress.error}</Alert> : null}
      {progress.active ? <p className="mb-3 text-sm text-slate-700">{describePhase(progress.phase, formatTime)}</p> : null}
      {progress.rollback ? (
        <div className="mb-3">
          <RollbackProgressPanel progress={progress.rollback} status={progress.status} />
        </div>
      ) : null}
      <ul className="space-y-3">
        {progress.objects.map((object) => (
          <li key={object.objectType}>
            <div className="mb-1 flex justify-between text-sm">
              <span className={object.parentObjectType ? "pl-4 text-slate-600" : "font-medium"}>
                {object.objectType} → {object.targetObjectType}
              </span>
              <span className="tabular-nums text-slate-500">
                {object.processed} / {object.total}
              </span>
            </div>
            <ProgressBar label={`${object.objectType} progress`} value={object.processed} total={object.total} segments={object} />
          </li>
        ))}
      </ul>
      <p className="mt-3 text-xs text-slate-500">
        {progress.totals.created} created · {progress.totals.updated} updated · {progress.totals.skipped} skipped · {progress.totals.failed} failed ·{" "}
        <Link className="text-indigo-700 hover:underline" href={`/migrations/${progress.migrationId}/runs/${progress.runId}`}>
          open the run dashboard
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
      header: "Object",
      cell: ({ row }) => <span className={row.original.parentSourceId ? "pl-3 text-slate-500" : undefined}>{row.original.objectLabel}</span>,
    },
    {
      accessorKey: "sourceTitle",
      header: "Source record",
      cell: ({ row }) => (
        <div>
          <div className="font-medium text-slate-800">{row.original.sourceTitle}</div>
          <code className="text-xs text-slate-500">{row.original.sourceId}</code>
        </div>
      ),
    },
    {
      accessorKey: "targetId",
      header: `In ${targetLabel}`,
      cell: ({ row }) =>
        row.original.targetUrl ? (
          <a className="inline-flex items-center gap-1 text-indigo-700 hover:underline" href={row.original.targetUrl} target="_blank" rel="noreferrer">
            {row.original.targetObjectType} <code className="text-xs">{row.original.targetId}</code> <ExternalLink aria-hidden className="h-3 w-3" />
          </a>
        ) : row.original.targetId ? (
          <span>
            {row.original.targetObjectType} <code className="text-xs">{row.original.targetId}</code>
          </span>
        ) : (
          <span className="text-slate-400">—</span>
        ),
    },
    {
      accessorKey: "status",
      header: "Status",
      cell: ({ row }) => (
        <Badge tone={row.original.status === "failed" ? "red" : row.original.status === "created" ? "green" : "slate"}>{row.original.status}</Badge>
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
            Compare
          </Button>
        ) : null,
    },
  ];
  const failureColumns: ColumnDef<DemoRecordRow, unknown>[] = [
    { accessorKey: "objectLabel", header: "Object" },
    {
      accessorKey: "sourceTitle",
      header: "Source record",
      cell: ({ row }) => (
        <span>
          {row.original.sourceTitle} <code className="text-xs text-slate-500">{row.original.sourceId}</code>
        </span>
      ),
    },
    { accessorKey: "error", header: "Reason", cell: ({ getValue }) => <span className="text-red-800">{String(getValue() ?? "No reason recorded")}</span> },
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
      <Card
        title="Demo migration"
        description="Migrate a small sample first, with the records it depends on, and inspect it in the target before the full run."
      >
        {!readiness.ok ? (
          <div className="mb-3">
            <Alert tone="info">
              <p className="font-medium">Not ready yet: the demo writes into {targetLabel} like the full run, so it waits for the same prerequisites.</p>
              <ul className="mt-1 list-inside list-disc">
                {readiness.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
              {readiness.fix ? (
                <Link className="mt-1 inline-block font-medium text-indigo-700 underline" href={readiness.fix.href}>
                  Go to {readiness.fix.label}
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
            <Field label="Records per object" htmlFor="demo-sample-size" error={error?.field} hint="Default 20; up to 500.">
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
            {pending ? "Starting…" : progress ? "Run another demo" : "Start the demo"}
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
      {results?.targetReadError ? <Alert tone="error">The target records could not be read back: {results.targetReadError}</Alert> : null}
      {results && results.status === "rolled_back" ? (
        <Alert tone="success">The demo data was deleted from {targetLabel}. The records below are how the demo went.</Alert>
      ) : null}

      {results ? (
        <Card
          title="Source and target, side by side"
          description="Each sampled record and the record it became in the target. Compare shows every mapped field."
        >
          <DataTable columns={recordColumns} data={rows} label="Demo records" filterPlaceholder="Filter records…" emptyMessage="The demo selected no record." />
        </Card>
      ) : null}

      {results && chosen?.fields ? (
        <Card
          title={`Field by field: ${chosen.sourceTitle}`}
          description={`${chosen.objectLabel} ${chosen.sourceId} → ${chosen.targetObjectType} ${chosen.targetId ?? ""}. "Transformed" is expected where the mapping converts values (options, formats).`}
        >
          <DataTable columns={comparisonColumns} data={chosen.fields} label="Field comparison" emptyMessage="No mapped field." />
        </Card>
      ) : null}

      {results ? (
        <Card title={`Failed records (${results.failures.length})`} description="Fix the cause (mapping, target settings) and run the demo again.">
          <DataTable columns={failureColumns} data={results.failures} label="Failed demo records" emptyMessage="No record failed in the demo." />
        </Card>
      ) : null}

      {preview && progress && !progress.active && progress.status !== "rolled_back" && preview.total > 0 ? (
        <Card title="Delete demo data" description="Removes what the demo created, so the full run starts from a clean target.">
          {canDelete ? (
            <RollbackConfirm preview={preview} label="Delete demo data" confirmLabel="Delete demo data" />
          ) : (
            <p className="text-sm text-slate-600">
              Your role cannot delete the demo data (that needs the Rollback and deletion permission): ask someone who manages members.
            </p>
          )}
        </Card>
      ) : null}
    </div>
  );
}
