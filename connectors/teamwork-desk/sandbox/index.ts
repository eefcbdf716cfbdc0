// The Teamwork Desk sandbox: an in-memory HTTP server that answers like Teamwork Desk's v2 API
// and the v1 import endpoint, as described in docs/reference/teamwork-desk-api.md. Start one
// per test with `startTeamworkDeskSandbox`, or from the command line with cli.ts.
import { listen, serverOptionsFrom, type RunningSandbox, type SandboxStartOptions } from "@/connectors/shared/sandbox-kit";
import { DEFAULT_KEY_OWNER, DEFAULT_SAMPLE_SCALE, seedStore } from "./seed";
import { createTeamworkDeskHandler } from "./server";
import { DeskStore, type TeamworkDeskSandboxState } from "./store";
import { MAX_PAGE_SIZE } from "./query";

export type { TeamworkDeskSandboxState } from "./store";
export type {
  AgentInput,
  CompanyInput,
  CustomFieldInput,
  CustomerInput,
  InboxInput,
  SentEmail,
  TagInput,
  TicketInput,
  TriggerInput,
  TriggerRun,
} from "./store";
export type { DeskResource } from "./views";
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_SEARCH_PAGE_SIZE } from "./query";

/** Reference §3: 120 requests per minute. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 120;

/** `seed`: "empty" (default) is the key owner and system defaults, no inbox; "sample" is the Sample dataset. */
export type TeamworkDeskSandboxOptions = SandboxStartOptions & {
  /** Scale of the Sample dataset, default 0.1. */
  sampleScale?: number;
  /** Who the API key belongs to; default an administrator. */
  keyOwner?: { email: string; firstName: string; lastName: string; isAdmin: boolean };
};

export async function startTeamworkDeskSandbox(options: TeamworkDeskSandboxOptions): Promise<RunningSandbox & { state: TeamworkDeskSandboxState }> {
  if (!options.apiKey) throw new Error("The Teamwork Desk sandbox needs an apiKey");
  const store = new DeskStore();
  seedStore(store, {
    seed: options.seed ?? "empty",
    keyOwner: options.keyOwner ?? DEFAULT_KEY_OWNER,
    sampleScale: options.sampleScale ?? DEFAULT_SAMPLE_SCALE,
  });
  const handler = createTeamworkDeskHandler(store, serverOptionsFrom(options, { rateLimit: DEFAULT_RATE_LIMIT_PER_MINUTE, maxBatch: MAX_PAGE_SIZE }));
  const running = await listen(handler, options.port ?? 0);
  return { url: running.url, port: running.port, close: running.close, state: store };
}
