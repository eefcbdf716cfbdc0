"use client";

// Step 8: what the full run will do (counts, estimated duration, what will and will not migrate),
// then Start, disabled with the reasons while the wizard says it is not ready (the action re-checks).
import { useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { Rocket } from "lucide-react";
import { startFullRunAction } from "@/app/actions/run-actions";
import { DataTable } from "@/app/_components/data-table";
import { Alert, Button, Card } from "@/app/_components/ui";
import type { FullRunSummary } from "@/lib/runs/full-run-summary";
import type { RunListRow } from "@/lib/runs/list";
import { RunsList } from "../runs/runs-list";

type ObjectRow = FullRunSummary["objects"][number];

const columns: ColumnDef<ObjectRow, unknown>[] = [
  {
    accessorKey: "sourceObject",
    header: "Source object",
    cell: ({ row }) =>
      row.original.parent ? (
        <span className="pl-3 text-slate-600">
          {row.original.sourceObject} <span className="text-xs text-slate-400">(of each {row.original.parent})</span>
        </span>
      ) : (
        row.original.sourceObject
      ),
  },
  { accessorKey: "targetObject", header: "Target object" },
  {
    accessorKey: "count",
    header: "Records",
    cell: ({ row }) =>
      row.original.count === null ? (
        <span className="text-slate-500" title={row.original.error}>
          counted during the run
        </span>
      ) : (
        row.original.count.toLocaleString("en")
      ),
  },
  { accessorKey: "mappedFields", header: "Mapped fields" },
  { id: "children", header: "With", cell: ({ row }) => row.original.children.join(", ") || "—" },
];

/** Before Start: what the audit expects to fail or lose a value under the plan's policies. */
function ExpectedProblems({ expected }: { expected: FullRunSummary["expectedProblems"] }) {
  if (expected === null) return <Alert tone="info">Run the audit (step 4) to see before starting which records would fail or lose a value.</Alert>;
  const title = expected.failed > 0 ? `${expected.failed.toLocaleString("en")} records expected to fail` : "No record expected to fail";
  const description =
    expected.fields.length === 0
      ? "The audit found no invalid value in a mapped field."
      : `From the audit, under each field's policy for invalid values: ${expected.repaired.toLocaleString("en")} records arrive with a repaired value, ${expected.dropped.toLocaleString("en")} without the value (the run's warnings keep the original).`;
  return (
    <Card title={title} description={description}>
      {expected.fields.length > 0 ? (
        <ul className="list-inside list-disc space-y-1 text-sm text-slate-700">
          {expected.fields.map((field) => (
            <li key={`${field.objectType}.${field.field}`}>{field.sentence}</li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">Nothing to repair or leave out.</p>
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
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const active = runs.some((run) => ["queued", "running", "paused", "cancelling", "rolling_back"].includes(run.status));

  return (
    <div className="space-y-5">
      <Card
        title="What the full run migrates"
        description={`${summary.totalRecords.toLocaleString("en")} records counted in the source just now${summary.objects.some((object) => object.count === null) ? "; objects the source cannot count up front are counted during the run" : ""}.`}
      >
        <DataTable columns={columns} data={summary.objects} label="Objects to migrate" emptyMessage="No object is selected in the plan." />
        {summary.estimate ? (
          <p className="mt-3 text-sm text-slate-700">
            Estimated duration: <strong>about {duration}</strong>: {summary.estimate.requests.toLocaleString("en")} requests (batches of up to{" "}
            {summary.estimate.batchSize}) at the target&apos;s limit of {summary.estimate.rateLimit}. Retries after rate limits can make it longer.
          </p>
        ) : null}
      </Card>
      <div className="grid gap-5 md:grid-cols-2">
        <Card title="Will migrate">
          <ul className="list-inside list-disc space-y-1 text-sm text-slate-700">
            {summary.willMigrate.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </Card>
        <Card title="Will not migrate">
          <ul className="list-inside list-disc space-y-1 text-sm text-slate-700">
            {summary.willNotMigrate.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </Card>
      </div>
      <ExpectedProblems expected={summary.expectedProblems} />
      <Card title="Start the full run" description="It runs in the background; you can close the page and come back to the dashboard.">
        {!readiness.ok ? (
          <div className="mb-3">
            <Alert tone="info">
              Not ready yet:
              <ul className="mt-1 list-inside list-disc">
                {readiness.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            </Alert>
          </div>
        ) : null}
        {active ? (
          <div className="mb-3">
            <Alert tone="info">A run of this migration is in progress; open it below.</Alert>
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
                setError(result.ok ? "The run could not be started." : result.error);
                return;
              }
              router.push(`/migrations/${migrationId}/runs/${result.data.runId}`);
            })
          }
        >
          <Rocket aria-hidden className="h-4 w-4" />
          {pending ? "Starting…" : "Start the full run"}
        </Button>
      </Card>
      {runs.length > 0 ? (
        <Card title="Runs of this migration">
          <RunsList migrationId={migrationId} runs={runs} />
          <p className="mt-3 text-sm text-slate-600">
            Your team keeps working in the source until the switch?{" "}
            <Link className="text-indigo-700 hover:underline" href={`/migrations/${migrationId}/sync`}>
              Sync until cutover
            </Link>{" "}
            copies new records, changes and deletions every few minutes.
          </p>
        </Card>
      ) : null}
    </div>
  );
}
