import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Ship } from "lucide-react";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { listMemberships } from "@/lib/team";
import { unreadCount } from "@/lib/notifications/inbox";
import { AppNav } from "@/app/_components/app-nav";
import { NotificationBell } from "@/app/_components/notification-bell";
import { VerifyEmailBanner } from "@/app/_components/verify-email-banner";
import { OrganizationSwitcher } from "@/app/_components/organization-switcher";
import { UserMenu } from "@/app/_components/user-menu";
import { LocaleSwitcher } from "@/app/_components/locale-switcher";
import { PermissionsProvider } from "@/app/_components/permissions";
import { can } from "@/lib/auth/roles";

// Every page here depends on the signed-in user; never prerender at build time, when no
// secrets are configured.
export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const context = await requireOrgContext();
  const [memberships, unread, account, builtInName] = await Promise.all([
    listMemberships(db(), context.user.id),
    unreadCount(db(), context.user.id),
    db().user.findUnique({ where: { id: context.user.id }, select: { emailVerifiedAt: true } }),
    getTranslations("builtInRole"),
  ]);
  const roleName = context.role.custom ? context.role.name : builtInName(context.role.key as "admin");
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white px-4">
        <div className="flex items-center gap-5">
          <Link href="/migrations" className="flex items-center gap-2 font-semibold text-slate-900">
            <Ship aria-hidden className="h-5 w-5 text-indigo-600" />
            Ferry
          </Link>
          <OrganizationSwitcher current={context.organization.id} organizations={memberships.map((membership) => membership.organization)} />
        </div>
        <div className="flex items-center gap-3">
          <LocaleSwitcher />
          <NotificationBell initialUnread={unread} />
          <UserMenu name={context.user.name} email={context.user.email} role={roleName} />
        </div>
      </header>
      {account && !account.emailVerifiedAt ? <VerifyEmailBanner email={context.user.email} /> : null}
      <div className="flex flex-1">
        <aside className="w-48 shrink-0 border-r border-slate-200 bg-white p-3">
          <AppNav isStaff={context.user.isStaff} readsAuditLog={can(context, "members")} />
        </aside>
        <main className="min-w-0 flex-1 px-6 py-6">
          <div className="mx-auto max-w-6xl">
            <PermissionsProvider roleName={context.role.name} permissions={context.role.permissions}>
              {children}
            </PermissionsProvider>
          </div>
        </main>
      </div>
    </div>
  );
}
