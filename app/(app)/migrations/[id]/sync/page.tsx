import { notFound } from "next/navigation";
import { pageTitle } from "@/app/_components/page-title";
import { requireOrgContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { findMigration, organizationAccess } from "@/lib/runs/access";
import { loadSyncDashboard } from "@/lib/sync/dashboard";
import { SyncView } from "./sync-view";

export const generateMetadata = pageTitle("syncMigration");

export default async function SyncPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const context = await requireOrgContext();
  const database = db();
  // Scoped first: another organization's migration is not found.
  const dashboard = await findMigration(database, organizationAccess(context), id)
    .then(() => loadSyncDashboard(database, id))
    .catch((error: unknown) => {
      if (error instanceof NotFoundError) notFound();
      throw error;
    });
  return <SyncView key={`${dashboard.sync.status}-${dashboard.current?.id ?? ""}-${dashboard.last?.id ?? ""}`} dashboard={dashboard} />;
}
