// GET /api/audit-log.csv?userId=&kind=&from=&to=: the organization's audit log as CSV (members permission).
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { auditCsv } from "@/lib/audit-log";
import { currentUserId, requireOrgContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { UserFacingError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  if (!(await currentUserId())) return NextResponse.json({ error: "Sign in first." }, { status: 401 });
  try {
    const filter = Object.fromEntries(new URL(request.url).searchParams);
    const file = await auditCsv(db(), await requireOrgContext(), filter);
    return new Response(file.body, {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "no-store" },
    });
  } catch (error) {
    if (error instanceof ZodError) return NextResponse.json({ error: error.issues[0]?.message ?? "Those filters are not valid." }, { status: 400 });
    if (error instanceof UserFacingError) return NextResponse.json({ error: error.message }, { status: error.name === "ForbiddenError" ? 403 : 400 });
    throw error;
  }
}
