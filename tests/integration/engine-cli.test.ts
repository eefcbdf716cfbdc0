// The migrate CLI, as staff and benchmarks run it: a child process against a Twenty sandbox, its
// --json summary on stdout and an exit code that says whether the run completed clean.
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTeamworkDeskSandbox } from "@/connectors/teamwork-desk/sandbox";
import { startTwentySandbox } from "@/connectors/twenty/sandbox";
import { generateKey } from "@/lib/crypto";
import { createTestDatabaseUrl } from "../helpers/database";
import { countsOf } from "../helpers/engine-compare";

const API_KEY = "engine-cli-key";
const ROOT = path.resolve(import.meta.dirname, "..", "..");

let sandbox: Awaited<ReturnType<typeof startTwentySandbox>>;

beforeAll(async () => {
  sandbox = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0 });
});
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await sandbox?.close();
  for (const drop of drops) await drop();
});

async function migrate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { url: database, drop } = await createTestDatabaseUrl();
  drops.push(drop);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "scripts", "migrate.ts"), ...args, "--database", database, "--json"],
      // Secrets given explicitly, so the CLI never writes a .env.local into the repository.
      { cwd: ROOT, env: { ...process.env, NEXTAUTH_SECRET: "x".repeat(40), ENCRYPTION_KEYS: `1:${generateKey()}` }, timeout: 55_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("npm run migrate", () => {
  it("migrates Sample → Twenty with the plan's fixes and prints a clean verification as JSON", async () => {
    const result = await migrate([
      "--from",
      "sample",
      "--to",
      "twenty",
      "--target-url",
      sandbox.url,
      "--target-key",
      API_KEY,
      "--sample-scale",
      "0.05",
      "--apply-fixes",
      "--client-rate-limit",
      "0",
    ]);
    expect(result.stderr).toMatch(/Verification clean/);
    expect(result.stderr).toMatch(/total \d+\/\d+ \(created \d+/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      ok: boolean;
      status: string;
      totals: { processed: number; total: number };
      objects: { targetObjectType: string; parentObjectType: string | null; created: number }[];
      verification: { clean: boolean };
    };
    expect(summary).toMatchObject({ ok: true, status: "completed", verification: { clean: true } });
    expect(summary.totals.processed).toBe(summary.totals.total);
    const counts = countsOf(sandbox.state);
    const createdIn = (target: string) =>
      summary.objects.filter((object) => object.targetObjectType === target).reduce((sum, object) => sum + object.created, 0);
    for (const target of ["companies", "people", "tickets", "notes", "opportunities", "tasks"]) expect(counts[target]).toBe(createdIn(target));
  }, 60_000);

  it("migrates Teamwork Desk → Twenty with a clean verification", async () => {
    const desk = await startTeamworkDeskSandbox({ apiKey: API_KEY, rateLimit: 0, seed: "sample", sampleScale: 0.05 });
    const crm = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0 });
    try {
      const result = await migrate([
        "--from",
        "teamwork-desk",
        "--source-site",
        desk.url,
        "--source-key",
        API_KEY,
        "--to",
        "twenty",
        "--target-url",
        crm.url,
        "--target-key",
        API_KEY,
        "--apply-fixes",
        "--client-rate-limit",
        "0",
      ]);
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout) as {
        ok: boolean;
        totals: { processed: number; created: number; failed: number };
        objects: { objectType: string; created: number }[];
      };
      expect(summary.ok).toBe(true);
      expect(summary.totals.failed).toBe(0);
      const counts = countsOf(crm.state);
      expect(counts.tickets).toBe(summary.objects.find((object) => object.objectType === "tickets")?.created);
      expect(counts.people).toBe(summary.objects.find((object) => object.objectType === "customers")?.created);
      expect(counts.notes).toBeGreaterThan(counts.tickets);
    } finally {
      await desk.close();
      await crm.close();
    }
  }, 60_000);

  it("exits non-zero when the run fails (the target lacks the Tickets object and no fix was applied)", async () => {
    const bare = await startTwentySandbox({ apiKey: API_KEY, rateLimit: 0 });
    try {
      const result = await migrate([
        "--from",
        "sample",
        "--to",
        "twenty",
        "--target-url",
        bare.url,
        "--target-key",
        API_KEY,
        "--sample-scale",
        "0.05",
        "--client-rate-limit",
        "0",
      ]);
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout) as { ok: boolean; status: string; error: string };
      expect(summary).toMatchObject({ ok: false, status: "failed" });
      expect(summary.error).toMatch(/no object "tickets"/);
      expect(result.stderr).toMatch(/prerequisite not met/);
    } finally {
      await bare.close();
    }
  }, 60_000);
});
