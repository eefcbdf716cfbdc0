// Crash reconciliation when two source companies share a name, Twenty → Teamwork Desk, driven
// deterministically: Teamwork Desk companies have no unique field and no source-id field, so a
// pending create is found again after a crash by its natural key (domain, then name). A "kill" is
// simulated in the target session: the company create call sends some of its records, then never
// answers, so the slice never commits its results (as if the process died right there); the next
// slice takes the run over with a new token, as a restarted worker does.
//
// The two source records are the Sample's "Willow Outdoor Co" pair, on one page: B (older, with a
// domain) and A (same name, no domain). An uninterrupted run writes two companies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTeamworkDeskSandbox, type TeamworkDeskSandboxState } from "@/connectors/teamwork-desk/sandbox";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import type { ConnectorSession } from "@/connectors/types";
import type { Database } from "@/lib/db";
import { createRun, runSlice } from "@/lib/migration/engine";
import type { MigrationPlan } from "@/lib/plan";
import { createTestDatabase } from "../helpers/database";
import { TEST_RETRY_WAIT, setupMigration, type Endpoint } from "../helpers/engine-fixtures";

const API_KEY = "engine-crash-same-name-key";
const twenty = (url: string): Endpoint => ({ systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: url } });
const desk = (url: string): Endpoint => ({ systemId: "teamwork-desk", credentials: { apiKey: API_KEY, site: url } });
const PAGE_SIZE = 10;

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

/** How a killed company create call ends: which of its records reached the target first. */
type Kill = "after-first" | "after-all" | "before-any";

/**
 * A Twenty source with the two same-name companies (and nothing else), a Teamwork Desk target
 * whose company creates are "killed" as `kills` says, one kill per create call, in order.
 */
async function setup(kills: Kill[]) {
  const source = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0 });
  const target = await startTeamworkDeskSandbox({ apiKey: API_KEY, rateLimit: 0 });
  closers.push(source.close, target.close);
  source.state.insertRecords("companies", [
    {
      name: "Willow Outdoor Co",
      domainName: { primaryLinkUrl: "https://willow-outdoorco.example", primaryLinkLabel: "", secondaryLinks: [] },
      createdAt: "2023-03-15T04:58:11.000Z",
    },
    { name: " Willow Outdoor Co", domainName: { primaryLinkUrl: "", primaryLinkLabel: "", secondaryLinks: [] }, createdAt: "2023-12-25T17:31:58.000Z" },
  ]);
  const script = [...kills];
  let onKill: (() => void) | null = null;
  const killable = (session: ConnectorSession): ConnectorSession => ({
    ...session,
    async write(objectType, requests, mode) {
      const kill = objectType === "companies" && mode === "create" ? script.shift() : undefined;
      if (!kill) return session.write(objectType, requests, mode);
      const landed = kill === "after-all" ? requests : kill === "after-first" ? requests.slice(0, 1) : [];
      if (landed.length > 0) await session.write(objectType, landed, mode);
      onKill?.();
      // The process is gone: no answer, so no results are ever saved.
      return new Promise(() => {});
    },
  });
  const withInbox = (state: TeamworkDeskSandboxState) => {
    const inbox = state.addInbox({ name: "Support", email: "support@desk.example" });
    return (plan: MigrationPlan): MigrationPlan => ({
      ...plan,
      objects: plan.objects.map((pair) =>
        pair.targetObject === "tickets"
          ? {
              ...pair,
              fieldMappings: [
                ...pair.fieldMappings,
                { sourceField: null, targetField: "inbox", defaultValue: { objectType: "inboxes", id: String(inbox.id) } },
              ],
            }
          : pair,
      ),
    });
  };
  const migration = await setupMigration(database, {
    source: twenty(source.url),
    target: desk(target.url),
    wrapTarget: killable,
    editPlan: withInbox(target.state),
  });
  const { runId } = await createRun(database, { migrationId: migration.migrationId, mode: "full" });

  /** Runs slices to the end of the run (a killed slice is abandoned, the next one takes over); returns the kills left unused. */
  const run = async () => {
    for (let slice = 0; slice < 50; slice += 1) {
      const killed = new Promise<"killed">((resolve) => (onKill = () => resolve("killed")));
      const outcome = await Promise.race([
        killed,
        runSlice(database, runId, { budgetMs: 5_000, resolveSession: migration.resolver, retryWait: TEST_RETRY_WAIT, pageSize: PAGE_SIZE }),
      ]);
      onKill = null;
      if (outcome !== "killed" && outcome.done) {
        expect(outcome.status).toBe("completed");
        return script.length;
      }
    }
    throw new Error("The run did not finish");
  };
  const companies = () =>
    target.state
      .list("companies")
      .filter((row) => row.state !== "deleted")
      .map((row) => ({ id: String(row.id), name: String(row.name), website: String(row.website) }));
  const links = async () =>
    database.recordLink.findMany({ where: { runId, objectType: "companies" }, select: { sourceId: true, targetId: true, status: true } });
  return { run, companies, links };
}

async function expectEachCompanyOnce(context: Awaited<ReturnType<typeof setup>>) {
  const companies = context.companies();
  const links = await context.links();
  expect(links.map((link) => link.status).sort()).toEqual(["created", "created"]);
  // One target record per source record: none lost (two links on one record), none doubled.
  expect(new Set(links.map((link) => link.targetId)).size).toBe(2);
  expect(companies).toHaveLength(2);
  expect(companies.map((company) => company.id).sort()).toEqual(links.map((link) => link.targetId as string).sort());
  expect(companies.map((company) => company.name)).toEqual(["Willow Outdoor Co", "Willow Outdoor Co"]);
}

describe("crash reconciliation of same-name Teamwork Desk companies", () => {
  it("an interrupted refresh does not let the other same-name record take its target record", async () => {
    // 1st kill: B's create landed, A's was never sent. The restart finds B (by its domain) and
    // writes A again; 2nd kill: while B's content is being written once more (a pending update
    // that keeps B's target id), A's create is cut before it leaves. The restart must not hand
    // B's record to A (same name) just because B's link is pending at that moment.
    const context = await setup(["after-first", "before-any"]);
    expect(await context.run()).toBe(0);
    await expectEachCompanyOnce(context);
  }, 60_000);

  it("the same, but the second create landed before the kill: it is found again, not written twice", async () => {
    // Found by name, A's record is the newest "Willow Outdoor Co"; the oldest is B's, claimed.
    const context = await setup(["after-first", "after-all"]);
    expect(await context.run()).toBe(0);
    await expectEachCompanyOnce(context);
  }, 60_000);

  it("both creates landed before the kill: each record is found again, none is written twice", async () => {
    // The name look-up alone sees only the oldest "Willow Outdoor Co" (B's, found by its domain);
    // A's own record must still be recognised as A's, not written a second time.
    const context = await setup(["after-all"]);
    expect(await context.run()).toBe(0);
    await expectEachCompanyOnce(context);
  }, 60_000);

  it("the failure seen in the SIGKILL crash test: two kills right after the creates landed", async () => {
    // What a failing engine-crash run left: three "Willow Outdoor Co" companies, both source
    // records linked to the oldest one. 1st kill after both creates: A, found by name as B's
    // record (the oldest, claimed), was written again; 2nd kill after that create: B's link was
    // pending (its refresh), so A took B's record. Now the first restart already finds both.
    const context = await setup(["after-all", "after-all"]);
    expect(await context.run()).toBe(1);
    await expectEachCompanyOnce(context);
  }, 60_000);

  it("only the first create landed: the second one is written, once", async () => {
    const context = await setup(["after-first"]);
    expect(await context.run()).toBe(0);
    await expectEachCompanyOnce(context);
  }, 60_000);
});
