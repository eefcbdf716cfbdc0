// `prisma migrate dev` does not work with the JS schema engine (P1014), and `migrate diff
// --from-migrations` needs a shadow database it cannot make here. So every migration also leaves
// prisma/migrations/schema-snapshot.prisma (the schema it brings the database to), and the next
// migration is the diff from that snapshot to prisma/schema.prisma.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SNAPSHOT = path.join("prisma", "migrations", "schema-snapshot.prisma");
const SCHEMA = path.join("prisma", "schema.prisma");

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:new-migration -- short_snake_case_name");
  process.exit(2);
}
const sql = execFileSync(
  "npx",
  ["prisma", "migrate", "diff", "--from-schema-datamodel", SNAPSHOT, "--to-schema-datamodel", SCHEMA, "--script"],
  { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
);
if (!/\S/.test(sql.replace(/^--.*$/gm, ""))) {
  console.log("The schema matches the last migration: nothing to create.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const directory = path.join("prisma", "migrations", `${stamp}_${name}`);
fs.mkdirSync(directory, { recursive: true });
fs.writeFileSync(path.join(directory, "migration.sql"), sql);
fs.copyFileSync(SCHEMA, SNAPSHOT);
console.log(`Created ${directory}/migration.sql. Apply it with npm run db:migrate.`);
