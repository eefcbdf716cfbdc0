// How the Twenty sandbox answers a request, inside the shared pipeline of sandbox-kit (traffic
// counters, fault injection, error rendering): routing, Bearer auth (reference §1), the
// per-workspace rate limit (reference §6.1), then the record, metadata and webhook handlers.
import type http from "node:http";
import { FixedWindowLimiter, createSandboxListener, isWorkspaceKey, readJsonBody, type SandboxServerOptions } from "@/connectors/shared/sandbox-kit";
import { badRequest, internalServerError, invalidToken, limitReached, missingToken, rateLimitedV2, rateLimitedV2Graphql, routeNotFound } from "./errors";
import type { TwentyHttpError } from "./errors";
import type { ApiRequest, ApiResponse } from "./http-types";
import { handleGraphql, handleMetadataRequest, handleWebhooks } from "./metadata-api";
import { handleRecordsRequest } from "./records-api";
import type { TwentyStore } from "./store";

/** Reference §1: `Authorization: Bearer <API key>`; no token → 403, a key of no workspace here → 401. */
function authenticate(request: http.IncomingMessage, options: SandboxServerOptions) {
  const header = request.headers.authorization;
  const token = typeof header === "string" ? /^Bearer\s+(\S.*)$/i.exec(header.trim())?.[1] : undefined;
  if (token === undefined) throw missingToken();
  if (!isWorkspaceKey(options, token)) throw invalidToken();
}

/** Reference §6.1: how each limiter refuses a request (v1: the throttler's LIMIT_REACHED; v2: RATE_LIMITED with retry hints). */
function throttled(options: SandboxServerOptions, resetMs: number, isGraphql: boolean): TwentyHttpError {
  if (options.rateLimiter === "v1") return limitReached(options.rateLimit, options.rateWindowMs);
  const budget = { limit: options.rateLimit, windowMs: options.rateWindowMs, resetMs };
  return isGraphql ? rateLimitedV2Graphql(budget) : rateLimitedV2(budget);
}

function isApiPath(segments: string[]): boolean {
  return segments[0] === "rest" || (segments.length === 1 && (segments[0] === "graphql" || segments[0] === "metadata"));
}

function route(store: TwentyStore, request: ApiRequest): ApiResponse {
  const [root, ...rest] = request.segments;
  if (root === "graphql" || root === "metadata") {
    if (request.method !== "POST") throw routeNotFound(request.method, request.path);
    return handleGraphql(request);
  }
  const restRequest = { ...request, segments: rest };
  if (rest[0] === "metadata") return handleMetadataRequest(store, restRequest);
  // Reference §5.2: the legacy webhook route answers bare arrays and objects.
  if (rest[0] === "webhooks") {
    if (rest.length > 2) throw routeNotFound(request.method, request.path);
    return handleWebhooks(store, restRequest, rest[1], "legacy");
  }
  if (rest[0] === "open-api") throw badRequest("The Twenty sandbox does not serve an OpenAPI document");
  return handleRecordsRequest(store, restRequest);
}

export function createTwentyHandler(store: TwentyStore, options: SandboxServerOptions): http.RequestListener {
  // The sandbox is one workspace: every key of it spends this one budget (reference §6.1).
  const limiter = new FixedWindowLimiter(options.rateLimit, options.rateWindowMs);

  async function answer(request: http.IncomingMessage): Promise<ApiResponse> {
    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", "http://sandbox.local");
    let segments: string[];
    try {
      segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      throw routeNotFound(method, url.pathname);
    }
    if (segments.length === 1 && segments[0] === "healthz") return { status: 200, body: { status: "ok" } };
    if (!isApiPath(segments)) throw routeNotFound(method, url.pathname);
    authenticate(request, options);
    // One request is one token, whatever the batch size (reference §6.1).
    const taken = limiter.take();
    if (!taken.allowed) throw throttled(options, taken.resetMs, segments[0] === "graphql");
    const body = await readJsonBody(request);
    if (!body.ok) throw badRequest("Unexpected token in JSON body");
    return route(store, { method, path: url.pathname, segments, params: url.searchParams, body: body.value });
  }

  return createSandboxListener({ name: "Twenty", options, traffic: store, internalServerError, answer });
}
