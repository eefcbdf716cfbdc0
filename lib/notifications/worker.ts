// The notification worker, started with the server whatever the job runner (instrumentation.ts):
// every few seconds it looks for stalled runs and delivers the mails that are due. wake() delivers
// at once after a mail was queued in this process (an invitation, a confirmation link).
import type { Database } from "@/lib/db";
import { mailEnvironment } from "@/lib/env";
import { deliverDueMails, senderFromEnvironment, type DeliveryOptions } from "./delivery";
import { sweepStalledRuns } from "./stalls";

export const WORKER_INTERVAL_MS = 5_000;

export type NotificationWorker = { wake(): void; stop(): Promise<void> };

export type NotificationWorkerOptions = {
  database: Database;
  intervalMs?: number;
  delivery?: DeliveryOptions;
  stallMs?: number;
  now?: () => Date;
  logger?: Pick<Console, "warn">;
};

const holder = globalThis as typeof globalThis & { ferryNotificationWorker?: NotificationWorker };

export function startNotificationWorker(options: NotificationWorkerOptions): NotificationWorker {
  holder.ferryNotificationWorker ??= createWorker(options);
  return holder.ferryNotificationWorker;
}

/** Delivers now instead of at the next interval, when a worker runs in this process. */
export function wakeNotificationWorker(): void {
  holder.ferryNotificationWorker?.wake();
}

function createWorker(options: NotificationWorkerOptions): NotificationWorker {
  const intervalMs = options.intervalMs ?? WORKER_INTERVAL_MS;
  const delivery = options.delivery ?? senderFromEnvironment();
  const stallMs = options.stallMs ?? mailEnvironment().RUN_STALL_MINUTES * 60_000;
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? console;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  async function once(): Promise<void> {
    try {
      await sweepStalledRuns(options.database, { now: now(), stallMs });
    } catch (error) {
      logger.warn(`[ferry] stall sweep failed: ${describe(error)}`);
    }
    try {
      await deliverDueMails(options.database, { ...delivery, now });
    } catch (error) {
      logger.warn(`[ferry] mail delivery failed, the mails stay queued: ${describe(error)}`);
    }
  }

  function tick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = once().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        tick();
      }
    });
  }

  const timer = setInterval(tick, intervalMs);
  timer.unref?.();
  tick();
  return {
    wake: tick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      if (holder.ferryNotificationWorker) holder.ferryNotificationWorker = undefined;
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
