// Sync until cutover in the browser. A Twenty → Twenty migration of the demo account (two Twenty
// sandboxes started here, the seeded one as the source) gets its full run from the server's
// runner; then the sync page switches sync on, Sync now carries a new, a changed and a deleted
// person (1 / 1 / 1), staff see the sync in the monitor, Cut over ends the schedule, the bell shows the final sync's run-finished
// notification and the outbox holds its mail.
import { expect, test } from "@playwright/test";
import { startTwentySandbox } from "../../connectors/twenty/sandbox";
import { createTwentySession } from "../../connectors/twenty";
import { createConnection } from "../../lib/connections";
import { createDatabase, type Database } from "../../lib/db";
import { createRun } from "../../lib/migration/engine";
import { applyPrerequisiteFixes, buildPlanFor, createMigrationRecord } from "../../lib/migration/setup";
import { resolveOrgContext } from "../../lib/team";
import { adoptServerEnvironment, signInAsDemo } from "./demo-environment";
import { DEMO_EMAIL } from "./environment";
import { main, shot } from "./wizard-helpers";

const API_KEY = `sync-e2e-key-${Date.now()}`;
/** This spec's sandboxes listen on fixed ports of its own (SYNC_E2E_PORTS), next to the demo's. */
const [SOURCE_PORT, TARGET_PORT] = (process.env.SYNC_E2E_PORTS ?? "5510,5511").split(",").map(Number);

let database: Database;
let source: Awaited<ReturnType<typeof startTwentySandbox>>;
let target: Awaited<ReturnType<typeof startTwentySandbox>>;
let migrationId: string;
const name = `Synced ${Date.now()}`;

test.describe.configure({ mode: "serial" });

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${source.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path}`).toBe(true);
}

/** The migration as the wizard would leave it: both connections sealed in the database, the default plan, the target's fixes. */
async function createSyncedMigration(): Promise<string> {
  const user = await database.user.findUniqueOrThrow({ where: { email: DEMO_EMAIL }, select: { id: true } });
  const context = (await resolveOrgContext(database, user.id, null))!;
  const credentials = (url: string) => ({ baseUrl: url, apiKey: API_KEY });
  const sourceConnection = await createConnection(database, context, {
    systemId: "twenty",
    label: `Sync source ${Date.now()}`,
    credentials: credentials(source.url),
  });
  const targetConnection = await createConnection(database, context, {
    systemId: "twenty",
    label: `Sync target ${Date.now()}`,
    credentials: credentials(target.url),
  });
  const session = (url: string) => createTwentySession(credentials(url), { allowPrivateHosts: true, rateLimit: null });
  const plan = await buildPlanFor({ sourceSystem: "twenty", targetSystem: "twenty", source: session(source.url), target: session(target.url) });
  const fixed = await applyPrerequisiteFixes(session(target.url), plan);
  const { migrationId: id } = await createMigrationRecord(database, {
    organizationId: context.organization.id,
    name,
    sourceConnectionId: sourceConnection.id,
    targetConnectionId: targetConnection.id,
    plan: fixed.plan,
  });
  return id;
}

test.beforeAll(async () => {
  adoptServerEnvironment();
  database = createDatabase();
  source = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, seed: "sample", port: SOURCE_PORT });
  target = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0, port: TARGET_PORT });
  migrationId = await createSyncedMigration();
  // The full run, worked by the server's embedded runner.
  const { runId } = await createRun(database, { migrationId, mode: "full" });
  await expect(async () => {
    expect((await database.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("completed");
  }).toPass({ timeout: 120_000 });
});

test.afterAll(async () => {
  await source?.close();
  await target?.close();
  await database?.$disconnect();
});

test("switch sync on, Sync now carries a create, an update and a deletion, Cut over stops the schedule", async ({ page }) => {
  test.setTimeout(300_000);
  await signInAsDemo(page);
  await page.goto(`/migrations/${migrationId}/sync`);
  await expect(main(page).getByText("Keep the target up to date until you switch over")).toBeVisible();
  await main(page).getByLabel("When a people record disappears").selectOption("delete");
  await main(page).getByRole("button", { name: "Switch sync on" }).click();
  await expect(main(page).getByText("Syncing", { exact: true })).toBeVisible();

  const people = await database.recordLink.findMany({ where: { migrationId, objectType: "people", status: "created" }, orderBy: { sourceId: "asc" }, take: 2 });
  // twenty-api §2: PATCH/DELETE /rest/people/{id}, POST /rest/people.
  await call("PATCH", `/rest/people/${people[0].sourceId}`, { jobTitle: "Head of Sync" });
  await call("DELETE", `/rest/people/${people[1].sourceId}`);
  await call("POST", "/rest/people", { name: { firstName: "Nova", lastName: "Synced" }, emails: { primaryEmail: "nova.synced@example.com" } });

  await main(page).getByRole("button", { name: "Sync now" }).click();
  const peopleRow = main(page)
    .getByRole("table", { name: "Sync counts per object" })
    .getByRole("row")
    .filter({ hasText: /^people/ });
  await expect(peopleRow).toContainText("1 / 1 / 1 / 0", { timeout: 120_000 });
  await expect(main(page).getByText(/A\s+sync is running/)).toHaveCount(0);
  await shot(page, "sync-dashboard");
  expect(target.state.record("people", people[0].targetId as string)?.jobTitle).toBe("Head of Sync");
  expect(target.state.record("people", people[1].targetId as string)).toBeUndefined();

  // Staff see the sync in the monitor (the demo account is staff).
  await page.goto("/admin");
  const monitorRow = main(page).getByRole("table", { name: "Syncs" }).getByRole("row").filter({ hasText: name });
  await expect(monitorRow).toContainText("active");
  await expect(monitorRow).toContainText("(completed)");
  await shot(page, "sync-admin-monitor");

  await page.goto(`/migrations/${migrationId}/sync`);
  await main(page).getByRole("button", { name: "Cut over" }).click();
  await main(page).getByRole("button", { name: "Cut over now" }).click();
  await expect(main(page).getByText(/^Cut over on /)).toBeVisible({ timeout: 120_000 });
  await expect(main(page).getByRole("button", { name: "Sync now" })).toHaveCount(0);
  await shot(page, "sync-cut-over");
  expect((await database.migration.findUniqueOrThrow({ where: { id: migrationId } })).syncNextAt).toBeNull();

  // The final sync's run-finished notification, in the bell and as a mail in the outbox.
  await page.goto("/notifications");
  await expect(
    main(page)
      .getByTestId("notification")
      .filter({ hasText: `Delta run of “${name}” finished` }),
  ).toBeVisible();
  await expect(async () => {
    await page.goto("/outbox");
    await expect(
      main(page)
        .getByTestId("outbox-mail")
        .filter({ hasText: `Delta run of “${name}” finished` })
        .first(),
    ).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
});
