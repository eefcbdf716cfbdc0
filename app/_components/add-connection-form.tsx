"use client";

// Adding a connection: choose a system, enter its credentials, Ferry verifies them before saving.
// Used by the Connections page and inline in the migration wizard (steps 1 and 2).
import { useState, type FormEvent } from "react";
import { createConnectionAction } from "@/app/actions/connection-actions";
import { Alert, Button, Card, Field, Input, cx } from "@/app/_components/ui";
import type { ConnectorCatalogEntry } from "@/connectors/registry";

export function AddConnection({
  catalog,
  onCancel,
  onAdded,
  fixedSystemId,
}: {
  catalog: ConnectorCatalogEntry[];
  onCancel: () => void;
  onAdded: (message: string, id: string) => void;
  /** The wizard adds a connection of one system: the system cards are not shown. */
  fixedSystemId?: string;
}) {
  const [systemId, setSystemId] = useState<string | null>(fixedSystemId ?? null);
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
    onAdded(result.message ?? "Connection added.", result.data?.id ?? "");
  }

  return (
    <Card
      title="Add a connection"
      description="Ferry checks the key with the system before saving it."
      actions={
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      }
    >
      {fixedSystemId ? null : (
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
                <div className="text-xs text-slate-500">
                  {entry.kind === "crm" ? "CRM" : "Help desk"} · {entry.writes.length > 0 ? "source or target" : "source only"}
                </div>
              </button>
            ))}
          </div>
        </fieldset>
      )}
      {system ? (
        <form onSubmit={onSubmit} className="grid gap-4 md:grid-cols-2" noValidate>
          <div className="space-y-3">
            {error ? <Alert tone="error">{error}</Alert> : null}
            <Field label="Connection name" htmlFor="label" error={fieldErrors.label} hint="How this connection appears in Ferry.">
              <Input id="label" name="label" defaultValue={system.name} invalid={!!fieldErrors.label} required />
            </Field>
            {system.credentialFields.map((field) => (
              <Field
                key={field.key}
                label={field.label}
                htmlFor={`credential-${field.key}`}
                error={fieldErrors[field.key] ?? fieldErrors[`credentials.${field.key}`]}
                hint={field.help}
              >
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
                <a
                  href={system.apiKeyHowTo.link}
                  target="_blank"
                  rel="noreferrer"
                  className="mt-2 inline-block text-xs font-medium text-indigo-700 hover:underline"
                >
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
