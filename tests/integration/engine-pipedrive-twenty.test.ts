// Pipedrive ⇄ Twenty through the engine with the default plans (objects paired by their roles in
// each connector's manifest), over real HTTP against both sandboxes: none failed, verification
// clean, every source record once in the target.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPipedriveSandbox } from "@/connectors/pipedrive/sandbox";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import { parseVerification } from "@/lib/migration/verify";
import { createTestDatabase } from "../helpers/database";
import { runToEnd, sampleAgentsAsWorkspaceMembers, setupMigration, type Endpoint } from "../helpers/engine-fixtures";

const TOKEN = "engine-pipedrive-twenty-token";

let database: Database;
let cleanup: () => Promise<void>;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
});

afterAll(async () => {
  for (const close of closers) await close();
  await cleanup?.();
});

async function expectCleanRun(migrationId: string, runId: string) {
  const run = await database.run.findUniqueOrThrow({ where: { id: runId } });
  expect(run.status).toBe("completed");
  const failed = await database.recordLink.findMany({
    where: { migrationId, status: "failed" },
    select: { objectType: true, sourceId: true, errorMessage: true },
  });
  expect(failed).toEqual([]);
  const verification = parseVerification(run.verification);
  expect(verification?.discrepancies).toEqual([]);
  expect(verification?.clean).toBe(true);
}

const pairsOf = (plan: { objects: { sourceObject: string; targetObject: string; enabled: boolean }[] }) =>
  plan.objects.filter((pair) => pair.enabled).map((pair) => `${pair.sourceObject} → ${pair.targetObject}`);

describe("Pipedrive ⇄ Twenty", () => {
  it("Pipedrive → Twenty: organizations, persons, deals, activities and notes arrive as companies, people, opportunities, tasks and notes", async () => {
    const pipedrive = await startPipedriveSandbox({ apiKey: TOKEN, rateLimit: 0, seed: "sample" });
    const twenty = await startTwentySandbox({
      apiKey: TOKEN,
      rateLimit: 0,
      workspaceMembers: pipedrive.state.users.map((user) => ({
        email: user.email,
        firstName: user.name.split(" ")[0],
        lastName: user.name.split(" ").slice(1).join(" "),
      })),
    });
    closers.push(pipedrive.close, twenty.close);
    const source: Endpoint = { systemId: "pipedrive", credentials: { apiToken: TOKEN, baseUrl: pipedrive.url } };
    const target: Endpoint = { systemId: "twenty", credentials: { apiKey: TOKEN, baseUrl: twenty.url } };
    const migration = await setupMigration(database, { source, target });
    expect(pairsOf(migration.plan)).toEqual(
      expect.arrayContaining(["organizations → companies", "persons → people", "deals → opportunities", "activities → tasks", "notes → notes"]),
    );
    const { runId, status } = await runToEnd(database, migration, "full");
    expect(status).toBe("completed");
    await expectCleanRun(migration.migrationId, runId);
    const live = (plural: string) => twenty.state.records(plural).filter((record) => !record.deletedAt);
    expect(live("companies")).toHaveLength(pipedrive.state.live("organizations").length);
    expect(live("people")).toHaveLength(pipedrive.state.live("persons").length);
    expect(live("opportunities")).toHaveLength(pipedrive.state.live("deals").length);
    expect(live("tasks")).toHaveLength(pipedrive.state.live("activities").length);
    expect(live("notes")).toHaveLength(pipedrive.state.notes.size);
  }, 180_000);

  it("Twenty → Pipedrive: companies, people, opportunities, tasks and notes arrive as organizations, persons, deals, activities and notes", async () => {
    const twenty = await startTwentySandbox({ apiKey: TOKEN, rateLimit: 0, seed: "sample" });
    const pipedrive = await startPipedriveSandbox({
      apiKey: TOKEN,
      rateLimit: 0,
      users: sampleAgentsAsWorkspaceMembers().map((member) => ({ name: `${member.firstName} ${member.lastName}`.trim(), email: member.email })),
    });
    closers.push(twenty.close, pipedrive.close);
    const source: Endpoint = { systemId: "twenty", credentials: { apiKey: TOKEN, baseUrl: twenty.url } };
    const target: Endpoint = { systemId: "pipedrive", credentials: { apiToken: TOKEN, baseUrl: pipedrive.url } };
    const migration = await setupMigration(database, { source, target });
    expect(pairsOf(migration.plan)).toEqual(
      expect.arrayContaining(["companies → organizations", "people → persons", "opportunities → deals", "tasks → activities", "notes → notes"]),
    );
    const { runId, status } = await runToEnd(database, migration, "full");
    expect(status).toBe("completed");
    await expectCleanRun(migration.migrationId, runId);
    const live = (plural: string) => twenty.state.records(plural).filter((record) => !record.deletedAt);
    expect(pipedrive.state.live("organizations")).toHaveLength(live("companies").length);
    expect(pipedrive.state.live("persons")).toHaveLength(live("people").length);
    expect(pipedrive.state.live("deals")).toHaveLength(live("opportunities").length);
    expect(pipedrive.state.live("activities")).toHaveLength(live("tasks").length);
    expect(pipedrive.state.notes.size).toBe(live("notes").length);
    // Deal values come from the opportunities' amounts; people keep their creation date (pipedrive-api §5.1 add_time).
    const mapped = (source: string, target: string) =>
      migration.plan.objects
        .find((pair) => pair.sourceObject === source)
        ?.fieldMappings.some((mapping) => mapping.sourceField === target && mapping.targetField === target);
    expect(mapped("opportunities", "amount")).toBe(true);
    expect(mapped("people", "createdAt")).toBe(true);
    const amounts = live("opportunities")
      .map((opportunity) => (opportunity.amount as { amountMicros: number | null } | null)?.amountMicros ?? 0)
      .reduce((sum, micros) => sum + micros, 0);
    const values = pipedrive.state.live("deals").reduce((sum, deal) => sum + Math.round(Number(deal.values.value ?? 0) * 1_000_000), 0);
    expect(values).toBe(amounts);
    expect(amounts).toBeGreaterThan(0);
    const created = new Set(live("people").map((person) => Date.parse(String(person.createdAt)) - (Date.parse(String(person.createdAt)) % 1000)));
    expect(pipedrive.state.live("persons").every((person) => created.has(person.addTime))).toBe(true);
  }, 300_000);
});
