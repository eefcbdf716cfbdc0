import { pageTitle } from "@/app/_components/page-title";
import { getTranslations } from "next-intl/server";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { listConnections } from "@/lib/connections";
import { connectorCatalog } from "@/connectors/registry";
import { PageHeader } from "@/app/_components/ui";
import { ConnectionsView } from "./connections-view";

export const generateMetadata = pageTitle("connections");

function accountName(accountInfo: string | null): string {
  if (!accountInfo) return "";
  try {
    const parsed = JSON.parse(accountInfo) as { accountName?: string; userName?: string };
    return [parsed.accountName, parsed.userName].filter(Boolean).join(" · ");
  } catch {
    return "";
  }
}

export default async function ConnectionsPage() {
  const context = await requireOrgContext();
  const connections = await listConnections(db(), context);
  const catalog = connectorCatalog();
  const t = await getTranslations("connections");
  const names = new Map(catalog.map((entry) => [entry.id, entry.name]));
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <ConnectionsView
        canManage={can(context, "connections")}
        catalog={catalog}
        connections={connections.map((connection) => ({
          id: connection.id,
          label: connection.label,
          system: names.get(connection.systemId) ?? connection.systemId,
          account: accountName(connection.accountInfo),
          lastVerifiedAt: connection.lastVerifiedAt?.toISOString() ?? null,
        }))}
      />
    </>
  );
}
