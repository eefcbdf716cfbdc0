import type { Metadata } from "next";
import { fixEffects } from "@/lib/wizard";
import { NotReady, openStep, StepHeading } from "../source/step-guard";
import { PrerequisitesView } from "./prerequisites-view";

export const metadata: Metadata = { title: "Prerequisites · Migration" };

export default async function PrerequisitesStepPage({ params }: { params: Promise<{ id: string }> }) {
  const { view, step } = await openStep(params, "prerequisites");
  if (!step.ready) return <NotReady view={view} step={step} />;
  return (
    <>
      <StepHeading
        title="5. Prepare the target"
        description={`Ferry checks ${view.target?.label ?? "the target"} for what the migration needs: objects, fields, users, automations. Some problems Ferry can fix with your consent; the rest are steps for you to confirm.`}
      />
      <PrerequisitesView
        migrationId={view.migration.id}
        targetName={view.target?.systemName ?? "the target"}
        fixEffects={fixEffects(view.target?.systemId)}
        checkedAt={view.state.prerequisites?.checkedAt ?? null}
        report={view.state.prerequisites?.report ?? null}
        confirmations={view.state.confirmations}
      />
    </>
  );
}
