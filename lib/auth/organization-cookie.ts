// The cookie that remembers which of the user's organizations they work in. It only chooses among
// the user's own memberships (lib/auth/session.ts), but still travels only over https when Ferry
// is served over https (as next-auth's session cookie does); over plain http a browser would drop it.
import { env, type Environment } from "../env";

export const CURRENT_ORGANIZATION_COOKIE = "ferry-organization";

export function organizationCookieOptions(environment: Pick<Environment, "NEXTAUTH_URL"> = env()) {
  return { httpOnly: true, sameSite: "lax" as const, path: "/", secure: new URL(environment.NEXTAUTH_URL).protocol === "https:" };
}
