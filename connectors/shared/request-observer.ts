// Lets whoever calls a connector session learn what its HTTP client does on its behalf: each
// request sent, and each wait for the rate limit (the client's own pacing or a 429's pause).
// The run engine uses it to show "waiting for the rate limit until …" and to measure requests
// per record for its ETA, without any connector knowing about runs: the observer travels with
// the call (AsyncLocalStorage), so every connector's client reports through the same path.
import { AsyncLocalStorage } from "node:async_hooks";
import type { ConnectorSession } from "@/connectors/types";

export type RequestObserver = {
  /** One HTTP request is about to be sent (retries count again: they spend the budget too). */
  onRequest(): void;
  /** The request waits for the rate limit until this instant (epoch ms). */
  onRateLimitWait(untilMs: number): void;
};

const storage = new AsyncLocalStorage<RequestObserver>();

/** The observer of the call in progress, if any. */
export function currentRequestObserver(): RequestObserver | undefined {
  return storage.getStore();
}

export function withRequestObserver<T>(observer: RequestObserver, work: () => T): T {
  return storage.run(observer, work);
}

function isAsyncGenerator(value: unknown): value is AsyncGenerator<unknown> {
  return typeof value === "object" && value !== null && typeof (value as AsyncGenerator<unknown>).next === "function" && Symbol.asyncIterator in value;
}

// A generator's body runs in the context of whoever calls next(), so each step is wrapped.
async function* observedGenerator<T>(generator: AsyncGenerator<T>, observer: RequestObserver): AsyncGenerator<T> {
  try {
    for (;;) {
      const step = await withRequestObserver(observer, () => generator.next());
      if (step.done) return;
      yield step.value;
    }
  } finally {
    await withRequestObserver(observer, () => generator.return(undefined));
  }
}

/** The same session, every call of which reports its requests and rate-limit waits to `observer`. */
export function observeSession(session: ConnectorSession, observer: RequestObserver): ConnectorSession {
  return new Proxy(session, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const outcome: unknown = withRequestObserver(observer, () => (value as (...parameters: unknown[]) => unknown).apply(target, args));
        return isAsyncGenerator(outcome) ? observedGenerator(outcome, observer) : outcome;
      };
    },
  });
}

/**
 * A connector's own back-off after a 429 without a hint (Twenty sends no Retry-After, twenty-api §6.1):
 * told to the observer like the client's waits, so the run says it is waiting for the limit.
 */
export function announceRateLimitWait(delayMs: number, now: number = Date.now()): void {
  if (delayMs > 0) currentRequestObserver()?.onRateLimitWait(now + delayMs);
}
