// The run dashboard's data on a real PostgreSQL database with the real engine (Sample → Twenty sandbox):
// the progress payload and its organization scoping, the CSV exports, the rollback confirmation
// counts, the staff monitor across organizations, and the after-run hook on a Teamwork Desk target.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTeamworkDeskSandbox } from "@/connectors/teamwork-desk/sandbox";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { ConnectorSession } from "@/connectors/types";
import { staffRuns, STALLED_AFTER_MS } from "@/lib/admin";
import type { Database } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { builtInRole } from "@/lib/auth/roles";
import { afterRunFinished } from "@/lib/runs/after-run";
import { organizationAccess, staffAccess, type RunAccess } from "@/lib/runs/access";
import { cancelRunCommand, rollbackRunCommand, startDemoRun } from "@/lib/runs/commands";
import { failuresCsv, ledgerCsv, warningsCsv } from "@/lib/runs/csv";
import { loadRunDashboard } from "@/lib/runs/dashboard";
import { nextStepFor, runOutcome } from "@/lib/runs/outcome";
import { demoResults } from "@/lib/runs/demo-results";
import { migrationRuns } from "@/lib/runs/list";
import { loadRunProgress } from "@/lib/runs/progress";
import { rollbackPreview, rollbackSentence } from "@/lib/runs/rollback-preview";
import type { OrgContext } from "@/lib/team";
import { listSettingChanges, recordFixChanges } from "@/lib/settings/changes";
import { createTestDatabase } from "../helpers/database";
import {
  driveRun,
  resolverFor,
  runToEnd,
  setupMigration,
  type Endpoint,
  type TestMigration,
  sampleAgentsAsWorkspaceMembers,
  withSourceValues,
} from "../helpers/engine-fixtures";

const API_KEY = "runs-dashboard-key";
const TICKET_NAME_LIMIT = 30;
const members = sampleAgentsAsWorkspaceMembers();

let database: Database;
let cleanup: () => Promise<void>;
const closers: (() => Promise<void>)[] = [];
let migration: TestMigration;
let runId: string;
let orgA: RunAccess;
let orgB: RunAccess;

/** Twenty with a short ticket-name limit: long ticket subjects fail with a VALIDATION reason (the plan makes that field strict). */
const withTicketNameLimit = (session: ConnectorSession): ConnectorSession => ({
  ...session,
  async describe() {
    const schema = await session.describe();
    return {
      objectTypes: schema.objectTypes.map((object) =>
        object.key === "tickets"
          ? { ...object, fields: object.fields.map((field) => (field.key === "name" ? { ...field, maxLength: TICKET_NAME_LIMIT } : field)) }
          : object,
      ),
    };
  },
});

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

function parseCsv(body: string): string[][] {
  return body
    .trim()
    .split("\r\n")
    .map((line) =>
      line
        .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
        .slice(0, -1)
        .map((cell) => cell.replace(/,$/, "").replace(/^"|"$/g, "").replace(/""/g, '"')),
    );
}

const noDispatch = { dispatchRun: async () => undefined, dispatchCancel: async () => undefined };
/** Engine-made migrations have no wizard state: their demos skip the wizard's prerequisite gate (tested in wizard-steps). */
const readyForDemo = async () => ({ ok: true, reasons: [], fixAt: null });
const adminOf = (organizationId: string): OrgContext => ({
  user: { id: "u-admin", email: "admin@example.com", name: "Admin", isStaff: false },
  organization: { id: organizationId, name: "Org" },
  role: builtInRole("admin"),
});

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
  const target = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, workspaceMembers: members });
  closers.push(() => target.close());
  const twenty: Endpoint = { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: target.url } };
  migration = await setupMigration(database, {
    source: { systemId: "sample", credentials: { scale: 0.05 } },
    target: twenty,
    wrapTarget: withTicketNameLimit,
    // Two customers typed in badly: one email repairable, one not.
    wrapSource: withSourceValues("customers", "email", { cus_1: "kwame johnson@northwind-group.example", cus_2: "n/a" }),
    editPlan: (plan) => ({
      ...plan,
      objects: plan.objects.map((pair) =>
        pair.sourceObject === "tickets"
          ? {
              ...pair,
              fieldMappings: pair.fieldMappings.map((mapping) =>
                mapping.targetField === "name" ? { ...mapping, transform: { ...mapping.transform, onInvalid: "fail" as const } } : mapping,
              ),
            }
          : pair,
      ),
    }),
  });
  ({ runId } = await runToEnd(database, migration, "full"));
  orgA = { kind: "organization", organizationId: migration.organizationId };
  const other = await database.organization.create({ data: { name: "Org B" }, select: { id: true } });
  orgB = { kind: "organization", organizationId: other.id };
}, 90_000);

afterAll(async () => {
  for (const close of closers) await close();
  await cleanup?.();
});

describe("progress endpoint data", () => {
  it("returns per-object counters, totals, throughput, series and the verification for the run's organization", async () => {
    const progress = await loadRunProgress(database, orgA, runId);
    expect(progress).toMatchObject({ runId, migrationId: migration.migrationId, mode: "full", status: "completed", active: false });
    expect(progress.objects.length).toBeGreaterThan(1);
    expect(progress.objects[0]).toEqual(
      expect.objectContaining({
        objectType: expect.any(String),
        total: expect.any(Number),
        processed: expect.any(Number),
        created: expect.any(Number),
        failed: expect.any(Number),
        done: true,
      }),
    );
    const sum = progress.objects.reduce((total, object) => total + object.processed, 0);
    expect(progress.totals.processed).toBe(sum);
    expect(progress.totals.failed).toBeGreaterThan(0);
    expect(progress.errorRate).toBeCloseTo(progress.totals.failed / progress.totals.processed);
    expect(progress.series.length).toBeGreaterThan(0);
    expect(progress.series[0]).toEqual({ at: expect.any(String), recordsPerSecond: expect.any(Number) });
    expect(typeof progress.startedAt).toBe("string");
    expect(progress.verification).toEqual(expect.objectContaining({ clean: expect.any(Boolean) }));
    // JSON-safe: what the route sends is what the dashboard reads.
    expect(JSON.parse(JSON.stringify(progress))).toEqual(progress);
  });

  it("answers not found to another organization for the run, its progress, its CSVs and its actions", async () => {
    await expect(loadRunProgress(database, orgB, runId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadRunDashboard(database, orgB, runId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(failuresCsv(database, orgB, runId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ledgerCsv(database, orgB, runId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(warningsCsv(database, orgB, runId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(rollbackPreview(database, orgB, runId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(cancelRunCommand(database, orgB, { runId }, { dispatcher: noDispatch })).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      rollbackRunCommand(database, { access: orgB, role: builtInRole("admin") }, { runId, confirm: true }, { dispatcher: noDispatch }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      startDemoRun(database, adminOf("org-b"), orgB, { migrationId: migration.migrationId }, { dispatcher: noDispatch, readiness: readyForDemo }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await database.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("completed");
  });

  it("lets staff load any organization's run, and refuses staff access to a non-staff user", async () => {
    expect((await loadRunDashboard(database, { kind: "staff" }, runId)).run.id).toBe(runId);
    expect(() => staffAccess({ user: { id: "u", email: "a@b.c", name: "A", isStaff: false } })).toThrow(NotFoundError);
    expect(organizationAccess({ organization: { id: "x", name: "X" } })).toEqual({ kind: "organization", organizationId: "x" });
  });
});

describe("counts that agree", () => {
  it("gives one number of failures on the cards, the failures table, its CSV, the run list and the staff monitor", async () => {
    const progress = await loadRunProgress(database, orgA, runId);
    const dashboard = await loadRunDashboard(database, orgA, runId);
    const csvRows = parseCsv(await text((await failuresCsv(database, orgA, runId)).stream)).length - 1;
    const listed = (await migrationRuns(database, orgA, migration.migrationId)).find((row) => row.id === runId);
    const staff = (await staffRuns(database)).find((row) => row.id === runId);
    expect(progress.totals.failed).toBeGreaterThan(0);
    expect([progress.failuresListed, dashboard.failuresTotal, csvRows, listed?.failed, staff?.failed]).toEqual(Array(5).fill(progress.totals.failed));
    // A finished run has no phase to report and no ETA.
    expect(progress.phase.kind).toBe("finished");
    expect(progress.etaSeconds).toBeNull();
  });
});

describe("CSV exports", () => {
  it("lists every failed record with its code and reason", async () => {
    const failed = await database.recordLink.findMany({
      where: { runId, status: "failed" },
      select: { objectType: true, sourceId: true, errorCode: true, errorMessage: true },
    });
    const rows = parseCsv(await text((await failuresCsv(database, orgA, runId)).stream));
    expect(rows[0]).toEqual(["object_type", "source_id", "error_code", "reason", "next_step", "failed_at"]);
    expect(rows.length - 1).toBe(failed.length);
    const byId = new Map(rows.slice(1).map((row) => [`${row[0]}:${row[1]}`, row]));
    for (const link of failed) {
      const row = byId.get(`${link.objectType}:${link.sourceId}`);
      expect(row?.[2]).toBe(link.errorCode);
      expect(row?.[3]).toBe(link.errorMessage);
      expect(row?.[4]).toBe(nextStepFor(link.errorCode));
    }
    expect(nextStepFor("VALIDATION")).toMatch(/then Retry failed records/);
    expect(rows.some((row) => row[3].includes(`over the limit of ${TICKET_NAME_LIMIT}`))).toBe(true);
  });

  it("lists every warning with the record, the field, the original value and what was done", async () => {
    const warnings = await database.recordWarning.findMany({
      where: { runId },
      select: { objectType: true, sourceId: true, field: true, action: true, original: true },
    });
    const rows = parseCsv(await text((await warningsCsv(database, orgA, runId)).stream));
    expect(rows[0]).toEqual(["object_type", "source_id", "field", "original_value", "what_was_done", "details", "at"]);
    expect(rows.length - 1).toBe(warnings.length);
    // The Sample's bad emails: the repairable ones repaired, the others left out, each with the original value.
    const emails = rows.slice(1).filter((row) => row[0] === "customers" && row[2] === "email");
    expect(emails.map((row) => row.slice(0, 5))).toEqual([
      ["customers", "cus_1", "email", "kwame johnson@northwind-group.example", "repaired"],
      ["customers", "cus_2", "email", "n/a", "value dropped"],
    ]);
    expect(emails[0][5]).toBe('Email: removed the spaces (written as "kwamejohnson@northwind-group.example")');
    const run = await database.run.findUniqueOrThrow({ where: { id: runId } });
    const recordsWith = (action: string) =>
      new Set(warnings.filter((warning) => warning.action === action).map((warning) => `${warning.objectType}:${warning.sourceId}`)).size;
    expect(run.repairedRecords).toBe(recordsWith("repaired"));
    expect(run.valueDroppedRecords).toBe(recordsWith("dropped"));
    // The dashboard lists them too, with the original value and what was done.
    const dashboard = await loadRunDashboard(database, orgA, runId);
    expect(dashboard.warningsTotal).toBe(warnings.length);
    expect(dashboard.warnings.find((warning) => warning.sourceId === "cus_2" && warning.field === "email")).toMatchObject({
      original: "n/a",
      action: "value dropped",
    });
    // A customer written without its email arrived: it is in the ledger as created, not failed.
    const dropped = emails.find((row) => row[4] === "value dropped");
    expect((await database.recordLink.findFirst({ where: { runId, objectType: "customers", sourceId: dropped?.[1] } }))?.status).toBe("created");
  });

  it("streams the source id → target id ledger, one row per record-map entry of the run", async () => {
    const links = await database.recordLink.findMany({
      where: { OR: [{ runId }, { createdByRunId: runId }] },
      select: { objectType: true, sourceId: true, targetId: true, status: true },
    });
    const rows = parseCsv(await text((await ledgerCsv(database, orgA, runId)).stream));
    expect(rows[0].slice(0, 5)).toEqual(["object_type", "source_id", "target_object_type", "target_id", "status"]);
    expect(rows.length - 1).toBe(links.length);
    expect(links.length).toBeGreaterThan(1_000 / 10);
    const created = links.find((link) => link.status === "created");
    const row = rows.find((candidate) => candidate[0] === created?.objectType && candidate[1] === created?.sourceId);
    expect(row?.[3]).toBe(created?.targetId);
    expect(row?.[5]).toBe("yes");
  });
});

describe("a run with failures", () => {
  it("is never reported clean: the outcome, the verification rows and the completion event say how many failed", async () => {
    const progress = await loadRunProgress(database, orgA, runId);
    expect(progress.status).toBe("completed");
    expect(progress.totals.failed).toBeGreaterThan(0);
    expect(runOutcome(progress.status, progress.totals.failed)).toEqual({ label: `Completed with ${progress.totals.failed} failures`, tone: "amber" });
    expect(runOutcome("completed", 0)).toEqual({ label: "Completed", tone: "green" });
    const dashboard = await loadRunDashboard(database, orgA, runId);
    expect(dashboard.failures.every((failure) => failure.nextStep === nextStepFor(failure.errorCode))).toBe(true);
    const completed = await database.runEvent.findFirstOrThrow({ where: { runId, kind: "completed" } });
    expect(completed.level).toBe("warn");
    expect(completed.message).not.toMatch(/Verification is clean/);
    expect(completed.message).toMatch(new RegExp(`${progress.totals.failed} failed records? (is|are) not there`));
  });
});

describe("rollback confirmation", () => {
  it("counts exactly the records the run created, per object, and what is kept", async () => {
    const preview = await rollbackPreview(database, orgA, runId);
    const grouped = await database.recordLink.groupBy({
      by: ["objectType"],
      where: { createdByRunId: runId, status: { in: ["created", "updated"] }, targetId: { not: null } },
      _count: { _all: true },
    });
    for (const group of grouped) expect(preview.objects.find((object) => object.objectType === group.objectType)?.count).toBe(group._count._all);
    expect(preview.total).toBe(grouped.reduce((sum, group) => sum + group._count._all, 0));
    expect(rollbackSentence(preview)).toMatch(/^Deletes .+ \(\d+ records\) from /);
  });

  it("deletes a demo's records after confirmation, and counts them as removed", async () => {
    // A fresh target: the full run above already holds these records, a demo there would only skip them.
    const target = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, workspaceMembers: members });
    closers.push(() => target.close());
    const demoMigration = await setupMigration(database, {
      source: { systemId: "sample", credentials: { scale: 0.05 } },
      target: { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: target.url } },
    });
    const access: RunAccess = { kind: "organization", organizationId: demoMigration.organizationId };
    const { runId: demoId } = await startDemoRun(
      database,
      adminOf(demoMigration.organizationId),
      access,
      { migrationId: demoMigration.migrationId, sampleSize: 3 },
      { dispatcher: noDispatch, resolveSession: demoMigration.resolver, readiness: readyForDemo },
    );
    expect(await driveRun(database, demoId, demoMigration.resolver)).toBe("completed");
    const results = await demoResults(database, access, demoId, { resolveSession: demoMigration.resolver });
    const compared = results.records.find((record) => record.fields && record.fields.length > 0);
    expect(compared?.targetId).toBeTruthy();
    expect(compared?.fields?.some((field) => field.outcome === "same")).toBe(true);
    const preview = await rollbackPreview(database, access, demoId);
    expect(preview.total).toBeGreaterThan(0);
    await expect(
      rollbackRunCommand(database, { access, role: builtInRole("admin") }, { runId: demoId, confirm: false }, { dispatcher: noDispatch }),
    ).rejects.toThrow();
    await rollbackRunCommand(
      database,
      { access, role: builtInRole("admin") },
      { runId: demoId, confirm: true },
      { dispatcher: noDispatch, resolveSession: demoMigration.resolver },
    );
    expect((await database.run.findUniqueOrThrow({ where: { id: demoId } })).status).toBe("rolling_back");
    expect(await driveRun(database, demoId, demoMigration.resolver)).toBe("rolled_back");
    expect(await database.recordLink.count({ where: { createdByRunId: demoId, status: "removed" } })).toBe(preview.total);
    expect((await rollbackPreview(database, access, demoId)).total).toBe(0);
  }, 60_000);
});

describe("staff monitor", () => {
  it("lists the runs of two organizations and flags a stalled one", async () => {
    const now = new Date();
    const other = await database.organization.create({ data: { name: "Stalled Co" }, select: { id: true } });
    const otherMigration = await database.migration.create({ data: { organizationId: other.id, name: "Stalled migration" }, select: { id: true } });
    const stale = new Date(now.getTime() - STALLED_AFTER_MS - 60_000);
    const stalled = await database.run.create({
      data: { migrationId: otherMigration.id, mode: "full", status: "running", startedAt: stale, heartbeatAt: stale, processedRecords: 10, failedRecords: 2 },
      select: { id: true },
    });
    const healthy = await database.run.create({
      data: { migrationId: otherMigration.id, mode: "full", status: "paused", startedAt: stale, heartbeatAt: stale },
      select: { id: true },
    });
    const rows = await staffRuns(database, now);
    const organizations = new Set(rows.map((row) => row.organizationId));
    expect(organizations.has(migration.organizationId)).toBe(true);
    expect(organizations.has(other.id)).toBe(true);
    expect(rows.find((row) => row.id === stalled.id)).toMatchObject({
      stalled: true,
      organizationName: "Stalled Co",
      migrationName: "Stalled migration",
      errorRate: 0.2,
      canCancel: true,
    });
    expect(rows.find((row) => row.id === healthy.id)?.stalled).toBe(false);
    expect(rows.find((row) => row.id === runId)).toMatchObject({ stalled: false, status: "completed" });
    expect(rows.filter((row) => row.stalled).map((row) => row.id)).toEqual([stalled.id]);
  });
});

describe("after-run hook", () => {
  it("reactivates exactly the Teamwork Desk triggers recorded as setting changes when the full run completes, once, and logs it", async () => {
    const desk = await startTeamworkDeskSandbox({ apiKey: API_KEY, rateLimit: 0 });
    closers.push(() => desk.close());
    const recordedA = desk.state.addTrigger({ name: "Auto-assign", inboxIds: [], state: "inactive" });
    const recordedB = desk.state.addTrigger({ name: "Auto-reply", inboxIds: [], state: "inactive" });
    const leftOff = desk.state.addTrigger({ name: "Turned off by the customer", inboxIds: [], state: "inactive" });
    const organization = await database.organization.create({ data: { name: "Desk target" }, select: { id: true } });
    const connection = (systemId: string) =>
      database.connection.create({
        data: { organizationId: organization.id, systemId, label: systemId, credentialsCiphertext: "test-only", keyVersion: 1 },
        select: { id: true },
      });
    const [source, target] = [await connection("sample"), await connection("teamwork-desk")];
    const recorded = [String(recordedA.id), String(recordedB.id)];
    const deskMigration = await database.migration.create({
      data: { organizationId: organization.id, name: "To Desk", sourceConnectionId: source.id, targetConnectionId: target.id },
      select: { id: true },
    });
    await recordFixChanges(database, {
      migrationId: deskMigration.id,
      connectionId: target.id,
      fixId: "deactivate-triggers",
      changes: recorded.map((ref) => ({ kind: "setting", ref, label: `Switched off the trigger ${ref}`, previous: { state: "active" } })),
    });
    const resolveSession = resolverFor({
      [source.id]: { systemId: "sample", credentials: { scale: 0.01 } },
      [target.id]: { systemId: "teamwork-desk", credentials: { apiKey: API_KEY, site: desk.url } },
    });
    const stateOf = (id: unknown) => desk.state.get("triggers", Number(id))?.state;

    const demo = await database.run.create({ data: { migrationId: deskMigration.id, mode: "demo", status: "completed" }, select: { id: true } });
    expect((await afterRunFinished(database, demo.id, { resolveSession })).restored).toEqual([]);
    const running = await database.run.create({ data: { migrationId: deskMigration.id, mode: "full", status: "running" }, select: { id: true } });
    expect((await afterRunFinished(database, running.id, { resolveSession })).restored).toEqual([]);
    expect(stateOf(recordedA.id)).toBe("inactive");

    await database.run.update({ where: { id: running.id }, data: { status: "completed", finishedAt: new Date() } });
    expect((await afterRunFinished(database, running.id, { resolveSession })).restored.sort()).toEqual(
      recorded.map((ref) => `Switched off the trigger ${ref}`).sort(),
    );
    expect([stateOf(recordedA.id), stateOf(recordedB.id), stateOf(leftOff.id)]).toEqual(["active", "active", "inactive"]);
    expect((await listSettingChanges(database, deskMigration.id)).outstanding).toEqual([]);
    const events = await database.runEvent.findMany({ where: { runId: running.id, kind: "settings_restored" } });
    expect(events).toHaveLength(1);
    expect(events[0].message).toContain(`switched off the trigger ${recordedA.id}`);

    // Idempotent: a second call (the other runner, a replayed step) does nothing more.
    expect((await afterRunFinished(database, running.id, { resolveSession })).restored).toEqual([]);
    expect(await database.runEvent.count({ where: { runId: running.id, kind: "settings_restored" } })).toBe(1);
  });
});
