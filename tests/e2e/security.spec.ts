import fs from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import pg from "pg";
import { startTwentySandbox } from "../../connectors/twenty/sandbox";
import { DEMO_EMAIL, DEMO_PASSWORD, e2eDatabaseUrl, SERVER_LOG } from "./environment";
import { PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./helpers";

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

/** One sign-in through next-auth's own endpoint, as the form sends it, with the X-Forwarded-For a client chose; the error the form would show, or null. */
async function signInThroughApi(request: APIRequestContext, email: string, password: string, forwardedFor: string): Promise<string | null> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    headers: { "X-Forwarded-For": forwardedFor },
  });
  const { url } = (await response.json()) as { url: string };
  return new URL(url).searchParams.get("error");
}

test.describe("security hardening (issue 15)", () => {
  test("a forged X-Forwarded-For buys no guesses: after 5 at one account, even the right password waits", async ({ page, playwright, baseURL }) => {
    const email = uniqueEmail("guarded");
    await signUp(page, { name: "Gus Guarded", email, organizationName: "Guarded Desk" });
    const request = await playwright.request.newContext({ baseURL });
    const errors: (string | null)[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) errors.push(await signInThroughApi(request, email, `wrong password ${attempt}`, `10.20.${attempt}.1`));
    expect(errors.slice(0, 5)).toEqual(Array(5).fill("That email and password do not match an account."));
    expect(errors[5]).toMatch(/^Too many sign-in attempts\. Try again in 15 minutes\.$/);
    expect(await signInThroughApi(request, email, PASSWORD, "10.99.0.1")).toMatch(/^Too many sign-in attempts/);
    await request.dispose();
  });

  test("a crafted callbackUrl never leads to another host after sign-in", async ({ page }) => {
    const email = uniqueEmail("redirect");
    await signUp(page, { name: "Rita Redirect", email, organizationName: "Redirect Desk" });
    await signOut(page);
    await page.goto("/sign-in?callbackUrl=/%09/127.0.0.1:4030/pwned");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/migrations$/);
  });

  test("pages carry a nonce-based CSP that forbids framing, and work under it", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto("/sign-in");
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    const nonce = /'nonce-([^']+)'/.exec(headers["content-security-policy"])![1];
    expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => [...document.scripts].every((script) => script.nonce !== ""))).toBe(true);
    expect(nonce.length).toBeGreaterThan(20);

    // The app still works under the policy: client-side forms, navigation and live pages.
    await signUp(page, { name: "Cass Csp", email: uniqueEmail("csp"), organizationName: "CSP Desk" });
    for (const link of ["Connections", "Team", "Migrations"]) {
      await page.getByRole("link", { name: link, exact: true }).click();
      await expect(page.getByRole("heading", { name: link, exact: true })).toBeVisible();
    }
    await page.screenshot({ path: "test-results/screenshots/csp-migrations.png", fullPage: true });
    expect(violations).toEqual([]);
  });

  test("signing out ends the session everywhere: a copied session cookie no longer opens anything", async ({ page, browser }) => {
    await signUp(page, { name: "Sid Session", email: uniqueEmail("session"), organizationName: "Session Desk" });
    const copy = await browser.newContext({ storageState: await page.context().storageState() });
    const thief = await copy.newPage();
    await thief.goto("/team");
    await expect(thief).toHaveURL(/\/team$/);

    await signOut(page);
    await thief.goto("/team");
    await expect(thief).toHaveURL(/\/sign-in/);
    const session = await (await thief.request.get("/api/auth/session")).json();
    expect(session).toEqual({});
    await copy.close();
  });

  test("sign-up does not tell whether an email has an account", async ({ page }) => {
    await page.goto("/sign-up");
    await page.getByLabel("Your name").fill("Eve Enumerator");
    await page.getByLabel("Work email").fill(DEMO_EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Organization name").fill("Probe");
    await page.getByRole("button", { name: "Create account" }).click();
    const alert = page.getByRole("main").getByRole("alert");
    await expect(alert).toHaveText("Ferry could not create an account with these details. Check them, or sign in if you signed up before.");
    await expect(alert).not.toContainText(/exist|already/i);
    await signIn(page, DEMO_EMAIL, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/migrations$/);
  });
});
