import { pageTitle } from "@/app/_components/page-title";
import { openStep } from "./step-guard";
import { SideStep } from "./side-step";

export const generateMetadata = pageTitle("sourceMigration");

export default async function SourceStepPage({ params }: { params: Promise<{ id: string }> }) {
  const { context, view } = await openStep(params, "source");
  return <SideStep side="source" context={context} view={view} />;
}
