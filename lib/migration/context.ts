// Everything one slice needs about its run: the row, the parsed plan, both sessions and their
// schemas, the fencing token and the clock. Loaded once per slice.
import { observeSession } from "@/connectors/shared/request-observer";
import type { ConnectorSession, ObjectTypeDescription } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { NotFoundError, UserFacingError } from "@/lib/errors";
import { DEFAULT_RETRY_WAIT, RunConfigurationError, type RetryWaitPolicy } from "./error-policy";
import type { ChildObjectPair, MigrationPlan, ObjectPair } from "@/lib/plan";
import { parsePlan } from "@/lib/plan";
import { asRunStatus, type RunMode, type RunStatus } from "./run-state";
import { SideSession, defaultSessionResolver, runSessionCache, systemInfo, type RunSessions, type SessionResolver } from "./sessions";
import { SideTraffic, rateLimitWaitRecorder } from "./traffic";

export const RUN_SELECT = {
  id: true,
  migrationId: true,
  mode: true,
  status: true,
  sampleSize: true,
  since: true,
  startedAt: true,
  retryAt: true,
  transientFailures: true,
  pauseReason: true,
  pauseKind: true,
  outageSince: true,
  migration: {
    select: {
      id: true,
      name: true,
      organizationId: true,
      plan: true,
      sourceConnectionId: true,
      targetConnectionId: true,
      sourceConnection: { select: { systemId: true, label: true, updatedAt: true } },
      targetConnection: { select: { systemId: true, label: true, updatedAt: true } },
    },
  },
} as const;

export type RunRow = {
  id: string;
  migrationId: string;
  mode: RunMode;
  status: RunStatus;
  sampleSize: number | null;
  since: Date | null;
  startedAt: Date | null;
  retryAt: Date | null;
  transientFailures: number;
  pauseReason: string | null;
  pauseKind: string | null;
  outageSince: Date | null;
  migration: {
    id: string;
    name: string;
    organizationId: string;
    plan: string;
    sourceConnectionId: string;
    targetConnectionId: string;
    sourceConnection: { systemId: string; label: string; updatedAt: Date };
    targetConnection: { systemId: string; label: string; updatedAt: Date };
  };
};

export async function loadRun(database: Database, runId: string): Promise<RunRow> {
  const run = await database.run.findUnique({ where: { id: runId }, select: RUN_SELECT });
  if (!run) throw new NotFoundError("That run");
  const { migration } = run;
  // A draft migration may lack a side; createRun refuses those, so a run always has both.
  if (!migration.sourceConnectionId || !migration.targetConnectionId || !migration.sourceConnection || !migration.targetConnection) {
    throw new UserFacingError("This migration has no source or no target connection. Choose both in the wizard first.");
  }
  return {
    ...run,
    mode: run.mode as RunMode,
    status: asRunStatus(run.status),
    migration: {
      ...migration,
      sourceConnectionId: migration.sourceConnectionId,
      targetConnectionId: migration.targetConnectionId,
      sourceConnection: migration.sourceConnection,
      targetConnection: migration.targetConnection,
    },
  };
}

export type ObjectSchemas = { source: ObjectTypeDescription; target: ObjectTypeDescription };

export type EngineChild = { child: ChildObjectPair; schemas: ObjectSchemas };

/** One enabled object pair with the schemas transforms need. */
export type EnginePair = {
  pair: ObjectPair;
  schemas: ObjectSchemas;
  /** Children written as their own target records (ticket messages -> notes). */
  children: EngineChild[];
  /** Schemas of children written inside the parent, by child key. */
  inlineChildSchemas: Record<string, ObjectSchemas>;
};

export type RunContext = {
  database: Database;
  run: RunRow;
  plan: MigrationPlan;
  token: string;
  now: () => Date;
  /** Waits after transient errors (the error policy's backoff). */
  retryWait: RetryWaitPolicy;
  /** Records per source page (one batch). */
  pageSize: number | null;
  source: SideSession;
  target: SideSession;
  /** Source object types the plan migrates (parents and record children). */
  planned: ReadonlySet<string>;
  /** Every object type the source can read, in its order (the stale filter's activity comes from all of them, as in the audit). */
  sourceReadable: string[];
  pairs: EnginePair[];
  pairFor(sourceObject: string): EnginePair;
};

export function enabledPairs(plan: MigrationPlan): ObjectPair[] {
  return plan.objects.filter((pair) => pair.enabled);
}

/** Child keys a read of the pair's source object asks for (ReadOptions.children). */
export function childKeysToRead(pair: ObjectPair): string[] {
  return pair.childObjects.filter((child) => child.enabled).map((child) => child.childKey);
}

export function recordChildren(pair: ObjectPair): ChildObjectPair[] {
  return pair.childObjects.filter((child) => child.enabled && child.mode === "records");
}

/** The run's sessions: reused from its previous slice in this process while the connections are unchanged. */
export async function openSessions(database: Database, run: RunRow, resolver?: SessionResolver): Promise<RunSessions> {
  const resolve = resolver ?? defaultSessionResolver(database);
  const { migration } = run;
  const stamp = [
    migration.sourceConnectionId,
    migration.sourceConnection.updatedAt.getTime(),
    migration.targetConnectionId,
    migration.targetConnection.updatedAt.getTime(),
  ].join(":");
  return runSessionCache.get(resolve, run.id, stamp, async () => {
    const [source, target]: [ConnectorSession, ConnectorSession] = await Promise.all([
      resolve(migration.sourceConnectionId, migration.organizationId),
      resolve(migration.targetConnectionId, migration.organizationId),
    ]);
    const side = (session: ConnectorSession, systemId: string) => {
      const system = systemInfo(systemId);
      const traffic = new SideTraffic(rateLimitWaitRecorder(database, run.id, system.name));
      return new SideSession(observeSession(session, traffic.observer), system, traffic);
    };
    return { source: side(source, migration.sourceConnection.systemId), target: side(target, migration.targetConnection.systemId) };
  });
}

function missingObject(side: string, key: string): ObjectTypeDescription {
  throw new RunConfigurationError(
    `${side} has no object "${key}" (any more). Check the target's prerequisites (Ferry can create missing objects and fields) or update the plan.`,
  );
}

export async function buildContext(
  database: Database,
  run: RunRow,
  token: string,
  sessions: { source: SideSession; target: SideSession },
  now: () => Date,
  tuning: { retryWait?: RetryWaitPolicy; pageSize?: number } = {},
): Promise<RunContext> {
  const plan = parsePlan(run.migration.plan);
  const [sourceSchema, targetSchema] = await Promise.all([sessions.source.describe(), sessions.target.describe()]);
  const sourceObject = (key: string) => sourceSchema.objectTypes.find((object) => object.key === key) ?? missingObject(sessions.source.system.name, key);
  const targetObject = (key: string) => targetSchema.objectTypes.find((object) => object.key === key) ?? missingObject(sessions.target.system.name, key);
  const pairs: EnginePair[] = enabledPairs(plan).map((pair) => {
    const inline: Record<string, ObjectSchemas> = {};
    for (const child of pair.childObjects.filter((candidate) => candidate.enabled && candidate.mode === "children")) {
      inline[child.childKey] = { source: sourceObject(child.sourceObject), target: targetObject(child.targetObject) };
    }
    return {
      pair,
      schemas: { source: sourceObject(pair.sourceObject), target: targetObject(pair.targetObject) },
      children: recordChildren(pair).map((child) => ({
        child,
        schemas: { source: sourceObject(child.sourceObject), target: targetObject(child.targetObject) },
      })),
      inlineChildSchemas: inline,
    };
  });
  const planned = new Set(pairs.flatMap((entry) => [entry.pair.sourceObject, ...entry.children.map((child) => child.child.sourceObject)]));
  const byObject = new Map(pairs.map((entry) => [entry.pair.sourceObject, entry]));
  return {
    database,
    run,
    plan,
    token,
    now,
    retryWait: tuning.retryWait ?? DEFAULT_RETRY_WAIT,
    pageSize: tuning.pageSize ?? null,
    source: sessions.source,
    target: sessions.target,
    planned,
    sourceReadable: sourceSchema.objectTypes.filter((object) => object.canRead).map((object) => object.key),
    pairs,
    pairFor(sourceObjectKey) {
      const entry = byObject.get(sourceObjectKey);
      if (!entry) throw new Error(`The plan has no enabled pair for ${sourceObjectKey}`);
      return entry;
    },
  };
}
