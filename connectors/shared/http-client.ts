// The one HTTP client every connector uses: base URL, auth headers computed per request, a
// whole-request timeout, the connection's rate limiter, retries decided by retry.ts, zod
// validation of response bodies, and every failure turned into a ConnectorError with a code.
// Credentials never reach an error message, an error's cause or the onRetry log.
import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import type { z } from "zod";
import { ConnectorError, type ConnectorErrorCode } from "@/connectors/types";
import { guardedTransport, isPrivateAddressRefusal, privateAddressRefusal, type HostGuardOptions } from "@/connectors/shared/host-guard";
import { RateLimiter, limiterForBudget, realSleep } from "@/connectors/shared/rate-limiter";
import { currentRequestObserver } from "@/connectors/shared/request-observer";
import {
  DEFAULT_RETRY_POLICY,
  RETRYABLE_STATUSES,
  decideRetry,
  exhaustedWindowDelayMs,
  serverDelayMs,
  type RequestFailure,
  type RetryDecision,
  type RetryPolicy,
} from "@/connectors/shared/retry";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type HttpRequest<T> = {
  method: HttpMethod;
  /** Relative to baseUrl; leading slashes are fine. Only the path (never the query) appears in errors. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  schema?: z.ZodType<T>;
  /** Not retried when false, e.g. non-idempotent writes the caller reconciles itself. */
  retry?: boolean;
  /**
   * False: an address nothing answers at (connection refused, unknown host, no route) fails at
   * once instead of after the retries. For testing a connection the user just typed, where
   * waiting 14 s to hear "refused" helps nobody; a run keeps retrying (a server may be restarting).
   */
  retryUnreachable?: boolean;
};

export type HttpResponse<T> = { status: number; data: T; headers: Record<string, string | undefined> };

export type HttpClientStats = { requests: number; retries: number; rateLimited: number; waitedMs: number };

export type HttpClientOptions = {
  baseUrl: string;
  /** Auth headers, computed per request; their values are scrubbed from every error message. */
  headers: () => Record<string, string>;
  /** Deadline for the whole request, body included. Default 30 s. */
  timeoutMs?: number;
  rateLimit: { requests: number; perMs: number } | null;
  /** Share one limiter between clients that spend the same budget (e.g. Teamwork Desk v1 and v2); overrides rateLimit. */
  limiter?: RateLimiter;
  /**
   * What identifies the API budget this client spends (base URL and API key). With the real
   * clock, every client of one budget in this process shares a limiter (limiterForBudget).
   */
  budget?: string;
  retry?: Partial<RetryPolicy>;
  /**
   * System-specific: turns a failed response into a ConnectorError (code and message from the
   * system's error body). Return undefined to fall back to the status mapping. A RATE_LIMITED
   * or TEMPORARY code makes the response retryable like a 429 or 503 (Twenty's older builds
   * answer "Limit reached" with a 400, twenty-api §6.1).
   */
  toError?: (status: number, body: unknown, headers: Record<string, string | undefined>) => ConnectorError | undefined;
  /**
   * System-specific: an error carried by a 2xx answer (GraphQL answers 200 with `errors`). A
   * RATE_LIMITED or TEMPORARY code is retried like a 429 or 503, its retryAfterMs honoured.
   */
  errorInSuccess?: (body: unknown) => ConnectorError | undefined;
  /**
   * SSRF guard: every connection's address is checked when it is made (a private or local one
   * is refused with a VALIDATION error naming `field`) unless `allowPrivateHosts`. On by default.
   */
  hostGuard?: HostGuardOptions;
  /** For logs and metrics; `reason` never carries credentials. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Inject together with sleep in tests so Retry-After dates and the limiter use one clock. */
  now?: () => number;
  /** Jitter source for backoff; injectable for deterministic tests. */
  random?: () => number;
};

export type HttpClient = {
  request<T = unknown>(request: HttpRequest<T>): Promise<HttpResponse<T>>;
  readonly stats: HttpClientStats;
  /** The limit the client keeps to now (lowered when a 429 showed a lower live limit); null when unlimited. */
  readonly rateLimit?: { requests: number; perMs: number } | null;
};

export const DEFAULT_TIMEOUT_MS = 30_000;
/** How much of a response an error message echoes: enough to act on, too little to read a server out through Ferry. */
export const MAX_ERROR_DETAIL_CHARS = 160;
const MAX_SCHEMA_ISSUES = 3;
const USER_AGENT = "Ferry/0.1 (+data migration)";

/** Status → code when the connector's toError has no opinion. */
export function codeForStatus(status: number): ConnectorErrorCode {
  if (status === 401) return "AUTH_INVALID";
  if (status === 403) return "PERMISSION_DENIED";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  if (status === 400 || status === 422) return "VALIDATION";
  if (status === 429) return "RATE_LIMITED";
  if (status === 408 || status >= 500) return "TEMPORARY";
  return "UNKNOWN";
}

/** The most useful sentence in a typical JSON error body (message, messages[], errors[].detail, error). */
export function errorDetail(body: unknown): string | null {
  // An HTML error page (a proxy's 502) says nothing a user can act on.
  if (typeof body === "string") return body.trim() === "" || body.trim().startsWith("<") ? null : body.trim();
  if (typeof body !== "object" || body === null) return null;
  const record = body as Record<string, unknown>;
  const candidates: unknown[] = [record.message, record.messages, record.errors, record.error_description, record.error, record.detail];
  for (const candidate of candidates) {
    if (typeof candidate === "string" && candidate.trim() !== "") return candidate.trim();
    if (Array.isArray(candidate) && candidate.length > 0) {
      const parts = candidate
        .map((item) => {
          if (typeof item === "string") return item;
          if (typeof item === "object" && item !== null) {
            const entry = item as Record<string, unknown>;
            const text = [entry.detail, entry.message, entry.title].find((value) => typeof value === "string");
            const source = typeof entry.source === "string" ? `${entry.source}: ` : "";
            return typeof text === "string" ? `${source}${text}` : null;
          }
          return null;
        })
        .filter((part): part is string => part !== null && part !== "");
      if (parts.length > 0) return parts.join("; ");
    }
  }
  return null;
}

/** A response's text as an error message may echo it: control and formatting characters gone, one line, at most MAX_ERROR_DETAIL_CHARS. */
export function responseExcerpt(text: string): string {
  const line = text
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return line.length <= MAX_ERROR_DETAIL_CHARS ? line : `${line.slice(0, MAX_ERROR_DETAIL_CHARS)}…`;
}

// Headers a connector may pass along with its auth that carry nothing secret.
const PUBLIC_HEADERS: ReadonlySet<string> = new Set(["accept", "accept-language", "content-type", "user-agent"]);

/** Every value an auth header carries, including the token inside "Bearer x" and the key inside Basic auth. */
function secretsOf(headers: Record<string, string>): string[] {
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value.length < 4 || PUBLIC_HEADERS.has(name.toLowerCase())) continue;
    secrets.add(value);
    const [scheme, token] = value.split(/\s+/, 2);
    if (token && token.length >= 4) secrets.add(token);
    if (scheme?.toLowerCase() === "basic" && token) {
      const decoded = Buffer.from(token, "base64").toString("utf8");
      for (const part of [decoded, ...decoded.split(":")]) if (part.length >= 4) secrets.add(part);
    }
  }
  // Longest first, so a whole header value is replaced before the token inside it.
  return [...secrets].sort((a, b) => b.length - a.length);
}

function redact(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join("[redacted]");
  return result;
}

/** An error body with our secrets replaced before any of it is cut into an excerpt (a cut could split a key past redaction). */
function redactBody(value: unknown, secrets: string[]): unknown {
  if (typeof value === "string") return redact(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactBody(item, secrets));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactBody(item, secrets)]));
  return value;
}

function scrubbed(error: ConnectorError, secrets: string[], retryAfterMs: number | undefined): ConnectorError {
  const message = redact(error.message, secrets);
  if (message === error.message && (retryAfterMs === undefined || error.retryAfterMs !== undefined)) return error;
  return new ConnectorError(error.code, message, {
    status: error.status,
    field: error.field,
    retryAfterMs: error.retryAfterMs ?? retryAfterMs,
  });
}

function normalizeHeaders(raw: AxiosResponse["headers"]): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (value === undefined || value === null) continue;
    headers[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return headers;
}

function cleanQuery(query: HttpRequest<unknown>["query"]): Record<string, string> | undefined {
  if (!query) return undefined;
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params[key] = String(value);
  return params;
}

function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, MAX_SCHEMA_ISSUES).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join(".") : "(root)";
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > MAX_SCHEMA_ISSUES ? ` (+${error.issues.length - MAX_SCHEMA_ISSUES} more)` : "";
  return `${issues.join("; ")}${more}`;
}

/** Network failures that mean nothing answers at the address (as opposed to a dropped or slow exchange). */
const UNREACHABLE_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "the connection was refused",
  ENOTFOUND: "no server has this name",
  EAI_AGAIN: "the name could not be looked up",
  EHOSTUNREACH: "there is no route to it",
  ENETUNREACH: "there is no route to it",
};

export function isUnreachable(code: string): boolean {
  return code in UNREACHABLE_REASONS;
}

/** The address part of a base URL, for messages (never a path or query that might carry a key). */
function originOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return "this address";
  }
}

function networkMessage(code: string, label: string, baseUrl: string): string {
  const reason = UNREACHABLE_REASONS[code];
  return reason ? `Ferry cannot reach ${originOf(baseUrl)}: ${reason} (${label}). Check the address.` : `${label} failed: network error ${code}`;
}

function networkCode(caught: unknown): string {
  if (axios.isAxiosError(caught) && caught.code) return caught.code;
  const code = (caught as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "UNKNOWN_NETWORK_ERROR";
}

/** A failed attempt; `failure` is null when retrying cannot help (a body we do not understand). */
type Outcome<T> = { ok: true; response: HttpResponse<T> } | { ok: false; failure: RequestFailure | null; error: ConnectorError; reason: string };
type FailedOutcome = Extract<Outcome<never>, { ok: false }>;

/** What every attempt of one client shares. */
type Connection = {
  options: HttpClientOptions;
  instance: AxiosInstance;
  policy: RetryPolicy;
  limiter: RateLimiter;
  now: () => number;
  timeoutMs: number;
};

/** One attempt: the exchange, then what its answer means. */
async function send<T>(connection: Connection, call: HttpRequest<T>, secrets: string[]): Promise<Outcome<T>> {
  const exchanged = await exchange(connection, call, secrets);
  return "failure" in exchanged ? exchanged : outcomeOf(connection, call, exchanged.response, secrets);
}

/** The HTTP exchange under a deadline; a network failure or a timeout is a failed outcome. */
async function exchange(connection: Connection, call: HttpRequest<unknown>, secrets: string[]): Promise<{ response: AxiosResponse } | FailedOutcome> {
  const { options, timeoutMs } = connection;
  const controller = new AbortController();
  // axios' own timeout only limits socket inactivity; this deadline covers the whole exchange.
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await connection.instance.request({
      method: call.method,
      url: call.path,
      params: cleanQuery(call.query),
      data: call.body,
      headers: {
        ...(call.body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...call.headers,
        ...options.headers(),
      },
      timeout: timeoutMs,
      signal: controller.signal,
    });
    return { response };
  } catch (caught) {
    // The guard refused the address: no retry can change that.
    if (isPrivateAddressRefusal(caught))
      return { ok: false, failure: null, error: privateAddressRefusal(originOf(options.baseUrl), options.hostGuard), reason: "private address" };
    // The axios error holds the request config and so the auth header: it is never kept as a cause.
    const timedOut = controller.signal.aborted || (axios.isAxiosError(caught) && caught.code === "ECONNABORTED");
    return networkFailure(connection, `${call.method} ${call.path}`, timedOut ? null : networkCode(caught), secrets);
  } finally {
    clearTimeout(timer);
  }
}

/** `transportCode` null: Ferry's own deadline ran out. */
function networkFailure(connection: Connection, label: string, transportCode: string | null, secrets: string[]): FailedOutcome {
  const timedOut = transportCode === null;
  const code = transportCode ?? "ETIMEDOUT";
  // Not retried here does not mean permanent: a reset TLS session or an odd transport code
  // mid-run is an outage to wait out (TEMPORARY), never a record's failure. Only an unknown
  // host names a likely typo in the address (the wizard says so).
  const errorCode: ConnectorErrorCode = code === "ENOTFOUND" ? "NOT_FOUND" : "TEMPORARY";
  const message = timedOut ? `${label} timed out after ${connection.timeoutMs} ms` : networkMessage(code, label, connection.options.baseUrl);
  return {
    ok: false,
    failure: { kind: "network", code },
    error: new ConnectorError(errorCode, redact(message, secrets)),
    reason: timedOut ? "timeout" : `network ${code}`,
  };
}

/** An answer as data (validated by the call's schema) or as a failure with its ConnectorError. */
function outcomeOf<T>(connection: Connection, call: HttpRequest<T>, response: AxiosResponse, secrets: string[]): Outcome<T> {
  const { options } = connection;
  const headers = normalizeHeaders(response.headers);
  const data: unknown = response.data === "" ? undefined : response.data;
  const succeeded = response.status >= 200 && response.status < 300;
  const bodyError = succeeded ? options.errorInSuccess?.(data) : undefined;
  if (bodyError) return failed(connection.now, bodyError, response.status, headers, secrets);
  if (!succeeded)
    return failed(
      connection.now,
      statusError(options, `${call.method} ${call.path}`, response.status, redactBody(data, secrets), headers, secrets),
      response.status,
      headers,
      secrets,
    );

  const exhaustedMs = exhaustedWindowDelayMs(headers, connection.now());
  if (exhaustedMs !== null) connection.limiter.pauseFor(Math.min(exhaustedMs, connection.policy.maxDelayMs));
  if (!call.schema) return { ok: true, response: { status: response.status, data: data as T, headers } };
  const parsed = call.schema.safeParse(data);
  if (parsed.success) return { ok: true, response: { status: response.status, data: parsed.data, headers } };
  const error = new ConnectorError("UNKNOWN", redact(`Unexpected response from ${call.path}: ${describeIssues(parsed.error)}`, secrets), {
    status: response.status,
  });
  return { ok: false, failure: null, error, reason: "unexpected response" };
}

/** A failed status as the connector's own error, a redirect, or the status mapping with the body's detail. */
function statusError(
  options: HttpClientOptions,
  label: string,
  status: number,
  data: unknown,
  headers: Record<string, string | undefined>,
  secrets: string[],
): ConnectorError {
  const custom = options.toError?.(status, data, headers);
  if (custom) return custom;
  if (status >= 300 && status < 400) {
    return new ConnectorError(
      "UNKNOWN",
      `${label} was redirected (HTTP ${status}) to ${headers.location ? responseExcerpt(redact(headers.location, secrets)) : "an unknown address"}; check the base URL`,
      {
        status,
      },
    );
  }
  const detail = errorDetail(data);
  const message = `${label} failed with HTTP ${status}${detail ? `: ${responseExcerpt(detail)}` : ""}`;
  return new ConnectorError(codeForStatus(status), message, { status });
}

function failed(
  now: () => number,
  error: ConnectorError,
  answeredStatus: number,
  answeredHeaders: Record<string, string | undefined>,
  secrets: string[],
): FailedOutcome {
  // The connector's verdict wins over the status when it says "try later".
  let status = answeredStatus;
  if (error.code === "RATE_LIMITED") status = 429;
  else if (error.code === "TEMPORARY" && !RETRYABLE_STATUSES.has(status)) status = 503;
  else if (answeredStatus < 300) status = 400;
  // A wait the body asked for (Twenty's GraphQL retryAfterMs) counts like a Retry-After header.
  const headers =
    error.retryAfterMs !== undefined && answeredHeaders["retry-after"] === undefined
      ? { ...answeredHeaders, "retry-after": String(error.retryAfterMs / 1000) }
      : answeredHeaders;
  const failure: RequestFailure = { kind: "status", status, headers };
  const hinted = serverDelayMs(failure, now());
  return {
    ok: false,
    failure,
    error: scrubbed(error, secrets, error.code === "RATE_LIMITED" && hinted !== null ? hinted : undefined),
    reason: `HTTP ${answeredStatus}`,
  };
}

/** Whether to try a failed attempt again, and after how long; some calls and failures never are. */
function retryDecision(
  connection: Connection,
  call: HttpRequest<unknown>,
  failure: RequestFailure | null,
  attempt: number,
  random: () => number,
): RetryDecision {
  const unreachable = failure?.kind === "network" && isUnreachable(failure.code);
  if (call.retry === false || failure === null || (unreachable && call.retryUnreachable === false)) return { retry: false };
  return decideRetry(failure, attempt, connection.policy, random, connection.now());
}

/** Injected clocks get a limiter of their own: a shared one would mix test time with real time. */
export function limiterFor(options: Pick<HttpClientOptions, "rateLimit" | "budget" | "now" | "sleep">): RateLimiter {
  if (options.budget !== undefined && !options.now && !options.sleep) return limiterForBudget(options.budget, options.rateLimit);
  const clock = { now: options.now, sleep: options.sleep };
  return options.rateLimit ? new RateLimiter({ ...options.rateLimit, ...clock }) : RateLimiter.unlimited(clock);
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const connection: Connection = {
    options,
    instance: axios.create({
      baseURL: options.baseUrl,
      // Redirects are answered, not followed: a redirect could lead the auth header to another
      // host, past the base-URL checks (SSRF guard) done when the connection was saved.
      maxRedirects: 0,
      validateStatus: () => true,
      headers: { Accept: "application/json", "User-Agent": USER_AGENT },
      ...guardedTransport(options.hostGuard?.allowPrivateHosts),
    }),
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    limiter: options.limiter ?? limiterFor(options),
    now: options.now ?? Date.now,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  const { limiter, policy, now } = connection;
  const stats: HttpClientStats = { requests: 0, retries: 0, rateLimited: 0, waitedMs: 0 };

  async function takeTurn(observer: ReturnType<typeof currentRequestObserver>) {
    const queuedAt = limiter.now();
    const waitMs = limiter.nextFreeAt() - queuedAt;
    if (waitMs > 0) observer?.onRateLimitWait(now() + waitMs);
    await limiter.acquire();
    stats.waitedMs += limiter.now() - queuedAt;
    stats.requests += 1;
    observer?.onRequest();
  }

  async function request<T = unknown>(call: HttpRequest<T>): Promise<HttpResponse<T>> {
    const observer = currentRequestObserver();
    for (let attempt = 1; ; attempt += 1) {
      await takeTurn(observer);
      const outcome = await send(connection, call, secretsOf(options.headers()));
      if (outcome.ok) return outcome.response;

      const { failure, error } = outcome;
      const rateLimited = failure?.kind === "status" && failure.status === 429;
      const decision = retryDecision(connection, call, failure, attempt, random);
      if (rateLimited) {
        stats.rateLimited += 1;
        // The server's live limit may be below the published one: the limiter keeps the lower.
        limiter.learnFromRefusal(failure.headers);
        // Everyone on this connection holds back, not just this caller.
        const pauseMs = decision.retry ? decision.delayMs : error.retryAfterMs;
        if (pauseMs !== undefined) limiter.pauseFor(Math.min(pauseMs, policy.maxDelayMs));
      }
      if (!decision.retry) throw error;

      stats.retries += 1;
      options.onRetry?.({ attempt, delayMs: decision.delayMs, reason: outcome.reason });
      // A 429's wait is the limiter pause above, served by the next acquire(); sleeping here too would double it.
      if (!rateLimited) {
        await sleep(decision.delayMs);
        stats.waitedMs += decision.delayMs;
      }
    }
  }

  return {
    request,
    stats,
    get rateLimit() {
      return limiter.limit;
    },
  };
}
