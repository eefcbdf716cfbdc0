// `npm run dev`, `npm start` and `npm run db:migrate`: secrets for local use, the database (the
// embedded PostgreSQL under .data/ when DATABASE_URL is unset), its migrations, the demo account.
// Given a command (`tsx scripts/prepare-local.ts next dev -p 3000`), runs it with DATABASE_URL set
// and stops the embedded PostgreSQL when it exits.
import { spawn } from "node:child_process";
import { EnvironmentError, parseEnvironment } from "../lib/env";
import { createDatabase } from "../lib/db";
import { migrateDatabase } from "../lib/database-setup";
import { startConfiguredOrEmbeddedDatabase } from "../lib/embedded-postgres";
import { DEMO_ACCOUNT, seedDemoAccount } from "../prisma/seed";
import { LOCAL_ENV_FILE, loadLocalEnvironment } from "./local-environment";

async function prepare(): Promise<void> {
  const environment = parseEnvironment(process.env);
  await migrateDatabase(environment.database);
  const database = createDatabase(environment.database);
  try {
    const { created } = await seedDemoAccount(database);
    if (created) {
      console.log(
        `\nDemo account created. Sign in at ${environment.NEXTAUTH_URL}/sign-in with:\n  email:    ${DEMO_ACCOUNT.email}\n  password: ${DEMO_ACCOUNT.password}\n`,
      );
    }
  } finally {
    await database.$disconnect();
  }
}

/** Runs the command to its end, passing Ctrl-C and termination on; resolves with its exit code. */
function runCommand(command: string[]): Promise<number> {
  const child = spawn(command[0], command.slice(1), { stdio: "inherit", env: process.env });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<number> {
  const { generated } = loadLocalEnvironment();
  if (generated.length > 0) console.log(`Generated ${generated.join(" and ")} for local use in ${LOCAL_ENV_FILE}.`);
  const database = await startConfiguredOrEmbeddedDatabase();
  if (database.embedded) console.log(`Using the embedded PostgreSQL under .data/ (${new URL(database.url).host}); set DATABASE_URL to use another.`);
  try {
    await prepare();
    const command = process.argv.slice(2);
    return command.length > 0 ? await runCommand(command) : 0;
  } finally {
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof EnvironmentError ? error.message : error);
    process.exit(1);
  },
);
