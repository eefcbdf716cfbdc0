// The one place that decides what an error means for a run (STYLE.md "Jobs"): retry the batch
// later, pause for new credentials, fail the record, or fail the run. Everything else in the
// engine asks here instead of switching on codes itself.
import { ConnectorError, type ConnectorErrorCode } from "@/connectors/types";
import { DecryptionError } from "@/lib/crypto";
import { NotFoundError } from "@/lib/errors";
import { PlanError } from "./plan";

/** The plan and the systems no longer fit together (an object or field is gone): retrying cannot help. */
export class RunConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunConfigurationError";
  }
}

/** Codes the engine itself gives to per-record problems, next to the connectors' codes. */
export const ENGINE_ERROR_CODES = ["BROKEN_RELATION", "TRANSFORM", "DUPLICATE", "FILTERED"] as const;
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];
export type RecordErrorCode = ConnectorErrorCode | EngineErrorCode | (string & {});

export type ErrorAction =
  /** The batch is not written now: the slice ends early, the run stays running, the next slice retries after a wait. */
  | { kind: "retry_later"; waitMs: number }
  /** The run pauses until the user updates the connection and resumes it. */
  | { kind: "pause"; reason: string }
  /** Only this record fails; the run goes on. */
  | { kind: "fail_record" }
  /** Nothing sensible can follow: the run fails. */
  | { kind: "fail_run"; reason: string };

/** First wait after a transient error; doubles with each consecutive one, up to MAX_RETRY_WAIT_MS. */
export const FIRST_RETRY_WAIT_MS = 2_000;
export const MAX_RETRY_WAIT_MS = 5 * 60_000;
/** After this many transient failures in a row the run pauses instead of retrying forever. */
export const MAX_CONSECUTIVE_TRANSIENT_FAILURES = 25;

/** How long the run waits after transient errors; tests and benchmarks may shorten it. */
export type RetryWaitPolicy = { firstWaitMs: number; maxWaitMs: number };
export const DEFAULT_RETRY_WAIT: RetryWaitPolicy = { firstWaitMs: FIRST_RETRY_WAIT_MS, maxWaitMs: MAX_RETRY_WAIT_MS };

export function retryWaitMs(consecutiveFailures: number, retryAfterMs?: number, policy: RetryWaitPolicy = DEFAULT_RETRY_WAIT): number {
  const backoff = Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** Math.max(0, Math.min(consecutiveFailures, 20)));
  return Math.max(Math.min(retryAfterMs ?? 0, policy.maxWaitMs), backoff);
}

/** What a record-level failure code means (WriteResult errors, transform problems). */
export function recordErrorAction(code: RecordErrorCode): ErrorAction {
  switch (code) {
    case "RATE_LIMITED":
    case "TEMPORARY":
      return { kind: "retry_later", waitMs: FIRST_RETRY_WAIT_MS };
    case "AUTH_INVALID":
      return { kind: "pause", reason: credentialReason("AUTH_INVALID") };
    case "PERMISSION_DENIED":
      return { kind: "pause", reason: credentialReason("PERMISSION_DENIED") };
    default:
      // VALIDATION, CONFLICT, NOT_FOUND, UNKNOWN and the engine's own codes.
      return { kind: "fail_record" };
  }
}

function credentialReason(code: "AUTH_INVALID" | "PERMISSION_DENIED", system?: string): string {
  const where = system ? `${system} ` : "";
  return code === "AUTH_INVALID"
    ? `The ${where}API key was rejected. Update the connection with a valid key, then resume the run.`
    : `The ${where}API key lacks a permission the migration needs. Update the connection with an administrator's key, then resume the run.`;
}

/**
 * What an error thrown by a whole step (a page read, a batch write, a look-up) means.
 * `system` names the side ("Twenty", "Sample data") for the user-facing reason.
 */
export function stepErrorAction(error: unknown, consecutiveFailures: number, system?: string, policy: RetryWaitPolicy = DEFAULT_RETRY_WAIT): ErrorAction {
  if (error instanceof RunConfigurationError || error instanceof PlanError) return { kind: "fail_run", reason: error.message };
  // A connection deleted under the run: nothing to retry with.
  if (error instanceof NotFoundError) return { kind: "fail_run", reason: error.message };
  // Stored credentials that no key in ENCRYPTION_KEYS opens: the user has to enter them again.
  if (error instanceof DecryptionError) return { kind: "pause", reason: `The saved API key could not be read (${error.message}). Enter the connection's key again, then resume the run.` };
  if (error instanceof ConnectorError) {
    switch (error.code) {
      case "RATE_LIMITED":
      case "TEMPORARY":
        return { kind: "retry_later", waitMs: retryWaitMs(consecutiveFailures, error.retryAfterMs, policy) };
      case "AUTH_INVALID":
      case "PERMISSION_DENIED":
        return { kind: "pause", reason: credentialReason(error.code, system) };
      case "NOT_FOUND":
        return { kind: "fail_run", reason: `${system ?? "The system"} answered that something the plan needs does not exist: ${error.message}` };
      default:
        // A whole call refused (VALIDATION, CONFLICT, UNKNOWN): retried a few times, as the
        // records themselves are judged one by one in the write results.
        return { kind: "retry_later", waitMs: retryWaitMs(consecutiveFailures, undefined, policy) };
    }
  }
  // Our own bugs or the database being busy: retried with backoff; the cap below ends it.
  return { kind: "retry_later", waitMs: retryWaitMs(consecutiveFailures, undefined, policy) };
}

/** Whether a transient problem has gone on long enough to stop and ask the user. */
export function exhausted(consecutiveFailures: number): boolean {
  return consecutiveFailures >= MAX_CONSECUTIVE_TRANSIENT_FAILURES;
}

/** A short, secret-free description of any error for events and the record map. */
export function describeError(error: unknown): string {
  if (error instanceof ConnectorError) return error.message;
  if (error instanceof Error) return error.message.split("\n")[0].slice(0, 500);
  return String(error).slice(0, 500);
}
