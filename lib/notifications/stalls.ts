// Stall watch: a running run that has made no progress for RUN_STALL_MINUTES is told to its
// organization once per stall. Progress is the processed count, the phase and the stale filter's
// pre-pass cursor (which reads for a long time before anything is written). RunWatch remembers the
// progress last seen and since when, so any process can sweep (the notification worker does,
// every few seconds) and two sweeps agree.
import type { Database } from "@/lib/db";
import { runPath } from "./links";
import type { Locale } from "@/lib/i18n/locale";
import { runStalledMessage } from "./messages";
import { notifyOrganization } from "./notify";

export type StallSweepOptions = { now: Date; stallMs: number };

export async function sweepStalledRuns(database: Database, options: StallSweepOptions): Promise<{ notified: string[] }> {
  const running = await database.run.findMany({
    where: { status: "running" },
    select: {
      id: true,
      mode: true,
      migrationId: true,
      processedRecords: true,
      phase: true,
      activityScan: true,
      migration: { select: { name: true, organizationId: true } },
    },
  });
  await database.runWatch.deleteMany({ where: { runId: { notIn: running.map((run) => run.id) } } });
  const watches = new Map((await database.runWatch.findMany({ where: { runId: { in: running.map((run) => run.id) } } })).map((watch) => [watch.runId, watch]));
  const notified: string[] = [];
  for (const run of running) {
    const watch = watches.get(run.id);
    const progress = JSON.stringify([run.processedRecords, run.phase, run.activityScan]);
    if (!watch || watch.progress !== progress) {
      const fresh = { progress, changedAt: options.now, stalledNotifiedAt: null };
      await database.runWatch.upsert({ where: { runId: run.id }, create: { runId: run.id, ...fresh }, update: fresh });
      continue;
    }
    if (watch.stalledNotifiedAt || options.now.getTime() - watch.changedAt.getTime() < options.stallMs) continue;
    const told = await database.$transaction(async (tx) => {
      // Conditional: of two sweeps seeing the same stall, one tells it.
      const { count } = await tx.runWatch.updateMany({ where: { runId: run.id, stalledNotifiedAt: null, progress }, data: { stalledNotifiedAt: options.now } });
      if (count !== 1) return false;
      const facts = {
        mode: run.mode,
        migrationName: run.migration.name,
        processed: run.processedRecords,
        since: watch.changedAt,
        minutes: Math.round(options.stallMs / 60_000),
      };
      const message = (locale: Locale) => runStalledMessage(facts, locale);
      await notifyOrganization(tx, {
        organizationId: run.migration.organizationId,
        kind: "run_stalled",
        message,
        link: runPath(run.migrationId, run.id),
        runId: run.id,
      });
      return true;
    });
    if (told) notified.push(run.id);
  }
  return { notified };
}
