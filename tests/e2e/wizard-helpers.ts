// Shared steps of the migration wizard specs: sandboxes, connections, and walking the stepper.
import { expect, type Locator, type Page } from "@playwright/test";
import { startTeamworkDeskSandbox } from "../../connectors/teamwork-desk/sandbox";
import { startTwentySandbox } from "../../connectors/twenty/sandbox";

export type DeskSandbox = Awaited<ReturnType<typeof startTeamworkDeskSandbox>>;
export type TwentySandbox = Awaited<ReturnType<typeof startTwentySandbox>>;

export const DESK_API_KEY = `desk-e2e-key-${Date.now()}`;
export const TWENTY_API_KEY = `twenty-e2e-key-${Date.now()}`;

export function startDesk(): Promise<DeskSandbox> {
  return startTeamworkDeskSandbox({ apiKey: DESK_API_KEY, port: 0, rateLimit: 0, seed: "sample" });
}

/** The Desk sample's agents with an email, as Twenty workspace members (all but `without`). */
export function membersFor(desk: DeskSandbox, without: string[] = []) {
  return desk.state
    .list("users")
    .map((user) => ({ email: String(user.email), firstName: String(user.firstName ?? "Agent"), lastName: String(user.lastName ?? "Desk") }))
    .filter((member) => member.email && !without.includes(member.email));
}

export function startTwenty(workspaceMembers: { email: string; firstName: string; lastName: string }[]): Promise<TwentySandbox> {
  return startTwentySandbox({ apiKey: TWENTY_API_KEY, port: 0, rateLimit: 0, seed: "empty", workspaceMembers });
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

export function main(page: Page): Locator {
  return page.getByRole("main");
}

/** A card (section) of the page by its heading. */
export function card(page: Page, heading: string | RegExp): Locator {
  return page.locator("section").filter({ has: page.getByRole("heading", { name: heading }) });
}

async function addConnection(page: Page, system: RegExp, name: string, fields: Record<string, string>) {
  await page.goto("/connections");
  await page.getByRole("button", { name: "Add a connection" }).click();
  await page.getByRole("button", { name: system }).click();
  await page.getByLabel("Connection name").fill(name);
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: "Test and save" }).click();
  await expect(page.getByRole("table", { name: "Connections" })).toContainText(name, { timeout: 20_000 });
}

export async function addDeskConnection(page: Page, desk: DeskSandbox, name = "Desk sandbox") {
  await addConnection(page, /^Teamwork Desk/, name, { Site: desk.url, "API key": DESK_API_KEY });
}

export async function addTwentyConnection(page: Page, twenty: TwentySandbox, name = "Twenty sandbox") {
  await addConnection(page, /^Twenty/, name, { "API key": TWENTY_API_KEY, "Server address": twenty.url });
}

/** Creates a migration and returns its id (the form redirects to step 1). */
export async function createMigration(page: Page, name: string): Promise<string> {
  await page.goto("/migrations");
  await page.getByRole("link", { name: "New migration" }).first().click();
  await page.getByLabel("Migration name").fill(name);
  await page.getByRole("button", { name: "Create and choose the source" }).click();
  await expect(page).toHaveURL(/\/migrations\/[^/]+\/source$/);
  return new URL(page.url()).pathname.split("/")[2];
}

/** Source or target step: system card, connection radio, then the connection test. */
export async function chooseAndTest(page: Page, side: "source" | "target", system: RegExp, connection: string) {
  await page.getByRole("button", { name: system }).click();
  // A controlled radio: it shows as checked once the server has saved the choice.
  const radio = page.getByRole("radio", { name: connection });
  await expect(radio).toBeEnabled();
  await radio.click();
  await expect(main(page).getByRole("status").filter({ hasText: "Connection chosen" })).toBeVisible();
  await expect(radio).toBeChecked();
  await page.getByRole("button", { name: "Test the connection" }).click();
  // "Test again" replaces "Testing…" once every object type is counted.
  await expect(page.getByRole("button", { name: "Test again" })).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByText(/Tested \d/)).toBeVisible();
  await expect(page.getByRole("table", { name: `Record counts (${side})` })).toBeVisible();
}

export async function nextStep(page: Page, label: string, path: string) {
  await page.getByRole("link", { name: `Next: ${label}` }).click();
  await expect(page).toHaveURL(new RegExp(`/${path}$`));
}

export async function saveObjects(page: Page) {
  await expect(page.getByRole("table", { name: "Object pairs" })).toBeVisible();
  await page.getByRole("button", { name: "Save objects and filters" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "Objects and filters saved." })).toBeVisible({ timeout: 20_000 });
}

/** Source, target and objects of a new migration; leaves the page on the objects step. */
export async function setUpPlan(page: Page, name: string): Promise<string> {
  const id = await createMigration(page, name);
  await chooseAndTest(page, "source", /^Teamwork Desk/, "Desk sandbox");
  await nextStep(page, "Target", "target");
  await chooseAndTest(page, "target", /^Twenty/, "Twenty sandbox");
  await nextStep(page, "Objects", "objects");
  await saveObjects(page);
  return id;
}

export function checksCard(page: Page): Locator {
  return card(page, "Automated checks");
}

export async function recheck(page: Page) {
  const button = page.getByRole("button", { name: /^(Re-check|Check the target)$/ });
  await button.click();
  // "Checked: 5 pass, …" the first time, "Checked again: …" after.
  await expect(
    main(page)
      .getByRole("status")
      .filter({ hasText: /^Checked( again)?: / }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(button).toBeEnabled({ timeout: 30_000 });
}

/** Applies every offered fix (each one can reveal the next), then ticks every manual confirmation. */
export async function applyFixesAndConfirm(page: Page) {
  const fixes = checksCard(page).locator("li button");
  for (let round = 0; round < 8 && (await fixes.count()) > 0; round += 1) {
    const label = (await fixes.first().innerText()).trim();
    await fixes.first().click();
    await page.getByRole("dialog").getByRole("button", { name: "Apply the fix" }).click();
    await expect(
      main(page)
        .getByRole("status")
        .filter({ hasText: `${label}: done` }),
    ).toBeVisible({ timeout: 30_000 });
    await expect(main(page).getByRole("alert").filter({ hasText: "refused" })).toHaveCount(0);
    // The page re-renders with the new report; a fix that worked is no longer offered.
    await expect(checksCard(page).getByRole("button", { name: label, exact: true })).toHaveCount(0, { timeout: 15_000 });
  }
  await expect(fixes).toHaveCount(0);
  const boxes = page.getByRole("checkbox", { name: /^I have done this:/ });
  const total = await boxes.count();
  for (let index = 0; index < total; index += 1) {
    const box = boxes.nth(index);
    // Controlled by the server's state: checked once the confirmation is saved and the page refreshed.
    await expect(box).toBeEnabled();
    await box.click();
    await expect(box).toBeChecked({ timeout: 15_000 });
    await expect(box).toBeEnabled();
  }
}

export async function saveMapping(page: Page) {
  await page.getByRole("button", { name: "Save the mapping" }).click();
  await expect(
    main(page)
      .getByRole("status")
      .filter({ hasText: /^Mapping saved/ }),
  ).toBeVisible({ timeout: 30_000 });
}
