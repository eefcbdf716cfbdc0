// Every server action parses every argument with zod before anything reaches Prisma: an id that is
// not a string ({not: "zzz"}) is refused and nothing changes. The actions are enumerated from
// app/actions, so an action added later is covered without touching this file.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db";
import { generateKey } from "@/lib/crypto";
import { reloadEnvironment } from "@/lib/env";
import { changeRoleAction, createRoleAction, removeMemberAction, updateRoleAction } from "@/app/actions/team-actions";
import { createTestDatabase } from "../helpers/database";
import { HOSTILE_ID, hostileInput, signInAs, useDatabase } from "../helpers/action-harness";
import { joinAs, makeUserWithOrganization, seedOrganizationData, snapshotOrganizationData } from "../helpers/factories";

vi.mock("server-only", () => ({}));
vi.mock("next-auth", async () => (await import("../helpers/action-harness")).nextAuthModule);
vi.mock("next/headers", async () => (await import("../helpers/action-harness")).nextHeadersModule);
vi.mock("next/navigation", async () => (await import("../helpers/action-harness")).nextNavigationModule);
vi.mock("next/cache", async () => (await import("../helpers/action-harness")).nextCacheModule);

type Action = (...args: unknown[]) => Promise<{ ok: boolean; error?: string; fieldErrors?: Record<string, string> }>;

const actionModules = import.meta.glob<Record<string, unknown>>("../../app/actions/*.ts", { eager: true });
const ACTIONS: [string, Action][] = Object.entries(actionModules).flatMap(([file, exports]) =>
  Object.entries(exports)
    .filter(([, value]) => typeof value === "function")
    .map(([name, value]): [string, Action] => [`${file.split("/").pop()} ${name}`, value as Action]),
);

let database: Database;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  vi.stubEnv("NEXTAUTH_SECRET", "x".repeat(40));
  vi.stubEnv("ENCRYPTION_KEYS", `1:${generateKey()}`);
  reloadEnvironment();
  ({ database, cleanup } = await createTestDatabase());
  useDatabase(database);
});
afterAll(async () => {
  await cleanup();
  vi.unstubAllEnvs();
  reloadEnvironment();
});

/** Calls with the hostile id in each position in turn (strings elsewhere), then with an input whose every field is hostile. */
function hostileCalls(action: Action): unknown[][] {
  const arity = Math.max(action.length, 1);
  const positional = Array.from({ length: arity }, (_, index) => Array.from({ length: arity }, (__, position) => (position === index ? HOSTILE_ID : "x")));
  return [...positional, Array.from({ length: arity }, () => hostileInput)];
}

describe("server action arguments", () => {
  it("finds every action in app/actions", () => {
    expect(ACTIONS.length).toBeGreaterThanOrEqual(35);
    expect(ACTIONS.map(([name]) => name)).toContain("team-actions.ts changeRoleAction");
  });

  it.each(ACTIONS)("%s refuses ids that are not strings and changes nothing", async (_name, action) => {
    const admin = await makeUserWithOrganization(database, { staff: true });
    await joinAs(database, admin, "operator");
    await seedOrganizationData(database, admin);
    await signInAs(admin);
    const before = await snapshotOrganizationData(database);
    for (const args of hostileCalls(action)) {
      const result = await action(...args);
      expect(result, JSON.stringify(args)).toMatchObject({ ok: false, error: "Please correct the highlighted fields." });
    }
    expect(await snapshotOrganizationData(database)).toEqual(before);
  });
});

describe("the organization keeps someone who can manage members", () => {
  it("refuses changeRoleAction({not: …}) instead of demoting every other member", async () => {
    const admin = await makeUserWithOrganization(database);
    const operator = await joinAs(database, admin, "operator");
    const otherAdmin = await joinAs(database, admin, "admin");
    await signInAs(admin);
    const before = await snapshotOrganizationData(database);
    expect(await changeRoleAction(HOSTILE_ID as never, "viewer")).toMatchObject({ ok: false, fieldErrors: { form: expect.any(String) } });
    expect(await removeMemberAction(HOSTILE_ID as never)).toMatchObject({ ok: false });
    expect(await snapshotOrganizationData(database)).toEqual(before);
    const roles = await database.membership.findMany({ where: { organizationId: admin.organization.id }, select: { userId: true, role: true } });
    expect(Object.fromEntries(roles.map((row) => [row.userId, row.role]))).toEqual({
      [admin.user.id]: "admin",
      [operator.user.id]: "operator",
      [otherAdmin.user.id]: "admin",
    });
  });

  it("refuses to demote, remove or strip the last member who can manage members, through the actions", async () => {
    const admin = await makeUserWithOrganization(database);
    const operator = await joinAs(database, admin, "operator");
    await signInAs(admin);
    const memberships = await database.membership.findMany({ where: { organizationId: admin.organization.id }, select: { id: true, userId: true } });
    const idOf = (userId: string) => memberships.find((row) => row.userId === userId)!.id;
    const lastManager = /at least one member who can manage members/;

    expect(await changeRoleAction(idOf(admin.user.id), "viewer")).toMatchObject({ ok: false, error: expect.stringMatching(lastManager) });
    expect(await removeMemberAction(idOf(admin.user.id))).toMatchObject({ ok: false, error: expect.stringMatching(lastManager) });

    // A custom role with the members permission counts: then the admin may step down.
    const keeper = await createRoleAction({ name: "Team keeper", permissions: ["members"] });
    expect(keeper).toMatchObject({ ok: true });
    const keeperKey = `custom:${keeper.ok ? keeper.data?.id : ""}`;
    expect(await changeRoleAction(idOf(operator.user.id), keeperKey)).toMatchObject({ ok: true });
    expect(await changeRoleAction(idOf(admin.user.id), "viewer")).toMatchObject({ ok: true });

    // Now the custom role is the last one able to manage members: it cannot lose that permission.
    await signInAs(operator);
    expect(await updateRoleAction(keeper.ok ? keeper.data!.id : "", { name: "Team keeper", permissions: ["runs"] })).toMatchObject({
      ok: false,
      error: expect.stringMatching(lastManager),
    });
    expect(await removeMemberAction(idOf(operator.user.id))).toMatchObject({ ok: false, error: expect.stringMatching(lastManager) });
    const stored = await database.customRole.findFirstOrThrow({ where: { organizationId: admin.organization.id }, select: { permissions: true } });
    expect(JSON.parse(stored.permissions)).toEqual(["members"]);
  });
});
