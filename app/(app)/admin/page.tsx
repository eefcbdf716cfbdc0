import type { Metadata } from "next";
import { ShieldCheck } from "lucide-react";
import { requireStaff } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { staffOverview } from "@/lib/admin";
import { Card, EmptyState, PageHeader } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireStaff();
  const overview = await staffOverview(db());
  return (
    <>
      <PageHeader title="Staff monitor" description="Every organization and every run across Ferry. Only staff see this page." />
      <div className="mb-5 grid gap-3 sm:grid-cols-4">
        {[
          ["Organizations", overview.organizations],
          ["Users", overview.users],
          ["Connections", overview.connections],
          ["Runs in progress", overview.activeRuns],
        ].map(([label, value]) => (
          <Card key={label}>
            <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
            <div className="mt-1 text-2xl font-semibold tabular-nums">{value}</div>
          </Card>
        ))}
      </div>
      <EmptyState icon={<ShieldCheck className="h-8 w-8" aria-hidden />} title="No runs to monitor yet">
        Runs from every organization appear here with their status, throughput and error rate once migrations start.
      </EmptyState>
    </>
  );
}
