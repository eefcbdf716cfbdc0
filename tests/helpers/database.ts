// A real SQLite database per test file, copied from the migrated template (tests/global-setup.ts).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createDatabase, type Database } from "@/lib/db";

export async function createTestDatabase(): Promise<{ database: Database; url: string; cleanup: () => Promise<void> }> {
  const directory = process.env.FERRY_TEST_DB_DIR;
  if (!directory) throw new Error("FERRY_TEST_DB_DIR is not set: run the tests through vitest (tests/global-setup.ts).");
  const template = path.join(directory, "template.db");
  const file = path.join(directory, `${crypto.randomUUID()}.db`);
  fs.copyFileSync(template, file);
  const url = `file:${file}`;
  const database = createDatabase({ url });
  return {
    database,
    url,
    cleanup: async () => {
      await database.$disconnect();
      fs.rmSync(file, { force: true });
    },
  };
}
