"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { createMigrationAction } from "@/app/actions/wizard-actions";
import { Alert, Button, Card, Field, Input } from "@/app/_components/ui";

export function NewMigrationForm() {
  const t = useTranslations("newMigration");
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    // On success the action redirects to step 1.
    const result = await createMigrationAction({ name: String(new FormData(event.currentTarget).get("name") ?? "") });
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      setFieldError(result.fieldErrors?.name ?? result.fieldErrors?.form);
    }
  }

  return (
    <Card className="max-w-lg">
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {error && !fieldError ? <Alert tone="error">{error}</Alert> : null}
        <Field label={t("name")} htmlFor="name" error={fieldError} hint={t("nameHint")}>
          <Input id="name" name="name" required maxLength={100} invalid={!!fieldError} autoFocus />
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? t("pending") : t("submit")}
        </Button>
      </form>
    </Card>
  );
}
