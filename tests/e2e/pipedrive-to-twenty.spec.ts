// Pipedrive → Twenty through every step of the wizard, against the Pipedrive sandbox (its sample
// company) and an empty Twenty sandbox whose members are the Pipedrive users: the connection form
// with the API token, default plan, prerequisites and fixes, demo, full run, verification.
import { expect, test, type Page } from "@playwright/test";
import { startPipedriveSandbox } from "../../connectors/pipedrive/sandbox";
import { signUp, uniqueEmail } from "./helpers";
import {
  addTwentyConnection,
  applyFixesAndConfirm,
  card,
  chooseAndTest,
  createMigration,
  main,
  nextStep,
  recheck,
  saveMapping,
  saveObjects,
  shot,
  startTwenty,
  type TwentySandbox,
} from "./wizard-helpers";

const PIPEDRIVE_TOKEN = `pipedrive-e2e-token-${Date.now()}`;

let pipedrive: Awaited<ReturnType<typeof startPipedriveSandbox>>;
let twenty: TwentySandbox;

test.beforeAll(async () => {
  pipedrive = await startPipedriveSandbox({ apiKey: PIPEDRIVE_TOKEN, port: 0, rateLimit: 0, seed: "sample" });
  twenty = await startTwenty(
    pipedrive.state.users.map((user) => ({ email: user.email, firstName: user.name.split(" ")[0], lastName: user.name.split(" ").slice(1).join(" ") })),
  );
});
test.afterAll(async () => {
  await pipedrive?.close();
  await twenty?.close();
});

async function addPipedriveConnection(page: Page) {
  await page.goto("/connections");
  await page.getByRole("button", { name: "Add a connection" }).click();
  await page.getByRole("button", { name: /^Pipedrive/ }).click();
  // Where to find the token, from the connector's manifest.
  await expect(
    main(page)
      .getByText(/Personal preferences/)
      .first(),
  ).toBeVisible();
  await page.getByLabel("Connection name").fill("Pipedrive sandbox");
  await page.getByLabel("API token", { exact: true }).fill(PIPEDRIVE_TOKEN);
  await page.getByLabel("API address", { exact: true }).fill(pipedrive.url);
  await page.getByRole("button", { name: "Test and save" }).click();
  await expect(page.getByRole("table", { name: "Connections" })).toContainText("Pipedrive sandbox", { timeout: 20_000 });
}

test("a new admin migrates a Pipedrive company to Twenty through every step", async ({ page }) => {
  test.setTimeout(240_000);
  await signUp(page, { name: "Pia Pipe", email: uniqueEmail("pipedrive"), organizationName: "Pipe Co" });
  await addPipedriveConnection(page);
  await addTwentyConnection(page, twenty);
  await shot(page, "pipedrive-connections");

  const migrationId = await createMigration(page, `Pipedrive to Twenty ${Date.now()}`);
  await chooseAndTest(page, "source", /^Pipedrive/, "Pipedrive sandbox");
  await nextStep(page, "Target", "target");
  await chooseAndTest(page, "target", /^Twenty/, "Twenty sandbox");
  await nextStep(page, "Objects", "objects");
  const pairs = page.getByRole("table", { name: "Object pairs" });
  for (const pair of [/Organizations.*Companies/, /People.*People/, /Deals.*Opportunities/, /Activities.*Tasks/, /Notes.*Notes/])
    await expect(pairs.getByRole("row").filter({ hasText: pair })).toHaveCount(1);
  await saveObjects(page);
  await shot(page, "pipedrive-objects");

  await nextStep(page, "Audit", "audit");
  await page.getByRole("button", { name: "Run the audit" }).click();
  await expect(page.getByRole("heading", { name: /^Findings \(\d+\)$/ })).toBeVisible({ timeout: 60_000 });
  await nextStep(page, "Prerequisites", "prerequisites");
  await recheck(page);
  await applyFixesAndConfirm(page);
  await recheck(page);
  await expect(page.getByText("blocks the full run")).toHaveCount(0);
  await shot(page, "pipedrive-prerequisites");

  await nextStep(page, "Mapping", "mapping");
  await saveMapping(page);
  await nextStep(page, "Demo", "demo");
  await page.getByLabel("Records per object").fill("5");
  await page.getByRole("button", { name: "Start the demo" }).click();
  await expect(page.getByRole("table", { name: "Demo records", exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole("heading", { name: "Failed records (0)", exact: true })).toBeVisible();
  await shot(page, "pipedrive-demo");
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
  const live = (plural: string) => twenty.state.records(plural).filter((record) => !record.deletedAt);
  expect(live("people")).toHaveLength(pipedrive.state.live("persons").length);
  expect(live("opportunities")).toHaveLength(pipedrive.state.live("deals").length);
  const verification = card(page, "Verification");
  await expect(async () => {
    await page.reload();
    await expect(verification.getByText("Clean").first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await shot(page, "pipedrive-dashboard");
});
