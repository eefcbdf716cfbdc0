// A Teamwork Desk session: one pair of HTTP clients (v1 + v2 sharing the key's rate limit),
// the site's reference data loaded once, and the ConnectorSession operations wired to the
// reader, writers, lookups and prerequisites of this folder.
import { assertPublicBaseUrl } from "@/connectors/shared/host-guard";
import type { HttpClient, HttpClientOptions } from "@/connectors/shared/http-client";
import { realSleep } from "@/connectors/shared/rate-limiter";
import { describeCreatedAt, pagesWithCreatedAt } from "@/connectors/shared/record-dates";
import { DEFAULT_RETRY_POLICY } from "@/connectors/shared/retry";
import type { RetryPolicy } from "@/connectors/shared/retry";
import { ConnectorError } from "@/connectors/types";
import type { AccountInfo, ConnectorSession, FixResult, PlanForPrerequisites, UserRef } from "@/connectors/types";
import { defaultFetchAttachment } from "./attachments";
import type { FetchAttachment } from "./attachments";
import { createTeamworkDeskClients } from "./client";
import { describeSite } from "./describe";
import { findExistingRecords } from "./find-existing";
import { MESSAGES_OBJECT_TYPE, TEAMWORK_DESK_RATE_LIMIT, isTeamworkDeskObjectType, teamworkDeskCredentialSchema } from "./manifest";
import type { TeamworkDeskCredentials, TeamworkDeskObjectType } from "./manifest";
import { isAdministrator, agentState, userRefOf } from "./mappers/people";
import { text } from "./mappers/values";
import { DEACTIVATE_TRIGGERS_FIX, checkPrerequisites, deactivateTriggers, parseRestoreFix, restoreTriggerSettings, restoreTriggers } from "./prerequisites";
import { DeskMeResponseSchema } from "./raw-schemas";
import { countRecords, readRecords } from "./reader";
import { removeRecords } from "./remove";
import { loadCustomFields, loadInboxes, loadSiteModel, loadUsers } from "./site-model";
import type { SiteModel } from "./site-model";
import { siteNameOf } from "./site-url";
import { writeTickets } from "./ticket-writer";
import type { ImportPerson } from "./mappers/tickets";
import { writeCompanies, writeCustomers } from "./writer";

/** Timeouts, retries, clock and jitter go to the HTTP clients as given (tests make them fast). */
export type TeamworkDeskSessionOptions = Pick<HttpClientOptions, "retry" | "timeoutMs" | "sleep" | "now" | "random" | "onRetry"> & {
  /** Lets the site be a loopback or private address (the sandbox); refused otherwise (SSRF). */
  allowPrivateHosts?: boolean;
  /** §3: 120/min by default; null turns the client-side limiter off (the server's 429s still apply). */
  rateLimit?: { requests: number; perMs: number } | null;
  /**
   * §6: the import's `source` name, shown as the ticket source in Desk and part of its dedup
   * key: keep it stable for a migration (re-runs then never import a ticket twice).
   */
  importSource?: string;
  /** How Ferry gets an attachment's bytes (sources whose files need a key pass their own). */
  fetchAttachment?: FetchAttachment;
};

export const DEFAULT_IMPORT_SOURCE = "Ferry migration";

/** A user as listUsers returns it: the contract's UserRef plus the agent's state and seat type. */
export type TeamworkDeskUserRef = UserRef & { state: string; partTime: boolean; isAdministrator: boolean };

export type TeamworkDeskSession = ConnectorSession & {
  /** Re-activates exactly the triggers `applyFix("deactivate-triggers")` returned; same as applyFix("restore-triggers:<ids>"). */
  restoreTriggers(ids: string[]): Promise<{ changed: string[] }>;
};

function objectTypeOf(objectType: string): TeamworkDeskObjectType {
  if (isTeamworkDeskObjectType(objectType)) return objectType;
  if (objectType === MESSAGES_OBJECT_TYPE)
    throw new ConnectorError("VALIDATION", "Ticket threads are read and written with their ticket, in children.messages");
  throw new ConnectorError("NOT_FOUND", `Teamwork Desk has no object type "${objectType}"`);
}

/** Turns the failures of the first call into messages that name the site (a wrong site name is the usual cause). */
function siteError(error: unknown, baseUrl: string): unknown {
  if (!(error instanceof ConnectorError)) return error;
  if (error.code === "AUTH_INVALID")
    return new ConnectorError(
      "AUTH_INVALID",
      `${baseUrl} rejected the API key. Copy it again from your Teamwork Desk profile (API keys); it may have been deleted.`,
      { status: error.status },
    );
  const redirected = error.status !== undefined && error.status >= 300 && error.status < 400;
  if (error.code === "NOT_FOUND" || redirected) {
    return new ConnectorError(
      "NOT_FOUND",
      `No Teamwork Desk site answered at ${baseUrl} (${error.status ? `HTTP ${error.status}` : "unknown host"}). Check the site name: it is the part before .teamwork.com in the address you sign in to.`,
      { status: error.status },
    );
  }
  if (error.code === "TEMPORARY" && error.message.startsWith("Ferry cannot reach")) return error;
  if (error.code === "TEMPORARY")
    return new ConnectorError("TEMPORARY", `Could not reach ${baseUrl}: ${error.message}`, { status: error.status, retryAfterMs: error.retryAfterMs });
  return error;
}

/** Credentials stored before normalisation (or passed by code) go through the schema again. */
function parseCredentials(credentials: TeamworkDeskCredentials): TeamworkDeskCredentials {
  const parsed = teamworkDeskCredentialSchema.safeParse(credentials);
  if (!parsed.success) throw new ConnectorError("VALIDATION", parsed.error.issues[0]?.message ?? "Invalid Teamwork Desk credentials");
  return parsed.data;
}

/** The site model, loaded on first use and again after `invalidate` (a failed load is not kept). */
function cachedSiteModel(v2: HttpClient): { get: () => Promise<SiteModel>; invalidate: () => void } {
  let model: Promise<SiteModel> | null = null;
  return {
    get: () => {
      model ??= loadSiteModel(v2).catch((error: unknown) => {
        model = null;
        throw error;
      });
      return model;
    },
    invalidate: () => {
      model = null;
    },
  };
}

async function verifyAccount(v1: HttpClient, baseUrl: string): Promise<AccountInfo> {
  let body: unknown;
  try {
    // §5.6 [S]: GET /desk/v1/me.json returns the calling user (Basic auth, §1).
    // An address nothing answers at fails at once, naming it (retried, it took 14 s to say "refused").
    body = (await v1.request({ method: "GET", path: "/me.json", schema: DeskMeResponseSchema, retryUnreachable: false })).data;
  } catch (error) {
    throw siteError(error, baseUrl);
  }
  const me = DeskMeResponseSchema.parse(body);
  const user = me.user ?? me.me;
  if (!user) throw new ConnectorError("UNKNOWN", `${baseUrl} answered /me.json without a user`);
  const admin = isAdministrator(user);
  const name = [text(user.firstName), text(user.lastName)].filter(Boolean).join(" ") || (text(user.email) ?? `user ${user.id}`);
  return {
    accountName: text(me.account?.name) ?? text(me.account?.companyName) ?? siteNameOf(baseUrl),
    userName: name,
    userEmail: text(user.email),
    permissionLevel: admin ? "administrator" : (text(user.role)?.toLowerCase() ?? "agent"),
    isAdministrator: admin,
  };
}

async function applyTriggerFix(v2: HttpClient, fixId: string): Promise<FixResult> {
  if (fixId === DEACTIVATE_TRIGGERS_FIX) return deactivateTriggers(v2);
  const restore = parseRestoreFix(fixId);
  if (restore !== null) return { changed: await restoreTriggers(v2, restore) };
  throw new ConnectorError("VALIDATION", `Teamwork Desk has no fix "${fixId}"`);
}

export function createTeamworkDeskSession(credentials: TeamworkDeskCredentials, options: TeamworkDeskSessionOptions = {}): TeamworkDeskSession {
  const { site: baseUrl, apiKey } = parseCredentials(credentials);
  const allowPrivateHosts = options.allowPrivateHosts ?? false;
  const hostGuard = { allowPrivateHosts, publicTargets: "Teamwork sites (*.teamwork.com)", field: "site" };
  assertPublicBaseUrl(baseUrl, hostGuard);
  const sleep = options.sleep ?? realSleep;
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const { v1, v2 } = createTeamworkDeskClients({
    baseUrl,
    apiKey,
    rateLimit: options.rateLimit === undefined ? TEAMWORK_DESK_RATE_LIMIT : options.rateLimit,
    timeoutMs: options.timeoutMs,
    retry,
    // Only an injected sleep: with the real one the clients take the process's shared limiter of this key.
    sleep: options.sleep,
    now: options.now,
    random: options.random,
    onRetry: options.onRetry,
    hostGuard,
  });

  const siteModel = cachedSiteModel(v2);
  const readDeps = { v2, model: siteModel.get, baseUrl };
  const customerCache = new Map<string, ImportPerson | null>();
  const upload = { v2, fetchAttachment: options.fetchAttachment ?? defaultFetchAttachment(allowPrivateHosts), allowPrivateHosts, sleep, retry };
  const recordDeps = { v2, sleep, retry, random: options.random };
  const verify = () => verifyAccount(v1, baseUrl);
  const applyFix = (fixId: string, _plan?: PlanForPrerequisites) => applyTriggerFix(v2, fixId);

  return {
    verify,
    async describe() {
      return describeCreatedAt(describeSite(await siteModel.get()));
    },
    async count(objectType, filters = {}) {
      return countRecords(readDeps, objectTypeOf(objectType), filters.since);
    },
    read(objectType, readOptions) {
      return pagesWithCreatedAt(readRecords(readDeps, objectTypeOf(objectType), readOptions));
    },
    async write(objectType, requests, mode = "create") {
      const type = objectTypeOf(objectType);
      if (type === "companies") return writeCompanies(recordDeps, requests, mode);
      if (type === "customers") return writeCustomers(recordDeps, requests, mode);
      if (type === "tickets") {
        try {
          return await writeTickets(
            { ...recordDeps, v1, model: siteModel.get, importSource: options.importSource ?? DEFAULT_IMPORT_SOURCE, upload, customerCache },
            requests,
            mode,
          );
        } finally {
          // The import creates tags and a ticket source by name: the next call sees them.
          siteModel.invalidate();
        }
      }
      throw new ConnectorError("VALIDATION", `Ferry does not write Teamwork Desk ${objectType}`);
    },
    async findExisting(objectType, keys) {
      return findExistingRecords(v2, objectTypeOf(objectType), keys);
    },
    async remove(objectType, ids) {
      const results = await removeRecords(v2, objectTypeOf(objectType), ids);
      if (objectType === "customers") for (const id of ids) customerCache.delete(id);
      return results;
    },
    async prerequisites(plan) {
      return checkPrerequisites(
        { v2, verify, inboxes: () => loadInboxes(v2), users: () => loadUsers(v2), customFields: () => loadCustomFields(v2) },
        plan,
        baseUrl,
      );
    },
    applyFix,
    restoreSettings(changes) {
      return restoreTriggerSettings(v2, changes);
    },
    async restoreTriggers(ids) {
      return applyFix(`restore-triggers:${ids.join(",")}`);
    },
    async listUsers(): Promise<TeamworkDeskUserRef[]> {
      // §5.6: agents, archived ones included so old tickets' assignees can still be mapped.
      return (await loadUsers(v2)).map((user) => ({
        ...userRefOf(user),
        state: agentState(user),
        partTime: user.isPartTime === true,
        isAdministrator: isAdministrator(user),
      }));
    },
  };
}
