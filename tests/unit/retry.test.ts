import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  decideRetry,
  exhaustedWindowDelayMs,
  parseResetMs,
  parseRetryAfterMs,
  type RequestFailure,
  type RetryPolicy,
} from "@/connectors/shared/retry";

const NOW_MS = Date.parse("2026-11-01T12:00:00Z");
const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, rateLimitedBaseDelayMs: 4_000 };
const lowestJitter = () => 0;
const highestJitter = () => 0.999999;

const statusFailure = (status: number, headers: Record<string, string | undefined> = {}): RequestFailure => ({ kind: "status", status, headers });
const networkFailure = (code: string): RequestFailure => ({ kind: "network", code });

describe("decideRetry", () => {
  it.each([
    { name: "429 without hints", failure: statusFailure(429), retry: true },
    { name: "408 request timeout", failure: statusFailure(408), retry: true },
    { name: "500", failure: statusFailure(500), retry: true },
    { name: "502", failure: statusFailure(502), retry: true },
    { name: "503", failure: statusFailure(503), retry: true },
    { name: "504", failure: statusFailure(504), retry: true },
    { name: "400", failure: statusFailure(400), retry: false },
    { name: "401", failure: statusFailure(401), retry: false },
    { name: "403", failure: statusFailure(403), retry: false },
    { name: "404", failure: statusFailure(404), retry: false },
    { name: "409", failure: statusFailure(409), retry: false },
    { name: "422", failure: statusFailure(422), retry: false },
    { name: "501 not implemented", failure: statusFailure(501), retry: false },
    { name: "ECONNRESET", failure: networkFailure("ECONNRESET"), retry: true },
    { name: "ECONNREFUSED", failure: networkFailure("ECONNREFUSED"), retry: true },
    { name: "ETIMEDOUT", failure: networkFailure("ETIMEDOUT"), retry: true },
    { name: "ECONNABORTED (axios timeout)", failure: networkFailure("ECONNABORTED"), retry: true },
    { name: "EPIPE", failure: networkFailure("EPIPE"), retry: true },
    { name: "EAI_AGAIN", failure: networkFailure("EAI_AGAIN"), retry: true },
    { name: "ENOTFOUND (mistyped host)", failure: networkFailure("ENOTFOUND"), retry: false },
    { name: "a certificate error", failure: networkFailure("DEPTH_ZERO_SELF_SIGNED_CERT"), retry: false },
  ])("retries $name: $retry", ({ failure, retry }) => {
    expect(decideRetry(failure, 1, POLICY, lowestJitter, NOW_MS).retry).toBe(retry);
  });

  it.each([
    { name: "Retry-After in seconds", headers: { "retry-after": "7" }, delayMs: 7_000 },
    { name: "Retry-After of zero", headers: { "retry-after": "0" }, delayMs: 0 },
    { name: "Retry-After with a fraction", headers: { "retry-after": "1.5" }, delayMs: 1_500 },
    { name: "Retry-After as an HTTP date", headers: { "retry-after": "Sun, 01 Nov 2026 12:00:30 GMT" }, delayMs: 30_000 },
    { name: "Retry-After as a date already past", headers: { "retry-after": "Sun, 01 Nov 2026 11:59:00 GMT" }, delayMs: 0 },
    { name: "Retry-After wins over the reset header", headers: { "retry-after": "3", "x-rate-limit-reset": "40" }, delayMs: 3_000 },
    // Teamwork Desk, teamwork-desk-api §3: X-Rate-Limit-Reset on every response, unit ambiguous.
    { name: "Teamwork X-Rate-Limit-Reset as seconds until reset", headers: { "x-rate-limit-reset": "42" }, delayMs: 42_000 },
    { name: "Teamwork X-Rate-Limit-Reset as epoch seconds", headers: { "x-rate-limit-reset": String(NOW_MS / 1000 + 25) }, delayMs: 25_000 },
    { name: "X-RateLimit-Reset as epoch milliseconds", headers: { "x-ratelimit-reset": String(NOW_MS + 12_345) }, delayMs: 12_345 },
    { name: "X-RateLimit-Reset in the past", headers: { "x-ratelimit-reset": String(NOW_MS / 1000 - 5) }, delayMs: 0 },
    { name: "header names in any case", headers: { "X-Rate-Limit-Reset": "9" }, delayMs: 9_000 },
    { name: "IETF RateLimit-Reset", headers: { "ratelimit-reset": "4" }, delayMs: 4_000 },
  ])("waits exactly what a 429 with $name asks", ({ headers, delayMs }) => {
    expect(decideRetry(statusFailure(429, headers), 1, POLICY, highestJitter, NOW_MS)).toEqual({ retry: true, delayMs });
  });

  it("honours Retry-After on a 503 but ignores a reset header there", () => {
    expect(decideRetry(statusFailure(503, { "retry-after": "11" }), 1, POLICY, lowestJitter, NOW_MS)).toEqual({ retry: true, delayMs: 11_000 });
    expect(decideRetry(statusFailure(503, { "x-rate-limit-reset": "50" }), 1, POLICY, lowestJitter, NOW_MS)).toEqual({ retry: true, delayMs: 500 });
  });

  it("falls back to backoff when Retry-After is unreadable", () => {
    expect(decideRetry(statusFailure(429, { "retry-after": "soon" }), 1, POLICY, lowestJitter, NOW_MS)).toEqual({ retry: true, delayMs: 2_000 });
  });

  it("gives up instead of waiting out a hint longer than maxDelayMs", () => {
    expect(decideRetry(statusFailure(429, { "retry-after": "3600" }), 1, POLICY, lowestJitter, NOW_MS)).toEqual({ retry: false });
  });

  it.each([
    { attempt: 1, low: 500, high: 1_000 },
    { attempt: 2, low: 1_000, high: 2_000 },
    { attempt: 3, low: 2_000, high: 4_000 },
    { attempt: 4, low: 4_000, high: 8_000 },
  ])("backs off exponentially with jitter after attempt $attempt: $low to $high ms", ({ attempt, low, high }) => {
    expect(decideRetry(statusFailure(503), attempt, POLICY, lowestJitter, NOW_MS)).toEqual({ retry: true, delayMs: low });
    expect(decideRetry(statusFailure(503), attempt, POLICY, highestJitter, NOW_MS)).toEqual({ retry: true, delayMs: high });
  });

  it("starts a hintless 429 (Twenty, twenty-api §6.1) from the slower rate-limit base", () => {
    expect(decideRetry(statusFailure(429), 1, POLICY, lowestJitter, NOW_MS)).toEqual({ retry: true, delayMs: 2_000 });
    expect(decideRetry(statusFailure(429), 3, POLICY, highestJitter, NOW_MS)).toEqual({ retry: true, delayMs: 16_000 });
  });

  it("caps the backoff at maxDelayMs", () => {
    const policy: RetryPolicy = { maxAttempts: 30, baseDelayMs: 1_000, maxDelayMs: 10_000 };
    expect(decideRetry(statusFailure(500), 20, policy, highestJitter, NOW_MS)).toEqual({ retry: true, delayMs: 10_000 });
  });

  it("stops after maxAttempts", () => {
    expect(decideRetry(statusFailure(503), 4, POLICY, lowestJitter, NOW_MS).retry).toBe(true);
    expect(decideRetry(statusFailure(503), 5, POLICY, lowestJitter, NOW_MS)).toEqual({ retry: false });
    expect(decideRetry(statusFailure(429, { "retry-after": "1" }), 5, POLICY, lowestJitter, NOW_MS)).toEqual({ retry: false });
  });

  it("defaults to six attempts from 500 ms up to a minute", () => {
    expect(DEFAULT_RETRY_POLICY).toMatchObject({ maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 60_000 });
  });
});

describe("retry header parsing", () => {
  it("reads Retry-After as seconds or an HTTP date and rejects anything else", () => {
    expect(parseRetryAfterMs("120", NOW_MS)).toBe(120_000);
    expect(parseRetryAfterMs("Sun, 01 Nov 2026 12:01:00 GMT", NOW_MS)).toBe(60_000);
    expect(parseRetryAfterMs("-5", NOW_MS)).toBeNull();
    expect(parseRetryAfterMs(undefined, NOW_MS)).toBeNull();
  });

  it("tells epoch milliseconds, epoch seconds and seconds-until-reset apart", () => {
    expect(parseResetMs(String(NOW_MS + 2_000), NOW_MS)).toBe(2_000);
    expect(parseResetMs(String(NOW_MS / 1000 + 2), NOW_MS)).toBe(2_000);
    expect(parseResetMs("2", NOW_MS)).toBe(2_000);
    expect(parseResetMs("abc", NOW_MS)).toBeNull();
  });

  it("says how long to hold back when a successful response has spent the window", () => {
    expect(exhaustedWindowDelayMs({ "x-rate-limit-remaining": "0", "x-rate-limit-reset": "30" }, NOW_MS)).toBe(30_000);
    expect(exhaustedWindowDelayMs({ "x-rate-limit-remaining": "5", "x-rate-limit-reset": "30" }, NOW_MS)).toBeNull();
    expect(exhaustedWindowDelayMs({}, NOW_MS)).toBeNull();
  });

  it("keeps equal-jitter backoff within half to all of the step", () => {
    expect(backoffDelayMs(3, 100, 60_000, () => 0.5)).toBe(300);
  });
});
