import { pageTitle } from "@/app/_components/page-title";
import { getTranslations } from "next-intl/server";
import { db } from "@/lib/db";
import { objectsView } from "@/lib/wizard";
import { Alert } from "@/app/_components/ui";
import { loadOrProblem, NotReady, openStep, StepHeading } from "../source/step-guard";
import { ObjectsForm } from "./objects-form";

export const generateMetadata = pageTitle("objectsMigration");

export default async function ObjectsStepPage({ params }: { params: Promise<{ id: string }> }) {
  const { context, view, step } = await openStep(params, "objects");
  if (!step.ready) return <NotReady view={view} step={step} />;
  const loaded = await loadOrProblem(() => objectsView(db(), context, view.migration.id));
  const t = await getTranslations("objects");
  return (
    <>
      <StepHeading title={t("heading")} description={t("headingDescription")} />
      {loaded.problem !== null ? <Alert tone="error">{loaded.problem}</Alert> : <ObjectsForm migrationId={view.migration.id} view={loaded.data} />}
    </>
  );
}
