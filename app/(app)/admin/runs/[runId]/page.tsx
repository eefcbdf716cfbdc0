import { pageTitle } from "@/app/_components/page-title";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { requireStaff } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { staffAccess } from "@/lib/runs/access";
import { loadRunDashboard } from "@/lib/runs/dashboard";
import { PageHeader } from "@/app/_components/ui";
import { RunDashboard } from "@/app/(app)/migrations/[id]/runs/_components/run-dashboard";

export const generateMetadata = pageTitle("runStaff");

// Staff view of any organization's run: the same dashboard, loaded unscoped after requireStaff (non-staff: 404).
export default async function StaffRunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const access = staffAccess(await requireStaff());
  const data = await loadRunDashboard(db(), access, runId).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const t = await getTranslations("admin");
  return (
    <>
      <PageHeader
        title={`${data.run.organizationName} · ${data.run.migrationName}`}
        description={
          <>
            {t.rich("staffView", { id: data.run.id, code: (chunks) => <code className="text-xs">{chunks}</code> })} ·{" "}
            <Link className="text-indigo-700 hover:underline" href="/admin">
              {t("back")}
            </Link>
          </>
        }
      />
      <RunDashboard key={`${data.progress.status}-${data.events.length}-${data.failuresTotal}`} data={data} staff />
    </>
  );
}
