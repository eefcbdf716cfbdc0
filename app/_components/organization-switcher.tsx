"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { switchOrganizationAction } from "@/app/actions/organization-actions";
import { useTranslations } from "next-intl";
import { Select } from "./ui";

export function OrganizationSwitcher({ current, organizations }: { current: string; organizations: { id: string; name: string }[] }) {
  const t = useTranslations("organizationSwitcher");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor="organization-switcher" className="sr-only">
        {t("label")}
      </label>
      <Select
        id="organization-switcher"
        value={current}
        disabled={pending}
        onChange={(event) => {
          const organizationId = event.target.value;
          startTransition(async () => {
            await switchOrganizationAction(organizationId);
            router.refresh();
          });
        }}
        className="max-w-56 font-medium"
      >
        {organizations.map((organization) => (
          <option key={organization.id} value={organization.id}>
            {organization.name}
          </option>
        ))}
      </Select>
      <Link href="/organizations/new" className="text-xs text-slate-500 hover:text-slate-800 hover:underline">
        {t("new")}
      </Link>
    </div>
  );
}
