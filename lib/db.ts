import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "./generated/prisma/client";
import { databaseConnectionFromEnvironment } from "./database-url";

export type Database = PrismaClient;

export function createDatabase(connection = databaseConnectionFromEnvironment()): Database {
  return new PrismaClient({ adapter: new PrismaLibSQL(connection) });
}

// One client per process; Next's dev server reloads modules, so it lives on globalThis.
const holder = globalThis as typeof globalThis & { ferryDatabase?: Database };

export function db(): Database {
  holder.ferryDatabase ??= createDatabase();
  return holder.ferryDatabase;
}
