// Factories for engine tests: a migration between two endpoints (Sample, Twenty sandboxes) with
// the default plan and the target's prerequisite fixes applied, and a session resolver that opens
// test sessions (no client-side rate limit, short timeouts) instead of decrypting stored keys.
import crypto from "node:crypto";
import { createSampleSession, sampleUsers } from "@/connectors/sample";
import { createPipedriveSession } from "@/connectors/pipedrive";
import { createTeamworkDeskSession } from "@/connectors/teamwork-desk";
import type { ConnectorSession } from "@/connectors/types";
import { createTwentySession } from "@/connectors/twenty";
import type { Database } from "@/lib/db";
import { createRun, runSlice, type RunStatus, type SessionResolver } from "@/lib/migration/engine";
import type { MigrationPlan, PlanOptions } from "@/lib/plan";
import { applyPrerequisiteFixes, buildPlanFor, createMigrationRecord, type FixReport } from "@/lib/migration/setup";

export type Endpoint =
  | { systemId: "sample"; credentials: { seed?: number; scale: number } }
  | { systemId: "twenty"; credentials: { apiKey: string; baseUrl: string } }
  | { systemId: "teamwork-desk"; credentials: { apiKey: string; site: string } }
  | { systemId: "pipedrive"; credentials: { apiToken: string; baseUrl: string } };

/** Backoff after transient errors, shortened so fault tests stay fast. */
export const TEST_RETRY_WAIT = { firstWaitMs: 20, maxWaitMs: 200 };

export type SessionTuning = { timeoutMs?: number; maxAttempts?: number };

export function sessionFor(endpoint: Endpoint, tuning: SessionTuning = {}): ConnectorSession {
  const retry = { maxAttempts: tuning.maxAttempts ?? 6, baseDelayMs: 20, maxDelayMs: 200, rateLimitedBaseDelayMs: 50 };
  const timeoutMs = tuning.timeoutMs ?? 5_000;
  if (endpoint.systemId === "sample") return createSampleSession(endpoint.credentials);
  if (endpoint.systemId === "teamwork-desk")
    return createTeamworkDeskSession(endpoint.credentials, { allowPrivateHosts: true, rateLimit: null, timeoutMs, retry });
  if (endpoint.systemId === "pipedrive") return createPipedriveSession(endpoint.credentials, { allowPrivateHosts: true, rateLimit: null, timeoutMs, retry });
  return createTwentySession(endpoint.credentials, { allowPrivateHosts: true, rateLimit: null, timeoutMs, retry });
}

export type TestMigration = {
  migrationId: string;
  organizationId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  plan: MigrationPlan;
  fixes: FixReport;
  resolver: SessionResolver;
};

/** A resolver mapping the migration's two connection ids to fresh test sessions. */
export function resolverFor(
  connections: Record<string, Endpoint>,
  tuning: SessionTuning = {},
  wrap: Record<string, (session: ConnectorSession) => ConnectorSession> = {},
): SessionResolver {
  return async (connectionId) => {
    const endpoint = connections[connectionId];
    if (!endpoint) throw new Error(`No test endpoint for connection ${connectionId}`);
    const session = sessionFor(endpoint, tuning);
    return wrap[connectionId] ? wrap[connectionId](session) : session;
  };
}

export async function setupMigration(
  database: Database,
  input: {
    source: Endpoint;
    target: Endpoint;
    /** Where runs reach the target (a fault proxy); setup always talks to `target` directly. */
    runTarget?: Endpoint;
    /** Changes what the target session says or does during runs (declared limits, counting calls). */
    wrapTarget?: (session: ConnectorSession) => ConnectorSession;
    /** Changes what the source session reads during runs (records typed in badly). */
    wrapSource?: (session: ConnectorSession) => ConnectorSession;
    options?: Partial<PlanOptions>;
    editPlan?: (plan: MigrationPlan) => MigrationPlan;
    tuning?: SessionTuning;
  },
): Promise<TestMigration> {
  const organization = await database.organization.create({ data: { name: `Engine test ${crypto.randomUUID().slice(0, 8)}` }, select: { id: true } });
  const connection = async (endpoint: Endpoint) =>
    (
      await database.connection.create({
        // Tests open sessions through resolverFor(); nothing is decrypted.
        data: { organizationId: organization.id, systemId: endpoint.systemId, label: endpoint.systemId, credentialsCiphertext: "test-only", keyVersion: 1 },
        select: { id: true },
      })
    ).id;
  const sourceConnectionId = await connection(input.source);
  const targetConnectionId = await connection(input.target);
  const wraps = {
    ...(input.wrapTarget ? { [targetConnectionId]: input.wrapTarget } : {}),
    ...(input.wrapSource ? { [sourceConnectionId]: input.wrapSource } : {}),
  };
  const resolver = resolverFor({ [sourceConnectionId]: input.source, [targetConnectionId]: input.runTarget ?? input.target }, input.tuning, wraps);
  const target = input.wrapTarget ? input.wrapTarget(sessionFor(input.target)) : sessionFor(input.target);
  let plan = await buildPlanFor({
    sourceSystem: input.source.systemId,
    targetSystem: input.target.systemId,
    source: sessionFor(input.source),
    target,
    options: input.options,
  });
  const fixes = await applyPrerequisiteFixes(target, plan);
  plan = fixes.plan;
  if (input.editPlan) plan = input.editPlan(plan);
  const { migrationId } = await createMigrationRecord(database, {
    organizationId: organization.id,
    name: "Engine test",
    sourceConnectionId,
    targetConnectionId,
    plan,
  });
  return { migrationId, organizationId: organization.id, sourceConnectionId, targetConnectionId, plan, fixes, resolver };
}

/** A source session whose records of `objectType` carry the given field values (by source id): data typed in badly. */
export function withSourceValues(objectType: string, field: string, values: Record<string, string>) {
  return (session: ConnectorSession): ConnectorSession => ({
    ...session,
    async *read(type, options) {
      for await (const page of session.read(type, options)) {
        if (type !== objectType) {
          yield page;
          continue;
        }
        yield {
          ...page,
          records: page.records.map((record) =>
            values[record.id] === undefined ? record : { ...record, fields: { ...record.fields, [field]: values[record.id] } },
          ),
        };
      }
    },
  });
}

/** Drives a run with runSlice until the runner would stop (finished, paused, cancelled). */
export async function driveRun(
  database: Database,
  runId: string,
  resolver: SessionResolver,
  options: { budgetMs?: number; maxSlices?: number; pageSize?: number; now?: () => Date; onSlice?: (status: RunStatus) => Promise<void> | void } = {},
): Promise<RunStatus> {
  for (let slice = 0; slice < (options.maxSlices ?? 500); slice += 1) {
    const result = await runSlice(database, runId, {
      budgetMs: options.budgetMs ?? 2_000,
      resolveSession: resolver,
      retryWait: TEST_RETRY_WAIT,
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    await options.onSlice?.(result.status);
    if (result.done) return result.status;
  }
  throw new Error(`Run ${runId} did not finish within the slice limit`);
}

export async function runToEnd(
  database: Database,
  migration: TestMigration,
  mode: "demo" | "full" | "delta" | "retry",
  options: { sampleSize?: number; pageSize?: number } = {},
): Promise<{ runId: string; status: RunStatus }> {
  const { runId } = await createRun(
    database,
    { migrationId: migration.migrationId, mode, ...(options.sampleSize ? { sampleSize: options.sampleSize } : {}) },
    migration.resolver,
  );
  const status = await driveRun(database, runId, migration.resolver, { pageSize: options.pageSize });
  return { runId, status };
}

/** The Sample source's agents as Twenty workspace members, so user mappings by email resolve. */
export function sampleAgentsAsWorkspaceMembers(): { email: string; firstName: string; lastName: string }[] {
  return sampleUsers().map((user) => {
    const [firstName, ...rest] = (user.name ?? "Agent").split(" ");
    return { email: user.email as string, firstName, lastName: rest.join(" ") };
  });
}
