// Each permission, through the server action itself: every role without it is refused, with a
// sentence naming the permission, and nothing changes. Built-in roles and custom roles alike.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db";
import { generateKey } from "@/lib/crypto";
import { reloadEnvironment } from "@/lib/env";
import { BUILT_IN_ROLES, PERMISSION_TEXT, PERMISSIONS, type Permission } from "@/lib/auth/roles";
import { createCustomRole } from "@/lib/custom-roles";
import type { OrgContext } from "@/lib/team";
import { createConnectionAction, removeConnectionAction } from "@/app/actions/connection-actions";
import { deleteMigrationAction, restoreSettingsAction } from "@/app/actions/migration-actions";
import { renameOrganizationAction } from "@/app/actions/organization-actions";
import {
  cancelRunAction,
  deltaRunAction,
  pauseRunAction,
  resumeRunAction,
  retryFailedAction,
  rollbackRunAction,
  staffRetryAction,
  startDemoRunAction,
  startFullRunAction,
} from "@/app/actions/run-actions";
import { cutOverAction, pauseSyncAction, resumeSyncAction, saveSyncSettingsAction, syncNowAction } from "@/app/actions/sync-actions";
import {
  changeRoleAction,
  createInviteAction,
  createRoleAction,
  deleteRoleAction,
  removeMemberAction,
  revokeInviteAction,
  updateRoleAction,
} from "@/app/actions/team-actions";
import {
  applyFixAction,
  createMigrationAction,
  saveMappingAction,
  saveObjectsAction,
  selectConnectionAction,
  setConfirmationAction,
  startAuditAction,
  testConnectionAction,
} from "@/app/actions/wizard-actions";
import { createTestDatabase } from "../helpers/database";
import { signInAs, useDatabase } from "../helpers/action-harness";
import { joinAs, makeUserWithOrganization, seedOrganizationData, snapshotOrganizationData } from "../helpers/factories";

vi.mock("server-only", () => ({}));
vi.mock("next-auth", async () => (await import("../helpers/action-harness")).nextAuthModule);
vi.mock("next/headers", async () => (await import("../helpers/action-harness")).nextHeadersModule);
vi.mock("next/navigation", async () => (await import("../helpers/action-harness")).nextNavigationModule);
vi.mock("next/cache", async () => (await import("../helpers/action-harness")).nextCacheModule);

type Seeded = Awaited<ReturnType<typeof seedOrganizationData>> & { memberId: string };
type Attempt = [string, (seeded: Seeded) => Promise<{ ok: boolean; error?: string }>];

/** What each permission guards, as the buttons call it. */
const GUARDED: Record<Permission, Attempt[]> = {
  members: [
    ["invite", () => createInviteAction({ email: "someone.new@example.com", role: "viewer" })],
    ["withdraw an invite", (seeded) => revokeInviteAction(seeded.inviteId)],
    ["change a role", (seeded) => changeRoleAction(seeded.memberId, "viewer")],
    ["remove a member", (seeded) => removeMemberAction(seeded.memberId)],
    ["define a role", () => createRoleAction({ name: "Auditor", permissions: [] })],
    ["change a role's permissions", (seeded) => updateRoleAction(seeded.customRoleId, { name: "Renamed", permissions: ["members"] })],
    ["delete a role", (seeded) => deleteRoleAction(seeded.customRoleId)],
    ["rename the organization", () => renameOrganizationAction({ name: "Taken over" })],
  ],
  connections: [
    ["add a connection", () => createConnectionAction({ systemId: "sample", label: "Another sample", credentials: {} })],
    ["remove a connection", (seeded) => removeConnectionAction(seeded.sourceId)],
  ],
  migrations: [
    ["create a migration", () => createMigrationAction({ name: "New one" })],
    [
      "replace a connection",
      (seeded) => selectConnectionAction({ migrationId: seeded.migrationId, side: "source", connectionId: seeded.targetId, confirmDiscard: true }),
    ],
    ["test a connection", (seeded) => testConnectionAction({ migrationId: seeded.migrationId, side: "source" })],
    ["save the objects", (seeded) => saveObjectsAction({ migrationId: seeded.migrationId, objects: [] })],
    ["start the audit", (seeded) => startAuditAction(seeded.migrationId)],
    ["apply a fix on the target", (seeded) => applyFixAction({ migrationId: seeded.migrationId, fixId: "deactivate-triggers" })],
    ["give a confirmation", (seeded) => setConfirmationAction({ migrationId: seeded.migrationId, confirmationId: "agents-invited", confirmed: true })],
    ["save the mapping", (seeded) => saveMappingAction({ migrationId: seeded.migrationId, pairs: [] })],
    ["restore settings", (seeded) => restoreSettingsAction({ migrationId: seeded.migrationId })],
  ],
  runs: [
    ["start a demo", (seeded) => startDemoRunAction({ migrationId: seeded.migrationId, sampleSize: 5 })],
    ["start the full run", (seeded) => startFullRunAction({ migrationId: seeded.migrationId })],
    ["pause", (seeded) => pauseRunAction({ runId: seeded.runId })],
    ["resume", (seeded) => resumeRunAction({ runId: seeded.runId })],
    ["cancel", (seeded) => cancelRunAction({ runId: seeded.runId })],
    ["retry failed records", (seeded) => retryFailedAction({ runId: seeded.runId })],
    ["start a delta run", (seeded) => deltaRunAction({ runId: seeded.runId })],
    ["switch sync on", (seeded) => saveSyncSettingsAction({ migrationId: seeded.migrationId, intervalMinutes: 15, conflictPolicy: "report", deletions: {} })],
    ["sync now", (seeded) => syncNowAction({ migrationId: seeded.migrationId })],
    ["pause sync", (seeded) => pauseSyncAction({ migrationId: seeded.migrationId })],
    ["resume sync", (seeded) => resumeSyncAction({ migrationId: seeded.migrationId })],
    ["cut over", (seeded) => cutOverAction({ migrationId: seeded.migrationId })],
  ],
  rollback: [
    ["roll back a run", (seeded) => rollbackRunAction({ runId: seeded.runId, confirm: true })],
    ["delete a migration", (seeded) => deleteMigrationAction({ migrationId: seeded.migrationId, confirm: true })],
  ],
};

/** Custom roles that each lack some permissions, next to the built-in operator and viewer. */
const CUSTOM_ROLES: { name: string; permissions: Permission[] }[] = [
  { name: "Planner", permissions: ["migrations", "connections"] },
  { name: "Runner", permissions: ["runs", "rollback"] },
  { name: "Team lead", permissions: ["members"] },
];

let database: Database;
let cleanup: () => Promise<void>;
let admin: OrgContext;
const members = new Map<string, OrgContext>();

beforeAll(async () => {
  vi.stubEnv("NEXTAUTH_SECRET", "x".repeat(40));
  vi.stubEnv("ENCRYPTION_KEYS", `1:${generateKey()}`);
  reloadEnvironment();
  ({ database, cleanup } = await createTestDatabase());
  useDatabase(database);
  admin = await makeUserWithOrganization(database);
  members.set("operator", await joinAs(database, admin, "operator"));
  members.set("viewer", await joinAs(database, admin, "viewer"));
  for (const role of CUSTOM_ROLES) {
    const { id } = await createCustomRole(database, admin, role);
    members.set(role.name, await joinAs(database, admin, `custom:${id}`));
  }
});
afterAll(async () => {
  await cleanup();
  vi.unstubAllEnvs();
  reloadEnvironment();
});

function holdersLacking(permission: Permission): string[] {
  return [...members.entries()].filter(([, context]) => !context.role.permissions.includes(permission)).map(([name]) => name);
}

describe("built-in roles", () => {
  it("are admin (everything), operator (migrations and runs: connections read-only, no rollback, no members) and viewer (read only)", () => {
    expect(BUILT_IN_ROLES.admin.permissions).toEqual([...PERMISSIONS]);
    expect(BUILT_IN_ROLES.operator.permissions).toEqual(["migrations", "runs"]);
    expect(BUILT_IN_ROLES.viewer.permissions).toEqual([]);
  });
});

describe.each(PERMISSIONS)("the %s permission", (permission) => {
  it.each(GUARDED[permission])(`is needed to %s: every role without it is refused by the action and nothing changes`, async (_what, attempt) => {
    const refused = holdersLacking(permission);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    const seeded = {
      ...(await seedOrganizationData(database, admin)),
      memberId: (await database.membership.findFirstOrThrow({ where: { userId: members.get("viewer")!.user.id }, select: { id: true } })).id,
    };
    const before = await snapshotOrganizationData(database);
    for (const name of refused) {
      await signInAs(members.get(name)!);
      const result = await attempt(seeded);
      expect(result, `${name} may not ${_what}`).toMatchObject({
        ok: false,
        error: expect.stringContaining(`needs the ${PERMISSION_TEXT[permission].label} permission`),
      });
    }
    expect(await snapshotOrganizationData(database)).toEqual(before);
  });
});

describe("custom roles", () => {
  it("can never grant staff access: no staff permission exists, and staff actions stay refused", async () => {
    await signInAs(admin);
    const before = await snapshotOrganizationData(database);
    expect(await createRoleAction({ name: "Superuser", permissions: ["staff" as Permission] })).toMatchObject({
      ok: false,
      fieldErrors: { "permissions.0": expect.any(String) },
    });
    expect(await snapshotOrganizationData(database)).toEqual(before);
    const seeded = await seedOrganizationData(database, admin);
    await expect(staffRetryAction({ runId: seeded.runId })).rejects.toMatchObject({ digest: expect.stringContaining("404") });
  });

  it("cannot be deleted while a member holds one, and the member keeps it", async () => {
    await signInAs(admin);
    const planner = members.get("Planner")!;
    const roleId = planner.role.key.replace(/^custom:/, "");
    expect(await deleteRoleAction(roleId)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^1 member\(s\) and 0 pending invite\(s\) hold the role "Planner"/),
    });
    expect(await database.membership.findFirstOrThrow({ where: { userId: planner.user.id }, select: { customRoleId: true } })).toEqual({
      customRoleId: roleId,
    });
  });

  it("lets a role with the permission through the same check (the admin defines a role)", async () => {
    await signInAs(members.get("Team lead")!);
    expect(await createRoleAction({ name: "Read only", permissions: [] })).toMatchObject({ ok: true });
    await signInAs(members.get("Planner")!);
    expect(await createMigrationAction({ name: "Planned" }).catch((error: { digest?: string }) => error.digest)).toMatch(
      /^NEXT_REDIRECT;\/migrations\/.+\/source$/,
    );
  });
});
