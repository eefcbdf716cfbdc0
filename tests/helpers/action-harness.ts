// Calls server actions (app/actions/*) in tests the way the app does, as a signed-in member: each
// test file replaces next-auth's session, Next's cookies, cache and navigation with these (vi.mock
// in the file, pointing here), and db() answers with the test database.
import type { Database } from "@/lib/db";

const state = { userId: null as string | null, cookies: new Map<string, string>() };

export function useDatabase(database: Database): void {
  (globalThis as typeof globalThis & { ferryDatabase?: Database }).ferryDatabase = database;
}

/** The next actions run as this user, in this organization. */
export async function signInAs(context: { user: { id: string }; organization: { id: string } }): Promise<void> {
  // Imported here: lib/auth/session imports the mocked modules, whose factories import this file.
  const { CURRENT_ORGANIZATION_COOKIE } = await import("@/lib/auth/session");
  state.userId = context.user.id;
  state.cookies.set(CURRENT_ORGANIZATION_COOKIE, context.organization.id);
}

export const nextAuthModule = {
  getServerSession: async () => (state.userId ? { user: { id: state.userId } } : null),
  default: () => undefined,
};

export const nextHeadersModule = {
  cookies: async () => ({
    get: (name: string) => (state.cookies.has(name) ? { name, value: state.cookies.get(name) } : undefined),
    set: (name: string, value: string) => void state.cookies.set(name, value),
  }),
  headers: async () => new Headers(),
};

/** Next's redirect() and notFound() throw errors with a NEXT_ digest; runAction lets them through. */
function navigationError(digest: string) {
  return Object.assign(new Error(digest), { digest });
}

export const nextNavigationModule = {
  redirect: (url: string) => {
    throw navigationError(`NEXT_REDIRECT;${url}`);
  },
  notFound: () => {
    throw navigationError("NEXT_HTTP_ERROR_FALLBACK;404");
  },
};

export const nextCacheModule = { revalidatePath: () => undefined, revalidateTag: () => undefined };

/** An id no string parser accepts: as a Prisma filter, {not: "zzz"} matches every row but one. */
export const HOSTILE_ID = { not: "zzz" };

/** An input whose every field, whatever its name, is the hostile id (covers fields added later). */
export const hostileInput: Record<string, unknown> = new Proxy(
  {},
  { get: (_target, key) => (typeof key === "symbol" || key === "then" || key === "toJSON" ? undefined : HOSTILE_ID) },
);
