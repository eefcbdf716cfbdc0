// "Is it already there?" — the engine asks the target (findExisting, by the keys of
// record-keys.ts) and the record map (which source record claims a target record) here, and only
// here: before a create (step 3 of the batch protocol), after a create refused as a duplicate, and
// when reconciling pending links after a crash (reconcile.ts).
import { CONTENT_KEY } from "@/connectors/types";
import type { ExistingKey, ExistingMatch } from "@/connectors/types";
import type { RunContext } from "./context";
import type { GroupSpec, Outcome, Outcomes, PreparedRecord } from "./group";
import { describeKeys, hasUniqueFields, listKeys, refusesRepeatedSourceIds, stampsSourceId } from "./record-keys";
import { ATTEMPTED, linksHoldingTargets } from "./record-map";

/** The target records holding these records' keys (or their source id, where the target stamps it). */
export async function findInTarget(ctx: RunContext, targetObject: string, keys: ExistingKey[]): Promise<ExistingMatch[]> {
  return ctx.target.session.findExisting(targetObject, keys);
}

/** The matches no link of this migration's `objectType` holds (`except`: links settled right now, which hold no claim yet). */
export async function unclaimedMatches(
  ctx: RunContext,
  objectType: string,
  matches: ExistingMatch[],
  except: ReadonlySet<string> = new Set(),
): Promise<ExistingMatch[]> {
  const holders = await linksHoldingTargets(
    ctx.database,
    ctx.run.migrationId,
    objectType,
    matches.map((match) => match.targetId),
  );
  const claimed = new Set(holders.filter((holder) => !except.has(holder.id)).map((holder) => holder.targetId));
  return matches.filter((match) => !claimed.has(match.targetId));
}

type Twin = { targetId: string; failMessage: string; skipMessage: string };

/**
 * The duplicate policy (plan.options.duplicatePolicy) for a record whose twin the target already
 * holds: linked to it (skip), written over it (update, where `canUpdate`), or failed. Null: write
 * the record as an update of the twin.
 */
export function duplicatePolicy(ctx: RunContext, twin: Twin, canUpdate: boolean): Outcome | null {
  const policy = ctx.plan.options.duplicatePolicy;
  if (policy === "update" && canUpdate) return null;
  if (policy === "fail") return { kind: "failed", code: "CONFLICT", message: twin.failMessage };
  return { kind: "skipped", targetId: twin.targetId, code: "DUPLICATE", message: twin.skipMessage };
}

/**
 * Step 3: every create the target could recognise is looked up before it goes pending (see
 * batch.ts), unless the target enforces every key itself (above): its unique values, and its source id where the target stamps one (a copy from an
 * earlier migration of the same data). Not children of a parent this migration created: a copy of
 * them could only come with a copy of the parent, which its own look-up would have found. A record
 * found gets the duplicate policy: its outcome in `outcomes`, or (update) its mode and target id.
 */
export async function lookUpCreates(ctx: RunContext, spec: GroupSpec, prepared: PreparedRecord[], outcomes: Outcomes): Promise<void> {
  const targetName = ctx.target.system.name;
  const targetSchema = spec.child ? spec.child.schemas.target : spec.entry.schemas.target;
  // No token for a look-up the write answers (twenty-api §6.3): where the target refuses a repeated
  // source id or unique value, a create that meets one is refused and resolveConflicts gives it the
  // same outcome (skip or fail). Only "update" needs the twin first, to write over it.
  if (ctx.plan.options.duplicatePolicy !== "update" && refusesRepeatedSourceIds(targetSchema, ctx.target.system.sourceIdField)) return;
  const bySourceId = stampsSourceId(targetSchema, ctx.target.system.sourceIdField);
  const fresh = prepared.filter(
    // Not records matched by content (CONTENT_KEY): that match is for settling an interrupted
    // create of this run, not a twin to look for before every write (a request per parent).
    (entry) =>
      entry.mode === "create" &&
      entry.item.parent?.status !== "created" &&
      !(CONTENT_KEY in entry.reconcileKeys) &&
      (bySourceId || Object.keys(entry.reconcileKeys).length > 0),
  );
  if (fresh.length === 0) return;
  let matches = await findInTarget(
    ctx,
    spec.targetObject,
    fresh.map((entry): ExistingKey => ({ sourceId: entry.item.record.id, keys: entry.reconcileKeys })),
  );
  // Without unique fields the target holds duplicates side by side: a record this migration
  // wrote for another source record is that record's, not an "existing" one (as in one batch).
  if (!bySourceId && !hasUniqueFields(targetSchema) && matches.length > 0) matches = await unclaimedMatches(ctx, spec.objectType, matches);
  const byId = new Map(matches.map((match) => [match.sourceId, match.targetId]));
  for (const entry of fresh) {
    const existing = byId.get(entry.item.record.id);
    if (!existing) continue;
    const what = describeKeys(entry.reconcileKeys, bySourceId);
    const twin = {
      targetId: existing,
      failMessage: `A ${targetName} record with ${what} already exists (${existing})`,
      skipMessage: `A ${targetName} record with ${what} already exists (${existing}); linked to it, not changed`,
    };
    const outcome = duplicatePolicy(ctx, twin, true);
    if (outcome) outcomes.set(entry.item.record.id, outcome);
    else {
      entry.mode = "update";
      entry.targetId = existing;
    }
  }
}

/**
 * A create refused as a duplicate. The record in the target is: another source record's (a
 * duplicate inside the source) → duplicate policy; this record's own copy from an earlier attempt
 * whose answer was lost (the link remembers the attempt) → created; otherwise one that appeared
 * since the look-up (or another migration's) → linked, never counted as created, so a rollback
 * leaves it alone.
 */
export async function resolveConflicts(ctx: RunContext, spec: GroupSpec, conflicts: PreparedRecord[], outcomes: Outcomes): Promise<void> {
  const targetName = ctx.target.system.name;
  const matches = await findInTarget(
    ctx,
    spec.targetObject,
    conflicts.map((entry) => ({ sourceId: entry.item.record.id, keys: entry.reconcileKeys })),
  );
  if (matches.length === 0) return;
  const owners = await linksHoldingTargets(
    ctx.database,
    ctx.run.migrationId,
    spec.objectType,
    matches.map((match) => match.targetId),
  );
  const ownerOf = new Map(owners.map((owner) => [owner.targetId, owner.sourceId]));
  // Records of this very batch hold their target ids only in memory until the results are saved.
  for (const [sourceId, outcome] of outcomes) if (outcome.kind === "created" || outcome.kind === "updated") ownerOf.set(outcome.targetId, sourceId);
  for (const match of matches) {
    const entry = conflicts.find((candidate) => candidate.item.record.id === match.sourceId);
    if (!entry) continue;
    const owner = ownerOf.get(match.targetId);
    const what = listKeys(entry.keys);
    const attempted = entry.link?.pendingMode === ATTEMPTED;
    if (owner === match.sourceId || (owner === undefined && attempted)) {
      outcomes.set(match.sourceId, { kind: "created", targetId: match.targetId, expected: entry.expected, warnings: entry.warnings });
      continue;
    }
    const twin =
      owner !== undefined
        ? {
            targetId: match.targetId,
            failMessage: `Same ${what} as ${spec.objectType} record ${owner}, already migrated to ${targetName} (${match.targetId})`,
            skipMessage: `Same ${what} as ${spec.objectType} record ${owner}; linked to its ${targetName} record ${match.targetId}`,
          }
        : {
            targetId: match.targetId,
            failMessage: `A ${targetName} record with ${what} already exists (${match.targetId})`,
            skipMessage: `A ${targetName} record with ${what} already exists (${match.targetId}); linked to it, not changed`,
          };
    const outcome = duplicatePolicy(ctx, twin, false);
    if (outcome) outcomes.set(match.sourceId, outcome);
  }
}
