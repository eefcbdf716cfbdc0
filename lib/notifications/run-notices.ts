// What a run's status change tells its organization. Called by the run state machine
// (lib/migration/run-state.ts transition) inside the transaction that changes the status, so a
// notice is queued exactly when the change commits; mails are delivered later (delivery.ts) and
// can never block or fail the run.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { NotificationKind } from "./kinds";
import { runPath } from "./links";
import type { Locale } from "@/lib/i18n/locale";
import { runFinishedMessage, runStoppedMessage, type Message } from "./messages";
import { notifyOrganization } from "./notify";

export type RunStatusChange = {
  runId: string;
  status: string;
  /** The transition's event (its message is the reason a run stopped) and the columns it set. */
  eventMessage?: string;
  data?: { pauseReason?: unknown; pauseKind?: unknown; error?: unknown };
};

const NOTICE_STATUSES = new Set(["completed", "failed", "paused"]);

export async function queueRunStatusNotices(tx: Prisma.TransactionClient, change: RunStatusChange): Promise<void> {
  if (!NOTICE_STATUSES.has(change.status)) return;
  // A pause the user asked for needs no telling.
  if (change.status === "paused" && change.data?.pauseKind === "user") return;
  // A sync's run every few minutes tells nothing when it ends; lib/sync/cycles.ts tells failing syncs and the cutover.
  if ((await tx.syncCycle.count({ where: { runId: change.runId, kind: { not: "cutover" } } })) > 0) return;
  const run = await tx.run.findUnique({
    where: { id: change.runId },
    select: {
      mode: true,
      migrationId: true,
      processedRecords: true,
      createdRecords: true,
      updatedRecords: true,
      skippedRecords: true,
      failedRecords: true,
      migration: { select: { name: true, organizationId: true } },
    },
  });
  if (!run) return;
  const { kind, message } = noticeFor(change, run);
  await notifyOrganization(tx, {
    organizationId: run.migration.organizationId,
    kind,
    message,
    link: runPath(run.migrationId, change.runId),
    runId: change.runId,
  });
}

type RunRow = {
  mode: string;
  processedRecords: number;
  createdRecords: number;
  updatedRecords: number;
  skippedRecords: number;
  failedRecords: number;
  migration: { name: string };
};

function noticeFor(change: RunStatusChange, run: RunRow): { kind: NotificationKind; message: (locale: Locale) => Message } {
  if (change.status === "completed") {
    return {
      kind: "run_finished",
      message: (locale) =>
        runFinishedMessage(
          {
            mode: run.mode,
            migrationName: run.migration.name,
            created: run.createdRecords,
            updated: run.updatedRecords,
            skipped: run.skippedRecords,
            failed: run.failedRecords,
            processed: run.processedRecords,
          },
          locale,
        ),
    };
  }
  const status = change.status === "failed" ? "failed" : "paused";
  const reason = textOf(change.data?.error) ?? textOf(change.data?.pauseReason) ?? change.eventMessage ?? "";
  const pauseKind = textOf(change.data?.pauseKind) ?? null;
  return {
    kind: "run_failed",
    message: (locale) => runStoppedMessage({ mode: run.mode, migrationName: run.migration.name, status, reason, pauseKind }, locale),
  };
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value : undefined;
}
