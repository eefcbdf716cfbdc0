// The migration report on a real PostgreSQL database with the real engine (Sample → Twenty sandbox, one
// customer with a bad email, tickets whose subject is too long for the target): it names the
// warned and failed records as the source does, and another organization gets NotFound.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { CanonicalRecord, ConnectorSession, FullName } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { RunAccess } from "@/lib/runs/access";
import { fullRunSummary } from "@/lib/runs/full-run-summary";
import { escapeHtml, loadMigrationReport, renderMigrationReport } from "@/lib/runs/report";
import { recordFixChanges } from "@/lib/settings/changes";
import { createTestDatabase } from "../helpers/database";
import { runToEnd, sampleAgentsAsWorkspaceMembers, sessionFor, setupMigration, withSourceValues, type TestMigration } from "../helpers/engine-fixtures";

const API_KEY = "migration-report-key";
const TICKET_NAME_LIMIT = 30;
const SAMPLE = { systemId: "sample" as const, credentials: { scale: 0.05 } };
const BAD_EMAIL = "kwame johnson@northwind-group.example";

let database: Database;
let cleanup: () => Promise<void>;
let closeTarget: () => Promise<void>;
let migration: TestMigration;
let runId: string;
let orgA: RunAccess;
let orgB: RunAccess;

/** Twenty with a short ticket-name limit: long ticket subjects fail with a VALIDATION reason. */
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

async function sourceRecords(objectType: string): Promise<CanonicalRecord[]> {
  const records: CanonicalRecord[] = [];
  for await (const page of sessionFor(SAMPLE).read(objectType)) records.push(...page.records);
  return records;
}

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
  const target = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, workspaceMembers: sampleAgentsAsWorkspaceMembers() });
  closeTarget = () => target.close();
  migration = await setupMigration(database, {
    source: SAMPLE,
    target: { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: target.url } },
    wrapTarget: withTicketNameLimit,
    wrapSource: withSourceValues("customers", "email", { cus_1: BAD_EMAIL }),
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
  await recordFixChanges(database, {
    migrationId: migration.migrationId,
    connectionId: migration.targetConnectionId,
    fixId: "deactivate-triggers",
    changes: [{ kind: "setting", ref: "7", label: "Switched off the trigger “Send <b>auto-reply</b>”", previous: { state: "active" } }],
  });
}, 90_000);

afterAll(async () => {
  await closeTarget?.();
  await cleanup?.();
});

describe("migration report", () => {
  it("lists the run per object with the same counts the run holds", async () => {
    const report = await loadMigrationReport(database, orgA, migration.migrationId, { resolveSession: migration.resolver });
    const run = await database.run.findUniqueOrThrow({ where: { id: runId }, include: { objects: true } });
    expect(report.runs.map((row) => [row.id, row.mode, row.status])).toEqual([[runId, "full", "completed"]]);
    const customers = report.runs[0].objects.find((object) => object.objectType === "customers");
    const stored = run.objects.find((object) => object.objectType === "customers");
    expect(customers).toMatchObject({ selected: stored?.total, created: stored?.created, failed: stored?.failed, repaired: 1 });
    expect(report.failures.total).toBe(run.failedRecords);
    expect(report.verification?.runId).toBe(runId);
    // The same "Will not migrate" sentences the full-run step shows.
    expect(report.willNotMigrate.length).toBeGreaterThan(0);
    expect(report.willNotMigrate).toEqual((await fullRunSummary(database, orgA, migration.migrationId, { resolveSession: migration.resolver })).willNotMigrate);
    expect(report.settings.outstanding.map((change) => change.label)).toEqual(["Switched off the trigger “Send <b>auto-reply</b>”"]);
  });

  it("estimates the next full run at the live limit the last run into the target kept to, even from a process that never met it", async () => {
    const published = await fullRunSummary(database, orgA, migration.migrationId, { resolveSession: migration.resolver });
    expect(published.estimate?.rateLimit).toBe("100 requests per 1 min");
    // What a run's commits store when the workspace showed 50 a minute (lib/migration/commit.ts).
    await database.run.update({ where: { id: runId }, data: { targetRateLimit: 50, targetRateWindowMs: 60_000 } });
    try {
      const live = await fullRunSummary(database, orgA, migration.migrationId, { resolveSession: migration.resolver });
      expect(live.estimate?.rateLimit).toBe("50 requests per 1 min");
      expect(live.estimate?.seconds).toBeGreaterThan((published.estimate?.seconds ?? 0) * 1.8);
    } finally {
      await database.run.update({ where: { id: runId }, data: { targetRateLimit: null, targetRateWindowMs: null } });
    }
  });

  it("names the warned customer and the failed tickets as the source names them", async () => {
    const report = await loadMigrationReport(database, orgA, migration.migrationId, { resolveSession: migration.resolver });
    const customer = (await sourceRecords("customers")).find((record) => record.id === "cus_1");
    const name = customer?.fields.name as FullName;
    const fullName = `${name.firstName} ${name.lastName}`;
    expect(report.warnings.rows.find((row) => row.sourceId === "cus_1" && row.field === "email")).toMatchObject({
      sourceName: fullName,
      original: BAD_EMAIL,
      action: "repaired",
    });
    const subjects = new Map((await sourceRecords("tickets")).map((record) => [record.id, record.fields.subject]));
    expect(report.failures.rows.length).toBeGreaterThan(0);
    for (const failure of report.failures.rows)
      expect(failure).toMatchObject({ objectType: "tickets", errorCode: "VALIDATION", sourceName: subjects.get(failure.sourceId) });
    // Ticket messages have no name of their own: they are named after their ticket.
    const message = report.warnings.rows.find((row) => row.objectType === "messages");
    const ticketId = message?.sourceId.replace(/^msg_(\d+)_\d+$/, "tkt_$1");
    expect(message?.sourceName).toBe(`in “${String(subjects.get(ticketId ?? ""))}”`);

    const html = renderMigrationReport(report);
    expect(html).toContain(`<td>${escapeHtml(`${fullName} (cus_1)`)}</td><td>email</td><td>${escapeHtml(BAD_EMAIL)}</td><td>repaired</td>`);
    expect(html).toContain(escapeHtml(`${String(subjects.get(report.failures.rows[0].sourceId))} (${report.failures.rows[0].sourceId})`));
    expect(html).toContain("Not restored yet");
    expect(html).not.toContain("<b>auto-reply</b>");
  });

  it("answers NotFound to another organization", async () => {
    await expect(loadMigrationReport(database, orgB, migration.migrationId, { resolveSession: migration.resolver })).rejects.toBeInstanceOf(NotFoundError);
  });
});
