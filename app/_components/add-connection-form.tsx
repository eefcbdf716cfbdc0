"use client";

// Adding a connection: choose a system, enter its credentials, Ferry verifies them before saving.
// Used by the Connections page and inline in the migration wizard (steps 1 and 2).
import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { useConnectorText } from "@/app/_components/connector-text";
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
  const t = useTranslations("addConnection");
  const wording = useConnectorText(systemId ?? "");
  const steps = wording.apiKeyHowTo?.steps ?? system?.apiKeyHowTo.steps ?? [];

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
    onAdded(result.message ?? t("added"), result.data?.id ?? "");
  }

  return (
    <Card
      title={t("title")}
      description={t("description")}
      actions={
        <Button variant="ghost" onClick={onCancel}>
          {t("cancel")}
        </Button>
      }
    >
      {fixedSystemId ? null : (
        <fieldset className="mb-4">
          <legend className="mb-2 text-sm font-medium text-slate-700">{t("system")}</legend>
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
                  {t(`kind.${entry.kind}`)} · {entry.writes.length > 0 ? t("sourceOrTarget") : t("sourceOnly")}
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
            <Field label={t("name")} htmlFor="label" error={fieldErrors.label} hint={t("nameHint")}>
              <Input id="label" name="label" defaultValue={system.name} invalid={!!fieldErrors.label} required />
            </Field>
            {system.credentialFields.map((field) => (
              <Field
                key={field.key}
                label={wording.credentialFields?.[field.key]?.label ?? field.label}
                htmlFor={`credential-${field.key}`}
                error={fieldErrors[field.key] ?? fieldErrors[`credentials.${field.key}`]}
                hint={wording.credentialFields?.[field.key]?.help ?? field.help}
              >
                <Input
                  id={`credential-${field.key}`}
                  name={`credential-${field.key}`}
                  type={field.secret ? "password" : "text"}
                  autoComplete="off"
                  placeholder={wording.credentialFields?.[field.key]?.placeholder ?? field.placeholder}
                  invalid={!!(fieldErrors[field.key] ?? fieldErrors[`credentials.${field.key}`])}
                />
              </Field>
            ))}
            <Button type="submit" disabled={pending}>
              {pending ? t("checking") : t("submit")}
            </Button>
          </div>
          {steps.length > 0 ? (
            <div className="rounded-md bg-slate-50 p-3 text-sm text-slate-700">
              <div className="mb-1 font-medium">{t("whereKey")}</div>
              <ol className="list-decimal space-y-1 pl-5">
                {steps.map((step) => (
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
                  {t("documentation", { system: system.name })}
                </a>
              ) : null}
            </div>
          ) : null}
        </form>
      ) : (
        <p className="text-sm text-slate-500">{t("chooseSystem")}</p>
      )}
    </Card>
  );
}
