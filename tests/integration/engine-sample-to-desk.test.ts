// Sample → Teamwork Desk over real HTTP with the default plan, as the wizard leaves it for a new
// Desk site: one inbox (the default the mapping page picks) and the key owner as the fallback
// agent for agents who have no account there. Nothing may fail: threads the customer wrote arrive
// as the customer's, and a customer whose email cannot be written still arrives, with a warning.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTeamworkDeskSandbox } from "@/connectors/teamwork-desk/sandbox";
import type { CanonicalRecord, RelationRef } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { isRelationRef } from "@/lib/mapping/values";
import { placeholderEmail } from "@/lib/migration/transform";
import { createTestDatabase } from "../helpers/database";
import { runToEnd, sessionFor, setupMigration, withSourceValues, type Endpoint, type TestMigration } from "../helpers/engine-fixtures";

const API_KEY = "sample-to-desk-key";
/** 13 customers, 50 tickets with about 90 messages written by their customer. */
const SAMPLE: Endpoint = { systemId: "sample", credentials: { seed: 42, scale: 0.05 } };
/** Emails no repair can save (the Sample source's full dataset has these among its messy values). */
const UNUSABLE_EMAILS: Record<string, string> = { cus_2: "n/a", cus_5: "freya.garcia@" };

let database: Database;
let cleanup: () => Promise<void>;
let closeDesk: () => Promise<void>;
let desk: Endpoint;
let migration: TestMigration;
let runId: string;

async function readAll(endpoint: Endpoint, objectType: string, children: string[] = []): Promise<CanonicalRecord[]> {
  const records: CanonicalRecord[] = [];
  for await (const page of sessionFor(endpoint).read(objectType, { children })) records.push(...page.records);
  return records;
}

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
  const site = await startTeamworkDeskSandbox({ apiKey: API_KEY, port: 0, rateLimit: 0, seed: "empty" });
  closeDesk = site.close;
  site.state.addInbox({ name: "Support", email: "support@desk.example" });
  desk = { systemId: "teamwork-desk", credentials: { apiKey: API_KEY, site: site.url } };
  const owner = (await sessionFor(desk).listUsers())[0];
  migration = await setupMigration(database, {
    source: SAMPLE,
    target: desk,
    wrapSource: withSourceValues("customers", "email", UNUSABLE_EMAILS),
    // The fallback agent the mapping step asks for when the Sample agents have no Desk account.
    editPlan: (plan) => ({ ...plan, fallbackUserId: owner?.id ?? null }),
  });
  ({ runId } = await runToEnd(database, migration, "full"));
}, 240_000);

afterAll(async () => {
  await closeDesk?.();
  await cleanup?.();
});

async function targetIdsOf(objectType: string): Promise<Map<string, string>> {
  const links = await database.recordLink.findMany({ where: { migrationId: migration.migrationId, objectType }, select: { sourceId: true, targetId: true } });
  return new Map(links.map((link) => [link.sourceId, link.targetId as string]));
}

describe("Sample → Teamwork Desk with the default plan", () => {
  it("ends with no failed record", async () => {
    const failures = await database.recordLink.findMany({
      where: { migrationId: migration.migrationId, status: "failed" },
      select: { objectType: true, sourceId: true, errorMessage: true },
    });
    expect(failures).toEqual([]);
    const run = await database.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true } });
    expect(run.status).toBe("completed");
    expect((await targetIdsOf("tickets")).size).toBe(50);
  });

  it("keeps the customer as the author of the threads the customer wrote", async () => {
    const sourceTickets = await readAll(SAMPLE, "tickets", ["messages"]);
    const customerIds = await targetIdsOf("customers");
    const ticketIds = await targetIdsOf("tickets");
    const deskTickets = new Map((await readAll(desk, "tickets")).map((ticket) => [ticket.id, ticket]));
    let customerThreads = 0;
    for (const source of sourceTickets) {
      const arrived = deskTickets.get(ticketIds.get(source.id) ?? "");
      expect(arrived, `ticket ${source.id} in Desk`).toBeDefined();
      // Ferry adds notes of its own (attachments Teamwork could not fetch): compare the customer's threads.
      const expected = (source.children?.messages ?? [])
        .filter((message) => message.fields.authorType === "customer")
        .map((message) => customerIds.get((message.fields.author as RelationRef).id));
      const authors = (arrived?.children?.messages ?? [])
        .filter((thread) => thread.fields.authorType === "customer")
        .map((thread) => thread.fields.author ?? null);
      expect(authors.every(isRelationRef)).toBe(true);
      expect(authors.map((author) => (author as RelationRef).id)).toEqual(expected);
      customerThreads += expected.length;
    }
    expect(customerThreads).toBeGreaterThan(50);
  });

  it("writes customers with unusable emails under a placeholder address, with a warning keeping the original", async () => {
    const customerIds = await targetIdsOf("customers");
    const deskCustomers = new Map((await readAll(desk, "customers")).map((customer) => [customer.id, customer]));
    for (const [sourceId, original] of Object.entries(UNUSABLE_EMAILS)) {
      const arrived = deskCustomers.get(customerIds.get(sourceId) ?? "");
      expect(arrived?.fields.email, sourceId).toBe(placeholderEmail(sourceId));
      const warnings = await database.recordWarning.findMany({
        where: { runId, objectType: "customers", sourceId },
        select: { field: true, action: true, original: true, message: true },
      });
      expect(warnings).toEqual([
        { field: "email", action: "dropped", original, message: expect.stringContaining(`written as the placeholder ${placeholderEmail(sourceId)}`) },
      ]);
    }
    // Their tickets arrive as theirs, not as a placeholder customer's.
    const sourceTickets = await readAll(SAMPLE, "tickets");
    const ticketIds = await targetIdsOf("tickets");
    const deskTickets = new Map((await readAll(desk, "tickets")).map((ticket) => [ticket.id, ticket]));
    const theirs = sourceTickets.filter((ticket) => Object.hasOwn(UNUSABLE_EMAILS, (ticket.fields.customer as RelationRef).id));
    expect(theirs.length).toBeGreaterThan(0);
    for (const ticket of theirs) {
      const customer = deskTickets.get(ticketIds.get(ticket.id) ?? "")?.fields.customer as RelationRef | undefined;
      expect(customer?.id).toBe(customerIds.get((ticket.fields.customer as RelationRef).id));
    }
  });
});
