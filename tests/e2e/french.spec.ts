// Ferry in French, end to end: a browser whose language is French (Accept-Language: fr-FR) signs
// in to the shipped demo (tests/e2e/demo-environment.ts) and runs the whole Teamwork Desk → Twenty
// wizard, the demo and the full run. Every page is screenshotted into the test's output folder
// and its visible text is checked for English: words from a list of common English UI words that
// French never uses. Names of systems, connections, people and records are not UI text: Ferry
// marks record data and the systems' own object and field names translate="no" (the HTML attribute
// for "leave this as it is"), and the names this test knows (connections, organization) are taken
// out before the check. Sentences that lib/ and the connectors still write in English (check
// evidence, run phases, "will not migrate" lines) are marked lang="en" where Ferry shows them: they
// are not counted here but attached to the report as what remains to translate.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { DEMO_CONNECTION_LABELS, startShippedDemo, type DemoSandboxes } from "./demo-environment";
import { DEMO_EMAIL, DEMO_PASSWORD } from "./environment";
import { card, main } from "./wizard-helpers";

/** Common English words of Ferry's UI that are not also French words ("source", "type", "date", "note", "test", "page", "tickets" are both). */
const ENGLISH_WORDS = new Set(
  (
    "the and with from your you this that these those will would could should cannot can not yet are is was were been has have which what when where who " +
    "each every only then than into there their them they more before after again about per save saved saving start started starting next back cancel " +
    "delete deleted deleting records record failed failure failures created updated skipped field fields users user check checks checked choose add added " +
    "tested testing found none never done step steps run runs running migrate migrates migrated mapping target settings connection connections sign " +
    "of to for by on at or no all new open show live level levels previous filter search result results details reason value values objects warning " +
    "warnings error errors progress throughput verification verified clean discrepancy discrepancies dashboard report download ready waiting reading writing " +
    "preparing since until left why how same keep kept remove removed apply applied fix fixes pass passes required custom default empty preview invalid " +
    "drop repair repaired dropped processed selected organization team members member role roles password email account sample help desk inbox inboxes"
  ).split(" "),
);

/** Proper names on the demo's pages: systems, the demo's connections, organization and people. */
const NAMES = [DEMO_CONNECTION_LABELS.teamworkDesk, DEMO_CONNECTION_LABELS.twenty, "Demo Support Team", "Teamwork Desk", "Twenty", "Ferry", "Sample data"];

let sandboxes: DemoSandboxes;

test.describe.configure({ mode: "serial" });
test.use({ locale: "fr-FR" });

test.beforeAll(async () => {
  sandboxes = await startShippedDemo({ rateWindowMs: 1_000 });
});
test.afterAll(async () => {
  await sandboxes?.close();
});

/** The page's visible text without record data (translate="no", code) and known names; and the lang="en" passages apart. */
async function visibleUiText(page: Page): Promise<{ text: string; stillEnglish: string[] }> {
  const { text, stillEnglish } = await page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    const stillEnglish = [...clone.querySelectorAll('[lang="en"]')].map((element) => element.textContent?.trim() ?? "").filter(Boolean);
    for (const element of clone.querySelectorAll('[translate="no"], [lang="en"], code, script, style, option:not(:checked)')) element.remove();
    // innerText of a detached clone has no layout: textContent with the block boundaries kept.
    for (const element of clone.querySelectorAll("p, li, td, th, div, h1, h2, h3, label, button, a, span, dt, dd, summary, option")) element.append(" ");
    return { text: clone.textContent ?? "", stillEnglish };
  });
  return { text: NAMES.reduce((rest, name) => rest.split(name).join(" "), text), stillEnglish };
}

/** Screenshot of the step into the test's output folder, and every English UI word on the page. */
async function stepInFrench(page: Page, testInfo: TestInfo, name: string, found: Map<string, Set<string>>, remaining: Set<string>) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  const { text, stillEnglish } = await visibleUiText(page);
  for (const passage of stillEnglish) remaining.add(passage);
  // Whole words in any script: "passée" is not "pass".
  const words = text.match(/\p{L}+/gu) ?? [];
  const english = [...new Set(words.filter((word) => ENGLISH_WORDS.has(word.toLowerCase())))];
  if (english.length > 0) found.set(name, new Set(english));
}

type Progress = { status: string; totals: { total: number; processed: number; failed: number } };

test("the whole Teamwork Desk → Twenty migration in French: no English on any page", async ({ page }, testInfo) => {
  test.setTimeout(900_000);
  const english = new Map<string, Set<string>>();
  const remaining = new Set<string>();
  const step = (name: string) => stepInFrench(page, testInfo, name, english, remaining);

  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "Connexion" })).toBeVisible();
  await step("01-connexion");
  await page.getByLabel("E-mail").fill(DEMO_EMAIL);
  await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/migrations$/);
  await step("02-migrations");

  await page.getByRole("link", { name: "Nouvelle migration" }).first().click();
  await step("03-nouvelle-migration");
  await page.getByLabel("Nom de la migration").fill(`Démo en français ${Date.now()}`);
  await page.getByRole("button", { name: "Créer et choisir la source" }).click();
  await expect(page).toHaveURL(/\/migrations\/[^/]+\/source$/);
  const migrationId = new URL(page.url()).pathname.split("/")[2];

  for (const [side, system, connection, label] of [
    ["source", /^Teamwork Desk/, DEMO_CONNECTION_LABELS.teamworkDesk, "source"],
    ["target", /^Twenty/, DEMO_CONNECTION_LABELS.twenty, "cible"],
  ] as const) {
    if (side === "target") {
      await page.getByRole("link", { name: "Suivant : Cible" }).click();
      await expect(page).toHaveURL(/\/target$/);
    }
    await page.getByRole("button", { name: system }).click();
    const radio = page.getByRole("radio", { name: connection });
    await expect(radio).toBeEnabled();
    await radio.click();
    await expect(main(page).getByRole("status").filter({ hasText: "Connexion choisie" })).toBeVisible();
    await page.getByRole("button", { name: "Tester la connexion" }).click();
    await expect(page.getByRole("button", { name: "Tester à nouveau" })).toBeEnabled({ timeout: 30_000 });
    await expect(page.getByRole("table", { name: `Nombre d'enregistrements (${label})` })).toBeVisible();
    await step(`04-${side}`);
  }

  await page.getByRole("link", { name: "Suivant : Objets" }).click();
  await expect(page.getByRole("table", { name: "Paires d'objets" })).toBeVisible();
  await page.getByRole("button", { name: "Enregistrer les objets et les filtres" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "Objets et filtres enregistrés." })).toBeVisible({ timeout: 20_000 });
  await step("05-objets");

  await page.getByRole("link", { name: "Suivant : Audit" }).click();
  await page.getByRole("button", { name: "Lancer l'audit" }).click();
  await expect(page.getByRole("heading", { name: /^Constats \(\d+\)$/ })).toBeVisible({ timeout: 120_000 });
  await step("06-audit");

  await page.getByRole("link", { name: "Suivant : Prérequis" }).click();
  const checks = card(page, "Vérifications automatiques");
  await page.getByRole("button", { name: /^(Vérifier la cible|Vérifier à nouveau)$/ }).click();
  await expect(
    main(page)
      .getByRole("status")
      .filter({ hasText: /^Vérifié/ }),
  ).toBeVisible({ timeout: 30_000 });
  await step("07-prerequis");
  const fixes = checks.locator("li button");
  for (let round = 0; round < 8 && (await fixes.count()) > 0; round += 1) {
    const label = (await fixes.first().innerText()).trim();
    await fixes.first().click();
    await step(`07-prerequis-correction-${round + 1}`);
    await page.getByRole("dialog").getByRole("button", { name: "Appliquer la correction" }).click();
    await expect(main(page).getByRole("status").filter({ hasText: "Correction appliquée" })).toBeVisible({ timeout: 30_000 });
    // The page re-renders with the new report; a fix that worked is no longer offered.
    await expect(checks.getByRole("button", { name: label, exact: true })).toHaveCount(0, { timeout: 15_000 });
  }
  await expect(fixes).toHaveCount(0);
  const boxes = page.getByRole("checkbox", { name: /^C'est fait :/ });
  for (let index = 0; index < (await boxes.count()); index += 1) {
    await expect(boxes.nth(index)).toBeEnabled();
    await boxes.nth(index).click();
    await expect(boxes.nth(index)).toBeChecked({ timeout: 15_000 });
  }

  await page.goto(`/migrations/${migrationId}/mapping`);
  await page.getByLabel("Utilisateur de repli").selectOption({ label: "Tim Apple (tim@apple.dev)" });
  await page.getByRole("button", { name: "Enregistrer la correspondance" }).click();
  await expect(
    main(page)
      .getByRole("status")
      .filter({ hasText: /^Correspondance enregistrée/ }),
  ).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Aperçu de 3 enregistrements" }).click();
  await expect(page.getByRole("heading", { name: /^Tels qu'ils arriveront dans/ })).toBeVisible({ timeout: 30_000 });
  await step("08-correspondance");

  await page.goto(`/migrations/${migrationId}/prerequisites`);
  await page.getByRole("button", { name: "Vérifier à nouveau" }).click();
  await expect(
    main(page)
      .getByRole("status")
      .filter({ hasText: /^Vérifié à nouveau/ }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("bloque la migration complète")).toHaveCount(0);
  await step("09-prerequis-prets");

  await page.goto(`/migrations/${migrationId}/demo`);
  await page.getByRole("button", { name: "Lancer la démo" }).click();
  await expect(page.getByRole("table", { name: "Enregistrements de la démo", exact: true })).toBeVisible({ timeout: 300_000 });
  await expect(page.getByRole("heading", { name: "Enregistrements en échec (0)", exact: true })).toBeVisible();
  await step("10-demo");
  await page.getByRole("button", { name: "Comparer" }).first().click();
  await expect(page.getByRole("table", { name: "Comparaison des champs" })).toBeVisible();
  await step("11-demo-comparaison");
  await page.getByRole("button", { name: "Supprimer les données de démo" }).click();
  const rollback = page.getByRole("dialog", { name: "Confirmer l'annulation" });
  await rollback.getByRole("checkbox").check();
  await step("12-demo-suppression");
  await rollback.getByRole("button", { name: "Supprimer les données de démo" }).click();
  await expect(main(page).getByText(/Les données de démo ont été supprimées de/)).toBeVisible({ timeout: 300_000 });
  await step("13-demo-supprimee");

  await page.getByRole("link", { name: "Suivant : Migration complète" }).click();
  await step("14-migration-complete");
  await page.getByRole("button", { name: "Lancer la migration complète" }).click();
  await expect(page).toHaveURL(new RegExp(`/migrations/${migrationId}/runs/[^/]+$`), { timeout: 30_000 });
  const runId = new URL(page.url()).pathname.split("/").pop()!;
  await step("15-execution-en-cours");
  await expect
    .poll(async () => ((await (await page.request.get(`/api/runs/${runId}/progress`)).json()) as Progress).status, { timeout: 600_000, intervals: [2_000] })
    .toBe("completed");
  await expect(async () => {
    await page.reload();
    await expect(card(page, "Vérification").getByText("Conforme").first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 120_000 });
  await step("16-execution-terminee");

  for (const [path, name] of [
    [`/migrations/${migrationId}/runs`, "17-executions"],
    ["/connections", "18-connexions"],
    ["/migrations", "19-migrations"],
  ] as const) {
    await page.goto(path);
    await step(name);
  }

  await testInfo.attach("still-english-from-lib.txt", { body: [...remaining].sort().join("\n"), contentType: "text/plain" });
  // Every page at once, so one run lists everything left to translate.
  expect(Object.fromEntries([...english].map(([name, words]) => [name, [...words].sort().join(" ")]))).toEqual({});
});
