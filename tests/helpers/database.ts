// A real PostgreSQL database per test file, copied from the migrated template (tests/global-setup.ts).
import crypto from "node:crypto";
import pg from "pg";
import { createDatabase, type Database } from "@/lib/db";

function templateUrl(): URL {
  const url = process.env.FERRY_TEST_TEMPLATE_URL;
  if (!url) throw new Error("FERRY_TEST_TEMPLATE_URL is not set: run the tests through vitest (tests/global-setup.ts).");
  return new URL(url);
}

async function onServer<T>(work: (client: pg.Client, template: string) => Promise<T>): Promise<T> {
  const url = templateUrl();
  const template = url.pathname.slice(1);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client, template);
  } finally {
    await client.end();
  }
}

/**
 * A new, migrated, empty database on the test server, for a process of its own (the CLI, a
 * worker) or a client made here; `drop` removes it, closing what is still connected.
 */
export async function createTestDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `test_${crypto.randomUUID().replaceAll("-", "")}`;
  await onServer((client, template) => client.query(`CREATE DATABASE ${name} TEMPLATE ${client.escapeIdentifier(template)}`));
  const url = templateUrl();
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

export async function createTestDatabase(): Promise<{ database: Database; url: string; cleanup: () => Promise<void> }> {
  const { url, drop } = await createTestDatabaseUrl();
  const database = createDatabase({ url });
  return {
    database,
    url,
    cleanup: async () => {
      await database.$disconnect();
      await drop();
    },
  };
}
