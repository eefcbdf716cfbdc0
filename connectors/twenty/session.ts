// A session with one Twenty workspace: one HTTP client (and so one rate limiter) per session,
// the workspace's data model, members, workflows and webhooks read once per session (sessions
// are opened per request, per run slice and per CLI run); fixes patch what they change in.
import { randomUUID } from "node:crypto";
import { assertPublicBaseUrl } from "@/connectors/shared/host-guard";
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse } from "@/connectors/shared/http-client";
import { realSleep } from "@/connectors/shared/rate-limiter";
import { DEFAULT_RETRY_POLICY } from "@/connectors/shared/retry";
import type { RetryPolicy } from "@/connectors/shared/retry";
import { ConnectorError } from "@/connectors/types";
import type { AccountInfo, ConnectorSession, UserRef } from "@/connectors/types";
import { fetchAllRecords, fetchMetadataObjects } from "./api";
import { serverBatchCapFor } from "./batch-limit";
import { createTwentyClient, twentyBudgetOf } from "./client";
import { noteThreadPlans, planWorkspace } from "./describe";
import type { TwentyObjectPlan } from "./describe";
import { findExistingRecords } from "./find-existing";
import { twentyCredentialSchema, TWENTY_MAX_BATCH_SIZE, TWENTY_RATE_LIMIT } from "./manifest";
import type { TwentyCredentials } from "./manifest";
import { memberDirectory } from "./mappers/record";
import type { MemberDirectory } from "./mappers/record";
import { buildWorkspaceModel } from "./metadata";
import type { TwentyWorkspaceModel } from "./metadata";
import { applyPrerequisiteFix, checkPrerequisites } from "./prerequisites";
import { TwentyCurrentWorkspaceSchema, TwentyFieldMetadataSchema, TwentyListResponseSchema, TwentyWorkspaceMemberSchema } from "./raw-schemas";
import type { TwentyObjectMetadata } from "./raw-schemas";
import { countRecords, readRecords } from "./reader";
import type { NoteThreadsToRead } from "./reader";
import { removeRecords } from "./remove";
import { archiveRecords, readVersions } from "./sync";
import { writeRecords } from "./writer";
import { lazy } from "@/connectors/shared/lazy";

/** Timeouts, retries and clock go to the HTTP client as given (tests make them fast). */
export type TwentySessionOptions = Pick<HttpClientOptions, "retry" | "timeoutMs" | "sleep" | "now" | "onRetry"> & {
  /** Allow loopback/private base URLs (sandboxes, tests). Off by default (SSRF guard). */
  allowPrivateHosts?: boolean;
  /** Client-side limit; defaults to the published 100 requests/minute (§6.1). null = none. */
  rateLimit?: { requests: number; perMs: number } | null;
  maxBatchSize?: number;
  newId?: () => string;
};

export type TwentySession = ConnectorSession & {
  /** Requests sent, retries, 429s and time waited, for tests and the run dashboard. */
  readonly stats: HttpClient["stats"];
  readonly baseUrl: string;
};

/** A connection failure during verify(), reworded to name the address the user typed. */
function connectionError(error: unknown, baseUrl: string): unknown {
  if (!(error instanceof ConnectorError)) return error;
  const detail = error.message;
  switch (error.code) {
    case "AUTH_INVALID":
      return new ConnectorError(
        "AUTH_INVALID",
        `Twenty at ${baseUrl} rejected the API key (${detail}). Copy the key again from Settings → APIs & Webhooks; it may have expired or been deleted.`,
        { status: error.status },
      );
    case "NOT_FOUND":
      return new ConnectorError(
        "NOT_FOUND",
        `No Twenty API answered at ${baseUrl} (${detail}). Check the server address: Twenty Cloud is https://api.twenty.com, a self-hosted Twenty is the address you open it at.`,
        { status: error.status },
      );
    case "TEMPORARY":
      if (detail.startsWith("Ferry cannot reach")) return error;
      return new ConnectorError(error.code, `Twenty at ${baseUrl} could not be reached (${detail}). Check the address and try again in a moment.`, {
        status: error.status,
        retryAfterMs: error.retryAfterMs,
      });
    case "RATE_LIMITED":
      return new ConnectorError(error.code, `Twenty at ${baseUrl} could not be reached (${detail}). Check the address and try again in a moment.`, {
        status: error.status,
        retryAfterMs: error.retryAfterMs,
      });
    case "UNKNOWN":
      return new ConnectorError("NOT_FOUND", `${baseUrl} answered, but not like a Twenty API (${detail}). Check the server address.`, { status: error.status });
    default:
      return error;
  }
}

export function createTwentySession(credentials: TwentyCredentials, options: TwentySessionOptions = {}): TwentySession {
  const parsed = twentyCredentialSchema.safeParse(credentials);
  const baseUrl = parsed.success ? parsed.data.baseUrl : String(credentials.baseUrl ?? "");
  const sleep = options.sleep ?? realSleep;
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const maxBatchSize = Math.min(options.maxBatchSize ?? TWENTY_MAX_BATCH_SIZE, TWENTY_MAX_BATCH_SIZE);
  const hostGuard = { allowPrivateHosts: options.allowPrivateHosts, publicTargets: "publicly reachable Twenty servers", field: "baseUrl" };
  // §2.3: what this workspace's server was seen to take, shared by every session of it.
  const serverCap = serverBatchCapFor(twentyBudgetOf(baseUrl, parsed.success ? parsed.data.apiKey : ""));
  const raw = createTwentyClient({
    baseUrl,
    apiKey: parsed.success ? parsed.data.apiKey : "",
    rateLimit: options.rateLimit === undefined ? TWENTY_RATE_LIMIT : options.rateLimit,
    timeoutMs: options.timeoutMs,
    retry,
    // Only an injected sleep: with the real one the client takes the process's shared limiter of this workspace.
    sleep: options.sleep,
    now: options.now,
    onRetry: options.onRetry,
    hostGuard,
  });

  // Credentials and the address's shape are checked once, before the first request leaves; the
  // address each connection reaches is checked by the HTTP client (SSRF, DNS rebinding).
  const guard = lazy(async () => {
    if (!parsed.success)
      throw new ConnectorError("VALIDATION", `Twenty credentials are not valid: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`);
    assertPublicBaseUrl(baseUrl, hostGuard);
  });
  const client: HttpClient = {
    async request<T>(call: HttpRequest<T>): Promise<HttpResponse<T>> {
      await guard.get();
      return raw.request(call);
    },
    get stats() {
      return raw.stats;
    },
  };

  // The data model is read once per session (one token, §6.1): describe(), the prerequisite checks
  // and every fix use it; a field a fix creates or changes is patched in from Twenty's answer.
  const metadata = lazy<TwentyObjectMetadata[]>(() => fetchMetadataObjects(client));
  const model = lazy<TwentyWorkspaceModel>(async () => buildWorkspaceModel(await metadata.get()));
  const plans = lazy(async () => planWorkspace(await model.get()));
  const users = lazy<UserRef[]>(async () => listUsers());
  const members = lazy<MemberDirectory>(async () => memberDirectory(await users.get()));
  const refreshUsers = () => {
    users.reset();
    members.reset();
  };
  const invalidate = () => {
    metadata.reset();
    model.reset();
    plans.reset();
  };
  const fieldChanged = async (answer: Record<string, unknown>, objectMetadataId: string) => {
    const field = TwentyFieldMetadataSchema.safeParse(answer);
    const objects = await metadata.get();
    const object = objects.find((candidate) => candidate.id === ((field.success && field.data.objectMetadataId) || objectMetadataId));
    if (!field.success || !object?.fields) {
      invalidate();
      return;
    }
    object.fields = [...object.fields.filter((candidate) => candidate.id !== field.data.id), field.data];
    model.reset();
    plans.reset();
  };
  const onceReads = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let pending = onceReads.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = load().catch((error: unknown) => {
        onceReads.delete(key);
        throw error;
      });
      onceReads.set(key, pending);
    }
    return pending;
  };
  const prerequisiteDeps = { client, model: model.get, users: users.get, invalidate, fieldChanged, once };

  async function planFor(objectType: string): Promise<TwentyObjectPlan> {
    const all = await plans.get();
    const plan = all.get(objectType);
    if (!plan) throw new ConnectorError("NOT_FOUND", `Twenty has no object "${objectType}" that Ferry can use (available: ${[...all.keys()].join(", ")})`);
    return plan;
  }

  /** The note threads of `plan`'s records that a read asked for (ReadOptions.children), with what reading them needs. */
  async function threadsToRead(workspace: TwentyWorkspaceModel, plan: TwentyObjectPlan, keys: string[]): Promise<NoteThreadsToRead | null> {
    if (keys.length === 0) return null;
    const all = await plans.get();
    const notes = all.get("notes");
    const link = workspace.targetLinks.get("notes");
    const wanted = [...noteThreadPlans(workspace, all).values()].filter(
      (thread) => thread.parent.namePlural === plan.object.namePlural && keys.includes(thread.key),
    );
    return notes && link && wanted.length > 0 ? { plans: wanted, notes, link } : null;
  }

  async function listUsers(): Promise<UserRef[]> {
    // §4: GET /rest/workspaceMembers; members join by invitation and are never created by API.
    const records = await fetchAllRecords(client, "workspaceMembers", null);
    return records.map((record) => {
      const member = TwentyWorkspaceMemberSchema.parse(record);
      const name = [member.name?.firstName, member.name?.lastName].filter(Boolean).join(" ").trim();
      return { id: member.id, email: member.userEmail ?? null, ...(name ? { name } : {}) };
    });
  }

  async function workspaceName(): Promise<string | null> {
    try {
      // [U] not in the reference: the core GraphQL `currentWorkspace` query; best effort only.
      const response = await client.request({
        method: "POST",
        path: "/graphql",
        body: { query: "{ currentWorkspace { displayName } }" },
        schema: TwentyCurrentWorkspaceSchema,
        retry: false,
      });
      return response.data.data?.currentWorkspace?.displayName ?? null;
    } catch {
      return null;
    }
  }

  return {
    baseUrl,
    get stats() {
      return raw.stats;
    },

    async verify(): Promise<AccountInfo> {
      let memberCount: number | null = null;
      try {
        // §1/§4: any authenticated read proves the key; workspace members also tell who is there.
        // Not retried: an unreachable or wrong address should fail fast, naming it.
        const response = await client.request({
          method: "GET",
          path: "/rest/workspaceMembers",
          query: { limit: 1, depth: 0 },
          schema: TwentyListResponseSchema,
          retry: false,
        });
        memberCount = response.data.totalCount ?? null;
      } catch (error) {
        if (!(error instanceof ConnectorError) || error.code !== "PERMISSION_DENIED") throw connectionError(error, baseUrl);
      }
      let dataModel = true;
      try {
        // §3.1: the metadata API is needed for describe() and for creating missing fields.
        await client.request({ method: "GET", path: "/rest/metadata/objects", query: { limit: 1 }, retry: false });
      } catch (error) {
        if (!(error instanceof ConnectorError) || error.code !== "PERMISSION_DENIED") throw connectionError(error, baseUrl);
        dataModel = false;
      }
      const name = await workspaceName();
      const host = new URL(baseUrl).host;
      const membersText = memberCount === null ? "members not readable" : `${memberCount} member${memberCount === 1 ? "" : "s"}`;
      return {
        accountName: name ?? `Twenty workspace at ${host}`,
        userName: "API key",
        userEmail: null,
        permissionLevel: `api key (workspace; ${dataModel ? "can change the data model" : "records only, cannot change the data model"}; ${membersText})`,
        isAdministrator: dataModel && memberCount !== null,
      };
    },

    async describe() {
      const all = await plans.get();
      const threads = noteThreadPlans(await model.get(), all);
      return { objectTypes: [...[...all.values()].map((plan) => plan.description), ...[...threads.values()].map((plan) => plan.description)] };
    },

    async count(objectType, filters) {
      const plan = await planFor(objectType);
      return countRecords(client, plan.object.namePlural, filters?.since);
    },

    async *read(objectType, readOptions) {
      const plan = await planFor(objectType);
      const workspace = await model.get();
      const link = workspace.targetLinks.get(objectType) ?? null;
      yield* readRecords({ client, members: members.get }, plan, link, readOptions, await threadsToRead(workspace, plan, readOptions?.children ?? []));
    },

    async write(objectType, requests, mode = "create") {
      if (requests.length === 0) return [];
      const plan = await planFor(objectType);
      if (!plan.description.canWrite) {
        return requests.map((request) => ({
          sourceId: request.sourceId,
          status: "failed" as const,
          error: { code: "VALIDATION" as const, message: `${objectType} cannot be written through the API (workspace members join by invitation)` },
        }));
      }
      const link = (await model.get()).targetLinks.get(objectType) ?? null;
      await serverCap.recall();
      const batchSize = () => Math.min(maxBatchSize, serverCap.current);
      return writeRecords(
        { client, sleep, retry, batchSize, onBatchCap: (cap) => serverCap.stepDown(cap), members: members.get, newId: options.newId ?? randomUUID },
        plan,
        link,
        requests,
        mode,
      );
    },

    async findExisting(objectType, keys) {
      if (keys.length === 0) return [];
      return findExistingRecords(client, await planFor(objectType), keys);
    },

    async remove(objectType, ids) {
      if (ids.length === 0) return [];
      const plan = await planFor(objectType);
      const link = (await model.get()).targetLinks.get(objectType) ?? null;
      return removeRecords(client, plan.object.namePlural, ids, link);
    },

    async versions(objectType, ids) {
      if (ids.length === 0) return [];
      return readVersions(client, (await planFor(objectType)).object.namePlural, ids);
    },

    async archive(objectType, ids) {
      if (ids.length === 0) return [];
      return archiveRecords(client, (await planFor(objectType)).object.namePlural, ids);
    },

    async prerequisites(plan) {
      return checkPrerequisites(prerequisiteDeps, plan);
    },

    async applyFix(fixId, plan) {
      return applyPrerequisiteFix(prerequisiteDeps, fixId, plan);
    },

    async listUsers() {
      refreshUsers();
      return users.get();
    },

    rateLimit() {
      return raw.rateLimit ?? null;
    },
  };
}
