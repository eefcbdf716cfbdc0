import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { databaseConnectionFromEnvironment, type DatabaseConnection } from "./database-url";

export type Database = PrismaClient;

/** Connections one client keeps open at most (pg's default); every process has its own pool. */
const POOL_SIZE = 10;

export function createDatabase(connection: DatabaseConnection = databaseConnectionFromEnvironment()): Database {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: connection.url, max: POOL_SIZE }) });
}

// One client per process; Next's dev server reloads modules, so it lives on globalThis.
const holder = globalThis as typeof globalThis & { ferryDatabase?: Database };

export function db(): Database {
  holder.ferryDatabase ??= createDatabase();
  return holder.ferryDatabase;
}
