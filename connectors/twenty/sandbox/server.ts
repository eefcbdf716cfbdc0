// Request pipeline of the Twenty sandbox: fault injection, routing, Bearer auth (reference §1),
// the per-workspace rate limit (reference §6.1), then the record, metadata and webhook handlers.
import type http from "node:http";
import { FixedWindowLimiter, createFaultInjector, readJsonBody, sendJson } from "@/connectors/shared/sandbox-kit";
import { TwentyHttpError, badRequest, internalServerError, invalidToken, limitReached, missingToken, routeNotFound } from "./errors";
import type { ApiRequest, ApiResponse } from "./http-types";
import { handleGraphql, handleMetadataRequest, handleWebhooks } from "./metadata-api";
import { handleRecordsRequest } from "./records-api";
import type { TwentyStore } from "./store";

/** Reference §6.1: the long bucket, 100 tokens per 60 000 ms by default. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

export type TwentyServerOptions = {
  apiKey: string;
  /** Requests per rateWindowMs; 0 turns the limit off. */
  rateLimit: number;
  /** Default RATE_LIMIT_WINDOW_MS (the published minute). */
  rateWindowMs?: number;
  faults: number;
  faultSeed: number;
  /** Injected 5xx answers are sent after the request was applied, like a response lost on the way back. */
  faultsAfterWrite: boolean;
};

/** Reference §1: `Authorization: Bearer <API key>`; no token → 403, any other token → 401. */
function authenticate(request: http.IncomingMessage, apiKey: string) {
  const header = request.headers.authorization;
  const token = typeof header === "string" ? /^Bearer\s+(\S.*)$/i.exec(header.trim())?.[1] : undefined;
  if (token === undefined) throw missingToken();
  if (token !== apiKey) throw invalidToken();
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

export function createTwentyHandler(store: TwentyStore, options: TwentyServerOptions): http.RequestListener {
  const nextFault = createFaultInjector(options.faults, options.faultSeed);
  const limiter = new FixedWindowLimiter(options.rateLimit, options.rateWindowMs ?? RATE_LIMIT_WINDOW_MS);

  return async (request, response) => {
    store.requestCount += 1;
    const fault = nextFault();
    // A hanging request is never answered; listen() destroys its socket on close().
    if (fault === "hang") {
      store.faultsInjected.hang += 1;
      return;
    }
    if (fault === "server_error") store.faultsInjected.serverError += 1;
    if (fault === "server_error" && !options.faultsAfterWrite) {
      const error = internalServerError();
      sendJson(response, error.status, error.body);
      return;
    }

    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", "http://sandbox.local");
    let result: ApiResponse;
    try {
      let segments: string[];
      try {
        segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      } catch {
        throw routeNotFound(method, url.pathname);
      }
      if (segments.length === 1 && segments[0] === "healthz") {
        result = { status: 200, body: { status: "ok" } };
      } else {
        if (!isApiPath(segments)) throw routeNotFound(method, url.pathname);
        authenticate(request, options.apiKey);
        // One request is one token, whatever the batch size (reference §6.1).
        if (!limiter.take().allowed) throw limitReached(options.rateLimit, options.rateWindowMs ?? RATE_LIMIT_WINDOW_MS);
        const body = await readJsonBody(request);
        if (!body.ok) throw badRequest("Unexpected token in JSON body");
        result = route(store, { method, path: url.pathname, segments, params: url.searchParams, body: body.value });
      }
    } catch (error) {
      if (error instanceof TwentyHttpError) {
        result = { status: error.status, body: error.body, headers: error.headers };
      } else {
        console.error("Twenty sandbox: unexpected error", error);
        const failure = internalServerError();
        result = { status: failure.status, body: failure.body };
      }
    }

    if (fault === "server_error") {
      // faultsAfterWrite: the write above is applied, but the client only sees a 500.
      const error = internalServerError();
      sendJson(response, error.status, error.body);
      return;
    }
    sendJson(response, result.status, result.body, result.headers);
  };
}
