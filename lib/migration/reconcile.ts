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
import { ATTEMPTED, LINK_SELECT, parsePreviousState, pendingKeysSchema, type LinkRow } from "./record-map";

const LOOKUP_CHUNK = 50;

export type ReconcileResult = { found: number; rewritten: number; restored: number };

/** Back to the state before the write; a create also remembers it was attempted (see ATTEMPTED). */
function restoreWrite(link: LinkRow, attempted: boolean): LinkWrite {
  const previous = parsePreviousState(link);
  if (!previous && !attempted) return { op: "delete", id: link.id };
  const state = previous ?? { status: "failed", runId: null, targetId: null, errorCode: "INTERRUPTED", errorMessage: "The write was interrupted; Ferry writes it again.", pendingMode: null };
  return {
    op: "update",
    id: link.id,
    data: {
      status: state.status,
      runId: state.runId,
      targetId: state.targetId,
      errorCode: state.errorCode,
      errorMessage: state.errorMessage,
      pendingMode: attempted ? ATTEMPTED : state.pendingMode,
      pendingKeys: null,
      previous: null,
    },
  };
}

/** Settles this run's pending links. Throws connector errors (the caller's error policy decides). */
export async function reconcilePending(ctx: RunContext): Promise<ReconcileResult> {
  const pending = await ctx.database.recordLink.findMany({ where: { runId: ctx.run.id, status: "pending" }, select: LINK_SELECT });
  if (pending.length === 0) return { found: 0, rewritten: 0, restored: 0 };
  const writes: LinkWrite[] = [];
  const counts = new Map<string, Counts>();
  let found = 0;
  let rewritten = 0;
  let restored = 0;

  const creates = pending.filter((link) => link.pendingMode === "create");
  for (const link of pending.filter((candidate) => candidate.pendingMode !== "create")) {
    writes.push(restoreWrite(link, false));
    restored += 1;
  }

  const groups = new Map<string, LinkRow[]>();
  for (const link of creates) {
    const key = `${link.objectType}\u0000${link.targetObjectType ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), link]);
  }
  for (const links of groups.values()) {
    const targetObject = links[0].targetObjectType;
    if (!targetObject) {
      for (const link of links) writes.push(restoreWrite(link, true));
      rewritten += links.length;
      continue;
    }
    const matches = new Map<string, string>();
    for (let start = 0; start < links.length; start += LOOKUP_CHUNK) {
      const chunk = links.slice(start, start + LOOKUP_CHUNK);
      const keys: ExistingKey[] = chunk.map((link) => ({ sourceId: link.sourceId, keys: parseJsonColumn(link.pendingKeys, pendingKeysSchema, {}) }));
      for (const match of await ctx.target.session.findExisting(targetObject, keys)) matches.set(match.sourceId, match.targetId);
    }
    // A match already linked to another source record is that record's (a duplicate in the source), not this one's.
    // Every link holding the target id counts, pending ones too: a pending update (a record found
    // by an earlier reconciliation whose content was being written once more) keeps its target id
    // and goes back to it just above. Leaving it out let a same-name pending create (Teamwork Desk
    // companies match by name) take that record: two source records on one target record, and the
    // second never written. Only the creates settled here are left out: they hold no claim yet.
    const settling = new Set(links.map((link) => link.id));
    const claimed = new Set(
      (
        await ctx.database.recordLink.findMany({
          where: { migrationId: ctx.run.migrationId, objectType: links[0].objectType, targetId: { in: [...matches.values()] } },
          select: { id: true, targetId: true },
        })
      )
        .filter((row) => !settling.has(row.id))
        .map((row) => row.targetId),
    );
    for (const link of links) {
      const targetId = matches.get(link.sourceId);
      if (targetId && !claimed.has(targetId)) {
        claimed.add(targetId);
        writes.push({
          op: "update",
          id: link.id,
          data: { status: "created", targetId, createdByRunId: ctx.run.id, errorCode: null, errorMessage: null, pendingMode: "refresh", pendingKeys: null, previous: null },
        });
        addCount(counts, link.objectType, "created");
        found += 1;
      } else {
        writes.push(restoreWrite(link, true));
        rewritten += 1;
      }
    }
  }

  const targetName = ctx.target.system.name;
  await commit(ctx, {
    links: writes,
    counts,
    events: [
      {
        kind: "reconciled",
        message:
          `Picked up after an interruption: ${plural(found, "record")} ${found === 1 ? "was" : "were"} found already written to ${targetName} and kept, ` +
          `${plural(rewritten, "record")} ${rewritten === 1 ? "was" : "were"} not there and will be written again` +
          (restored > 0 ? `, ${plural(restored, "update")} will be sent again.` : "."),
        data: { found, rewritten, restored },
      },
    ],
  });
  return { found, rewritten, restored };
}
