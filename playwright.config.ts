import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { startEmbeddedPostgres } from "./lib/embedded-postgres";
import { findChromium } from "./tests/e2e/chromium";
import { E2E_DIR, E2E_PORT, SERVER_LOG } from "./tests/e2e/environment";

// A fresh database and fresh secrets for every run; the server runs in production mode, the
// way a hosted Ferry does, so these tests also prove it starts from configuration alone. The
// database is an embedded PostgreSQL of this run's own (the main Playwright process starts it
// here, before the web server, and it stops when that process exits); workers inherit its URL.
if (!process.env.FERRY_E2E_PREPARED) {
  fs.rmSync(E2E_DIR, { recursive: true, force: true });
  fs.mkdirSync(E2E_DIR, { recursive: true });
  const cluster = await startEmbeddedPostgres({
    directory: path.join(E2E_DIR, "postgres"),
    temporary: true,
    settings: { fsync: "off", synchronous_commit: "off" },
  });
  process.env.FERRY_E2E_DATABASE_URL = cluster.url;
  process.env.FERRY_E2E_PREPARED = "1";
  process.env.FERRY_E2E_SECRET = crypto.randomBytes(48).toString("base64url");
  process.env.FERRY_E2E_KEY = crypto.randomBytes(32).toString("base64");
}

const browser = await findChromium();

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]] : [["list"]],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: { executablePath: browser.executablePath, args: browser.args },
  },
  webServer: {
    command: `sh -c 'npx tsx scripts/prepare-local.ts && exec npx next start -p ${E2E_PORT}' > ${SERVER_LOG} 2>&1`,
    url: `http://localhost:${E2E_PORT}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: {
      NODE_ENV: "production",
      DATABASE_URL: process.env.FERRY_E2E_DATABASE_URL!,
      NEXTAUTH_URL: `http://localhost:${E2E_PORT}`,
      NEXTAUTH_SECRET: process.env.FERRY_E2E_SECRET!,
      ENCRYPTION_KEYS: `1:${process.env.FERRY_E2E_KEY}`,
      ALLOW_PRIVATE_CONNECTION_URLS: "1",
      // Every browser test signs up from this one machine.
      SIGN_UP_LIMIT_PER_HOUR: "1000",
      // The sandboxes here publish per-second windows (or none): the app's limiters follow them
      // instead of each system's per-minute window, which would hold a whole spec to 100 requests.
      CLIENT_RATE_WINDOW_MS: "1000",
    },
  },
});
