import type { Metadata } from "next";
import { requireStaff } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { staffOverview, staffRuns } from "@/lib/admin";
import { Card, PageHeader } from "@/app/_components/ui";
import { staffSyncs } from "@/lib/sync/monitor";
import { AdminRunsTable } from "./admin-runs-table";
import { AdminSyncsTable } from "./admin-syncs-table";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireStaff();
  const [overview, runs, syncs] = await Promise.all([staffOverview(db()), staffRuns(db()), staffSyncs(db())]);
  const stalled = runs.filter((run) => run.stalled).length;
  return (
    <>
      <PageHeader title="Staff monitor" description="Every organization and every run across Ferry. Only staff see this page." />
      <div className="mb-5 grid gap-3 sm:grid-cols-5">
        {[
          ["Organizations", overview.organizations],
          ["Users", overview.users],
          ["Connections", overview.connections],
          ["Runs in progress", overview.activeRuns],
          ["Stalled runs", stalled],
        ].map(([label, value]) => (
          <Card key={label} className={label === "Stalled runs" && stalled > 0 ? "border-amber-300 bg-amber-50" : undefined}>
            <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
            <div className="mt-1 text-2xl font-semibold tabular-nums">{value}</div>
          </Card>
        ))}
      </div>
      <Card title="Runs" description="Newest first. A run is stalled when it should be worked on but its heartbeat is older than 3 minutes.">
        <AdminRunsTable runs={runs} />
      </Card>
      <Card
        className="mt-5"
        title="Syncs"
        description="Migrations kept in sync until cutover. Stalled: a sync running more than twice its interval, a schedule 5 minutes overdue, or 3 failed syncs in a row."
      >
        <AdminSyncsTable syncs={syncs} />
      </Card>
    </>
  );
}
