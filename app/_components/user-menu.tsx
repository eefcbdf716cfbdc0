"use client";

import { signOut } from "next-auth/react";
import { LogOut } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "./ui";

export function UserMenu({ name, email, role }: { name: string; email: string; role: string }) {
  const t = useTranslations("userMenu");
  return (
    <div className="flex items-center gap-3">
      <div className="text-right leading-tight">
        <div className="text-sm font-medium text-slate-800">{name}</div>
        <div className="text-xs text-slate-500">
          {email} · {role}
        </div>
      </div>
      <Button variant="ghost" onClick={() => signOut({ callbackUrl: "/sign-in" })} aria-label={t("signOut")}>
        <LogOut aria-hidden className="h-4 w-4" />
        <span className="hidden sm:inline">{t("signOut")}</span>
      </Button>
    </div>
  );
}
