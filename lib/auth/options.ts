import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db, type Database } from "../db";
import { env } from "../env";
import { clientAddress } from "./client-address";
import { signInWithPassword } from "./credentials-sign-in";
import { SessionRevokedError, assertSessionCurrent, revokeSessions } from "./session-version";

const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export function authOptions(database: Database = db()): NextAuthOptions {
  // next-auth reads NEXTAUTH_URL itself; give it the value lib/env settled on (default included).
  process.env.NEXTAUTH_URL ??= env().NEXTAUTH_URL;
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          const outcome = await signInWithPassword(database, credentials, clientAddress(request?.headers, env().TRUSTED_PROXY_COUNT));
          // next-auth shows a thrown message to the sign-in form as its error.
          if (!outcome.ok) throw new Error(outcome.error);
          return outcome.user;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) return { ...token, userId: user.id, sessionVersion: (user as { sessionVersion?: number }).sessionVersion ?? 0 };
        // Every request: a revoked session throws, and next-auth then treats the request as signed out.
        await assertSessionCurrent(database, token.userId, token.sessionVersion);
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.userId === "string") session.user.id = token.userId;
        return session;
      },
    },
    events: {
      // Signing out ends the user's sessions everywhere, not only this browser's cookie.
      async signOut({ token }) {
        if (typeof token?.userId === "string") await revokeSessions(database, { userId: token.userId });
      },
    },
    logger: {
      error(code, metadata) {
        // A revoked session is expected, not a server error worth a log line per request.
        if (metadata instanceof SessionRevokedError) return;
        console.error(`[next-auth][error][${code}]`, metadata);
      },
    },
  };
}
