// Inngest's serve endpoint (https://www.inngest.com/docs/reference/serve). Served only when
// JOB_RUNNER is inngest: with the embedded runner (the default) Inngest is not in use, so the
// endpoint answers 404 with an explanation instead of half-working (a 500 "no signing key", or a
// Dev Server that would run the same runs as the embedded loop).
import type { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { env } from "@/lib/env";
import { inngest, inngestFunctions } from "@/lib/jobs/inngest";

export const dynamic = "force-dynamic";

let handlers: ReturnType<typeof serve> | undefined;

function inngestHandlers(): ReturnType<typeof serve> {
  handlers ??= serve({ client: inngest, functions: inngestFunctions });
  return handlers;
}

function notEnabled(): Response {
  return Response.json(
    {
      error: "inngest_not_enabled",
      message:
        "Inngest is not enabled on this Ferry server: runs are driven by the embedded runner. " +
        "Set JOB_RUNNER=inngest (with INNGEST_DEV=1 for the Dev Server, or INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY for Inngest Cloud) to serve Inngest functions here.",
    },
    { status: 404 },
  );
}

function handle(method: "GET" | "POST" | "PUT") {
  return (request: NextRequest, context: unknown): Promise<Response> | Response => {
    if (env().jobRunner !== "inngest") return notEnabled();
    return inngestHandlers()[method](request, context);
  };
}

export const GET = handle("GET");
export const POST = handle("POST");
export const PUT = handle("PUT");
