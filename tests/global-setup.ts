// Builds one migrated SQLite template database per test run; integration tests copy it so each
// test file gets a real, isolated database without re-running the migrations. Each run has its
// own folder, so test runs started side by side never share or delete each other's files.
import fs from "node:fs";
import path from "node:path";
import { migrateDatabase } from "../lib/database-setup";

export default async function setup() {
  const directory = path.resolve(".data", "test", `run-${process.pid}`);
  fs.mkdirSync(directory, { recursive: true });
  const template = path.join(directory, "template.db");
  await migrateDatabase({ url: `file:${template}` });
  process.env.FERRY_TEST_DB_DIR = directory;
  return () => fs.rmSync(directory, { recursive: true, force: true });
}
