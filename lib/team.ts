// Users, organizations, memberships and invites. Functions take the database and the caller's
// organization context explicitly, so the rules are tested against a real PostgreSQL database.
import { z } from "zod";
import type { Database } from "./db";
import { ForbiddenError, NotFoundError, UserFacingError } from "./errors";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./auth/password";
import { can, roleSchema, type Role } from "./auth/roles";
import { randomToken, sha256 } from "./crypto";
import { scopedDb } from "./org-scope";

export const INVITE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export type OrgContext = {
  user: { id: string; email: string; name: string; isStaff: boolean };
  organization: { id: string; name: string };
  role: Role;
};

export const organizationNameSchema = z
  .string()
  .trim()
  .min(2, "Organization name must be at least 2 characters.")
  .max(80, "Organization name must be at most 80 characters.");

const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address, like name@company.com."));

export const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(80, "Name must be at most 80 characters."),
  email: emailSchema,
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(200, "Password must be at most 200 characters."),
  organizationName: organizationNameSchema.optional(),
  inviteToken: z.string().min(10).optional(),
});

export type SignUpInput = z.input<typeof signUpSchema>;

export const inviteSchema = z.object({ email: emailSchema, role: roleSchema });

function requirePermission(context: OrgContext, permission: Parameters<typeof can>[1]) {
  if (!can(context.role, permission)) throw new ForbiddenError();
}

/** Creates the account and either a new organization or, with an invite, the membership it offers. */
export async function signUp(database: Database, input: unknown): Promise<{ userId: string; organizationId: string }> {
  const data = signUpSchema.parse(input);
  const taken = await database.user.findUnique({ where: { email: data.email }, select: { id: true } });
  if (taken) throw new UserFacingError("An account with this email already exists. Sign in instead.", "email");
  const invite = data.inviteToken ? await findUsableInvite(database, data.inviteToken) : null;
  if (invite && invite.email !== data.email) {
    throw new UserFacingError(`This invite is for ${invite.email}. Sign up with that email address.`, "email");
  }
  if (!invite && !data.organizationName) throw new UserFacingError("Enter a name for your organization.", "organizationName");
  const passwordHash = await hashPassword(data.password);

  return database.$transaction(async (transaction) => {
    // The unique email decides between two sign-ups racing past the check above.
    const user = await transaction.user.create({ data: { email: data.email, name: data.name, passwordHash }, select: { id: true } }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === "P2002") throw new UserFacingError("An account with this email already exists. Sign in instead.", "email");
      throw error;
    });
    if (invite) {
      await claimInvite(transaction as Database, invite.id, user.id);
      await transaction.membership.create({ data: { userId: user.id, organizationId: invite.organizationId, role: invite.role } });
      return { userId: user.id, organizationId: invite.organizationId };
    }
    const organization = await transaction.organization.create({ data: { name: data.organizationName! }, select: { id: true } });
    await transaction.membership.create({ data: { userId: user.id, organizationId: organization.id, role: "admin" } });
    return { userId: user.id, organizationId: organization.id };
  });
}

export async function createOrganization(database: Database, userId: string, name: unknown): Promise<{ organizationId: string }> {
  const organizationName = organizationNameSchema.parse(name);
  const organization = await database.organization.create({
    data: { name: organizationName, memberships: { create: { userId, role: "admin" } } },
    select: { id: true },
  });
  return { organizationId: organization.id };
}

export async function renameOrganization(database: Database, context: OrgContext, name: unknown): Promise<void> {
  requirePermission(context, "members:manage");
  await database.organization.update({ where: { id: context.organization.id }, data: { name: organizationNameSchema.parse(name) } });
}

export async function listMemberships(database: Database, userId: string) {
  return database.membership.findMany({
    where: { userId },
    select: { role: true, organization: { select: { id: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
}

/** Resolves the organization a user is working in; an organization they do not belong to is never chosen. */
export async function resolveOrgContext(database: Database, userId: string, wantedOrganizationId: string | null): Promise<OrgContext | null> {
  const user = await database.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, isStaff: true } });
  if (!user) return null;
  const memberships = await listMemberships(database, userId);
  const membership = memberships.find((entry) => entry.organization.id === wantedOrganizationId) ?? memberships[0];
  if (!membership) return null;
  return { user, organization: membership.organization, role: roleSchema.parse(membership.role) };
}

export async function listTeam(database: Database, context: OrgContext) {
  const scoped = scopedDb(database, context.organization.id);
  const [members, invites] = await Promise.all([
    scoped.membership.findMany({
      select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
      orderBy: { createdAt: "asc" },
    }),
    scoped.invite.findMany({
      where: { acceptedAt: null, revokedAt: null },
      select: { id: true, email: true, role: true, createdAt: true, expiresAt: true, createdBy: { select: { name: true } } },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  return { members, invites };
}

/** Returns the invite link's token once; only its hash is stored. */
export async function createInvite(database: Database, context: OrgContext, input: unknown, now = new Date()): Promise<{ token: string; inviteId: string }> {
  requirePermission(context, "members:manage");
  const data = inviteSchema.parse(input);
  const scoped = scopedDb(database, context.organization.id);
  const alreadyMember = await scoped.membership.findFirst({ where: { user: { email: data.email } }, select: { id: true } });
  if (alreadyMember) throw new UserFacingError(`${data.email} is already a member of this organization.`, "email");
  const token = randomToken();
  const invite = await scoped.invite.create({
    data: {
      organizationId: context.organization.id,
      email: data.email,
      role: data.role,
      tokenHash: sha256(token),
      createdById: context.user.id,
      expiresAt: new Date(now.getTime() + INVITE_LIFETIME_MS),
    },
    select: { id: true },
  });
  return { token, inviteId: invite.id };
}

export async function revokeInvite(database: Database, context: OrgContext, inviteId: string, now = new Date()): Promise<void> {
  requirePermission(context, "members:manage");
  const result = await scopedDb(database, context.organization.id).invite.updateMany({
    where: { id: inviteId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  if (result.count === 0) throw new NotFoundError("That invite");
}

export type InviteView = { organizationName: string; email: string; role: Role; expiresAt: Date };

async function findUsableInvite(database: Database, token: string, now = new Date()) {
  const invite = await database.invite.findUnique({
    where: { tokenHash: sha256(token) },
    select: { id: true, email: true, role: true, organizationId: true, expiresAt: true, acceptedAt: true, revokedAt: true, organization: { select: { name: true } } },
  });
  if (!invite) throw new UserFacingError("This invite link is not valid. Ask your admin for a new one.");
  if (invite.acceptedAt) throw new UserFacingError("This invite has already been used. Sign in, or ask your admin for a new one.");
  if (invite.revokedAt) throw new UserFacingError("This invite was withdrawn. Ask your admin for a new one.");
  if (invite.expiresAt <= now) throw new UserFacingError("This invite has expired (invites last 7 days). Ask your admin for a new one.");
  return { ...invite, role: roleSchema.parse(invite.role) };
}

export async function viewInvite(database: Database, token: string, now = new Date()): Promise<InviteView> {
  const invite = await findUsableInvite(database, token, now);
  return { organizationName: invite.organization.name, email: invite.email, role: invite.role, expiresAt: invite.expiresAt };
}

/** Marks the invite used; the conditional update makes a second acceptance fail even when two race. */
async function claimInvite(database: Database, inviteId: string, userId: string, now = new Date()) {
  const claimed = await database.invite.updateMany({
    where: { id: inviteId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now, acceptedById: userId },
  });
  if (claimed.count === 0) throw new UserFacingError("This invite has already been used. Ask your admin for a new one.");
}

export async function acceptInvite(database: Database, userId: string, token: string, now = new Date()): Promise<{ organizationId: string }> {
  const invite = await findUsableInvite(database, token, now);
  const user = await database.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) throw new NotFoundError("Your account");
  if (user.email !== invite.email) {
    throw new UserFacingError(`This invite is for ${invite.email}, but you are signed in as ${user.email}. Sign out and use that account.`);
  }
  await database.$transaction(async (transaction) => {
    await claimInvite(transaction as Database, invite.id, userId, now);
    await transaction.membership.upsert({
      where: { userId_organizationId: { userId, organizationId: invite.organizationId } },
      create: { userId, organizationId: invite.organizationId, role: invite.role },
      update: {},
    });
  });
  return { organizationId: invite.organizationId };
}

/**
 * Locks the organization's admin memberships for the transaction, then checks another admin
 * remains: two admins demoting or removing each other at once take turns, and the second finds
 * the first's change (row locks; a plain count would let both pass and leave no admin).
 */
async function assertAnotherAdminRemains(transaction: Pick<Database, "$queryRaw">, context: OrgContext, membershipId: string) {
  const admins = await transaction.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Membership" WHERE "organizationId" = ${context.organization.id} AND "role" = 'admin' FOR UPDATE`;
  if (admins.every((admin) => admin.id === membershipId)) throw new UserFacingError("An organization needs at least one admin. Make someone else an admin first.");
}

export async function changeRole(database: Database, context: OrgContext, membershipId: string, role: unknown): Promise<void> {
  requirePermission(context, "members:manage");
  const newRole = roleSchema.parse(role);
  await scopedDb(database, context.organization.id).$transaction(async (scoped) => {
    const membership = await scoped.membership.findFirst({ where: { id: membershipId }, select: { id: true, role: true } });
    if (!membership) throw new NotFoundError("That member");
    if (membership.role === "admin" && newRole !== "admin") await assertAnotherAdminRemains(scoped, context, membershipId);
    await scoped.membership.updateMany({ where: { id: membershipId }, data: { role: newRole } });
  });
}

export async function removeMember(database: Database, context: OrgContext, membershipId: string): Promise<void> {
  requirePermission(context, "members:manage");
  await scopedDb(database, context.organization.id).$transaction(async (scoped) => {
    const membership = await scoped.membership.findFirst({ where: { id: membershipId }, select: { id: true, role: true } });
    if (!membership) throw new NotFoundError("That member");
    if (membership.role === "admin") await assertAnotherAdminRemains(scoped, context, membershipId);
    await scoped.membership.deleteMany({ where: { id: membershipId } });
  });
}
