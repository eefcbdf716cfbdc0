// GET /api/runs/[runId]/ledger.csv: the run's source id → target id ledger, streamed page by page.
import { db } from "@/lib/db";
import { ledgerCsv } from "@/lib/runs/csv";
import { csvResponse, withRunAccess } from "../../_lib/respond";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  return withRunAccess(request, params, async (access, runId) => csvResponse(await ledgerCsv(db(), access, runId)));
}
