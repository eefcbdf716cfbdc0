// ConnectorSession.write for Pipedrive: one request per record, since the API has no batch create
// and no client-chosen ids (reference §8). Every record is stamped with its source id in the
// object's "Ferry source id" field where it has one, so findExisting recognises it after a crash.
//
// Creates are sent without the client's retries: a 5xx may come after the record was created (a
// lost answer), and sending it again would make a second one. A refused create (429) never
// landed, so it is sent again after the wait the answer asked for. A wait that lasts, or an outage,
// ends the batch: the record and the ones after it are reported with the transient code, which
// the engine retries later (a record whose create answer was lost is then found by findExisting).
import type { RetryPolicy } from "@/connectors/shared/retry";
import { ConnectorError, isTransientCode } from "@/connectors/types";
import type { WriteMode, WriteRequest, WriteResult } from "@/connectors/types";
import type { HttpClient } from "@/connectors/shared/http-client";
import { createItem, updateItem } from "./api";
import type { MapperContext } from "./mappers/fields";
import { toBody } from "./mappers/record";
import { ferrySourceIdCode } from "./model";
import { resourceOf } from "./reader";

export type WriterDeps = {
  client: HttpClient;
  context: () => Promise<MapperContext>;
  sleep: (ms: number) => Promise<void>;
  retry: RetryPolicy;
};

/** A create refused with 429 is sent again after the hinted wait, as often as the retry policy allows. */
async function createWithWaits(deps: WriterDeps, objectType: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await createItem(deps.client, resourceOf(objectType), body);
    } catch (error) {
      const waitMs =
        error instanceof ConnectorError && error.code === "RATE_LIMITED"
          ? (error.retryAfterMs ?? deps.retry.rateLimitedBaseDelayMs ?? deps.retry.baseDelayMs)
          : null;
      if (waitMs === null || attempt >= deps.retry.maxAttempts || waitMs > deps.retry.maxDelayMs) throw error;
      await deps.sleep(waitMs);
    }
  }
}

function failure(sourceId: string, error: ConnectorError): WriteResult {
  return { sourceId, status: "failed", error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } };
}

export async function writeRecords(deps: WriterDeps, objectType: string, requests: WriteRequest[], mode: WriteMode = "create"): Promise<WriteResult[]> {
  const resource = resourceOf(objectType);
  const ctx = await deps.context();
  const stampCode = ferrySourceIdCode(ctx.model, objectType);
  const results: WriteResult[] = [];
  let stopped: ConnectorError | null = null;
  for (const request of requests) {
    if (stopped) {
      results.push(failure(request.sourceId, stopped));
      continue;
    }
    const update = request.targetId !== undefined && mode !== "create";
    try {
      const body = toBody(objectType, request.record, ctx, { create: !update, sourceId: request.sourceId, stampCode });
      const written = update ? await updateItem(deps.client, resource, request.targetId as string, body) : await createWithWaits(deps, objectType, body);
      results.push({ sourceId: request.sourceId, status: update ? "updated" : "created", targetId: String(written.id ?? request.targetId) });
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      if (error.code === "AUTH_INVALID") throw error;
      if (isTransientCode(error.code)) stopped = error;
      results.push(failure(request.sourceId, error));
    }
  }
  return results;
}
