import { pageTitle } from "@/app/_components/page-title";
import { notFound } from "next/navigation";
import { requireOrgContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { organizationAccess } from "@/lib/runs/access";
import { formatDuration, fullRunSummary } from "@/lib/runs/full-run-summary";
import { migrationRuns } from "@/lib/runs/list";
import { fullRunReadiness } from "@/lib/runs/wizard-bridge";
import { FullRunView } from "./full-run-view";

export const generateMetadata = pageTitle("fullMigration");

export default async function FullRunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const context = await requireOrgContext();
  const access = organizationAccess(context);
  const database = db();
  const loaded = await Promise.all([fullRunSummary(database, access, id), fullRunReadiness(database, context, id), migrationRuns(database, access, id)]).catch(
    (error: unknown) => {
      if (error instanceof NotFoundError) notFound();
      throw error;
    },
  );
  const [summary, readiness, runs] = loaded;
  const runsNotDemo = runs.filter((run) => run.mode !== "demo");
  return (
    <FullRunView
      migrationId={id}
      summary={summary}
      duration={summary.estimate ? formatDuration(summary.estimate.seconds) : null}
      readiness={readiness}
      runs={runsNotDemo}
    />
  );
}
