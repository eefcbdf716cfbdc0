// GET /api/runs/[runId]/warnings.csv: every record the run wrote with a repaired or left-out value, with the original value, streamed.
import { db } from "@/lib/db";
import { warningsCsv } from "@/lib/runs/csv";
import { csvResponse, withRunAccess } from "../../_lib/respond";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  return withRunAccess(request, params, async (access, runId) => csvResponse(await warningsCsv(db(), access, runId)));
}
