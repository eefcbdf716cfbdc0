// The run's audit log: RunEvents a customer can read. Plain sentences, counts in `data`, never a
// credential, a URL with a key, or a record's content beyond its id.
import type { Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RunMode } from "./run-state";

export type EventLevel = "info" | "warn" | "error";

export const EVENT_KINDS = [
  "created",
  "started",
  "demo_selected",
  "object_started",
  "object_finished",
  "batch_writing",
  "batch",
  "retry",
  "reconciled",
  "paused",
  "resumed",
  "cancel_requested",
  "cancelled",
  "failures",
  "completed",
  "failed",
  "verification",
  "rollback_started",
  "rollback_batch",
  "rolled_back",
  "warning",
  "activity_scan",
  "sync_conflicts",
  "sync_deletions",
  "cut_over",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export type RunEventInput = { kind: EventKind; level?: EventLevel; message: string; data?: Record<string, unknown> };

type EventWriter = Pick<Database, "runEvent"> | Prisma.TransactionClient;

export function eventData(runId: string, event: RunEventInput, at?: Date): Prisma.RunEventUncheckedCreateInput {
  return {
    runId,
    kind: event.kind,
    level: event.level ?? "info",
    message: event.message,
    data: event.data ? JSON.stringify(event.data) : null,
    ...(at ? { at } : {}),
  };
}

export async function recordEvent(database: EventWriter, runId: string, event: RunEventInput): Promise<void> {
  await database.runEvent.create({ data: eventData(runId, event) });
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? singular : pluralForm}`;
}

/** "3 created, 1 updated, 2 failed" — parts with a zero are left out. */
export function countsSentence(counts: {
  created?: number;
  updated?: number;
  skipped?: number;
  failed?: number;
  repaired?: number;
  valueDropped?: number;
}): string {
  const words = {
    created: "created",
    updated: "updated",
    skipped: "skipped",
    failed: "failed",
    repaired: "with a repaired value",
    valueDropped: "with a value dropped",
  } as const;
  const parts = (["created", "updated", "skipped", "failed", "repaired", "valueDropped"] as const)
    .filter((key) => (counts[key] ?? 0) > 0)
    .map((key) => `${(counts[key] ?? 0).toLocaleString("en")} ${words[key]}`);
  return parts.length > 0 ? parts.join(", ") : "nothing to write";
}

/** The run's mode in a sentence ("Demo migration started."). */
export function modeLabel(mode: RunMode): string {
  return { demo: "Demo migration", full: "Full migration", delta: "Delta migration", retry: "Retry of failed records" }[mode];
}
