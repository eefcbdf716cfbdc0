// The Prisma CLI runs offline with the JavaScript schema engine and the pg driver adapter
// (../shared/ENVIRONMENT.md: the native engines cannot be downloaded here).
import path from "node:path";
import pg from "pg";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { connectionFields, databaseConnectionFromEnvironment } from "./lib/database-url";

/** Catalog types the adapter cannot deserialize (`name`, `"char"` and their arrays), read as text. */
const CATALOG_TEXT_TYPES = new Map([
  [19, 25],
  [18, 25],
  [1003, 1009],
  [1002, 1009],
]);

/**
 * The schema engine reads PostgreSQL's catalog, whose `name` and `"char"` columns @prisma/adapter-pg
 * 6.19 refuses ("Column type 'name' could not be deserialized"); their text form is what the engine
 * expects. Only the CLI needs this: the app never selects catalog columns.
 */
class CatalogTextClient extends pg.Client {
  // @ts-expect-error pg's overloads; both the promise form and the callback form (pg.Pool's) are patched.
  override query(...args: unknown[]) {
    const patch = (answer: pg.QueryResult | undefined) => {
      for (const field of answer?.fields ?? []) field.dataTypeID = CATALOG_TEXT_TYPES.get(field.dataTypeID) ?? field.dataTypeID;
      return answer;
    };
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last] as (error: Error | null, answer?: pg.QueryResult) => void;
      args[last] = (error: Error | null, answer?: pg.QueryResult) => callback(error, patch(answer));
    }
    const result: unknown = (super.query as (...inner: unknown[]) => unknown).apply(this, args);
    return result instanceof Promise ? result.then(patch) : result;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () =>
    new PrismaPg({ ...connectionFields(databaseConnectionFromEnvironment().url), Client: CatalogTextClient as typeof pg.Client, allowExitOnIdle: true }),
});
