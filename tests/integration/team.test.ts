import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import { ForbiddenError, NotFoundError, UserFacingError } from "@/lib/errors";
import { signInWithPassword } from "@/lib/auth/credentials-sign-in";
import { GENERIC_SIGN_UP_ERROR } from "@/lib/auth/sign-up";
import {
  acceptInvite,
  changeRole,
  createInvite,
  listTeam,
  removeMember,
  resolveOrgContext,
  revokeInvite,
  signUp,
  viewInvite,
  INVITE_LIFETIME_MS,
} from "@/lib/team";
import { createTestDatabase } from "../helpers/database";
import { makeUserWithOrganization } from "../helpers/factories";

let database: Database;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
});
afterAll(() => cleanup());

async function countRows() {
  return { users: await database.user.count(), organizations: await database.organization.count(), memberships: await database.membership.count() };
}

describe("sign-up", () => {
  it("creates the user, an organization and an admin membership, and stores only a hash", async () => {
    const { userId, organizationId } = await signUp(database, {
      name: "Ada",
      email: " Ada@Example.com ",
      password: "long enough password",
      organizationName: "Ada's Desk",
    });
    const user = await database.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.email).toBe("ada@example.com");
    expect(user.passwordHash).not.toContain("long enough password");
    expect(user.isStaff).toBe(false);
    const context = await resolveOrgContext(database, userId, organizationId);
    expect(context).toMatchObject({ organization: { name: "Ada's Desk" }, role: { key: "admin", name: "Admin" } });
  });

  it.each([
    [{ name: "", email: "a@b.co", password: "long enough password", organizationName: "Org" }, "name"],
    [{ name: "Bo", email: "not-an-email", password: "long enough password", organizationName: "Org" }, "email"],
    [{ name: "Bo", email: "bo@example.com", password: "short", organizationName: "Org" }, "password"],
    [{ name: "Bo", email: "bo@example.com", password: "long enough password", organizationName: "x" }, "organizationName"],
  ])("rejects bad input field by field and changes nothing (%#)", async (input, field) => {
    const before = await countRows();
    await expect(signUp(database, input)).rejects.toSatisfy((error: unknown) => {
      const issues = (error as { issues?: { path: string[] }[] }).issues ?? [];
      return issues.some((issue) => issue.path[0] === field);
    });
    expect(await countRows()).toEqual(before);
  });

  it("refuses a second account with the same email, whatever its case", async () => {
    await signUp(database, { name: "Cy", email: "cy@example.com", password: "long enough password", organizationName: "Cy Org" });
    const before = await countRows();
    await expect(signUp(database, { name: "Cy2", email: "CY@example.com", password: "long enough password", organizationName: "Other" })).rejects.toThrow(
      GENERIC_SIGN_UP_ERROR,
    );
    expect(await countRows()).toEqual(before);
  });
});

describe("sign-in", () => {
  it("gives the same message for a wrong password and an unknown email", async () => {
    await signUp(database, { name: "Di", email: "di@example.com", password: "long enough password", organizationName: "Di Org" });
    const wrongPassword = await signInWithPassword(database, { email: "di@example.com", password: "wrong password!" }, "10.0.0.1");
    const unknownEmail = await signInWithPassword(database, { email: "nobody@example.com", password: "long enough password" }, "10.0.0.2");
    expect(wrongPassword).toEqual(unknownEmail);
    expect(await signInWithPassword(database, { email: "DI@example.com", password: "long enough password" }, "10.0.0.3")).toMatchObject({ ok: true });
  });
});

describe("invites", () => {
  it("lets an invited person join once with the offered role", async () => {
    const admin = await makeUserWithOrganization(database);
    const { token } = await createInvite(database, admin, { email: "new.member@example.com", role: "operator" });
    expect(await viewInvite(database, token)).toMatchObject({ organizationName: admin.organization.name, role: { key: "operator" } });
    const { userId } = await signUp(database, { name: "New", email: "new.member@example.com", password: "long enough password", inviteToken: token });
    const joined = await resolveOrgContext(database, userId, admin.organization.id);
    expect(joined).toMatchObject({ organization: { id: admin.organization.id }, role: { key: "operator", permissions: ["migrations", "runs"] } });
    await expect(acceptInvite(database, userId, token)).rejects.toThrow(/already been used/);
  });

  it("expires after seven days", async () => {
    const admin = await makeUserWithOrganization(database);
    const { token } = await createInvite(database, admin, { email: "late@example.com", role: "admin" });
    const eightDaysLater = new Date(Date.now() + INVITE_LIFETIME_MS + 24 * 60 * 60 * 1000);
    await expect(viewInvite(database, token, eightDaysLater)).rejects.toThrow(/expired/);
    const late = await makeUserWithOrganization(database);
    await database.user.update({ where: { id: late.user.id }, data: { email: "late@example.com" } });
    await expect(acceptInvite(database, late.user.id, token, eightDaysLater)).rejects.toThrow(/expired/);
  });

  it("only works for the email it was made for", async () => {
    const admin = await makeUserWithOrganization(database);
    const { token } = await createInvite(database, admin, { email: "right@example.com", role: "operator" });
    const stranger = await makeUserWithOrganization(database);
    await expect(acceptInvite(database, stranger.user.id, token)).rejects.toThrow(/This invite is for right@example.com/);
    const before = await countRows();
    await expect(signUp(database, { name: "W", email: "wrong@example.com", password: "long enough password", inviteToken: token })).rejects.toThrow(
      UserFacingError,
    );
    expect(await countRows()).toEqual(before);
  });

  it("cannot be used once withdrawn, and a bad token is refused clearly", async () => {
    const admin = await makeUserWithOrganization(database);
    const { token, inviteId } = await createInvite(database, admin, { email: "gone@example.com", role: "operator" });
    await revokeInvite(database, admin, inviteId);
    await expect(viewInvite(database, token)).rejects.toThrow(/withdrawn/);
    await expect(viewInvite(database, "not-a-real-token-at-all")).rejects.toThrow(/not valid/);
  });

  it("replace the pending invitation when the same address is invited again: only the newest link works", async () => {
    const admin = await makeUserWithOrganization(database);
    const first = await createInvite(database, admin, { email: "again@example.com", role: "viewer" });
    const second = await createInvite(database, admin, { email: "again@example.com", role: "operator" });
    await expect(viewInvite(database, first.token)).rejects.toThrow(/withdrawn/);
    await expect(viewInvite(database, second.token)).resolves.toMatchObject({ email: "again@example.com" });
    expect((await listTeam(database, admin)).invites.map((invite) => invite.email)).toEqual(["again@example.com"]);
  });

  it("are made only by admins", async () => {
    const admin = await makeUserWithOrganization(database);
    const { token } = await createInvite(database, admin, { email: "member.only@example.com", role: "operator" });
    const { userId } = await signUp(database, { name: "M", email: "member.only@example.com", password: "long enough password", inviteToken: token });
    const member = (await resolveOrgContext(database, userId, admin.organization.id))!;
    await expect(createInvite(database, member, { email: "x@example.com", role: "admin" })).rejects.toThrow(ForbiddenError);
  });
});

describe("members and roles", () => {
  it("keeps at least one member who can manage members in every organization", async () => {
    const admin = await makeUserWithOrganization(database);
    const { members } = await listTeam(database, admin);
    await expect(changeRole(database, admin, members[0].id, "operator")).rejects.toThrow(/at least one member who can manage members/);
    await expect(removeMember(database, admin, members[0].id)).rejects.toThrow(/at least one member who can manage members/);
    expect((await listTeam(database, admin)).members.map((member) => member.role.key)).toEqual(["admin"]);
  });

  it("lets an admin promote and remove members", async () => {
    const admin = await makeUserWithOrganization(database);
    const { token } = await createInvite(database, admin, { email: "promote.me@example.com", role: "operator" });
    await signUp(database, { name: "P", email: "promote.me@example.com", password: "long enough password", inviteToken: token });
    const membership = (await listTeam(database, admin)).members.find((member) => member.user.email === "promote.me@example.com")!;
    await changeRole(database, admin, membership.id, "admin");
    expect((await listTeam(database, admin)).members.find((member) => member.id === membership.id)?.role.key).toBe("admin");
    await removeMember(database, admin, membership.id);
    expect((await listTeam(database, admin)).members.map((member) => member.id)).not.toContain(membership.id);
  });
});

describe("organization scoping", () => {
  it("never lets organization B see or change organization A's members, invites or roles", async () => {
    const organizationA = await makeUserWithOrganization(database, { organizationName: "Org A" });
    const organizationB = await makeUserWithOrganization(database, { organizationName: "Org B" });
    const { inviteId } = await createInvite(database, organizationA, { email: "a.invitee@example.com", role: "operator" });
    const memberOfA = (await listTeam(database, organizationA)).members[0];

    const seenByB = await listTeam(database, organizationB);
    expect(seenByB.members.map((member) => member.id)).not.toContain(memberOfA.id);
    expect(seenByB.invites.map((invite) => invite.id)).not.toContain(inviteId);
    await expect(revokeInvite(database, organizationB, inviteId)).rejects.toThrow(NotFoundError);
    await expect(changeRole(database, organizationB, memberOfA.id, "operator")).rejects.toThrow(NotFoundError);
    await expect(removeMember(database, organizationB, memberOfA.id)).rejects.toThrow(NotFoundError);
    expect((await listTeam(database, organizationA)).members).toHaveLength(1);
  });

  it("never resolves an organization the user does not belong to, whatever the cookie says", async () => {
    const organizationA = await makeUserWithOrganization(database);
    const organizationB = await makeUserWithOrganization(database);
    const context = await resolveOrgContext(database, organizationB.user.id, organizationA.organization.id);
    expect(context?.organization.id).toBe(organizationB.organization.id);
  });

  it("resolves the organization the cookie names among the user's own, else the oldest, with its custom role", async () => {
    const organizationA = await makeUserWithOrganization(database);
    const organizationB = await makeUserWithOrganization(database);
    const role = await database.customRole.create({
      data: { organizationId: organizationA.organization.id, name: `Reader ${Date.now()}`, permissions: JSON.stringify(["runs"]) },
    });
    await database.membership.create({
      data: {
        userId: organizationB.user.id,
        organizationId: organizationA.organization.id,
        role: "custom",
        customRoleId: role.id,
        createdAt: new Date(Date.now() + 60_000),
      },
    });
    const chosen = await resolveOrgContext(database, organizationB.user.id, organizationA.organization.id);
    expect(chosen).toMatchObject({
      user: { id: organizationB.user.id },
      organization: organizationA.organization,
      role: { key: `custom:${role.id}`, name: role.name, custom: true },
    });
    expect(chosen?.role.permissions).toEqual(["runs"]);
    for (const wanted of [null, "no-such-organization"]) {
      const fallback = await resolveOrgContext(database, organizationB.user.id, wanted);
      expect(fallback).toMatchObject({ organization: organizationB.organization, role: { key: organizationB.role.key } });
    }
    expect(await resolveOrgContext(database, "no-such-user", null)).toBeNull();
  });
});
