// `npm run migrate -- --from sample --to twenty --target-url http://127.0.0.1:4020 --target-key KEY --mode full`
//
// Runs a migration from the command line, the way the app does it: an organization "CLI", two
// connections stored encrypted (lib/connections.ts), a migration with the default plan, the
// target's prerequisite fixes (--apply-fixes), then runSlice until the run is done, printing
// progress every second and the verification at the end. Staff and benchmarks use it.
//
// Options:
//   --from/--to SYSTEM            sample | twenty | teamwork-desk | pipedrive (any id in connectors/registry.ts)
//   --source-url/-key/-site       source credentials (URL of a self-hosted system, API key or token, site name)
//   --target-url/-key/-site       target credentials
//   --sample-scale N --sample-seed N   the Sample source's data (default scale 1, seed 42)
//   --mode demo|full|delta|retry  default full; --sample-size N for demo runs
//   --migration-id ID             reuse a migration (and continue its active run, if any)
//   --apply-fixes                 apply the target's prerequisite fixes the plan needs (objects, fields, options, Ferry source id);
//                                 settings they change (Teamwork Desk triggers) are put back when the CLI ends
//   --duplicate-policy skip|update|fail
//   --database URL                a postgres:// URL; default DATABASE_URL, else the embedded PostgreSQL under .data/
//                                 (started for the run, stopped after); its schema is migrated first
//   --client-rate-limit N         requests per window this process allows itself towards Twenty or Teamwork Desk (0 = off; default: the published limit)
//   --client-rate-window-ms MS    that window (default 60000; benchmarks scale a limit up for a short run: 10 per 1000 ms)
//   --page-size N --budget-ms N   batch size and slice length
//   --json                        progress to stderr, one JSON summary on stdout
// Exit code: 0 when the run completed with no failed record and its verification is clean (records
// written with warnings count as arrived), 1 otherwise, 2 for bad usage.
//
// `npm run migrate` caps V8's old space at 256 MB, so V8 collects regularly and peak RSS stays flat
// over a long run (bench/RESULTS.md).
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { getConnector, isConnectorId } from "../connectors/registry";
import { ConnectorError, isTransientCode, type ConnectorSession } from "../connectors/types";
import { createConnection, openConnection } from "../lib/connections";
import { createDatabase, type Database } from "../lib/db";
import { migrateDatabase } from "../lib/database-setup";
import { startConfiguredOrEmbeddedDatabase } from "../lib/embedded-postgres";
import { env, reloadEnvironment } from "../lib/env";
import { UserFacingError } from "../lib/errors";
import { claimRun, isWorkableStatus, releaseLease, renewLease } from "../lib/jobs/lease";
import { withConflictRetry } from "../lib/migration/database";
import {
  createRun,
  pauseRun,
  probeOutage,
  resumeRun,
  runProgress,
  runSlice,
  verifyRun,
  type RunMode,
  type RunProgress,
  type SessionResolver,
} from "../lib/migration/engine";
import { parsePlan, serializePlan, toPlanForPrerequisites } from "../lib/plan";
import { describePhase } from "../lib/migration/phase";
import { applyPrerequisiteFixes, buildPlanFor, createMigrationRecord } from "../lib/migration/setup";
import { parseVerification, type VerificationReport } from "../lib/migration/verify";
import { nextStepFor, runOutcome } from "../lib/runs/outcome";
import { recordFixChanges, restoreSettingChanges, restoreSummary } from "../lib/settings/changes";
import type { OrgContext } from "../lib/team";
import { builtInRole } from "../lib/auth/roles";
import { loadLocalEnvironment } from "./local-environment";

const LEASE_POLL_MS = 1_000;

const PROGRESS_EVERY_MS = 1_000;

const argsSchema = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  "source-url": z.string().optional(),
  "source-key": z.string().optional(),
  "source-site": z.string().optional(),
  "target-url": z.string().optional(),
  "target-key": z.string().optional(),
  "target-site": z.string().optional(),
  "sample-scale": z.coerce.number().positive().optional(),
  "sample-seed": z.coerce.number().int().min(0).optional(),
  mode: z.enum(["demo", "full", "delta", "retry"]).default("full"),
  "sample-size": z.coerce.number().int().positive().optional(),
  "migration-id": z.string().optional(),
  "apply-fixes": z.boolean().default(false),
  /** After the run, a deep verification too: link rows read again (the run's own verification takes them as confirmed when written). */
  "verify-deep": z.boolean().default(false),
  "duplicate-policy": z.enum(["skip", "update", "fail"]).optional(),
  database: z.string().optional(),
  "client-rate-limit": z.coerce.number().int().min(0).optional(),
  "client-rate-window-ms": z.coerce.number().int().min(100).default(60_000),
  "page-size": z.coerce.number().int().min(1).max(200).optional(),
  "budget-ms": z.coerce.number().int().min(100).default(5_000),
  json: z.boolean().default(false),
  help: z.boolean().default(false),
});
type Args = z.infer<typeof argsSchema>;

class UsageError extends Error {}

function parseCommandLine(argv: string[]): Args {
  const stringOptions = [
    "from",
    "to",
    "source-url",
    "source-key",
    "source-site",
    "target-url",
    "target-key",
    "target-site",
    "sample-scale",
    "sample-seed",
    "mode",
    "sample-size",
    "migration-id",
    "duplicate-policy",
    "database",
    "client-rate-limit",
    "client-rate-window-ms",
    "page-size",
    "budget-ms",
  ];
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(stringOptions.map((name) => [name, { type: "string" as const }])),
      "apply-fixes": { type: "boolean" },
      "verify-deep": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
    allowPositionals: false,
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("; "));
  return parsed.data;
}

/** Progress lines go to stderr with --json, so stdout carries only the summary. */
let say: (line: string) => void = (line) => console.log(line);

function credentialsFor(systemId: string, args: Args, side: "source" | "target"): Record<string, unknown> {
  const credentialFields = getConnector(systemId).manifest.credentialFields;
  const fields = new Set(credentialFields.map((field) => field.key));
  // --source-key/--target-key is the system's secret, whatever it calls it (an API key, a token).
  const secretKey = credentialFields.find((field) => field.secret)?.key ?? "apiKey";
  const given: Record<string, unknown> = {
    [secretKey]: args[`${side}-key`],
    baseUrl: args[`${side}-url`],
    site: args[`${side}-site`],
    scale: args["sample-scale"],
    seed: args["sample-seed"],
  };
  return Object.fromEntries(Object.entries(given).filter(([key, value]) => value !== undefined && fields.has(key)));
}

function isLoopback(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

async function cliOrganization(database: Database): Promise<OrgContext> {
  const existing = await database.organization.findFirst({ where: { name: "CLI" }, orderBy: { createdAt: "asc" }, select: { id: true, name: true } });
  const organization = existing ?? (await withConflictRetry(() => database.organization.create({ data: { name: "CLI" }, select: { id: true, name: true } })));
  // The CLI acts as an admin of its own organization; no user signs in.
  return { user: { id: "cli", email: "cli@ferry.local", name: "Ferry CLI", isStaff: true }, organization, role: builtInRole("admin") };
}

/** Sessions for stored connections, as the app opens them; with --client-rate-limit, at that limit. */
function cliResolver(database: Database, clientRateLimit: number | undefined, windowMs: number): SessionResolver | undefined {
  if (clientRateLimit === undefined) return undefined;
  const rateLimit = clientRateLimit === 0 ? null : { requests: clientRateLimit, perMs: windowMs };
  return (connectionId, organizationId) => openConnection(database, organizationId, connectionId, { rateLimit });
}

function formatSeconds(seconds: number | null): string {
  if (seconds === null) return "?";
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${String(seconds % 60).padStart(2, "0")}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

const SETUP_ATTEMPTS = 8;
const SETUP_RETRY_MS = 2_000;

/** Setup steps (verify, describe, fixes) are sent again after a 429, a 5xx or a timeout: a slow or flaky target is no reason to give up. */
async function untilAnswered<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof ConnectorError ? error.cause : error;
      if (!(cause instanceof ConnectorError) || !isTransientCode(cause.code) || attempt >= SETUP_ATTEMPTS) throw error;
      say(`  ${cause.message} — trying again in ${(SETUP_RETRY_MS * attempt) / 1000} s`);
      await sleep(SETUP_RETRY_MS * attempt);
    }
  }
}

/**
 * A run paused for an outage resumes by itself once its systems answer (engine.ts probeOutage),
 * as under the app's runners: true once it resumed, false when it is not waiting for one (or Ctrl-C).
 */
async function waitOutOutage(database: Database, runId: string, resolver: SessionResolver | undefined, stopped: () => boolean): Promise<boolean> {
  let said = false;
  for (;;) {
    const run = await database.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true, pauseKind: true, pauseReason: true, retryAt: true } });
    if (run.status !== "paused" || run.pauseKind !== "outage" || stopped()) return false;
    if (!said) say(`Paused: ${run.pauseReason ?? "an outage"} (Ctrl-C to stop waiting)`);
    said = true;
    await sleep(Math.max(LEASE_POLL_MS, (run.retryAt?.getTime() ?? 0) - Date.now()));
    const outcome = await probeOutage(database, runId, { resolveSession: resolver });
    if (outcome === "resumed") {
      say("The systems answer again: the run resumed.");
      return true;
    }
    if (outcome === "not_waiting") return false;
  }
}

function progressLine(progress: RunProgress, elapsedMs: number): string {
  const current =
    progress.objects.find((object) => object.started && !object.done) ?? progress.objects.findLast((object) => object.started) ?? progress.objects[0];
  const objectPart = current
    ? `${current.objectType} ${current.processed}/${current.total} (created ${current.created}, updated ${current.updated}, skipped ${current.skipped}, failed ${current.failed})`
    : "";
  const t = progress.totals;
  const waiting = progress.retryAt && progress.retryAt.getTime() > Date.now() ? ` · waiting until ${progress.retryAt.toISOString().slice(11, 19)} UTC` : "";
  // The same phase sentence as the dashboard, times in UTC like the rest of the CLI's output.
  const phase = describePhase(progress.phase, (iso) => `${iso.slice(11, 19)} UTC`);
  return `[${formatSeconds(Math.round(elapsedMs / 1000))}] ${progress.status} · ${objectPart} · total ${t.processed}/${t.total} (created ${t.created}, updated ${t.updated}, skipped ${t.skipped}, failed ${t.failed}; warnings: repaired ${t.repaired}, value dropped ${t.valueDropped}) · ${progress.recordsPerSecond} rec/s · ETA ${formatSeconds(progress.etaSeconds)}${waiting} · ${phase}`;
}

function printVerification(report: VerificationReport | null) {
  if (!report) {
    say("No verification report.");
    return;
  }
  say(`Verification ${report.clean ? "clean" : "NOT clean"} (checked ${report.checkedAt}):`);
  for (const object of report.objects) {
    say(
      `  ${object.objectType} → ${object.targetObjectType}: selected ${object.selected}, created ${object.created}, updated ${object.updated}, skipped ${object.skipped}, failed ${object.failed}; ` +
        `found ${object.found}/${object.linked} in target; relations ${object.relations.checked - object.relations.problems}/${object.relations.checked}${object.relations.confirmedOnWrite ? ` (+${object.relations.confirmedOnWrite} link rows confirmed when written)` : ""}; ` +
        `owners ${object.owners.checked - object.owners.problems}/${object.owners.checked}; custom fields ${object.customFields.checked - object.customFields.problems}/${object.customFields.checked}; duplicates ${object.duplicates.problems}`,
    );
  }
  for (const line of report.discrepancies) say(`  ! ${line}`);
  for (const line of report.notes) say(`  - ${line}`);
}

async function main(): Promise<number> {
  const args = parseCommandLine(process.argv.slice(2));
  if (args.help) {
    console.log(
      "Usage: npm run migrate -- --from sample --to twenty --target-url URL --target-key KEY [--mode full] [--apply-fixes] [--json] (see scripts/migrate.ts)",
    );
    return 0;
  }
  if (args.json) say = (line) => console.error(line);
  loadLocalEnvironment();
  if (args.database) process.env.DATABASE_URL = args.database;
  if ([args["source-url"], args["target-url"]].some(isLoopback) && !process.env.ALLOW_PRIVATE_CONNECTION_URLS) {
    process.env.ALLOW_PRIVATE_CONNECTION_URLS = "1";
    say("Local addresses given: private connection URLs are allowed for this run.");
  }
  const postgres = await startConfiguredOrEmbeddedDatabase();
  reloadEnvironment();
  try {
    const environment = env();
    // The database may be new: bring its schema up to date (idempotent).
    await migrateDatabase(environment.database);
    const database = createDatabase(environment.database);
    try {
      return await migrate(database, args);
    } finally {
      await database.$disconnect();
    }
  } finally {
    await postgres.stop();
  }
}

async function migrate(database: Database, args: Args): Promise<number> {
  const resolver = cliResolver(database, args["client-rate-limit"], args["client-rate-window-ms"]);
  let migrationId = args["migration-id"];
  if (!migrationId) {
    if (!args.from || !args.to) throw new UsageError("--from and --to are required (or --migration-id to reuse a migration)");
    for (const system of [args.from, args.to]) if (!isConnectorId(system)) throw new UsageError(`Unknown system "${system}"`);
    const context = await cliOrganization(database);
    const sourceConnection = await untilAnswered(() =>
      withConflictRetry(() =>
        createConnection(database, context, {
          systemId: args.from as string,
          label: `CLI source (${args.from})`,
          credentials: credentialsFor(args.from as string, args, "source"),
        }),
      ),
    );
    const targetConnection = await untilAnswered(() =>
      withConflictRetry(() =>
        createConnection(database, context, {
          systemId: args.to as string,
          label: `CLI target (${args.to})`,
          credentials: credentialsFor(args.to as string, args, "target"),
        }),
      ),
    );
    const openSession: SessionResolver = resolver ?? ((id, organizationId) => openConnection(database, organizationId, id));
    const [source, target]: ConnectorSession[] = await Promise.all([
      openSession(sourceConnection.id, context.organization.id),
      openSession(targetConnection.id, context.organization.id),
    ]);
    say(`Reading both schemas and users to build the default plan…`);
    let plan = await untilAnswered(() =>
      buildPlanFor({
        sourceSystem: args.from as string,
        targetSystem: args.to as string,
        source,
        target,
        options: args["duplicate-policy"] ? { duplicatePolicy: args["duplicate-policy"] } : {},
      }),
    );
    say(
      `Plan: ${plan.objects
        .filter((pair) => pair.enabled)
        .map((pair) => `${pair.sourceObject} → ${pair.targetObject}`)
        .join(", ")}`,
    );
    ({ migrationId } = await withConflictRetry(() =>
      createMigrationRecord(database, {
        organizationId: context.organization.id,
        name: `CLI ${args.from} → ${args.to}`,
        sourceConnectionId: sourceConnection.id,
        targetConnectionId: targetConnection.id,
        plan,
      }),
    ));
    if (args["apply-fixes"]) {
      const planned = plan;
      const created = migrationId;
      const fixes = await untilAnswered(() =>
        applyPrerequisiteFixes(target, planned, {
          onChanges: (fixId, changes) =>
            withConflictRetry(() => recordFixChanges(database, { migrationId: created, connectionId: targetConnection.id, fixId, changes })).then(
              () => undefined,
            ),
        }),
      );
      plan = fixes.plan;
      await withConflictRetry(() => database.migration.update({ where: { id: created }, data: { plan: serializePlan(fixes.plan) } }));
      for (const line of fixes.applied) say(`  fixed: ${line}`);
      for (const line of fixes.failed) say(`  fix failed: ${line}`);
      for (const line of fixes.remaining) say(`  prerequisite not met (not fixable by Ferry): ${line}`);
    } else {
      const planned = plan;
      const report = await untilAnswered(() => target.prerequisites(toPlanForPrerequisites(planned)));
      for (const check of report.checks.filter((candidate) => candidate.status === "fail"))
        say(`  prerequisite not met: ${check.title}${check.fix ? " (--apply-fixes can fix it)" : ""}`);
    }
    say(`Migration ${migrationId} created.`);
  } else if (args["apply-fixes"]) {
    await reapplyFixes(database, migrationId, resolver);
  }

  const migration = await database.migration.findUniqueOrThrow({ where: { id: migrationId }, select: { id: true, plan: true } });
  parsePlan(migration.plan);
  const active = await database.run.findFirst({
    where: { migrationId, status: { in: ["queued", "running", "paused", "cancelling", "rolling_back"] } },
    orderBy: { createdAt: "desc" },
    select: { id: true, status: true, mode: true },
  });
  let runId: string;
  if (active) {
    runId = active.id;
    say(`Continuing ${active.mode} run ${runId} (${active.status}).`);
    if (active.status === "paused") await resumeRun(database, runId);
  } else {
    ({ runId } = await createRun(
      database,
      { migrationId, mode: args.mode as RunMode, ...(args["sample-size"] ? { sampleSize: args["sample-size"] } : {}) },
      resolver,
    ));
    say(`Run ${runId} (${args.mode}) created.`);
  }

  let stopping = false;
  process.once("SIGINT", () => {
    stopping = true;
    say("Pausing after the current batch (Ctrl-C again to quit at once)…");
    process.once("SIGINT", () => process.exit(130));
  });
  const started = Date.now();
  // One progress line a second, whatever the slices are doing.
  let printing = false;
  const timer = setInterval(() => {
    if (printing) return;
    printing = true;
    runProgress(database, runId)
      .then((progress) => say(progressLine(progress, Date.now() - started)))
      .catch(() => undefined)
      .finally(() => (printing = false));
  }, PROGRESS_EVERY_MS);
  // The CLI takes the run's lease like any runner, so an app server's embedded runner on the same
  // database never works the same run beside it (lib/jobs/lease.ts).
  const leaseOwner = `cli:${process.pid}:${randomUUID().slice(0, 8)}`;
  let waitingSaid = false;
  while (!(await claimRun(database, { owner: leaseOwner, runId }))) {
    const holder = await database.run.findUnique({ where: { id: runId }, select: { status: true, leaseOwner: true } });
    if (!holder || !isWorkableStatus(holder.status)) break;
    if (!waitingSaid) say(`Another runner (${holder.leaseOwner ?? "a run on the same target"}) is working; waiting for it to let go…`);
    waitingSaid = true;
    await sleep(LEASE_POLL_MS);
  }
  try {
    for (;;) {
      const result = await runSlice(database, runId, {
        budgetMs: args["budget-ms"],
        resolveSession: resolver,
        ...(args["page-size"] ? { pageSize: args["page-size"] } : {}),
      });
      if (result.done && !(await waitOutOutage(database, runId, resolver, () => stopping))) break;
      if (result.done) continue;
      if (!(await renewLease(database, { runId, owner: leaseOwner }))) {
        say("Another runner took this run over; it continues there.");
        break;
      }
      if (stopping) {
        await pauseRun(database, runId).catch(() => undefined);
        say(`Paused. Continue with: npm run migrate -- --migration-id ${migrationId}`);
        break;
      }
    }
  } finally {
    clearInterval(timer);
    await releaseLease(database, { runId, owner: leaseOwner }).catch(() => undefined);
  }
  say(progressLine(await runProgress(database, runId), Date.now() - started));
  const settings = await restoreAtExit(database, migrationId, resolver);

  const run = await database.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true, error: true, pauseReason: true, verification: true } });
  const progress = await runProgress(database, runId);
  let verification = parseVerification(run.verification);
  printVerification(verification);
  if (args["verify-deep"] && run.status === "completed") {
    say("Deep verification: reading the target again, link rows included…");
    verification = await verifyRun(database, runId, { resolveSession: resolver });
    printVerification(verification);
  }
  const failedSamples = await database.recordLink.findMany({
    where: { runId, status: "failed" },
    select: { objectType: true, sourceId: true, errorCode: true, errorMessage: true },
    take: 10,
  });
  for (const sample of failedSamples)
    say(`  failed ${sample.objectType} ${sample.sourceId} (${sample.errorCode}): ${sample.errorMessage} → ${nextStepFor(sample.errorCode)}`);
  if (run.error) say(`Run error: ${run.error}`);
  if (run.pauseReason && run.status === "paused") say(`Paused: ${run.pauseReason}`);
  const failed = progress.totals.failed;
  const ok = run.status === "completed" && verification?.clean === true && failed === 0;
  const outcome = runOutcome(run.status, failed).label;
  const elapsedSeconds = Math.round((Date.now() - started) / 100) / 10;
  const averagePerSecond = Math.round((progress.totals.processed / Math.max(0.1, elapsedSeconds)) * 10) / 10;
  if (args.json) {
    console.log(
      JSON.stringify({
        ok,
        migrationId,
        runId,
        status: run.status,
        outcome,
        error: run.error,
        elapsedSeconds,
        recordsPerSecond: averagePerSecond,
        totals: progress.totals,
        objects: progress.objects,
        verification,
        settingsRestored: settings,
      }),
    );
  }
  say(`${progress.totals.processed} records in ${elapsedSeconds} s (${averagePerSecond} records/s).`);
  const t = progress.totals;
  say(
    `Outcome: created ${t.created}, updated ${t.updated}, skipped ${t.skipped}, failed ${t.failed}; warnings: ${t.repaired} with a repaired value, ${t.valueDropped} with a value dropped (details: warnings.csv on the run's page).`,
  );
  if (ok) say("Done: the run completed, nothing failed and its verification is clean.");
  else {
    const discrepancies = verification && !verification.clean ? `, ${verification.discrepancies.length} discrepancies` : "";
    say(
      `Not clean: ${outcome}${discrepancies}.${failed > 0 ? ` Fix the causes above, then: npm run migrate -- --migration-id ${migrationId} --mode retry` : ""}`,
    );
  }
  return ok ? 0 : 1;
}

/** A continued migration: its settings were put back when the last CLI run ended, so switch them off again. */
async function reapplyFixes(database: Database, migrationId: string, resolver: SessionResolver | undefined): Promise<void> {
  const migration = await database.migration.findUniqueOrThrow({
    where: { id: migrationId },
    select: { organizationId: true, targetConnectionId: true, plan: true },
  });
  if (!migration.targetConnectionId) throw new UsageError(`Migration ${migrationId} has no target connection`);
  const connectionId = migration.targetConnectionId;
  const target = await (resolver ?? ((id, organizationId) => openConnection(database, organizationId, id)))(connectionId, migration.organizationId);
  const fixes = await applyPrerequisiteFixes(target, parsePlan(migration.plan), {
    onChanges: (fixId, changes) => withConflictRetry(() => recordFixChanges(database, { migrationId, connectionId, fixId, changes })).then(() => undefined),
  });
  await withConflictRetry(() => database.migration.update({ where: { id: migrationId }, data: { plan: serializePlan(fixes.plan) } }));
  for (const line of fixes.applied) say(`  fixed: ${line}`);
  for (const line of fixes.failed) say(`  fix failed: ${line}`);
}

/**
 * The CLI never leaves a system changed: whatever state the run ended in, the settings its fixes
 * changed are put back (a continuation with --migration-id --apply-fixes changes them again).
 */
async function restoreAtExit(database: Database, migrationId: string, resolver: SessionResolver | undefined) {
  const outcome = await restoreSettingChanges(database, migrationId, {
    resolveSession: resolver ?? ((id, organizationId) => openConnection(database, organizationId, id)),
  });
  if (outcome.restored.length + outcome.settled.length + outcome.failed.length > 0) say(`Settings: ${restoreSummary(outcome)}`);
  return outcome;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(
        `${error.message}\nUsage: npm run migrate -- --from sample --to twenty --target-url URL --target-key KEY [--mode full] [--apply-fixes] [--json]`,
      );
      process.exit(2);
    }
    console.error(error instanceof UserFacingError ? error.message : error);
    process.exit(1);
  },
);
