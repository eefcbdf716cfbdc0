// Creates one record without ever creating it twice. Teamwork Desk's v2 has no idempotency keys
// (reference §6), so a create is sent with `retry: false`: a 5xx or a timeout may come after
// the record was written. After such a failure Ferry looks the record up by its natural key
// (a customer's email, a company's name, a thread's text); found → that is the result, not
// found → the create is sent again. The lookup must only return a record this create could have
// written: a natural key that is not unique (company names) or that another record may already
// hold matches records that were there before the request, which the caller excludes
// (writer.ts: ids seen before the POST). A 429 means the request was refused before it ran, so it is
// simply sent again once the limiter's pause is over.
// Not shared with Twenty's batch-sender.ts: Twenty lets Ferry choose record ids, so it checks a
// whole batch by id in one GET and splits rejected batches; these v2 creates carry one record
// and no client-chosen id, so only a natural-key lookup can tell.
import { backoffBaseDelayMs, backoffDelayMs } from "@/connectors/shared/retry";
import type { RetryPolicy } from "@/connectors/shared/retry";
import { ConnectorError } from "@/connectors/types";
import { announceRateLimitWait } from "@/connectors/shared/request-observer";

export type CreateOnceOptions<T> = {
  send: () => Promise<T>;
  /** The record if a previous attempt wrote it after all; null otherwise (never a record that was there before). */
  lookup: () => Promise<T | null>;
  sleep: (ms: number) => Promise<void>;
  retry: RetryPolicy;
  random?: () => number;
};

export type CreateOnceResult<T> = { value: T; reconciled: boolean };

/** Failures after which the create may or may not have been applied. */
export function isAmbiguous(error: ConnectorError): boolean {
  return error.code === "TEMPORARY" || error.code === "UNKNOWN";
}

export async function createOnce<T>(options: CreateOnceOptions<T>): Promise<CreateOnceResult<T>> {
  const random = options.random ?? Math.random;
  let lastError: ConnectorError | null = null;
  for (let attempt = 1; attempt <= options.retry.maxAttempts; attempt += 1) {
    if (lastError !== null && isAmbiguous(lastError)) {
      const existing = await options.lookup();
      if (existing !== null) return { value: existing, reconciled: true };
    }
    try {
      return { value: await options.send(), reconciled: false };
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      if (error.code !== "RATE_LIMITED" && !isAmbiguous(error)) throw error;
      lastError = error;
      if (attempt === options.retry.maxAttempts) break;
      // 429: the shared limiter already holds every caller for the server's hint; without one, back off.
      if (error.code === "RATE_LIMITED" && error.retryAfterMs !== undefined) continue;
      const delayMs = backoffDelayMs(attempt, backoffBaseDelayMs(options.retry, error.code === "RATE_LIMITED"), options.retry.maxDelayMs, random);
      if (error.code === "RATE_LIMITED") announceRateLimitWait(delayMs);
      await options.sleep(delayMs);
    }
  }
  if (lastError !== null && isAmbiguous(lastError)) {
    const existing = await options.lookup();
    if (existing !== null) return { value: existing, reconciled: true };
  }
  throw lastError ?? new ConnectorError("UNKNOWN", "The record could not be created");
}
