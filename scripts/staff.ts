// Staff can open /admin. The flag is set only here or by the seed, never by sign-up.
import { createDatabase } from "../lib/db";
import { startConfiguredOrEmbeddedDatabase } from "../lib/embedded-postgres";
import { loadLocalEnvironment } from "./local-environment";

async function main() {
  const [action, email] = process.argv.slice(2);
  if ((action !== "grant" && action !== "revoke") || !email) {
    console.error("Usage: npm run staff:grant -- someone@example.com   (or staff:revoke)");
    process.exit(2);
  }
  loadLocalEnvironment();
  const postgres = await startConfiguredOrEmbeddedDatabase();
  const database = createDatabase();
  try {
    const result = await database.user.updateMany({ where: { email: email.trim().toLowerCase() }, data: { isStaff: action === "grant" } });
    if (result.count === 0) {
      console.error(`No user with the email ${email}. They must sign up first.`);
      process.exit(1);
    }
    console.log(action === "grant" ? `${email} is now staff.` : `${email} is no longer staff.`);
  } finally {
    await database.$disconnect();
    await postgres.stop();
  }
}

void main();
