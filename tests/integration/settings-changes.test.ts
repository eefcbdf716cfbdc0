// Live systems are never left changed: the Teamwork Desk triggers a prerequisite fix switches off
// are recorded on the migration (real HTTP against the Teamwork Desk sandbox), put back by Restore
// now (admins only), put back when a demo-only migration is deleted (its migrated records stay),
// and put back at the end of a CLI run.
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { ZodError } from "zod";
import { startTeamworkDeskSandbox } from "@/connectors/teamwork-desk/sandbox";
import { createConnection } from "@/lib/connections";
import { generateKey } from "@/lib/crypto";
import type { Database } from "@/lib/db";
import { reloadEnvironment } from "@/lib/env";
import { ForbiddenError } from "@/lib/errors";
import { createRun } from "@/lib/migration/engine";
import { defaultSessionResolver } from "@/lib/migration/sessions";
import { afterRunFinished } from "@/lib/runs/after-run";
import { deleteMigrationCommand, restoreSettingsCommand } from "@/lib/runs/migration-commands";
import { listSettingChanges } from "@/lib/settings/changes";
import type { OrgContext } from "@/lib/team";
import { builtInRole, type BuiltInRole } from "@/lib/auth/roles";
import { applyPrerequisiteFix, checkPrerequisites, createMigrationDraft, ensurePlan, loadWizard, selectConnection } from "@/lib/wizard";
import { createTestDatabase, createTestDatabaseUrl } from "../helpers/database";
import { driveRun } from "../helpers/engine-fixtures";
import { makeUserWithOrganization } from "../helpers/factories";

const DESK_KEY = "desk-settings-secret-4c1f";
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const ENCRYPTION_KEYS = `1:${generateKey()}`;

let database: Database;
let cleanup: () => Promise<void>;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  vi.stubEnv("NEXTAUTH_SECRET", "x".repeat(40));
  vi.stubEnv("ENCRYPTION_KEYS", ENCRYPTION_KEYS);
  vi.stubEnv("ALLOW_PRIVATE_CONNECTION_URLS", "1");
  reloadEnvironment();
  ({ database, cleanup } = await createTestDatabase());
});
afterAll(async () => {
  for (const close of closers) await close();
  await cleanup?.();
  vi.unstubAllEnvs();
  reloadEnvironment();
});

/** A Teamwork Desk sandbox seeded like the demo's: its triggers include "Send auto-reply" and "Mark as spam". */
async function deskSite() {
  const desk = await startTeamworkDeskSandbox({ apiKey: DESK_KEY, rateLimit: 0, seed: "sample", sampleScale: 0.02 });
  closers.push(() => desk.close());
  const triggers = () => desk.state.list("triggers").map((trigger) => ({ id: String(trigger.id), name: String(trigger.name), state: String(trigger.state) }));
  return {
    desk,
    triggers,
    active: () =>
      triggers()
        .filter((trigger) => trigger.state === "active")
        .map((trigger) => trigger.name)
        .sort(),
  };
}

/** Sample → Teamwork Desk through the wizard, with the trigger fix applied. */
async function migrationWithTriggersOff(admin: OrgContext, siteUrl: string) {
  // Another seed than the site's own data, so the demo creates customers rather than finding them.
  const sample = await createConnection(database, admin, { systemId: "sample", label: "Sample", credentials: { scale: "0.02", seed: "7" } });
  const helpdesk = await createConnection(database, admin, {
    systemId: "teamwork-desk",
    label: "Live help desk",
    credentials: { site: siteUrl, apiKey: DESK_KEY },
  });
  const { id } = await createMigrationDraft(database, admin, { name: "Sample to Desk" });
  await selectConnection(database, admin, id, "source", sample.id);
  await selectConnection(database, admin, id, "target", helpdesk.id);
  await ensurePlan(database, admin, id);
  await checkPrerequisites(database, admin, id);
  const { changed } = await applyPrerequisiteFix(database, admin, { migrationId: id, fixId: "deactivate-triggers" });
  return { id, changed };
}

const actor = (context: OrgContext, role: BuiltInRole | null = null) => ({
  organizationId: context.organization.id,
  role: role ? builtInRole(role) : context.role,
});

describe("settings Ferry changes", () => {
  it("records each trigger the fix switched off, and Restore now (admins only) switches exactly those back on", async () => {
    const site = await deskSite();
    const leftOff = site.desk.state.addTrigger({ name: "Off before Ferry", inboxIds: [], state: "inactive" });
    const activeBefore = site.active();
    expect(activeBefore).toEqual(expect.arrayContaining(["Send auto-reply", "Mark as spam"]));
    const admin = await makeUserWithOrganization(database);
    const { id, changed } = await migrationWithTriggersOff(admin, site.desk.url);

    expect(site.active()).toEqual([]);
    const recorded = await listSettingChanges(database, id);
    expect(recorded.outstanding.map((change) => change.label).sort()).toEqual(activeBefore.map((name) => `Switched off the trigger “${name}”`).sort());
    expect(changed).toHaveLength(activeBefore.length);
    const rows = await database.settingChange.findMany({ where: { migrationId: id } });
    expect(rows.every((row) => row.kind === "setting" && row.previous === JSON.stringify({ state: "active" }))).toBe(true);

    await expect(restoreSettingsCommand(database, actor(admin, "viewer"), { migrationId: id })).rejects.toBeInstanceOf(ForbiddenError);
    expect(site.active()).toEqual([]);
    await expect(restoreSettingsCommand(database, actor(admin), { migrationId: 42 })).rejects.toBeInstanceOf(ZodError);

    // Never in the middle of a run: the triggers would answer every record it still writes.
    const running = await database.run.create({ data: { migrationId: id, mode: "full", status: "running" }, select: { id: true } });
    await expect(restoreSettingsCommand(database, actor(admin), { migrationId: id })).rejects.toThrow(
      /^A full run of this migration is running\. Cancel it or let it finish, then restore the settings\.$/,
    );
    expect(site.active()).toEqual([]);
    await database.run.update({ where: { id: running.id }, data: { status: "completed" } });

    const outcome = await restoreSettingsCommand(database, actor(admin), { migrationId: id });
    expect(outcome.failed).toEqual([]);
    expect(outcome.restored).toHaveLength(activeBefore.length);
    expect(site.active()).toEqual(activeBefore);
    expect(site.desk.state.get("triggers", Number(leftOff.id))?.state).toBe("inactive");
    // The last check said "no active trigger": no longer true, so the full run waits for a new one.
    expect((await loadWizard(database, admin, id)).state.prerequisites).toBeNull();
    const after = await listSettingChanges(database, id);
    expect(after.outstanding).toEqual([]);
    expect(after.restored).toHaveLength(activeBefore.length);

    // A second click has nothing left to do.
    expect(await restoreSettingsCommand(database, actor(admin), { migrationId: id })).toEqual({ restored: [], settled: [], failed: [] });
  }, 60_000);

  it("switches the triggers back on when a demo-only migration is deleted, never while a run is active, and keeps the migrated records", async () => {
    const site = await deskSite();
    const activeBefore = site.active();
    const admin = await makeUserWithOrganization(database);
    const { id } = await migrationWithTriggersOff(admin, site.desk.url);
    const customersBefore = site.desk.state.list("customers").length;
    const resolveSession = defaultSessionResolver(database);
    const { runId } = await createRun(database, { migrationId: id, mode: "demo", sampleSize: 2 }, resolveSession);
    expect(await driveRun(database, runId, resolveSession)).toBe("completed");
    const customersMigrated = site.desk.state.list("customers").length;
    expect(customersMigrated).toBeGreaterThan(customersBefore);
    // A demo restores nothing: the full run still needs the triggers off.
    expect((await afterRunFinished(database, runId, { resolveSession })).restored).toEqual([]);
    expect(site.active()).toEqual([]);

    await expect(deleteMigrationCommand(database, actor(admin), { migrationId: id, confirm: false })).rejects.toBeInstanceOf(ZodError);
    await expect(deleteMigrationCommand(database, actor(admin, "operator"), { migrationId: id, confirm: true })).rejects.toBeInstanceOf(ForbiddenError);
    const queued = await database.run.create({ data: { migrationId: id, mode: "full", status: "queued" }, select: { id: true } });
    await expect(deleteMigrationCommand(database, actor(admin), { migrationId: id, confirm: true })).rejects.toThrow(/full run of this migration is queued/);
    expect(site.active()).toEqual([]);
    await database.run.update({ where: { id: queued.id }, data: { status: "cancelled" } });

    const deleted = await deleteMigrationCommand(database, actor(admin), { migrationId: id, confirm: true });
    expect(deleted.settings.restored).toHaveLength(activeBefore.length);
    expect(site.active()).toEqual(activeBefore);
    expect(await database.migration.count({ where: { id } })).toBe(0);
    expect(await database.settingChange.count({ where: { migrationId: id } })).toBe(0);
    expect(site.desk.state.list("customers").length).toBe(customersMigrated);
  }, 90_000);

  it("keeps the migration when the settings cannot be put back, until the admin says they did it by hand", async () => {
    const site = await deskSite();
    const admin = await makeUserWithOrganization(database);
    const { id } = await migrationWithTriggersOff(admin, site.desk.url);
    // The stored key no longer opens (a rotated encryption key, a damaged row): Ferry cannot reach the site.
    const { targetConnectionId } = await database.migration.findUniqueOrThrow({ where: { id }, select: { targetConnectionId: true } });
    await database.connection.update({ where: { id: targetConnectionId as string }, data: { credentialsCiphertext: "damaged" } });
    await expect(deleteMigrationCommand(database, actor(admin), { migrationId: id, confirm: true })).rejects.toThrow(
      /was not deleted: .*Could not undo: switched off the trigger/,
    );
    expect(await database.migration.count({ where: { id } })).toBe(1);
    expect((await listSettingChanges(database, id)).outstanding.every((change) => change.status === "restore_failed" && change.error)).toBe(true);
    expect(site.active()).toEqual([]);
    await deleteMigrationCommand(database, actor(admin), { migrationId: id, confirm: true, settingsRestoredByHand: true });
    expect(await database.migration.count({ where: { id } })).toBe(0);
  }, 60_000);
});

function migrateCli(args: string[], databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "scripts", "migrate.ts"), ...args, "--database", databaseUrl, "--json"],
      { cwd: ROOT, env: { ...process.env, NEXTAUTH_SECRET: "x".repeat(40), ENCRYPTION_KEYS }, timeout: 80_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("npm run migrate --apply-fixes", () => {
  it("switches the triggers back on when the CLI's run ends", async () => {
    const site = await deskSite();
    const activeBefore = site.active();
    expect(activeBefore.length).toBeGreaterThan(0);
    const { url: databaseUrl, drop } = await createTestDatabaseUrl();
    onTestFinished(drop);
    const result = await migrateCli(
      [
        "--from",
        "sample",
        "--sample-scale",
        "0.02",
        "--to",
        "teamwork-desk",
        "--target-site",
        site.desk.url,
        "--target-key",
        DESK_KEY,
        "--apply-fixes",
        "--mode",
        "demo",
        "--sample-size",
        "2",
        "--client-rate-limit",
        "0",
      ],
      databaseUrl,
    );
    expect(result.stderr).toMatch(/fixed: \d+/);
    const summary = JSON.parse(result.stdout) as { status: string; settingsRestored: { restored: string[]; failed: unknown[] } };
    expect(summary.status).toBe("completed");
    expect(summary.settingsRestored.failed).toEqual([]);
    expect(summary.settingsRestored.restored.sort()).toEqual(activeBefore.map((name) => `Switched off the trigger “${name}”`).sort());
    expect(result.stderr).toMatch(/Settings: Undid \d+ changes Ferry had made: switched off the trigger/);
    expect(site.active()).toEqual(activeBefore);
  }, 90_000);
});
