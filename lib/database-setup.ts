// Bringing a database up to date before anything uses it: Prisma's migrations. Used by `npm start`,
// `npm run dev`, `npm run demo` (prepare-local), the migrate CLI, the test template and the
// benchmarks, so every database Ferry runs on is set up the same way.
import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";

/** pg_advisory_lock key held while migrations are applied ("ferry-migrate" as one bigint). */
const MIGRATION_LOCK_KEY = 4_607_235_011_976_347n;
/** The Wasm schema engine leaves a 10 s timer behind; this hook unrefs it so the CLI exits when done. */
const UNREF_TIMERS_HOOK = path.resolve("scripts", "unref-timers.cjs");

/**
 * Applies pending migrations with `prisma migrate deploy`, holding a session-level advisory lock
 * meanwhile: servers started side by side on one database take turns, and the later ones find
 * nothing left to apply (the JS schema engine does not lock by itself).
 */
export async function migrateDatabase(connection: { url: string }): Promise<void> {
  const client = new pg.Client({ connectionString: connection.url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    const nodeOptions = `${process.env.NODE_OPTIONS ?? ""} --require ${UNREF_TIMERS_HOOK}`.trim();
    execFileSync("npx", ["prisma", "migrate", "deploy"], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, DATABASE_URL: connection.url, NODE_OPTIONS: nodeOptions },
    });
  } finally {
    await client.end();
  }
}
