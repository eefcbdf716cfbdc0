// Runs before `next dev` / `next start`: secrets for local use, database migrations, demo account.
import { EnvironmentError, parseEnvironment } from "../lib/env";
import { createDatabase } from "../lib/db";
import { migrateDatabase } from "../lib/database-setup";
import { DEMO_ACCOUNT, seedDemoAccount } from "../prisma/seed";
import { LOCAL_ENV_FILE, loadLocalEnvironment } from "./local-environment";

async function main() {
  const { generated } = loadLocalEnvironment();
  if (generated.length > 0) console.log(`Generated ${generated.join(" and ")} for local use in ${LOCAL_ENV_FILE}.`);
  const environment = parseEnvironment(process.env);

  await migrateDatabase(environment.database);

  const database = createDatabase(environment.database);
  try {
    const { created } = await seedDemoAccount(database);
    if (created) {
      console.log(`\nDemo account created. Sign in at ${environment.NEXTAUTH_URL}/sign-in with:\n  email:    ${DEMO_ACCOUNT.email}\n  password: ${DEMO_ACCOUNT.password}\n`);
    }
  } finally {
    await database.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvironmentError ? error.message : error);
  process.exit(1);
});
