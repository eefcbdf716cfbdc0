// Server-side access to the signed-in user and the organization they are working in.
import "server-only";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { db } from "../db";
import { resolveOrgContext, type OrgContext } from "../team";
import { authOptions } from "./options";
import { CURRENT_ORGANIZATION_COOKIE } from "./organization-cookie";

export { CURRENT_ORGANIZATION_COOKIE };

export async function currentUserId(): Promise<string | null> {
  const session = await getServerSession(authOptions());
  return session?.user?.id ?? null;
}

/** The caller's organization context, or a redirect to sign-in. The cookie only chooses among the user's own organizations. */
export async function requireOrgContext(): Promise<OrgContext> {
  const userId = await currentUserId();
  if (!userId) redirect("/sign-in");
  const wanted = (await cookies()).get(CURRENT_ORGANIZATION_COOKIE)?.value ?? null;
  const context = await resolveOrgContext(db(), userId, wanted);
  if (!context) redirect("/organizations/new");
  return context;
}

export async function requireStaff(): Promise<OrgContext> {
  const context = await requireOrgContext();
  // Not a redirect: a non-staff user learns nothing about /admin, not even that it exists.
  if (!context.user.isStaff) notFound();
  return context;
}
