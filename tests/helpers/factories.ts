import { signUp, resolveOrgContext, createInvite, type OrgContext } from "@/lib/team";
import type { Database } from "@/lib/db";

let sequence = 0;

/** Signs up a user with their own organization and returns their context in it; the address is confirmed unless `verified: false`. */
export async function makeUserWithOrganization(
  database: Database,
  overrides: { name?: string; organizationName?: string; verified?: boolean; staff?: boolean } = {},
): Promise<OrgContext> {
  sequence += 1;
  const { userId, organizationId } = await signUp(database, {
    name: overrides.name ?? `User ${sequence}`,
    email: `user${sequence}-${Date.now()}@example.com`,
    password: "correct horse battery",
    organizationName: overrides.organizationName ?? `Organization ${sequence}`,
  });
  if (overrides.verified !== false) await database.user.update({ where: { id: userId }, data: { emailVerifiedAt: new Date() } });
  if (overrides.staff) await database.user.update({ where: { id: userId }, data: { isStaff: true } });
  return (await resolveOrgContext(database, userId, organizationId))!;
}

/** A new user joins the admin's organization by invite with the given role ("operator", "custom:<id>", …). */
export async function joinAs(database: Database, admin: OrgContext, role: string, name?: string): Promise<OrgContext> {
  sequence += 1;
  const email = `member${sequence}-${Date.now()}@example.com`;
  const { token } = await createInvite(database, admin, { email, role });
  const { userId } = await signUp(database, { name: name ?? `Member ${sequence}`, email, password: "correct horse battery", inviteToken: token });
  return (await resolveOrgContext(database, userId, admin.organization.id))!;
}

/** Rows of every kind an action could change, so a test can show an action changed nothing. */
export async function snapshotOrganizationData(database: Database) {
  return {
    organizations: await database.organization.findMany({ select: { id: true, name: true }, orderBy: { id: "asc" } }),
    users: await database.user.findMany({ select: { id: true, email: true, isStaff: true }, orderBy: { id: "asc" } }),
    memberships: await database.membership.findMany({ select: { id: true, role: true, customRoleId: true }, orderBy: { id: "asc" } }),
    invites: await database.invite.findMany({ select: { id: true, role: true, revokedAt: true, acceptedAt: true }, orderBy: { id: "asc" } }),
    customRoles: await database.customRole.findMany({ select: { id: true, name: true, permissions: true }, orderBy: { id: "asc" } }),
    connections: await database.connection.findMany({ select: { id: true, label: true, lastVerifiedAt: true }, orderBy: { id: "asc" } }),
    migrations: await database.migration.findMany({
      select: { id: true, name: true, status: true, plan: true, wizardState: true, sourceConnectionId: true, targetConnectionId: true },
      orderBy: { id: "asc" },
    }),
    runs: await database.run.findMany({ select: { id: true, status: true, mode: true }, orderBy: { id: "asc" } }),
    auditEntries: await database.auditEntry.count(),
  };
}

/** A connection pair, a migration between them with a finished full run, a pending invite and a custom role. */
export async function seedOrganizationData(database: Database, admin: OrgContext) {
  const organizationId = admin.organization.id;
  const connection = (label: string, systemId: string) =>
    database.connection.create({ data: { organizationId, systemId, label, credentialsCiphertext: "test-only", keyVersion: 1 }, select: { id: true } });
  const source = await connection("Source", "sample");
  const target = await connection("Target", "twenty");
  const migration = await database.migration.create({
    data: { organizationId, name: "Seeded migration", sourceConnectionId: source.id, targetConnectionId: target.id },
    select: { id: true },
  });
  const run = await database.run.create({ data: { migrationId: migration.id, mode: "full", status: "completed" }, select: { id: true } });
  const customRole = await database.customRole.create({
    data: { organizationId, name: `Seeded role ${crypto.randomUUID().slice(0, 8)}`, permissions: JSON.stringify(["runs"]) },
    select: { id: true },
  });
  const { inviteId } = await createInvite(database, admin, { email: `invitee${sequence}-${Date.now()}@example.com`, role: "viewer" });
  return { sourceId: source.id, targetId: target.id, migrationId: migration.id, runId: run.id, customRoleId: customRole.id, inviteId };
}
