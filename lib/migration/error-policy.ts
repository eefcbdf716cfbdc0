// The one place that decides what an error means for a run (STYLE.md "Jobs"): retry the batch
// later, pause for new credentials, fail the record, or fail the run. Everything else in the
// engine asks here instead of switching on codes itself.
import { ConnectorError, type ConnectorErrorCode } from "@/connectors/types";
import { DecryptionError } from "@/lib/crypto";
import { NotFoundError } from "@/lib/errors";
import { PlanError } from "@/lib/plan";

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

/**
 * Why a batch is retried later, which decides what a long streak of them leads to:
 * - rate_limit: the system answers and asks Ferry to slow down. Waited out however long it
 *   takes; never counted towards a pause.
 * - outage: the system does not answer (5xx, timeout, network). After
 *   MAX_CONSECUTIVE_TRANSIENT_FAILURES in a row the run pauses for the outage and resumes on its
 *   own once a probe (the connector's verify) is answered.
 * - error: anything else (a whole call refused, our own bug, the database busy): after the same
 *   streak the run pauses until the user resumes it.
 */
export type RetryCause = "rate_limit" | "outage" | "error";

/** Why a run is paused: the user's click, credentials to update, an outage (resumes by itself), or a streak of errors. */
export const PAUSE_KINDS = ["user", "credentials", "outage", "errors"] as const;
export type PauseKind = (typeof PAUSE_KINDS)[number];

export type ErrorAction =
  /** The batch is not written now: the slice ends early, the run stays running, the next slice retries after a wait. */
  | { kind: "retry_later"; waitMs: number; cause: RetryCause; /** The system that failed to answer, for the user-facing reason. */ system?: string }
  /** The run pauses until the user updates the connection and resumes it. */
  | { kind: "pause"; reason: string }
  /** Only this record fails; the run goes on. */
  | { kind: "fail_record" }
  /** Nothing sensible can follow: the run fails. */
  | { kind: "fail_run"; reason: string };

/** First wait after a transient error; doubles with each consecutive one, up to MAX_RETRY_WAIT_MS. */
export const FIRST_RETRY_WAIT_MS = 2_000;
export const MAX_RETRY_WAIT_MS = 5 * 60_000;
/** After this many outage or error retries in a row the run pauses instead of retrying forever (rate limits do not count). */
export const MAX_CONSECUTIVE_TRANSIENT_FAILURES = 25;
/** How often a run paused for an outage asks the system whether it answers again. */
export const OUTAGE_PROBE_MS = 60_000;

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
      return { kind: "retry_later", waitMs: FIRST_RETRY_WAIT_MS, cause: "rate_limit" };
    case "TEMPORARY":
      return { kind: "retry_later", waitMs: FIRST_RETRY_WAIT_MS, cause: "outage" };
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
  if (error instanceof DecryptionError)
    return { kind: "pause", reason: `The saved API key could not be read (${error.message}). Enter the connection's key again, then resume the run.` };
  if (error instanceof ConnectorError) {
    switch (error.code) {
      case "RATE_LIMITED":
        // The connector already backed off within its retry policy; the streak of outages is not ours to grow.
        return { kind: "retry_later", waitMs: retryWaitMs(0, error.retryAfterMs, policy), cause: "rate_limit", system };
      case "TEMPORARY":
        return { kind: "retry_later", waitMs: retryWaitMs(consecutiveFailures, error.retryAfterMs, policy), cause: "outage", system };
      case "AUTH_INVALID":
      case "PERMISSION_DENIED":
        return { kind: "pause", reason: credentialReason(error.code, system) };
      case "NOT_FOUND":
        return { kind: "fail_run", reason: `${system ?? "The system"} answered that something the plan needs does not exist: ${error.message}` };
      default:
        // A whole call refused (VALIDATION, CONFLICT, UNKNOWN): retried a few times, as the
        // records themselves are judged one by one in the write results.
        return { kind: "retry_later", waitMs: retryWaitMs(consecutiveFailures, undefined, policy), cause: "error" };
    }
  }
  // Our own bugs or the database being busy: retried with backoff; the cap below ends it.
  return { kind: "retry_later", waitMs: retryWaitMs(consecutiveFailures, undefined, policy), cause: "error" };
}

/** Whether a transient problem has gone on long enough to stop and ask the user. */
export function exhausted(consecutiveFailures: number): boolean {
  return consecutiveFailures >= MAX_CONSECUTIVE_TRANSIENT_FAILURES;
}

/** What one more "retry later" does to a run: wait until retryAt, or pause (and how). */
export type RetryOutcome =
  | { kind: "wait"; retryAt: Date; transientFailures: number; outageSince: Date | null }
  | { kind: "pause"; pauseKind: PauseKind; reason: string; retryAt: Date | null; transientFailures: number; outageSince: Date | null };

/**
 * Applies a retry_later decision to the run's streak. Rate limits wait without growing it; an
 * outage streak that reached the cap pauses the run for the outage (re-probed every
 * OUTAGE_PROBE_MS), any other streak pauses it for the user.
 */
export function afterRetryLater(
  action: Extract<ErrorAction, { kind: "retry_later" }>,
  streak: { transientFailures: number; outageSince: Date | null },
  now: Date,
  system: string,
  detail: string,
): RetryOutcome {
  if (action.cause === "rate_limit") return { kind: "wait", retryAt: new Date(now.getTime() + action.waitMs), ...streak };
  const transientFailures = streak.transientFailures + 1;
  const outageSince = streak.outageSince ?? now;
  if (!exhausted(transientFailures)) return { kind: "wait", retryAt: new Date(now.getTime() + action.waitMs), transientFailures, outageSince };
  if (action.cause === "outage") {
    return {
      kind: "pause",
      pauseKind: "outage",
      reason: outageReason(system, now.getTime() - outageSince.getTime(), detail),
      retryAt: new Date(now.getTime() + OUTAGE_PROBE_MS),
      transientFailures,
      outageSince,
    };
  }
  const reason = `Paused after ${transientFailures} failed attempts in a row (last: ${detail}). Check that the systems are reachable, then resume the run.`;
  return { kind: "pause", pauseKind: "errors", reason, retryAt: null, transientFailures, outageSince };
}

/** "Twenty has not answered for 12 minutes: …; Ferry will resume on its own when it answers again." */
export function outageReason(system: string, durationMs: number, detail: string): string {
  const minutes = Math.max(1, Math.round(durationMs / 60_000));
  return `${system} has not answered for ${minutes} minute${minutes === 1 ? "" : "s"}: ${detail.replace(/[.\s]+$/, "")}. Nothing is lost; Ferry will resume on its own when it answers again.`;
}

/** A short, secret-free description of any error for events and the record map. */
export function describeError(error: unknown): string {
  if (error instanceof ConnectorError) return error.message;
  if (error instanceof Error) return error.message.split("\n")[0].slice(0, 500);
  return String(error).slice(0, 500);
}
