// Bringing a database up to date before anything uses it: Prisma's migrations, then SQLite's
// write-ahead log. Used by `npm start`/`npm run demo` (prepare-local), the migrate CLI, the test
// template and the benchmarks, so every database Ferry runs on is set up the same way.
import { execFileSync } from "node:child_process";
import { createDatabase } from "./db";

/**
 * Applies pending migrations and switches a SQLite file to WAL (kept in the file, so once is
 * enough). In the default rollback-journal mode every commit took several fsyncs and any reader
 * (the dashboard polling progress) blocked the runner's writes with "database is locked"; in WAL
 * a commit appends to the log and readers never block the writer (bench/RESULTS.md).
 */
export async function migrateDatabase(connection: { url: string; authToken?: string }): Promise<void> {
  execFileSync("npx", ["prisma", "migrate", "deploy"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DATABASE_URL: connection.url } });
  if (!connection.url.startsWith("file:")) return;
  const database = createDatabase(connection);
  try {
    const [mode] = await database.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode = WAL");
    if (mode?.journal_mode?.toLowerCase() !== "wal") throw new Error(`SQLite refused the write-ahead log for ${connection.url} (journal mode: ${mode?.journal_mode ?? "unknown"})`);
  } finally {
    await database.$disconnect();
  }
}
