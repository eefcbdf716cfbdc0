// The default plan of every pair of systems Ferry ships, from the systems' live describe() and
// users (sandboxes over HTTP, the Sample source), pinned as JSON snapshots. The snapshots were
// taken before the connector contract declared objects' roles and capabilities (issue 17): the
// plans built from those declarations must stay exactly what the hard-coded tables gave.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTeamworkDeskSandbox } from "@/connectors/teamwork-desk/sandbox";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import { applyPrerequisiteFixes, buildPlanFor } from "@/lib/migration/setup";
import type { MigrationPlan, PlanOptions } from "@/lib/plan";
import { sampleAgentsAsWorkspaceMembers, sessionFor, type Endpoint } from "../helpers/engine-fixtures";

const API_KEY = "default-plans-key";
const SAMPLE: Endpoint = { systemId: "sample", credentials: { seed: 7, scale: 0.01 } };

const closers: (() => Promise<void>)[] = [];
/** A Twenty workspace as it comes (no Tickets object). */
let twenty: Endpoint;
/** A Twenty workspace a help desk migration prepared: Ferry's Tickets object, source id fields. */
let twentyWithTickets: Endpoint;
let desk: Endpoint;

beforeAll(async () => {
  const plain = await startTwentySandbox({ apiKey: API_KEY, port: 0, rateLimit: 0, seed: "sample", workspaceMembers: sampleAgentsAsWorkspaceMembers() });
  const prepared = await startTwentySandbox({ apiKey: API_KEY, port: 0, rateLimit: 0, seed: "empty", workspaceMembers: sampleAgentsAsWorkspaceMembers() });
  const site = await startTeamworkDeskSandbox({ apiKey: API_KEY, port: 0, rateLimit: 0, seed: "sample", sampleScale: 0.01 });
  closers.push(plain.close, prepared.close, site.close);
  twenty = { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: plain.url } };
  twentyWithTickets = { systemId: "twenty", credentials: { apiKey: API_KEY, baseUrl: prepared.url } };
  desk = { systemId: "teamwork-desk", credentials: { apiKey: API_KEY, site: site.url } };
  const target = sessionFor(twentyWithTickets);
  const plan = await buildPlanFor({ sourceSystem: "sample", targetSystem: "twenty", source: sessionFor(SAMPLE), target });
  await applyPrerequisiteFixes(target, plan);
}, 120_000);

afterAll(async () => {
  for (const close of closers) await close();
});

/**
 * The default plan, with users named by email: a Twenty sandbox gives its workspace members new
 * ids at every start, and matching users is not what these snapshots pin.
 */
async function planFor(source: Endpoint, target: Endpoint, options?: Partial<PlanOptions>): Promise<MigrationPlan> {
  const plan = await buildPlanFor({
    sourceSystem: source.systemId,
    targetSystem: target.systemId,
    source: sessionFor(source),
    target: sessionFor(target),
    options,
  });
  const targetEmails = new Map((await sessionFor(target).listUsers()).map((user) => [user.id, user.email]));
  const userMappings = plan.userMappings
    .map((mapping) => ({
      ...mapping,
      sourceUserId: mapping.sourceEmail ?? mapping.sourceUserId,
      targetUserId: mapping.targetUserId === null ? null : (targetEmails.get(mapping.targetUserId) ?? mapping.targetUserId),
    }))
    .sort((a, b) => a.sourceUserId.localeCompare(b.sourceUserId));
  return { ...plan, userMappings };
}

describe("default plans, pinned", () => {
  it("Sample → Twenty (tickets as Ferry's Tickets object, and as tasks)", async () => {
    expect(await planFor(SAMPLE, twenty)).toMatchSnapshot();
    expect(await planFor(SAMPLE, twenty, { ticketsAs: "tasks" })).toMatchSnapshot();
  });

  it("Sample → Twenty with Ferry's Tickets object in place", async () => {
    expect(await planFor(SAMPLE, twentyWithTickets)).toMatchSnapshot();
  });

  it("Sample → Teamwork Desk", async () => {
    expect(await planFor(SAMPLE, desk)).toMatchSnapshot();
  });

  it("Teamwork Desk → Twenty", async () => {
    expect(await planFor(desk, twenty)).toMatchSnapshot();
    expect(await planFor(desk, twenty, { ticketsAs: "tasks" })).toMatchSnapshot();
  });

  it("Twenty → Teamwork Desk, without and with Ferry's Tickets object", async () => {
    expect(await planFor(twenty, desk)).toMatchSnapshot();
    expect(await planFor(twentyWithTickets, desk)).toMatchSnapshot();
  });

  it("Teamwork Desk → Teamwork Desk", async () => {
    expect(await planFor(desk, desk)).toMatchSnapshot();
  });

  it("Twenty → Twenty", async () => {
    expect(await planFor(twenty, twenty)).toMatchSnapshot();
    expect(await planFor(twentyWithTickets, twenty)).toMatchSnapshot();
  });

  it("the Sample source cannot be a target", async () => {
    await expect(planFor(twenty, SAMPLE)).rejects.toThrow("cannot be a migration target");
  });
});
