import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { forgetBudgets } from "@/connectors/shared/rate-limiter";
import { ZodError } from "zod";
import type { Database } from "@/lib/db";
import { generateKey } from "@/lib/crypto";
import { reloadEnvironment } from "@/lib/env";
import { NotFoundError, UserFacingError } from "@/lib/errors";
import { createConnection } from "@/lib/connections";
import type { OrgContext } from "@/lib/team";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import { startTeamworkDeskSandbox } from "@/connectors/teamwork-desk/sandbox";
import {
  applyPrerequisiteFix,
  applySuggestion,
  checkPrerequisites,
  countObject,
  createMigrationDraft,
  ensurePlan,
  fullRunReadiness,
  listMigrations,
  loadWizard,
  mappingView,
  objectsView,
  previewRecords,
  runAudit,
  saveMapping,
  saveObjects,
  selectConnection,
  setConfirmation,
  testConnection,
  undoSuggestion,
  type MappingInput,
} from "@/lib/wizard";
import { organizationAccess } from "@/lib/runs/access";
import { startDemoRun } from "@/lib/runs/commands";
import { listSettingChanges } from "@/lib/settings/changes";
import { createTestDatabase } from "../helpers/database";

import { makeUserWithOrganization } from "../helpers/factories";

const TWENTY_KEY = "twenty-wizard-secret-5e1d";
const DESK_KEY = "desk-wizard-secret-9a2b";

let database: Database;
let cleanup: () => Promise<void>;
let twenty: Awaited<ReturnType<typeof startTwentySandbox>>;
let desk: Awaited<ReturnType<typeof startTeamworkDeskSandbox>>;

beforeAll(async () => {
  vi.stubEnv("NEXTAUTH_SECRET", "x".repeat(40));
  vi.stubEnv("ENCRYPTION_KEYS", `1:${generateKey()}`);
  vi.stubEnv("ALLOW_PRIVATE_CONNECTION_URLS", "1");
  reloadEnvironment();
  ({ database, cleanup } = await createTestDatabase());
  twenty = await startTwentySandbox({ apiKey: TWENTY_KEY, port: 0, rateLimit: 0 });
  desk = await startTeamworkDeskSandbox({ apiKey: DESK_KEY, port: 0, rateLimit: 0, seed: "sample", sampleScale: 0.02 });
});

// Every session of one workspace in a process shares its 100-a-minute budget; the cases here make
// more than that between them, against a sandbox without a limit: each starts with a fresh budget.
beforeEach(() => forgetBudgets());
afterAll(async () => {
  await twenty.close();
  await desk.close();
  await cleanup();
  vi.unstubAllEnvs();
  reloadEnvironment();
});

async function sampleToTwenty(admin: OrgContext) {
  const sample = await createConnection(database, admin, { systemId: "sample", label: "Sample", credentials: { scale: "0.05" } });
  const crm = await createConnection(database, admin, { systemId: "twenty", label: "CRM", credentials: { apiKey: TWENTY_KEY, baseUrl: twenty.url } });
  const { id } = await createMigrationDraft(database, admin, { name: "Sample to Twenty" });
  await selectConnection(database, admin, id, "source", sample.id);
  await selectConnection(database, admin, id, "target", crm.id);
  return { id, sample, crm };
}

describe("migration wizard", () => {
  it("creates a draft, tests both connections with counts and lists the migration", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id, sample } = await sampleToTwenty(admin);
    const test = await testConnection(database, admin, id, "source");
    expect(test.account.accountName).toBeTruthy();
    expect(test.objects.length).toBeGreaterThan(0);
    const counted = await countObject(database, admin, id, "source", test.objects[0].key);
    expect(counted.count).toBeGreaterThan(0);
    const view = await loadWizard(database, admin, id);
    expect(view.source).toMatchObject({ id: sample.id, systemId: "sample" });
    expect(JSON.stringify(view)).not.toContain(TWENTY_KEY);
    expect(view.state.sourceTest?.objects[0].count).toBe(counted.count);
    expect(view.steps.find((step) => step.step === "objects")).toMatchObject({ ready: true, done: false });
    expect(view.steps.find((step) => step.step === "audit")).toMatchObject({ ready: false, reason: expect.stringContaining("step 3") });
    expect(await listMigrations(database, admin)).toEqual([expect.objectContaining({ id, name: "Sample to Twenty", status: "draft" })]);
  });

  it("refuses the same connection on both sides", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id, sample } = await sampleToTwenty(admin);
    await expect(selectConnection(database, admin, id, "target", sample.id)).rejects.toThrow(/cannot write|different connection/);
  });

  it("builds the plan from both systems, explains the order and saves the object filters", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id } = await sampleToTwenty(admin);
    const plan = await ensurePlan(database, admin, id);
    expect(plan.objects.length).toBeGreaterThan(1);
    const view = await objectsView(database, admin, id);
    expect(view.sentence).toMatch(/first/);
    const enabled = view.pairs.map((pair) => pair.id);
    await expect(
      saveObjects(database, admin, { migrationId: id, enabled: [], createdFrom: "", createdTo: "", tags: "", skipStaleYears: "", staleObjects: [] }),
    ).rejects.toThrow(/at least one/);
    const saved = await saveObjects(database, admin, {
      migrationId: id,
      enabled,
      createdFrom: "2020-01-01",
      createdTo: "",
      tags: "vip, urgent",
      skipStaleYears: "",
      staleObjects: [],
    });
    expect(saved.filters).toMatchObject({ createdFrom: "2020-01-01", tags: ["vip", "urgent"] });
    expect((await loadWizard(database, admin, id)).steps.find((step) => step.step === "objects")?.done).toBe(true);
  });

  it("stores the audit findings and applies and undoes a suggestion", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id } = await sampleToTwenty(admin);
    await ensurePlan(database, admin, id);
    const audit = await runAudit(database, admin, id, { maxRecordsPerObject: 40 });
    expect(audit.status).toBe("done");
    expect(audit.progress.some((item) => item.capped)).toBe(true);
    const stored = (await loadWizard(database, admin, id)).state.audit;
    expect(stored?.reports.length).toBeGreaterThan(0);
    const finding = stored?.reports.flatMap((report) => report.findings).find((candidate) => candidate.suggestion && !candidate.suggestion.skips);
    expect(finding).toBeDefined();
    const before = (await loadWizard(database, admin, id)).plan;
    const after = await applySuggestion(database, admin, { migrationId: id, findingId: finding!.id });
    expect(after).not.toEqual(before);
    expect((await loadWizard(database, admin, id)).state.appliedSuggestions).toHaveLength(1);
    const undone = await undoSuggestion(database, admin, { migrationId: id, findingId: finding!.id });
    expect(undone).toEqual(before);
  });

  it("applies a suggestion that leaves records out only once the user confirmed how many it skips", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id } = await sampleToTwenty(admin);
    await ensurePlan(database, admin, id);
    const audit = await runAudit(database, admin, id);
    const skipping = audit.reports.flatMap((report) => report.findings).find((candidate) => (candidate.suggestion?.skips ?? 0) > 0);
    expect(skipping?.records).toHaveLength(skipping!.suggestion!.skips!);
    const before = (await loadWizard(database, admin, id)).plan;

    await expect(applySuggestion(database, admin, { migrationId: id, findingId: skipping!.id })).rejects.toThrow(
      `This suggestion leaves ${skipping!.count} record`,
    );
    await expect(applySuggestion(database, admin, { migrationId: id, findingId: skipping!.id, confirmSkipping: skipping!.count + 1 })).rejects.toThrow(
      /Review the list of records it skips/,
    );
    expect((await loadWizard(database, admin, id)).plan).toEqual(before);
    expect((await loadWizard(database, admin, id)).state.appliedSuggestions).toEqual([]);

    const after = await applySuggestion(database, admin, { migrationId: id, findingId: skipping!.id, confirmSkipping: skipping!.count });
    expect(after).not.toEqual(before);
  });

  it("stores the prerequisites report, applies a fix that re-checks to pass, and only then allows the full run", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id } = await sampleToTwenty(admin);
    await ensurePlan(database, admin, id);
    const report = await checkPrerequisites(database, admin, id);
    expect((await loadWizard(database, admin, id)).state.prerequisites?.report.checks.length).toBe(report.checks.length);
    const failing = report.checks.filter((check) => check.status === "fail" && check.blocking);
    expect(failing.length).toBeGreaterThan(0);
    // The first check is not "checked again"; it says what it found.
    const passing = report.checks.filter((check) => check.status === "pass").length;
    expect(report.summary).toMatch(new RegExp(`^Checked: ${passing} pass, .*\\d+ failures? \\(${failing.length} blocking the full run\\)\\.$`));
    expect((await checkPrerequisites(database, admin, id)).summary).toMatch(/^Checked again: /);
    const before = await fullRunReadiness(database, admin, id);
    expect(before.ok).toBe(false);
    expect(before.reasons.join(" ")).toMatch(/cannot start until/);

    // An empty workspace: Ferry offers to create the Tickets object, the custom fields and its source id fields.
    const offered = (checks: typeof report.checks) => checks.flatMap((check) => (check.fix && check.status !== "pass" ? [check.fix.id] : []));
    expect(offered(report.checks)).toEqual(["create-tickets-object", "create-missing-fields", "create-ferry-source-id-fields"]);
    for (const fixId of offered(report.checks)) await applyPrerequisiteFix(database, admin, { migrationId: id, fixId });
    await expect(applyPrerequisiteFix(database, admin, { migrationId: id, fixId: "restore-triggers:1" })).rejects.toThrow(/not offered/);
    const after = (await loadWizard(database, admin, id)).state.prerequisites!.report;
    expect(after.checks.find((check) => check.id === "custom-fields")?.status).toBe("pass");
    expect(offered(after.checks)).toEqual([]);
    // Fields Twenty created under its own keys are what the plan now points at.
    const plan = (await loadWizard(database, admin, id)).plan!;
    expect(JSON.stringify(plan)).not.toMatch(/"targetField":"[^"]*\.[0-9]+"/);

    for (const confirmation of after.confirmations)
      await setConfirmation(database, admin, { migrationId: id, confirmationId: confirmation.id, confirmed: true });
    // This workspace has none of the Sample's agents as members: the one thing still blocking, and said so.
    expect(after.checks.filter((check) => check.status === "fail" && check.blocking).map((check) => check.id)).toEqual(["workspace-members"]);
    const blocked = await fullRunReadiness(database, admin, id);
    expect(blocked.ok).toBe(false);
    expect(blocked.reasons).toEqual([
      expect.stringMatching(
        /^The full run cannot start until “Users are members of the Twenty workspace” passes \(step 5, Prerequisites\): No users receive the records of .+: in step 6 \(Mapping\), choose a target user/,
      ),
    ]);

    // Once their records go to a member (here all to the fallback user), the re-check passes and the full run may start.
    const view = await mappingView(database, admin, id);
    await saveMapping(database, admin, { migrationId: id, pairs: [], userMappings: [], fallbackUserId: view.targetUsers[0].id });
    const rechecked = await checkPrerequisites(database, admin, id);
    expect(rechecked.checks.filter((check) => check.status === "fail" && check.blocking)).toEqual([]);
    expect(await fullRunReadiness(database, admin, id)).toEqual({ ok: true, reasons: [] });
  });

  it("passes the members check once the users who are not members are mapped to one or covered by the fallback user", async () => {
    // Twenty's default workspace has three members; none of the Sample's agents is one of them.
    const admin = await makeUserWithOrganization(database);
    const { id } = await sampleToTwenty(admin);
    await ensurePlan(database, admin, id);
    const membersCheck = async () => (await checkPrerequisites(database, admin, id)).checks.find((check) => check.id === "workspace-members");
    expect(await membersCheck()).toMatchObject({
      status: "fail",
      evidence: [expect.stringMatching(/^No users receive the records of .+: in step 6 \(Mapping\)/)],
    });

    const view = await mappingView(database, admin, id);
    expect(view.targetUsers).toHaveLength(3);
    const [first, ...others] = view.users;
    await saveMapping(database, admin, {
      migrationId: id,
      pairs: [],
      userMappings: [{ sourceUserId: first.sourceUserId, targetUserId: view.targetUsers[1].id }],
      fallbackUserId: view.targetUsers[0].id,
    });
    const passed = await membersCheck();
    expect(passed?.status).toBe("pass");
    expect(passed?.evidence.join(" ")).toContain(`fallback user for ${others.map((user) => user.sourceName ?? user.sourceEmail).join(", ")}`);
    expect((await fullRunReadiness(database, admin, id)).reasons.join(" ")).not.toContain("Users are members of the Twenty workspace");
  });

  it("gates the demo like the full run: no demo before the checks, with a blocking failure or an unconfirmed confirmation", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id } = await sampleToTwenty(admin);
    await ensurePlan(database, admin, id);
    const access = organizationAccess(admin);
    const dispatched: string[] = [];
    const dispatcher = { dispatchRun: async (runId: string) => void dispatched.push(runId), dispatchCancel: async () => undefined };
    const demo = () => startDemoRun(database, admin, access, { migrationId: id, sampleSize: 2 }, { dispatcher });
    const demoStep = async () => (await loadWizard(database, admin, id)).steps.find((step) => step.step === "demo");

    await expect(demo()).rejects.toThrow(/^The demo cannot start yet: Run the prerequisite checks \(step 5\) before the demo\./);
    const report = await checkPrerequisites(database, admin, id);
    const blocking = report.checks.filter((check) => check.blocking && check.status === "fail");
    expect(blocking.length).toBeGreaterThan(0);
    await expect(demo()).rejects.toThrow(`The demo cannot start until “${blocking[0].title}” passes (step 5, Prerequisites)`);

    for (const fixId of ["create-tickets-object", "create-missing-fields", "add-missing-select-options", "create-ferry-source-id-fields"]) {
      const current = (await loadWizard(database, admin, id)).state.prerequisites?.report;
      if (current?.checks.some((check) => check.fix?.id === fixId && check.status !== "pass"))
        await applyPrerequisiteFix(database, admin, { migrationId: id, fixId });
    }
    const view = await mappingView(database, admin, id);
    await saveMapping(database, admin, { migrationId: id, pairs: [], userMappings: [], fallbackUserId: view.targetUsers[0].id });
    const checked = await checkPrerequisites(database, admin, id);
    expect(checked.checks.filter((check) => check.blocking && check.status === "fail")).toEqual([]);
    expect(checked.confirmations.length).toBeGreaterThan(0);

    await expect(demo()).rejects.toThrow(`Confirm “${checked.confirmations[0].title}” in step 5, Prerequisites, before the demo.`);
    expect(await demoStep()).toMatchObject({ ready: false, reason: `Confirm “${checked.confirmations[0].title}” in step 5, Prerequisites, before the demo.` });
    expect(await database.run.count({ where: { migrationId: id } })).toBe(0);

    for (const confirmation of checked.confirmations)
      await setConfirmation(database, admin, { migrationId: id, confirmationId: confirmation.id, confirmed: true });
    expect(await demoStep()).toMatchObject({ ready: true });
    const { runId } = await demo();
    expect(dispatched).toEqual([runId]);
    expect(await database.run.findUniqueOrThrow({ where: { id: runId }, select: { mode: true } })).toEqual({ mode: "demo" });
  });

  it("refuses an incompatible mapping with its reason and saves a valid one", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id } = await sampleToTwenty(admin);
    await ensurePlan(database, admin, id);
    const view = await mappingView(database, admin, id);
    const pair = view.pairs.find(
      (candidate) =>
        candidate.rows.some((row) => row.type === "relation") &&
        candidate.sourceFields.some((field) => field.type === "boolean" || field.type === "date" || field.type === "datetime"),
    )!;
    const relationRow = pair.rows.find((row) => row.type === "relation")!;
    const dateField = pair.sourceFields.find((field) => field.type === "boolean" || field.type === "date" || field.type === "datetime")!;
    const input = (rows: { targetField: string; sourceField: string | null }[]): MappingInput => ({ migrationId: id, pairs: [{ id: pair.id, fields: rows }] });
    const failure = await saveMapping(database, admin, input([{ targetField: relationRow.key, sourceField: dateField.key }])).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ZodError);
    const issue = (failure as ZodError).issues[0];
    expect(issue.path).toEqual([pair.id, relationRow.key]);
    expect(issue.message).toMatch(/cannot become a relation/);

    const preview = await previewRecords(database, admin, { ...input([]), pairId: view.pairs[0].id });
    expect(preview.length).toBeGreaterThan(0);
    expect(preview.length).toBeLessThanOrEqual(3);
    expect(preview[0].fields.length).toBeGreaterThan(0);
    const withRelation = await previewRecords(database, admin, { ...input([]), pairId: pair.id });
    expect(withRelation.some((record) => record.fields.some((field) => field.value.startsWith("→ linked")))).toBe(true);

    const saved = await saveMapping(database, admin, { migrationId: id, pairs: [], userMappings: [], fallbackUserId: view.targetUsers[0]?.id ?? null });
    expect(saved.plan.fallbackUserId).toBe(view.targetUsers[0]?.id ?? null);
    expect((await loadWizard(database, admin, id)).state.mappingSavedAt).not.toBeNull();
  });

  it("warns, in the preview and on save, when people would arrive with no name and no email", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id } = await sampleToTwenty(admin);
    await ensurePlan(database, admin, id);
    const view = await mappingView(database, admin, id);
    const people = view.pairs.find((candidate) => candidate.rows.some((row) => row.type === "fullname") && candidate.rows.some((row) => row.type === "email"))!;
    const unmapped = people.rows.filter((row) => row.type === "fullname" || row.type === "email").map((row) => ({ targetField: row.key, sourceField: null }));
    const input: MappingInput = { migrationId: id, pairs: [{ id: people.id, fields: unmapped }] };

    const preview = await previewRecords(database, admin, { ...input, pairId: people.id });
    expect(preview.length).toBeGreaterThan(0);
    for (const record of preview) expect(record.problems).toContainEqual(expect.stringMatching(/^Arrives with no Name and no Emails/));
    const saved = await saveMapping(database, admin, input);
    expect(saved.warnings.map((warning) => warning.message)).toContainEqual(
      expect.stringMatching(/^Nothing identifies the people: neither Name nor Emails is mapped/),
    );
  });

  it("keeps the target while the record map points at records there, since a rollback would delete by their ids in the new one", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id, crm } = await sampleToTwenty(admin);
    const otherCrm = await createConnection(database, admin, {
      systemId: "twenty",
      label: "Other CRM",
      credentials: { apiKey: TWENTY_KEY, baseUrl: twenty.url },
    });
    // One record a run created there, one it matched to a record that was there already.
    await database.recordLink.create({
      data: { migrationId: id, objectType: "customers", sourceId: "cus_1", targetId: "t-1", status: "created", createdByRunId: "demo-run" },
    });
    await database.recordLink.create({
      data: { migrationId: id, objectType: "customers", sourceId: "cus_2", targetId: "t-2", status: "skipped", errorCode: "DUPLICATE" },
    });

    await expect(selectConnection(database, admin, id, "target", otherCrm.id, { confirmDiscard: true })).rejects.toThrow(
      /^Runs of this migration wrote or matched 2 records in the current target, and its record map points there\. Roll the runs back/,
    );
    expect((await database.migration.findUniqueOrThrow({ where: { id }, select: { targetConnectionId: true } })).targetConnectionId).toBe(crm.id);

    // Once the record map points at nothing there (rolled back), the target may change.
    await database.recordLink.updateMany({ where: { migrationId: id }, data: { status: "removed" } });
    await selectConnection(database, admin, id, "target", otherCrm.id, { confirmDiscard: true });
    expect((await database.migration.findUniqueOrThrow({ where: { id }, select: { targetConnectionId: true } })).targetConnectionId).toBe(otherCrm.id);
  });

  it("asks before a new target discards anything, and keeps what still applies", async () => {
    const admin = await makeUserWithOrganization(database);
    const { id, crm } = await sampleToTwenty(admin);
    const plan = await ensurePlan(database, admin, id);
    await runAudit(database, admin, id, { maxRecordsPerObject: 40 });
    const view = await mappingView(database, admin, id);
    await saveMapping(database, admin, { migrationId: id, pairs: [], userMappings: [], fallbackUserId: view.targetUsers[0]?.id ?? null });

    // Another Twenty workspace: the objects and field mapping still apply; its users are others.
    const otherCrm = await createConnection(database, admin, {
      systemId: "twenty",
      label: "Other CRM",
      credentials: { apiKey: TWENTY_KEY, baseUrl: twenty.url },
    });
    const refused = await selectConnection(database, admin, id, "target", otherCrm.id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UserFacingError);
    expect(refused).toMatchObject({
      field: "confirmDiscard",
      message: "Changing the target discards the user mapping (the new target has its own users). Confirm to change it.",
    });
    const targetOf = async () => (await database.migration.findUniqueOrThrow({ where: { id }, select: { targetConnectionId: true } })).targetConnectionId;
    expect(await targetOf()).toBe(crm.id);
    await selectConnection(database, admin, id, "target", otherCrm.id, { confirmDiscard: true });
    const kept = await loadWizard(database, admin, id);
    expect(await targetOf()).toBe(otherCrm.id);
    expect(kept.state.audit).not.toBeNull();
    expect((await ensurePlan(database, admin, id)).objects.map((pair) => pair.targetObject)).toEqual(plan.objects.map((pair) => pair.targetObject));
    expect((await loadWizard(database, admin, id)).plan?.fallbackUserId ?? null).toBeNull();

    // Teamwork Desk instead: the plan starts over, the audit of the source stays.
    const helpdesk = await createConnection(database, admin, { systemId: "teamwork-desk", label: "Desk", credentials: { site: desk.url, apiKey: DESK_KEY } });
    await expect(selectConnection(database, admin, id, "target", helpdesk.id)).rejects.toThrow(
      /^Changing the target discards the objects, field mapping and user mapping\. Confirm to change it\.$/,
    );
    await selectConnection(database, admin, id, "target", helpdesk.id, { confirmDiscard: true });
    const restarted = await loadWizard(database, admin, id);
    expect(restarted.plan).toBeNull();
    expect(restarted.state.audit).not.toBeNull();
    await ensurePlan(database, admin, id);
    expect((await loadWizard(database, admin, id)).state.audit).not.toBeNull();
  });

  it("records the Teamwork Desk triggers Ferry deactivated as setting changes of the migration", async () => {
    const admin = await makeUserWithOrganization(database);
    const sample = await createConnection(database, admin, { systemId: "sample", label: "Sample", credentials: { scale: "0.02" } });
    const helpdesk = await createConnection(database, admin, { systemId: "teamwork-desk", label: "Desk", credentials: { site: desk.url, apiKey: DESK_KEY } });
    const { id } = await createMigrationDraft(database, admin, { name: "Sample to Desk" });
    await selectConnection(database, admin, id, "source", sample.id);
    await selectConnection(database, admin, id, "target", helpdesk.id);
    await ensurePlan(database, admin, id);
    const report = await checkPrerequisites(database, admin, id);
    expect(report.checks.find((check) => check.id === "triggers")?.status).toBe("fail");
    const { changed } = await applyPrerequisiteFix(database, admin, { migrationId: id, fixId: "deactivate-triggers" });
    expect(changed.length).toBeGreaterThan(0);
    const recorded = await listSettingChanges(database, id);
    expect(recorded.outstanding).toHaveLength(changed.length);
    expect(recorded.outstanding.every((change) => change.label.startsWith("Switched off the trigger"))).toBe(true);
    expect((await loadWizard(database, admin, id)).state.prerequisites?.report.checks.find((check) => check.id === "triggers")?.status).toBe("pass");
  });

  it("keeps another organization out of a migration", async () => {
    const admin = await makeUserWithOrganization(database);
    const other = await makeUserWithOrganization(database);
    const { id } = await sampleToTwenty(admin);
    await expect(loadWizard(database, other, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(fullRunReadiness(database, other, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(checkPrerequisites(database, other, id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await listMigrations(database, other)).toEqual([]);
  });
});
