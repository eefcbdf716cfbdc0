// What a run does differently when its migration syncs (lib/sync): called by the engine's batch
// (conflicts before updates, the target's version after writes) and slice loop (the deletion pass
// after the delta pages). A run that is no sync cycle passes through unchanged.
import type { RemoveResult } from "@/connectors/types";
import { chunks } from "@/connectors/shared/chunks";
import type { Classified } from "@/lib/migration/classify";
import type { EnginePair, RunContext } from "@/lib/migration/context";
import { parseJsonColumn, withConflictRetry } from "@/lib/migration/database";
import { eventData, plural } from "@/lib/migration/events";
import type { GroupSpec, Outcomes } from "@/lib/migration/group";
import type { LinkRow } from "@/lib/migration/record-map";
import { recordDisplayName } from "@/lib/migration/record-name";
import { assertSliceOwner } from "@/lib/migration/run-state";
import { z } from "zod";
import { addCycleCounts } from "./counts";
import { deletionChoiceFor, loadMigrationSync, SYNCING_STATUSES, type DeletionChoice, type MigrationSync } from "./settings";

type SyncRunState = { sync: MigrationSync | null; cycleId: string | null };

/** Loaded once per slice (a context lives one slice). */
const stateByContext = new WeakMap<RunContext, Promise<SyncRunState>>();

function syncStateOf(ctx: RunContext): Promise<SyncRunState> {
  let state = stateByContext.get(ctx);
  if (!state) {
    state = (async () => {
      const sync = await loadMigrationSync(ctx.database, ctx.run.migrationId);
      const syncing = sync?.status && SYNCING_STATUSES.includes(sync.status) ? sync : null;
      const cycle = syncing ? await ctx.database.syncCycle.findUnique({ where: { runId: ctx.run.id }, select: { id: true } }) : null;
      return { sync: syncing, cycleId: cycle?.id ?? null };
    })();
    stateByContext.set(ctx, state);
  }
  return state;
}

type ToWrite = Classified["toWrite"];

/**
 * Before a sync cycle updates records: those edited in the target since Ferry last wrote them
 * (their updatedAt after the version Ferry read back, or after sync began for older writes) are
 * conflicts, recorded once per cycle. Under "report" and "target_wins" they are left as they are.
 */
export async function holdConflicts(ctx: RunContext, spec: GroupSpec, toWrite: ToWrite, links: Map<string, LinkRow>, outcomes: Outcomes): Promise<ToWrite> {
  const { sync, cycleId } = await syncStateOf(ctx);
  const versions = ctx.target.session.versions;
  if (!sync || !cycleId || !versions) return toWrite;
  const updates = toWrite.filter(({ decision }) => decision.mode === "update" && !decision.refresh && decision.targetId);
  if (updates.length === 0) return toWrite;
  const known = await ctx.database.recordLink.findMany({
    where: { migrationId: ctx.run.migrationId, objectType: spec.objectType, sourceId: { in: updates.map(({ item }) => item.record.id) } },
    select: { sourceId: true, targetVersion: true },
  });
  const lastWritten = new Map(known.map((row) => [row.sourceId, row.targetVersion]));
  // Target API: each linked record's updatedAt, read by id (ConnectorSession.versions).
  const current = new Map(
    (
      await versions.call(
        ctx.target.session,
        spec.targetObject,
        updates.map(({ decision }) => decision.targetId as string),
      )
    ).map((version) => [version.id, version.updatedAt]),
  );
  const baseline = sync.baselineAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const conflicts = updates.filter(({ item, decision }) => {
    const now = Date.parse(current.get(decision.targetId as string) ?? "");
    const written = lastWritten.get(item.record.id);
    const since = written ? Date.parse(written) : baseline;
    return !Number.isNaN(now) && !Number.isNaN(since) && now > since && links.has(item.record.id);
  });
  if (conflicts.length === 0) return toWrite;
  const resolution = sync.conflictPolicy === "source_wins" ? "overwritten" : sync.conflictPolicy === "target_wins" ? "kept_target" : "reported";
  await withConflictRetry(() =>
    ctx.database.syncConflict.createMany({
      data: conflicts.map(({ item, decision }) => ({
        cycleId,
        migrationId: ctx.run.migrationId,
        objectType: spec.objectType,
        sourceId: item.record.id,
        targetId: decision.targetId as string,
        sourceName: recordDisplayName(item.record, item.parentRecord),
        targetUpdatedAt: current.get(decision.targetId as string) ?? "",
        resolution,
      })),
      skipDuplicates: true,
    }),
  );
  if (resolution === "overwritten") return toWrite;
  const held = new Set(conflicts.map(({ item }) => item.record.id));
  for (const id of held) outcomes.set(id, { kind: "already" });
  return toWrite.filter(({ item }) => !held.has(item.record.id));
}

/**
 * After a write in sync mode: the target's updatedAt of each record written, saved on its link
 * with the result, so the next cycle tells Ferry's own writes from edits made in the target.
 */
export async function versionsOfWritten(ctx: RunContext, spec: GroupSpec, outcomes: Outcomes): Promise<Map<string, string>> {
  const { sync } = await syncStateOf(ctx);
  const versions = ctx.target.session.versions;
  const written = new Map<string, string>();
  for (const [sourceId, outcome] of outcomes) if (outcome.kind === "created" || outcome.kind === "updated") written.set(outcome.targetId, sourceId);
  if (!sync || !versions || written.size === 0) return new Map();
  try {
    const read = await versions.call(ctx.target.session, spec.targetObject, [...written.keys()]);
    return new Map(read.flatMap((version) => (written.has(version.id) ? [[written.get(version.id) as string, version.updatedAt] as const] : [])));
  } catch {
    // The writes happened before this instant: taking it as the version misses only an edit made in the same moment.
    const now = ctx.now().toISOString();
    return new Map([...written.values()].map((sourceId) => [sourceId, now]));
  }
}

const REMOVE_CHUNK = 100;
const LISTING_PAGE_SIZE = 200;

/**
 * The deletion pass of a sync cycle, one object per call: its source ids listed once, and the
 * target records Ferry created for source records no longer there deleted, archived or only
 * reported (the object's choice). False when every object is done (or the run is no cycle).
 * Idempotent: a crash before the links are saved lists again, and the target answers not_found.
 */
export async function syncDeletionStep(ctx: RunContext): Promise<boolean> {
  const { sync, cycleId } = await syncStateOf(ctx);
  if (!sync || !cycleId) return false;
  const cycle = await ctx.database.syncCycle.findUniqueOrThrow({ where: { id: cycleId }, select: { deletionsDone: true } });
  const done = new Set(parseJsonColumn<string[]>(cycle.deletionsDone, z.array(z.string()), []));
  const entry = ctx.pairs.find((pair) => !done.has(pair.pair.sourceObject));
  if (!entry) return false;
  await deletionsOf(ctx, sync, cycleId, entry, [...done]);
  return true;
}

async function sourceIds(ctx: RunContext, objectType: string): Promise<Set<string>> {
  const ids = new Set<string>();
  // Source API: a full listing of the object (no children), the one way every source can say what is gone.
  for await (const page of ctx.source.session.read(objectType, { pageSize: LISTING_PAGE_SIZE, children: [] })) {
    for (const record of page.records) ids.add(record.id);
  }
  return ids;
}

type MissingLink = { id: string; sourceId: string; targetId: string | null };

/** The records gone from the source, deleted, archived or only reported in the target: the links settled, and the ones that could not be. */
async function applyDeletionChoice(
  ctx: RunContext,
  entry: EnginePair,
  choice: DeletionChoice,
  missing: MissingLink[],
): Promise<{ gone: Set<string>; failures: string[] }> {
  const gone = new Set<string>();
  const failures: string[] = [];
  if (choice === "report") return { gone: new Set(missing.map((link) => link.id)), failures };
  const session = ctx.target.session;
  for (const batch of chunks(missing, REMOVE_CHUNK)) {
    const targetIds = batch.map((link) => link.targetId as string);
    // Target API: remove (delete) or archive the records, one result per id.
    const results: RemoveResult[] =
      choice === "delete" ? await session.remove(entry.pair.targetObject, targetIds) : await (session.archive?.(entry.pair.targetObject, targetIds) ?? []);
    const byId = new Map(results.map((result) => [result.id, result]));
    for (const link of batch) {
      const result = byId.get(link.targetId as string);
      if (result && result.status !== "failed") gone.add(link.id);
      else failures.push(`${link.sourceId}: ${result?.message ?? "no result"}`);
    }
  }
  return { gone, failures };
}

async function deletionsOf(ctx: RunContext, sync: MigrationSync, cycleId: string, entry: EnginePair, done: string[]): Promise<void> {
  const objectType = entry.pair.sourceObject;
  const links = await ctx.database.recordLink.findMany({
    where: {
      migrationId: ctx.run.migrationId,
      objectType,
      status: { in: ["created", "updated"] },
      targetId: { not: null },
      createdByRunId: { not: null },
      sourceDeletedAt: null,
    },
    select: { id: true, sourceId: true, targetId: true },
  });
  const present = links.length > 0 ? await sourceIds(ctx, objectType) : new Set<string>();
  // An empty listing with records still linked is more likely a key that lost access than a wiped system.
  const missing = present.size === 0 ? [] : links.filter((link) => !present.has(link.sourceId));
  let choice = deletionChoiceFor(sync.deletions, objectType);
  if (choice === "archive" && !ctx.target.session.archive) choice = "report";
  const { gone, failures } = await applyDeletionChoice(ctx, entry, choice, missing);
  const now = ctx.now();
  const verb = choice === "delete" ? "deleted" : choice === "archive" ? "archived" : "reported (left in the target)";
  await withConflictRetry(() =>
    ctx.database.$transaction(async (tx) => {
      await assertSliceOwner(tx, ctx.run.id, ctx.token, { phase: "reading", phaseAt: now });
      if (gone.size > 0) {
        const data = choice === "report" ? { sourceDeletedAt: now } : { sourceDeletedAt: now, status: "removed", runId: ctx.run.id };
        await tx.recordLink.updateMany({ where: { id: { in: [...gone] } }, data });
      }
      await addCycleCounts(tx, cycleId, objectType, { deleted: gone.size }, [...done, objectType]);
      if (missing.length > 0 || (present.size === 0 && links.length > 0))
        await tx.runEvent.create({
          data: eventData(ctx.run.id, {
            kind: "sync_deletions",
            level: failures.length > 0 || present.size === 0 ? "warn" : "info",
            message:
              present.size === 0
                ? `${ctx.source.system.name} listed no ${objectType} at all while ${plural(links.length, "record")} are linked: nothing was deleted. Check the source connection's access.`
                : `${plural(gone.size, `${objectType} record`)} gone from ${ctx.source.system.name}: ${verb} in ${ctx.target.system.name}.${failures.length > 0 ? ` ${failures.length} could not be: ${failures.slice(0, 3).join("; ")}; the next sync tries again.` : ""}`,
            data: { objectType, choice, count: gone.size, failed: failures.length },
          }),
        });
    }),
  );
}
