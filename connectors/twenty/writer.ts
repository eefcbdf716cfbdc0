// ConnectorSession.write for Twenty: canonical records → payloads → batches of at most 60
// (reference §2.3, §6.1), one WriteResult per request. How a batch is sent, checked and split
// is in batch-sender.ts; this file decides ids, statuses and note/task links.
//
// Modes (§2.4):
// - create: every row gets a Ferry-chosen UUID; plain batch create.
// - upsert: batch create with ?upsert=true; Twenty matches on id and unique fields (email,
//   domain, ferrySourceId…). Rows with a targetId send it as id. Rows with neither a targetId
//   nor any unique value can only ever be created, so they get a Ferry id like creates (their
//   outcome stays checkable). A lookup of the batch's unique values before sending tells
//   "created" from "updated".
// - update: there is no heterogeneous batch PATCH; the documented way is upsert with each
//   row's id (§2.4). The ids are checked first so a vanished record fails as NOT_FOUND instead
//   of being re-created.
import { randomUUID } from "node:crypto";
import { chunks } from "@/connectors/shared/chunks";
import type { HttpClient } from "@/connectors/shared/http-client";
import type { RetryPolicy } from "@/connectors/shared/retry";
import { ConnectorError, isTransientCode } from "@/connectors/types";
import { FERRY_SOURCE_ID_FIELD } from "./capabilities";
import type { ConnectorErrorCode, UnfinishedWrite, WriteMode, WriteRequest, WriteResult } from "@/connectors/types";
import { fetchAllRecords } from "./api";
import { sendBatch } from "./batch-sender";
import type { BatchItem, BatchOutcome } from "./batch-sender";
import type { TwentyObjectPlan } from "./describe";
import { inFilter } from "./filters";
import { payloadToTwenty, UUID_PATTERN } from "./mappers/record";
import type { MemberDirectory, TargetLinkRequest } from "./mappers/record";
import type { TwentyTargetLinkModel } from "./metadata";
import { findHolders, keyValueOf, uniqueKeysFor, uniquesOf } from "./unique-keys";

export type WriterDeps = {
  client: HttpClient;
  sleep: (ms: number) => Promise<void>;
  retry: RetryPolicy;
  /** Records per batch call, read before each batch: it steps down when the server names a lower cap. */
  batchSize: () => number;
  onBatchCap: (cap: number) => void;
  members: () => Promise<MemberDirectory>;
  newId?: () => string;
};

type Prepared = {
  index: number;
  request: WriteRequest;
  item: BatchItem;
  targets: TargetLinkRequest[];
  existed: boolean;
};

function failed(request: WriteRequest, code: ConnectorErrorCode, message: string, field?: string): WriteResult {
  return { sourceId: request.sourceId, status: "failed", error: field ? { code, message, field } : { code, message } };
}

export function hasFerrySourceId(plan: TwentyObjectPlan): boolean {
  return plan.object.fields.some((field) => field.name === FERRY_SOURCE_ID_FIELD && field.active);
}

export async function writeRecords(
  deps: WriterDeps,
  plan: TwentyObjectPlan,
  link: TwentyTargetLinkModel | null,
  requests: WriteRequest[],
  mode: WriteMode,
): Promise<WriteResult[]> {
  const newId = deps.newId ?? randomUUID;
  const plural = plan.object.namePlural;
  const results: (WriteResult | undefined)[] = new Array(requests.length);
  const needsMembers = plan.fields.some((field) => field.description.type === "user");
  const members = needsMembers ? await deps.members() : { byId: new Map(), byEmail: new Map() };
  const uniqueKeys = uniqueKeysFor(plan);
  const stampSourceId = hasFerrySourceId(plan);

  // 1. Map every record; a record that cannot be mapped fails alone, before any request.
  const prepared: Prepared[] = [];
  requests.forEach((request, index) => {
    try {
      const { payload, targets } = payloadToTwenty(request.record, plan, members, mode);
      if (stampSourceId && payload[FERRY_SOURCE_ID_FIELD] === undefined) payload[FERRY_SOURCE_ID_FIELD] = request.sourceId;
      let assignedId: string | null = null;
      if (mode === "update" || (mode === "upsert" && request.targetId)) {
        if (!request.targetId || !UUID_PATTERN.test(request.targetId))
          throw new ConnectorError("VALIDATION", `An update needs the Twenty id of the record (got "${request.targetId ?? ""}")`);
        payload.id = request.targetId;
      }
      const uniques = uniquesOf(payload, uniqueKeys);
      if (mode === "create" || (mode === "upsert" && !request.targetId && uniques.size === 0)) {
        assignedId = newId();
        payload.id = assignedId;
      }
      prepared.push({ index, request, item: { key: index, payload, assignedId, uniques }, targets, existed: mode === "update" });
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      results[index] = failed(request, error.code, error.message, error.field);
    }
  });

  // 2. The same unique value twice in one call: the first keeps it, the others fail (CONFLICT).
  const seen = new Map<string, Prepared>();
  const distinct = prepared.filter((entry) => {
    for (const [key, value] of entry.item.uniques) {
      const first = seen.get(`${key.field}\u0000${value}`);
      if (first) {
        results[entry.index] = failed(
          entry.request,
          "CONFLICT",
          `Duplicate ${key.label} "${value}": record ${first.request.sourceId} in the same batch has it too`,
          key.field,
        );
        return false;
      }
    }
    for (const [key, value] of entry.item.uniques) seen.set(`${key.field}\u0000${value}`, entry);
    return true;
  });

  // 3. Send in batches.
  const written = new Map<number, { prepared: Prepared; id: string }>();
  for (let start = 0; start < distinct.length;) {
    const chunk = distinct.slice(start, start + deps.batchSize());
    start += chunk.length;
    let sendable = chunk;
    if (mode === "update") sendable = await dropMissing(deps, plural, chunk, results);
    if (mode === "upsert") await markExisting(deps, plural, chunk, uniqueKeys);
    if (sendable.length === 0) continue;
    const outcomes = await sendBatch(
      {
        client: deps.client,
        plural,
        mode: mode === "create" ? "create" : "upsert",
        uniqueKeys,
        sleep: deps.sleep,
        retry: deps.retry,
        onBatchCap: deps.onBatchCap,
      },
      sendable.map((entry) => entry.item),
    );
    for (const entry of sendable) {
      const outcome =
        outcomes.get(entry.index) ?? ({ ok: false, error: { code: "UNKNOWN", message: "No outcome was recorded for this record" } } satisfies BatchOutcome);
      if (!outcome.ok) {
        results[entry.index] = failed(entry.request, outcome.error.code, outcome.error.message, outcome.error.field);
        continue;
      }
      results[entry.index] = { sourceId: entry.request.sourceId, status: entry.existed ? "updated" : "created", targetId: outcome.id };
      written.set(entry.index, { prepared: entry, id: outcome.id });
    }
  }

  // 4. Notes and tasks: one noteTargets/taskTargets row per linked record (§4).
  const withTargets = [...written.values()].filter((entry) => entry.prepared.targets.length > 0);
  if (withTargets.length > 0) {
    if (!link) throw new ConnectorError("UNKNOWN", `Twenty has no link object for ${plural}`);
    await writeTargets(deps, plural, link, withTargets, results, newId);
  }
  return results.map((result, index) => result ?? failed(requests[index], "UNKNOWN", "No outcome was recorded for this record"));
}

/** Update mode: ids that no longer exist fail as NOT_FOUND (an upsert would re-create them). */
async function dropMissing(deps: WriterDeps, plural: string, chunk: Prepared[], results: (WriteResult | undefined)[]): Promise<Prepared[]> {
  const ids = chunk.map((entry) => entry.request.targetId as string);
  // §2.2: id[in]:[…] at depth 0.
  const found = new Set((await fetchAllRecords(deps.client, plural, inFilter("id", ids))).map((record) => record.id));
  return chunk.filter((entry) => {
    if (found.has(entry.request.targetId as string)) return true;
    results[entry.index] = failed(entry.request, "NOT_FOUND", `No Twenty ${plural} record with id ${entry.request.targetId}`);
    return false;
  });
}

/** Upsert mode: which rows will match an existing record (by id or a unique value), to report "updated". */
async function markExisting(deps: WriterDeps, plural: string, chunk: Prepared[], uniqueKeys: ReturnType<typeof uniqueKeysFor>): Promise<void> {
  const ids = chunk.map((entry) => entry.request.targetId).filter((id): id is string => Boolean(id));
  const records = await findHolders(
    deps.client,
    plural,
    ids,
    uniqueKeys,
    chunk.map((entry) => entry.item.uniques),
  );
  const existingIds = new Set(records.map((record) => record.id));
  const held = new Set(records.flatMap((record) => uniqueKeys.map((key) => `${key.field}\u0000${keyValueOf(key, record)}`)));
  for (const entry of chunk) {
    if (entry.request.targetId && existingIds.has(entry.request.targetId)) entry.existed = true;
    for (const [key, value] of entry.item.uniques) if (held.has(`${key.field}\u0000${value}`)) entry.existed = true;
  }
}

/**
 * Creates the link rows of written notes/tasks. Rows already linking an updated parent are not
 * sent again. A link row refused for a passing reason (429, 5xx, timeout) leaves its parent
 * written but `unfinished`: the engine writes it again later as an update, which sends only the
 * rows still missing. A link row Twenty rejects (the linked record is gone) fails its parent: a
 * parent created by this call is deleted again, so a retry starts clean instead of leaving an
 * unlinked note behind.
 */
async function writeTargets(
  deps: WriterDeps,
  plural: string,
  link: TwentyTargetLinkModel,
  parents: { prepared: Prepared; id: string }[],
  results: (WriteResult | undefined)[],
  newId: () => string,
): Promise<void> {
  const updatedIds = parents.filter((parent) => results[parent.prepared.index]?.status === "updated").map((parent) => parent.id);
  const existing = new Set<string>();
  if (updatedIds.length > 0) {
    for (const row of await fetchAllRecords(deps.client, link.joinObject, inFilter(link.parentColumn, updatedIds))) {
      for (const column of link.columns.values()) if (typeof row[column] === "string") existing.add(`${row[link.parentColumn]}|${column}|${row[column]}`);
    }
  }
  const rows: { parent: { prepared: Prepared; id: string }; item: BatchItem; target: TargetLinkRequest }[] = [];
  for (const parent of parents) {
    for (const target of parent.prepared.targets) {
      const signature = `${parent.id}|${target.column}|${target.id}`;
      if (existing.has(signature)) continue;
      existing.add(signature);
      const id = newId();
      rows.push({
        parent,
        target,
        item: { key: rows.length, payload: { id, [link.parentColumn]: parent.id, [target.column]: target.id }, assignedId: id, uniques: new Map() },
      });
    }
  }
  const failures = new Map<number, string>();
  const unfinished = new Map<number, UnfinishedWrite>();
  const landed = new Map<number, string[]>();
  for (const chunk of chunks(rows, deps.batchSize())) {
    const outcomes = await sendBatch(
      { client: deps.client, plural: link.joinObject, mode: "create", uniqueKeys: [], sleep: deps.sleep, retry: deps.retry, onBatchCap: deps.onBatchCap },
      chunk.map((row) => row.item),
    );
    for (const row of chunk) {
      const outcome = outcomes.get(row.item.key);
      const parentIndex = row.parent.prepared.index;
      if (outcome?.ok) landed.set(parentIndex, [...(landed.get(parentIndex) ?? []), outcome.id]);
      else if (outcome && isTransientCode(outcome.error.code)) {
        if (!unfinished.has(parentIndex))
          unfinished.set(parentIndex, {
            code: outcome.error.code,
            message: `Its link to ${row.target.target} record ${row.target.id} is written later: ${outcome.error.message}`,
          });
      } else if (!failures.has(parentIndex))
        failures.set(parentIndex, `Could not link it to ${row.target.target} record ${row.target.id}: ${outcome?.error.message ?? "no answer"}`);
    }
  }
  for (const [parentIndex, pending] of unfinished) {
    const result = results[parentIndex];
    if (failures.has(parentIndex) || !result || result.status === "failed") continue;
    results[parentIndex] = { ...result, unfinished: pending };
  }
  for (const [parentIndex, message] of failures) {
    const parent = parents.find((candidate) => candidate.prepared.index === parentIndex);
    if (!parent) continue;
    if (results[parentIndex]?.status === "created") {
      // §2: DELETE /rest/{plural}/{id} destroys; the links that did land go first.
      for (const rowId of landed.get(parentIndex) ?? []) await deleteQuietly(deps.client, link.joinObject, rowId);
      await deleteQuietly(deps.client, plural, parent.id);
    }
    results[parentIndex] = failed(parent.prepared.request, "VALIDATION", message);
  }
}

async function deleteQuietly(client: HttpClient, plural: string, id: string): Promise<void> {
  try {
    await client.request({ method: "DELETE", path: `/rest/${plural}/${id}` });
  } catch (error) {
    if (!(error instanceof ConnectorError) || error.code !== "NOT_FOUND") throw error;
  }
}
