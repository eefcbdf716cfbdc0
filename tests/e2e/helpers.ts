import { expect, type Page } from "@playwright/test";

let sequence = 0;

export function uniqueEmail(prefix: string) {
  sequence += 1;
  return `${prefix}-${Date.now()}-${sequence}@example.com`;
}

export const PASSWORD = "a long test password";

export async function signUp(page: Page, { name, email, organizationName }: { name: string; email: string; organizationName: string }) {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill(organizationName);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/migrations$/);
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}
