import type { Metadata } from "next";
import Link from "next/link";
import { ArrowRightLeft, Plus } from "lucide-react";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { listMigrations } from "@/lib/wizard";
import { refusalReason } from "@/lib/auth/roles";
import { EmptyState, PageHeader } from "@/app/_components/ui";
import { connectorCatalog } from "@/connectors/registry";
import { needsNoAccount } from "@/connectors/types";
import { MigrationsTable } from "./migrations-table";

export const metadata: Metadata = { title: "Migrations" };

const NEW_BUTTON =
  "inline-flex shrink-0 whitespace-nowrap items-center gap-1.5 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700";

export default async function MigrationsPage() {
  const context = await requireOrgContext();
  const migrations = await listMigrations(db(), context);
  const refusal = refusalReason(context, "migrations");
  const tryout = connectorCatalog().find(needsNoAccount);
  const newButton = refusal ? (
    <span className="max-w-sm text-right text-xs text-slate-500">{refusal}</span>
  ) : (
    <Link href="/migrations/new" className={NEW_BUTTON}>
      <Plus aria-hidden className="h-4 w-4" />
      New migration
    </Link>
  );
  return (
    <>
      <PageHeader
        title="Migrations"
        description="Each migration moves data from one source connection to one target connection."
        actions={migrations.length > 0 ? newButton : null}
      />
      {migrations.length === 0 ? (
        <EmptyState icon={<ArrowRightLeft className="h-8 w-8" aria-hidden />} title="No migrations yet" action={newButton}>
          Start a migration: give it a name, then the wizard walks you through choosing the source and target, auditing the data, checking the target and
          mapping the fields.{tryout ? ` No account to try with? Use the built-in ${tryout.name} source.` : null}
        </EmptyState>
      ) : (
        <MigrationsTable migrations={migrations} />
      )}
    </>
  );
}
