import { pageTitle } from "@/app/_components/page-title";
import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { staffOverview, staffRuns } from "@/lib/admin";
import { Card, PageHeader } from "@/app/_components/ui";
import { staffSyncs } from "@/lib/sync/monitor";
import { AdminRunsTable } from "./admin-runs-table";
import { AdminSyncsTable } from "./admin-syncs-table";

export const generateMetadata = pageTitle("admin");

export default async function AdminPage() {
  await requireStaff();
  const [overview, runs, syncs] = await Promise.all([staffOverview(db()), staffRuns(db()), staffSyncs(db())]);
  const stalled = runs.filter((run) => run.stalled).length;
  const t = await getTranslations("admin");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="mb-5 grid gap-3 sm:grid-cols-5">
        {[
          ["organizations", overview.organizations],
          ["users", overview.users],
          ["connections", overview.connections],
          ["activeRuns", overview.activeRuns],
          ["stalledRuns", stalled],
        ].map(([key, value]) => (
          <Card key={key} className={key === "stalledRuns" && stalled > 0 ? "border-amber-300 bg-amber-50" : undefined}>
            <div className="text-xs uppercase tracking-wide text-slate-500">{t(`overview.${key as "users"}`)}</div>
            <div className="mt-1 text-2xl font-semibold tabular-nums">{value}</div>
          </Card>
        ))}
      </div>
      <Card title={t("runs")} description={t("runsDescription")}>
        <AdminRunsTable runs={runs} />
      </Card>
      <Card className="mt-5" title={t("syncs")} description={t("syncsDescription")}>
        <AdminSyncsTable syncs={syncs} />
      </Card>
    </>
  );
}
