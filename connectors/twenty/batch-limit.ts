// The largest batch this Twenty server takes (§2.3): QUERY_MAX_RECORDS, 200 since September 2025
// and 60 before. Ferry starts at 200; the first "Maximum number of records to upsert is N."
// lowers it to N (60 when the message names none) for the whole workspace in this process, and in
// hosted mode for every process and after a restart (lib/api-budget.ts, ApiBudgetLearning), so
// every later batch, session and run of that connection starts at the size the server takes.
import { budgetKey, sharedBudgetStore } from "@/connectors/shared/rate-limiter";
import type { ConnectorError } from "@/connectors/types";

/** §2.3: QUERY_MAX_RECORDS of current servers. */
export const CURRENT_SERVER_MAX_BATCH = 200;
/** §2.3: QUERY_MAX_RECORDS of servers older than September 2025 (and what the docs still say). */
export const OLDER_SERVER_MAX_BATCH = 60;

const TOO_MANY_RECORDS = /maximum number of records to upsert is\s*(\d+)?/i;

/** The cap a refused batch names (60 if it names none); null when `error` is not that refusal. */
export function batchCapOf(error: ConnectorError): number | null {
  if (error.code !== "VALIDATION") return null;
  const match = TOO_MANY_RECORDS.exec(error.message);
  if (!match) return null;
  const named = match[1] === undefined ? NaN : Number(match[1]);
  return Number.isInteger(named) && named > 0 ? named : OLDER_SERVER_MAX_BATCH;
}

/** What one workspace's server was seen to take. */
export class ServerBatchCap {
  private cap = CURRENT_SERVER_MAX_BATCH;
  private recalled: Promise<void> | null = null;

  /** key: the workspace's budget key in the shared store (lib/api-budget.ts), null for none. */
  constructor(private readonly key: string | null = null) {}

  get current(): number {
    return this.cap;
  }

  /** Once, before the first write: a lower cap another process (or an earlier run) learned for the workspace. */
  recall(): Promise<void> {
    this.recalled ??= (async () => {
      const store = sharedBudgetStore();
      if (!store?.recall || this.key === null) return;
      try {
        const learned = await store.recall(this.key);
        if (learned?.maxBatch) this.lower(learned.maxBatch);
      } catch {
        // Without it the first batch of 200 is refused once and teaches the cap again.
      }
    })();
    return this.recalled;
  }

  /** Remembers a lower cap (for the other processes too); a higher one is ignored (a cap only ever steps down). */
  stepDown(cap: number): void {
    if (!this.lower(cap) || this.key === null) return;
    sharedBudgetStore()
      ?.remember?.(this.key, { maxBatch: cap })
      .catch(() => undefined);
  }

  private lower(cap: number): boolean {
    if (!(cap > 0 && cap < this.cap)) return false;
    this.cap = cap;
    return true;
  }
}

const MAX_REMEMBERED = 1_000;
const capsByWorkspace = new Map<string, ServerBatchCap>();

/** The process's one cap for a workspace (key: base URL and workspace, hashed so no credential is held; the same key as its rate-limit budget). */
export function serverBatchCapFor(workspace: string): ServerBatchCap {
  const key = budgetKey(workspace);
  let cap = capsByWorkspace.get(key);
  if (!cap) {
    if (capsByWorkspace.size >= MAX_REMEMBERED) capsByWorkspace.clear();
    cap = new ServerBatchCap(key);
    capsByWorkspace.set(key, cap);
  }
  return cap;
}

/** Forgets every workspace's cap, as a new process would start (tests). */
export function forgetBatchCaps(): void {
  capsByWorkspace.clear();
}
