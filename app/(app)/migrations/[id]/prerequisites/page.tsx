import { fixEffects } from "@/lib/wizard";
import { pageTitle } from "@/app/_components/page-title";
import { getTranslations } from "next-intl/server";
import { NotReady, openStep, StepHeading } from "../source/step-guard";
import { PrerequisitesView } from "./prerequisites-view";

export const generateMetadata = pageTitle("prerequisitesMigration");

export default async function PrerequisitesStepPage({ params }: { params: Promise<{ id: string }> }) {
  const { view, step } = await openStep(params, "prerequisites");
  if (!step.ready) return <NotReady view={view} step={step} />;
  const t = await getTranslations("prerequisites");
  return (
    <>
      <StepHeading title={t("heading")} description={t("headingDescription", { target: view.target?.label ?? t("theTarget") })} />
      <PrerequisitesView
        migrationId={view.migration.id}
        targetName={view.target?.systemName ?? t("theTarget")}
        targetSystemId={view.target?.systemId ?? ""}
        fixEffects={fixEffects(view.target?.systemId)}
        checkedAt={view.state.prerequisites?.checkedAt ?? null}
        report={view.state.prerequisites?.report ?? null}
        confirmations={view.state.confirmations}
      />
    </>
  );
}
