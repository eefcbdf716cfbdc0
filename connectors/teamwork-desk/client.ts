// The Teamwork Desk HTTP clients: v2 (`/desk/api/v2`, Bearer) and v1 (`/desk/v1`, Basic
// "key:x", used for the ticket import and the calling user), reference §1. Both spend the same
// key's budget (§3), so they share one rate limiter. Error bodies (§4) become ConnectorErrors.
import { createHttpClient, errorDetail, limiterFor, responseExcerpt } from "@/connectors/shared/http-client";
import type { HttpClient, HttpClientOptions } from "@/connectors/shared/http-client";
import type { RateLimiter } from "@/connectors/shared/rate-limiter";
import { realSleep } from "@/connectors/shared/rate-limiter";
import { ConnectorError } from "@/connectors/types";
import type { ConnectorErrorCode } from "@/connectors/types";
import { DeskErrorBodySchema } from "./raw-schemas";

export type TeamworkDeskClients = { v2: HttpClient; v1: HttpClient; limiter: RateLimiter };

export type TeamworkDeskClientOptions = Pick<
  HttpClientOptions,
  "baseUrl" | "rateLimit" | "timeoutMs" | "retry" | "sleep" | "now" | "random" | "onRetry" | "hostGuard"
> & { apiKey: string };

export const V2_PATH = "/desk/api/v2";
export const V1_PATH = "/desk/v1";

// §4 [U]: Desk documents no 409; duplicates show up as validation errors with such wording.
const DUPLICATE_MESSAGE = /already (exists|in use|taken|used)|duplicate|must be unique/i;

/** The field a Teamwork error names (`source`), if any. */
function errorField(body: unknown): string | undefined {
  const parsed = DeskErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  for (const error of parsed.data.errors ?? []) {
    const source = error.source;
    if (typeof source === "string" && source !== "") return source;
    if (source && typeof source === "object") return source.parameter ?? source.pointer?.replace(/^\/+/, "") ?? undefined;
  }
  return undefined;
}

/** Teamwork's error body → ConnectorError; undefined leaves the shared status mapping in charge. */
export function teamworkDeskError(status: number, body: unknown, label: string): ConnectorError | undefined {
  const detail = errorDetail(body);
  if (detail === null) return undefined;
  let code: ConnectorErrorCode;
  if (status === 401) code = "AUTH_INVALID";
  else if (status === 403) code = "PERMISSION_DENIED";
  else if (status === 404) code = "NOT_FOUND";
  else if (status === 429) code = "RATE_LIMITED";
  else if (status >= 500 || status === 408) code = "TEMPORARY";
  else if (status === 409 || DUPLICATE_MESSAGE.test(detail)) code = "CONFLICT";
  else if (status === 400 || status === 422) code = "VALIDATION";
  else code = "UNKNOWN";
  return new ConnectorError(code, `Teamwork Desk answered ${status} to ${label}: ${responseExcerpt(detail)}`, { status, field: errorField(body) });
}

export function createTeamworkDeskClients(options: TeamworkDeskClientOptions): TeamworkDeskClients {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  // §3: the limit is per key; v1 and v2 spend it together.
  const limiter = limiterFor({ rateLimit: options.rateLimit, budget: `${options.baseUrl}\n${options.apiKey}`, now: options.now, sleep: options.sleep });
  const shared = {
    timeoutMs: options.timeoutMs,
    rateLimit: null,
    limiter,
    retry: options.retry,
    onRetry: options.onRetry,
    sleep,
    now,
    random: options.random,
    hostGuard: options.hostGuard,
  };
  const v2 = createHttpClient({
    ...shared,
    baseUrl: `${options.baseUrl}${V2_PATH}`,
    // §1: v2 authenticates with the key as a bearer token.
    headers: () => ({ Authorization: `Bearer ${options.apiKey}` }),
    toError: (status, body) => teamworkDeskError(status, body, "the v2 API"),
  });
  const v1 = createHttpClient({
    ...shared,
    baseUrl: `${options.baseUrl}${V1_PATH}`,
    // §1: v1 uses Basic auth with the key as user name and any password ("x").
    headers: () => ({ Authorization: `Basic ${Buffer.from(`${options.apiKey}:x`).toString("base64")}` }),
    toError: (status, body) => teamworkDeskError(status, body, "the v1 API"),
  });
  return { v2, v1, limiter };
}
