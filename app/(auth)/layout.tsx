import type { ReactNode } from "react";
import { Ship } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { LocaleSwitcher } from "@/app/_components/locale-switcher";

// Every page here depends on the signed-in user; never prerender at build time, when no
// secrets are configured.
export const dynamic = "force-dynamic";

export default async function AuthLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations("app");
  return (
    <main className="relative flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <div className="absolute right-4 top-4">
        <LocaleSwitcher />
      </div>
      <div className="mb-6 flex items-center gap-2 text-slate-900">
        <Ship aria-hidden className="h-6 w-6 text-indigo-600" />
        <span className="text-lg font-semibold">Ferry</span>
      </div>
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
      <p className="mt-6 max-w-sm text-center text-xs text-slate-500">{t("tagline")}</p>
    </main>
  );
}
