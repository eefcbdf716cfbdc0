import fs from "node:fs";
import path from "node:path";

export const DEFAULT_DATABASE_FILE = path.join(".data", "ferry.db");

export type DatabaseConnection = { url: string; authToken?: string };

/**
 * Where the database lives: DATABASE_URL (file: or libsql://) or, with no configuration, a
 * SQLite file under .data/. Kept free of other imports because prisma.config.ts loads it too.
 */
export function databaseConnectionFromEnvironment(
  environment: Record<string, string | undefined> = process.env,
): DatabaseConnection {
  const configured = environment.DATABASE_URL?.trim();
  const url = configured || `file:${path.resolve(DEFAULT_DATABASE_FILE)}`;
  if (url.startsWith("file:")) {
    fs.mkdirSync(path.dirname(path.resolve(url.slice("file:".length))), { recursive: true });
  }
  const authToken = environment.DATABASE_AUTH_TOKEN?.trim() || undefined;
  return authToken ? { url, authToken } : { url };
}
