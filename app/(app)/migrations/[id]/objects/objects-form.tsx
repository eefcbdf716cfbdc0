"use client";

import { useMemo, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { saveObjectsAction } from "@/app/actions/wizard-actions";
import { DataTable } from "@/app/_components/data-table";
import { Alert, Button, Card, Field, Input } from "@/app/_components/ui";
import type { ObjectsView } from "@/lib/wizard/plan-step";

type PairRow = ObjectsView["pairs"][number];

export function ObjectsForm({ migrationId, view }: { migrationId: string; view: ObjectsView }) {
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
        header: "Migrate",
        enableSorting: false,
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`Migrate ${row.original.sourceLabel} to ${row.original.targetLabel}`}
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
      { accessorKey: "sourceLabel", header: "Source object", cell: ({ row }) => <span className="font-medium">{row.original.sourceLabel}</span> },
      { accessorKey: "targetLabel", header: "Becomes" },
      {
        accessorKey: "count",
        header: "Source records",
        cell: ({ row }) => (row.original.count === null ? <span className="text-slate-400">unknown</span> : row.original.count.toLocaleString()),
      },
      {
        id: "children",
        header: "Travels with it",
        enableSorting: false,
        cell: ({ row }) => <span className="text-xs text-slate-500">{row.original.children.join("; ") || "—"}</span>,
      },
    ],
    [enabled],
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
    setNotice(result.ok ? { tone: "success", text: result.message ?? "Saved." } : { tone: "error", text: result.error });
    if (result.ok) router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      <Card title="Objects" description={view.sentence}>
        {fieldErrors.enabled ? (
          <p role="alert" className="mb-2 text-xs text-red-700">
            {fieldErrors.enabled}
          </p>
        ) : null}
        <DataTable label="Object pairs" columns={columns} data={view.pairs} emptyMessage="These two systems have no objects in common." />
      </Card>
      <Card title="Filters" description="Records left out by a filter are not migrated; related records that point at them lose that link.">
        <div className="grid gap-4 md:grid-cols-3">
          <Field label="Created from" htmlFor="createdFrom" error={fieldErrors.createdFrom} hint="Leave empty for no lower bound.">
            <Input
              id="createdFrom"
              name="createdFrom"
              type="date"
              defaultValue={view.filters.createdFrom?.slice(0, 10) ?? ""}
              invalid={!!fieldErrors.createdFrom}
            />
          </Field>
          <Field label="Created until" htmlFor="createdTo" error={fieldErrors.createdTo} hint="Includes that whole day.">
            <Input id="createdTo" name="createdTo" type="date" defaultValue={view.filters.createdTo?.slice(0, 10) ?? ""} invalid={!!fieldErrors.createdTo} />
          </Field>
          <Field
            label="Only records with these tags"
            htmlFor="tags"
            error={fieldErrors.tags}
            hint={
              view.taggable.length > 0
                ? `Comma-separated; applies to ${view.taggable.map((object) => object.label).join(", ")}.`
                : "Comma-separated; none of the selected objects has tags."
            }
          >
            <Input id="tags" name="tags" defaultValue={view.filters.tags.join(", ")} placeholder="vip, renewal" />
          </Field>
        </div>
        <div className="mt-4 space-y-2 rounded-md bg-slate-50 p-3">
          <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
            <input type="checkbox" checked={stale} onChange={(event) => setStale(event.target.checked)} className="h-4 w-4 accent-indigo-600" />
            Skip stale records (no activity of their own or on linked records)
          </label>
          {stale ? (
            <div className="grid gap-4 md:grid-cols-3">
              <Field label="Older than (years)" htmlFor="skipStaleYears" error={fieldErrors.skipStaleYears}>
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
                <legend className="mb-1 text-sm font-medium text-slate-700">Applies to</legend>
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
                      {object.label}
                    </label>
                  ))}
                  {view.staleCandidates.length === 0 ? <span className="text-xs text-slate-500">No people or customers are selected.</span> : null}
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
        {pending ? "Saving…" : "Save objects and filters"}
      </Button>
    </form>
  );
}
