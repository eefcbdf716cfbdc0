// The offline demo: a Teamwork Desk sandbox seeded from the Sample source, an empty Twenty
// sandbox, and Ferry, with the demo account holding ready-made connections to both. Nothing
// here leaves the machine. The sandboxes keep their data in memory: every start is fresh.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createDatabase } from "../lib/db";
import { startConfiguredOrEmbeddedDatabase } from "../lib/embedded-postgres";
import { EnvironmentError, parseEnvironment } from "../lib/env";
import { DEMO_ACCOUNT } from "../prisma/seed";
import { ensureDemoConnections, startDemoSandboxes } from "./demo-environment";
import { loadLocalEnvironment } from "./local-environment";

const TEAMWORK_DESK_PORT = Number(process.env.DEMO_TEAMWORK_DESK_PORT ?? 4010);
const TWENTY_PORT = Number(process.env.DEMO_TWENTY_PORT ?? 4020);
const APP_PORT = Number(process.env.PORT ?? 3000);
const NEXT_CLI = createRequire(import.meta.url).resolve("next/dist/bin/next");

async function prepare() {
  const prepared = spawn(process.execPath, ["--import", "tsx", "scripts/prepare-local.ts"], { stdio: "inherit", env: process.env });
  const code = await new Promise<number | null>((resolve) => prepared.on("exit", resolve));
  if (code !== 0) process.exit(code ?? 1);
}

async function main() {
  process.env.ALLOW_PRIVATE_CONNECTION_URLS = "1";
  loadLocalEnvironment();
  // Started here so it outlives the preparation step and stops with the demo.
  const postgres = await startConfiguredOrEmbeddedDatabase();
  await prepare();

  const sandboxes = await startDemoSandboxes({ teamworkDeskPort: TEAMWORK_DESK_PORT, twentyPort: TWENTY_PORT });
  console.log(`Teamwork Desk sandbox (sample data): ${sandboxes.teamworkDesk.url}`);
  console.log(`Twenty sandbox (empty):              ${sandboxes.twenty.url}`);
  const database = createDatabase(parseEnvironment(process.env).database);
  try {
    const added = await ensureDemoConnections(database, { teamworkDesk: sandboxes.teamworkDesk.url, twenty: sandboxes.twenty.url });
    for (const label of added) console.log(`Added the connection "${label}" to the demo account.`);
  } finally {
    await database.$disconnect();
  }

  // Next's own CLI, not npx: a signal sent to the child must reach Next, which stops its server.
  const app = spawn(process.execPath, [NEXT_CLI, "dev", "-p", String(APP_PORT)], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ALLOW_PRIVATE_CONNECTION_URLS: "1" },
  });
  console.log(`\nFerry demo: open http://localhost:${APP_PORT} and sign in as ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password}\n`);

  const stop = async (code: number) => {
    app.kill("SIGTERM");
    await sandboxes.close();
    await postgres.stop();
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
