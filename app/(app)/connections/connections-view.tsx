"use client";

import { useMemo, useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { PlugZap, Plus } from "lucide-react";
import { createConnectionAction, removeConnectionAction } from "@/app/actions/connection-actions";
import { DataTable } from "@/app/_components/data-table";
import { Alert, Badge, Button, Card, EmptyState, Field, Input, cx } from "@/app/_components/ui";
import type { ConnectorCatalogEntry } from "@/connectors/registry";

type ConnectionRow = { id: string; label: string; system: string; account: string; lastVerifiedAt: string | null };

export function ConnectionsView({ canManage, catalog, connections }: { canManage: boolean; catalog: ConnectorCatalogEntry[]; connections: ConnectionRow[] }) {
  const router = useRouter();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  const columns = useMemo<ColumnDef<ConnectionRow, unknown>[]>(
    () => [
      { accessorKey: "label", header: "Name", cell: ({ row }) => <span className="font-medium">{row.original.label}</span> },
      { accessorKey: "system", header: "System", cell: ({ row }) => <Badge tone="indigo">{row.original.system}</Badge> },
      { accessorKey: "account", header: "Account" },
      {
        accessorKey: "lastVerifiedAt",
        header: "Last verified",
        cell: ({ row }) => (row.original.lastVerifiedAt ? new Date(row.original.lastVerifiedAt).toLocaleString() : "never"),
      },
      ...(canManage
        ? [
            {
              id: "actions",
              header: "",
              enableSorting: false,
              cell: ({ row }) => (
                <Button
                  variant="danger"
                  disabled={pending}
                  onClick={() => {
                    if (!confirm(`Remove the connection "${row.original.label}"? Its API key is deleted from Ferry.`)) return;
                    startTransition(async () => {
                      const result = await removeConnectionAction(row.original.id);
                      setNotice(result.ok ? { tone: "success", text: result.message ?? "Removed." } : { tone: "error", text: result.error });
                      router.refresh();
                    });
                  }}
                >
                  Remove
                </Button>
              ),
            } satisfies ColumnDef<ConnectionRow, unknown>,
          ]
        : []),
    ],
    [canManage, pending, router],
  );

  return (
    <div className="space-y-5">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {canManage && !adding ? (
        <Button onClick={() => setAdding(true)}>
          <Plus aria-hidden className="h-4 w-4" />
          Add a connection
        </Button>
      ) : null}
      {!canManage ? <Alert tone="info">Only admins add or remove connections. Ask an admin of this organization if one is missing.</Alert> : null}
      {adding ? (
        <AddConnection
          catalog={catalog}
          onCancel={() => setAdding(false)}
          onAdded={(message) => {
            setAdding(false);
            setNotice({ tone: "success", text: message });
            router.refresh();
          }}
        />
      ) : null}
      {connections.length === 0 && !adding ? (
        <EmptyState icon={<PlugZap className="h-8 w-8" aria-hidden />} title="No connections yet">
          {canManage
            ? "Add the system you are migrating from and the one you are migrating to. Not ready to use a real account? Add the Sample source to try Ferry."
            : "An admin of this organization adds connections."}
        </EmptyState>
      ) : connections.length > 0 ? (
        <Card title={`Connections (${connections.length})`}>
          <DataTable label="Connections" columns={columns} data={connections} filterPlaceholder="Filter connections" emptyMessage="No connections match." />
        </Card>
      ) : null}
    </div>
  );
}

function AddConnection({ catalog, onCancel, onAdded }: { catalog: ConnectorCatalogEntry[]; onCancel: () => void; onAdded: (message: string) => void }) {
  const [systemId, setSystemId] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const system = catalog.find((entry) => entry.id === systemId);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!system) return;
    const form = new FormData(event.currentTarget);
    const credentials: Record<string, string> = {};
    for (const field of system.credentialFields) {
      const value = String(form.get(`credential-${field.key}`) ?? "").trim();
      if (value) credentials[field.key] = value;
    }
    setPending(true);
    const result = await createConnectionAction({ systemId: system.id, label: String(form.get("label") ?? ""), credentials });
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      setFieldErrors(result.fieldErrors ?? {});
      return;
    }
    onAdded(result.message ?? "Connection added.");
  }

  return (
    <Card title="Add a connection" description="Ferry checks the key with the system before saving it." actions={<Button variant="ghost" onClick={onCancel}>Cancel</Button>}>
      <fieldset className="mb-4">
        <legend className="mb-2 text-sm font-medium text-slate-700">System</legend>
        <div className="grid gap-3 sm:grid-cols-3">
          {catalog.map((entry) => (
            <button
              type="button"
              key={entry.id}
              aria-pressed={entry.id === systemId}
              onClick={() => {
                setSystemId(entry.id);
                setFieldErrors({});
                setError(null);
              }}
              className={cx(
                "rounded-md border p-3 text-left hover:border-indigo-400",
                entry.id === systemId ? "border-indigo-500 bg-indigo-50 ring-2 ring-indigo-100" : "border-slate-200 bg-white",
              )}
            >
              <div className="font-medium">{entry.name}</div>
              <div className="text-xs text-slate-500">{entry.kind === "crm" ? "CRM" : "Help desk"} · {entry.writes.length > 0 ? "source or target" : "source only"}</div>
            </button>
          ))}
        </div>
      </fieldset>
      {system ? (
        <form onSubmit={onSubmit} className="grid gap-4 md:grid-cols-2" noValidate>
          <div className="space-y-3">
            {error ? <Alert tone="error">{error}</Alert> : null}
            <Field label="Connection name" htmlFor="label" error={fieldErrors.label} hint="How this connection appears in Ferry.">
              <Input id="label" name="label" defaultValue={system.name} invalid={!!fieldErrors.label} required />
            </Field>
            {system.credentialFields.map((field) => (
              <Field key={field.key} label={field.label} htmlFor={`credential-${field.key}`} error={fieldErrors[field.key] ?? fieldErrors[`credentials.${field.key}`]} hint={field.help}>
                <Input
                  id={`credential-${field.key}`}
                  name={`credential-${field.key}`}
                  type={field.secret ? "password" : "text"}
                  autoComplete="off"
                  placeholder={field.placeholder}
                  invalid={!!(fieldErrors[field.key] ?? fieldErrors[`credentials.${field.key}`])}
                />
              </Field>
            ))}
            <Button type="submit" disabled={pending}>
              {pending ? "Checking the connection…" : "Test and save"}
            </Button>
          </div>
          {system.apiKeyHowTo.steps.length > 0 ? (
            <div className="rounded-md bg-slate-50 p-3 text-sm text-slate-700">
              <div className="mb-1 font-medium">Where to find the API key</div>
              <ol className="list-decimal space-y-1 pl-5">
                {system.apiKeyHowTo.steps.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ol>
              {system.apiKeyHowTo.link ? (
                <a href={system.apiKeyHowTo.link} target="_blank" rel="noreferrer" className="mt-2 inline-block text-xs font-medium text-indigo-700 hover:underline">
                  {system.name} documentation
                </a>
              ) : null}
            </div>
          ) : null}
        </form>
      ) : (
        <p className="text-sm text-slate-500">Choose a system to see what Ferry needs to connect to it.</p>
      )}
    </Card>
  );
}
