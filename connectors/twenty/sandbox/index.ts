// The Twenty sandbox: an in-memory HTTP server that answers like Twenty's REST and metadata API
// (docs/reference/twenty-api.md). Tests start it on port 0; `npm run sandbox:twenty` runs cli.ts.
import { listen, type RunningSandbox } from "@/connectors/shared/sandbox-kit";
import { seededUuids } from "./ids";
import { DEFAULT_WORKSPACE_MEMBERS, seedSampleData, seedWorkspaceMembers } from "./seed";
import { createTwentyHandler } from "./server";
import { TwentyStore, type TwentySandboxState } from "./store";

export type { TwentyActor, TwentyRecord, TwentySandboxState, TwentyWebhook, WorkflowStatus } from "./store";
export { MAX_RECORDS_PER_BATCH } from "./store";
export { DEFAULT_LIMIT_RECORDS, MAX_LIMIT_RECORDS } from "./query";
export { RATE_LIMIT_WINDOW_MS } from "./server";
export { DEFAULT_WORKSPACE_MEMBERS } from "./seed";

export type TwentySandboxOptions = {
  apiKey: string;
  port?: number /* 0 = any */;
  rateLimit?: number /* per minute, default 100, 0 = off */;
  /** The rate limit's window, default 60 s (benchmarks shrink it to scale the limit up). */
  rateWindowMs?: number;
  faults?: number;
  faultSeed?: number;
  faultsAfterWrite?: boolean;
  seed?: "empty" | "sample";
  workspaceMembers?: { email: string; firstName: string; lastName: string }[];
};

/** Reference §6.1: 100 requests per minute per workspace. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 100;
/** The display name of the sandbox's API key, shown in createdBy of records it writes (reference §7). */
export const SANDBOX_API_KEY_NAME = "Sandbox API key";
/** Metadata ids (objects, fields, options) repeat across runs, like a long-lived workspace. */
const METADATA_ID_SEED = 20_020;

export async function startTwentySandbox(options: TwentySandboxOptions): Promise<RunningSandbox & { state: TwentySandboxState }> {
  if (!options.apiKey) throw new Error("The Twenty sandbox needs an apiKey");
  const store = new TwentyStore(SANDBOX_API_KEY_NAME, seededUuids(METADATA_ID_SEED));
  seedWorkspaceMembers(store, options.workspaceMembers ?? DEFAULT_WORKSPACE_MEMBERS);
  if (options.seed === "sample") seedSampleData(store);
  const handler = createTwentyHandler(store, {
    apiKey: options.apiKey,
    rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    rateWindowMs: options.rateWindowMs,
    faults: options.faults ?? 0,
    faultSeed: options.faultSeed ?? 1,
    faultsAfterWrite: options.faultsAfterWrite ?? false,
  });
  const running = await listen(handler, options.port ?? 0);
  return { ...running, state: store };
}
