// When to try a failed request again, and how long to wait first: a pure function of the
// failure, the attempt number and the policy, so every connector retries the same way and the
// rules are table-tested (tests/unit/retry.test.ts).

export type RetryPolicy = {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Base of the backoff for a 429 that carries no hint (Twenty sends no Retry-After, twenty-api §6.1):
   * its windows last up to a minute, so starting at 500 ms would burn the attempts in seconds.
   */
  rateLimitedBaseDelayMs?: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  rateLimitedBaseDelayMs: 2_000,
};

export type RequestFailure = { kind: "status"; status: number; headers: Record<string, string | undefined> } | { kind: "network"; code: string };

export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

/** 429 and 408 plus the 5xx that mean "try later"; 501/505 and friends will not get better. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Transport failures worth another try. ENOTFOUND (unknown host) and TLS certificate errors are
 * left out on purpose: a mistyped site name does not fix itself.
 */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED", // axios: timeout of N ms exceeded
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EPIPE",
  "EAI_AGAIN", // temporary DNS failure
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTUNREACH",
  "ERR_NETWORK",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

// Heuristic for rate-limit reset headers, whose unit varies by system (Teamwork Desk documents
// X-Rate-Limit-Reset as "epoch seconds" but the wording is ambiguous, teamwork-desk-api §3): a value past
// EPOCH_MS_THRESHOLD is epoch milliseconds (any instant after 2001-09-09), one past
// EPOCH_SECONDS_THRESHOLD is epoch seconds (after 1973-03-03), anything smaller is seconds
// until the reset. A seconds-until-reset value would need a 3-year window to be misread.
const EPOCH_MS_THRESHOLD = 1e12;
const EPOCH_SECONDS_THRESHOLD = 1e8;

const RETRY_AFTER_HEADERS = ["retry-after"];
const RESET_HEADERS = ["x-ratelimit-reset", "x-rate-limit-reset", "ratelimit-reset"];
const REMAINING_HEADERS = ["x-ratelimit-remaining", "x-rate-limit-remaining", "ratelimit-remaining"];

function header(headers: Record<string, string | undefined>, names: string[]): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined && names.includes(key.toLowerCase())) return value.trim();
  }
  return undefined;
}

/** Retry-After as seconds (RFC 9110 allows only integers; decimals are accepted) or an HTTP date. */
export function parseRetryAfterMs(value: string | undefined, now: number): number | null {
  if (value === undefined || value === "") return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // Date.parse reads "-5" as a year; an HTTP date always names its month.
  if (!/[a-z]{3}/i.test(value)) return null;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** A rate-limit reset header as milliseconds from now, using the unit heuristic above. */
export function parseResetMs(value: string | undefined, now: number): number | null {
  if (value === undefined || value === "" || !/^\d+(\.\d+)?$/.test(value)) return null;
  const number = Number(value);
  if (number >= EPOCH_MS_THRESHOLD) return Math.max(0, Math.round(number - now));
  if (number >= EPOCH_SECONDS_THRESHOLD) return Math.max(0, Math.round(number * 1000 - now));
  return Math.round(number * 1000);
}

/**
 * How long the server asked us to wait, from Retry-After, or for a 429 from the reset header.
 * Null when the response carries no usable hint.
 */
export function serverDelayMs(failure: RequestFailure, now: number = Date.now()): number | null {
  if (failure.kind !== "status") return null;
  const retryAfter = parseRetryAfterMs(header(failure.headers, RETRY_AFTER_HEADERS), now);
  if (retryAfter !== null) return retryAfter;
  // A reset header rides on every Teamwork Desk response; it only explains a 429, not a 503.
  if (failure.status !== 429) return null;
  return parseResetMs(header(failure.headers, RESET_HEADERS), now);
}

/**
 * When a successful response says the window is spent (remaining 0), how long until it resets,
 * so the client can stop sending before it earns a 429. Null otherwise.
 */
export function exhaustedWindowDelayMs(headers: Record<string, string | undefined>, now: number = Date.now()): number | null {
  const remaining = header(headers, REMAINING_HEADERS);
  if (remaining === undefined || Number(remaining) > 0 || Number.isNaN(Number(remaining))) return null;
  return parseResetMs(header(headers, RESET_HEADERS), now);
}

export function isRetryable(failure: RequestFailure): boolean {
  return failure.kind === "status" ? RETRYABLE_STATUSES.has(failure.status) : RETRYABLE_NETWORK_CODES.has(failure.code);
}

/** Exponential backoff with equal jitter: half the step is fixed, half random, so waits never collapse to zero. */
export function backoffDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Where the backoff starts: a 429 without a hint starts at rateLimitedBaseDelayMs when that is longer. */
export function backoffBaseDelayMs(policy: RetryPolicy, rateLimited: boolean): number {
  return rateLimited ? Math.max(policy.baseDelayMs, policy.rateLimitedBaseDelayMs ?? 0) : policy.baseDelayMs;
}

/**
 * Decides whether to retry after `attempt` (1-based) failed. A server hint (Retry-After, or the
 * reset header on a 429) is honoured exactly; a hint longer than `maxDelayMs` is not waited out
 * here: the caller gets the error (with retryAfterMs) and the engine reschedules the work
 * instead of holding a worker for minutes.
 */
export function decideRetry(
  failure: RequestFailure,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
  now: number = Date.now(),
): RetryDecision {
  if (attempt >= policy.maxAttempts || !isRetryable(failure)) return { retry: false };
  const hinted = serverDelayMs(failure, now);
  if (hinted !== null) return hinted <= policy.maxDelayMs ? { retry: true, delayMs: hinted } : { retry: false };
  const rateLimited = failure.kind === "status" && failure.status === 429;
  return { retry: true, delayMs: backoffDelayMs(attempt, backoffBaseDelayMs(policy, rateLimited), policy.maxDelayMs, random) };
}
