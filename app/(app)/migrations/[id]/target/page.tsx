import { pageTitle } from "@/app/_components/page-title";
import { openStep, NotReady } from "../source/step-guard";
import { SideStep } from "../source/side-step";

export const generateMetadata = pageTitle("targetMigration");

export default async function TargetStepPage({ params }: { params: Promise<{ id: string }> }) {
  const opened = await openStep(params, "target");
  if (!opened.step.ready) return <NotReady view={opened.view} step={opened.step} />;
  return <SideStep side="target" context={opened.context} view={opened.view} />;
}
