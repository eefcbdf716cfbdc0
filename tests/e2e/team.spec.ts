import { expect, test } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail } from "./helpers";

test.describe("team and roles", () => {
  test("an admin invites a teammate who accepts in another browser and gets operator rights only", async ({ page, browser }) => {
    await signUp(page, { name: "Ada Admin", email: uniqueEmail("admin"), organizationName: "Ada Desk" });
    await page.getByRole("link", { name: "Team" }).click();
    const teammateEmail = uniqueEmail("teammate");
    await page.getByLabel("Email", { exact: true }).fill(teammateEmail);
    await page.getByLabel("Role", { exact: true }).selectOption("operator");
    await page.getByRole("button", { name: "Create invite link" }).click();
    const link = (await page.getByTestId("invite-link").textContent())!;
    expect(link).toMatch(/\/invite\/[\w-]+$/);
    await expect(page.getByRole("table", { name: "Pending invites" })).toContainText(teammateEmail);
    await page.screenshot({ path: "test-results/screenshots/team-invite.png", fullPage: true });

    const teammateContext = await browser.newContext();
    const teammate = await teammateContext.newPage();
    await teammate.goto(link);
    await expect(teammate.getByRole("heading", { name: "Join Ada Desk" })).toBeVisible();
    await expect(teammate.getByLabel("Work email")).toHaveValue(teammateEmail);
    await teammate.getByLabel("Your name").fill("Tom Teammate");
    await teammate.getByLabel("Password").fill(PASSWORD);
    await teammate.getByRole("button", { name: "Create account and join" }).click();
    await expect(teammate).toHaveURL(/\/team$/);
    await expect(teammate.getByRole("table", { name: "Members" })).toContainText("Ada Admin");
    await expect(teammate.getByRole("button", { name: "Create invite link" })).toHaveCount(0);
    await expect(teammate.getByRole("button", { name: "Remove" })).toHaveCount(0);
    await teammate.screenshot({ path: "test-results/screenshots/team-member-view.png", fullPage: true });

    await teammate.getByRole("link", { name: "Connections" }).click();
    await expect(teammate.getByText("Your role can see the connections but not add or remove them")).toBeVisible();
    await expect(teammate.getByRole("button", { name: "Add a connection" })).toHaveCount(0);

    const adminLink = await teammate.goto("/admin");
    expect(adminLink?.status()).toBe(404);
    await expect(teammate.getByRole("link", { name: "Admin" })).toHaveCount(0);

    // The link works once.
    const thirdContext = await browser.newContext();
    const third = await thirdContext.newPage();
    await third.goto(link);
    await expect(third.getByText("This invite has already been used")).toBeVisible();

    await page.reload();
    await expect(page.getByRole("table", { name: "Members" })).toContainText(teammateEmail);
    await teammateContext.close();
    await thirdContext.close();
  });
});
