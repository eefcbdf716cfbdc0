"use client";

// The signed-in member's role, for client components: what they may change, and why a control is
// disabled when they may not. The server checks every action again (lib/auth/roles.ts).
import { createContext, useContext, type ReactNode } from "react";
import { usePathname } from "next/navigation";
import { refusalReason, type Permission } from "@/lib/auth/roles";
import { useTranslations } from "next-intl";
import { Alert } from "./ui";

type Granted = { roleName: string; permissions: readonly Permission[] };

const PermissionsContext = createContext<Granted>({ roleName: "", permissions: [] });

export function PermissionsProvider({ roleName, permissions, children }: Granted & { children: ReactNode }) {
  return <PermissionsContext.Provider value={{ roleName, permissions }}>{children}</PermissionsContext.Provider>;
}

/** Null when the member may; otherwise the sentence that says why not. */
export function useRefusal(permission: Permission): string | null {
  const t = useTranslations("permissions");
  const { roleName, permissions } = useContext(PermissionsContext);
  if (!refusalReason({ role: { key: "", name: roleName, permissions, custom: false } }, permission)) return null;
  return t("refused", { role: roleName, action: t(`refusedAction.${permission}`), permission: t(`label.${permission}`) });
}

/** The demo, full-run and run pages are about runs; the other steps change the migration itself. */
function permissionForPath(pathname: string): Permission {
  return /\/migrations\/[^/]+\/(demo|run|runs|sync)(\/|$)/.test(pathname) ? "runs" : "migrations";
}

/** Disables every control of a migration's page (links still work) when the role may not change it, saying why. */
export function MigrationPageGate({ children }: { children: ReactNode }) {
  const t = useTranslations("permissions");
  const refusal = useRefusal(permissionForPath(usePathname()));
  if (!refusal) return <>{children}</>;
  return (
    <>
      <div className="mb-3">
        <Alert tone="info">
          {refusal} {t("lookOnly")}
        </Alert>
      </div>
      <fieldset disabled className="contents">
        {children}
      </fieldset>
    </>
  );
}
