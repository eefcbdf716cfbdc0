"use client";

import { useMemo, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import { formatNumber } from "@/lib/format-date";
import { saveObjectsAction } from "@/app/actions/wizard-actions";
import { DataTable } from "@/app/_components/data-table";
import { Alert, Button, Card, Field, Input } from "@/app/_components/ui";
import type { ObjectsView } from "@/lib/wizard/plan-step";

type PairRow = ObjectsView["pairs"][number];

export function ObjectsForm({ migrationId, view }: { migrationId: string; view: ObjectsView }) {
  const t = useTranslations("objects");
  const locale = useLocale();
  const router = useRouter();
  const [enabled, setEnabled] = useState<Set<string>>(() => new Set(view.pairs.filter((pair) => pair.enabled).map((pair) => pair.id)));
  const [stale, setStale] = useState(view.filters.skipStaleYears !== null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  const columns = useMemo<ColumnDef<PairRow, unknown>[]>(
    () => [
      {
        id: "migrate",
        header: t("migrate"),
        enableSorting: false,
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={t("migratePair", { source: row.original.sourceLabel, target: row.original.targetLabel })}
            checked={enabled.has(row.original.id)}
            onChange={(event) =>
              setEnabled((current) => {
                const next = new Set(current);
                if (event.target.checked) next.add(row.original.id);
                else next.delete(row.original.id);
                return next;
              })
            }
            className="h-4 w-4 accent-indigo-600"
          />
        ),
      },
      {
        accessorKey: "sourceLabel",
        header: t("sourceObject"),
        cell: ({ row }) => (
          <span translate="no" className="font-medium">
            {row.original.sourceLabel}
          </span>
        ),
      },
      { accessorKey: "targetLabel", header: t("becomes"), cell: ({ row }) => <span translate="no">{row.original.targetLabel}</span> },
      {
        accessorKey: "count",
        header: t("sourceRecords"),
        cell: ({ row }) => (row.original.count === null ? <span className="text-slate-400">{t("unknown")}</span> : formatNumber(row.original.count, locale)),
      },
      {
        id: "children",
        header: t("travels"),
        enableSorting: false,
        cell: ({ row }) => (
          <span lang="en" className="text-xs text-slate-500">
            {row.original.children.join("; ") || "—"}
          </span>
        ),
      },
    ],
    [enabled, t, locale],
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    const result = await saveObjectsAction({
      migrationId,
      enabled: [...enabled],
      createdFrom: String(form.get("createdFrom") ?? ""),
      createdTo: String(form.get("createdTo") ?? ""),
      tags: String(form.get("tags") ?? ""),
      skipStaleYears: stale ? String(form.get("skipStaleYears") ?? "") : "",
      staleObjects: form.getAll("staleObjects").map(String),
    });
    setPending(false);
    setFieldErrors(result.ok ? {} : (result.fieldErrors ?? {}));
    setNotice(result.ok ? { tone: "success", text: result.message ?? t("saved") } : { tone: "error", text: result.error });
    if (result.ok) router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      <Card title={t("title")} description={<span lang="en">{view.sentence}</span>}>
        {fieldErrors.enabled ? (
          <p role="alert" className="mb-2 text-xs text-red-700">
            {fieldErrors.enabled}
          </p>
        ) : null}
        <DataTable label={t("pairs")} columns={columns} data={view.pairs} emptyMessage={t("noPairs")} />
      </Card>
      <Card title={t("filters")} description={t("filtersDescription")}>
        <div className="grid gap-4 md:grid-cols-3">
          <Field label={t("createdFrom")} htmlFor="createdFrom" error={fieldErrors.createdFrom} hint={t("createdFromHint")}>
            <Input
              id="createdFrom"
              name="createdFrom"
              type="date"
              defaultValue={view.filters.createdFrom?.slice(0, 10) ?? ""}
              invalid={!!fieldErrors.createdFrom}
            />
          </Field>
          <Field label={t("createdTo")} htmlFor="createdTo" error={fieldErrors.createdTo} hint={t("createdToHint")}>
            <Input id="createdTo" name="createdTo" type="date" defaultValue={view.filters.createdTo?.slice(0, 10) ?? ""} invalid={!!fieldErrors.createdTo} />
          </Field>
          <Field
            label={t("tags")}
            htmlFor="tags"
            error={fieldErrors.tags}
            hint={view.taggable.length > 0 ? t("tagsHint", { objects: view.taggable.map((object) => object.label).join(", ") }) : t("tagsHintNone")}
          >
            <Input id="tags" name="tags" defaultValue={view.filters.tags.join(", ")} placeholder={t("tagsPlaceholder")} />
          </Field>
        </div>
        <div className="mt-4 space-y-2 rounded-md bg-slate-50 p-3">
          <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
            <input type="checkbox" checked={stale} onChange={(event) => setStale(event.target.checked)} className="h-4 w-4 accent-indigo-600" />
            {t("skipStale")}
          </label>
          {stale ? (
            <div className="grid gap-4 md:grid-cols-3">
              <Field label={t("olderThan")} htmlFor="skipStaleYears" error={fieldErrors.skipStaleYears}>
                <Input
                  id="skipStaleYears"
                  name="skipStaleYears"
                  type="number"
                  min={1}
                  max={50}
                  step={1}
                  defaultValue={String(view.filters.skipStaleYears ?? 2)}
                  invalid={!!fieldErrors.skipStaleYears}
                />
              </Field>
              <fieldset className="md:col-span-2">
                <legend className="mb-1 text-sm font-medium text-slate-700">{t("appliesTo")}</legend>
                <div className="flex flex-wrap gap-3">
                  {view.staleCandidates.map((object) => (
                    <label key={object.key} className="flex items-center gap-1.5 text-sm">
                      <input
                        type="checkbox"
                        name="staleObjects"
                        value={object.key}
                        defaultChecked={view.filters.staleObjects.length === 0 || view.filters.staleObjects.includes(object.key)}
                        className="h-4 w-4 accent-indigo-600"
                      />
                      <span translate="no">{object.label}</span>
                    </label>
                  ))}
                  {view.staleCandidates.length === 0 ? <span className="text-xs text-slate-500">{t("noStaleCandidates")}</span> : null}
                </div>
                {fieldErrors.staleObjects ? (
                  <p role="alert" className="mt-1 text-xs text-red-700">
                    {fieldErrors.staleObjects}
                  </p>
                ) : null}
              </fieldset>
            </div>
          ) : null}
        </div>
      </Card>
      <Button type="submit" disabled={pending}>
        {pending ? t("saving") : t("save")}
      </Button>
    </form>
  );
}
