// The README's headline path on exactly what `npm run demo` ships (tests/e2e/demo-environment.ts):
// the demo account, its two connections, the Teamwork Desk sandbox with the Sample data and the
// empty Twenty sandbox with its three members, at the sandboxes' published request counts over
// one-second windows (the app's limiters follow them: CLIENT_RATE_WINDOW_MS in playwright.config.ts;
// the per-minute behaviour is measured in vitest and bench/). Nothing
// is added to either system: the wizard alone, with its default choices, the fixes it offers,
// and the one choice it asks for (a fallback user for the agents who are not Twenty members).
import { expect, test, type Page } from "@playwright/test";
import { DEMO_CONNECTION_LABELS, signInAsDemo, startShippedDemo, type DemoSandboxes } from "./demo-environment";
import {
  applyFixesAndConfirm,
  card,
  checksCard,
  chooseAndTest,
  createMigration,
  main,
  nextStep,
  recheck,
  saveMapping,
  saveObjects,
  shot,
} from "./wizard-helpers";

let sandboxes: DemoSandboxes;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  sandboxes = await startShippedDemo({ rateWindowMs: 1_000 });
});
test.afterAll(async () => {
  await sandboxes?.close();
});

type Progress = { status: string; totals: { total: number; processed: number; failed: number } };

async function progressOf(page: Page, runId: string): Promise<Progress> {
  return (await page.request.get(`/api/runs/${runId}/progress`)).json();
}

test("the shipped demo migrates Teamwork Desk to Twenty: audit, prerequisites, demo, delete demo data, full run, verification", async ({ page }) => {
  test.setTimeout(900_000);
  await signInAsDemo(page);
  const migrationId = await createMigration(page, `Shipped demo ${Date.now()}`);
  await chooseAndTest(page, "source", /^Teamwork Desk/, DEMO_CONNECTION_LABELS.teamworkDesk);
  await nextStep(page, "Target", "target");
  await chooseAndTest(page, "target", /^Twenty/, DEMO_CONNECTION_LABELS.twenty);
  await nextStep(page, "Objects", "objects");
  await saveObjects(page);

  // Audit: duplicates only where they identify a record (issue 12, item 5).
  await nextStep(page, "Audit", "audit");
  await page.getByRole("button", { name: "Run the audit" }).click();
  await expect(page.getByRole("heading", { name: /^Findings \(\d+\)$/ })).toBeVisible({ timeout: 120_000 });
  const findings = page.getByRole("table", { name: "Audit findings" });
  await expect(
    findings
      .getByRole("row")
      .filter({ hasText: /duplicate email/ })
      .filter({ hasText: "originalRecipient" }),
  ).toHaveCount(0);
  await expect(
    findings
      .getByRole("row")
      .filter({ hasText: /duplicate (email|domain)/ })
      .filter({ hasText: "Tickets" }),
  ).toHaveCount(0);
  await shot(page, "shipped-audit");
  // A suggestion that leaves records out lists them first; the default is not to apply it.
  // The Sample data has customers idle for over two years.
  await findings.getByRole("button", { name: /^Skip customers with no activity for 2 years \(\d+\)$/ }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm.getByRole("heading", { name: /^Skip \d+ records? of Customers\?$/ })).toBeVisible();
  await expect(confirm.getByRole("table", { name: "Records this suggestion skips" }).getByRole("row").nth(1)).toBeVisible();
  await shot(page, "shipped-audit-skip-confirmation");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(findings.getByRole("button", { name: /^Skip customers with no activity/ })).toBeVisible();

  // Prerequisites: the offered fixes; the members check asks who receives the agents' records.
  await nextStep(page, "Prerequisites", "prerequisites");
  await recheck(page);
  await applyFixesAndConfirm(page);
  const membersCheck = checksCard(page).getByRole("listitem").filter({ hasText: "Users are members of the Twenty workspace" });
  await expect(membersCheck).toContainText("blocks the full run");
  await expect(membersCheck).toContainText(/No users receive the records of .+: in step 6 \(Mapping\), choose a target user for each or set a fallback user/);
  await shot(page, "shipped-prerequisites-members");

  // The demo waits for the prerequisites like the full run (item 4).
  await page.goto(`/migrations/${migrationId}/demo`);
  await expect(main(page).getByRole("status").filter({ hasText: "Not ready yet" })).toContainText(
    "The demo cannot start until “Users are members of the Twenty workspace” passes",
  );
  await expect(page.getByRole("button", { name: "Start the demo" })).toBeDisabled();
  await shot(page, "shipped-demo-gated");

  // Mapping: the defaults, plus a fallback user for the agents who are not members (item 1).
  await page.goto(`/migrations/${migrationId}/mapping`);
  await page.getByLabel("Fallback user").selectOption({ label: "Tim Apple (tim@apple.dev)" });
  await saveMapping(page);
  await page.goto(`/migrations/${migrationId}/prerequisites`);
  await recheck(page);
  await expect(membersCheck).toContainText("fallback user for");
  await expect(page.getByText("blocks the full run")).toHaveCount(0);
  await expect(card(page, "Your part").getByText("All confirmed.")).toBeVisible();
  await shot(page, "shipped-prerequisites-ready");

  // Demo with the default sample size, then delete its data.
  await nextStep(page, "Mapping", "mapping");
  await nextStep(page, "Demo", "demo");
  await expect(page.getByText("Not ready yet")).toHaveCount(0);
  await page.getByRole("button", { name: "Start the demo" }).click();
  const demoRecords = page.getByRole("table", { name: "Demo records", exact: true });
  await expect(demoRecords).toBeVisible({ timeout: 300_000 });
  await expect(demoRecords.getByRole("row").nth(1)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Failed records (0)", exact: true })).toBeVisible();
  await shot(page, "shipped-demo");
  await page.getByRole("button", { name: "Delete demo data" }).click();
  const rollback = page.getByRole("dialog", { name: "Confirm rollback" });
  await rollback.getByRole("checkbox").check();
  await rollback.getByRole("button", { name: "Delete demo data" }).click();
  await expect(main(page).getByText(/The demo data was deleted from/)).toBeVisible({ timeout: 300_000 });

  // Full run and verification.
  await nextStep(page, "Full run", "run");
  const start = page.getByRole("button", { name: "Start the full run" });
  await expect(page.getByText("Not ready yet:")).toHaveCount(0);
  await expect(start).toBeEnabled();
  await start.click();
  await expect(page).toHaveURL(new RegExp(`/migrations/${migrationId}/runs/[^/]+$`), { timeout: 30_000 });
  const runId = new URL(page.url()).pathname.split("/").pop()!;
  await expect
    .poll(
      async () => {
        const progress = await progressOf(page, runId);
        return ["completed", "failed", "cancelled", "paused"].includes(progress.status)
          ? progress.status
          : `${progress.status} ${progress.totals.processed}/${progress.totals.total}`;
      },
      { timeout: 600_000, intervals: [2_000] },
    )
    .toBe("completed");
  const progress = await progressOf(page, runId);
  expect(progress.totals).toMatchObject({ processed: progress.totals.total, failed: 0 });
  const verification = card(page, "Verification");
  await expect(async () => {
    await page.reload();
    await expect(verification.getByText("Clean").first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 120_000 });
  await expect(verification.getByText(/discrepanc/)).toHaveCount(0);
  await shot(page, "shipped-dashboard");
  // Everything the Desk holds arrived in Twenty, once (the demo's records were deleted before).
  const desk = sandboxes.teamworkDesk.state;
  const twenty = sandboxes.twenty.state;
  expect([twenty.records("companies").length, twenty.records("people").length, twenty.records("tickets").length]).toEqual([
    desk.list("companies").length,
    desk.list("customers").length,
    desk.list("tickets").length,
  ]);
});
