// GET /api/migrations/[id]/report: the migration report as a downloadable HTML document.
import { db } from "@/lib/db";
import { loadMigrationReport, renderMigrationReport, reportFilename } from "@/lib/runs/report";
import { htmlDownloadResponse, withMigrationAccess } from "../../../runs/_lib/respond";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withMigrationAccess(request, params, async (access, migrationId) => {
    const report = await loadMigrationReport(db(), access, migrationId);
    return htmlDownloadResponse({ filename: reportFilename(report), html: renderMigrationReport(report) });
  });
}
