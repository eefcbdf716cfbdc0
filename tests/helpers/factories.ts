import { signUp, resolveOrgContext, type OrgContext } from "@/lib/team";
import type { Database } from "@/lib/db";

let sequence = 0;

/** Signs up a user with their own organization and returns their context in it; the address is confirmed unless `verified: false`. */
export async function makeUserWithOrganization(database: Database, overrides: { name?: string; organizationName?: string; verified?: boolean } = {}): Promise<OrgContext> {
  sequence += 1;
  const { userId, organizationId } = await signUp(database, {
    name: overrides.name ?? `User ${sequence}`,
    email: `user${sequence}-${Date.now()}@example.com`,
    password: "correct horse battery",
    organizationName: overrides.organizationName ?? `Organization ${sequence}`,
  });
  if (overrides.verified !== false) await database.user.update({ where: { id: userId }, data: { emailVerifiedAt: new Date() } });
  return (await resolveOrgContext(database, userId, organizationId))!;
}
