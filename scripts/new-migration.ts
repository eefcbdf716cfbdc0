// `npm run db:new-migration -- short_name`: writes prisma/migrations/<timestamp>_short_name/migration.sql.
// `prisma migrate dev` does not work with the JS schema engine (P1014). So every migration also
// leaves prisma/migrations/schema-snapshot.prisma (the schema it brings the database to), and the
// next migration is the diff from that snapshot to prisma/schema.prisma (from nothing when there
// is no snapshot: the baseline). The CLI wants a database even for this diff: DATABASE_URL, or
// the embedded PostgreSQL under .data/.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startConfiguredOrEmbeddedDatabase } from "../lib/embedded-postgres";

const SNAPSHOT = path.join("prisma", "migrations", "schema-snapshot.prisma");
const SCHEMA = path.join("prisma", "schema.prisma");
const UNREF_TIMERS_HOOK = path.resolve("scripts", "unref-timers.cjs");

async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("Usage: npm run db:new-migration -- short_snake_case_name");
    return 2;
  }
  const database = await startConfiguredOrEmbeddedDatabase();
  let sql: string;
  try {
    const from = fs.existsSync(SNAPSHOT) ? ["--from-schema-datamodel", SNAPSHOT] : ["--from-empty"];
    sql = execFileSync("npx", ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", SCHEMA, "--script"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${UNREF_TIMERS_HOOK}`.trim() },
    });
  } finally {
    await database.stop();
  }
  if (!/\S/.test(sql.replace(/^--.*$/gm, ""))) {
    console.log("The schema matches the last migration: nothing to create.");
    return 0;
  }
  if (/\$\$/.test(sql))
    console.warn(
      "Warning: the migration holds a $$ block, which `prisma migrate deploy` splits at every ';' with the JS engine. Rewrite it as plain statements.",
    );
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const directory = path.join("prisma", "migrations", `${stamp}_${name}`);
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, "migration.sql"), sql);
  fs.copyFileSync(SCHEMA, SNAPSHOT);
  console.log(`Created ${directory}/migration.sql. Apply it with npm run db:migrate.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
