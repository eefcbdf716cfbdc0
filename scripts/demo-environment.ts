// What `npm run demo` ships, in one place: the two sandboxes with their seeds and keys, and the
// demo account's connections to them. scripts/demo.ts starts it for a person; the browser tests
// (tests/e2e/demo-environment.ts) start the very same thing, so they test what a new user gets.
import { startTeamworkDeskSandbox } from "../connectors/teamwork-desk/sandbox";
import { startTwentySandbox } from "../connectors/twenty/sandbox";
import { createConnection, listConnections } from "../lib/connections";
import type { Database } from "../lib/db";
import { resolveOrgContext } from "../lib/team";
import { DEMO_ACCOUNT } from "../prisma/seed";

// Keys of local, in-memory sandboxes: they open nothing real.
export const TEAMWORK_DESK_DEMO_KEY = "demo-teamwork-desk-key";
export const TWENTY_DEMO_KEY = "demo-twenty-key";

export const DEMO_CONNECTION_LABELS = {
  teamworkDesk: "Teamwork Desk (demo sandbox)",
  twenty: "Twenty (demo sandbox)",
  sample: "Sample data",
} as const;

export type DemoSandboxes = {
  teamworkDesk: Awaited<ReturnType<typeof startTeamworkDeskSandbox>>;
  twenty: Awaited<ReturnType<typeof startTwentySandbox>>;
  close(): Promise<void>;
};

/**
 * The demo's sandboxes: Teamwork Desk filled with the Sample data, Twenty empty (its default
 * three workspace members). `rateWindowMs` only shrinks the published per-minute window (tests).
 */
export async function startDemoSandboxes(options: { teamworkDeskPort: number; twentyPort: number; rateWindowMs?: number }): Promise<DemoSandboxes> {
  const teamworkDesk = await startTeamworkDeskSandbox({
    apiKey: TEAMWORK_DESK_DEMO_KEY,
    port: options.teamworkDeskPort,
    seed: "sample",
    rateWindowMs: options.rateWindowMs,
  }).catch((error: unknown) => {
    throw new Error(
      `Could not start the Teamwork Desk sandbox on port ${options.teamworkDeskPort} (${(error as Error).message}). Free the port or set DEMO_TEAMWORK_DESK_PORT.`,
    );
  });
  const twenty = await startTwentySandbox({ apiKey: TWENTY_DEMO_KEY, port: options.twentyPort, seed: "empty", rateWindowMs: options.rateWindowMs }).catch(
    async (error: unknown) => {
      await teamworkDesk.close();
      throw new Error(`Could not start the Twenty sandbox on port ${options.twentyPort} (${(error as Error).message}). Free the port or set DEMO_TWENTY_PORT.`);
    },
  );
  return {
    teamworkDesk,
    twenty,
    close: async () => {
      await Promise.all([teamworkDesk.close(), twenty.close()]);
    },
  };
}

/** Gives the demo account its connections to the sandboxes (and the Sample source); existing labels are kept. Returns the labels added. */
export async function ensureDemoConnections(database: Database, urls: { teamworkDesk: string; twenty: string }): Promise<string[]> {
  const user = await database.user.findUnique({ where: { email: DEMO_ACCOUNT.email }, select: { id: true } });
  if (!user) throw new Error("The demo account is missing; run `npm run db:migrate` and try again.");
  const context = await resolveOrgContext(database, user.id, null);
  if (!context) throw new Error("The demo account belongs to no organization.");
  const existing = new Set((await listConnections(database, context)).map((connection) => connection.label));
  const wanted = [
    { systemId: "teamwork-desk", label: DEMO_CONNECTION_LABELS.teamworkDesk, credentials: { site: urls.teamworkDesk, apiKey: TEAMWORK_DESK_DEMO_KEY } },
    { systemId: "twenty", label: DEMO_CONNECTION_LABELS.twenty, credentials: { baseUrl: urls.twenty, apiKey: TWENTY_DEMO_KEY } },
    { systemId: "sample", label: DEMO_CONNECTION_LABELS.sample, credentials: {} },
  ];
  const added: string[] = [];
  for (const connection of wanted) {
    if (existing.has(connection.label)) continue;
    await createConnection(database, context, connection);
    added.push(connection.label);
  }
  return added;
}
