import { expect, test } from "@playwright/test";
import { DEMO_EMAIL, DEMO_PASSWORD } from "./environment";
import { PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./helpers";

test.describe("sign-up, sign-in and sign-out", () => {
  test("a new user signs up, lands in their own organization, signs out and back in", async ({ page }) => {
    const email = uniqueEmail("owner");
    await signUp(page, { name: "Olive Owner", email, organizationName: "Olive Support" });
    await expect(page.getByRole("heading", { name: "Migrations", exact: true })).toBeVisible();
    await expect(page.getByText("No migrations yet")).toBeVisible();
    await expect(page.getByLabel("Organization")).toHaveValue(/.+/);
    await expect(page.locator("#organization-switcher option:checked")).toHaveText("Olive Support");
    await page.screenshot({ path: "test-results/screenshots/migrations-empty.png", fullPage: true });

    await signOut(page);
    await page.goto("/team");
    await expect(page).toHaveURL(/\/sign-in/);

    await signIn(page, email);
    await expect(page).toHaveURL(/\/migrations$/);
  });

  test("bad sign-up input is reported next to its field and creates nothing", async ({ page }) => {
    const email = uniqueEmail("bad");
    await page.goto("/sign-up");
    await page.getByLabel("Your name").fill("Bad Input");
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Password").fill("short");
    await page.getByLabel("Organization name").fill("B");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Password must be at least 10 characters.")).toBeVisible();
    await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
    await page.screenshot({ path: "test-results/screenshots/sign-up-errors.png", fullPage: true });

    await signIn(page, email, "short");
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("That email and password do not match an account.");
  });

  test("a wrong password and an unknown email get the same message", async ({ page }) => {
    await signIn(page, DEMO_EMAIL, "not the password");
    const wrongPassword = await page.getByRole("main").getByRole("alert").textContent();
    await signIn(page, uniqueEmail("nobody"), PASSWORD);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(wrongPassword!);
    await page.screenshot({ path: "test-results/screenshots/sign-in-error.png" });
  });

  test("the seeded demo account signs in and, being staff, opens the admin monitor", async ({ page }) => {
    await signIn(page, DEMO_EMAIL, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/migrations$/);
    await page.getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("heading", { name: "Staff monitor" })).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/admin.png", fullPage: true });
  });
});
