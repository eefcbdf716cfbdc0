import type { Metadata } from "next";
import { db } from "@/lib/db";
import { objectsView } from "@/lib/wizard";
import { Alert } from "@/app/_components/ui";
import { loadOrProblem, NotReady, openStep, StepHeading } from "../source/step-guard";
import { ObjectsForm } from "./objects-form";

export const metadata: Metadata = { title: "Objects · Migration" };

export default async function ObjectsStepPage({ params }: { params: Promise<{ id: string }> }) {
  const { context, view, step } = await openStep(params, "objects");
  if (!step.ready) return <NotReady view={view} step={step} />;
  const loaded = await loadOrProblem(() => objectsView(db(), context, view.migration.id));
  return (
    <>
      <StepHeading
        title="3. What to migrate"
        description="Ferry proposes the object pairs from both systems. Untick what you leave behind and filter out old or irrelevant records."
      />
      {loaded.problem !== null ? <Alert tone="error">{loaded.problem}</Alert> : <ObjectsForm migrationId={view.migration.id} view={loaded.data} />}
    </>
  );
}
