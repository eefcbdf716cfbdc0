// Twenty → Teamwork Desk over real HTTP, from a Twenty workspace as a help desk migration leaves
// it: Sample → Twenty first (Ferry's Tickets object, the threads as notes linked to their
// ticket), then Twenty → a Desk site. Tickets must arrive in Desk with their notes as threads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTeamworkDeskSandbox } from "@/connectors/teamwork-desk/sandbox";
import type { CanonicalRecord } from "@/connectors/types";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { Database } from "@/lib/db";
import type { FieldMapping } from "@/lib/mapping/field-mapping";
import type { MigrationPlan } from "@/lib/plan";
import { runProgress } from "@/lib/migration/progress";
import { createTestDatabase } from "../helpers/database";
import { runToEnd, sampleAgentsAsWorkspaceMembers, sessionFor, setupMigration, type Endpoint } from "../helpers/engine-fixtures";

const API_KEY = "twenty-to-desk-key";
/** About 20 tickets with their threads (some lose their customer to the audit-free default plan), a few customers. */
const SAMPLE = { seed: 7, scale: 0.02 };

let database: Database;
let cleanup: () => Promise<void>;
const closers: (() => Promise<void>)[] = [];
let twenty: Endpoint;
let desk: Endpoint;

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
  const crm = await startTwentySandbox({ apiKey: API_KEY, port: 0, rateLimit: 0, seed: "empty", workspaceMembers: sampleAgentsAsWorkspaceMembers() });
  // The Desk the tickets go back to: a site with inboxes and the same agents (the Sample help desk, at a small scale).
  const site = await startTeamworkDeskSandbox({ apiKey: API_KEY, port: 0, rateLimit: 0, seed: "sample", sampleScale: 0.01 });
  closers.push(crm.close, site.close);
  twenty = { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: crm.url } };
  desk = { systemId: "teamwork-desk", credentials: { apiKey: API_KEY, site: site.url } };
  const there = await setupMigration(database, { source: { systemId: "sample", credentials: SAMPLE }, target: twenty });
  const { status } = await runToEnd(database, there, "full");
  expect(status).toBe("completed");
}, 240_000);

afterAll(async () => {
  for (const close of closers) await close();
  await cleanup?.();
});

const PLACEHOLDER_CUSTOMER = "no-customer@acme.example";

/** The plan with a default on one target field of a pair (mapped or not), as the mapping page saves it. */
function withDefault(plan: MigrationPlan, sourceObject: string, targetField: string, value: string): MigrationPlan {
  return {
    ...plan,
    objects: plan.objects.map((pair) => {
      if (pair.sourceObject !== sourceObject) return pair;
      const existing = pair.fieldMappings.some((mapping) => mapping.targetField === targetField);
      const fieldMappings: FieldMapping[] = existing
        ? pair.fieldMappings.map((mapping) => (mapping.targetField === targetField ? { ...mapping, defaultValue: value } : mapping))
        : [...pair.fieldMappings, { sourceField: null, targetField, defaultValue: value, compatibility: "exact" }];
      return { ...pair, fieldMappings };
    }),
  };
}

async function readAll(endpoint: Endpoint, objectType: string, children: string[] = []): Promise<CanonicalRecord[]> {
  const records: CanonicalRecord[] = [];
  for await (const page of sessionFor(endpoint).read(objectType, { children })) records.push(...page.records);
  return records;
}

describe("Twenty (after a help desk migration) → Teamwork Desk", () => {
  it("brings Ferry's tickets back into Desk with the notes linked to each as its thread, none failed", async () => {
    const owner = (await sessionFor(desk).listUsers()).find((agent) => agent.email === "owner@sandbox.teamwork.example");
    expect(owner).toBeDefined();
    const productArea = (await sessionFor(desk).describe()).objectTypes
      .find((object) => object.key === "tickets")
      ?.fields.find((field) => field.label === "Product area");
    expect(productArea?.required).toBe(true);
    // What the user picks on the mapping page: a fallback agent for notes written through the API
    // key (no member is their author), a placeholder customer for tasks linked to nobody, and a
    // value for Desk's required "Product area" where the Twenty ticket has none.
    const back = await setupMigration(database, {
      source: twenty,
      target: desk,
      editPlan: (draft) => {
        let edited: MigrationPlan = { ...draft, fallbackUserId: owner?.id ?? null };
        for (const source of ["tickets", "tasks"]) {
          edited = withDefault(edited, source, "customer", PLACEHOLDER_CUSTOMER);
          edited = withDefault(edited, source, productArea?.key ?? "", productArea?.options?.[0]?.value ?? "");
        }
        return edited;
      },
    });
    const plan = back.plan;
    expect(
      plan.objects.find((pair) => pair.sourceObject === "tickets")?.childObjects.map((child) => `${child.childKey} → ${child.targetObject} (${child.mode})`),
    ).toEqual(["ticketNotes → messages (children)"]);

    const sourceTickets = await readAll(twenty, "tickets", ["ticketNotes"]);
    const notesPerTicket = new Map(sourceTickets.map((ticket) => [ticket.id, ticket.children?.ticketNotes?.length ?? 0]));
    const titlesPerTicket = new Map(sourceTickets.map((ticket) => [ticket.id, (ticket.children?.ticketNotes ?? []).map((note) => String(note.fields.title))]));
    expect(sourceTickets.length).toBeGreaterThanOrEqual(10);
    expect([...notesPerTicket.values()].every((count) => count > 0)).toBe(true);
    // Unasked, no notes are read: a plain read of tickets costs no extra requests.
    expect((await readAll(twenty, "tickets")).every((ticket) => ticket.children === undefined)).toBe(true);

    const { runId, status } = await runToEnd(database, back, "full");
    expect(status).toBe("completed");
    const progress = await runProgress(database, runId);
    const failures = await database.recordLink.findMany({
      where: { migrationId: back.migrationId, status: "failed" },
      select: { objectType: true, sourceId: true, errorMessage: true },
    });
    expect(failures).toEqual([]);
    expect(progress.totals.failed).toBe(0);

    // Threads travel inside their ticket and have no counter of their own: the run's log names them.
    const started = await database.runEvent.findMany({ where: { runId, kind: "object_started" }, select: { message: true } });
    expect(started.map((event) => event.message)).toContainEqual(
      expect.stringMatching(/^Started Tickets → Teamwork Desk Tickets: \d+ records; Notes on Tickets go in as Ticket threads\.$/),
    );

    const links = await database.recordLink.findMany({
      where: { migrationId: back.migrationId, objectType: "tickets" },
      select: { sourceId: true, targetId: true, status: true },
    });
    expect(links.filter((link) => link.status === "created")).toHaveLength(sourceTickets.length);
    const deskTickets = new Map((await readAll(desk, "tickets")).map((ticket) => [ticket.id, ticket]));
    for (const link of links) {
      const arrived = deskTickets.get(link.targetId as string);
      expect(arrived, `ticket ${link.sourceId} in Desk`).toBeDefined();
      const threads = arrived?.children?.messages ?? [];
      // Each note is one thread; the import keeps them in order and as private notes by an agent.
      expect(threads).toHaveLength(notesPerTicket.get(link.sourceId) ?? -1);
      expect(threads.every((thread) => thread.fields.kind === "note" && thread.fields.authorType === "agent")).toBe(true);
      // The note's title ("Reply from … · date") leads its thread's body: nothing of the note is lost.
      const bodies = threads.map((thread) => String(thread.fields.body));
      for (const title of titlesPerTicket.get(link.sourceId) ?? []) expect(bodies.some((body) => body.includes(title))).toBe(true);
    }
    // No note became a ticket of its own.
    const notesAsTickets = await database.recordLink.count({ where: { migrationId: back.migrationId, objectType: "notes" } });
    expect(notesAsTickets).toBe(0);
  }, 240_000);
});
