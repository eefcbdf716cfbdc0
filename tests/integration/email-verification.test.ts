// Verified e-mail addresses: a new account confirms its address by the mailed link before it can
// accept an invitation, and an invite link (mailed to the address) both confirms it and reclaims an
// account someone opened with that address without confirming it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import { verifyPassword } from "@/lib/auth/password";
import { confirmEmail, queueVerificationMail, RESEND_INTERVAL_MS, VERIFICATION_LIFETIME_MS } from "@/lib/notifications/verification";
import { GENERIC_SIGN_UP_ERROR, acceptInvite, createInvite, resolveOrgContext, signUp } from "@/lib/team";
import { createTestDatabase } from "../helpers/database";
import { makeUserWithOrganization } from "../helpers/factories";

const SECRET = "s".repeat(40);

let database: Database;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ database, cleanup } = await createTestDatabase());
});

afterAll(async () => {
  await cleanup?.();
});

async function signUpAlone(email: string) {
  return signUp(database, { name: "Someone", email, password: "long enough password", organizationName: "Own Org" });
}

/** The confirmation link's token from the last mail queued for `email`. */
async function tokenMailedTo(email: string): Promise<string> {
  const mail = await database.outgoingMail.findFirstOrThrow({ where: { to: email, kind: "email_verification" }, orderBy: { createdAt: "desc" } });
  const link = /Confirm that this address is yours: (\S+)/.exec(mail.text)?.[1];
  expect(link).toMatch(/^http:\/\/localhost:3000\/verify-email\?token=/);
  return decodeURIComponent(new URL(link!).searchParams.get("token")!);
}

describe("e-mail verification", () => {
  it("keeps a new account from accepting an invitation until it opens the mailed link", async () => {
    const admin = await makeUserWithOrganization(database);
    const { userId } = await signUpAlone("late.joiner@example.com");
    const { token: invite } = await createInvite(database, admin, { email: "late.joiner@example.com", role: "operator" });

    await expect(acceptInvite(database, userId, invite)).rejects.toThrow(
      "Confirm your e-mail address first: open the link Ferry mailed to late.joiner@example.com",
    );
    expect(await database.membership.count({ where: { userId, organizationId: admin.organization.id } })).toBe(0);

    await queueVerificationMail(database, userId, new Date(), SECRET);
    expect(await confirmEmail(database, await tokenMailedTo("late.joiner@example.com"), new Date(), SECRET)).toEqual({ email: "late.joiner@example.com" });
    expect((await database.user.findUniqueOrThrow({ where: { id: userId } })).emailVerifiedAt).not.toBeNull();
    await acceptInvite(database, userId, invite);
    expect(await database.membership.count({ where: { userId, organizationId: admin.organization.id } })).toBe(1);
    await expect(queueVerificationMail(database, userId, new Date(), SECRET)).rejects.toThrow("already confirmed");
  });

  it("refuses an expired, a tampered and another secret's link, and changes nothing", async () => {
    const { userId } = await signUpAlone("careful@example.com");
    const sentAt = new Date("2026-12-01T10:00:00Z");
    await queueVerificationMail(database, userId, sentAt, SECRET);
    const token = await tokenMailedTo("careful@example.com");

    await expect(confirmEmail(database, token, new Date(sentAt.getTime() + VERIFICATION_LIFETIME_MS), SECRET)).rejects.toThrow("has expired");
    const [id, expires, signature] = token.split(".");
    await expect(confirmEmail(database, `${id}.${Number(expires) + 1}.${signature}`, sentAt, SECRET)).rejects.toThrow("not valid");
    await expect(confirmEmail(database, token, sentAt, "t".repeat(40))).rejects.toThrow("not valid");
    await expect(confirmEmail(database, "nonsense", sentAt, SECRET)).rejects.toThrow("not valid");
    await expect(confirmEmail(database, 42, sentAt, SECRET)).rejects.toThrow("not valid");
    expect((await database.user.findUniqueOrThrow({ where: { id: userId } })).emailVerifiedAt).toBeNull();
  });

  it("sends one link per minute at most: the address may be someone else's", async () => {
    const { userId } = await signUpAlone("impatient@example.com");
    const sentAt = new Date();
    await queueVerificationMail(database, userId, sentAt, SECRET);
    await expect(queueVerificationMail(database, userId, new Date(sentAt.getTime() + 1_000), SECRET)).rejects.toThrow("less than a minute ago");
    await queueVerificationMail(database, userId, new Date(sentAt.getTime() + RESEND_INTERVAL_MS), SECRET);
    expect(await database.outgoingMail.count({ where: { to: "impatient@example.com" } })).toBe(2);
  });

  it("stops a link once the account's address changed", async () => {
    const { userId } = await signUpAlone("old.address@example.com");
    await queueVerificationMail(database, userId, new Date(), SECRET);
    const token = await tokenMailedTo("old.address@example.com");
    await database.user.update({ where: { id: userId }, data: { email: "new.address@example.com" } });
    await expect(confirmEmail(database, token, new Date(), SECRET)).rejects.toThrow("not valid");
  });

  it("confirms the address of an account made through an invite link", async () => {
    const admin = await makeUserWithOrganization(database);
    const { token } = await createInvite(database, admin, { email: "invited@example.com", role: "operator" });
    const { userId, organizationId } = await signUp(database, {
      name: "Invited",
      email: "invited@example.com",
      password: "long enough password",
      inviteToken: token,
    });
    expect(organizationId).toBe(admin.organization.id);
    expect((await database.user.findUniqueOrThrow({ where: { id: userId } })).emailVerifiedAt).not.toBeNull();
  });

  it("lets the invitee reclaim an address someone signed up with first and never confirmed", async () => {
    const admin = await makeUserWithOrganization(database);
    const { userId: squatterId } = await signUpAlone("target@example.com");
    const { token } = await createInvite(database, admin, { email: "target@example.com", role: "operator" });

    const { userId } = await signUp(database, { name: "Real Owner", email: "target@example.com", password: "the real owner's password", inviteToken: token });
    // A new id: the squatter's sessions (which name the old one) resolve to nobody.
    expect(userId).not.toBe(squatterId);
    expect(await resolveOrgContext(database, squatterId, null)).toBeNull();
    expect(await database.user.count({ where: { email: "target@example.com" } })).toBe(1);
    const account = await database.user.findUniqueOrThrow({ where: { id: userId } });
    expect(account).toMatchObject({ name: "Real Owner" });
    expect(account.emailVerifiedAt).not.toBeNull();
    expect(await verifyPassword("long enough password", account.passwordHash)).toBe(false);
    expect(await database.membership.count({ where: { userId, organizationId: admin.organization.id } })).toBe(1);
  });

  it("never lets an invite take over a confirmed account", async () => {
    const admin = await makeUserWithOrganization(database);
    const owner = await makeUserWithOrganization(database);
    const { token } = await createInvite(database, admin, { email: owner.user.email, role: "operator" });
    await expect(signUp(database, { name: "Intruder", email: owner.user.email, password: "another long password", inviteToken: token })).rejects.toThrow(
      GENERIC_SIGN_UP_ERROR,
    );
    expect((await database.user.findUniqueOrThrow({ where: { id: owner.user.id } })).name).toBe(owner.user.name);
  });
});
