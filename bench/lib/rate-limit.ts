// Rate-limit utilization: the CLI against a sandbox with a real (or scaled) limit, through the
// counting proxy, so the gap to the ceiling can be split into 429s, look-ups/reads and small batches.
import type { LoggedRequest } from "./request-log-proxy";

export type RequestBreakdown = {
  requests: number;
  writes: number;
  writeRecords: number;
  reads: number;
  rateLimited: number;
  otherErrors: number;
  /** Records per successful write request. */
  recordsPerWrite: number;
  /**
   * The fewest requests that could have written the same rows: per kind of write, rows ÷ the most
   * one request may carry. The ceiling's unit: utilization = ideal requests ÷ requests allowed.
   */
  idealWriteRequests: number;
  firstAtMs: number;
  lastAtMs: number;
  /** From the first write request's start to the last one's end. */
  writePhaseMs: number;
  /** Requests of any kind (look-ups, reads, 429s) made inside the write phase. */
  requestsInWritePhase: number;
  /** Successful requests per minute inside the write phase. */
  requestsPerMinuteInWritePhase: number;
  /** Requests inside the write phase by kind ("POST /rest/batch/notes 201"), most frequent first. */
  writePhaseKinds: [string, number][];
};

const kindOf = (request: LoggedRequest) =>
  `${request.method} ${request.path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ":id").replace(/\/\d+(?=\/|\.|$)/g, "/:id")} ${request.status}`;

/** Record writes: Twenty's batch endpoints, Teamwork Desk's ticket import and POST/PUT/PATCH of records (not settings such as triggers). */
const isWrite = (request: LoggedRequest) =>
  request.path.startsWith("/rest/batch/") ||
  request.path.startsWith("/desk/v1/import/") ||
  (request.path.startsWith("/desk/api/") && ["POST", "PUT", "PATCH"].includes(request.method) && !request.path.includes("/triggers"));

/** The most records one request of this kind may carry: Twenty's batch cap (twenty-api §2.3, the sandbox's --max-batch), Desk's import batch, else one. */
const maxRecordsPerWrite = (request: LoggedRequest, twentyBatch: number) =>
  request.path.startsWith("/rest/batch/") ? twentyBatch : request.path.startsWith("/desk/v1/import/") ? 10 : 1;

/** Where a run's requests (tokens) went, by purpose. */
export type TokenLedger = {
  setup: number;
  lookups: number;
  writes: number;
  linkRows: number;
  verification: number;
  rateLimited: number;
  failedOther: number;
  rowsWritten: number;
  /** Requests by kind ("GET /rest/metadata/objects 200") within setup and verification, most frequent first. */
  setupKinds: [string, number][];
  verificationKinds: [string, number][];
};

function countKinds(requests: LoggedRequest[]): [string, number][] {
  const kinds = new Map<string, number>();
  for (const request of requests) kinds.set(kindOf(request), (kinds.get(kindOf(request)) ?? 0) + 1);
  return [...kinds].sort((a, b) => b[1] - a[1]);
}

const isLinkRowWrite = (request: LoggedRequest) => /^\/rest\/batch\/(noteTargets|taskTargets)\b/.test(request.path);

/**
 * Splits a run's requests by purpose: setup before the first write (metadata, members, fixes),
 * record writes, link-row writes (noteTargets/taskTargets), look-ups during the write phase,
 * verification after the last write; 429s and other errors apart (they cost a token too).
 */
export function tokenLedger(log: LoggedRequest[]): TokenLedger {
  const ok = log.filter((request) => request.status < 400);
  const writes = ok.filter(isWrite);
  const firstWrite = Math.min(...writes.map((request) => request.atMs));
  const lastWrite = Math.max(...writes.map((request) => request.atMs));
  const ledger: TokenLedger = {
    setup: 0,
    lookups: 0,
    writes: 0,
    linkRows: 0,
    verification: 0,
    rateLimited: 0,
    failedOther: 0,
    rowsWritten: 0,
    setupKinds: countKinds(log.filter((request) => request.atMs < firstWrite)),
    verificationKinds: countKinds(log.filter((request) => request.atMs > lastWrite)),
  };
  for (const request of log) {
    if (request.status === 429) ledger.rateLimited += 1;
    else if (request.status >= 400) ledger.failedOther += 1;
    else if (isWrite(request)) {
      if (isLinkRowWrite(request)) ledger.linkRows += 1;
      else ledger.writes += 1;
      ledger.rowsWritten += request.records;
    } else if (request.atMs < firstWrite) ledger.setup += 1;
    else if (request.atMs > lastWrite) ledger.verification += 1;
    else ledger.lookups += 1;
  }
  return ledger;
}

export function breakdown(log: LoggedRequest[], twentyBatch = 200): RequestBreakdown {
  const ok = log.filter((request) => request.status < 400);
  const writes = ok.filter(isWrite);
  const writeRecords = writes.reduce((sum, request) => sum + request.records, 0);
  const writeStart = Math.min(...writes.map((request) => request.atMs));
  const writeEnd = Math.max(...writes.map((request) => request.atMs + request.durationMs));
  const inPhase = log.filter((request) => request.atMs >= writeStart && request.atMs <= writeEnd);
  const writePhaseMs = Math.max(1, writeEnd - writeStart);
  const rowsByKind = new Map<string, { rows: number; max: number }>();
  for (const request of writes) {
    const entry = rowsByKind.get(kindOf(request)) ?? { rows: 0, max: maxRecordsPerWrite(request, twentyBatch) };
    entry.rows += request.records;
    rowsByKind.set(kindOf(request), entry);
  }
  const kinds = new Map<string, number>();
  for (const request of inPhase) kinds.set(kindOf(request), (kinds.get(kindOf(request)) ?? 0) + 1);
  return {
    writePhaseKinds: [...kinds].sort((a, b) => b[1] - a[1]),
    writePhaseMs,
    requestsInWritePhase: inPhase.length,
    requestsPerMinuteInWritePhase: (inPhase.filter((request) => request.status < 400).length / writePhaseMs) * 60_000,
    requests: log.length,
    writes: writes.length,
    writeRecords,
    reads: ok.length - writes.length,
    rateLimited: log.filter((request) => request.status === 429).length,
    otherErrors: log.filter((request) => request.status >= 400 && request.status !== 429).length,
    recordsPerWrite: writes.length > 0 ? writeRecords / writes.length : 0,
    idealWriteRequests: [...rowsByKind.values()].reduce((sum, { rows, max }) => sum + Math.ceil(rows / max), 0),
    firstAtMs: Math.min(...log.map((request) => request.atMs)),
    lastAtMs: Math.max(...log.map((request) => request.atMs + request.durationMs)),
  };
}
