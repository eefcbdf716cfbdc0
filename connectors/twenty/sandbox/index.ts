// The Twenty sandbox: an in-memory HTTP server that answers like Twenty's REST and metadata API
// (docs/reference/twenty-api.md). Tests start it on port 0; `npm run sandbox:twenty` runs cli.ts.
import { listen, serverOptionsFrom, type RunningSandbox, type SandboxStartOptions } from "@/connectors/shared/sandbox-kit";
import { seededUuids } from "./ids";
import { DEFAULT_WORKSPACE_MEMBERS, seedSampleData, seedWorkspaceMembers } from "./seed";
import { createTwentyHandler } from "./server";
import { DEFAULT_QUERY_MAX_RECORDS, TwentyStore, type TwentySandboxState } from "./store";

export type { TwentyActor, TwentyRecord, TwentySandboxState, TwentyWebhook, WorkflowStatus } from "./store";
export { DEFAULT_QUERY_MAX_RECORDS } from "./store";
export { DEFAULT_LIMIT_RECORDS, MAX_LIMIT_RECORDS } from "./query";
export { DEFAULT_WORKSPACE_MEMBERS } from "./seed";

export type TwentySandboxOptions = SandboxStartOptions & {
  workspaceMembers?: { email: string; firstName: string; lastName: string }[];
};

/** Reference §6.1: 100 requests per minute per workspace (the long bucket, 100 tokens per 60 000 ms). */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 100;
/** The display name of the sandbox's API key, shown in createdBy of records it writes (reference §7). */
export const SANDBOX_API_KEY_NAME = "Sandbox API key";
/** Metadata ids (objects, fields, options) repeat across runs, like a long-lived workspace. */
const METADATA_ID_SEED = 20_020;

export async function startTwentySandbox(options: TwentySandboxOptions): Promise<RunningSandbox & { state: TwentySandboxState }> {
  if (!options.apiKey) throw new Error("The Twenty sandbox needs an apiKey");
  const serverOptions = serverOptionsFrom(options, { rateLimit: DEFAULT_RATE_LIMIT_PER_MINUTE, maxBatch: DEFAULT_QUERY_MAX_RECORDS });
  const store = new TwentyStore(SANDBOX_API_KEY_NAME, seededUuids(METADATA_ID_SEED), undefined, serverOptions.maxBatch);
  seedWorkspaceMembers(store, options.workspaceMembers ?? DEFAULT_WORKSPACE_MEMBERS);
  if (options.seed === "sample") seedSampleData(store);
  const handler = createTwentyHandler(store, serverOptions);
  const running = await listen(handler, options.port ?? 0);
  return { ...running, state: store };
}
