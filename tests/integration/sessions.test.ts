// Sessions (issue 15, hole 8): signing out or being removed from an organization revokes every
// existing session of that user, copies of the cookie included; the organization cookie is Secure
// when Ferry is served over https.
import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInWithPassword } from "@/lib/auth/credentials-sign-in";
import { organizationCookieOptions } from "@/lib/auth/organization-cookie";
import { authOptions } from "@/lib/auth/options";
import { SessionRevokedError } from "@/lib/auth/session-version";
import { generateKey } from "@/lib/crypto";
import type { Database } from "@/lib/db";
import { parseEnvironment, reloadEnvironment } from "@/lib/env";
import { createInvite, listTeam, removeMember, signUp } from "@/lib/team";
import { createTestDatabase } from "../helpers/database";
import { makeUserWithOrganization } from "../helpers/factories";

const PASSWORD = "long enough password";

let database: Database;
let cleanup: () => Promise<void>;
const saved = { NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET, ENCRYPTION_KEYS: process.env.ENCRYPTION_KEYS };

beforeAll(async () => {
  process.env.NEXTAUTH_SECRET = "s".repeat(40);
  process.env.ENCRYPTION_KEYS = `1:${generateKey()}`;
  reloadEnvironment();
  ({ database, cleanup } = await createTestDatabase());
});
afterAll(async () => {
  await cleanup();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  reloadEnvironment();
});

type JwtCallback = (parameters: { token: JWT; user?: unknown }) => Promise<JWT>;

/** The session token next-auth issues at sign-in, and a check of it as every later request does. */
async function signIn(email: string) {
  const outcome = await signInWithPassword(database, { email, password: PASSWORD }, "192.0.2.80");
  if (!outcome.ok) throw new Error(outcome.error);
  const options = authOptions(database);
  const jwt = options.callbacks!.jwt as unknown as JwtCallback;
  const token = await jwt({ token: {}, user: outcome.user });
  return { options, token, check: () => jwt({ token: { ...token } }) };
}

describe("sessions", () => {
  it("stay valid until their user signs out; then every copy of the session is refused", async () => {
    await signUp(database, { name: "Sal", email: "sal@example.com", password: PASSWORD, organizationName: "Sal Org" });
    const laptop = await signIn("sal@example.com");
    const phone = await signIn("sal@example.com");
    await expect(laptop.check()).resolves.toMatchObject({ userId: laptop.token.userId });

    await laptop.options.events!.signOut!({ token: laptop.token, session: undefined as never });

    await expect(laptop.check()).rejects.toThrow(SessionRevokedError);
    await expect(phone.check()).rejects.toThrow(SessionRevokedError);
    const again = await signIn("sal@example.com");
    await expect(again.check()).resolves.toMatchObject({ userId: laptop.token.userId });
  });

  it("are revoked when their user is removed from an organization", async () => {
    const admin = await makeUserWithOrganization(database);
    const { token: invite } = await createInvite(database, admin, { email: "leaver@example.com", role: "operator" });
    await signUp(database, { name: "Lee", email: "leaver@example.com", password: PASSWORD, inviteToken: invite });
    const leaver = await signIn("leaver@example.com");
    await expect(leaver.check()).resolves.toBeDefined();

    const membership = (await listTeam(database, admin)).members.find((member) => member.user.email === "leaver@example.com")!;
    await removeMember(database, admin, membership.id);

    await expect(leaver.check()).rejects.toThrow(SessionRevokedError);
  });

  it("are refused for a user that no longer exists", async () => {
    await signUp(database, { name: "Gone", email: "gone.user@example.com", password: PASSWORD, organizationName: "Gone Org" });
    const gone = await signIn("gone.user@example.com");
    await database.membership.deleteMany({ where: { user: { email: "gone.user@example.com" } } });
    await database.user.delete({ where: { email: "gone.user@example.com" } });
    await expect(gone.check()).rejects.toThrow(SessionRevokedError);
  });
});

describe("organization cookie", () => {
  const environment = (values: Record<string, string>) =>
    parseEnvironment({
      NEXTAUTH_SECRET: "s".repeat(40),
      ENCRYPTION_KEYS: `1:${generateKey()}`,
      DATABASE_URL: "postgres://ferry:secret@127.0.0.1:5433/ferry",
      ...values,
    });

  it("is Secure in production over https, and never readable by scripts", () => {
    expect(organizationCookieOptions(environment({ NODE_ENV: "production", NEXTAUTH_URL: "https://ferry.example.com" }))).toEqual({
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: true,
    });
  });

  it("is not Secure over plain http (local use), where a browser would drop it", () => {
    expect(organizationCookieOptions(environment({ NEXTAUTH_URL: "http://localhost:3000" }))).toMatchObject({ httpOnly: true, secure: false });
  });
});
