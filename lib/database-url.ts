// Where Ferry's PostgreSQL is: DATABASE_URL (postgres://…). `npm run dev`, `start`, `demo`, the
// CLI, the tests and the benchmarks set it to an embedded PostgreSQL when it is unset
// (lib/embedded-postgres.ts). Kept free of other imports because prisma.config.ts loads it too.

export type DatabaseConnection = { url: string };

export const DATABASE_URL_PATTERN = /^postgres(ql)?:\/\//;

export class DatabaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseUrlError";
  }
}

export function databaseConnectionFromEnvironment(environment: Record<string, string | undefined> = process.env): DatabaseConnection {
  const url = environment.DATABASE_URL?.trim();
  if (!url) {
    throw new DatabaseUrlError(
      "DATABASE_URL is not set: give it a postgres:// URL, or start Ferry with npm run dev, npm start or npm run demo, which start an embedded PostgreSQL when it is unset.",
    );
  }
  if (!DATABASE_URL_PATTERN.test(url)) throw new DatabaseUrlError("DATABASE_URL must start with postgres:// or postgresql://");
  return { url };
}

export type ConnectionFields = {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  ssl?: boolean | { rejectUnauthorized: boolean };
};

/**
 * The URL as separate fields. The Prisma CLI needs them: with a connectionString, pg ignores the
 * `database` the CLI sets for its shadow database, so `migrate diff` would work on the real one.
 */
export function connectionFields(url: string): ConnectionFields {
  const parsed = new URL(url);
  const sslMode = parsed.searchParams.get("sslmode");
  const fields: ConnectionFields = {
    host: decodeURIComponent(parsed.hostname) || "localhost",
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres",
  };
  if (sslMode === "require" || sslMode === "prefer" || sslMode === "no-verify") fields.ssl = { rejectUnauthorized: false };
  if (sslMode === "verify-ca" || sslMode === "verify-full") fields.ssl = true;
  return fields;
}
