import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "../db";
import { env } from "../env";
import { clientAddress } from "./client-address";
import { signInWithPassword } from "./credentials-sign-in";

const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export function authOptions(): NextAuthOptions {
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
          const outcome = await signInWithPassword(db(), credentials, clientAddress(request?.headers, env().TRUSTED_PROXY_COUNT));
          // next-auth shows a thrown message to the sign-in form as its error.
          if (!outcome.ok) throw new Error(outcome.error);
          return outcome.user;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.userId = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.userId === "string") session.user.id = token.userId;
        return session;
      },
    },
  };
}
