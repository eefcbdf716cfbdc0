// The one place run route handlers turn the caller and errors into responses: 401 without a
// session, 404 for a run of another organization (indistinguishable from a missing one), JSON errors.
import "server-only";
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { z } from "zod";
import { currentUserId, CURRENT_ORGANIZATION_COOKIE } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { UserFacingError, NotFoundError } from "@/lib/errors";
import { organizationAccess, staffAccess, type RunAccess } from "@/lib/runs/access";
import { resolveOrgContext } from "@/lib/team";

const idSchema = z.string().trim().min(1).max(100);
const runParamsSchema = z.object({ runId: idSchema });
const migrationParamsSchema = z.object({ id: idSchema });
const scopeSchema = z.enum(["organization", "staff"]).catch("organization");

/** ?scope=staff asks for staff access (the /admin dashboard); anyone else gets the same 404 as for a foreign run. */
export async function withRunAccess(
  request: Request,
  params: Promise<unknown>,
  handle: (access: RunAccess, runId: string) => Promise<Response>,
): Promise<Response> {
  return withAccess(request, params, (value) => runParamsSchema.safeParse(value).data?.runId ?? null, handle);
}

/** The same for a migration's routes (/api/migrations/[id]/…): a foreign migration is a 404 too. */
export async function withMigrationAccess(
  request: Request,
  params: Promise<unknown>,
  handle: (access: RunAccess, migrationId: string) => Promise<Response>,
): Promise<Response> {
  return withAccess(request, params, (value) => migrationParamsSchema.safeParse(value).data?.id ?? null, handle);
}

async function withAccess(
  request: Request,
  params: Promise<unknown>,
  parseId: (params: unknown) => string | null,
  handle: (access: RunAccess, id: string) => Promise<Response>,
): Promise<Response> {
  try {
    const id = parseId(await params);
    if (id === null) return NextResponse.json({ error: "Not found" }, { status: 404 });
    const userId = await currentUserId();
    if (!userId) return NextResponse.json({ error: "Sign in first." }, { status: 401 });
    const wanted = (await cookies()).get(CURRENT_ORGANIZATION_COOKIE)?.value ?? null;
    const context = await resolveOrgContext(db(), userId, wanted);
    if (!context) return NextResponse.json({ error: "Not found" }, { status: 404 });
    const scope = scopeSchema.parse(new URL(request.url).searchParams.get("scope"));
    const access = scope === "staff" ? staffAccess(context) : organizationAccess(context);
    return await handle(access, id);
  } catch (error) {
    if (error instanceof NotFoundError) return NextResponse.json({ error: error.message }, { status: 404 });
    if (error instanceof UserFacingError) return NextResponse.json({ error: error.message }, { status: 400 });
    console.error("Unexpected error in a run route:", error instanceof Error ? error.message : "unknown");
    return NextResponse.json({ error: "Something went wrong on our side. Try again." }, { status: 500 });
  }
}

export function htmlDownloadResponse(file: { filename: string; html: string }): Response {
  return new Response(file.html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
      // The report is a static document: nothing in it may run or load anything if opened in place.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}

export function csvResponse(file: { filename: string; stream: ReadableStream<Uint8Array> }): Response {
  return new Response(file.stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
