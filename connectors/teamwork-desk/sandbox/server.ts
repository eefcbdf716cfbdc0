// How the Teamwork Desk sandbox answers a request, inside the shared pipeline of sandbox-kit
// (traffic counters, fault injection, error rendering): routing by API version, authentication
// (reference §1), the 120 requests/minute limit with X-Rate-Limit-* headers on every
// authenticated response (§3), body parsing, then the resource handlers.
import type http from "node:http";
import { FixedWindowLimiter, createSandboxListener, readBody, readJsonBody, type SandboxServerOptions } from "@/connectors/shared/sandbox-kit";
import { DeskHttpError, internalServerError, notFound, rateLimited, unauthorized, unreadableJson } from "./errors";
import type { ApiRequest, ApiResponse } from "./http-types";
import { noRoute } from "./resources/common";
import { handleCompanies } from "./resources/companies";
import { createCustomFieldFrom, handleCustomFieldOptions, handleCustomFields } from "./resources/custom-fields";
import { handleCustomers } from "./resources/customers";
import { handleFiles, handleS3Upload, handleV1Upload } from "./resources/files";
import { handleInboxes } from "./resources/inboxes";
import { handleMessages } from "./resources/messages";
import { handleTags } from "./resources/tags";
import { handleTicketPriorities, handleTicketSources, handleTicketStatuses, handleTicketTypes } from "./resources/ticket-lookups";
import { handleSearch, handleTickets } from "./resources/tickets";
import { handleTriggers } from "./resources/triggers";
import { handleAgentInvites, handleUsers, meResponse } from "./resources/users";
import { handleV1Import } from "./resources/v1-import";
import { handleWebhooks } from "./resources/webhooks";
import { singleResponse } from "./query";
import type { DeskStore } from "./store";
import { VIEWS } from "./views";

const V2_PREFIX = "/desk/api/v2/";
const V1_PREFIX = "/desk/v1/";
const S3_PREFIX = "/s3/";

type Version = "v1" | "v2";

/**
 * Reference §1: v2 takes `Authorization: Bearer <key>` [C]; Basic with the key on v2 is [U] and
 * accepted. v1 takes `Basic base64("<key>:x")`, the password ignored [C]; Bearer on v1 is not
 * documented and refused. Missing or wrong key → 401.
 */
function authenticate(request: http.IncomingMessage, apiKey: string, version: Version) {
  const header = request.headers.authorization;
  if (typeof header !== "string" || header.trim() === "") throw unauthorized("Missing API key: send Authorization: Bearer <key> (v2) or Basic <key>:x (v1)");
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header.trim())?.[1];
  const basic = /^Basic\s+(\S+)\s*$/i.exec(header.trim())?.[1];
  let key: string | undefined;
  if (basic !== undefined) key = Buffer.from(basic, "base64").toString("utf8").split(":")[0];
  else if (bearer !== undefined && version === "v2") key = bearer;
  else if (bearer !== undefined) throw unauthorized("The v1 API takes Basic authentication with the API key as the user name");
  if (key === undefined) throw unauthorized("Unsupported Authorization scheme");
  if (key !== apiKey) throw unauthorized("Invalid API key");
}

/**
 * Reference §3: X-Rate-Limit-Limit, -Remaining, -Reset on every response. Whether Reset is
 * seconds-until-reset or a UTC epoch is [U] ("remaining window … in UTC epoch seconds"); the
 * sandbox sends the epoch second the window resets at, so a client mistaking it for a delay
 * would wait decades — the dangerous reading gets caught in tests.
 */
function rateLimitHeaders(limit: number, remaining: number, resetMs: number, nowMs: number): Record<string, string> {
  return {
    "X-Rate-Limit-Limit": String(limit),
    "X-Rate-Limit-Remaining": String(remaining),
    "X-Rate-Limit-Reset": String(Math.ceil((nowMs + resetMs) / 1_000)),
  };
}

/** multipart/form-data, parsed by the platform's own parser (undici's Response.formData). */
async function readForm(request: http.IncomingMessage, contentType: string): Promise<FormData | null> {
  const raw = await readBody(request);
  try {
    return await new Response(new Uint8Array(raw), { headers: { "content-type": contentType } }).formData();
  } catch {
    return null;
  }
}

function isMultipart(request: http.IncomingMessage): boolean {
  return (request.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/form-data");
}

function routeV2(store: DeskStore, request: ApiRequest, jsonSuffix: boolean): ApiResponse {
  const [resource, ...rest] = request.segments;
  // Reference §5.3: downloads are the only v2 paths without `.json`.
  const isDownload = resource === "tickets" && rest.length === 4 && rest[1] === "files" && rest[3] === "download";
  if (!jsonSuffix && !isDownload) return noRoute(request);
  switch (resource) {
    case "me":
      return rest.length === 0 ? meResponse(store, request, "v2") : noRoute(request);
    case "tickets":
      return handleTickets(store, request, rest);
    case "search":
      return handleSearch(store, request, rest);
    case "messages":
      return handleMessages(store, request, rest);
    case "customers":
      return handleCustomers(store, request, rest);
    case "companies":
      return handleCompanies(store, request, rest);
    case "users":
      return handleUsers(store, request, rest);
    case "agentinvites":
      return handleAgentInvites(store, request, rest);
    case "inboxes":
      return handleInboxes(store, request, rest);
    case "tags":
      return handleTags(store, request, rest);
    case "ticketstatuses":
      return handleTicketStatuses(store, request, rest);
    case "ticketpriorities":
      return handleTicketPriorities(store, request, rest);
    case "tickettypes":
      return handleTicketTypes(store, request, rest);
    case "ticketsources":
      return handleTicketSources(store, request, rest);
    case "customfields":
      return handleCustomFields(store, request, rest);
    case "customfieldoptions":
      return handleCustomFieldOptions(store, request, rest);
    case "files":
      return handleFiles(store, request, rest);
    case "triggers":
      return handleTriggers(store, request, rest);
    case "webhookendpoints":
      return handleWebhooks(store, request, rest);
    default:
      return noRoute(request);
  }
}

async function routeV1(store: DeskStore, request: ApiRequest, jsonSuffix: boolean): Promise<ApiResponse> {
  const route = request.segments.join("/");
  // Reference §5.3: `POST /desk/v1/upload/attachment` has no `.json`.
  if (route === "upload/attachment" && !jsonSuffix) return handleV1Upload(store, request);
  if (!jsonSuffix) return noRoute(request);
  if (route === "me") return meResponse(store, request, "v1");
  if (route === "import/tickets" && request.method === "POST") return handleV1Import(store, request);
  // Reference §5.8: the official example creates custom fields through v1 with a flat body.
  if (route === "customfields" && request.method === "POST") {
    const body = request.body && typeof request.body === "object" ? (request.body as Record<string, unknown>) : {};
    return singleResponse(store, VIEWS.customfields, createCustomFieldFrom(store, body), request.params, 201);
  }
  return noRoute(request);
}

/** Path segments after the version's prefix, with `.json` taken off the last one (and whether it was there). */
function apiSegments(pathname: string, version: Version): { segments: string[]; jsonSuffix: boolean } {
  const segments = pathname
    .slice(version === "v2" ? V2_PREFIX.length : V1_PREFIX.length)
    .split("/")
    .filter(Boolean)
    .map((segment) => decodeURIComponent(segment));
  const last = segments[segments.length - 1] ?? "";
  const jsonSuffix = last.endsWith(".json");
  if (jsonSuffix) segments[segments.length - 1] = last.slice(0, -".json".length);
  return { segments, jsonSuffix };
}

/** A multipart form or a JSON body; unreadable JSON is a 422 that still carries the rate-limit headers. */
async function readRequestBody(request: http.IncomingMessage, headers: Record<string, string>): Promise<{ body: unknown; form: FormData | null }> {
  if (isMultipart(request)) return { body: undefined, form: await readForm(request, request.headers["content-type"]!) };
  const parsed = await readJsonBody(request);
  if (!parsed.ok) throw new DeskHttpError(422, unreadableJson().errors, headers);
  return { body: parsed.value, form: null };
}

/** The fake S3 bucket of the upload flow (reference §5.3): no Desk auth, no Desk rate limit. */
async function answerS3(store: DeskStore, request: http.IncomingMessage, method: string, pathname: string): Promise<ApiResponse> {
  const bucket = pathname.slice(S3_PREFIX.length).split("/")[0];
  const form = isMultipart(request) ? await readForm(request, request.headers["content-type"]!) : null;
  return handleS3Upload(store, method, bucket, form);
}

export function createTeamworkDeskHandler(store: DeskStore, options: SandboxServerOptions): http.RequestListener {
  const limiter = new FixedWindowLimiter(options.rateLimit, options.rateWindowMs, () => store.nowMs());

  /** One request is one unit of the per-key budget (reference §3); returns the headers every answer carries. */
  function takeFromRateLimit(): Record<string, string> {
    if (options.rateLimit <= 0) return {};
    const taken = limiter.take();
    const headers = rateLimitHeaders(options.rateLimit, taken.remaining, taken.resetMs, store.nowMs());
    if (!taken.allowed) throw rateLimited(headers);
    return headers;
  }

  async function answer(request: http.IncomingMessage): Promise<ApiResponse> {
    const method = (request.method ?? "GET").toUpperCase();
    const url = new URL(request.url ?? "/", "http://sandbox.local");
    if (url.pathname.startsWith(S3_PREFIX)) return answerS3(store, request, method, url.pathname);

    const version: Version | null = url.pathname.startsWith(V2_PREFIX) ? "v2" : url.pathname.startsWith(V1_PREFIX) ? "v1" : null;
    if (!version) throw notFound(`No route for ${method} ${url.pathname}`);
    authenticate(request, options.apiKey, version);
    const headers = takeFromRateLimit();
    const { segments, jsonSuffix } = apiSegments(url.pathname, version);
    const { body, form } = await readRequestBody(request, headers);
    const baseUrl = `http://${request.headers.host ?? "127.0.0.1"}`;
    const apiRequest: ApiRequest = { method, path: url.pathname, segments, params: url.searchParams, body, form, baseUrl };
    try {
      const result = version === "v2" ? routeV2(store, apiRequest, jsonSuffix) : await routeV1(store, apiRequest, jsonSuffix);
      return { ...result, headers: { ...headers, ...result.headers } };
    } catch (error) {
      if (error instanceof DeskHttpError) throw new DeskHttpError(error.status, error.errors, { ...headers, ...error.headers });
      throw error;
    }
  }

  return createSandboxListener({ name: "Teamwork Desk", options, traffic: store, internalServerError, answer });
}
