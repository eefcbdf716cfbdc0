// Every database Ferry runs on is migrated and in WAL mode (lib/database-setup.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { createDatabase } from "@/lib/db";
import { migrateDatabase } from "@/lib/database-setup";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-database-setup-"));
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

it("applies the migrations and leaves a new SQLite file in write-ahead-log mode, idempotently", async () => {
  const url = `file:${path.join(directory, "new.db")}`;
  await migrateDatabase({ url });
  await migrateDatabase({ url });
  const database = createDatabase({ url });
  try {
    const [mode] = await database.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(mode.journal_mode.toLowerCase()).toBe("wal");
    // The schema is there: a table of the latest migration answers.
    expect(await database.recordLink.count()).toBe(0);
  } finally {
    await database.$disconnect();
  }
});
