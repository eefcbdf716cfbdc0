// The demo account: created on first start so a new user can sign in at once. Its email and
// password are printed on first start and written in the README; it is staff, so /admin opens.
import type { Database } from "../lib/db";
import { hashPassword } from "../lib/auth/password";

export const DEMO_ACCOUNT = {
  email: "demo@ferry.local",
  password: "ferry-demo-password",
  name: "Demo Manager",
  organizationName: "Demo Support Team",
} as const;

export async function seedDemoAccount(database: Database): Promise<{ created: boolean }> {
  const existing = await database.user.findUnique({ where: { email: DEMO_ACCOUNT.email }, select: { id: true } });
  if (existing) return { created: false };
  const passwordHash = await hashPassword(DEMO_ACCOUNT.password);
  await database.user.create({
    data: {
      email: DEMO_ACCOUNT.email,
      name: DEMO_ACCOUNT.name,
      passwordHash,
      isStaff: true,
      emailVerifiedAt: new Date(),
      memberships: { create: { role: "admin", organization: { create: { name: DEMO_ACCOUNT.organizationName } } } },
    },
  });
  return { created: true };
}
