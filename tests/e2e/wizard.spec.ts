import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";
import {
  addDeskConnection,
  addTwentyConnection,
  applyFixesAndConfirm,
  card,
  chooseAndTest,
  createMigration,
  main,
  membersFor,
  nextStep,
  recheck,
  saveMapping,
  saveObjects,
  shot,
  startDesk,
  startTwenty,
  type DeskSandbox,
  type TwentySandbox,
} from "./wizard-helpers";

const MIGRATION_NAME = `Desk to Twenty ${Date.now()}`;

let desk: DeskSandbox;
let twenty: TwentySandbox;
// Set by the first test, used by the second (the suite runs serially).
let migrationId = "";
let runId = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  desk = await startDesk();
  twenty = await startTwenty(membersFor(desk));
});
test.afterAll(async () => {
  await desk?.close();
  await twenty?.close();
});

test.describe("migration wizard", () => {
  test("a new admin migrates a Teamwork Desk sandbox to Twenty through every step", async ({ page }) => {
    test.setTimeout(240_000);
    await signUp(page, { name: "Wanda Wizard", email: uniqueEmail("wizard"), organizationName: "Wizard Desk" });
    await addDeskConnection(page, desk);
    await addTwentyConnection(page, twenty);
    await shot(page, "wizard-connections");

    migrationId = await createMigration(page, MIGRATION_NAME);
    await chooseAndTest(page, "source", /^Teamwork Desk/, "Desk sandbox");
    await shot(page, "wizard-source");
    await nextStep(page, "Target", "target");
    await chooseAndTest(page, "target", /^Twenty/, "Twenty sandbox");
    await shot(page, "wizard-target");
    await nextStep(page, "Objects", "objects");
    await saveObjects(page);
    await shot(page, "wizard-objects");

    // Keyboard: Tab from the open step to the next one in the stepper, Enter opens it.
    const stepper = page.getByRole("navigation", { name: "Migration steps" });
    const auditLink = stepper.getByRole("link", { name: /^Audit/ });
    await expect(auditLink).toBeVisible();
    await stepper.getByRole("link", { name: /^Objects/ }).focus();
    await page.keyboard.press("Tab");
    await expect(auditLink).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/migrations/${migrationId}/audit$`));

    await page.getByRole("button", { name: "Run the audit" }).click();
    await expect(page.getByRole("heading", { name: /^Findings \(\d+\)$/ })).toBeVisible({ timeout: 60_000 });
    await shot(page, "wizard-audit");

    await nextStep(page, "Prerequisites", "prerequisites");
    await recheck(page);
    await shot(page, "wizard-prerequisites-checked");

    await nextStep(page, "Mapping", "mapping");
    await saveMapping(page);
    await page.getByRole("link", { name: "Back: Prerequisites" }).click();
    await expect(page).toHaveURL(/\/prerequisites$/);
    await recheck(page);
    await applyFixesAndConfirm(page);
    await recheck(page);
    await expect(page.getByText("blocks the full run")).toHaveCount(0);
    await expect(card(page, "Your part").getByText("All confirmed.")).toBeVisible();
    await shot(page, "wizard-prerequisites");

    await nextStep(page, "Mapping", "mapping");
    await saveMapping(page);
    await shot(page, "wizard-mapping");

    await nextStep(page, "Demo", "demo");
    await page.getByLabel("Records per object").fill("5");
    await page.getByRole("button", { name: "Start the demo" }).click();
    const demoRecords = page.getByRole("table", { name: "Demo records", exact: true });
    await expect(demoRecords).toBeVisible({ timeout: 90_000 });
    await expect(demoRecords.getByRole("row").nth(1)).toBeVisible();
    await expect(page.getByRole("heading", { name: "Failed records (0)", exact: true })).toBeVisible();
    await expect(page.getByRole("table", { name: "Field comparison" })).toBeVisible();
    await shot(page, "wizard-demo");

    await page.getByRole("button", { name: "Delete demo data" }).click();
    const confirm = page.getByRole("dialog", { name: "Confirm rollback" });
    await confirm.getByRole("checkbox").check();
    await confirm.getByRole("button", { name: "Delete demo data" }).click();
    await expect(main(page).getByText(/The demo data was deleted from/)).toBeVisible({ timeout: 60_000 });
    await shot(page, "wizard-demo-deleted");

    await nextStep(page, "Full run", "run");
    const start = page.getByRole("button", { name: "Start the full run" });
    await expect(start).toBeEnabled();
    await expect(page.getByText("Not ready yet:")).toHaveCount(0);
    // What does not travel is named before Start: files Twenty cannot take, what Twenty sets itself.
    await expect(main(page).getByText(/^Attachments \(files on tickets and messages\): Twenty cannot take files through its API/)).toBeVisible();
    await expect(main(page).getByText(/^Who created and last changed each record/)).toBeVisible();
    await shot(page, "wizard-run");
    await start.click();
    await expect(page).toHaveURL(new RegExp(`/migrations/${migrationId}/runs/[^/]+$`), { timeout: 20_000 });
    runId = new URL(page.url()).pathname.split("/").pop()!;

    await expect
      .poll(
        async () => {
          const progress = await (await page.request.get(`/api/runs/${runId}/progress`)).json();
          return progress.totals.total > 0 && progress.totals.processed === progress.totals.total
            ? progress.status
            : `${progress.status} ${progress.totals.processed}/${progress.totals.total}`;
        },
        { timeout: 150_000, intervals: [1_000] },
      )
      .toBe("completed");
    const progress = await (await page.request.get(`/api/runs/${runId}/progress`)).json();
    expect(progress.totals.failed).toBe(0);
    await expect(page.getByText(`${progress.totals.processed.toLocaleString("en")} / ${progress.totals.total.toLocaleString("en")}`).first()).toBeVisible({
      timeout: 15_000,
    });

    const verification = card(page, "Verification");
    await expect(async () => {
      await page.reload();
      await expect(verification.getByText("Clean").first()).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await expect(verification.getByText(/discrepanc/)).toHaveCount(0);
    await shot(page, "wizard-dashboard");

    const ledger = await page.request.get(`/api/runs/${runId}/ledger.csv`);
    expect(ledger.status()).toBe(200);
    const warnings = await page.request.get(`/api/runs/${runId}/warnings.csv`);
    expect(warnings.status()).toBe(200);
    expect((await warnings.text()).split("\r\n")[0]).toBe("object_type,source_id,field,original_value,what_was_done,details,at");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download report" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^ferry-report-.+\.html$/);
    const report = await fs.promises.readFile((await download.path())!, "utf8");
    expect(report).toContain(`Migration report: ${MIGRATION_NAME}`);
    expect(report).toContain("What was migrated, per object");
  });

  test("a member of another organization cannot open the migration, its runs or its CSV exports", async ({ browser }) => {
    test.skip(!migrationId || !runId, "needs the migration and run of the previous test");
    const other = await browser.newContext();
    const page = await other.newPage();
    await signUp(page, { name: "Olga Other", email: uniqueEmail("other"), organizationName: "Other Desk" });
    const paths = [
      `/migrations/${migrationId}`,
      ...["source", "target", "objects", "audit", "prerequisites", "mapping", "demo", "run", "runs"].map((step) => `/migrations/${migrationId}/${step}`),
      `/migrations/${migrationId}/runs/${runId}`,
      `/api/runs/${runId}/progress`,
      `/api/runs/${runId}/failures.csv`,
      `/api/runs/${runId}/warnings.csv`,
      `/api/runs/${runId}/ledger.csv`,
      `/api/migrations/${migrationId}/report`,
    ];
    for (const path of paths) {
      const response = await page.goto(path);
      const body = (await response?.text()) ?? "";
      expect(response?.status(), path).toBe(404);
      expect(body, path).not.toContain(MIGRATION_NAME);
      expect(body, path).not.toContain("Desk sandbox");
      expect(body, path).not.toContain("Twenty sandbox");
    }
    // A fetch from inside the app (with its cookies) is refused too.
    for (const path of paths.slice(-4)) expect((await page.request.get(path)).status(), path).toBe(404);
    await page.goto("/migrations");
    await expect(main(page)).not.toContainText(MIGRATION_NAME);
    await shot(page, "wizard-other-organization");
    await other.close();
  });
});
