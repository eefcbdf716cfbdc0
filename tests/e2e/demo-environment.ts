// Starts exactly what `npm run demo` ships (scripts/demo-environment.ts): the Teamwork Desk
// sandbox with the Sample data, the empty Twenty sandbox with its three workspace members, and
// the demo account's connections to both, in the browser tests' database. Nothing is added: no
// extra members, agents or inboxes. Like `npm run demo`, the sandboxes listen on fixed ports
// (DEMO_TEAMWORK_DESK_PORT, DEMO_TWENTY_PORT) and start fresh each time, while Ferry's database
// and the connections in it are kept, so several spec files can each start their own.
import { expect, type Page } from "@playwright/test";
import { createDatabase } from "../../lib/db";
import { reloadEnvironment } from "../../lib/env";
import { DEMO_CONNECTION_LABELS, ensureDemoConnections, startDemoSandboxes, type DemoSandboxes } from "../../scripts/demo-environment";
import { DEMO_EMAIL, DEMO_PASSWORD, E2E_PORT, e2eDatabaseUrl } from "./environment";

export { DEMO_CONNECTION_LABELS, type DemoSandboxes };

export const DEMO_TEAMWORK_DESK_PORT = Number(process.env.DEMO_TEAMWORK_DESK_PORT ?? 4010);
export const DEMO_TWENTY_PORT = Number(process.env.DEMO_TWENTY_PORT ?? 4020);

/** The same configuration the test server runs with (playwright.config.ts), so lib/ reads and seals like it. */
export function adoptServerEnvironment() {
  process.env.DATABASE_URL = e2eDatabaseUrl();
  process.env.NEXTAUTH_URL = `http://localhost:${E2E_PORT}`;
  process.env.NEXTAUTH_SECRET = process.env.FERRY_E2E_SECRET;
  process.env.ENCRYPTION_KEYS = `1:${process.env.FERRY_E2E_KEY}`;
  process.env.ALLOW_PRIVATE_CONNECTION_URLS = "1";
  reloadEnvironment();
}

/**
 * Starts the demo's sandboxes and gives the demo account its connections, as `npm run demo`
 * does. `rateWindowMs` shrinks the sandboxes' published per-minute window (say so in the test).
 */
export async function startShippedDemo(options: { rateWindowMs?: number } = {}): Promise<DemoSandboxes> {
  adoptServerEnvironment();
  const sandboxes = await startDemoSandboxes({ teamworkDeskPort: DEMO_TEAMWORK_DESK_PORT, twentyPort: DEMO_TWENTY_PORT, rateWindowMs: options.rateWindowMs });
  const database = createDatabase();
  try {
    await ensureDemoConnections(database, { teamworkDesk: sandboxes.teamworkDesk.url, twenty: sandboxes.twenty.url });
  } catch (error) {
    await sandboxes.close();
    throw error;
  } finally {
    await database.$disconnect();
  }
  return sandboxes;
}

/** Signs in with the demo account printed by `npm run demo` and written in the README. */
export async function signInAsDemo(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(DEMO_EMAIL);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/migrations$/);
}
