// The Pipedrive HTTP client: the shared client (retries, rate limiter, timeouts) with Pipedrive's
// token header (reference §1.2) and error envelope (§2.2, §2.3) turned into ConnectorError codes.
import { createHttpClient, responseExcerpt } from "@/connectors/shared/http-client";
import type { HttpClient, HttpClientOptions } from "@/connectors/shared/http-client";
import { ConnectorError } from "@/connectors/types";
import type { ConnectorErrorCode } from "@/connectors/types";
import { PipedriveErrorBodySchema } from "./raw-schemas";

export type PipedriveClientOptions = Pick<HttpClientOptions, "baseUrl" | "rateLimit" | "timeoutMs" | "retry" | "sleep" | "now" | "onRetry" | "hostGuard"> & {
  apiToken: string;
  /** Which of the token's budgets the client spends: the general burst limit or search's own (§4.2). */
  budget: "general" | "search";
};

/** §2.3: the status codes Pipedrive documents, as Ferry reads them. */
export function codeForPipedriveStatus(status: number): ConnectorErrorCode {
  if (status === 401) return "AUTH_INVALID";
  if (status === 402 || status === 403) return "PERMISSION_DENIED";
  if (status === 404 || status === 410) return "NOT_FOUND";
  if (status === 400 || status === 422 || status === 415) return "VALIDATION";
  if (status === 429) return "RATE_LIMITED";
  if (status === 408 || status >= 500) return "TEMPORARY";
  return "UNKNOWN";
}

/** Pipedrive's error envelope → ConnectorError; undefined for bodies that are not Pipedrive's (the shared mapping applies). */
export function pipedriveError(status: number, body: unknown): ConnectorError | undefined {
  const parsed = PipedriveErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const text = responseExcerpt(parsed.data.error);
  return new ConnectorError(codeForPipedriveStatus(status), `Pipedrive answered ${status}: ${text}`, { status });
}

export function createPipedriveClient(options: PipedriveClientOptions): HttpClient {
  return createHttpClient({
    baseUrl: options.baseUrl,
    // §1.2: the official client sends the token as `x-api-token` on every call.
    headers: () => ({ "x-api-token": options.apiToken }),
    timeoutMs: options.timeoutMs,
    rateLimit: options.rateLimit,
    // §4.2: the burst limit is per token; search has a second, separate one.
    budget: `${options.baseUrl}\ntoken:${options.apiToken}\n${options.budget}`,
    retry: options.retry,
    toError: (status, body) => pipedriveError(status, body),
    onRetry: options.onRetry,
    sleep: options.sleep,
    now: options.now,
    hostGuard: options.hostGuard,
  });
}
