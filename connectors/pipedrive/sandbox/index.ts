// The Pipedrive sandbox: an in-memory HTTP server that answers like Pipedrive's API v2 and the v1
// endpoints Ferry uses (docs/reference/pipedrive-api.md, §8.1 is its checklist). Tests start it on
// port 0; `npm run sandbox:pipedrive` runs cli.ts.
import { listen, serverOptionsFrom, type RunningSandbox, type SandboxStartOptions } from "@/connectors/shared/sandbox-kit";
import { DEFAULT_USERS, seedCompany, seedSampleData, type SandboxUserInput } from "./seed";
import { createPipedriveHandler } from "./server";
import { PipedriveStore } from "./store";

export { PipedriveStore } from "./store";
export type { PipedriveField, RecordEntity, StoredNote, StoredRecord } from "./store";
export { DEFAULT_USERS, DEFAULT_PIPELINES } from "./seed";
export { DEFAULT_LIMIT, MAX_LIMIT } from "./paging";

/** §4.2: the lowest plan's burst limit with an API token, 20 requests per 2-second window. */
export const DEFAULT_RATE_LIMIT = 20;
export const RATE_WINDOW_MS = 2_000;
/** §3.1: the largest page. */
export const SANDBOX_MAX_PAGE = 500;

export type PipedriveSandboxOptions = SandboxStartOptions & { users?: SandboxUserInput[] };

export async function startPipedriveSandbox(options: PipedriveSandboxOptions): Promise<RunningSandbox & { state: PipedriveStore }> {
  if (!options.apiKey) throw new Error("The Pipedrive sandbox needs an API token");
  const serverOptions = serverOptionsFrom({ ...options, rateWindowMs: options.rateWindowMs ?? RATE_WINDOW_MS }, { rateLimit: DEFAULT_RATE_LIMIT, maxBatch: 1 });
  const store = new PipedriveStore();
  seedCompany(store, options.users ?? DEFAULT_USERS);
  if (options.seed === "sample") seedSampleData(store);
  const running = await listen(createPipedriveHandler(store, serverOptions), options.port ?? 0);
  return { ...running, state: store };
}
