import crypto from "node:crypto";
import path from "node:path";
import pg from "pg";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DIR = path.resolve(".data", "e2e");
export const SERVER_LOG = path.join(E2E_DIR, "server.log");
export const DEMO_EMAIL = "demo@ferry.local";
export const DEMO_PASSWORD = "ferry-demo-password";

/** The browser tests' database (playwright.config.ts starts an embedded PostgreSQL for the run). */
export function e2eDatabaseUrl(): string {
  const url = process.env.FERRY_E2E_DATABASE_URL;
  if (!url) throw new Error("FERRY_E2E_DATABASE_URL is not set: run the browser tests through playwright (playwright.config.ts).");
  return url;
}

/** Another empty database on the same server, for a process with a database of its own (the CLI). */
export async function createE2eDatabase(): Promise<string> {
  const name = `cli_${crypto.randomUUID().replaceAll("-", "")}`;
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(e2eDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
