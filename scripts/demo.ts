// The offline demo: a Teamwork Desk sandbox seeded from the Sample source, an empty Twenty
// sandbox, and Ferry, with the demo account holding ready-made connections to both. Nothing
// here leaves the machine. The sandboxes keep their data in memory: every start is fresh.
import { spawn } from "node:child_process";
import { startTeamworkDeskSandbox } from "../connectors/teamwork-desk/sandbox";
import { startTwentySandbox } from "../connectors/twenty/sandbox";
import { createConnection, listConnections } from "../lib/connections";
import { createDatabase } from "../lib/db";
import { EnvironmentError, parseEnvironment } from "../lib/env";
import { resolveOrgContext } from "../lib/team";
import { DEMO_ACCOUNT } from "../prisma/seed";
import { loadLocalEnvironment } from "./local-environment";

const TEAMWORK_DESK_PORT = Number(process.env.DEMO_TEAMWORK_DESK_PORT ?? 4010);
const TWENTY_PORT = Number(process.env.DEMO_TWENTY_PORT ?? 4020);
const APP_PORT = Number(process.env.PORT ?? 3000);
// Keys of local, in-memory sandboxes: they open nothing real.
const TEAMWORK_DESK_DEMO_KEY = "demo-teamwork-desk-key";
const TWENTY_DEMO_KEY = "demo-twenty-key";

async function prepare() {
  const prepared = spawn(process.execPath, ["--import", "tsx", "scripts/prepare-local.ts"], { stdio: "inherit", env: process.env });
  const code = await new Promise<number | null>((resolve) => prepared.on("exit", resolve));
  if (code !== 0) process.exit(code ?? 1);
}

async function ensureDemoConnections(urls: { teamworkDesk: string; twenty: string }) {
  const environment = parseEnvironment(process.env);
  const database = createDatabase(environment.database);
  try {
    const user = await database.user.findUnique({ where: { email: DEMO_ACCOUNT.email }, select: { id: true } });
    if (!user) throw new Error("The demo account is missing; run `npm run db:migrate` and try again.");
    const context = await resolveOrgContext(database, user.id, null);
    if (!context) throw new Error("The demo account belongs to no organization.");
    const existing = new Set((await listConnections(database, context)).map((connection) => connection.label));
    const wanted = [
      { systemId: "teamwork-desk", label: "Teamwork Desk (demo sandbox)", credentials: { site: urls.teamworkDesk, apiKey: TEAMWORK_DESK_DEMO_KEY } },
      { systemId: "twenty", label: "Twenty (demo sandbox)", credentials: { baseUrl: urls.twenty, apiKey: TWENTY_DEMO_KEY } },
      { systemId: "sample", label: "Sample data", credentials: {} },
    ];
    for (const connection of wanted) {
      if (existing.has(connection.label)) continue;
      await createConnection(database, context, connection);
      console.log(`Added the connection "${connection.label}" to ${context.organization.name}.`);
    }
  } finally {
    await database.$disconnect();
  }
}

async function main() {
  process.env.ALLOW_PRIVATE_CONNECTION_URLS = "1";
  loadLocalEnvironment();
  await prepare();

  const teamworkDesk = await startTeamworkDeskSandbox({ apiKey: TEAMWORK_DESK_DEMO_KEY, port: TEAMWORK_DESK_PORT, seed: "sample" }).catch((error: unknown) => {
    throw new Error(`Could not start the Teamwork Desk sandbox on port ${TEAMWORK_DESK_PORT} (${(error as Error).message}). Free the port or set DEMO_TEAMWORK_DESK_PORT.`);
  });
  const twenty = await startTwentySandbox({ apiKey: TWENTY_DEMO_KEY, port: TWENTY_PORT, seed: "empty" }).catch((error: unknown) => {
    throw new Error(`Could not start the Twenty sandbox on port ${TWENTY_PORT} (${(error as Error).message}). Free the port or set DEMO_TWENTY_PORT.`);
  });
  console.log(`Teamwork Desk sandbox (sample data): ${teamworkDesk.url}`);
  console.log(`Twenty sandbox (empty):              ${twenty.url}`);
  await ensureDemoConnections({ teamworkDesk: teamworkDesk.url, twenty: twenty.url });

  const app = spawn("npx", ["next", "dev", "-p", String(APP_PORT)], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ALLOW_PRIVATE_CONNECTION_URLS: "1" },
  });
  console.log(`\nFerry demo: open http://localhost:${APP_PORT} and sign in as ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password}\n`);

  const stop = async (code: number) => {
    app.kill("SIGTERM");
    await Promise.all([teamworkDesk.close(), twenty.close()]);
    process.exit(code);
  };
  process.once("SIGINT", () => void stop(0));
  process.once("SIGTERM", () => void stop(0));
  app.on("exit", (code) => void stop(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvironmentError || error instanceof Error ? error.message : error);
  process.exit(1);
});
