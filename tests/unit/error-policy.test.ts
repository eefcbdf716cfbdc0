// The one place that decides what an error means for a run: table tests of its decisions.
import { describe, expect, it } from "vitest";
import { ConnectorError, type ConnectorErrorCode } from "@/connectors/types";
import {
  afterRetryLater,
  DEFAULT_RETRY_WAIT,
  MAX_CONSECUTIVE_TRANSIENT_FAILURES,
  OUTAGE_PROBE_MS,
  outageReason,
  recordErrorAction,
  stepErrorAction,
  type ErrorAction,
} from "@/lib/migration/error-policy";

const NOW = new Date("2026-12-07T12:00:00.000Z");
const minutesBefore = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
type RetryLater = Extract<ErrorAction, { kind: "retry_later" }>;
const retry = (cause: RetryLater["cause"], waitMs = 2_000): RetryLater => ({ kind: "retry_later", waitMs, cause });

describe("recordErrorAction", () => {
  const cases: { code: ConnectorErrorCode | "BROKEN_RELATION"; kind: ErrorAction["kind"]; cause?: string }[] = [
    { code: "RATE_LIMITED", kind: "retry_later", cause: "rate_limit" },
    { code: "TEMPORARY", kind: "retry_later", cause: "outage" },
    { code: "AUTH_INVALID", kind: "pause" },
    { code: "PERMISSION_DENIED", kind: "pause" },
    { code: "VALIDATION", kind: "fail_record" },
    { code: "CONFLICT", kind: "fail_record" },
    { code: "BROKEN_RELATION", kind: "fail_record" },
  ];
  it.each(cases)("a record refused with $code → $kind $cause", ({ code, kind, cause }) => {
    const action = recordErrorAction(code);
    expect(action.kind).toBe(kind);
    expect(action.kind === "retry_later" ? action.cause : undefined).toBe(cause);
  });
});

describe("stepErrorAction", () => {
  const cases: { name: string; error: unknown; failures: number; expected: Partial<RetryLater> | { kind: string } }[] = [
    {
      name: "a 429 without a hint waits the first wait, whatever the streak",
      error: new ConnectorError("RATE_LIMITED", "Limit reached"),
      failures: 20,
      expected: { kind: "retry_later", cause: "rate_limit", waitMs: DEFAULT_RETRY_WAIT.firstWaitMs, system: "Twenty" },
    },
    {
      name: "a 429 with retryAfterMs waits that long",
      error: new ConnectorError("RATE_LIMITED", "slow down", { retryAfterMs: 45_000 }),
      failures: 0,
      expected: { kind: "retry_later", cause: "rate_limit", waitMs: 45_000 },
    },
    {
      name: "a 5xx or timeout backs off with the streak",
      error: new ConnectorError("TEMPORARY", "HTTP 503"),
      failures: 3,
      expected: { kind: "retry_later", cause: "outage", waitMs: DEFAULT_RETRY_WAIT.firstWaitMs * 8 },
    },
    {
      name: "a whole call refused is an error streak",
      error: new ConnectorError("VALIDATION", "bad filter"),
      failures: 0,
      expected: { kind: "retry_later", cause: "error" },
    },
    { name: "our own bug is an error streak", error: new Error("boom"), failures: 0, expected: { kind: "retry_later", cause: "error" } },
    { name: "a rejected key pauses for credentials", error: new ConnectorError("AUTH_INVALID", "no"), failures: 0, expected: { kind: "pause" } },
    { name: "a missing object fails the run", error: new ConnectorError("NOT_FOUND", "gone"), failures: 0, expected: { kind: "fail_run" } },
  ];
  it.each(cases)("$name", ({ error, failures, expected }) => {
    expect(stepErrorAction(error, failures, "Twenty")).toMatchObject(expected);
  });
});

describe("afterRetryLater", () => {
  it("waits out a rate limit however long it lasts, without growing the streak or pausing", () => {
    const streak = { transientFailures: MAX_CONSECUTIVE_TRANSIENT_FAILURES + 100, outageSince: null };
    expect(afterRetryLater(retry("rate_limit", 30_000), streak, NOW, "Twenty", "429")).toEqual({
      kind: "wait",
      retryAt: new Date(NOW.getTime() + 30_000),
      ...streak,
    });
  });

  const cases: { name: string; cause: RetryLater["cause"]; failures: number; since: Date | null; expected: object }[] = [
    {
      name: "an outage's first retry starts the streak now",
      cause: "outage",
      failures: 0,
      since: null,
      expected: { kind: "wait", transientFailures: 1, outageSince: NOW, retryAt: new Date(NOW.getTime() + 2_000) },
    },
    {
      name: "an outage below the threshold keeps when it began",
      cause: "outage",
      failures: MAX_CONSECUTIVE_TRANSIENT_FAILURES - 2,
      since: minutesBefore(30),
      expected: { kind: "wait", transientFailures: MAX_CONSECUTIVE_TRANSIENT_FAILURES - 1, outageSince: minutesBefore(30) },
    },
    {
      name: "an outage reaching the threshold pauses for the outage, probed again later",
      cause: "outage",
      failures: MAX_CONSECUTIVE_TRANSIENT_FAILURES - 1,
      since: minutesBefore(95),
      expected: {
        kind: "pause",
        pauseKind: "outage",
        retryAt: new Date(NOW.getTime() + OUTAGE_PROBE_MS),
        reason: "Twenty has not answered for 95 minutes: HTTP 503. Nothing is lost; Ferry will resume on its own when it answers again.",
      },
    },
    {
      name: "other errors reaching the threshold pause for the user",
      cause: "error",
      failures: MAX_CONSECUTIVE_TRANSIENT_FAILURES - 1,
      since: minutesBefore(5),
      expected: { kind: "pause", pauseKind: "errors", retryAt: null, reason: expect.stringContaining("then resume the run") },
    },
  ];
  it.each(cases)("$name", ({ cause, failures, since, expected }) => {
    expect(afterRetryLater(retry(cause), { transientFailures: failures, outageSince: since }, NOW, "Twenty", "HTTP 503")).toMatchObject(expected);
  });
});

describe("outageReason", () => {
  it.each([
    {
      ms: 10_000,
      detail: "timed out.",
      text: "Twenty has not answered for 1 minute: timed out. Nothing is lost; Ferry will resume on its own when it answers again.",
    },
    {
      ms: 42 * 60_000,
      detail: "HTTP 502",
      text: "Twenty has not answered for 42 minutes: HTTP 502. Nothing is lost; Ferry will resume on its own when it answers again.",
    },
  ])("says how long and why ($ms ms)", ({ ms, detail, text }) => {
    expect(outageReason("Twenty", ms, detail)).toBe(text);
  });
});
