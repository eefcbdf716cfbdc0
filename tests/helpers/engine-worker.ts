// A child process that drives one run with runSlice until the runner would stop, for the crash
// test: the parent SIGKILLs it at random moments and starts it again. Configuration comes as JSON
// in ENGINE_WORKER_CONFIG: { databaseUrl, runId, connections: { [connectionId]: Endpoint }, pageSize?, budgetMs?, tuning? }.
import { createDatabase } from "@/lib/db";
import { runSlice } from "@/lib/migration/engine";
import { TEST_RETRY_WAIT, resolverFor, type Endpoint, type SessionTuning } from "./engine-fixtures";

type WorkerConfig = { databaseUrl: string; runId: string; connections: Record<string, Endpoint>; pageSize?: number; budgetMs?: number; tuning?: SessionTuning };

const config = JSON.parse(process.env.ENGINE_WORKER_CONFIG ?? "{}") as WorkerConfig;
const database = createDatabase({ url: config.databaseUrl });
const resolver = resolverFor(config.connections, config.tuning);
process.stdout.write("ready\n");
for (;;) {
  const result = await runSlice(database, config.runId, {
    budgetMs: config.budgetMs ?? 1_000,
    resolveSession: resolver,
    retryWait: TEST_RETRY_WAIT,
    ...(config.pageSize ? { pageSize: config.pageSize } : {}),
  });
  if (result.done) {
    process.stdout.write(`done ${result.status}\n`);
    break;
  }
}
await database.$disconnect();
