import type { Metadata } from "next";
import { openStep } from "./step-guard";
import { SideStep } from "./side-step";

export const metadata: Metadata = { title: "Source · Migration" };

export default async function SourceStepPage({ params }: { params: Promise<{ id: string }> }) {
  const { context, view } = await openStep(params, "source");
  return <SideStep side="source" context={context} view={view} />;
}
