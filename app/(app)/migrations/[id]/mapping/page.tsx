import { pageTitle } from "@/app/_components/page-title";
import { getTranslations } from "next-intl/server";
import { db } from "@/lib/db";
import { mappingView } from "@/lib/wizard";
import { Alert } from "@/app/_components/ui";
import { loadOrProblem, NotReady, openStep, StepHeading } from "../source/step-guard";
import { MappingEditor } from "./mapping-editor";

export const generateMetadata = pageTitle("mappingMigration");

export default async function MappingStepPage({ params }: { params: Promise<{ id: string }> }) {
  const { context, view, step } = await openStep(params, "mapping");
  if (!step.ready) return <NotReady view={view} step={step} />;
  const loaded = await loadOrProblem(() => mappingView(db(), context, view.migration.id));
  const t = await getTranslations("mapping");
  return (
    <>
      <StepHeading title={t("heading")} description={t("headingDescription")} />
      {loaded.problem !== null ? (
        <Alert tone="error">{loaded.problem}</Alert>
      ) : (
        <MappingEditor migrationId={view.migration.id} view={loaded.data} savedAt={view.state.mappingSavedAt} />
      )}
    </>
  );
}
