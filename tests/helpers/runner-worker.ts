// A child process that is one Ferry server's job runner: the embedded runner (lib/jobs/embedded-runner.ts)
// with its leases, on a database other processes share. Sessions come from the test's endpoints.
// Configuration as JSON in RUNNER_WORKER_CONFIG: { databaseUrl, ownerId, connections, leaseMs, pollMs, sliceBudgetMs, pageSize, maxParallel }.
import { createDatabase } from "@/lib/db";
import { startEmbeddedRunner } from "@/lib/jobs/embedded-runner";
import { runSlice } from "@/lib/migration/engine";
import { TEST_RETRY_WAIT, resolverFor, type Endpoint } from "./engine-fixtures";

type RunnerConfig = {
  databaseUrl: string;
  ownerId: string;
  connections: Record<string, Endpoint>;
  leaseMs: number;
  pollMs: number;
  sliceBudgetMs: number;
  pageSize: number;
  maxParallel: number;
};

const config = JSON.parse(process.env.RUNNER_WORKER_CONFIG ?? "{}") as RunnerConfig;
const database = createDatabase({ url: config.databaseUrl });
const resolveSession = resolverFor(config.connections);
const runner = startEmbeddedRunner({
  database,
  ownerId: config.ownerId,
  leaseMs: config.leaseMs,
  pollMs: config.pollMs,
  sliceBudgetMs: config.sliceBudgetMs,
  maxParallel: config.maxParallel,
  runSlice: (db, runId, options) => runSlice(db, runId, { ...options, resolveSession, retryWait: TEST_RETRY_WAIT, pageSize: config.pageSize }),
  afterRun: async () => {},
  logger: { info: () => {}, warn: () => {}, error: (message) => console.error(message) },
});
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void runner
    .stop()
    .then(() => database.$disconnect())
    .finally(() => process.exit(0));
});
