// The largest batch this Twenty server takes (§2.3): QUERY_MAX_RECORDS, 200 since September 2025
// and 60 before. Ferry starts at 200; the first "Maximum number of records to upsert is N."
// lowers it to N (60 when the message names none) for the whole workspace in this process, so
// every later batch, session and run of that connection starts at the size the server takes.
import { createHash } from "node:crypto";
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

  get current(): number {
    return this.cap;
  }

  /** Remembers a lower cap; a higher one is ignored (a cap only ever steps down within a process). */
  stepDown(cap: number): void {
    if (cap > 0 && cap < this.cap) this.cap = cap;
  }
}

const MAX_REMEMBERED = 1_000;
const capsByWorkspace = new Map<string, ServerBatchCap>();

/** The process's one cap for a workspace (key: base URL and workspace, hashed so no credential is held). */
export function serverBatchCapFor(workspace: string): ServerBatchCap {
  const key = createHash("sha256").update(workspace).digest("base64url");
  let cap = capsByWorkspace.get(key);
  if (!cap) {
    if (capsByWorkspace.size >= MAX_REMEMBERED) capsByWorkspace.clear();
    cap = new ServerBatchCap();
    capsByWorkspace.set(key, cap);
  }
  return cap;
}
