// GET /api/runs/[runId]/progress: what the run dashboard polls (lib/runs/progress.ts).
import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { loadRunProgress } from "@/lib/runs/progress";
import { withRunAccess } from "../../_lib/respond";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  return withRunAccess(request, params, async (access, runId) =>
    NextResponse.json(await loadRunProgress(db(), access, runId), { headers: { "Cache-Control": "no-store" } }),
  );
}
