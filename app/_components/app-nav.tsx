"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { ArrowRightLeft, History, PlugZap, ShieldCheck, Users } from "lucide-react";
import { cx } from "./ui";

const ITEMS = [
  { href: "/migrations", label: "Migrations", icon: ArrowRightLeft },
  { href: "/connections", label: "Connections", icon: PlugZap },
  { href: "/team", label: "Team", icon: Users },
];

export function AppNav({ isStaff, readsAuditLog }: { isStaff: boolean; readsAuditLog: boolean }) {
  const pathname = usePathname();
  const items = [
    ...ITEMS,
    ...(readsAuditLog ? [{ href: "/audit-log", label: "Audit log", icon: History }] : []),
    ...(isStaff ? [{ href: "/admin", label: "Admin", icon: ShieldCheck }] : []),
  ];
  return (
    <nav aria-label="Main" className="space-y-0.5">
      {items.map(({ href, label, icon: Icon }) => {
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
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
