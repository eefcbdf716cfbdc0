// The organization audit log: an admin and a teammate do each kind of audited thing in the app,
// then the Audit log page lists every kind, names its author, filters, exports CSV, and shows no
// API key; a viewer is refused with the reason.
import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail } from "./helpers";
import {
  addDeskConnection,
  addTwentyConnection,
  applyFixesAndConfirm,
  chooseAndTest,
  createMigration,
  DESK_API_KEY,
  main,
  membersFor,
  nextStep,
  recheck,
  saveMapping,
  saveObjects,
  shot,
  startDesk,
  startTwenty,
  TWENTY_API_KEY,
  type DeskSandbox,
  type TwentySandbox,
} from "./wizard-helpers";

let desk: DeskSandbox;
let twenty: TwentySandbox;

test.beforeAll(async () => {
  desk = await startDesk();
  twenty = await startTwenty(membersFor(desk));
});
test.afterAll(async () => {
  await desk?.close();
  await twenty?.close();
});

const EXPECTED_KINDS = [
  "connection.added",
  "connection.tested",
  "connection.replaced",
  "connection.removed",
  "invite.created",
  "invite.accepted",
  "invite.revoked",
  "member.role_changed",
  "member.removed",
  "role.created",
  "migration.created",
  "mapping.saved",
  "fix.applied",
  "confirmation.given",
  "run.started",
  "run.paused",
  "run.resumed",
  "run.cancelled",
  "run.rolled_back",
];

async function teamAction(page: Page) {
  await page.goto("/team");
  await expect(page.getByRole("table", { name: "Members" })).toBeVisible();
}

test("the audit log lists every kind of audited action, by whom, with filters and a CSV export", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const adminEmail = uniqueEmail("auditor");
  await signUp(page, { name: "Ada Auditor", email: adminEmail, organizationName: "Audited Desk" });

  // Connections: added, and one removed.
  await addDeskConnection(page, desk);
  await addTwentyConnection(page, twenty);
  await addTwentyConnection(page, twenty, "Twenty spare");
  await addTwentyConnection(page, twenty, "Twenty to remove");
  page.once("dialog", (dialog) => dialog.accept());
  await page
    .getByRole("row", { name: /Twenty to remove/ })
    .getByRole("button", { name: "Remove" })
    .click();
  await expect(main(page).getByText("Connection removed.")).toBeVisible();

  // Team: an operator joins, changes role, leaves; another invite is withdrawn; a role is defined.
  await teamAction(page);
  const teammateEmail = uniqueEmail("teammate");
  await page.getByLabel("Email", { exact: true }).fill(teammateEmail);
  await page.getByLabel("Role", { exact: true }).selectOption("operator");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = (await page.getByTestId("invite-link").textContent())!;
  await page.getByLabel("Email", { exact: true }).fill(uniqueEmail("withdrawn"));
  await page.getByRole("button", { name: "Create invite link" }).click();
  await expect(page.getByRole("table", { name: "Pending invites" }).getByRole("button", { name: "Withdraw" })).toHaveCount(2);
  await page
    .getByRole("table", { name: "Pending invites" })
    .getByRole("row", { name: /withdrawn-/ })
    .getByRole("button", { name: "Withdraw" })
    .click();
  await expect(main(page).getByText("Invite withdrawn.")).toBeVisible();
  await page.getByRole("button", { name: "Define a role" }).click();
  await page.getByLabel("Role name").fill("Planner");
  await page.getByRole("checkbox", { name: "Migrations" }).check();
  await page.getByRole("button", { name: "Define the role" }).click();
  await expect(page.getByRole("table", { name: "Roles and permissions" })).toContainText("Planner");

  const teammateContext = await browser.newContext();
  const teammate = await teammateContext.newPage();
  await teammate.goto(link);
  await teammate.getByLabel("Your name").fill("Tom Teammate");
  await teammate.getByLabel("Password").fill(PASSWORD);
  await teammate.getByRole("button", { name: "Create account and join" }).click();
  await expect(teammate).toHaveURL(/\/team$/);
  // An operator does not see the audit log.
  await expect(teammate.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await teammate.goto("/audit-log");
  await expect(teammate.getByText("Your role (Operator) cannot manage the members and roles of this organization")).toBeVisible();

  // A migration: connections tested and one replaced, mapping saved, fixes applied, confirmations given.
  const migrationId = await createMigration(page, `Audited migration ${Date.now()}`);
  await chooseAndTest(page, "source", /^Teamwork Desk/, "Desk sandbox");
  await nextStep(page, "Target", "target");
  await chooseAndTest(page, "target", /^Twenty/, "Twenty spare");
  // Replacing the target before anything was planned discards nothing, so no confirmation is asked.
  await page.getByRole("radio", { name: "Twenty sandbox" }).click();
  await expect(page.getByRole("radio", { name: "Twenty sandbox" })).toBeChecked();
  await page.getByRole("button", { name: /^Test (the connection|again)$/ }).click();
  await expect(page.getByRole("button", { name: "Test again" })).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByRole("table", { name: "Record counts (target)" })).toBeVisible();
  await nextStep(page, "Objects", "objects");
  await saveObjects(page);
  await page.goto(`/migrations/${migrationId}/mapping`);
  await saveMapping(page);
  await page.goto(`/migrations/${migrationId}/prerequisites`);
  await recheck(page);
  await applyFixesAndConfirm(page);
  await page.goto(`/migrations/${migrationId}/mapping`);
  await saveMapping(page);

  // The teammate becomes a viewer: the migration's buttons are disabled, saying why. Then leaves.
  await teamAction(page);
  await page.getByLabel(`Role of ${teammateEmail}`).selectOption("viewer");
  await expect(main(page).getByText("Role changed.")).toBeVisible();
  await teammate.goto(`/migrations/${migrationId}/mapping`);
  await expect(teammate.getByText("Your role (Viewer) cannot change migrations")).toBeVisible();
  await expect(teammate.getByRole("button", { name: "Save the mapping" })).toBeDisabled();
  // Looking is allowed: the viewer still moves between the object pairs.
  const pairs = teammate.getByRole("group", { name: "Object pairs" }).getByRole("button");
  await pairs.nth(1).click();
  await expect(pairs.nth(1)).toHaveAttribute("aria-pressed", "true");
  // …and pages through a long field table.
  await teammate.getByRole("button", { name: "Next" }).first().click();
  await expect(teammate.getByText(/^Page 2 of \d+$/).first()).toBeVisible();
  await shot(teammate, "viewer-mapping");
  await teammateContext.close();
  await teamAction(page);
  page.once("dialog", (dialog) => dialog.accept());
  await page
    .getByRole("row", { name: new RegExp(teammateEmail) })
    .getByRole("button", { name: "Remove" })
    .click();
  await expect(main(page).getByText("Member removed.")).toBeVisible();
  await page.goto(`/migrations/${migrationId}/mapping`);

  // Runs: a demo started and its data deleted (a rollback); a full run started, paused, resumed, cancelled.
  await nextStep(page, "Demo", "demo");
  await page.getByLabel("Records per object").fill("3");
  await page.getByRole("button", { name: "Start the demo" }).click();
  await expect(page.getByRole("table", { name: "Demo records", exact: true })).toBeVisible({ timeout: 90_000 });
  await page.getByRole("button", { name: "Delete demo data" }).click();
  const confirm = page.getByRole("dialog", { name: "Confirm rollback" });
  await confirm.getByRole("checkbox").check();
  await confirm.getByRole("button", { name: "Delete demo data" }).click();
  await expect(main(page).getByText(/The demo data was deleted from/)).toBeVisible({ timeout: 60_000 });
  await nextStep(page, "Full run", "run");
  await page.getByRole("button", { name: "Start the full run" }).click();
  await expect(page).toHaveURL(new RegExp(`/migrations/${migrationId}/runs/[^/]+$`), { timeout: 20_000 });
  // The dashboard re-renders on each new status, so the buttons, not the notices, tell that each click took.
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Resume" }).click({ timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Resume" })).toHaveCount(0, { timeout: 30_000 });
  await page.getByRole("button", { name: "Cancel" }).click({ timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0, { timeout: 30_000 });

  // The audit log: every kind, each naming its author; filters; CSV; no secret anywhere.
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/audit-log$/);
  const table = page.getByRole("table", { name: "Audit log" });
  await expect(table).toBeVisible();
  const kindsShown = async () => {
    const kinds = new Set<string>();
    for (let pageIndex = 0; pageIndex < 10; pageIndex += 1) {
      for (const kind of await table.locator("[data-kind]").evaluateAll((cells) => cells.map((cell) => cell.getAttribute("data-kind") ?? ""))) kinds.add(kind);
      const next = page.getByRole("button", { name: "Next" });
      if ((await next.count()) === 0 || (await next.isDisabled())) break;
      await next.click();
    }
    return kinds;
  };
  const shown = await kindsShown();
  for (const kind of EXPECTED_KINDS) expect(shown, kind).toContain(kind);
  await page.goto("/audit-log");
  await expect(table.getByRole("row").nth(1)).toContainText("Ada Auditor");
  const html = await page.content();
  for (const secret of [DESK_API_KEY, TWENTY_API_KEY, link.split("/invite/")[1]]) expect(html).not.toContain(secret);
  await shot(page, "audit-log");

  await page.getByLabel("Action").selectOption("run.paused");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/kind=run\.paused/);
  await expect(table.locator("[data-kind]")).toHaveCount(1);
  await expect(table).toContainText("Paused the full run of");
  await shot(page, "audit-log-filtered");

  await page.goto("/audit-log");
  await page.getByLabel("User").selectOption({ label: `Tom Teammate (${teammateEmail})` });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/userId=/);
  await expect(table.locator("[data-kind]")).toHaveCount(1);
  await expect(table).toContainText(`${teammateEmail} signed up and joined as Operator.`);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await (await page.request.get("/api/audit-log.csv")).text();
  expect(csv.split("\r\n")[0]).toBe("time (UTC),user,email,action,what,migration id,run id");
  for (const secret of [DESK_API_KEY, TWENTY_API_KEY, link.split("/invite/")[1]]) expect(csv).not.toContain(secret);
  expect(csv).toContain("Ada Auditor");
});
