import { pageTitle } from "@/app/_components/page-title";
import { getTranslations } from "next-intl/server";
import { Download } from "lucide-react";
import { notFound } from "next/navigation";
import { requireOrgContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { findMigration, organizationAccess } from "@/lib/runs/access";
import { migrationRuns } from "@/lib/runs/list";
import { PageHeader } from "@/app/_components/ui";
import { RunsList } from "./runs-list";

export const generateMetadata = pageTitle("runs");

export default async function RunsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = organizationAccess(await requireOrgContext());
  const loaded = await Promise.all([findMigration(db(), access, id), migrationRuns(db(), access, id)]).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const [migration, runs] = loaded;
  const t = await getTranslations("runsPage");
  return (
    <>
      <PageHeader
        title={t("title", { migration: migration.name })}
        description={t("description")}
        actions={
          <a
            className="inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline"
            href={`/api/migrations/${encodeURIComponent(id)}/report`}
            title={t("reportTitle")}
          >
            <Download aria-hidden className="h-4 w-4" /> {t("downloadReport")}
          </a>
        }
      />
      <RunsList migrationId={id} runs={runs} />
    </>
  );
}
