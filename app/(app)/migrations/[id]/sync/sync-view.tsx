"use client";

// Sync until cutover: the settings (switch on, interval, conflicts, deletions per object), the last
// sync and the totals since sync began per object, Sync now, pause or resume, and Cut over.
import { useEffect, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { cutOverAction, pauseSyncAction, resumeSyncAction, saveSyncSettingsAction, syncNowAction } from "@/app/actions/sync-actions";
import { DataTable } from "@/app/_components/data-table";
import { Alert, Badge, Button, Card, Field, Input, Select } from "@/app/_components/ui";
import type { ActionResult } from "@/lib/action-result";
import { formatDateTime } from "@/lib/format-date";
import type { ObjectCounts } from "@/lib/sync/counts";
import type { ConflictView, SyncDashboard, SyncObjectView } from "@/lib/sync/dashboard";

/** While a sync runs, the page reads the numbers again this often. */
const REFRESH_MS = 3_000;

const STATUS_LABEL: Record<string, { label: string; tone: "green" | "amber" | "indigo" | "slate" }> = {
  active: { label: "Syncing", tone: "green" },
  paused: { label: "Paused", tone: "amber" },
  cutting_over: { label: "Cutting over", tone: "indigo" },
  cut_over: { label: "Cut over", tone: "slate" },
};

const CONFLICT_LABEL: Record<string, string> = {
  report: "Report it, keep the target's version",
  target_wins: "Keep the target's version quietly",
  source_wins: "Overwrite with the source's version",
};

const DELETION_LABEL: Record<string, string> = { report: "only reported", delete: "deleted in the target", archive: "archived in the target" };

const RESOLUTION_LABEL: Record<string, string> = {
  reported: "Reported, not overwritten",
  kept_target: "Kept the target's version",
  overwritten: "Overwritten",
};

function counts(value: ObjectCounts | null): string {
  if (!value) return "—";
  return `${value.created} / ${value.updated} / ${value.deleted} / ${value.conflicts}`;
}

const objectColumns: ColumnDef<SyncObjectView, unknown>[] = [
  { accessorKey: "sourceObject", header: "Source object" },
  { accessorKey: "targetObject", header: "Target object" },
  { id: "deletion", header: "Gone from the source", cell: ({ row }) => DELETION_LABEL[row.original.deletion] },
  { id: "last", header: "Last sync: new / updated / deleted / conflicts", cell: ({ row }) => counts(row.original.last) },
  { id: "sinceStart", header: "Since sync began", cell: ({ row }) => counts(row.original.sinceStart) },
];

const conflictColumns: ColumnDef<ConflictView, unknown>[] = [
  { accessorKey: "objectType", header: "Object" },
  { id: "record", header: "Record", cell: ({ row }) => row.original.sourceName ?? row.original.sourceId },
  { accessorKey: "targetId", header: "Target id" },
  { id: "resolution", header: "What Ferry did", cell: ({ row }) => RESOLUTION_LABEL[row.original.resolution] ?? row.original.resolution },
  { id: "detectedAt", header: "Found", cell: ({ row }) => formatDateTime(row.original.detectedAt) },
];

function useAction() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const run = (action: () => Promise<ActionResult<unknown>>) =>
    startTransition(async () => {
      const outcome = await action();
      setResult(outcome);
      if (outcome.ok) router.refresh();
    });
  return { pending, result, run };
}

function SettingsForm({
  dashboard,
  onSave,
  pending,
}: {
  dashboard: SyncDashboard;
  onSave: (input: Parameters<typeof saveSyncSettingsAction>[0]) => void;
  pending: boolean;
}) {
  const [interval, setIntervalMinutes] = useState(String(dashboard.sync.intervalMinutes));
  const [policy, setPolicy] = useState<string>(dashboard.sync.conflictPolicy);
  const [deletions, setDeletions] = useState<Record<string, string>>(
    Object.fromEntries(dashboard.objects.map((object) => [object.sourceObject, object.deletion])),
  );
  const switchedOn = dashboard.sync.status !== null;
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        onSave({ migrationId: dashboard.migrationId, intervalMinutes: interval, conflictPolicy: policy, deletions });
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Sync every (minutes)" htmlFor="sync-interval" hint="Each sync reads what changed and lists every object's ids once to find deletions.">
          <Input id="sync-interval" type="number" min={5} max={1440} value={interval} onChange={(event) => setIntervalMinutes(event.target.value)} />
        </Field>
        <Field
          label="A record edited in the target since Ferry wrote it"
          htmlFor="sync-conflicts"
          hint={
            dashboard.support.reportsUpdatedAt
              ? undefined
              : "This target does not report when a record last changed: Ferry cannot see edits there, the source's version is written."
          }
        >
          <Select id="sync-conflicts" value={policy} onChange={(event) => setPolicy(event.target.value)}>
            {Object.entries(CONFLICT_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div>
        <p className="mb-2 text-sm font-medium text-slate-800">When a record disappears from the source</p>
        <div className="grid gap-2 sm:grid-cols-2">
          {dashboard.objects.map((object) => (
            <label key={object.sourceObject} className="flex items-center justify-between gap-3 rounded-md border border-slate-200 px-3 py-2 text-sm">
              <span>
                {object.sourceObject} → {object.targetObject}
              </span>
              <Select
                aria-label={`When a ${object.sourceObject} record disappears`}
                value={deletions[object.sourceObject] ?? "report"}
                onChange={(event) => setDeletions({ ...deletions, [object.sourceObject]: event.target.value })}
              >
                <option value="report">Only report it</option>
                <option value="delete">Delete it in the target</option>
                <option value="archive" disabled={!dashboard.support.archive}>
                  {dashboard.support.archive ? "Archive it in the target" : "Archive (not available in this target)"}
                </option>
              </Select>
            </label>
          ))}
        </div>
        {dashboard.support.archive ? <p className="mt-1 text-xs text-slate-500">Archived: {dashboard.support.archive}.</p> : null}
      </div>
      <Button type="submit" disabled={pending}>
        {switchedOn ? "Save sync settings" : "Switch sync on"}
      </Button>
    </form>
  );
}

function Controls({ dashboard, run, pending }: { dashboard: SyncDashboard; run: ReturnType<typeof useAction>["run"]; pending: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const { status } = dashboard.sync;
  const input = { migrationId: dashboard.migrationId };
  if (status === "cut_over" || status === "cutting_over" || status === null) return null;
  const busy = pending || dashboard.current !== null;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button disabled={busy} onClick={() => run(() => syncNowAction(input))}>
        Sync now
      </Button>
      {status === "active" ? (
        <Button variant="secondary" disabled={pending} onClick={() => run(() => pauseSyncAction(input))}>
          Pause sync
        </Button>
      ) : (
        <Button variant="secondary" disabled={pending} onClick={() => run(() => resumeSyncAction(input))}>
          Resume sync
        </Button>
      )}
      {confirming ? (
        <span className="flex items-center gap-2 text-sm text-slate-700">
          A final sync, then the schedule stops for good and Ferry&apos;s setting changes are put back.
          <Button disabled={busy} onClick={() => run(() => cutOverAction(input))}>
            Cut over now
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Not yet
          </Button>
        </span>
      ) : (
        <Button variant="secondary" disabled={busy} onClick={() => setConfirming(true)}>
          Cut over
        </Button>
      )}
    </div>
  );
}

function Timeline({ dashboard }: { dashboard: SyncDashboard }) {
  const { sync, last, current } = dashboard;
  const next = sync.status === "active" ? (sync.nextAt ? formatDateTime(sync.nextAt) : "after the running sync") : sync.status === "paused" ? "paused" : "none";
  return (
    <dl className="grid gap-3 text-sm sm:grid-cols-4">
      <div>
        <dt className="text-xs text-slate-500">Last sync</dt>
        <dd>
          {last ? (
            <Link className="text-indigo-700 hover:underline" href={`/migrations/${dashboard.migrationId}/runs/${last.runId}`}>
              {formatDateTime(last.finishedAt ?? last.startedAt)} ({last.status})
            </Link>
          ) : (
            "none yet"
          )}
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Next sync</dt>
        <dd>{next}</dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Last sync: new / updated / deleted / conflicts</dt>
        <dd data-testid="last-sync-counts">{last ? counts(last.total) : "—"}</dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Since sync began</dt>
        <dd>{counts(dashboard.sinceStart)}</dd>
      </div>
      {current ? (
        <div className="sm:col-span-4">
          <Alert tone="info">
            A {current.kind === "cutover" ? "final" : ""} sync is running since {formatDateTime(current.startedAt)}.{" "}
            <Link className="text-indigo-700 hover:underline" href={`/migrations/${dashboard.migrationId}/runs/${current.runId}`}>
              Follow it on its run page
            </Link>
            ; this page updates by itself.
          </Alert>
        </div>
      ) : null}
      {last?.error ? (
        <div className="sm:col-span-4">
          <Alert tone="error">
            The last sync did not finish: {last.error} {sync.failures > 1 ? `(${sync.failures} in a row)` : ""} Fix the cause (often the connection&apos;s API
            key), then press Sync now.
          </Alert>
        </div>
      ) : null}
    </dl>
  );
}

export function SyncView({ dashboard }: { dashboard: SyncDashboard }) {
  const router = useRouter();
  const action = useAction();
  const { status } = dashboard.sync;
  const running = dashboard.current !== null;
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => router.refresh(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [running, router]);
  const badge = status ? STATUS_LABEL[status] : null;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-2">
          <h2 className="text-base font-semibold text-slate-900">Sync until cutover</h2>
          {badge ? <Badge tone={badge.tone}>{badge.label}</Badge> : <Badge>Off</Badge>}
        </div>
        <Controls dashboard={dashboard} run={action.run} pending={action.pending} />
      </div>
      {action.result ? <Alert tone={action.result.ok ? "success" : "error"}>{action.result.ok ? action.result.message : action.result.error}</Alert> : null}
      {status === "cut_over" ? (
        <Alert tone="success">
          Cut over on {formatDateTime(dashboard.sync.cutOverAt)}: the final sync is done and no sync starts any more. Since sync began:{" "}
          {counts(dashboard.sinceStart)} (new / updated / deleted / conflicts). Work in {dashboard.targetName} from now on.
        </Alert>
      ) : null}
      {status === null ? (
        <Card
          title="Keep the target up to date until you switch over"
          description={`After the full run, Ferry can copy what changes in the source to ${dashboard.targetName} every few minutes: new records, changes and deletions, one way. Cut over when your team moves.`}
        >
          {dashboard.hasFullRun ? (
            <SettingsForm dashboard={dashboard} onSave={(input) => action.run(() => saveSyncSettingsAction(input))} pending={action.pending} />
          ) : (
            <Alert tone="info">
              Sync starts after a full run. <Link href={`/migrations/${dashboard.migrationId}/run`}>Start the full run</Link> first.
            </Alert>
          )}
        </Card>
      ) : (
        <>
          <Card title="Syncs">
            <Timeline dashboard={dashboard} />
          </Card>
          <Card title="Per object" description="Counts are new / updated / deleted / conflicts.">
            <DataTable columns={objectColumns} data={dashboard.objects} emptyMessage="The plan migrates no object." label="Sync counts per object" />
          </Card>
          <Card title="Conflicts" description="Records changed in the source that someone had also edited in the target since Ferry last wrote them.">
            <DataTable columns={conflictColumns} data={dashboard.conflicts} emptyMessage="No conflict so far." label="Sync conflicts" />
          </Card>
          {status === "active" || status === "paused" ? (
            <Card title="Sync settings">
              <SettingsForm dashboard={dashboard} onSave={(input) => action.run(() => saveSyncSettingsAction(input))} pending={action.pending} />
            </Card>
          ) : null}
        </>
      )}
    </div>
  );
}
