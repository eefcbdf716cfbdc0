// Client-side rate limiter, one per budget in a process (every client that spends the same
// budget shares it), and across processes through a SharedBudgetStore in hosted mode. A sliding-window log: a request may start once fewer than `requests` were
// started in the last `perMs`. Any interval of length perMs therefore holds at most `requests`
// starts, so neither a server's fixed window (wherever its boundary falls) nor its token bucket
// sees a burst over the limit, while steady traffic still runs at the full published rate; a
// token bucket of the same size would allow twice the limit across a fixed-window boundary.
import { createHash } from "node:crypto";

/**
 * A budget shared with other processes (hosted mode: lib/api-budget.ts keeps the grants in the
 * database). take() grants one start at `nowMs` and returns 0, or returns how long to wait before
 * asking again because the other processes used the window.
 */
export type SharedBudgetStore = {
  take(budget: string, limit: RateLimit, nowMs: number): Promise<number>;
  /** What any process learned about the budget lately (null: nothing): a new limiter starts from it. */
  recall?(budget: string): Promise<LearnedLimits | null>;
  /** Keeps what this process learned for the others and for after a restart (only the fields given change). */
  remember?(budget: string, learned: LearnedLimits): Promise<void>;
};

/** What a server showed about a budget: its live limit, the largest batch it takes. */
export type LearnedLimits = { requests?: number | null; perMs?: number | null; maxBatch?: number | null };

export type RateLimiterOptions = {
  requests: number;
  perMs: number;
  /** Also count starts with other processes spending this budget (key: the budget's hash). */
  shared?: { budget: string; store: SharedBudgetStore };
  /**
   * Added to the window so network jitter cannot land request n+requests inside the server's
   * window of request n. Default: 2 % of perMs, at most 1 s (≥ 98 % of the ceiling).
   */
  marginMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
};

const DEFAULT_MARGIN_SHARE = 0.02;
/** The least share of the configured limit a refusal's timing may teach (Twenty Cloud's 50 where 100 is published is half). */
const MIN_LEARNED_SHARE = 0.5;
const MAX_DEFAULT_MARGIN_MS = 1_000;

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RateLimiter {
  private requests: number;
  private readonly windowMs: number;
  private readonly marginMs: number;
  private readonly clock: () => number;
  private readonly sleeper: (ms: number) => Promise<void>;
  /** Start times of the most recent requests, oldest first, at most `requests` of them. */
  private readonly started: number[] = [];
  private readonly queue: (() => void)[] = [];
  private pumping = false;
  private pausedUntil = 0;
  // Time an injected sleep skipped without the clock moving (a test's instant sleep with the
  // real clock): counted as elapsed so the limiter never spins waiting for it.
  private skippedMs = 0;
  private waited = 0;

  constructor(options: RateLimiterOptions) {
    if (!(options.requests > 0) || !(options.perMs > 0)) {
      throw new Error(`A rate limit needs positive requests and perMs (got ${options.requests} per ${options.perMs} ms)`);
    }
    this.requests = options.requests;
    const margin = options.marginMs ?? Math.min(Math.ceil(options.perMs * DEFAULT_MARGIN_SHARE), MAX_DEFAULT_MARGIN_MS);
    this.marginMs = margin;
    this.windowMs = options.perMs + margin;
    this.clock = options.now ?? Date.now;
    this.sleeper = options.sleep ?? realSleep;
    this.shared = options.shared ?? null;
  }

  private readonly shared: { budget: string; store: SharedBudgetStore } | null;

  /** A limiter that never throttles on its own but still honours pauseFor (APIs with no published limit). */
  static unlimited(options: Pick<RateLimiterOptions, "now" | "sleep"> = {}): RateLimiter {
    return new RateLimiter({ requests: Number.POSITIVE_INFINITY, perMs: 1, marginMs: 0, ...options });
  }

  /** The limiter's clock in ms (the injected clock plus any time an injected sleep skipped). */
  now(): number {
    return this.clock() + this.skippedMs;
  }

  /** The limit in force: the configured one, or the lower one the server showed (learnFromRefusal); null when unlimited. */
  get limit(): RateLimit | null {
    return Number.isFinite(this.requests) ? { requests: this.requests, perMs: this.windowMs - this.marginMs } : null;
  }

  /**
   * A 429 shows the server's live limit: `x-ratelimit-limit` when it sends one, otherwise the
   * requests this limiter let start in the window before the refused one. A lower limit is kept
   * from now on (a published 100 a minute where the workspace has 50); a higher one is ignored.
   * An unlimited limiter (the caller asked for none) learns nothing.
   */
  learnFromRefusal(headers: Record<string, string | undefined> = {}): void {
    if (!Number.isFinite(this.requests)) return;
    const announced = Number(headers["x-ratelimit-limit"]);
    let live: number;
    if (Number.isInteger(announced) && announced > 0) live = announced;
    else {
      const since = this.now() - this.windowMs;
      // The refused request started too: the server took the ones before it.
      live = this.started.filter((at) => at > since).length - 1;
      // Fewer than half the limit before a refusal is other traffic on the budget (or a window the
      // server began earlier), not the workspace's limit: learning it would slow the run for good.
      if (live < this.requests * MIN_LEARNED_SHARE) return;
    }
    if (live < 1 || live >= this.requests) return;
    this.lowerTo(live);
    const shared = this.shared;
    // Best effort: the next process learns it from its own first refusal otherwise.
    shared?.store.remember?.(shared.budget, { requests: live, perMs: this.windowMs - this.marginMs }).catch(() => undefined);
  }

  private lowerTo(requests: number): void {
    this.requests = requests;
    this.started.splice(0, Math.max(0, this.started.length - requests));
  }

  private recalled = false;

  /** Once, before the first start: a lower live limit another process (or an earlier run) learned for this budget. */
  private async recallShared(): Promise<void> {
    if (this.recalled) return;
    this.recalled = true;
    const shared = this.shared;
    if (!shared?.store.recall || !Number.isFinite(this.requests)) return;
    try {
      const learned = await shared.store.recall(shared.budget);
      const sameWindow = learned?.perMs === this.windowMs - this.marginMs;
      if (learned?.requests && sameWindow && learned.requests >= 1 && learned.requests < this.requests) this.lowerTo(learned.requests);
    } catch {
      // A courtesy like the shared count: without it, the first refusal teaches the limit again.
    }
  }

  /** Total time the queue spent waiting for a free slot or the end of a pause. */
  get waitedMs(): number {
    return this.waited;
  }

  /** Nobody is waiting, no pause is in force and the window holds no recent start. */
  isIdle(): boolean {
    const now = this.now();
    const last = this.started[this.started.length - 1];
    return this.queue.length === 0 && this.pausedUntil <= now && (last === undefined || last + this.windowMs <= now);
  }

  /**
   * When (on this limiter's clock) a request queued now could start: after any pause, and after
   * the window frees a slot for it behind the callers already waiting. An estimate for progress
   * displays; acquire() is what actually waits.
   */
  nextFreeAt(): number {
    const now = this.now();
    let freeAt = Math.max(now, this.pausedUntil);
    if (!Number.isFinite(this.requests) || this.started.length === 0) return freeAt;
    const ahead = this.started.length + this.queue.length;
    if (ahead < this.requests) return freeAt;
    // The slot this request takes frees when the start `requests` places before it leaves the window.
    const windowsAhead = Math.floor((ahead - this.requests) / this.requests);
    const index = Math.min(this.started.length - 1, (ahead - this.requests) % this.requests);
    freeAt = Math.max(freeAt, this.started[index] + this.windowMs * (windowsAhead + 1));
    return Math.ceil(freeAt);
  }

  /** Resolves when the caller may send one request; callers are served first come, first served. */
  acquire(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.queue.push(resolve);
      if (!this.pumping) void this.pump();
    });
  }

  /** After a 429: nobody sends until `ms` from now (a longer pause already in force is kept). */
  pauseFor(ms: number): void {
    if (!(ms > 0)) return;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  private delayUntilFree(now: number): number {
    let delay = this.pausedUntil - now;
    if (this.started.length >= this.requests) delay = Math.max(delay, this.started[0] + this.windowMs - now);
    return Math.max(0, Math.ceil(delay));
  }

  // One loop serves the whole queue in order, so a late caller can never overtake an earlier one.
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      await this.recallShared();
      while (this.queue.length > 0) {
        const delay = this.delayUntilFree(this.now());
        if (delay > 0) {
          // Re-check after waking: pauseFor may have extended the wait meanwhile.
          await this.sleepFor(delay);
          continue;
        }
        const sharedWait = await this.takeShared();
        if (sharedWait > 0) {
          await this.sleepFor(sharedWait);
          continue;
        }
        if (Number.isFinite(this.requests)) {
          this.started.push(this.now());
          if (this.started.length > this.requests) this.started.shift();
        }
        this.queue.shift()?.();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** 0 when the other processes of this budget left room (the start is recorded), else the wait. */
  private async takeShared(): Promise<number> {
    const limit = this.limit;
    if (!this.shared || !limit) return 0;
    try {
      return await this.shared.store.take(this.shared.budget, limit, this.now());
    } catch {
      // The shared count is a courtesy between processes: if it cannot be read, this process's own
      // window still holds, and a 429 still pauses everyone here.
      return 0;
    }
  }

  private async sleepFor(ms: number): Promise<void> {
    const before = this.now();
    await this.sleeper(ms);
    const elapsed = this.now() - before;
    // Only a sleep that clearly did not wait counts: real timers may fire a millisecond early,
    // and crediting that would let the window drift ahead of the server's.
    if (elapsed < ms / 2) this.skippedMs += ms - elapsed;
    this.waited += ms;
  }
}

export type RateLimit = { requests: number; perMs: number };

const MAX_IDLE_BUDGETS = 100;
const budgetLimiters = new Map<string, { limit: string; limiter: RateLimiter }>();
let sharedStore: SharedBudgetStore | null = null;

/**
 * Hosted mode: budgets are shared with the other processes through `store` (limiters made from
 * now on use it; the ones already made are dropped so the next session gets one that does).
 */
export function shareBudgetsThrough(store: SharedBudgetStore | null): void {
  sharedStore = store;
  budgetLimiters.clear();
}

/** The store budgets are shared through in hosted mode (null otherwise): connectors keep what they learn about a budget there too. */
export function sharedBudgetStore(): SharedBudgetStore | null {
  return sharedStore;
}

/** The key a budget is known by in the shared store and in this process (a hash: no credential is held). */
export function budgetKey(budget: string): string {
  return createHash("sha256").update(budget).digest("base64url");
}

/** Forgets every budget's limiter, as a new process would start (tests: each case with a fresh budget). */
export function forgetBudgets(): void {
  budgetLimiters.clear();
}

/**
 * The process's one limiter for an API budget (e.g. base URL + API key). Sessions are opened
 * per slice of a run; a limiter per session would start every slice with an empty log and burst
 * into a server window the previous slice already filled (measured: 9 % of requests answered
 * 429 at 100/min). Keyed by a hash so the map holds no credential.
 */
export function limiterForBudget(budget: string, rateLimit: RateLimit | null): RateLimiter {
  const key = budgetKey(budget);
  const limit = rateLimit ? `${rateLimit.requests}/${rateLimit.perMs}` : "unlimited";
  const existing = budgetLimiters.get(key);
  if (existing && existing.limit === limit) return existing.limiter;
  if (budgetLimiters.size >= MAX_IDLE_BUDGETS) {
    for (const [candidate, entry] of budgetLimiters) if (entry.limiter.isIdle()) budgetLimiters.delete(candidate);
  }
  const limiter = rateLimit
    ? new RateLimiter({ ...rateLimit, shared: sharedStore ? { budget: key, store: sharedStore } : undefined })
    : RateLimiter.unlimited();
  budgetLimiters.set(key, { limit, limiter });
  return limiter;
}
