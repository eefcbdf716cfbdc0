// Users, organizations, memberships and invites. Functions take the database and the caller's
// organization context explicitly, so the rules are tested against a real PostgreSQL database.
import { z } from "zod";
import type { Database } from "./db";
import { NotFoundError, UserFacingError } from "./errors";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./auth/password";
import { revokeSessions } from "./auth/session-version";
import { requirePermission, roleFromRow, type RoleView } from "./auth/roles";
import { auditActor, recordAudit } from "./audit-log";
import { idSchema } from "./action-input";
import { assertMemberManagerRemains, lockMemberships, resolveRoleChoice, roleChoiceSchema, ROLE_ROW_SELECT } from "./custom-roles";
import { randomToken, sha256 } from "./crypto";
import { scopedDb } from "./org-scope";

export const INVITE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export type OrgContext = {
  user: { id: string; email: string; name: string; isStaff: boolean };
  organization: { id: string; name: string };
  role: RoleView;
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

/** What a refused sign-up says, whether or not the email has an account. */
export const GENERIC_SIGN_UP_ERROR = "Ferry could not create an account with these details. Check them, or sign in if you signed up before.";

export type SignUpInput = z.input<typeof signUpSchema>;

export const inviteSchema = z.object({ email: emailSchema, role: roleChoiceSchema });

/** Creates the account and either a new organization or, with an invite, the membership it offers. */
export async function signUp(database: Database, input: unknown): Promise<{ userId: string; organizationId: string }> {
  const data = signUpSchema.parse(input);
  const taken = await database.user.findUnique({ where: { email: data.email }, select: { id: true, emailVerifiedAt: true } });
  const invite = data.inviteToken ? await findUsableInvite(database, data.inviteToken) : null;
  if (invite && invite.email !== data.email) {
    throw new UserFacingError(`This invite is for ${invite.email}. Sign up with that email address.`, "email");
  }
  if (!invite && !data.organizationName) throw new UserFacingError("Enter a name for your organization.", "organizationName");
  const passwordHash = await hashPassword(data.password);
  // After the hash, so a taken email answers as slowly, and in the same words, as any refusal.
  // The invite link was mailed to this address, so signing up through it confirms the address; it
  // also reclaims an account someone opened with the address without ever confirming it.
  if (taken && !(invite && !taken.emailVerifiedAt)) throw new UserFacingError(GENERIC_SIGN_UP_ERROR);

  const created = await database.$transaction(async (transaction) => {
    const account = { email: data.email, name: data.name, passwordHash, emailVerifiedAt: invite ? new Date() : null };
    // A reclaimed account gets a new id (memberships follow by cascade): every session opened
    // with the unconfirmed account named the old id, so whoever opened it is signed out.
    const user = taken
      ? await transaction.user.update({ where: { id: taken.id }, data: { ...account, id: randomToken(16) }, select: { id: true } })
      : // The unique email decides between two sign-ups racing past the check above.
        await transaction.user.create({ data: account, select: { id: true } }).catch((error: unknown) => {
          if ((error as { code?: unknown }).code === "P2002") throw new UserFacingError(GENERIC_SIGN_UP_ERROR);
          throw error;
        });
    if (invite) {
      await claimInvite(transaction as Database, invite.id, user.id);
      await transaction.membership.upsert({
        where: { userId_organizationId: { userId: user.id, organizationId: invite.organizationId } },
        create: { userId: user.id, organizationId: invite.organizationId, role: invite.role, customRoleId: invite.customRoleId },
        update: {},
      });
      return { userId: user.id, organizationId: invite.organizationId };
    }
    const organization = await transaction.organization.create({ data: { name: data.organizationName! }, select: { id: true } });
    await transaction.membership.create({ data: { userId: user.id, organizationId: organization.id, role: "admin" } });
    return { userId: user.id, organizationId: organization.id };
  });
  if (invite) {
    const author = { id: created.userId, name: data.name, email: data.email };
    await recordAudit(
      database,
      { organizationId: invite.organizationId, user: author },
      { kind: "invite.accepted", summary: `${data.email} signed up and joined as ${invite.roleView.name}.` },
    );
  }
  return created;
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
  requirePermission(context, "members");
  const newName = organizationNameSchema.parse(name);
  await database.organization.update({ where: { id: context.organization.id }, data: { name: newName } });
  await recordAudit(database, auditActor(context), {
    kind: "organization.renamed",
    summary: `Renamed the organization from "${context.organization.name}" to "${newName}".`,
  });
}

export async function listMemberships(database: Database, userId: string) {
  return database.membership.findMany({
    where: { userId },
    select: { ...ROLE_ROW_SELECT, organization: { select: { id: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
}

type OrgContextRow = {
  id: string;
  email: string;
  name: string;
  isStaff: boolean;
  role: string | null;
  organizationId: string | null;
  organizationName: string | null;
  customRoleId: string | null;
  customRoleName: string | null;
  customRolePermissions: string | null;
};

/**
 * The user and the membership in the organization they asked for, else their oldest, in one
 * statement: every signed-in request resolves this, and each Prisma statement costs the server
 * ~1.5 ms of CPU, which a loaded machine turns into a wait for a core (bench/RESULTS.md).
 */
const ORG_CONTEXT_SQL = `
SELECT u."id", u."email", u."name", u."isStaff", m."role", o."id" AS "organizationId", o."name" AS "organizationName",
  c."id" AS "customRoleId", c."name" AS "customRoleName", c."permissions" AS "customRolePermissions"
FROM "User" u
LEFT JOIN LATERAL (
  SELECT * FROM "Membership" m WHERE m."userId" = u."id"
  ORDER BY COALESCE(m."organizationId" = $2, false) DESC, m."createdAt" ASC LIMIT 1
) m ON true
LEFT JOIN "Organization" o ON o."id" = m."organizationId"
LEFT JOIN "CustomRole" c ON c."id" = m."customRoleId"
WHERE u."id" = $1`;

/** Resolves the organization a user is working in; an organization they do not belong to is never chosen. */
export async function resolveOrgContext(database: Database, userId: string, wantedOrganizationId: string | null): Promise<OrgContext | null> {
  const [row] = await database.$queryRawUnsafe<OrgContextRow[]>(ORG_CONTEXT_SQL, userId, wantedOrganizationId);
  if (!row || row.role === null || row.organizationId === null || row.organizationName === null) return null;
  const customRole =
    row.customRoleId !== null && row.customRoleName !== null && row.customRolePermissions !== null
      ? { id: row.customRoleId, name: row.customRoleName, permissions: row.customRolePermissions }
      : null;
  return {
    user: { id: row.id, email: row.email, name: row.name, isStaff: row.isStaff },
    organization: { id: row.organizationId, name: row.organizationName },
    role: roleFromRow({ role: row.role, customRole }),
  };
}

export async function listTeam(database: Database, context: OrgContext) {
  const scoped = scopedDb(database, context.organization.id);
  const [members, invites] = await Promise.all([
    scoped.membership.findMany({
      select: { id: true, ...ROLE_ROW_SELECT, createdAt: true, user: { select: { id: true, name: true, email: true } } },
      orderBy: { createdAt: "asc" },
    }),
    scoped.invite.findMany({
      where: { acceptedAt: null, revokedAt: null },
      select: { id: true, email: true, ...ROLE_ROW_SELECT, createdAt: true, expiresAt: true, createdBy: { select: { name: true } } },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  return {
    members: members.map(({ customRole, ...member }) => ({ ...member, role: roleFromRow({ role: member.role, customRole }) })),
    invites: invites.map(({ customRole, ...invite }) => ({ ...invite, role: roleFromRow({ role: invite.role, customRole }) })),
  };
}

/** Returns the invite link's token once; only its hash is stored. */
export async function createInvite(database: Database, context: OrgContext, input: unknown, now = new Date()): Promise<{ token: string; inviteId: string }> {
  requirePermission(context, "members");
  const data = inviteSchema.parse(input);
  const role = await resolveRoleChoice(database, context.organization.id, data.role);
  const scoped = scopedDb(database, context.organization.id);
  const alreadyMember = await scoped.membership.findFirst({ where: { user: { email: data.email } }, select: { id: true } });
  if (alreadyMember) throw new UserFacingError(`${data.email} is already a member of this organization.`, "email");
  const token = randomToken();
  // Inviting an address again replaces its pending invitation (the older link stops working), one
  // invitation at a time per organization so that two at once cannot both stay pending.
  const invite = await database.$transaction(async (transaction) => {
    await transaction.$queryRaw`SELECT "id" FROM "Organization" WHERE "id" = ${context.organization.id} FOR UPDATE`;
    await transaction.invite.updateMany({
      where: { organizationId: context.organization.id, email: data.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    return transaction.invite.create({
      data: {
        organizationId: context.organization.id,
        email: data.email,
        role: role.role,
        customRoleId: role.customRoleId,
        tokenHash: sha256(token),
        createdById: context.user.id,
        expiresAt: new Date(now.getTime() + INVITE_LIFETIME_MS),
      },
      select: { id: true },
    });
  });
  await recordAudit(database, auditActor(context), { kind: "invite.created", summary: `Invited ${data.email} as ${role.view.name}.` });
  return { token, inviteId: invite.id };
}

export async function revokeInvite(database: Database, context: OrgContext, inviteId: unknown, now = new Date()): Promise<void> {
  requirePermission(context, "members");
  const id = idSchema.parse(inviteId);
  const scoped = scopedDb(database, context.organization.id);
  const invite = await scoped.invite.findFirst({ where: { id, acceptedAt: null, revokedAt: null }, select: { email: true } });
  const result = await scoped.invite.updateMany({ where: { id, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
  if (!invite || result.count === 0) throw new NotFoundError("That invite");
  await recordAudit(database, auditActor(context), { kind: "invite.revoked", summary: `Withdrew the invitation of ${invite.email}.` });
}

export type InviteView = { organizationName: string; email: string; role: RoleView; expiresAt: Date };

async function findUsableInvite(database: Database, token: string, now = new Date()) {
  const invite = await database.invite.findUnique({
    where: { tokenHash: sha256(token) },
    select: {
      id: true,
      email: true,
      ...ROLE_ROW_SELECT,
      customRoleId: true,
      organizationId: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      organization: { select: { name: true } },
    },
  });
  if (!invite) throw new UserFacingError("This invite link is not valid. Ask your admin for a new one.");
  if (invite.acceptedAt) throw new UserFacingError("This invite has already been used. Sign in, or ask your admin for a new one.");
  if (invite.revokedAt) throw new UserFacingError("This invite was withdrawn. Ask your admin for a new one.");
  if (invite.expiresAt <= now) throw new UserFacingError("This invite has expired (invites last 7 days). Ask your admin for a new one.");
  return { ...invite, roleView: roleFromRow(invite) };
}

export async function viewInvite(database: Database, token: string, now = new Date()): Promise<InviteView> {
  const invite = await findUsableInvite(database, token, now);
  return { organizationName: invite.organization.name, email: invite.email, role: invite.roleView, expiresAt: invite.expiresAt };
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
  const user = await database.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, emailVerifiedAt: true } });
  if (!user) throw new NotFoundError("Your account");
  if (user.email !== invite.email) {
    throw new UserFacingError(`This invite is for ${invite.email}, but you are signed in as ${user.email}. Sign out and use that account.`);
  }
  if (!user.emailVerifiedAt) {
    throw new UserFacingError(
      `Confirm your e-mail address first: open the link Ferry mailed to ${user.email} (Send it again from the banner at the top), then open this invite again.`,
    );
  }
  await database.$transaction(async (transaction) => {
    await claimInvite(transaction as Database, invite.id, userId, now);
    await transaction.membership.upsert({
      where: { userId_organizationId: { userId, organizationId: invite.organizationId } },
      create: { userId, organizationId: invite.organizationId, role: invite.role, customRoleId: invite.customRoleId },
      update: {},
    });
  });
  await recordAudit(
    database,
    { organizationId: invite.organizationId, user },
    { kind: "invite.accepted", summary: `${user.email} joined as ${invite.roleView.name}.` },
  );
  return { organizationId: invite.organizationId };
}

async function findMember(database: Database, context: OrgContext, membershipId: string) {
  const membership = await scopedDb(database, context.organization.id).membership.findFirst({
    where: { id: membershipId },
    select: { id: true, ...ROLE_ROW_SELECT, user: { select: { email: true } } },
  });
  if (!membership) throw new NotFoundError("That member");
  return membership;
}

/** The update and the check that someone can still manage members commit together, or not at all. */
export async function changeRole(database: Database, context: OrgContext, membershipId: unknown, role: unknown): Promise<void> {
  requirePermission(context, "members");
  const id = idSchema.parse(membershipId);
  const organizationId = context.organization.id;
  const newRole = await resolveRoleChoice(database, organizationId, role);
  const membership = await findMember(database, context, id);
  await database.$transaction(async (transaction) => {
    await lockMemberships(transaction, organizationId);
    await transaction.membership.updateMany({ where: { id, organizationId }, data: { role: newRole.role, customRoleId: newRole.customRoleId } });
    await assertMemberManagerRemains(transaction, organizationId);
  });
  await recordAudit(database, auditActor(context), {
    kind: "member.role_changed",
    summary: `Changed ${membership.user.email} from ${roleFromRow(membership).name} to ${newRole.view.name}.`,
  });
}

export async function removeMember(database: Database, context: OrgContext, membershipId: unknown): Promise<void> {
  requirePermission(context, "members");
  const id = idSchema.parse(membershipId);
  const organizationId = context.organization.id;
  const membership = await findMember(database, context, id);
  await database.$transaction(async (transaction) => {
    await lockMemberships(transaction, organizationId);
    // Before the row goes: the sessions of the member removed end with it (lib/auth/session-version.ts).
    await revokeSessions(transaction as Database, { membershipId: id });
    await transaction.membership.deleteMany({ where: { id, organizationId } });
    await assertMemberManagerRemains(transaction, organizationId);
  });
  await recordAudit(database, auditActor(context), {
    kind: "member.removed",
    summary: `Removed ${membership.user.email} (${roleFromRow(membership).name}) from the organization.`,
  });
}
