// The audit's "skip stale customers" finding, applied in one click, leaves out exactly the
// customers the audit counted: the engine counts a customer's tickets, messages, deals, tasks and
// notes as activity the way the audit does (lib/audit/activity.ts), through its pre-pass.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { REFERENCE_DATE, sampleRecords } from "@/connectors/sample";
import type { CanonicalRecord } from "@/connectors/types";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import { createConnection } from "@/lib/connections";
import { generateKey } from "@/lib/crypto";
import type { Database } from "@/lib/db";
import { reloadEnvironment } from "@/lib/env";
import { createRun, runSlice } from "@/lib/migration/engine";
import type { OrgContext } from "@/lib/team";
import {
  applyPrerequisiteFix,
  applySuggestion,
  checkPrerequisites,
  createMigrationDraft,
  ensurePlan,
  findingsOf,
  runAudit,
  selectConnection,
} from "@/lib/wizard";
import { createTestDatabase } from "../helpers/database";
import { TEST_RETRY_WAIT, driveRun, resolverFor, sampleAgentsAsWorkspaceMembers, type Endpoint } from "../helpers/engine-fixtures";
import { makeUserWithOrganization } from "../helpers/factories";

const API_KEY = "stale-filter-key-7c1e";
const SCALE = 0.2;
// The Sample data is dated relative to REFERENCE_DATE: the audit and the run judge staleness then.
const NOW = new Date(REFERENCE_DATE);
const SOURCE: Endpoint = { systemId: "sample", credentials: { scale: SCALE } };

let database: Database;
let cleanup: () => Promise<void>;
let twenty: Awaited<ReturnType<typeof startTwentySandbox>>;

beforeAll(async () => {
  vi.stubEnv("NEXTAUTH_SECRET", "x".repeat(40));
  vi.stubEnv("ENCRYPTION_KEYS", `1:${generateKey()}`);
  vi.stubEnv("ALLOW_PRIVATE_CONNECTION_URLS", "1");
  reloadEnvironment();
  ({ database, cleanup } = await createTestDatabase());
  twenty = await startTwentySandbox({ apiKey: API_KEY, port: 0, rateLimit: 0, workspaceMembers: sampleAgentsAsWorkspaceMembers() });
});

afterAll(async () => {
  await twenty?.close();
  await cleanup?.();
  vi.unstubAllEnvs();
  reloadEnvironment();
});

/** Sample → Twenty through the wizard: plan, audit, the stale suggestion applied, the target prepared. */
async function migrationWithStaleFilter(admin: OrgContext) {
  const sample = await createConnection(database, admin, { systemId: "sample", label: "Sample", credentials: { scale: String(SCALE) } });
  const crm = await createConnection(database, admin, { systemId: "twenty", label: "CRM", credentials: { apiKey: API_KEY, baseUrl: twenty.url } });
  const { id } = await createMigrationDraft(database, admin, { name: "Stale filter" });
  await selectConnection(database, admin, id, "source", sample.id);
  await selectConnection(database, admin, id, "target", crm.id);
  await ensurePlan(database, admin, id);
  const audit = await runAudit(database, admin, id, { now: NOW });
  const finding = findingsOf(audit).find((candidate) => candidate.id === "customers:stale-records");
  if (!finding) throw new Error("The audit found no stale customers in the Sample data");
  // The suggestion leaves records out: the user confirms the listed count, as the audit page asks.
  const plan = await applySuggestion(database, admin, { migrationId: id, findingId: finding.id, confirmSkipping: finding.count });
  expect(plan.filters).toMatchObject({ skipStaleYears: 2, staleObjects: ["customers"] });
  const report = await checkPrerequisites(database, admin, id);
  // Whatever the empty workspace lacks (the Tickets object, custom fields, source id fields), as a user would click.
  for (const check of report.checks)
    if (check.fix && check.status !== "pass") await applyPrerequisiteFix(database, admin, { migrationId: id, fixId: check.fix.id });
  const resolver = resolverFor({ [sample.id]: SOURCE, [crm.id]: { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: twenty.url } } });
  return { migrationId: id, finding, resolver };
}

/** Customer ids a failure message says the filters left out ("… customers record cus_12, which was left out by the plan's filters"). */
const leftOutCustomers = (message: string | null) =>
  [...(message ?? "").matchAll(/customers record (cus_\d+), which was left out by the plan's filters/g)].map((match) => match[1]);

describe("the stale filter in a run", () => {
  it("leaves out exactly the customers the audit counted, keeping those whose tickets are recent", async () => {
    const admin = await makeUserWithOrganization(database);
    const { migrationId, finding, resolver } = await migrationWithStaleFilter(admin);
    // All of them are listed, so the run's records can be compared one by one.
    expect(finding.examples).toHaveLength(finding.count);
    const staleIds = new Set(finding.examples.map((example) => example.sourceId));

    const { runId } = await createRun(database, { migrationId, mode: "full" });
    expect(await driveRun(database, runId, resolver, { budgetMs: 10_000, now: () => NOW })).toBe("completed");

    const filtered = await database.recordLink.findMany({
      where: { migrationId, status: "filtered" },
      select: { objectType: true, sourceId: true, errorMessage: true },
    });
    expect(filtered.length).toBe(finding.count);
    expect(new Set(filtered.map((link) => `${link.objectType}:${link.sourceId}`))).toEqual(new Set([...staleIds].map((id) => `customers:${id}`)));
    for (const link of filtered) expect(link.errorMessage).toMatch(/^No activity for over 2 years \(last on \d{4}-\d{2}-\d{2}\)$/);

    // Customers whose own record is old but whose tickets are recent were written, and so were their tickets.
    const cutoff = NOW.getTime() - 2 * 365.25 * 24 * 3_600_000;
    const keptByTickets = [...sampleRecords("customers", { scale: SCALE })].filter(
      (customer) => Date.parse(customer.updatedAt ?? customer.createdAt ?? "") < cutoff && !staleIds.has(customer.id),
    );
    expect(keptByTickets.length).toBeGreaterThan(0);
    const keptLinks = await database.recordLink.findMany({
      where: { migrationId, objectType: "customers", sourceId: { in: keptByTickets.map((customer) => customer.id) } },
      select: { status: true },
    });
    expect(keptLinks.map((link) => link.status).sort()).toEqual(keptByTickets.map(() => "created"));

    const tickets = [...sampleRecords("tickets", { scale: SCALE })];
    const ticketsOfKept = tickets.filter((ticket) => keptByTickets.some((customer) => customer.id === (ticket.fields.customer as { id: string }).id));
    const ticketLinks = await database.recordLink.findMany({
      where: { migrationId, objectType: "tickets", sourceId: { in: ticketsOfKept.map((ticket) => ticket.id) } },
      select: { status: true },
    });
    expect(ticketLinks.map((link) => link.status)).toEqual(ticketsOfKept.map(() => "created"));

    // No record misses a customer the filter left out unless the audit called that customer stale.
    const missing = await database.recordLink.findMany({
      where: { migrationId, errorMessage: { contains: "left out by the plan's filters" } },
      select: { errorMessage: true },
    });
    for (const link of missing) expect(leftOutCustomers(link.errorMessage).filter((id) => !staleIds.has(id))).toEqual([]);

    // Tickets and their messages keep their original creation dates (Twenty accepts createdAt on create, twenty-api §7).
    const createdTickets = await database.recordLink.findMany({
      where: { migrationId, objectType: { in: ["tickets", "messages"] }, status: "created" },
      select: { objectType: true, sourceId: true, targetId: true },
    });
    const sourceDates = new Map(
      tickets.flatMap((ticket) => [
        [`tickets:${ticket.id}`, ticket.createdAt],
        ...(ticket.children?.messages ?? []).map((message) => [`messages:${message.id}`, message.createdAt] as const),
      ]),
    );
    const targetDates = new Map([...twenty.state.records("tickets"), ...twenty.state.records("notes")].map((record) => [String(record.id), record.createdAt]));
    expect(createdTickets.length).toBeGreaterThan(tickets.length);
    expect(createdTickets.filter((link) => targetDates.get(link.targetId as string) !== sourceDates.get(`${link.objectType}:${link.sourceId}`))).toEqual([]);

    // Inline images of messages arrive as a placeholder naming the file, never as a dead cid: link.
    const bodies = twenty.state.records("notes").map((note) => JSON.stringify(note.bodyV2 ?? ""));
    expect(bodies.filter((body) => body.includes("cid:"))).toEqual([]);
    expect(bodies.some((body) => body.includes("[inline image image001.png — not migrated; see the original message]"))).toBe(true);

    // The pre-pass said what it read, and cleaned up after the run.
    const scanEvents = await database.runEvent.findMany({ where: { runId, kind: "activity_scan" }, orderBy: { at: "asc" }, select: { message: true } });
    expect(scanEvents.map((event) => event.message)).toEqual([
      expect.stringMatching(/^Reading agents, inboxes, companies, tickets.* once to find when each of the customers was last active/),
      expect.stringMatching(/^Found the latest related activity of [\d,]+ records of customers/),
    ]);
    expect(await database.relatedActivity.count({ where: { runId } })).toBe(0);
  }, 120_000);

  it("reads the related records page by page before judging any customer, resuming where a slice stopped", async () => {
    const admin = await makeUserWithOrganization(database);
    const { migrationId, resolver } = await migrationWithStaleFilter(admin);
    const { runId } = await createRun(database, { migrationId, mode: "full" });
    const oneBatch = () =>
      runSlice(database, runId, { budgetMs: 10_000, maxBatches: 1, resolveSession: resolver, retryWait: TEST_RETRY_WAIT, pageSize: 20, now: () => NOW });
    const scanState = async () =>
      JSON.parse((await database.run.findUniqueOrThrow({ where: { id: runId }, select: { activityScan: true } })).activityScan ?? "null") as unknown;

    // One page per slice: the position moves through every object the audit reads too (agents, inboxes, companies, tickets, …).
    const positions: unknown[] = [];
    const activityCounts: number[] = [];
    for (let slice = 0; slice < 100 && !(positions.at(-1) as { done?: boolean } | undefined)?.done; slice += 1) {
      await oneBatch();
      positions.push(await scanState());
      activityCounts.push(await database.relatedActivity.count({ where: { runId } }));
      // No customer is judged, and nothing written, before the pre-pass is complete.
      expect(await database.recordLink.count({ where: { migrationId } })).toBe(0);
    }
    expect(positions.at(-1)).toEqual({ done: true });
    expect(positions).toContainEqual({ done: false, objectType: "tickets", cursor: expect.any(String) });
    expect(new Set(positions.map((position) => (position as { objectType?: string }).objectType).filter(Boolean))).toEqual(
      new Set(["inboxes", "companies", "tickets", "opportunities", "tasks", "notes"]),
    );
    expect(activityCounts).toEqual([...activityCounts].sort((a, b) => a - b));
    expect(activityCounts.at(-1)).toBeGreaterThan(activityCounts[0]);

    expect(await driveRun(database, runId, resolver, { budgetMs: 10_000, pageSize: 20, now: () => NOW })).toBe("completed");
    expect(await database.recordLink.count({ where: { migrationId, status: "filtered" } })).toBeGreaterThan(0);
  }, 120_000);

  it("judges a demo's customers by the activity of the tickets the demo chose", async () => {
    const admin = await makeUserWithOrganization(database);
    const { migrationId, resolver } = await migrationWithStaleFilter(admin);
    const { runId } = await createRun(database, { migrationId, mode: "demo", sampleSize: 10 });
    expect(await driveRun(database, runId, resolver, { budgetMs: 10_000, now: () => NOW })).toBe("completed");

    const selection = JSON.parse(
      (await database.runObject.findUniqueOrThrow({ where: { runId_objectType: { runId, objectType: "tickets" } } })).selection ?? "[]",
    ) as CanonicalRecord[];
    const cutoff = NOW.getTime() - 2 * 365.25 * 24 * 3_600_000;
    const recentCustomers = [
      ...new Set(selection.filter((ticket) => Date.parse(ticket.updatedAt ?? "") >= cutoff).map((ticket) => (ticket.fields.customer as { id: string }).id)),
    ];
    expect(recentCustomers.length).toBeGreaterThan(0);
    // A customer whose chosen ticket is recent is active, whatever the date of their own record.
    const links = await database.recordLink.findMany({
      where: { migrationId, objectType: "customers", sourceId: { in: recentCustomers } },
      select: { status: true },
    });
    expect(links.filter((link) => link.status === "filtered")).toEqual([]);
    expect(links).toHaveLength(recentCustomers.length);
    const scanEvents = await database.runEvent.count({ where: { runId, kind: "activity_scan" } });
    expect(scanEvents).toBe(2);
  }, 120_000);
});
