// A Pipedrive session: one HTTP client per burst budget (general and search, reference §4.2), the
// company model read once (users, pipelines, stages, activity types, fields), and the contract's
// operations wired to the readers, writer, look-ups, rollback and prerequisites.
import { assertPublicBaseUrl } from "@/connectors/shared/host-guard";
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse } from "@/connectors/shared/http-client";
import { pagesWithCreatedAt } from "@/connectors/shared/record-dates";
import { realSleep } from "@/connectors/shared/rate-limiter";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "@/connectors/shared/retry";
import { ConnectorError } from "@/connectors/types";
import type { AccountInfo, ConnectorSession, UserRef } from "@/connectors/types";
import { createPipedriveClient } from "./client";
import { describeCompany } from "./describe";
import { findExistingRecords } from "./find-existing";
import { pipedriveCredentialSchema, PIPEDRIVE_RATE_LIMIT, PIPEDRIVE_SEARCH_RATE_LIMIT, type PipedriveCredentials } from "./manifest";
import type { MapperContext } from "./mappers/fields";
import { userDirectory } from "./mappers/values";
import { fetchUsers, loadCompanyModel, type CompanyModel } from "./model";
import { applyPrerequisiteFix, checkPrerequisites } from "./prerequisites";
import { PipedriveMeSchema } from "./raw-schemas";
import { countRecords, readRecords } from "./reader";
import { removeRecords } from "./remove";
import { writeRecords } from "./writer";
import { lazy } from "@/connectors/shared/lazy";

export type PipedriveSessionOptions = Pick<HttpClientOptions, "retry" | "timeoutMs" | "sleep" | "now" | "onRetry"> & {
  /** Allow loopback/private base URLs (sandboxes, tests). Off by default (SSRF guard). */
  allowPrivateHosts?: boolean;
  /** Client-side limit; defaults to the lowest plan's burst limit (§4.2). null = none. */
  rateLimit?: { requests: number; perMs: number } | null;
};

export type PipedriveSession = ConnectorSession & { readonly stats: HttpClient["stats"]; readonly baseUrl: string };

/** A failure of verify(), reworded to say what to check. */
function connectionError(error: unknown, baseUrl: string): unknown {
  if (!(error instanceof ConnectorError)) return error;
  if (error.code === "AUTH_INVALID")
    return new ConnectorError(
      "AUTH_INVALID",
      `Pipedrive rejected the API token (${error.message}). Copy it again from Personal preferences → API; it changes when someone generates a new one.`,
      { status: error.status },
    );
  if (error.code === "NOT_FOUND" || error.code === "UNKNOWN")
    return new ConnectorError(
      "NOT_FOUND",
      `No Pipedrive API answered at ${baseUrl} (${error.message}). Leave the address as https://api.pipedrive.com or use your company address.`,
      { status: error.status },
    );
  return error;
}

/** The search budget is a share of the general one when a caller scales the limit (benchmarks, tests). */
function searchLimit(rateLimit: PipedriveSessionOptions["rateLimit"]) {
  if (rateLimit === undefined) return PIPEDRIVE_SEARCH_RATE_LIMIT;
  if (rateLimit === null) return null;
  return { requests: Math.max(1, Math.floor(rateLimit.requests / 2)), perMs: rateLimit.perMs };
}

export function createPipedriveSession(credentials: PipedriveCredentials, options: PipedriveSessionOptions = {}): PipedriveSession {
  const parsed = pipedriveCredentialSchema.safeParse(credentials);
  const baseUrl = parsed.success ? parsed.data.baseUrl : String(credentials.baseUrl ?? "");
  const apiToken = parsed.success ? parsed.data.apiToken : "";
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const sleep = options.sleep ?? realSleep;
  const hostGuard = { allowPrivateHosts: options.allowPrivateHosts, publicTargets: "Pipedrive's API", field: "baseUrl" };
  const common = { baseUrl, apiToken, timeoutMs: options.timeoutMs, retry, sleep: options.sleep, now: options.now, onRetry: options.onRetry, hostGuard };
  const rawGeneral = createPipedriveClient({
    ...common,
    budget: "general",
    rateLimit: options.rateLimit === undefined ? PIPEDRIVE_RATE_LIMIT : options.rateLimit,
  });
  const rawSearch = createPipedriveClient({ ...common, budget: "search", rateLimit: searchLimit(options.rateLimit) });
  const guard = lazy(async () => {
    if (!parsed.success)
      throw new ConnectorError("VALIDATION", `Pipedrive credentials are not valid: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`);
    assertPublicBaseUrl(baseUrl, hostGuard);
  });
  const guarded = (raw: HttpClient): HttpClient => ({
    async request<T>(call: HttpRequest<T>): Promise<HttpResponse<T>> {
      await guard.get();
      return raw.request(call);
    },
    get stats() {
      return raw.stats;
    },
  });
  const client = guarded(rawGeneral);
  const search = guarded(rawSearch);

  const model = lazy<CompanyModel>(() => loadCompanyModel(client));
  const context = async (): Promise<MapperContext> => {
    const company = await model.get();
    return { model: company, users: userDirectory(company.users) };
  };
  const listUsers = async (): Promise<UserRef[]> =>
    (await model.get()).users
      .filter((user) => user.active_flag !== false)
      .map((user) => ({ id: String(user.id), email: user.email ?? null, ...(user.name ? { name: user.name } : {}) }));

  return {
    baseUrl,
    get stats() {
      return rawGeneral.stats;
    },

    async verify(): Promise<AccountInfo> {
      try {
        // §1.2: the token's user and company.
        const response = await client.request({ method: "GET", path: "/api/v1/users/me", retry: false, retryUnreachable: false });
        const me = PipedriveMeSchema.parse((response.data as { data?: unknown }).data);
        const users = await fetchUsers(client);
        const admin = me.is_admin === true;
        return {
          accountName: me.company_name ?? `Pipedrive at ${new URL(baseUrl).host}`,
          userName: me.name ?? "API token",
          userEmail: me.email ?? null,
          permissionLevel: `${admin ? "administrator" : "regular user (sees only what this user may see)"}; ${users.length} user${users.length === 1 ? "" : "s"}`,
          isAdministrator: admin,
        };
      } catch (error) {
        throw connectionError(error, baseUrl);
      }
    },

    async describe() {
      model.reset();
      return describeCompany(await context());
    },

    count: (objectType, filters) => countRecords(client, objectType, filters?.since),

    read: (objectType, readOptions = {}) => pagesWithCreatedAt(readRecords(client, objectType, readOptions, context)),

    write: (objectType, requests, mode) => writeRecords({ client, context, sleep, retry }, objectType, requests, mode),

    findExisting: async (objectType, keys) => findExistingRecords({ client, search }, await context(), objectType, keys),

    remove: (objectType, ids) => removeRecords(client, objectType, ids),

    prerequisites: (plan) => checkPrerequisites({ client, model: model.get, users: listUsers, invalidate: model.reset }, plan),

    applyFix: (fixId, plan) => applyPrerequisiteFix({ client, model: model.get, users: listUsers, invalidate: model.reset }, fixId, plan),

    listUsers,

    rateLimit: () => rawGeneral.rateLimit ?? null,
  };
}
