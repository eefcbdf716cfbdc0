import type { Metadata } from "next";
import Link from "next/link";
import { ArrowRightLeft } from "lucide-react";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { listConnections } from "@/lib/connections";
import { EmptyState, PageHeader } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Migrations" };

export default async function MigrationsPage() {
  const context = await requireOrgContext();
  const connections = await listConnections(db(), context);
  return (
    <>
      <PageHeader title="Migrations" description="Each migration moves data from one source connection to one target connection." />
      <EmptyState
        icon={<ArrowRightLeft className="h-8 w-8" aria-hidden />}
        title="No migrations yet"
        action={
          connections.length < 2 ? (
            <Link href="/connections" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">
              Add connections
            </Link>
          ) : null
        }
      >
        {connections.length < 2
          ? "A migration needs a source and a target. Start by connecting the systems you are moving from and to (or use the built-in Sample source to try Ferry)."
          : "Your connections are ready. The migration wizard arrives in the next release of Ferry."}
      </EmptyState>
    </>
  );
}
