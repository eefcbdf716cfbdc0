"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { ArrowRightLeft, History, PlugZap, ShieldCheck, Users } from "lucide-react";
import { useTranslations } from "next-intl";
import { cx } from "./ui";

const ITEMS = [
  { href: "/migrations", key: "migrations", icon: ArrowRightLeft },
  { href: "/connections", key: "connections", icon: PlugZap },
  { href: "/team", key: "team", icon: Users },
] as const;

export function AppNav({ isStaff, readsAuditLog }: { isStaff: boolean; readsAuditLog: boolean }) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  const items = [
    ...ITEMS,
    ...(readsAuditLog ? [{ href: "/audit-log", key: "auditLog", icon: History } as const] : []),
    ...(isStaff ? [{ href: "/admin", key: "admin", icon: ShieldCheck } as const] : []),
  ];
  return (
    <nav aria-label={t("label")} className="space-y-0.5">
      {items.map(({ href, key, icon: Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cx(
              "flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm font-medium",
              active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
            )}
          >
            <Icon aria-hidden className="h-4 w-4" />
            {t(key)}
          </Link>
        );
      })}
    </nav>
  );
}
