// The Twenty HTTP client: the shared client (retries, rate limiter, timeouts) with Twenty's
// auth header and error body (reference §1, §6.2) turned into ConnectorError codes.
import { createHttpClient, responseExcerpt } from "@/connectors/shared/http-client";
import type { HttpClient, HttpClientOptions } from "@/connectors/shared/http-client";
import { ConnectorError } from "@/connectors/types";
import type { ConnectorErrorCode } from "@/connectors/types";
import { TwentyErrorBodySchema, TwentyGraphqlErrorBodySchema } from "./raw-schemas";

export type TwentyClientOptions = Pick<HttpClientOptions, "baseUrl" | "rateLimit" | "timeoutMs" | "retry" | "sleep" | "now" | "onRetry" | "hostGuard"> & {
  apiKey: string;
};

// §6.3: unique clashes read "A duplicate entry was detected", "This Email value is already in
// use", 'Domain "x" is already used by another company', "Record already exists".
const DUPLICATE_MESSAGE = /duplicate|already (in use|used|exists)|unique constraint/i;
// §6.1: older builds answer a throttled request with a 400 "Limit reached (100 tokens per 60000 ms)".
const LIMIT_MESSAGE = /^limit reached/i;

export function twentyMessages(body: unknown): string[] {
  const parsed = TwentyErrorBodySchema.safeParse(body);
  if (!parsed.success) return [];
  const { messages, message } = parsed.data;
  if (messages && messages.length > 0) return messages;
  if (Array.isArray(message)) return message;
  return message ? [message] : [];
}

export function isDuplicateMessage(message: string): boolean {
  return DUPLICATE_MESSAGE.test(message);
}

// GraphQL codes of a throttled call: RATE_LIMITED (with extensions.retryAfterMs) and the
// throttler's LIMIT_REACHED (§6.1); the wording check covers builds that send neither.
const GRAPHQL_RATE_LIMIT_CODES = new Set(["RATE_LIMITED", "LIMIT_REACHED", "TOO_MANY_REQUESTS"]);
const GRAPHQL_TEMPORARY_CODES = new Set(["INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"]);

/**
 * A GraphQL answer's throttle or server error (HTTP 200 or not) → ConnectorError; undefined for
 * any other answer, including GraphQL errors about the request itself (left to the caller).
 */
export function twentyGraphqlError(status: number, body: unknown): ConnectorError | undefined {
  const parsed = TwentyGraphqlErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  for (const error of parsed.data.errors) {
    const code = error.extensions?.code ?? "";
    const text = responseExcerpt(error.message ?? error.extensions?.userFriendlyMessage ?? code);
    const retryAfterMs = error.extensions?.retryAfterMs ?? undefined;
    if (GRAPHQL_RATE_LIMIT_CODES.has(code) || LIMIT_MESSAGE.test(text))
      return new ConnectorError("RATE_LIMITED", `Twenty answered ${status}: ${text}`, { status, retryAfterMs });
    if (GRAPHQL_TEMPORARY_CODES.has(code)) return new ConnectorError("TEMPORARY", `Twenty answered ${status}: ${text}`, { status });
  }
  return undefined;
}

/** Twenty's error body → ConnectorError; undefined for bodies that are not Twenty's (the shared mapping applies). */
export function twentyError(status: number, body: unknown): ConnectorError | undefined {
  const graphql = twentyGraphqlError(status, body);
  if (graphql) return graphql;
  const messages = twentyMessages(body);
  const parsed = TwentyErrorBodySchema.safeParse(body);
  if (messages.length === 0 && !(parsed.success && parsed.data.error)) return undefined;
  const text = messages.join("; ") || (parsed.success ? (parsed.data.error ?? "") : "");
  let code: ConnectorErrorCode;
  if (status === 401) code = "AUTH_INVALID";
  else if (status === 403) code = /missing authentication token|token/i.test(text) ? "AUTH_INVALID" : "PERMISSION_DENIED";
  else if (status === 404) code = "NOT_FOUND";
  else if (status === 429 || LIMIT_MESSAGE.test(text)) code = "RATE_LIMITED";
  else if (status >= 500) code = "TEMPORARY";
  else if (status === 409 || isDuplicateMessage(text)) code = "CONFLICT";
  else if (status === 400 || status === 422) code = "VALIDATION";
  else code = "UNKNOWN";
  return new ConnectorError(code, `Twenty answered ${status}: ${responseExcerpt(text)}`, { status });
}

/**
 * §1, §6.1: the workspace an API key belongs to, read from the key itself (a JWT whose payload
 * holds `workspaceId`, also its `sub`); null when the key is not such a token.
 */
export function twentyWorkspaceOf(apiKey: string): string | null {
  const payload = apiKey.split(".")[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (claims === null || typeof claims !== "object") return null;
    const { workspaceId, sub } = claims as { workspaceId?: unknown; sub?: unknown };
    const id = typeof workspaceId === "string" ? workspaceId : typeof sub === "string" ? sub : null;
    return id && id.length > 0 ? id : null;
  } catch {
    return null;
  }
}

/**
 * What one budget is (§6.1: the buckets are per workspace, not per key): the server and the
 * key's workspace, so two keys of one workspace share a limiter; the key itself when it names
 * no workspace.
 */
export function twentyBudgetOf(baseUrl: string, apiKey: string): string {
  const workspace = twentyWorkspaceOf(apiKey);
  return workspace ? `${baseUrl}\nworkspace:${workspace}` : `${baseUrl}\nkey:${apiKey}`;
}

export function createTwentyClient(options: TwentyClientOptions): HttpClient {
  return createHttpClient({
    baseUrl: options.baseUrl,
    // §1: every call carries the API key as a bearer token; the workspace is implied by it.
    headers: () => ({ Authorization: `Bearer ${options.apiKey}` }),
    timeoutMs: options.timeoutMs,
    rateLimit: options.rateLimit,
    // §6.1: the limit is per workspace.
    budget: twentyBudgetOf(options.baseUrl, options.apiKey),
    retry: options.retry,
    toError: (status, body) => twentyError(status, body),
    errorInSuccess: (body) => twentyGraphqlError(200, body),
    onRetry: options.onRetry,
    sleep: options.sleep,
    now: options.now,
    hostGuard: options.hostGuard,
  });
}
