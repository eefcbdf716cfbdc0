// The Prisma CLI runs offline with the JavaScript schema engine and the libSQL driver adapter
// (../shared/ENVIRONMENT.md: the native engines cannot be downloaded here).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { databaseConnectionFromEnvironment } from "./lib/database-url";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => new PrismaLibSQL(databaseConnectionFromEnvironment()),
});
