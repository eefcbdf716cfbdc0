// How the Pipedrive sandbox answers a request, inside sandbox-kit's pipeline (traffic counters,
// fault injection, error rendering): routing of /api/v2, /api/v1 (and /v1), the API token
// (reference §1.2), and the 2-second burst limit with its headers and 429 (§4.2, §4.3).
import type http from "node:http";
import {
  FixedWindowLimiter,
  createSandboxListener,
  isWorkspaceKey,
  readJsonBody,
  type SandboxResponse,
  type SandboxServerOptions,
} from "@/connectors/shared/sandbox-kit";
import { handleV1 } from "./api-v1";
import { handleV2 } from "./api-v2";
import { PipedriveHttpError, badRequest, internalServerError, overLimit, routeNotFound, unauthorized } from "./errors";
import type { PipedriveStore } from "./store";

/** §1.2: the token as the `x-api-token` header or the `api_token` query parameter. */
function authenticate(request: http.IncomingMessage, params: URLSearchParams, options: SandboxServerOptions) {
  const header = request.headers["x-api-token"];
  const token = typeof header === "string" ? header.trim() : params.get("api_token");
  if (!token || !isWorkspaceKey(options, token)) throw unauthorized();
}

/** "/api/v2/persons/1" → ["v2", ["persons", "1"]]; "/v1/notes" (api.pipedrive.com/v1, §1.1) → ["v1", ["notes"]]. */
function versionOf(segments: string[]): { version: "v1" | "v2"; rest: string[] } | null {
  const start = segments[0] === "api" ? 1 : 0;
  const version = segments[start];
  if (version !== "v1" && version !== "v2") return null;
  if (start === 0 && version === "v2") return null;
  return { version, rest: segments.slice(start + 1) };
}

function rateHeaders(limit: number, taken: { remaining: number; resetMs: number }): Record<string, string> {
  if (limit <= 0) return {};
  return {
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(Math.max(0, taken.remaining)),
    "x-ratelimit-reset": String(Math.max(1, Math.ceil(taken.resetMs / 1000))),
  };
}

export function createPipedriveHandler(store: PipedriveStore, options: SandboxServerOptions): http.RequestListener {
  const limiter = new FixedWindowLimiter(options.rateLimit, options.rateWindowMs);
  // §4.2: search has its own, lower burst limit (10 where the lowest plan allows 20).
  const searchLimit = options.rateLimit > 0 ? Math.max(1, Math.ceil(options.rateLimit / 2)) : 0;
  const searchLimiter = new FixedWindowLimiter(searchLimit, options.rateWindowMs);

  async function answer(request: http.IncomingMessage): Promise<SandboxResponse> {
    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", "http://sandbox.local");
    const segments = url.pathname.split("/").filter(Boolean);
    if (segments.length === 1 && segments[0] === "healthz") return { status: 200, body: { status: "ok" } };
    const routed = versionOf(segments);
    if (!routed) throw routeNotFound(method, url.pathname);
    authenticate(request, url.searchParams, options);
    const isSearch = routed.version === "v2" && routed.rest[1] === "search";
    const budget = isSearch ? searchLimit : options.rateLimit;
    const taken = (isSearch ? searchLimiter : limiter).take();
    const headers = rateHeaders(budget, taken);
    if (!taken.allowed) throw overLimit(headers, Math.max(1, Math.ceil(taken.resetMs / 1000)));
    try {
      const body = await readJsonBody(request);
      if (!body.ok) throw badRequest("Invalid JSON in the request body");
      const apiRequest = { method, path: url.pathname, segments: routed.rest, params: url.searchParams, body: body.value };
      const result = routed.version === "v2" ? handleV2(store, apiRequest) : handleV1(store, apiRequest);
      return { ...result, headers: { ...headers, ...result.headers } };
    } catch (error) {
      if (error instanceof PipedriveHttpError) return { status: error.status, body: error.body, headers: { ...headers, ...error.headers } };
      throw error;
    }
  }

  return createSandboxListener({ name: "Pipedrive", options, traffic: store, internalServerError, answer });
}
