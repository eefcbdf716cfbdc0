// Twenty → Teamwork Desk from what `npm run demo` ships (tests/e2e/demo-environment.ts): the
// Teamwork Desk sandbox with the Sample data, the empty Twenty sandbox with its three workspace
// members, and the demo account's connections to both. The realistic path: a help desk → Twenty
// migration first (here with `npm run migrate`, as staff would), then back into the demo Desk
// through the wizard, tickets with the notes linked to them as their threads. The sandboxes'
// per-minute rate-limit window is shrunk to 6 s so the run takes seconds, not minutes.
import { execFile } from "node:child_process";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createTeamworkDeskSession, DEFAULT_IMPORT_SOURCE } from "../../connectors/teamwork-desk";
import { TEAMWORK_DESK_DEMO_KEY, TWENTY_DEMO_KEY } from "../../scripts/demo-environment";
import { DEMO_CONNECTION_LABELS, signInAsDemo, startShippedDemo, type DemoSandboxes } from "./demo-environment";
import { createE2eDatabase } from "./environment";
import { applyFixesAndConfirm, card, chooseAndTest, createMigration, main, nextStep, recheck, saveMapping, saveObjects, shot } from "./wizard-helpers";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
// The window the app server's limiters use too (CLIENT_RATE_WINDOW_MS in playwright.config.ts).
const RATE_WINDOW_MS = 1_000;
const PLACEHOLDER_CUSTOMER = "no-customer@lumen-outfitters.example";

let sandboxes: DemoSandboxes;

/** `npm run migrate` Teamwork Desk → Twenty with its own database: leaves Twenty as a help desk migration does. */
async function migrateDeskToTwenty(): Promise<{ code: number; stdout: string; stderr: string }> {
  const database = await createE2eDatabase();
  const args = [
    "--from",
    "teamwork-desk",
    "--source-site",
    sandboxes.teamworkDesk.url,
    "--source-key",
    TEAMWORK_DESK_DEMO_KEY,
    "--to",
    "twenty",
    "--target-url",
    sandboxes.twenty.url,
    "--target-key",
    TWENTY_DEMO_KEY,
    "--apply-fixes",
    "--client-rate-limit",
    "0",
  ];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "scripts", "migrate.ts"), ...args, "--database", database, "--json"],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: database, ALLOW_PRIVATE_CONNECTION_URLS: "1" }, timeout: 170_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  sandboxes = await startShippedDemo({ rateWindowMs: RATE_WINDOW_MS });
  const there = await migrateDeskToTwenty();
  expect(there.code, there.stderr.slice(-2_000)).toBe(0);
  // The way back leads into the same demo Desk, where each of Twenty's tickets would be found as
  // its own original (same subject, customer and creation date) and skipped as a duplicate. The
  // Desk therefore starts without tickets, as a team's new help desk would; its inboxes, agents
  // and customers stay.
  const desk = deskSession();
  const ids: string[] = [];
  for await (const page of desk.read("tickets")) ids.push(...page.records.map((ticket) => ticket.id));
  expect((await desk.remove("tickets", ids)).filter((result) => result.status !== "removed")).toEqual([]);
});

function deskSession() {
  return createTeamworkDeskSession({ site: sandboxes.teamworkDesk.url, apiKey: TEAMWORK_DESK_DEMO_KEY }, { allowPrivateHosts: true, rateLimit: null });
}

test.afterAll(async () => {
  await sandboxes?.close();
});

/** Desk tickets Ferry imported (the import names their source), with their threads, read over the Desk API. */
async function ticketsImportedByFerry() {
  const session = deskSession();
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
  await chooseAndTest(page, "source", /^Twenty/, DEMO_CONNECTION_LABELS.twenty);
  await nextStep(page, "Target", "target");
  await chooseAndTest(page, "target", /^Teamwork Desk/, DEMO_CONNECTION_LABELS.teamworkDesk);
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
  await expect(inbox.locator("option:checked")).toHaveText(sandboxes.teamworkDesk.state.list("inboxes")[0].name as string);
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
    .poll(
      async () => {
        const progress = await runProgress(page, runId);
        return progress.totals.total > 0 && progress.totals.processed === progress.totals.total
          ? progress.status
          : `${progress.status} ${progress.totals.processed}/${progress.totals.total}`;
      },
      { timeout: 200_000, intervals: [1_000] },
    )
    .toBe("completed");
  const progress = await runProgress(page, runId);
  // A person the help desk → Twenty run left without an email (its address was invalid) cannot be
  // a Desk customer as is: it arrives under a placeholder address, with a warning, not as a failure.
  const failures = (await (await page.request.get(`/api/runs/${runId}/failures.csv`)).text()).trim().split("\n").slice(1);
  expect(failures).toEqual([]);
  expect(progress.totals.failed).toBe(0);
  const warnings = (await (await page.request.get(`/api/runs/${runId}/warnings.csv`)).text()).trim().split("\n").slice(1);
  expect(warnings).toContainEqual(expect.stringMatching(/^people,.*written as the placeholder no-email\+[a-z0-9-]+@ferry\.invalid/));

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
