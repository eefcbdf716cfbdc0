// Staff-only views across organizations. Callers must have checked the staff flag (requireStaff).
import type { Database } from "./db";

const ACTIVE_RUN_STATUSES = ["queued", "running", "paused", "cancelling", "rolling_back"];

export async function staffOverview(database: Database) {
  const [organizations, users, connections, activeRuns] = await Promise.all([
    database.organization.count(),
    database.user.count(),
    database.connection.count(),
    database.run.count({ where: { status: { in: ACTIVE_RUN_STATUSES } } }),
  ]);
  return { organizations, users, connections, activeRuns };
}
