// GET /api/runs/[runId]/failures.csv: every failed record of the run with its reason, streamed.
import { db } from "@/lib/db";
import { failuresCsv } from "@/lib/runs/csv";
import { csvResponse, withRunAccess } from "../../_lib/respond";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  return withRunAccess(request, params, async (access, runId) => csvResponse(await failuresCsv(db(), access, runId)));
}
