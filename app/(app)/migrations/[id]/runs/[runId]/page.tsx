import { pageTitle } from "@/app/_components/page-title";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/roles";
import { requireOrgContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { organizationAccess } from "@/lib/runs/access";
import { loadRunDashboard } from "@/lib/runs/dashboard";
import { PageHeader } from "@/app/_components/ui";
import { RunDashboard } from "../_components/run-dashboard";

export const generateMetadata = pageTitle("run");

export default async function RunPage({ params }: { params: Promise<{ id: string; runId: string }> }) {
  const { id, runId } = await params;
  const context = await requireOrgContext();
  const data = await loadRunDashboard(db(), organizationAccess(context), runId).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  if (data.run.migrationId !== id) notFound();
  const t = await getTranslations("runsPage");
  return (
    <>
      <PageHeader
        title={t("dashboard")}
        description={
          <>
            {t.rich("run", { id: data.run.id, code: (chunks) => <code className="text-xs">{chunks}</code> })} ·{" "}
            <Link className="text-indigo-700 hover:underline" href={`/migrations/${id}/runs`}>
              {t("allRuns")}
            </Link>
          </>
        }
      />
      {/* A new key after a server refresh remounts the dashboard with the fresh data. */}
      <RunDashboard key={`${data.progress.status}-${data.events.length}-${data.failuresTotal}`} data={data} canRollBack={can(context, "rollback")} />
    </>
  );
}
