// After a crash (or a write whose answer never came), links stay `pending`: the write may or may
// not have landed. Before anything is written again, each pending create is looked up in the
// target with findExisting (its unique values, and its source id, which Twenty matches through
// ferrySourceId): found → created (and its content written once more, in case the crash cut a
// multi-step write short); not found → back to its previous state, so the page re-read writes it.
// Pending updates go back to their previous state: writing an update again is harmless.
import type { ExistingKey } from "@/connectors/types";
import { addCount, commit, type Counts, type LinkWrite } from "./commit";
import type { RunContext } from "./context";
import { parseJsonColumn } from "./database";
import { plural } from "./events";
import { findInTarget, unclaimedMatches } from "./existing";
import { foundLinkWrite, pendingKeysSchema, pendingLinksOf, restoreWrite, type LinkRow } from "./record-map";

const LOOKUP_CHUNK = 50;

export type ReconcileResult = { found: number; rewritten: number; restored: number };

type Settling = ReconcileResult & { writes: LinkWrite[]; counts: Map<string, Counts> };

/** The pending creates of one source object (and target object), settled against what the target holds. */
async function settleCreates(ctx: RunContext, links: LinkRow[], settling: Settling): Promise<void> {
  const targetObject = links[0].targetObjectType;
  if (!targetObject) {
    for (const link of links) settling.writes.push(restoreWrite(link, true));
    settling.rewritten += links.length;
    return;
  }
  const matches = new Map<string, string>();
  for (let start = 0; start < links.length; start += LOOKUP_CHUNK) {
    const chunk = links.slice(start, start + LOOKUP_CHUNK);
    const keys: ExistingKey[] = chunk.map((link) => ({ sourceId: link.sourceId, keys: parseJsonColumn(link.pendingKeys, pendingKeysSchema, {}) }));
    for (const match of await findInTarget(ctx, targetObject, keys)) matches.set(match.sourceId, match.targetId);
  }
  // A match already linked to another source record is that record's (a duplicate in the source), not this one's.
  // Every link holding the target id counts, pending ones too: a pending update (a record found
  // by an earlier reconciliation whose content was being written once more) keeps its target id
  // and goes back to it in reconcilePending. Leaving it out let a same-name pending create (Teamwork Desk
  // companies match by name) take that record: two source records on one target record, and the
  // second never written. Only the creates settled here are left out: they hold no claim yet.
  const candidates = [...matches].map(([sourceId, targetId]) => ({ sourceId, targetId }));
  const free = new Set((await unclaimedMatches(ctx, links[0].objectType, candidates, new Set(links.map((link) => link.id)))).map((match) => match.targetId));
  const taken = new Set<string>();
  for (const link of links) {
    const targetId = matches.get(link.sourceId);
    if (targetId && free.has(targetId) && !taken.has(targetId)) {
      taken.add(targetId);
      settling.writes.push(foundLinkWrite(link, ctx.run.id, targetId));
      addCount(settling.counts, link.objectType, "created");
      settling.found += 1;
    } else {
      settling.writes.push(restoreWrite(link, true));
      settling.rewritten += 1;
    }
  }
}

function reconciledMessage(targetName: string, { found, rewritten, restored }: ReconcileResult): string {
  return (
    `Picked up after an interruption: ${plural(found, "record")} ${found === 1 ? "was" : "were"} found already written to ${targetName} and kept, ` +
    `${plural(rewritten, "record")} ${rewritten === 1 ? "was" : "were"} not there and will be written again` +
    (restored > 0 ? `, ${plural(restored, "update")} will be sent again.` : ".")
  );
}

/** Settles this run's pending links. Throws connector errors (the caller's error policy decides). */
export async function reconcilePending(ctx: RunContext): Promise<ReconcileResult> {
  const pending = await pendingLinksOf(ctx.database, ctx.run.id);
  if (pending.length === 0) return { found: 0, rewritten: 0, restored: 0 };
  const settling: Settling = { found: 0, rewritten: 0, restored: 0, writes: [], counts: new Map() };
  for (const link of pending.filter((candidate) => candidate.pendingMode !== "create")) {
    settling.writes.push(restoreWrite(link, false));
    settling.restored += 1;
  }
  const groups = new Map<string, LinkRow[]>();
  for (const link of pending.filter((candidate) => candidate.pendingMode === "create")) {
    const key = `${link.objectType}\u0000${link.targetObjectType ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), link]);
  }
  for (const links of groups.values()) await settleCreates(ctx, links, settling);
  const { found, rewritten, restored } = settling;
  await commit(ctx, {
    links: settling.writes,
    counts: settling.counts,
    events: [{ kind: "reconciled", message: reconciledMessage(ctx.target.system.name, settling), data: { found, rewritten, restored } }],
  });
  return { found, rewritten, restored };
}
