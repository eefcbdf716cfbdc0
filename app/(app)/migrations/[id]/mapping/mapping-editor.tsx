"use client";

import { useMemo, useState, useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { Eye, Loader2 } from "lucide-react";
import { previewRecordsAction, saveMappingAction } from "@/app/actions/wizard-actions";
import { DataTable } from "@/app/_components/data-table";
import { Alert, Badge, Button, Card, Input, Select, ViewButton, cx } from "@/app/_components/ui";
import { compatibility } from "@/lib/mapping/compatibility";
import { suggestValueMappings } from "@/lib/mapping/suggest";
import type { MappingRow, MappingView, PreviewRecord } from "@/lib/wizard/mapping-step";
import { formatDateTime } from "@/lib/format-date";

type Draft = { sourceField: string | null; defaultValue: string; valueMap: Record<string, string>; invalidValue: MappingRow["invalidValue"] };
type Row = MappingRow & { draft: Draft; error?: string };

const LEVEL_TONES = { exact: "green", lossless: "green", lossy: "amber", incompatible: "red" } as const;
const CHOICE_TYPES = new Set(["select", "multiselect"]);
const INVALID_VALUE_CHOICES: MappingRow["invalidValue"][] = ["repair", "drop", "fail"];

export function MappingEditor({ migrationId, view, savedAt }: { migrationId: string; view: MappingView; savedAt: string | null }) {
  const t = useTranslations("mapping");
  const locale = useLocale();
  const router = useRouter();
  const [pairIndex, setPairIndex] = useState(() =>
    Math.max(
      0,
      view.pairs.findIndex((pair) => pair.enabled),
    ),
  );
  const [drafts, setDrafts] = useState<Record<string, Record<string, Draft>>>({});
  const [users, setUsers] = useState<Record<string, string | null>>({});
  const [fallback, setFallback] = useState<string | null>(view.fallbackUserId);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ tone: "error" | "success" | "info"; text: ReactNode } | null>(null);
  const [preview, setPreview] = useState<{ pairId: string; records: PreviewRecord[] } | null>(null);
  const [pending, startTransition] = useTransition();
  const pair = view.pairs[pairIndex];

  function input(extra: Record<string, unknown> = {}) {
    return {
      migrationId,
      pairs: Object.entries(drafts).map(([id, rows]) => ({ id, fields: Object.entries(rows).map(([targetField, draft]) => ({ targetField, ...draft })) })),
      userMappings: Object.entries(users).map(([sourceUserId, targetUserId]) => ({ sourceUserId, targetUserId })),
      fallbackUserId: fallback,
      ...extra,
    };
  }

  const rows: Row[] = useMemo(
    () =>
      (pair?.rows ?? []).map((row) => ({
        ...row,
        draft: drafts[pair.id]?.[row.key] ?? {
          sourceField: row.sourceField,
          defaultValue: row.defaultValue,
          valueMap: row.valueMap,
          invalidValue: row.invalidValue,
        },
        error: fieldErrors[`${pair.id}.${row.key}`],
      })),
    [pair, drafts, fieldErrors],
  );

  const columns = useMemo<ColumnDef<Row, unknown>[]>(() => {
    const update = (row: Row, change: Partial<Draft>) =>
      setDrafts((current) => ({ ...current, [pair.id]: { ...current[pair.id], [row.key]: { ...row.draft, ...change } } }));
    const sourceOf = (key: string | null) => pair.sourceFields.find((field) => field.key === key);
    return [
      {
        accessorKey: "label",
        header: t("targetField"),
        cell: ({ row }) => (
          <div className="min-w-36">
            <div translate="no" className="font-medium text-slate-900">
              {row.original.label}
            </div>
            <div className="mt-0.5 flex flex-wrap gap-1">
              <span translate="no">
                <Badge tone="indigo">{row.original.type}</Badge>
              </span>
              {row.original.required ? <Badge tone="red">{t("required")}</Badge> : null}
              {row.original.toBeCreated ? <Badge tone="amber">{t("createdInStep5")}</Badge> : row.original.custom ? <Badge>{t("custom")}</Badge> : null}
            </div>
          </div>
        ),
      },
      {
        id: "source",
        header: t("filledFrom"),
        accessorFn: (row) => sourceOf(row.draft.sourceField)?.label ?? "",
        cell: ({ row }) => {
          const target = row.original;
          const chosen = sourceOf(target.draft.sourceField);
          const compat = chosen ? compatibility(chosen.type, target.type) : null;
          const selectId = `source-${pair.id}-${target.key}`;
          return (
            <div className="min-w-52 space-y-1">
              <label htmlFor={selectId} className="sr-only">
                {t.rich("sourceFieldFor", { field: target.label, name: (chunks) => <span translate="no">{chunks}</span> })}
              </label>
              <Select
                id={selectId}
                translate="no"
                className={cx("w-full", (target.error || compat?.level === "incompatible") && "border-red-400")}
                value={target.draft.sourceField ?? ""}
                aria-invalid={target.error || compat?.level === "incompatible" ? true : undefined}
                aria-describedby={`${selectId}-note`}
                onChange={(event) => {
                  const sourceField = event.target.value || null;
                  const from = sourceOf(sourceField);
                  const valueMap =
                    from?.options && target.options && CHOICE_TYPES.has(target.type)
                      ? Object.fromEntries(suggestValueMappings(from.options, target.options).map((item) => [item.sourceValue, item.targetValue ?? ""]))
                      : {};
                  update(target, { sourceField, valueMap });
                }}
              >
                <option value="">{t("notMigratedOption")}</option>
                {pair.sourceFields.map((field) => {
                  const level = compatibility(field.type, target.type).level;
                  return (
                    <option key={field.key} value={field.key}>
                      {field.label} ({field.type}){level === "incompatible" ? ` — ${t("incompatible")}` : ""}
                    </option>
                  );
                })}
              </Select>
              <div id={`${selectId}-note`} className="text-xs">
                {target.error ? (
                  <span role="alert" className="text-red-700">
                    {target.error}
                  </span>
                ) : compat?.level === "incompatible" ? (
                  <span className="text-red-700">{t.rich("refused", { reason: compat.reason ?? "", en: (chunks) => <span lang="en">{chunks}</span> })}</span>
                ) : compat?.level === "lossy" ? (
                  <span className="text-amber-800">{t.rich("lossy", { reason: compat.reason ?? "", en: (chunks) => <span lang="en">{chunks}</span> })}</span>
                ) : compat?.reason ? (
                  <span lang="en" className="text-slate-500">
                    {compat.reason}.
                  </span>
                ) : target.combined.length > 1 && target.draft.sourceField === target.sourceField ? (
                  <span className="text-slate-500">{t("combined", { fields: target.combined.join(" + ") })}</span>
                ) : null}
              </div>
            </div>
          );
        },
      },
      {
        id: "compatibility",
        header: t("conversion"),
        accessorFn: (row) => {
          const chosen = sourceOf(row.draft.sourceField);
          return chosen ? compatibility(chosen.type, row.type).level : "";
        },
        cell: ({ getValue }) => {
          const level = getValue() as keyof typeof LEVEL_TONES | "";
          return level ? <Badge tone={LEVEL_TONES[level]}>{t(`level.${level}`)}</Badge> : <span className="text-xs text-slate-400">—</span>;
        },
      },
      {
        id: "extra",
        header: t("defaultAndValues"),
        enableSorting: false,
        cell: ({ row }) => {
          const target = row.original;
          const from = sourceOf(target.draft.sourceField);
          const defaultId = `default-${pair.id}-${target.key}`;
          const policyId = `invalid-${pair.id}-${target.key}`;
          const showValues = from?.options?.length && target.options?.length && CHOICE_TYPES.has(target.type);
          return (
            <div className="min-w-44 space-y-2">
              {target.defaultable && (target.required || target.draft.defaultValue !== "" || target.options?.length) ? (
                <div>
                  <label htmlFor={defaultId} lang="en" className="text-xs text-slate-600">
                    {target.defaultLabel}
                  </label>
                  {target.options?.length ? (
                    <Select
                      id={defaultId}
                      className="w-full"
                      value={target.draft.defaultValue}
                      onChange={(event) => update(target, { defaultValue: event.target.value })}
                    >
                      <option value="">{t("none")}</option>
                      {target.options.map((option) => (
                        <option key={option.value} value={option.value}>
                          {option.label}
                        </option>
                      ))}
                    </Select>
                  ) : (
                    <Input
                      id={defaultId}
                      type={target.defaultInput}
                      value={target.draft.defaultValue}
                      onChange={(event) => update(target, { defaultValue: event.target.value })}
                      placeholder={target.defaultInput === "email" ? t("emailPlaceholder") : t("whenEmpty")}
                      aria-describedby={target.defaultHelp ? `${defaultId}-help` : undefined}
                    />
                  )}
                  {target.defaultHelp ? (
                    <p id={`${defaultId}-help`} lang="en" className="mt-0.5 text-xs text-slate-500">
                      {target.defaultHelp}
                    </p>
                  ) : null}
                </div>
              ) : null}
              {from ? (
                <div>
                  <label htmlFor={policyId} className="text-xs text-slate-600" title={t("invalidValueHelp")}>
                    {t("invalidValue")}
                  </label>
                  <Select
                    id={policyId}
                    className="w-full"
                    value={target.draft.invalidValue}
                    onChange={(event) => update(target, { invalidValue: event.target.value as MappingRow["invalidValue"] })}
                  >
                    {INVALID_VALUE_CHOICES.map((choice) => (
                      <option key={choice} value={choice}>
                        {t(`invalidChoice.${choice}`)}
                      </option>
                    ))}
                  </Select>
                </div>
              ) : null}
              {showValues ? (
                <details className="text-xs">
                  <summary className="cursor-pointer text-indigo-700">{t("mapValues", { count: from.options!.length })}</summary>
                  <div className="mt-1 space-y-1">
                    {from.options!.map((option) => {
                      const id = `value-${pair.id}-${target.key}-${option.value}`;
                      const suggested = suggestValueMappings([option], target.options!)[0].targetValue ?? "";
                      return (
                        <div key={option.value} className="flex items-center gap-2">
                          <label htmlFor={id} translate="no" className="w-24 truncate text-slate-600" title={option.label}>
                            {option.label}
                          </label>
                          <Select
                            id={id}
                            className="flex-1"
                            value={target.draft.valueMap[option.value] ?? suggested}
                            onChange={(event) => update(target, { valueMap: { ...target.draft.valueMap, [option.value]: event.target.value } })}
                          >
                            <option value="">{t("noValueMatch")}</option>
                            {target.options!.map((choice) => (
                              <option key={choice.value} value={choice.value}>
                                {choice.label}
                              </option>
                            ))}
                          </Select>
                        </div>
                      );
                    })}
                  </div>
                </details>
              ) : null}
            </div>
          );
        },
      },
    ];
  }, [pair, t]);

  const userRows = useMemo(
    () =>
      view.users.map((user) => ({
        ...user,
        targetUserId: user.sourceUserId in users ? users[user.sourceUserId] : user.targetUserId,
        error: fieldErrors[`users.${user.sourceUserId}`],
      })),
    [view.users, users, fieldErrors],
  );
  type UserRow = (typeof userRows)[number];
  const userColumns = useMemo<ColumnDef<UserRow, unknown>[]>(
    () => [
      {
        accessorKey: "sourceName",
        header: t("sourceUser"),
        cell: ({ row }) => <span translate="no">{row.original.sourceName ?? row.original.sourceUserId}</span>,
      },
      {
        accessorKey: "sourceEmail",
        header: t("email"),
        cell: ({ row }) =>
          row.original.sourceEmail ? <span translate="no">{row.original.sourceEmail}</span> : <span className="text-slate-400">{t("none")}</span>,
      },
      {
        id: "target",
        header: t("targetUser"),
        enableSorting: false,
        cell: ({ row }) => (
          <div>
            <label htmlFor={`user-${row.original.sourceUserId}`} className="sr-only">
              {t.rich("targetUserFor", {
                user: row.original.sourceName ?? row.original.sourceEmail ?? row.original.sourceUserId,
                name: (chunks) => <span translate="no">{chunks}</span>,
              })}
            </label>
            <Select
              id={`user-${row.original.sourceUserId}`}
              value={row.original.targetUserId ?? ""}
              onChange={(event) => setUsers((current) => ({ ...current, [row.original.sourceUserId]: event.target.value || null }))}
            >
              <option value="">{t("noUserMatch")}</option>
              {view.targetUsers.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.label}
                </option>
              ))}
            </Select>
            {row.original.error ? (
              <p role="alert" className="text-xs text-red-700">
                {row.original.error}
              </p>
            ) : null}
          </div>
        ),
      },
    ],
    [view.targetUsers, t],
  );

  function save() {
    setNotice(null);
    startTransition(async () => {
      const result = await saveMappingAction(input());
      if (!result.ok) {
        setFieldErrors(result.fieldErrors ?? {});
        const errors = Object.entries(result.fieldErrors ?? {});
        const elsewhere = errors.filter(([key]) => !key.startsWith(`${pair.id}.`)).map(([key, message]) => `${key.split(".")[0]}: ${message}`);
        setNotice({ tone: "error", text: `${result.error}${elsewhere.length > 0 ? ` ${t("also", { list: elsewhere.slice(0, 4).join("; ") })}` : ""}` });
        return;
      }
      setFieldErrors({});
      setDrafts({});
      setUsers({});
      const warnings = result.data?.warnings ?? [];
      setNotice({
        tone: warnings.length > 0 ? "info" : "success",
        text:
          warnings.length > 0
            ? t.rich("savedWithWarnings", {
                count: warnings.length,
                warnings: warnings.slice(0, 3).join(" · "),
                en: (chunks) => <span lang="en">{chunks}</span>,
              })
            : t("saved"),
      });
      router.refresh();
    });
  }

  function runPreview() {
    startTransition(async () => {
      const result = await previewRecordsAction(input({ pairId: pair.id }));
      if (!result.ok) {
        setFieldErrors(result.fieldErrors ?? {});
        setNotice({ tone: "error", text: result.error });
        return;
      }
      setPreview({ pairId: pair.id, records: result.data ?? [] });
    });
  }

  const pairIssues = view.issues.filter((issue) => pair && `${issue.sourceObject}→${issue.targetObject}` === pair.id);
  return (
    <div className="space-y-5">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {savedAt ? (
        <p className="text-xs text-slate-500">{t("lastSaved", { date: formatDateTime(savedAt, locale) })}</p>
      ) : (
        <p className="text-xs text-amber-800">{t("notSaved")}</p>
      )}
      <div role="group" aria-label={t("pairs")} className="flex flex-wrap gap-2">
        {view.pairs.map((candidate, index) => (
          <ViewButton
            key={candidate.id}
            aria-pressed={index === pairIndex}
            onActivate={() => setPairIndex(index)}
            className={cx(
              "rounded-md border px-3 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400",
              index === pairIndex
                ? "border-indigo-500 bg-indigo-50 font-medium text-indigo-800"
                : "border-slate-200 bg-white text-slate-700 hover:border-indigo-300",
              !candidate.enabled && "opacity-60",
            )}
          >
            <span translate="no">
              {candidate.sourceLabel} → {candidate.targetLabel}
            </span>
            {!candidate.enabled ? ` ${t("notMigrated")}` : ""}
          </ViewButton>
        ))}
      </div>
      {pair ? (
        <Card
          title={<span translate="no">{`${pair.sourceLabel} → ${pair.targetLabel}`}</span>}
          description={
            pair.children.length > 0 ? t.rich("alsoRich", { list: `${pair.children.join("; ")}.`, en: (chunks) => <span lang="en">{chunks}</span> }) : undefined
          }
          actions={
            <Button variant="secondary" onClick={runPreview} disabled={pending}>
              <Eye aria-hidden className="h-4 w-4" /> {t("preview")}
            </Button>
          }
        >
          {pairIssues.length > 0 ? (
            <ul className="mb-3 space-y-1 text-xs">
              {pairIssues.map((issue) => (
                <li key={`${issue.field}-${issue.message}`} className={issue.severity === "error" ? "text-red-700" : "text-amber-800"}>
                  {issue.severity === "error"
                    ? t.rich("issueError", { message: issue.message, en: (chunks) => <span lang="en">{chunks}</span> })
                    : t.rich("issueWarning", { message: issue.message, en: (chunks) => <span lang="en">{chunks}</span> })}
                </li>
              ))}
            </ul>
          ) : null}
          <DataTable
            label={t("fieldsOf", { object: pair.targetLabel })}
            columns={columns}
            data={rows}
            filterPlaceholder={t("filterFields")}
            emptyMessage={t("noFields")}
          />
          {preview && preview.pairId === pair.id ? (
            <div className="mt-4 space-y-2">
              <h3 className="text-sm font-semibold text-slate-900">{t("asTheyArrive", { object: pair.targetLabel })}</h3>
              {preview.records.length === 0 ? (
                <p className="text-sm text-slate-500">{t("nothingToPreview", { object: pair.sourceLabel.toLowerCase() })}</p>
              ) : null}
              <div className="grid gap-3 lg:grid-cols-3">
                {preview.records.map((record) => (
                  <div key={record.sourceId} className="rounded-md border border-slate-200 p-3 text-xs">
                    <div className="mb-1 font-medium text-slate-500">{t("sourceRecord", { id: record.sourceId })}</div>
                    <dl className="space-y-0.5">
                      {record.fields.map((field) => (
                        <div key={field.label} className="flex gap-2">
                          <dt translate="no" className="w-28 shrink-0 truncate text-slate-500" title={field.label}>
                            {field.label}
                          </dt>
                          <dd translate="no" className="min-w-0 break-words text-slate-800">
                            {field.value}
                          </dd>
                        </div>
                      ))}
                    </dl>
                    {record.problems.length > 0 ? (
                      <ul className="mt-2 space-y-0.5 text-red-700">
                        {record.problems.map((problem) => (
                          <li key={problem} lang="en">
                            ⚠ {problem}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p className="mt-2 text-emerald-700">{t("noProblems")}</p>
                    )}
                  </div>
                ))}
              </div>
            </div>
          ) : null}
        </Card>
      ) : null}
      <Card title={t("users")} description={t("usersDescription")}>
        <div className="mb-3 max-w-sm space-y-1">
          <label htmlFor="fallbackUserId" className="block text-sm font-medium text-slate-700">
            {t("fallbackUser")}
          </label>
          <Select id="fallbackUserId" className="w-full" value={fallback ?? ""} onChange={(event) => setFallback(event.target.value || null)}>
            <option value="">{t("nobodyYet")}</option>
            {view.targetUsers.map((user) => (
              <option key={user.id} value={user.id}>
                {user.label}
              </option>
            ))}
          </Select>
          {fieldErrors.fallbackUserId ? (
            <p role="alert" className="text-xs text-red-700">
              {fieldErrors.fallbackUserId}
            </p>
          ) : null}
        </div>
        <DataTable label={t("userMapping")} columns={userColumns} data={userRows} filterPlaceholder={t("filterUsers")} emptyMessage={t("noUsers")} />
      </Card>
      <div className="flex items-center gap-3">
        <Button onClick={save} disabled={pending}>
          {pending ? <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> : null}
          {t("save")}
        </Button>
        <span className="text-xs text-slate-500">{t("saveChecksAll")}</span>
      </div>
    </div>
  );
}
