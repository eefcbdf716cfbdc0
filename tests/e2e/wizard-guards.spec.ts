import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";
import {
  addDeskConnection,
  addTwentyConnection,
  applyFixesAndConfirm,
  checksCard,
  main,
  membersFor,
  recheck,
  saveMapping,
  setUpPlan,
  shot,
  startDesk,
  startTwenty,
  type DeskSandbox,
  type TwentySandbox,
} from "./wizard-helpers";

const MISSING_AGENT = "noor.rossi@lumen-outfitters.example";
const MISSING_AGENT_NAME = "Noor Rossi";

let desk: DeskSandbox;
let twenty: TwentySandbox;

test.beforeAll(async () => {
  desk = await startDesk();
  // One active agent of the Desk sample has not joined the Twenty workspace.
  twenty = await startTwenty(membersFor(desk, [MISSING_AGENT]));
});
test.afterAll(async () => {
  await desk?.close();
  await twenty?.close();
});

test.describe("wizard guards", () => {
  test("a failing prerequisite keeps the full run from starting until it is fixed and re-checked", async ({ page }) => {
    test.setTimeout(120_000);
    await signUp(page, { name: "Gina Guard", email: uniqueEmail("guard"), organizationName: "Guard Desk" });
    await addDeskConnection(page, desk);
    await addTwentyConnection(page, twenty);
    const id = await setUpPlan(page, "Blocked by a member");
    const stepper = page.getByRole("navigation", { name: "Migration steps" });

    // Everything else the full run needs (the offered fixes, the confirmations, a saved mapping),
    // so the missing member is the only thing left in the way.
    await page.goto(`/migrations/${id}/mapping`);
    await saveMapping(page);
    await page.goto(`/migrations/${id}/prerequisites`);
    await recheck(page);
    await applyFixesAndConfirm(page);
    await recheck(page);

    const membersCheck = checksCard(page).getByRole("listitem").filter({ hasText: "Users are members of the Twenty workspace" });
    await expect(membersCheck).toContainText("blocks the full run");
    await expect(membersCheck).toContainText(
      `No user receives the records of ${MISSING_AGENT_NAME}: in step 6 (Mapping), choose a target user for each or set a fallback user`,
    );
    await expect(page.getByText("blocks the full run")).toHaveCount(1);
    await expect(main(page).getByRole("alert")).toHaveText(
      "The full run cannot start until “Users are members of the Twenty workspace” passes. Fix it below, then re-check.",
    );
    await expect(stepper).toContainText(
      "not available yet: The demo cannot start until “Users are members of the Twenty workspace” passes (step 5, Prerequisites)",
    );
    await shot(page, "wizard-guard-blocked");

    await page.goto(`/migrations/${id}/run`);
    await expect(page.getByRole("button", { name: "Start the full run" })).toBeDisabled();
    await expect(page.getByText("Not ready yet:")).toBeVisible();
    await expect(main(page)).toContainText(
      `The full run cannot start until “Users are members of the Twenty workspace” passes (step 5, Prerequisites): No user receives the records of ${MISSING_AGENT_NAME}`,
    );
    await shot(page, "wizard-guard-run-disabled");

    // The agent joins the workspace; the stored result stays until Re-check, which then asks to
    // choose them in the mapping (the plan sends their records nowhere until then).
    twenty.state.addWorkspaceMember({ email: MISSING_AGENT, firstName: "Noor", lastName: "Rossi" });
    await page.goto(`/migrations/${id}/prerequisites`);
    await expect(membersCheck).toContainText("blocks the full run");
    await recheck(page);
    await expect(membersCheck).toContainText(`${MISSING_AGENT_NAME} is a target user now but not chosen in the mapping`);
    await page.goto(`/migrations/${id}/mapping`);
    const noor = page.getByLabel(`Target user for ${MISSING_AGENT_NAME}`);
    await noor.selectOption({ label: `${MISSING_AGENT_NAME} (${MISSING_AGENT})` });
    await saveMapping(page);
    await page.goto(`/migrations/${id}/prerequisites`);
    await recheck(page);
    await expect(membersCheck).toContainText("pass");
    await expect(page.getByText("blocks the full run")).toHaveCount(0);
    await expect(main(page).getByRole("alert")).toHaveCount(0);

    await page.goto(`/migrations/${id}/run`);
    await expect(page.getByText("Not ready yet:")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Start the full run" })).toBeEnabled();
    await shot(page, "wizard-guard-unblocked");
  });

  test("the mapping step refuses an incompatible field pair and says why", async ({ page }) => {
    test.setTimeout(90_000);
    await signUp(page, { name: "Iris Incompatible", email: uniqueEmail("mapping"), organizationName: "Mapping Desk" });
    await addDeskConnection(page, desk);
    await addTwentyConnection(page, twenty);
    const id = await setUpPlan(page, "Incompatible pair");
    await page.goto(`/migrations/${id}/mapping`);
    await expect(page.getByRole("button", { name: "Save the mapping" })).toBeVisible();

    // The first field select that offers a source field marked incompatible.
    const selects = main(page).locator('select[id^="source-"]');
    await expect(selects.first()).toBeVisible();
    let chosen: { id: string; value: string; label: string } | null = null;
    for (const select of await selects.all()) {
      const option = select.locator("option", { hasText: "— incompatible" }).first();
      if ((await option.count()) === 0) continue;
      chosen = { id: (await select.getAttribute("id"))!, value: (await option.getAttribute("value"))!, label: (await option.innerText()).trim() };
      break;
    }
    expect(chosen, "a target field with an incompatible source field on the first pair").not.toBeNull();
    const select = page.locator(`[id="${chosen!.id}"]`);
    await select.selectOption(chosen!.value);
    await expect(select).toHaveAttribute("aria-invalid", "true");
    const note = page.locator(`[id="${chosen!.id}-note"]`);
    await expect(note).toContainText(/Refused: .+ cannot become .+\. Choose another field\./);
    await expect(select.locator("xpath=ancestor::tr")).toContainText("incompatible");
    await shot(page, "wizard-mapping-incompatible");

    // Saving is refused too, with the reason next to the field, and nothing is saved.
    await page.getByRole("button", { name: "Save the mapping" }).click();
    await expect(main(page).getByRole("alert").first()).toHaveText("Please correct the highlighted fields.", { timeout: 15_000 });
    await expect(note.getByRole("alert")).toContainText(/cannot go into .+: .+ cannot become /);
    await expect(
      main(page)
        .getByRole("status")
        .filter({ hasText: /^Mapping saved/ }),
    ).toHaveCount(0);
    await expect(page.getByText("Not saved yet: review the suggestions and save once.")).toBeVisible();
    await shot(page, "wizard-mapping-incompatible-refused");
  });
});
