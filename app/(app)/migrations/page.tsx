import { pageTitle } from "@/app/_components/page-title";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { refusalText } from "@/app/_components/refusal";
import { ArrowRightLeft, Plus } from "lucide-react";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { listMigrations } from "@/lib/wizard";
import { EmptyState, PageHeader } from "@/app/_components/ui";
import { connectorCatalog } from "@/connectors/registry";
import { needsNoAccount } from "@/connectors/types";
import { MigrationsTable } from "./migrations-table";

export const generateMetadata = pageTitle("migrations");

const NEW_BUTTON =
  "inline-flex shrink-0 whitespace-nowrap items-center gap-1.5 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700";

export default async function MigrationsPage() {
  const context = await requireOrgContext();
  const migrations = await listMigrations(db(), context);
  const [refusal, t] = await Promise.all([refusalText(context, "migrations"), getTranslations("migrations")]);
  const tryout = connectorCatalog().find(needsNoAccount);
  const newButton = refusal ? (
    <span className="max-w-sm text-right text-xs text-slate-500">{refusal}</span>
  ) : (
    <Link href="/migrations/new" className={NEW_BUTTON}>
      <Plus aria-hidden className="h-4 w-4" />
      {t("new")}
    </Link>
  );
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={migrations.length > 0 ? newButton : null} />
      {migrations.length === 0 ? (
        <EmptyState icon={<ArrowRightLeft className="h-8 w-8" aria-hidden />} title={t("emptyTitle")} action={newButton}>
          {t("empty")}
          {tryout ? ` ${t("emptyTryout", { name: tryout.name })}` : null}
        </EmptyState>
      ) : (
        <MigrationsTable migrations={migrations} />
      )}
    </>
  );
}
