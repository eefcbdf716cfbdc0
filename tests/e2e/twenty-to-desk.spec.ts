// Twenty → Teamwork Desk from what `npm run demo` ships: the Teamwork Desk sandbox with the
// Sample data, the empty Twenty sandbox with its three workspace members, and the demo account's
// connections to both. The realistic path: a help desk → Twenty migration first (here with
// `npm run migrate`, as staff would), then back into the demo Desk through the wizard, tickets
// with the notes linked to them as their threads.
//
// Until tests/e2e/demo-environment.ts (the `users` work) is merged, this file starts the demo's
// sandboxes and connections itself, the way scripts/demo.ts does; the sandboxes' per-minute
// rate-limit window is shrunk to 6 s so the run takes seconds, not minutes.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createTeamworkDeskSession, DEFAULT_IMPORT_SOURCE } from "../../connectors/teamwork-desk";
import { startTeamworkDeskSandbox } from "../../connectors/teamwork-desk/sandbox";
import { startTwentySandbox } from "../../connectors/twenty/sandbox";
import { createConnection } from "../../lib/connections";
import { createDatabase } from "../../lib/db";
import { reloadEnvironment } from "../../lib/env";
import { resolveOrgContext } from "../../lib/team";
import { DEMO_EMAIL, DEMO_PASSWORD, E2E_DIR, E2E_PORT } from "./environment";
import { applyFixesAndConfirm, card, chooseAndTest, createMigration, main, nextStep, recheck, saveMapping, saveObjects, shot } from "./wizard-helpers";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
// scripts/demo.ts: the demo's sandbox keys and connection names.
const DESK_KEY = "demo-teamwork-desk-key";
const TWENTY_KEY = "demo-twenty-key";
const DESK_CONNECTION = "Teamwork Desk (demo sandbox)";
const TWENTY_CONNECTION = "Twenty (demo sandbox)";
const RATE_WINDOW_MS = 6_000;
const DESK_PORT = Number(process.env.DEMO_TEAMWORK_DESK_PORT ?? 4010);
const TWENTY_PORT = Number(process.env.DEMO_TWENTY_PORT ?? 4020);
const PLACEHOLDER_CUSTOMER = "no-customer@lumen-outfitters.example";

type Desk = Awaited<ReturnType<typeof startTeamworkDeskSandbox>>;
type Twenty = Awaited<ReturnType<typeof startTwentySandbox>>;
let desk: Desk;
let twenty: Twenty;

/** The demo account's connections, as scripts/demo.ts gives them, in the browser tests' database. */
async function addDemoConnections() {
  process.env.DATABASE_URL = `file:${path.join(E2E_DIR, "ferry.db")}`;
  process.env.NEXTAUTH_URL = `http://localhost:${E2E_PORT}`;
  process.env.NEXTAUTH_SECRET = process.env.FERRY_E2E_SECRET;
  process.env.ENCRYPTION_KEYS = `1:${process.env.FERRY_E2E_KEY}`;
  process.env.ALLOW_PRIVATE_CONNECTION_URLS = "1";
  reloadEnvironment();
  const database = createDatabase();
  try {
    const user = await database.user.findUniqueOrThrow({ where: { email: DEMO_EMAIL }, select: { id: true } });
    const context = await resolveOrgContext(database, user.id, null);
    if (!context) throw new Error("The demo account belongs to no organization");
    await createConnection(database, context, { systemId: "teamwork-desk", label: DESK_CONNECTION, credentials: { site: desk.url, apiKey: DESK_KEY } });
    await createConnection(database, context, { systemId: "twenty", label: TWENTY_CONNECTION, credentials: { baseUrl: twenty.url, apiKey: TWENTY_KEY } });
  } finally {
    await database.$disconnect();
  }
}

/** `npm run migrate` Teamwork Desk → Twenty with its own database: leaves Twenty as a help desk migration does. */
function migrateDeskToTwenty(): Promise<{ code: number; stdout: string; stderr: string }> {
  const database = `file:${path.join(E2E_DIR, `cli-${crypto.randomUUID()}.db`)}`;
  const args = ["--from", "teamwork-desk", "--source-site", desk.url, "--source-key", DESK_KEY, "--to", "twenty", "--target-url", twenty.url, "--target-key", TWENTY_KEY, "--apply-fixes", "--client-rate-limit", "0"];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "scripts", "migrate.ts"), ...args, "--database", database, "--json"],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: database, ALLOW_PRIVATE_CONNECTION_URLS: "1" }, timeout: 170_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function signInAsDemo(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(DEMO_EMAIL);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/migrations$/);
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  desk = await startTeamworkDeskSandbox({ apiKey: DESK_KEY, port: DESK_PORT, seed: "sample", rateWindowMs: RATE_WINDOW_MS });
  twenty = await startTwentySandbox({ apiKey: TWENTY_KEY, port: TWENTY_PORT, seed: "empty", rateWindowMs: RATE_WINDOW_MS });
  await addDemoConnections();
  const there = await migrateDeskToTwenty();
  expect(there.code, there.stderr.slice(-2_000)).toBe(0);
});

test.afterAll(async () => {
  await desk?.close();
  await twenty?.close();
});

/** Desk tickets Ferry imported (the import names their source), with their threads, read over the Desk API. */
async function ticketsImportedByFerry() {
  const session = createTeamworkDeskSession({ site: desk.url, apiKey: DESK_KEY }, { allowPrivateHosts: true, rateLimit: null });
  const tickets = [];
  for await (const page of session.read("tickets")) tickets.push(...page.records.filter((ticket) => ticket.fields.source === DEFAULT_IMPORT_SOURCE));
  return tickets;
}

async function runProgress(page: Page, runId: string) {
  return (await (await page.request.get(`/api/runs/${runId}/progress`)).json()) as {
    status: string;
    totals: { total: number; processed: number; failed: number; created: number };
    objects: { objectType: string; failed: number }[];
  };
}

test("the demo account brings Twenty's tickets back into the demo Desk, notes as their threads", async ({ page }) => {
  test.setTimeout(300_000);
  await signInAsDemo(page);
  const migrationId = await createMigration(page, "Twenty back to Desk");
  await chooseAndTest(page, "source", /^Twenty/, TWENTY_CONNECTION);
  await nextStep(page, "Target", "target");
  await chooseAndTest(page, "target", /^Teamwork Desk/, DESK_CONNECTION);
  await nextStep(page, "Objects", "objects");
  const pairs = page.getByRole("table", { name: "Object pairs" });
  // Ferry's Tickets object is offered as a source, its notes travelling with each ticket as its thread.
  await expect(pairs.getByRole("row").filter({ hasText: "Notes on Tickets → Ticket threads" })).toContainText("Tickets");
  await saveObjects(page);
  await shot(page, "twenty-to-desk-objects");

  await nextStep(page, "Audit", "audit");
  await page.getByRole("button", { name: "Run the audit" }).click();
  await expect(page.getByRole("heading", { name: /^Findings \(\d+\)$/ })).toBeVisible({ timeout: 60_000 });
  await nextStep(page, "Prerequisites", "prerequisites");
  await recheck(page);

  await page.getByRole("link", { name: /^Mapping/ }).click();
  await expect(page).toHaveURL(/\/mapping$/);
  await page.getByRole("button", { name: "Tickets → Tickets", exact: true }).click();
  // Every Desk ticket needs an inbox: the target's inboxes are offered, the first one chosen.
  const inbox = page.getByLabel("Default inbox");
  await expect(inbox).not.toHaveValue("");
  await expect(inbox.locator("option:checked")).toHaveText(desk.state.list("inboxes")[0].name as string);
  await expect(page.getByText("Records with no inbox go to this one")).toBeVisible();
  // Tickets linked to no person get the placeholder customer the user types.
  await page.getByLabel("Placeholder customer (email)").fill(PLACEHOLDER_CUSTOMER);
  // The demo Desk requires a product area on every ticket; Twenty's tickets do not always have one.
  const productArea = page.getByRole("row", { name: /^Product area select required/ }).getByLabel("Default (required field)");
  await productArea.selectOption({ index: 1 });
  // Twenty's members are not agents of the demo Desk: their tickets and notes go to the key owner.
  const owner = /owner@sandbox\.teamwork\.example/;
  const ownerValue = await page.locator("#fallbackUserId option").filter({ hasText: owner }).getAttribute("value");
  await page.getByLabel("Fallback user").selectOption(ownerValue as string);
  for (const name of ["Tim Apple", "Jony Ive", "Phil Schiler"]) await page.getByLabel(`Target user for ${name}`).selectOption(ownerValue as string);
  await shot(page, "twenty-to-desk-mapping");
  await saveMapping(page);

  await page.getByRole("link", { name: /^Prerequisites/ }).click();
  await expect(page).toHaveURL(/\/prerequisites$/);
  await recheck(page);
  await applyFixesAndConfirm(page);
  await recheck(page);
  await expect(page.getByText("blocks the full run")).toHaveCount(0);

  await nextStep(page, "Mapping", "mapping");
  await nextStep(page, "Demo", "demo");
  await page.getByLabel("Records per object").fill("5");
  await page.getByRole("button", { name: "Start the demo" }).click();
  await expect(page.getByRole("table", { name: "Demo records", exact: true })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole("heading", { name: "Failed records (0)", exact: true })).toBeVisible();
  const demoTickets = await ticketsImportedByFerry();
  expect(demoTickets).toHaveLength(5);
  for (const ticket of demoTickets) expect(ticket.children?.messages?.length ?? 0).toBeGreaterThan(0);
  await shot(page, "twenty-to-desk-demo");
  await page.getByRole("button", { name: "Delete demo data" }).click();
  const confirm = page.getByRole("dialog", { name: "Confirm rollback" });
  await confirm.getByRole("checkbox").check();
  await confirm.getByRole("button", { name: "Delete demo data" }).click();
  await expect(main(page).getByText(/The demo data was deleted from/)).toBeVisible({ timeout: 60_000 });

  await nextStep(page, "Full run", "run");
  await page.getByRole("button", { name: "Start the full run" }).click();
  await expect(page).toHaveURL(new RegExp(`/migrations/${migrationId}/runs/[^/]+$`), { timeout: 20_000 });
  const runId = new URL(page.url()).pathname.split("/").pop() as string;
  await expect
    .poll(async () => {
      const progress = await runProgress(page, runId);
      return progress.totals.total > 0 && progress.totals.processed === progress.totals.total ? progress.status : `${progress.status} ${progress.totals.processed}/${progress.totals.total}`;
    }, { timeout: 200_000, intervals: [1_000] })
    .toBe("completed");
  const progress = await runProgress(page, runId);
  // The only record Desk cannot hold: a person the help desk → Twenty run left without an email
  // (its address was invalid), which a Desk customer must have. It fails with that reason.
  const failures = (await (await page.request.get(`/api/runs/${runId}/failures.csv`)).text()).trim().split("\n").slice(1);
  expect(failures).toHaveLength(progress.totals.failed);
  expect(failures).toEqual([expect.stringMatching(/^people,.*Email is required in Customers/)]);
  expect(progress.objects.filter((object) => object.failed > 0).map((object) => object.objectType)).toEqual(["people"]);

  const tickets = await ticketsImportedByFerry();
  expect(tickets).toHaveLength(100);
  expect(tickets.reduce((sum, ticket) => sum + (ticket.children?.messages?.length ?? 0), 0)).toBe(353);
  const verification = card(page, "Verification");
  await expect(async () => {
    await page.reload();
    await expect(verification.getByText("Clean").first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await shot(page, "twenty-to-desk-dashboard");
});
