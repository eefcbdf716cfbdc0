import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { startTwentySandbox } from "../../connectors/twenty/sandbox";
import { e2eDatabaseUrl, SERVER_LOG } from "./environment";
import { signUp, uniqueEmail } from "./helpers";

const SECRET_API_KEY = `twenty-e2e-secret-${Date.now()}-7d1f`;
const WRONG_API_KEY = `wrong-e2e-secret-${Date.now()}-c3b2`;
const ORGANIZATION_PAGES = ["/migrations", "/connections", "/team", "/organizations/new"];

let sandbox: Awaited<ReturnType<typeof startTwentySandbox>>;

test.beforeAll(async () => {
  sandbox = await startTwentySandbox({ apiKey: SECRET_API_KEY, port: 0, rateLimit: 0 });
});
test.afterAll(async () => {
  await sandbox.close();
});

/** Records every response body the browser receives: pages, RSC payloads, server actions, API routes. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (response) => {
    try {
      bodies.push(await response.text());
    } catch {
      // Redirects and aborted requests have no body.
    }
  });
  return bodies;
}

async function addTwentyConnection(page: Page, apiKey: string) {
  await page.goto("/connections");
  await page.getByRole("button", { name: "Add a connection" }).click();
  await page.getByRole("button", { name: /Twenty/ }).click();
  await page.getByLabel("Connection name").fill("Our CRM");
  await page.getByLabel(/API key/i).fill(apiKey);
  await page.getByLabel("Server address").fill(sandbox.url);
  await page.getByRole("button", { name: "Test and save" }).click();
}

test.describe("security", () => {
  test("no page, server action or route returns a connection's API key, and none is logged", async ({ page }) => {
    const bodies = recordResponses(page);
    await signUp(page, { name: "Sam Secure", email: uniqueEmail("secure"), organizationName: "Secure Desk" });

    await addTwentyConnection(page, WRONG_API_KEY);
    await expect(page.getByRole("main").getByRole("alert")).toContainText("rejected the API key");
    await page.screenshot({ path: "test-results/screenshots/connection-error.png", fullPage: true });

    await page.getByLabel(/API key/i).fill(SECRET_API_KEY);
    await page.getByRole("button", { name: "Test and save" }).click();
    await expect(page.getByRole("table", { name: "Connections" })).toContainText("Our CRM");
    await page.screenshot({ path: "test-results/screenshots/connections.png", fullPage: true });

    for (const pathname of [...ORGANIZATION_PAGES, "/admin", "/api/auth/session", "/sign-in"]) {
      const response = await page.goto(pathname);
      bodies.push((await response?.text()) ?? "");
    }
    await page.waitForLoadState("networkidle");

    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) {
      expect(body).not.toContain(SECRET_API_KEY);
      expect(body).not.toContain(WRONG_API_KEY);
    }
    const serverLog = fs.readFileSync(SERVER_LOG, "utf8");
    expect(serverLog).not.toContain(SECRET_API_KEY);
    expect(serverLog).not.toContain(WRONG_API_KEY);

    const database = new pg.Client({ connectionString: e2eDatabaseUrl() });
    await database.connect();
    const rows = await database.query(`SELECT "credentialsCiphertext", "keyVersion" FROM "Connection"`);
    await database.end();
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const row of rows.rows) expect(String(row.credentialsCiphertext)).not.toContain(SECRET_API_KEY);
  });

  test("a user of organization B cannot reach organization A's data, whatever cookie or link they use", async ({ page, browser }) => {
    await signUp(page, { name: "Alice A", email: uniqueEmail("alice"), organizationName: "Alpha Support" });
    await addTwentyConnection(page, SECRET_API_KEY);
    await expect(page.getByRole("table", { name: "Connections" })).toContainText("Our CRM");
    const organizationA = await page.locator("#organization-switcher").inputValue();
    await page.goto("/team");
    await page.getByLabel("Email", { exact: true }).fill(uniqueEmail("alpha-invitee"));
    await page.getByRole("button", { name: "Create invite link" }).click();
    await expect(page.getByTestId("invite-link")).toBeVisible();

    const contextB = await browser.newContext();
    const pageB = await contextB.newPage();
    await signUp(pageB, { name: "Bob B", email: uniqueEmail("bob"), organizationName: "Beta Support" });
    await contextB.addCookies([{ name: "ferry-organization", value: organizationA, url: page.url() }]);

    for (const pathname of ORGANIZATION_PAGES) {
      const response = await pageB.goto(pathname);
      const body = (await response?.text()) ?? "";
      expect(body, pathname).not.toContain("Alpha Support");
      expect(body, pathname).not.toContain("Alice A");
      expect(body, pathname).not.toContain("alpha-invitee");
      expect(body, pathname).not.toContain("Our CRM");
    }
    await pageB.goto("/connections");
    await expect(pageB.getByText("No connections yet")).toBeVisible();
    await expect(pageB.locator("#organization-switcher option:checked")).toHaveText("Beta Support");
    expect((await pageB.goto("/admin"))?.status()).toBe(404);
    await contextB.close();
  });
});
