// Notifications in the browser, on what `npm run demo` ships (no SMTP_URL, so mails go to the
// outbox): a finished run reaches the bell and the outbox; a new account's confirmation link and an
// invitation are mailed there too; the settings page saves each kind's channels. The sandboxes'
// per-minute rate window is shrunk to 1 s so the demo run takes seconds, not minutes.
import { expect, test, type Page } from "@playwright/test";
import { DEMO_CONNECTION_LABELS, signInAsDemo, startShippedDemo, type DemoSandboxes } from "./demo-environment";
import { signUp, uniqueEmail } from "./helpers";
import { applyFixesAndConfirm, chooseAndTest, createMigration, main, nextStep, recheck, saveMapping, saveObjects, shot } from "./wizard-helpers";

let sandboxes: DemoSandboxes;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  sandboxes = await startShippedDemo({ rateWindowMs: 1_000 });
});
test.afterAll(async () => {
  await sandboxes?.close();
});

/** The outbox's mail to `to` whose subject matches, once the notification worker delivered it (it runs every 5 s). */
async function outboxMail(page: Page, to: string, subject: string | RegExp) {
  const mail = main(page).getByTestId("outbox-mail").filter({ hasText: to }).filter({ hasText: subject });
  await expect(async () => {
    await page.goto("/outbox");
    await expect(mail.first()).toContainText("In the outbox (not sent)", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  return mail.first();
}

test("a finished run rings the bell and its mail waits in the outbox", async ({ page }) => {
  test.setTimeout(600_000);
  const name = `Notified ${Date.now()}`;
  await signInAsDemo(page);
  const migrationId = await createMigration(page, name);
  await chooseAndTest(page, "source", /^Teamwork Desk/, DEMO_CONNECTION_LABELS.teamworkDesk);
  await nextStep(page, "Target", "target");
  await chooseAndTest(page, "target", /^Twenty/, DEMO_CONNECTION_LABELS.twenty);
  await nextStep(page, "Objects", "objects");
  await saveObjects(page);
  await page.goto(`/migrations/${migrationId}/prerequisites`);
  await recheck(page);
  await applyFixesAndConfirm(page);
  await page.goto(`/migrations/${migrationId}/mapping`);
  await page.getByLabel("Fallback user").selectOption({ label: "Tim Apple (tim@apple.dev)" });
  await saveMapping(page);
  await page.goto(`/migrations/${migrationId}/prerequisites`);
  await recheck(page);
  await page.goto(`/migrations/${migrationId}/demo`);
  await expect(page.getByText("Not ready yet")).toHaveCount(0);
  await page.getByRole("button", { name: "Start the demo" }).click();
  await expect(page.getByRole("table", { name: "Demo records", exact: true })).toBeVisible({ timeout: 300_000 });

  // The bell counts it (the page renders the count; the bell also polls).
  await page.goto("/migrations");
  const bell = page.getByRole("link", { name: /^Notifications, \d+ unread$/ });
  await expect(bell).toBeVisible();
  await page.locator("header").first().screenshot({ path: "test-results/screenshots/notifications-bell.png" });
  await bell.click();
  await expect(page).toHaveURL(/\/notifications$/);
  const notice = main(page)
    .getByTestId("notification")
    .filter({ hasText: `Demo run of “${name}” finished` });
  await expect(notice).toContainText(/\d+ records? created, \d+ updated, \d+ skipped, 0 failed\./);
  await expect(notice.getByText("New", { exact: true })).toBeVisible();
  await shot(page, "notifications-list");
  await notice.getByRole("button", { name: "Mark read" }).click();
  await expect(notice.getByText("New", { exact: true })).toHaveCount(0);
  await expect(notice.getByRole("link", { name: "Open the run" })).toHaveAttribute("href", new RegExp(`^/migrations/${migrationId}/runs/[^/]+$`));

  const mail = await outboxMail(page, "demo@ferry.local", `Demo run of “${name}” finished`);
  await expect(mail).toContainText(new RegExp(`Open it: http://localhost:\\d+/migrations/${migrationId}/runs/`));
  await shot(page, "notifications-outbox");
});

test("each user chooses, per kind, the bell and the mail", async ({ page }) => {
  await signInAsDemo(page);
  await page.goto("/settings/notifications");
  const stalledByMail = page.getByRole("checkbox", { name: "Run stalled: By e-mail" });
  await expect(stalledByMail).toBeChecked();
  await stalledByMail.uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "Notification settings saved." })).toBeVisible();
  await shot(page, "notifications-settings");
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Run stalled: By e-mail" })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Run stalled: In the app" })).toBeChecked();
  await page.getByRole("checkbox", { name: "Run stalled: By e-mail" }).check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "Notification settings saved." })).toBeVisible();
});

test("a new account confirms its address through the mailed link before it can accept an invitation, which is mailed too", async ({ page, browser }) => {
  const email = uniqueEmail("confirm");
  await signUp(page, { name: "Nora New", email, organizationName: "Nora Desk" });
  await expect(page.getByRole("status").filter({ hasText: `Confirm your e-mail address: open the link Ferry sent to ${email}.` })).toBeVisible();
  await shot(page, "notifications-verify-banner");

  // Another team's admin invites Nora's address; the invitation is mailed (the link is shown too: no SMTP here).
  const inviter = await (await browser.newContext()).newPage();
  await signUp(inviter, { name: "Ivan Inviter", email: uniqueEmail("inviter"), organizationName: "Ivan Desk" });
  await inviter.getByRole("link", { name: "Team" }).click();
  await inviter.getByLabel("Email", { exact: true }).fill(email);
  await inviter.getByRole("button", { name: "Create invite link" }).click();
  await expect(
    main(inviter)
      .getByRole("status")
      .filter({ hasText: `Invitation queued for ${email}.` }),
  ).toBeVisible();
  const shownLink = (await inviter.getByTestId("invite-link").textContent())!;

  // Not confirmed yet: the invitation cannot be accepted.
  await page.goto(shownLink);
  await page.getByRole("button", { name: "Join Ivan Desk" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Confirm" })).toContainText(
    `Confirm your e-mail address first: open the link Ferry mailed to ${email}`,
  );

  // Staff read the outbox: the confirmation link and the invitation.
  const staff = await (await browser.newContext()).newPage();
  await signInAsDemo(staff);
  const confirmation = await outboxMail(staff, email, "Confirm your e-mail address for Ferry");
  const link = /Confirm that this address is yours: (\S+)/.exec(await confirmation.innerText())?.[1];
  expect(link).toMatch(/\/verify-email\?token=/);
  const invitation = await outboxMail(staff, email, "Ivan Inviter invited you to Ivan Desk on Ferry");
  const mailedLink = /Accept the invitation: (\S+)/.exec(await invitation.innerText())?.[1];
  expect(mailedLink).toBe(shownLink);

  await page.goto(link!);
  await expect(page.getByRole("heading", { name: "Address confirmed" })).toBeVisible();
  await shot(page, "notifications-verified");
  await page.goto(mailedLink!);
  await page.getByRole("button", { name: "Join Ivan Desk" }).click();
  await expect(page).toHaveURL(/\/team$/);
  await expect(page.getByRole("table", { name: "Members" })).toContainText("Ivan Inviter");
  await expect(page.getByText("Confirm your e-mail address")).toHaveCount(0);
});
