import type { Metadata } from "next";
import { openStep, NotReady } from "../source/step-guard";
import { SideStep } from "../source/side-step";

export const metadata: Metadata = { title: "Target · Migration" };

export default async function TargetStepPage({ params }: { params: Promise<{ id: string }> }) {
  const opened = await openStep(params, "target");
  if (!opened.step.ready) return <NotReady view={opened.view} step={opened.step} />;
  return <SideStep side="target" context={opened.context} view={opened.view} />;
}
