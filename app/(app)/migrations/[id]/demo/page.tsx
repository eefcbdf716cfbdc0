import { pageTitle } from "@/app/_components/page-title";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/roles";
import { requireOrgContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { DEFAULT_DEMO_SAMPLE_SIZE } from "@/lib/plan";
import { findMigration, organizationAccess } from "@/lib/runs/access";
import { demoResults, type DemoResults } from "@/lib/runs/demo-results";
import { migrationRuns } from "@/lib/runs/list";
import { loadRunProgress } from "@/lib/runs/progress";
import { rollbackPreview } from "@/lib/runs/rollback-preview";
import { demoReadiness } from "@/lib/runs/wizard-bridge";
import { getTranslations } from "next-intl/server";
import { DemoView } from "./demo-view";

export const generateMetadata = pageTitle("demoMigration");

function sampleSizeOf(plan: string): number {
  try {
    const value = (JSON.parse(plan) as { demoSampleSize?: unknown }).demoSampleSize;
    return typeof value === "number" ? value : DEFAULT_DEMO_SAMPLE_SIZE;
  } catch {
    return DEFAULT_DEMO_SAMPLE_SIZE;
  }
}

export default async function DemoPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const context = await requireOrgContext();
  const access = organizationAccess(context);
  const database = db();
  const loaded = await Promise.all([
    findMigration(database, access, id),
    migrationRuns(database, access, id, { mode: "demo" }),
    demoReadiness(database, context, id),
  ]).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const [migration, demos, readiness] = loaded;
  const t = await getTranslations("demo");
  const steps = await getTranslations("wizard.steps");
  const latest = demos[0] ?? null;
  let results: DemoResults | null = null;
  let resultsError: string | null = null;
  const [progress, preview] = latest
    ? await Promise.all([loadRunProgress(database, access, latest.id), rollbackPreview(database, access, latest.id)])
    : [null, null];
  if (latest && ["completed", "failed", "cancelled", "paused", "rolled_back"].includes(latest.status)) {
    try {
      results = await demoResults(database, access, latest.id);
    } catch (error) {
      resultsError = error instanceof Error ? error.message : t("resultsUnavailable");
    }
  }
  return (
    <DemoView
      key={latest ? `${latest.id}-${latest.status}` : "none"}
      migrationId={migration.id}
      defaultSampleSize={sampleSizeOf(migration.plan)}
      progress={progress}
      results={results}
      resultsError={resultsError}
      preview={preview}
      targetLabel={migration.targetConnection?.label ?? t("theTarget")}
      readiness={{
        ok: readiness.ok,
        reasons: readiness.reasons,
        fix: readiness.fixAt ? { href: `/migrations/${id}/${readiness.fixAt}`, label: steps(readiness.fixAt) } : null,
      }}
      canDelete={can(context, "rollback")}
    />
  );
}
