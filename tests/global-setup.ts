// One embedded PostgreSQL for the whole test run, with one migrated template database; every test
// file gets its own database copied from the template (tests/helpers/database.ts), so files never
// see each other's rows and the migrations run once. Each run has its own folder and server, so
// test runs started side by side never share or delete each other's data.
import fs from "node:fs";
import path from "node:path";
import { migrateDatabase } from "../lib/database-setup";
import { startEmbeddedPostgres } from "../lib/embedded-postgres";

export const TEMPLATE_DATABASE = "ferry_template";

/** Throwaway data: no fsync, so a test run does not wait for the disk. */
const TEST_SERVER_SETTINGS = { fsync: "off", synchronous_commit: "off", full_page_writes: "off" };

export default async function setup() {
  const directory = path.resolve(".data", "test", `run-${process.pid}`);
  fs.mkdirSync(directory, { recursive: true });
  const cluster = await startEmbeddedPostgres({
    directory: path.join(directory, "postgres"),
    database: TEMPLATE_DATABASE,
    temporary: true,
    settings: TEST_SERVER_SETTINGS,
  });
  await migrateDatabase({ url: cluster.url });
  process.env.FERRY_TEST_DB_DIR = directory;
  process.env.FERRY_TEST_TEMPLATE_URL = cluster.url;
  // env() needs a DATABASE_URL; tests pass their own database explicitly, so this one names a
  // database that does not exist: code reaching for the global client fails loudly, and a
  // developer's own DATABASE_URL is never touched by a test.
  process.env.DATABASE_URL = cluster.urlFor("no_database_outside_tests_helpers");
  return async () => {
    await cluster.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  };
}
