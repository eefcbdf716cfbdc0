import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    userId?: string;
    /** The user's session version at sign-in (lib/auth/session-version.ts). */
    sessionVersion?: number;
  }
}
