"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { signUpAction } from "@/app/actions/auth-actions";
import { Alert, Button, Field, Input } from "@/app/_components/ui";
import { formValues } from "@/lib/action-result";

export function SignUpForm({ invite }: { invite?: { token: string; email: string; organizationName: string } }) {
  const t = useTranslations("signUp");
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values = formValues(new FormData(event.currentTarget));
    if (invite) values.inviteToken = invite.token;
    setPending(true);
    const result = await signUpAction(values);
    if (!result.ok) {
      setPending(false);
      setError(result.error);
      setFieldErrors(result.fieldErrors ?? {});
      return;
    }
    await signIn("credentials", { email: values.email, password: values.password, redirect: false });
    router.push(invite ? "/team" : "/migrations");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <h1 className="text-base font-semibold">{invite ? t("join", { organization: invite.organizationName }) : t("title")}</h1>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field label={t("name")} htmlFor="name" error={fieldErrors.name}>
        <Input id="name" name="name" autoComplete="name" invalid={!!fieldErrors.name} required />
      </Field>
      <Field label={t("email")} htmlFor="email" error={fieldErrors.email}>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          invalid={!!fieldErrors.email}
          defaultValue={invite?.email}
          readOnly={!!invite}
          required
        />
      </Field>
      <Field label={t("password")} htmlFor="password" error={fieldErrors.password} hint={t("passwordHint")}>
        <Input id="password" name="password" type="password" autoComplete="new-password" invalid={!!fieldErrors.password} required />
      </Field>
      {invite ? null : (
        <Field label={t("organizationName")} htmlFor="organizationName" error={fieldErrors.organizationName} hint={t("organizationHint")}>
          <Input id="organizationName" name="organizationName" autoComplete="organization" invalid={!!fieldErrors.organizationName} required />
        </Field>
      )}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t("pending") : invite ? t("submitAndJoin") : t("submit")}
      </Button>
      <p className="text-center text-xs text-slate-500">
        {t("haveAccount")}{" "}
        <Link href={invite ? `/sign-in?callbackUrl=/invite/${invite.token}` : "/sign-in"} className="font-medium text-indigo-700 hover:underline">
          {t("signIn")}
        </Link>
      </p>
    </form>
  );
}
