// Full runs through the engine with Pipedrive at one end, over real HTTP against the sandboxes:
// no record failed, verification clean, and what the target holds matches the source.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPipedriveSandbox, type PipedriveStore } from "@/connectors/pipedrive/sandbox";
import { startTeamworkDeskSandbox } from "@/connectors/teamwork-desk/sandbox";
import type { Database } from "@/lib/db";
import { parseVerification } from "@/lib/migration/verify";
import { createTestDatabase } from "../helpers/database";
import { runToEnd, setupMigration, type Endpoint } from "../helpers/engine-fixtures";

const TOKEN = "engine-pipedrive-token";

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

async function pipedrive(seed: "empty" | "sample") {
  const box = await startPipedriveSandbox({ apiKey: TOKEN, rateLimit: 0, seed });
  closers.push(box.close);
  return { endpoint: { systemId: "pipedrive", credentials: { apiToken: TOKEN, baseUrl: box.url } } satisfies Endpoint, state: box.state };
}

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

describe("engine with Pipedrive", () => {
  it("Pipedrive → Pipedrive: every object arrives once with its links, owners and values; a delta run brings the changes", async () => {
    const source = await pipedrive("sample");
    const target = await pipedrive("empty");
    const migration = await setupMigration(database, { source: source.endpoint, target: target.endpoint });
    expect(migration.plan.objects.map((pair) => `${pair.sourceObject} → ${pair.targetObject}`)).toEqual([
      "organizations → organizations",
      "persons → persons",
      "deals → deals",
      "activities → activities",
      "notes → notes",
    ]);
    const { runId, status } = await runToEnd(database, migration, "full");
    expect(status).toBe("completed");
    await expectCleanRun(migration.migrationId, runId);

    for (const entity of ["organizations", "persons", "deals", "activities"] as const)
      expect(target.state.live(entity)).toHaveLength(source.state.live(entity).length);
    expect(target.state.notes.size).toBe(source.state.notes.size);
    // Links point at the target's own records, by the same names; owners are the users of the same email.
    const name = (state: PipedriveStore, entity: "organizations" | "persons", id: unknown) => state.records[entity].get(Number(id))?.values.name;
    const emailOf = (state: PipedriveStore, id: unknown) => state.users.find((user) => user.id === id)?.email;
    const people = (state: PipedriveStore) =>
      state
        .live("persons")
        .map(
          (person) =>
            `${String(person.values.name)}|${JSON.stringify((person.values.emails as { value: string; primary: boolean }[]).map(({ value, primary }) => ({ value, primary })))}|${String(name(state, "organizations", person.values.org_id))}|${String(emailOf(state, person.values.owner_id))}`,
        )
        .sort();
    expect(people(target.state)).toEqual(people(source.state));
    const stageName = (state: PipedriveStore, id: unknown) => state.stages.find((stage) => stage.id === id)?.name;
    const deals = (state: PipedriveStore) =>
      state
        .live("deals")
        .map(
          (deal) =>
            `${String(deal.values.title)}|${String(deal.values.value)} ${String(deal.values.currency)}|${String(stageName(state, deal.values.stage_id))}|${String(deal.values.status)}|${String(name(state, "persons", deal.values.person_id))}`,
        )
        .sort();
    expect(deals(target.state)).toEqual(deals(source.state));
    const notes = (state: PipedriveStore) =>
      [...state.notes.values()]
        .map((note) => `${note.content}|${String(name(state, "persons", note.person_id))}|${String(name(state, "organizations", note.org_id))}`)
        .sort();
    expect(notes(target.state)).toEqual(notes(source.state));
    // Every record carries its source id (the setup applied the fix that adds the field).
    const stamp = target.state.fields.persons.find((field) => field.field_name === "Ferry source id")?.field_code as string;
    expect(
      target.state
        .live("persons")
        .map((person) => person.customFields[stamp])
        .sort(),
    ).toEqual(
      source.state
        .live("persons")
        .map((person) => String(person.id))
        .sort(),
    );

    // A delta run (pipedrive-api §5.7: updated_since) updates the changed record and creates the new one.
    const [changed] = source.state.live("persons");
    const call = (method: string, path: string, body: unknown) =>
      fetch(`${source.endpoint.credentials.baseUrl}${path}`, {
        method,
        headers: { "x-api-token": TOKEN, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await call("PATCH", `/api/v2/persons/${changed.id}`, { name: "Ada Delta" })).status).toBe(200);
    expect((await call("POST", "/api/v2/organizations", { name: "Founded After The Full Run" })).status).toBe(201);
    const delta = await runToEnd(database, migration, "delta");
    expect(delta.status).toBe("completed");
    const deltaRun = await database.run.findUniqueOrThrow({ where: { id: delta.runId } });
    expect(deltaRun).toMatchObject({ processedRecords: 2, updatedRecords: 1, createdRecords: 1, failedRecords: 0 });
    const link = await database.recordLink.findFirstOrThrow({
      where: { migrationId: migration.migrationId, objectType: "persons", sourceId: String(changed.id) },
    });
    expect(target.state.records.persons.get(Number(link.targetId))?.values.name).toBe("Ada Delta");
    expect(target.state.live("organizations").map((org) => org.values.name)).toContain("Founded After The Full Run");
    expect(target.state.live("organizations")).toHaveLength(source.state.live("organizations").length);
  }, 120_000);

  it("Teamwork Desk → Pipedrive: companies and customers arrive as organizations and persons, linked", async () => {
    const site = await startTeamworkDeskSandbox({ apiKey: TOKEN, port: 0, rateLimit: 0, seed: "sample", sampleScale: 0.01 });
    closers.push(site.close);
    const target = await pipedrive("empty");
    const desk: Endpoint = { systemId: "teamwork-desk", credentials: { apiKey: TOKEN, site: site.url } };
    const migration = await setupMigration(database, { source: desk, target: target.endpoint });
    expect(migration.plan.objects.filter((pair) => pair.enabled).map((pair) => `${pair.sourceObject} → ${pair.targetObject}`)).toEqual([
      "companies → organizations",
      "customers → persons",
    ]);
    const { runId, status } = await runToEnd(database, migration, "full");
    expect(status).toBe("completed");
    await expectCleanRun(migration.migrationId, runId);
    const companies = site.state.list("companies").filter((row) => row.state !== "deleted");
    const customers = site.state.list("customers").filter((row) => row.state !== "deleted");
    expect(target.state.live("organizations")).toHaveLength(companies.length);
    expect(target.state.live("persons")).toHaveLength(customers.length);
    expect(target.state.live("persons").filter((person) => person.values.org_id !== null).length).toBeGreaterThan(0);
  }, 120_000);
});
