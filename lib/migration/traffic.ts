// A run's traffic with one system, seen through its sessions (connectors/shared/request-observer):
// requests are counted and saved with each commit (requests per record drive the ETA), and a
// wait for the system's rate limit is written on the run at once, so the dashboard can say
// "waiting for the rate limit until …" instead of showing frozen counters.
import type { RequestObserver } from "@/connectors/shared/request-observer";
import type { Database } from "@/lib/db";

/** Shorter waits are the limiter's ordinary pacing between requests: said as "at the pace the limit allows", not as a wait. */
export const WAIT_NOTICE_MS = 1_000;

/** Short waits (the limiter pacing requests) are written at most this often: enough to say the run is paced. */
export const PACING_NOTICE_EVERY_MS = 5_000;

export class SideTraffic {
  private requests = 0;
  private unattributed = 0;
  private noticedUntilMs = 0;
  private noticedAtMs = 0;

  constructor(
    private readonly onWait: (until: Date) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  readonly observer: RequestObserver = {
    onRequest: () => {
      this.requests += 1;
      this.unattributed += 1;
    },
    onRateLimitWait: (untilMs) => {
      const now = this.clock();
      // One note per long wait (callers queued behind it say nothing new); short ones now and then.
      const long = untilMs - now >= WAIT_NOTICE_MS && untilMs > this.noticedUntilMs;
      const pacing = untilMs > now && now - this.noticedAtMs >= PACING_NOTICE_EVERY_MS;
      if (!long && !pacing) return;
      this.noticedUntilMs = Math.max(this.noticedUntilMs, untilMs);
      this.noticedAtMs = now;
      this.onWait(new Date(untilMs));
    },
  };

  /** Requests sent since the last call. */
  takeRequests(): number {
    const taken = this.requests;
    this.requests = 0;
    return taken;
  }

  /** Requests sent since the last call, for the objects whose records a commit settles (a commit that settles none leaves them for the next). */
  takeForObjects(): number {
    const taken = this.unattributed;
    this.unattributed = 0;
    return taken;
  }
}

/** Writes the wait on the run (best effort: it only informs the dashboard, and the run goes on). */
export function rateLimitWaitRecorder(database: Database, runId: string, system: string): (until: Date) => void {
  return (until) => {
    database.run
      .updateMany({ where: { id: runId, status: { in: ["running", "cancelling", "rolling_back"] } }, data: { waitingUntil: until, waitingFor: system } })
      .catch(() => undefined);
  };
}
