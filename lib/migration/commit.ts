// Saving a slice's work: link changes, counters, cursor moves and the RunEvent together in ONE
// transaction, fenced by the slice token (a superseded slice saves nothing).
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RunContext } from "./context";
import { withBusyRetry } from "./database";
import { eventData, type RunEventInput } from "./events";
import { assertSliceOwner } from "./run-state";

export type Counts = { processed: number; created: number; updated: number; skipped: number; failed: number };

export const zeroCounts = (): Counts => ({ processed: 0, created: 0, updated: 0, skipped: 0, failed: 0 });

export function addCount(counts: Map<string, Counts>, objectType: string, key: keyof Omit<Counts, "processed">, amount = 1): void {
  const entry = counts.get(objectType) ?? zeroCounts();
  entry[key] += amount;
  entry.processed += amount;
  counts.set(objectType, entry);
}

export function totalOf(counts: Map<string, Counts>): Counts {
  const total = zeroCounts();
  for (const entry of counts.values()) for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += entry[key];
  return total;
}

export type LinkWrite = { op: "update"; id: string; data: Prisma.RecordLinkUncheckedUpdateInput } | { op: "create"; data: Prisma.RecordLinkCreateManyInput } | { op: "delete"; id: string };

export type CommitInput = {
  links?: LinkWrite[];
  counts?: Map<string, Counts>;
  /** RunObject changes by objectType (cursor, done, startedAt…). */
  objects?: { objectType: string; data: Prisma.RunObjectUncheckedUpdateInput }[];
  events?: RunEventInput[];
  run?: Prisma.RunUncheckedUpdateManyInput;
};

const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 120_000 } as const;

export async function commit(ctx: RunContext, input: CommitInput): Promise<void> {
  const runId = ctx.run.id;
  const total = totalOf(input.counts ?? new Map());
  await withBusyRetry(() =>
    ctx.database.$transaction(async (tx) => {
      // First statement: the fence (and SQLite's write lock).
      await assertSliceOwner(tx, runId, ctx.token, {
        ...input.run,
        ...(total.processed > 0
          ? {
              processedRecords: { increment: total.processed },
              createdRecords: { increment: total.created },
              updatedRecords: { increment: total.updated },
              skippedRecords: { increment: total.skipped },
              failedRecords: { increment: total.failed },
            }
          : {}),
      });
      const creates = (input.links ?? []).flatMap((write) => (write.op === "create" ? [write.data] : []));
      if (creates.length > 0) await tx.recordLink.createMany({ data: creates });
      for (const write of input.links ?? []) {
        if (write.op === "update") await tx.recordLink.update({ where: { id: write.id }, data: write.data });
        else if (write.op === "delete") await tx.recordLink.delete({ where: { id: write.id } });
      }
      for (const [objectType, counts] of input.counts ?? []) {
        if (counts.processed === 0) continue;
        await tx.runObject.update({
          where: { runId_objectType: { runId, objectType } },
          data: {
            processed: { increment: counts.processed },
            created: { increment: counts.created },
            updated: { increment: counts.updated },
            skipped: { increment: counts.skipped },
            failed: { increment: counts.failed },
          },
        });
      }
      for (const object of input.objects ?? []) await tx.runObject.update({ where: { runId_objectType: { runId, objectType: object.objectType } }, data: object.data });
      const at = new Date();
      // Same instant for all, ordered by creation; a few ms apart keeps them sorted in the log.
      for (const [index, event] of (input.events ?? []).entries()) await tx.runEvent.create({ data: eventData(runId, event, new Date(at.getTime() + index)) });
    }, TRANSACTION_OPTIONS),
  );
}
