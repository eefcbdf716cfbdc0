// Every database Ferry runs on is migrated the same way (lib/database-setup.ts), also when
// several servers start on one new database at the same moment.
import { expect, it } from "vitest";
import { createDatabase } from "@/lib/db";
import { migrateDatabase } from "@/lib/database-setup";
import { createTestDatabaseUrl } from "../helpers/database";

it("applies the migrations once when three servers start on an empty database at the same moment", async () => {
  const { url, drop } = await createTestDatabaseUrl();
  const database = createDatabase({ url });
  try {
    // An empty database, as a new managed PostgreSQL is.
    await database.$executeRawUnsafe(`DROP SCHEMA public CASCADE`);
    await database.$executeRawUnsafe(`CREATE SCHEMA public`);
    await Promise.all([migrateDatabase({ url }), migrateDatabase({ url }), migrateDatabase({ url })]);
    const applied = await database.$queryRawUnsafe<{ migration_name: string; count: bigint }[]>(
      `SELECT migration_name, COUNT(*) AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL GROUP BY migration_name`,
    );
    expect(applied.length).toBeGreaterThan(0);
    for (const row of applied) expect(Number(row.count)).toBe(1);
    // The schema is there: a table of the latest migration answers.
    expect(await database.recordLink.count()).toBe(0);
  } finally {
    await database.$disconnect();
    await drop();
  }
}, 60_000);
