"use client";

import { useMemo, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { CheckCircle2, Loader2, Plus } from "lucide-react";
import { countObjectAction, selectConnectionAction, selectSystemAction, testConnectionAction } from "@/app/actions/wizard-actions";
import { AddConnection } from "@/app/_components/add-connection-form";
import { DataTable } from "@/app/_components/data-table";
import { Alert, Badge, Button, Card, cx } from "@/app/_components/ui";
import type { ConnectorCatalogEntry } from "@/connectors/registry";
import type { ConnectionTest } from "@/lib/wizard/state";
import { formatDate, formatDateTime, formatNumber } from "@/lib/format-date";
import { useConnectorText } from "@/app/_components/connector-text";
import { permissionDetail } from "@/lib/wizard/account-text";

type ConnectionOption = { id: string; label: string; systemId: string; lastVerifiedAt: string | null };
type CountRow = ConnectionTest["objects"][number];

export function ConnectionStep(props: {
  migrationId: string;
  side: "source" | "target";
  catalog: ConnectorCatalogEntry[];
  canManage: boolean;
  chosenSystem: string | null;
  currentConnectionId: string | null;
  otherConnectionId: string | null;
  connections: ConnectionOption[];
  test: ConnectionTest | null;
}) {
  const { migrationId, side, catalog, canManage, currentConnectionId, otherConnectionId } = props;
  const t = useTranslations("connectionStep");
  const locale = useLocale();
  const sideName = t(`side.${side}`);
  const router = useRouter();
  const [systemId, setSystemId] = useState<string | null>(props.chosenSystem);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState<{ connectionId: string; message?: string; text: string } | null>(null);
  const system = catalog.find((entry) => entry.id === systemId);
  const ofSystem = props.connections.filter((connection) => connection.systemId === systemId);

  function chooseSystem(id: string) {
    setSystemId(id);
    setAdding(false);
    setNotice(null);
    startTransition(async () => {
      const result = await selectSystemAction({ migrationId, side, systemId: id });
      if (!result.ok) setNotice({ tone: "error", text: result.error });
    });
  }

  function chooseConnection(connectionId: string, message?: string, confirmDiscard = false) {
    setConfirming(null);
    startTransition(async () => {
      const result = await selectConnectionAction({ migrationId, side, connectionId, confirmDiscard });
      if (!result.ok && result.fieldErrors?.confirmDiscard) {
        // Something would be lost: ask first, and change nothing until the user says so.
        setNotice(null);
        setConfirming({ connectionId, message, text: result.error });
        return;
      }
      setNotice(result.ok ? { tone: "success", text: message ?? t("chosen") } : { tone: "error", text: result.error });
      router.refresh();
    });
  }

  return (
    <div className="space-y-5">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {confirming ? (
        <Alert tone="info">
          <div className="space-y-2" role="alertdialog" aria-label={t("changeQuestion", { side: sideName })}>
            <p>{confirming.text}</p>
            <div className="flex gap-2">
              <Button variant="danger" disabled={pending} onClick={() => chooseConnection(confirming.connectionId, confirming.message, true)}>
                {t("changeAndDiscard", { side: sideName })}
              </Button>
              <Button
                variant="secondary"
                disabled={pending}
                onClick={() => {
                  setConfirming(null);
                  router.refresh();
                }}
              >
                {t("keep", { side: sideName })}
              </Button>
            </div>
          </div>
        </Alert>
      ) : null}
      <Card title={t("system")}>
        <fieldset>
          <legend className="sr-only">{t("chooseSystem", { side: sideName })}</legend>
          <div className="grid gap-3 sm:grid-cols-3">
            {catalog.map((entry) => (
              <button
                type="button"
                key={entry.id}
                aria-pressed={entry.id === systemId}
                onClick={() => chooseSystem(entry.id)}
                className={cx(
                  "rounded-md border p-3 text-left hover:border-indigo-400 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400",
                  entry.id === systemId ? "border-indigo-500 bg-indigo-50 ring-2 ring-indigo-100" : "border-slate-200 bg-white",
                )}
              >
                <div className="font-medium">{entry.name}</div>
                <div className="text-xs text-slate-500">
                  {t(`kind.${entry.kind}`)} · {entry.writes.length > 0 ? t("sourceOrTarget") : t("sourceOnly")}
                </div>
              </button>
            ))}
          </div>
        </fieldset>
      </Card>

      {system ? (
        <Card
          title={t("connectionOf", { system: system.name })}
          description={side === "target" ? t("targetDiffers") : undefined}
          actions={
            canManage && !adding ? (
              <Button variant="secondary" onClick={() => setAdding(true)}>
                <Plus aria-hidden className="h-4 w-4" />
                {t("add", { system: system.name })}
              </Button>
            ) : null
          }
        >
          {ofSystem.length === 0 && !adding ? (
            <p className="text-sm text-slate-600">{canManage ? t("noneYet", { system: system.name }) : t("noneYetRefused", { system: system.name })}</p>
          ) : null}
          {ofSystem.length > 0 ? (
            <fieldset>
              <legend className="sr-only">{t("chooseConnection", { side: sideName })}</legend>
              <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
                {ofSystem.map((connection) => {
                  const isOther = connection.id === otherConnectionId;
                  return (
                    <li key={connection.id}>
                      <label
                        className={cx(
                          "flex items-center gap-3 px-3 py-2 text-sm",
                          isOther ? "cursor-not-allowed text-slate-400" : "cursor-pointer hover:bg-slate-50",
                        )}
                      >
                        <input
                          type="radio"
                          name={`${side}-connection`}
                          value={connection.id}
                          checked={connection.id === currentConnectionId}
                          disabled={isOther || pending}
                          onChange={() => chooseConnection(connection.id)}
                          className="h-4 w-4 accent-indigo-600"
                        />
                        <span className="font-medium">{connection.label}</span>
                        <span className="text-xs text-slate-500">
                          {isOther
                            ? t("alreadyThe", { side: t(`side.${side === "source" ? "target" : "source"}`) })
                            : connection.lastVerifiedAt
                              ? t("verified", { date: formatDate(connection.lastVerifiedAt, locale) })
                              : t("neverVerified")}
                        </span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          ) : null}
          {adding ? (
            <div className="mt-4">
              <AddConnection
                catalog={catalog}
                fixedSystemId={system.id}
                onCancel={() => setAdding(false)}
                onAdded={(message, id) => {
                  setAdding(false);
                  if (id) chooseConnection(id, t("nowThe", { message, side: sideName }));
                  else router.refresh();
                }}
              />
            </div>
          ) : null}
        </Card>
      ) : (
        <p className="text-sm text-slate-500">{t("chooseSystemFirst")}</p>
      )}

      {currentConnectionId && props.connections.find((connection) => connection.id === currentConnectionId)?.systemId === systemId ? (
        <ConnectionTestCard key={currentConnectionId} migrationId={migrationId} side={side} systemId={systemId ?? ""} initial={props.test} />
      ) : null}
    </div>
  );
}

function ConnectionTestCard({
  migrationId,
  side,
  systemId,
  initial,
}: {
  migrationId: string;
  side: "source" | "target";
  systemId: string;
  initial: ConnectionTest | null;
}) {
  const t = useTranslations("connectionTest");
  const locale = useLocale();
  const objectWords = useConnectorText(systemId).objects;
  const objectNames = useMemo(() => objectWords ?? {}, [objectWords]);
  const router = useRouter();
  const [test, setTest] = useState<ConnectionTest | null>(initial);
  const [running, setRunning] = useState(false);
  const [counting, setCounting] = useState<{ index: number; label: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run() {
    setRunning(true);
    setError(null);
    const result = await testConnectionAction({ migrationId, side });
    if (!result.ok || !result.data) {
      setError(result.ok ? t("nothing") : result.error);
      setRunning(false);
      return;
    }
    let current = result.data;
    setTest(current);
    // One object type at a time, so the page shows how far counting has got.
    for (const [index, object] of current.objects.entries()) {
      setCounting({ index, label: objectNames[object.key] ?? object.label });
      const counted = await countObjectAction({ migrationId, side, objectType: object.key });
      const value = counted.ok && counted.data ? counted.data : { count: null, error: counted.ok ? undefined : counted.error };
      current = { ...current, objects: current.objects.map((item) => (item.key === object.key ? { ...item, ...value } : item)) };
      setTest(current);
    }
    setCounting(null);
    setRunning(false);
    router.refresh();
  }

  const columns = useMemo<ColumnDef<CountRow, unknown>[]>(
    () => [
      { accessorKey: "label", header: t("objectType"), cell: ({ row }) => objectNames[row.original.key] ?? <span translate="no">{row.original.label}</span> },
      {
        accessorKey: "count",
        header: t("records"),
        cell: ({ row }) =>
          row.original.count !== null ? (
            formatNumber(row.original.count, locale)
          ) : row.original.error ? (
            <span className="text-red-700">{row.original.error}</span>
          ) : (
            <span className="text-slate-400">{t("notCounted")}</span>
          ),
      },
    ],
    [t, locale, objectNames],
  );
  const total = test?.objects.length ?? 0;

  return (
    <Card
      title={t("title")}
      description={t("description")}
      actions={
        <Button onClick={run} disabled={running}>
          {running ? <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> : null}
          {running ? t("testing") : test ? t("again") : t("title")}
        </Button>
      }
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      {test ? (
        <div className="space-y-3">
          <dl className="grid gap-3 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-xs text-slate-500">{t("account")}</dt>
              <dd translate="no" className="font-medium">
                {test.account.accountName}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">{t("user")}</dt>
              <dd translate="no" className="font-medium">
                {test.account.userName}
                {test.account.userEmail ? <span className="font-normal text-slate-500"> · {test.account.userEmail}</span> : null}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">{t("permissionLevel")}</dt>
              <dd className="flex items-center gap-1.5 font-medium">
                <span lang="en">{permissionDetail(test.account)}</span>{" "}
                {test.account.isAdministrator ? <Badge tone="green">{t("administrator")}</Badge> : <Badge tone="amber">{t("notAdministrator")}</Badge>}
              </dd>
            </div>
          </dl>
          {counting ? (
            <div role="status" aria-live="polite" className="space-y-1">
              <div className="text-xs text-slate-600">{t("counting", { label: counting.label, index: counting.index + 1, total })}</div>
              <div className="h-1.5 overflow-hidden rounded bg-slate-100">
                <div className="h-full bg-indigo-500 transition-all" style={{ width: `${Math.round((counting.index / Math.max(total, 1)) * 100)}%` }} />
              </div>
            </div>
          ) : (
            <p className="flex items-center gap-1.5 text-xs text-emerald-700">
              <CheckCircle2 aria-hidden className="h-3.5 w-3.5" /> {t("tested", { date: formatDateTime(test.testedAt, locale) })}
            </p>
          )}
          <DataTable label={t("countsLabel", { side: t(`side.${side}`) })} columns={columns} data={test.objects} emptyMessage={t("noObjects")} />
        </div>
      ) : (
        <p className="text-sm text-slate-500">{t("notYet")}</p>
      )}
    </Card>
  );
}
