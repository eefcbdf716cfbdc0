"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { createOrganizationAction } from "@/app/actions/organization-actions";
import { Alert, Button, Field, Input } from "@/app/_components/ui";

export function NewOrganizationForm() {
  const t = useTranslations("newOrganization");
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const result = await createOrganizationAction({ name: String(new FormData(event.currentTarget).get("name") ?? "") });
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      setFieldError(result.fieldErrors?.form ?? result.fieldErrors?.name);
      return;
    }
    router.push("/migrations");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <h1 className="text-base font-semibold">{t("title")}</h1>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field label={t("name")} htmlFor="name" error={fieldError}>
        <Input id="name" name="name" invalid={!!fieldError} required autoFocus />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t("pending") : t("submit")}
      </Button>
      <Link href="/migrations" className="block text-center text-xs text-slate-500 hover:underline">
        {t("cancel")}
      </Link>
    </form>
  );
}
