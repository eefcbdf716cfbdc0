import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireStaff } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { staffAccess } from "@/lib/runs/access";
import { loadRunDashboard } from "@/lib/runs/dashboard";
import { PageHeader } from "@/app/_components/ui";
import { RunDashboard } from "@/app/(app)/migrations/[id]/runs/_components/run-dashboard";

export const metadata: Metadata = { title: "Run (staff)" };

// Staff view of any organization's run: the same dashboard, loaded unscoped after requireStaff (non-staff: 404).
export default async function StaffRunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const access = staffAccess(await requireStaff());
  const data = await loadRunDashboard(db(), access, runId).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return (
    <>
      <PageHeader
        title={`${data.run.organizationName} · ${data.run.migrationName}`}
        description={
          <>
            Staff view of run <code className="text-xs">{data.run.id}</code> ·{" "}
            <Link className="text-indigo-700 hover:underline" href="/admin">
              back to the monitor
            </Link>
          </>
        }
      />
      <RunDashboard key={`${data.progress.status}-${data.events.length}-${data.failuresTotal}`} data={data} staff />
    </>
  );
}
