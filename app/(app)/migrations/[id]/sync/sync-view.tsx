"use client";

// Sync until cutover: the settings (switch on, interval, conflicts, deletions per object), the last
// sync and the totals since sync began per object, Sync now, pause or resume, and Cut over.
import { useEffect, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { cutOverAction, pauseSyncAction, resumeSyncAction, saveSyncSettingsAction, syncNowAction } from "@/app/actions/sync-actions";
import { useConnectorText } from "@/app/_components/connector-text";
import { DataTable } from "@/app/_components/data-table";
import { Alert, Badge, Button, Card, Field, Input, Select } from "@/app/_components/ui";
import type { ActionResult } from "@/lib/action-result";
import { formatDateTime, formatNumber } from "@/lib/format-date";
import type { Locale } from "@/lib/i18n/locale";
import type { ObjectCounts } from "@/lib/sync/counts";
import type { ConflictView, SyncDashboard, SyncObjectView } from "@/lib/sync/dashboard";

/** While a sync runs, the page reads the numbers again this often. */
const REFRESH_MS = 3_000;

type Translate = ReturnType<typeof useTranslations<"sync">>;

const STATUS_TONE: Record<string, "green" | "amber" | "indigo" | "slate"> = { active: "green", paused: "amber", cutting_over: "indigo", cut_over: "slate" };
const CONFLICT_POLICIES = ["report", "target_wins", "source_wins"] as const;

/** "1 / 1 / 1 / 0": new / updated / deleted / conflicts. */
function counts(value: ObjectCounts | null, locale: Locale): string {
  if (!value) return "—";
  return [value.created, value.updated, value.deleted, value.conflicts].map((count) => formatNumber(count, locale)).join(" / ");
}

/** A key's words when the catalogue has them, else the stored value as it is. */
function labelOf(t: Translate, group: "deletion" | "resolution" | "cycleStatus", value: string): string {
  const key = `${group}.${value}` as "deletion.report";
  return t.has(key) ? t(key) : value;
}

const objectName = (name: string) => <span translate="no">{name}</span>;

const objectColumns = (t: Translate, locale: Locale): ColumnDef<SyncObjectView, unknown>[] => [
  { accessorKey: "sourceObject", header: t("sourceObject"), cell: ({ row }) => objectName(row.original.sourceObject) },
  { accessorKey: "targetObject", header: t("targetObject"), cell: ({ row }) => objectName(row.original.targetObject) },
  { id: "deletion", header: t("goneFromSource"), cell: ({ row }) => labelOf(t, "deletion", row.original.deletion) },
  { id: "last", header: t("lastCounts"), cell: ({ row }) => counts(row.original.last, locale) },
  { id: "sinceStart", header: t("sinceStart"), cell: ({ row }) => counts(row.original.sinceStart, locale) },
];

const conflictColumns = (t: Translate, locale: Locale): ColumnDef<ConflictView, unknown>[] => [
  { accessorKey: "objectType", header: t("object"), cell: ({ row }) => objectName(row.original.objectType) },
  { id: "record", header: t("record"), cell: ({ row }) => row.original.sourceName ?? row.original.sourceId },
  { accessorKey: "targetId", header: t("targetId") },
  { id: "resolution", header: t("whatFerryDid"), cell: ({ row }) => labelOf(t, "resolution", row.original.resolution) },
  { id: "detectedAt", header: t("found"), cell: ({ row }) => formatDateTime(row.original.detectedAt, locale) },
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
  const t = useTranslations("sync");
  const archive = useConnectorText(dashboard.targetSystemId ?? "").syncArchive;
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        onSave({ migrationId: dashboard.migrationId, intervalMinutes: interval, conflictPolicy: policy, deletions });
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t("interval")} htmlFor="sync-interval" hint={t("intervalHint")}>
          <Input id="sync-interval" type="number" min={5} max={1440} value={interval} onChange={(event) => setIntervalMinutes(event.target.value)} />
        </Field>
        <Field label={t("conflictField")} htmlFor="sync-conflicts" hint={dashboard.support.reportsUpdatedAt ? undefined : t("noUpdatedAt")}>
          <Select id="sync-conflicts" value={policy} onChange={(event) => setPolicy(event.target.value)}>
            {CONFLICT_POLICIES.map((value) => (
              <option key={value} value={value}>
                {t(`conflictPolicy.${value}`)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div>
        <p className="mb-2 text-sm font-medium text-slate-800">{t("whenGone")}</p>
        <div className="grid gap-2 sm:grid-cols-2">
          {dashboard.objects.map((object) => (
            <label key={object.sourceObject} className="flex items-center justify-between gap-3 rounded-md border border-slate-200 px-3 py-2 text-sm">
              <span translate="no">
                {object.sourceObject} → {object.targetObject}
              </span>
              <Select
                aria-label={t("whenGoneFor", { object: object.sourceObject })}
                value={deletions[object.sourceObject] ?? "report"}
                onChange={(event) => setDeletions({ ...deletions, [object.sourceObject]: event.target.value })}
              >
                <option value="report">{t("onlyReport")}</option>
                <option value="delete">{t("deleteIt")}</option>
                <option value="archive" disabled={!dashboard.support.archive}>
                  {dashboard.support.archive ? t("archiveIt") : t("archiveUnavailable")}
                </option>
              </Select>
            </label>
          ))}
        </div>
        {dashboard.support.archive ? (
          <p className="mt-1 text-xs text-slate-500">
            {archive
              ? t.rich("archived", { how: archive, en: (chunks) => chunks })
              : t.rich("archived", { how: dashboard.support.archive, en: (chunks) => <span lang="en">{chunks}</span> })}
          </p>
        ) : null}
      </div>
      <Button type="submit" disabled={pending}>
        {switchedOn ? t("save") : t("switchOn")}
      </Button>
    </form>
  );
}

function Controls({ dashboard, run, pending }: { dashboard: SyncDashboard; run: ReturnType<typeof useAction>["run"]; pending: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const t = useTranslations("sync");
  const { status } = dashboard.sync;
  const input = { migrationId: dashboard.migrationId };
  if (status === "cut_over" || status === "cutting_over" || status === null) return null;
  const busy = pending || dashboard.current !== null;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button disabled={busy} onClick={() => run(() => syncNowAction(input))}>
        {t("syncNow")}
      </Button>
      {status === "active" ? (
        <Button variant="secondary" disabled={pending} onClick={() => run(() => pauseSyncAction(input))}>
          {t("pause")}
        </Button>
      ) : (
        <Button variant="secondary" disabled={pending} onClick={() => run(() => resumeSyncAction(input))}>
          {t("resume")}
        </Button>
      )}
      {confirming ? (
        <span className="flex items-center gap-2 text-sm text-slate-700">
          {t("cutOverQuestion")}
          <Button disabled={busy} onClick={() => run(() => cutOverAction(input))}>
            {t("cutOverNow")}
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            {t("notYet")}
          </Button>
        </span>
      ) : (
        <Button variant="secondary" disabled={busy} onClick={() => setConfirming(true)}>
          {t("cutOver")}
        </Button>
      )}
    </div>
  );
}

function Timeline({ dashboard }: { dashboard: SyncDashboard }) {
  const t = useTranslations("sync");
  const locale = useLocale();
  const { sync, last, current } = dashboard;
  const next =
    sync.status === "active"
      ? sync.nextAt
        ? formatDateTime(sync.nextAt, locale)
        : t("nextAfterRunning")
      : sync.status === "paused"
        ? t("nextPaused")
        : t("nextNone");
  const runLink = (runId: string) => `/migrations/${dashboard.migrationId}/runs/${runId}`;
  return (
    <dl className="grid gap-3 text-sm sm:grid-cols-4">
      <div>
        <dt className="text-xs text-slate-500">{t("lastSync")}</dt>
        <dd>
          {last ? (
            <Link className="text-indigo-700 hover:underline" href={runLink(last.runId)}>
              {formatDateTime(last.finishedAt ?? last.startedAt, locale)} ({labelOf(t, "cycleStatus", last.status)})
            </Link>
          ) : (
            t("noneYet")
          )}
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">{t("nextSync")}</dt>
        <dd>{next}</dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">{t("lastCounts")}</dt>
        <dd data-testid="last-sync-counts">{last ? counts(last.total, locale) : "—"}</dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">{t("sinceStart")}</dt>
        <dd>{counts(dashboard.sinceStart, locale)}</dd>
      </div>
      {current ? (
        <div className="sm:col-span-4">
          <Alert tone="info">
            {t.rich("running", {
              kind: current.kind,
              since: formatDateTime(current.startedAt, locale),
              link: (chunks) => (
                <Link className="text-indigo-700 hover:underline" href={runLink(current.runId)}>
                  {chunks}
                </Link>
              ),
            })}
          </Alert>
        </div>
      ) : null}
      {last?.error ? (
        <div className="sm:col-span-4">
          <Alert tone="error">
            {t.rich("lastFailed", { error: last.error, en: (chunks) => <span lang="en">{chunks}</span> })}{" "}
            {sync.failures > 1 ? `${t("inARow", { count: formatNumber(sync.failures, locale) })} ` : null}
            {t("fixCause")}
          </Alert>
        </div>
      ) : null}
    </dl>
  );
}

export function SyncView({ dashboard }: { dashboard: SyncDashboard }) {
  const router = useRouter();
  const action = useAction();
  const t = useTranslations("sync");
  const locale = useLocale();
  const { status } = dashboard.sync;
  const running = dashboard.current !== null;
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => router.refresh(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [running, router]);
  const save = (input: Parameters<typeof saveSyncSettingsAction>[0]) => action.run(() => saveSyncSettingsAction(input));
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-2">
          <h2 className="text-base font-semibold text-slate-900">{t("heading")}</h2>
          {status && STATUS_TONE[status] ? <Badge tone={STATUS_TONE[status]}>{t(`status.${status as "active"}`)}</Badge> : <Badge>{t("off")}</Badge>}
        </div>
        <Controls dashboard={dashboard} run={action.run} pending={action.pending} />
      </div>
      {action.result ? <Alert tone={action.result.ok ? "success" : "error"}>{action.result.ok ? action.result.message : action.result.error}</Alert> : null}
      {status === "cut_over" ? (
        <Alert tone="success">
          {t("cutOverDone", {
            date: formatDateTime(dashboard.sync.cutOverAt, locale),
            counts: counts(dashboard.sinceStart, locale),
            target: dashboard.targetName,
          })}
        </Alert>
      ) : null}
      {status === null ? (
        <Card title={t("introTitle")} description={t("introDescription", { target: dashboard.targetName })}>
          {dashboard.hasFullRun ? (
            <SettingsForm dashboard={dashboard} onSave={save} pending={action.pending} />
          ) : (
            <Alert tone="info">{t.rich("needsFullRun", { link: (chunks) => <Link href={`/migrations/${dashboard.migrationId}/run`}>{chunks}</Link> })}</Alert>
          )}
        </Card>
      ) : (
        <>
          <Card title={t("syncs")}>
            <Timeline dashboard={dashboard} />
          </Card>
          <Card title={t("perObject")} description={t("perObjectDescription")}>
            <DataTable columns={objectColumns(t, locale)} data={dashboard.objects} emptyMessage={t("noObjects")} label={t("countsLabel")} />
          </Card>
          <Card title={t("conflicts")} description={t("conflictsDescription")}>
            <DataTable columns={conflictColumns(t, locale)} data={dashboard.conflicts} emptyMessage={t("noConflict")} label={t("conflictsLabel")} />
          </Card>
          {status === "active" || status === "paused" ? (
            <Card title={t("settings")}>
              <SettingsForm dashboard={dashboard} onSave={save} pending={action.pending} />
            </Card>
          ) : null}
        </>
      )}
    </div>
  );
}
