// Sends rows to `POST /rest/batch/{plural}` (reference §2.3, §2.4) and makes sure every row ends
// up with exactly one outcome, without ever creating a row twice:
//
// - Batch writes are sent with `retry: false`: a 5xx or a timeout may come after Twenty applied
//   the write, so a blind retry could double it. Every row Ferry creates carries an `id` chosen
//   by Ferry (§2: clients may supply their own UUID), which makes the outcome checkable.
// - After any failed call, one GET looks for those ids (`id[in]:[…]`): rows found are done, only
//   the others are sent again. A re-sent row that did land meanwhile is refused by Twenty as
//   "already exists" (same id) instead of being created twice; the next look finds it.
// - 429 means the call was refused before it ran: it is re-sent as is after a wait.
// - "Maximum number of records to upsert is N." (§2.3) is refused before anything is written:
//   the rows are re-sent in batches of N, and N is remembered for the workspace (batch-limit.ts).
// - A 400 fails the whole batch (§6.3, [U] atomic). Ferry names the offending row from the same
//   GET (which also asks for the batch's unique values: emails, domains, custom unique fields)
//   and from values quoted in Twenty's message, fails that row only (CONFLICT naming the value)
//   and re-sends the rest; when nothing names the culprit the batch is split in halves until
//   the failing row stands alone.
// (Teamwork Desk's create-once.ts solves the same problem for single creates without ids, by
// natural-key lookup; the two share the retry rules of connectors/shared/retry.ts, not code.)
import type { HttpClient } from "@/connectors/shared/http-client";
import { backoffBaseDelayMs, backoffDelayMs } from "@/connectors/shared/retry";
import type { RetryPolicy } from "@/connectors/shared/retry";
import { ConnectorError } from "@/connectors/types";
import type { ConnectorErrorCode } from "@/connectors/types";
import { writtenRecords } from "./api";
import { isDuplicateMessage } from "./client";
import type { TwentyRecord } from "./raw-schemas";
import { findHolders, keyValueOf, normalizeKeyValue } from "./unique-keys";
import type { UniqueKey } from "./unique-keys";
import { announceRateLimitWait } from "@/connectors/shared/request-observer";
import { chunks } from "@/connectors/shared/chunks";
import { batchCapOf } from "./batch-limit";

export type BatchItem = {
  key: number;
  payload: Record<string, unknown>;
  /** The id Ferry chose for a row it creates; its presence in Twenty proves the row landed. */
  assignedId: string | null;
  /** Comparable unique values of the row, by key field. */
  uniques: Map<UniqueKey, string>;
};

export type BatchOutcome = { ok: true; id: string } | { ok: false; error: { code: ConnectorErrorCode; message: string; field?: string } };

export type BatchContext = {
  client: HttpClient;
  plural: string;
  /** "create" posts plain rows; "upsert" adds ?upsert=true (§2.4). */
  mode: "create" | "upsert";
  uniqueKeys: UniqueKey[];
  sleep: (ms: number) => Promise<void>;
  retry: RetryPolicy;
  /** Told when the server refused a batch as too large, with the cap it named (60 if none). */
  onBatchCap?: (cap: number) => void;
};

type Probe = { landed: Map<BatchItem, TwentyRecord>; conflicts: Map<BatchItem, { key: UniqueKey; value: string; existingId: string }> };

const QUOTED = /["“']([^"”']{2,})["”']/g;

function failure(code: ConnectorErrorCode, message: string, field?: string): BatchOutcome {
  return { ok: false, error: field ? { code, message, field } : { code, message } };
}

function isRejection(error: ConnectorError): boolean {
  return error.code === "VALIDATION" || error.code === "CONFLICT";
}

/** Looks up, in one GET, which rows landed (by Ferry's ids) and, if asked, which unique values other records already hold. */
async function probe(context: BatchContext, items: BatchItem[], withConflicts: boolean): Promise<Probe> {
  const ids = items.map((item) => item.assignedId).filter((id): id is string => id !== null);
  const result: Probe = { landed: new Map(), conflicts: new Map() };
  const records = await findHolders(
    context.client,
    context.plural,
    ids,
    withConflicts ? context.uniqueKeys : [],
    items.map((item) => item.uniques),
  );
  const byAssignedId = new Map(items.filter((item) => item.assignedId).map((item) => [item.assignedId as string, item]));
  for (const record of records) {
    const mine = byAssignedId.get(record.id);
    if (mine) result.landed.set(mine, record);
  }
  for (const record of records) {
    if (byAssignedId.has(record.id)) continue;
    for (const key of context.uniqueKeys) {
      const held = keyValueOf(key, record);
      if (held === null) continue;
      for (const item of items) {
        if (!result.landed.has(item) && !result.conflicts.has(item) && item.uniques.get(key) === held)
          result.conflicts.set(item, { key, value: held, existingId: record.id });
      }
    }
  }
  return result;
}

function conflictMessage(context: BatchContext, key: UniqueKey, value: string, existingId?: string): string {
  const holder = existingId ? `Twenty ${context.plural} record ${existingId}` : `another Twenty ${context.plural} record`;
  return `Duplicate ${key.label} "${value}": already used by ${holder}`;
}

/** Rows a rejected batch can be blamed on: values other records hold, or values quoted in Twenty's message. */
function offendersOf(context: BatchContext, items: BatchItem[], error: ConnectorError, found: Probe): Map<BatchItem, BatchOutcome> {
  const offenders = new Map<BatchItem, BatchOutcome>();
  for (const [item, conflict] of found.conflicts)
    offenders.set(item, failure("CONFLICT", conflictMessage(context, conflict.key, conflict.value, conflict.existingId), conflict.key.field));
  const quoted = [...error.message.matchAll(QUOTED)].map((match) => match[1]);
  for (const text of quoted) {
    for (const key of context.uniqueKeys) {
      const value = normalizeKeyValue(key, text);
      if (value === null) continue;
      for (const item of items) {
        if (!offenders.has(item) && item.uniques.get(key) === value)
          offenders.set(item, failure("CONFLICT", `${conflictMessage(context, key, value)} (${error.message})`, key.field));
      }
    }
  }
  return offenders;
}

/** The outcome of a row that was rejected on its own. */
function rejectionOf(context: BatchContext, item: BatchItem, error: ConnectorError, found: Probe): BatchOutcome {
  const conflict = found.conflicts.get(item);
  if (conflict) return failure("CONFLICT", conflictMessage(context, conflict.key, conflict.value, conflict.existingId), conflict.key.field);
  if (error.code === "CONFLICT" || isDuplicateMessage(error.message)) {
    const named = [...item.uniques].map(([key, value]) => `${key.label} "${value}"`).join(", ");
    return failure("CONFLICT", named ? `Duplicate ${named}: ${error.message}` : error.message, [...item.uniques.keys()][0]?.field);
  }
  return failure(error.code, error.message, error.field);
}

async function post(context: BatchContext, items: BatchItem[]): Promise<TwentyRecord[]> {
  // §2.3 batch create: body is a JSON array, answer { data: { createPeople: [...] } } in input
  // order; §2.4: ?upsert=true. Not retried by the client: see the header comment.
  const response = await context.client.request({
    method: "POST",
    path: `/rest/batch/${context.plural}`,
    query: context.mode === "upsert" ? { upsert: true } : undefined,
    body: items.map((item) => item.payload),
    retry: false,
  });
  return writtenRecords(response.data, context.plural);
}

function settle(items: BatchItem[], written: TwentyRecord[], outcomes: Map<number, BatchOutcome>): BatchItem[] {
  const byId = new Map(written.map((record) => [record.id, record]));
  const unmatched: BatchItem[] = [];
  items.forEach((item, position) => {
    const record = (item.assignedId ? byId.get(item.assignedId) : undefined) ?? (written.length === items.length ? written[position] : undefined);
    if (record) outcomes.set(item.key, { ok: true, id: record.id });
    else unmatched.push(item);
  });
  return unmatched;
}

/**
 * Writes `items` (at most one batch) and returns one outcome per item key. Throws only for
 * errors that concern the whole connection (bad key, missing permission).
 */
export async function sendBatch(context: BatchContext, items: BatchItem[]): Promise<Map<number, BatchOutcome>> {
  const outcomes = new Map<number, BatchOutcome>();
  await sendGroup(context, items, outcomes);
  return outcomes;
}

async function sendGroup(context: BatchContext, items: BatchItem[], outcomes: Map<number, BatchOutcome>): Promise<void> {
  let pending = items;
  let temporaryAttempts = 0;
  let rateLimitedAttempts = 0;
  while (pending.length > 0) {
    let error: ConnectorError;
    try {
      const unmatched = settle(pending, await post(context, pending), outcomes);
      if (unmatched.length === 0) return;
      error = new ConnectorError("UNKNOWN", `Twenty's answer did not include ${unmatched.length} of the rows sent`);
      pending = unmatched;
    } catch (caught) {
      if (!(caught instanceof ConnectorError)) throw caught;
      error = caught;
    }
    if (error.code === "AUTH_INVALID" || error.code === "PERMISSION_DENIED") throw error;
    if (error.code === "NOT_FOUND") {
      for (const item of pending) outcomes.set(item.key, failure("NOT_FOUND", error.message));
      return;
    }
    if (error.code === "RATE_LIMITED") {
      // Refused before it ran (§6.1): safe to send again once the window has room.
      rateLimitedAttempts += 1;
      if (rateLimitedAttempts >= context.retry.maxAttempts) {
        for (const item of pending) outcomes.set(item.key, failure("RATE_LIMITED", error.message));
        return;
      }
      // With Retry-After the client's limiter already holds every request back; without it, back off here.
      if (error.retryAfterMs === undefined) {
        const delayMs = backoffDelayMs(rateLimitedAttempts, backoffBaseDelayMs(context.retry, true), context.retry.maxDelayMs);
        announceRateLimitWait(delayMs);
        await context.sleep(delayMs);
      }
      continue;
    }
    const cap = batchCapOf(error);
    if (cap !== null && cap < pending.length) {
      // Refused before any write (§2.3): no row landed, so the same rows go again, smaller.
      context.onBatchCap?.(cap);
      for (const smaller of chunks(pending, cap)) await sendGroup(context, smaller, outcomes);
      return;
    }
    let found: Probe;
    try {
      // Existing holders of the batch's unique values explain a rejected create; an upsert is meant to match them.
      found = await probe(context, pending, isRejection(error) && context.mode === "create");
    } catch (probeError) {
      // Cannot tell what landed: re-sending could double rows, so report them unresolved.
      const reason = probeError instanceof Error ? probeError.message : String(probeError);
      for (const item of pending)
        outcomes.set(
          item.key,
          failure(
            "TEMPORARY",
            `Twenty did not confirm this write (${error.message}) and the check afterwards failed (${reason}); it may exist already — look it up before writing it again`,
          ),
        );
      return;
    }
    for (const [item, record] of found.landed) outcomes.set(item.key, { ok: true, id: record.id });
    pending = pending.filter((item) => !found.landed.has(item));
    if (pending.length === 0) return;
    if (!isRejection(error)) {
      temporaryAttempts += 1;
      if (temporaryAttempts >= context.retry.maxAttempts) {
        for (const item of pending) outcomes.set(item.key, failure(error.code === "UNKNOWN" ? "UNKNOWN" : "TEMPORARY", error.message));
        return;
      }
      await context.sleep(error.retryAfterMs ?? backoffDelayMs(temporaryAttempts, context.retry.baseDelayMs, context.retry.maxDelayMs));
      continue;
    }
    if (pending.length === 1) {
      outcomes.set(pending[0].key, rejectionOf(context, pending[0], error, found));
      return;
    }
    const offenders = offendersOf(context, pending, error, found);
    if (offenders.size > 0) {
      for (const [item, outcome] of offenders) outcomes.set(item.key, outcome);
      pending = pending.filter((item) => !offenders.has(item));
      temporaryAttempts = 0;
      continue;
    }
    const middle = Math.ceil(pending.length / 2);
    await sendGroup(context, pending.slice(0, middle), outcomes);
    await sendGroup(context, pending.slice(middle), outcomes);
    return;
  }
}
