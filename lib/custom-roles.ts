// Roles an organization defines for itself (a name and per-area permissions), the choice of a role
// when inviting or changing a member, and the rule that someone can always manage members.
import { z } from "zod";
import type { Database } from "./db";
import type { Prisma } from "./generated/prisma/client";
import { NotFoundError, UserFacingError } from "./errors";
import { idSchema } from "./action-input";
import { builtInRole, builtInRoleSchema, customRolePermissionsSchema, PERMISSION_TEXT, requirePermission, roleFromRow, type RoleView } from "./auth/roles";
import { auditActor, recordAudit } from "./audit-log";
import { scopedDb } from "./org-scope";
import type { OrgContext } from "./team";

type Transaction = Prisma.TransactionClient;

/** A role as the team page offers it: "admin", "operator", "viewer" or "custom:<id>". */
export const roleChoiceSchema = z.string({ error: "Choose a role." }).trim().min(1, "Choose a role.").max(120);

export const customRoleInputSchema = z.object({
  name: z
    .string({ error: "Give the role a name." })
    .trim()
    .min(2, "Role names have at least 2 characters.")
    .max(40, "Role names have at most 40 characters.")
    .refine((name) => !builtInRoleSchema.safeParse(name.toLowerCase()).success, "That name belongs to a built-in role; choose another."),
  permissions: customRolePermissionsSchema,
});

export type StoredRole = { role: string; customRoleId: string | null; view: RoleView };

/** Turns a role choice into what a membership or invite stores, refusing a custom role of another organization. */
export async function resolveRoleChoice(database: Database, organizationId: string, choice: unknown): Promise<StoredRole> {
  const value = roleChoiceSchema.parse(choice);
  const builtIn = builtInRoleSchema.safeParse(value);
  if (builtIn.success) return { role: builtIn.data, customRoleId: null, view: builtInRole(builtIn.data) };
  const customId = /^custom:(.+)$/.exec(value)?.[1];
  const customRole = customId
    ? await scopedDb(database, organizationId).customRole.findFirst({ where: { id: customId }, select: { id: true, name: true, permissions: true } })
    : null;
  if (!customRole) throw new UserFacingError("Choose admin, operator, viewer or one of this organization's roles.", "role");
  return { role: "custom", customRoleId: customRole.id, view: roleFromRow({ role: "custom", customRole }) };
}

export const ROLE_ROW_SELECT = { role: true, customRole: { select: { id: true, name: true, permissions: true } } } as const;

/**
 * Called inside the transaction that changed roles or members: if nobody left could manage members,
 * the transaction is rolled back (an organization nobody can administer cannot be repaired from the app).
 */
/**
 * Locks the organization's memberships for the transaction, before it changes any: two changes to
 * who may manage members (two admins demoting or removing each other at once) take turns, and the
 * second sees the first's (plain reads would let both pass and leave nobody).
 */
export async function lockMemberships(transaction: Transaction, organizationId: string): Promise<void> {
  await transaction.$queryRaw`SELECT "id" FROM "Membership" WHERE "organizationId" = ${organizationId} FOR UPDATE`;
}

export async function assertMemberManagerRemains(transaction: Transaction, organizationId: string): Promise<void> {
  // A transaction client cannot be extended (scopedDb): the organization is named explicitly.
  const memberships = await transaction.membership.findMany({ where: { organizationId }, select: ROLE_ROW_SELECT });
  if (memberships.some((membership) => roleFromRow(membership).permissions.includes("members"))) return;
  throw new UserFacingError(
    `An organization needs at least one member who can manage members (${PERMISSION_TEXT.members.label} permission, an admin for example). Give that to someone else first.`,
  );
}

export async function listCustomRoles(database: Database, context: OrgContext) {
  const rows = await scopedDb(database, context.organization.id).customRole.findMany({
    select: { id: true, name: true, permissions: true, _count: { select: { memberships: true, invites: { where: { acceptedAt: null, revokedAt: null } } } } },
    orderBy: { name: "asc" },
  });
  return rows.map((row) => ({
    ...roleFromRow({ role: "custom", customRole: row }),
    id: row.id,
    members: row._count.memberships,
    pendingInvites: row._count.invites,
  }));
}

function describePermissions(permissions: readonly string[]): string {
  return permissions.length === 0 ? "read only" : permissions.join(", ");
}

export async function createCustomRole(database: Database, context: OrgContext, input: unknown): Promise<{ id: string }> {
  requirePermission(context, "members");
  const data = customRoleInputSchema.parse(input);
  const scoped = scopedDb(database, context.organization.id);
  if (await scoped.customRole.findFirst({ where: { name: data.name }, select: { id: true } }))
    throw new UserFacingError(`A role named "${data.name}" already exists.`, "name");
  const created = await scoped.customRole.create({
    data: { organizationId: context.organization.id, name: data.name, permissions: JSON.stringify(data.permissions) },
    select: { id: true },
  });
  await recordAudit(database, auditActor(context), {
    kind: "role.created",
    summary: `Defined the role "${data.name}": ${describePermissions(data.permissions)}.`,
  });
  return created;
}

export async function updateCustomRole(database: Database, context: OrgContext, roleId: unknown, input: unknown): Promise<void> {
  requirePermission(context, "members");
  const id = idSchema.parse(roleId);
  const data = customRoleInputSchema.parse(input);
  const organizationId = context.organization.id;
  await database.$transaction(async (transaction) => {
    await lockMemberships(transaction, organizationId);
    const existing = await transaction.customRole.findFirst({ where: { id, organizationId }, select: { id: true } });
    if (!existing) throw new NotFoundError("That role");
    if (await transaction.customRole.findFirst({ where: { organizationId, name: data.name, id: { not: id } }, select: { id: true } }))
      throw new UserFacingError(`A role named "${data.name}" already exists.`, "name");
    await transaction.customRole.updateMany({ where: { id, organizationId }, data: { name: data.name, permissions: JSON.stringify(data.permissions) } });
    await assertMemberManagerRemains(transaction, organizationId);
  });
  await recordAudit(database, auditActor(context), {
    kind: "role.changed",
    summary: `Changed the role "${data.name}": ${describePermissions(data.permissions)}.`,
  });
}

export async function deleteCustomRole(database: Database, context: OrgContext, roleId: unknown): Promise<void> {
  requirePermission(context, "members");
  const id = idSchema.parse(roleId);
  const scoped = scopedDb(database, context.organization.id);
  const existing = await scoped.customRole.findFirst({ where: { id }, select: { id: true, name: true } });
  if (!existing) throw new NotFoundError("That role");
  const holders = await scoped.membership.count({ where: { customRoleId: id } });
  // An expired invite cannot be used any more: it does not hold the role.
  const invites = await scoped.invite.count({ where: { customRoleId: id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } } });
  if (holders + invites > 0)
    throw new UserFacingError(
      `${holders} member(s) and ${invites} pending invite(s) hold the role "${existing.name}". Give them another role (or withdraw the invites) first.`,
    );
  await scoped.customRole.deleteMany({ where: { id } });
  await recordAudit(database, auditActor(context), { kind: "role.deleted", summary: `Deleted the role "${existing.name}".` });
}
