// Shared plumbing for the API sandboxes (connectors/*/sandbox): an HTTP server on loopback,
// the command line and start options every sandbox accepts, the request pipeline (traffic
// counters, fault injection, error rendering), body reading, and a clean stop on SIGTERM.
// What each API answers (paths, envelopes, error bodies, rate-limit headers) stays in the
// system's own sandbox folder, written from docs/reference/<system>-api.md.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { z } from "zod";

export const DEFAULT_RATE_WINDOW_MS = 60_000;

export type SandboxSeed = "empty" | "sample";

/** The command line's options, every one set (defaults filled in). */
export type SandboxOptions = {
  /** 0 = any free port. */
  port: number;
  apiKey: string;
  /** Requests allowed per window; 0 turns the limit off. */
  rateLimit: number;
  /** The window, 60 s as both APIs publish; benchmarks shrink it to scale a limit up for a short run (10 per second instead of 100 per minute). */
  rateWindowMs: number;
  /** Share of requests (0..1) answered with a 5xx or left hanging past a client's timeout. */
  faults: number;
  seed: SandboxSeed;
  /** Seed for the fault-injection random sequence, so a failing test can be replayed. */
  faultSeed: number;
  /** The largest batch (and page) the API takes, where the sandbox enforces one (Twenty: QUERY_MAX_RECORDS, 60 or 200; the Desk sandbox ignores it). */
  maxBatch: number;
  /** Which throttle answers an exhausted budget: "v1" the classic one, "v2" the newer one with Retry-After and rate-limit headers (where the API has both). */
  rateLimiter: RateLimiterVariant;
  /** More API keys of the same workspace: every key spends the one budget of the workspace. */
  extraApiKeys: string[];
};

export type RateLimiterVariant = "v1" | "v2";

/** What a test or the command line passes to start a sandbox; what is left out takes the sandbox's default. */
export type SandboxStartOptions = Partial<Omit<SandboxOptions, "apiKey">> & {
  apiKey: string;
  /** Injected 5xx answers are sent after the request was applied, like a response lost on the way back (default false: before any change). */
  faultsAfterWrite?: boolean;
};

/** What a sandbox's request pipeline runs with. */
export type SandboxServerOptions = Pick<
  SandboxOptions,
  "apiKey" | "extraApiKeys" | "rateLimit" | "rateWindowMs" | "rateLimiter" | "maxBatch" | "faults" | "faultSeed"
> & {
  faultsAfterWrite: boolean;
};

/** What each API brings: its published rate limit and its largest batch (reference of each system). */
export type SandboxDefaults = { rateLimit: number; maxBatch: number };

/** Fills in the defaults both sandboxes share; the rate limit and batch size are the API's own. */
export function serverOptionsFrom(options: SandboxStartOptions, defaults: SandboxDefaults): SandboxServerOptions {
  return {
    apiKey: options.apiKey,
    extraApiKeys: options.extraApiKeys ?? [],
    rateLimit: options.rateLimit ?? defaults.rateLimit,
    rateWindowMs: options.rateWindowMs ?? DEFAULT_RATE_WINDOW_MS,
    rateLimiter: options.rateLimiter ?? "v1",
    maxBatch: options.maxBatch ?? defaults.maxBatch,
    faults: options.faults ?? 0,
    faultSeed: options.faultSeed ?? 1,
    faultsAfterWrite: options.faultsAfterWrite ?? false,
  };
}

/** True when `token` is one of the workspace's keys. */
export function isWorkspaceKey(options: Pick<SandboxServerOptions, "apiKey" | "extraApiKeys">, token: string): boolean {
  return token === options.apiKey || options.extraApiKeys.includes(token);
}

const sandboxArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  apiKey: z.string().min(1, "--api-key is required"),
  rateLimit: z.coerce.number().int().min(0),
  rateWindowMs: z.coerce.number().int().min(100),
  faults: z.coerce.number().min(0).max(1),
  seed: z.enum(["empty", "sample"]),
  faultSeed: z.coerce.number().int(),
  maxBatch: z.coerce.number().int().min(1),
  rateLimiter: z.enum(["v1", "v2"]),
  extraApiKeys: z.array(z.string().min(1)),
});

/**
 * Parses `--port 4020 --api-key KEY [--extra-api-key KEY2 …] [--rate-limit N] [--rate-window-ms 60000]
 * [--rate-limiter v1|v2] [--max-batch N] [--faults 0.05] [--seed empty|sample]`.
 */
export function parseSandboxArgs(argv: string[], defaults: SandboxDefaults & { port: number }): SandboxOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      "api-key": { type: "string" },
      "rate-limit": { type: "string" },
      "rate-window-ms": { type: "string" },
      faults: { type: "string" },
      seed: { type: "string" },
      "fault-seed": { type: "string" },
      "max-batch": { type: "string" },
      "rate-limiter": { type: "string" },
      "extra-api-key": { type: "string", multiple: true },
    },
    allowPositionals: false,
  });
  const parsed = sandboxArgsSchema.safeParse({
    port: values.port ?? defaults.port,
    apiKey: values["api-key"] ?? "",
    rateLimit: values["rate-limit"] ?? defaults.rateLimit,
    rateWindowMs: values["rate-window-ms"] ?? DEFAULT_RATE_WINDOW_MS,
    faults: values.faults ?? 0,
    seed: values.seed ?? "empty",
    faultSeed: values["fault-seed"] ?? 1,
    maxBatch: values["max-batch"] ?? defaults.maxBatch,
    rateLimiter: values["rate-limiter"] ?? "v1",
    extraApiKeys: values["extra-api-key"] ?? [],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid sandbox option ${issue.path.join(".") || ""}: ${issue.message}`);
  }
  return parsed.data;
}

/** A small deterministic PRNG (mulberry32): the same faultSeed gives the same faults. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultDecision = "none" | "server_error" | "hang";

/** Decides per request whether to inject a fault; half of the faults are 5xx, half hang. */
export function createFaultInjector(share: number, seed: number): () => FaultDecision {
  const random = seededRandom(seed);
  return () => {
    if (share <= 0) return "none";
    const roll = random();
    if (roll >= share) return "none";
    return roll < share / 2 ? "server_error" : "hang";
  };
}

/** A fixed window counter, the way both reference APIs describe their limits. */
export class FixedWindowLimiter {
  private windowStartedAt = 0;
  private used = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from the window; returns what the rate-limit headers need. */
  take(): { allowed: boolean; remaining: number; resetMs: number } {
    const now = this.now();
    if (now - this.windowStartedAt >= this.windowMs) {
      this.windowStartedAt = now;
      this.used = 0;
    }
    const resetMs = this.windowStartedAt + this.windowMs - now;
    if (this.limit <= 0) return { allowed: true, remaining: Number.MAX_SAFE_INTEGER, resetMs };
    if (this.used >= this.limit) return { allowed: false, remaining: 0, resetMs };
    this.used += 1;
    return { allowed: true, remaining: this.limit - this.used, resetMs };
  }
}

export async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readJsonBody(request: http.IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = (await readBody(request)).toString("utf8");
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const payload = body === undefined ? "" : JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(payload);
}

/** A parsed, authenticated request as an API's handlers see it. */
export type SandboxRequest = {
  method: string;
  /** The URL path as received, for error messages. */
  path: string;
  /** Path segments after the API's prefix (each server says which). */
  segments: string[];
  params: URLSearchParams;
  /** Parsed JSON body; undefined when the body was empty. */
  body: unknown;
};

export type SandboxResponse = {
  status: number;
  /** JSON body; omitted for 204 and raw responses. */
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (file download, S3's XML). */
  raw?: { contentType: string; data: Uint8Array | string };
};

export function ok(body: unknown, status = 200): SandboxResponse {
  return { status, body };
}

export function sendResponse(response: http.ServerResponse, result: SandboxResponse) {
  if (result.raw) {
    response.writeHead(result.status, { "content-type": result.raw.contentType, ...result.headers });
    response.end(result.raw.data);
    return;
  }
  if (result.body === undefined) {
    response.writeHead(result.status, result.headers ?? {});
    response.end();
    return;
  }
  sendJson(response, result.status, result.body, result.headers);
}

/** An API error as a handler throws it; the pipeline answers with its status, body and headers. */
export abstract class SandboxHttpError extends Error {
  abstract readonly status: number;
  abstract readonly body: unknown;
  abstract readonly headers: Record<string, string>;
}

/** What every sandbox counts, for tests to read. */
export interface SandboxTraffic {
  /** HTTP requests received, including refused, throttled and faulted ones. */
  readonly requestCount: number;
  /** Faults injected so far: 5xx answers and requests left hanging. */
  readonly faultsInjected: { readonly serverError: number; readonly hang: number };
}

type TrafficCounters = { requestCount: number; readonly faultsInjected: { serverError: number; hang: number } };

/**
 * The pipeline every sandbox runs a request through: count it, maybe inject a fault, let the API
 * answer, and render what it throws as that API's error response.
 */
export function createSandboxListener(setup: {
  /** For the log line of an unexpected error. */
  name: string;
  options: Pick<SandboxServerOptions, "faults" | "faultSeed" | "faultsAfterWrite">;
  traffic: TrafficCounters;
  internalServerError: () => SandboxHttpError;
  answer: (request: http.IncomingMessage) => Promise<SandboxResponse>;
}): http.RequestListener {
  const nextFault = createFaultInjector(setup.options.faults, setup.options.faultSeed);
  const serverError = () => responseOf(setup.internalServerError());

  async function answerOrError(request: http.IncomingMessage): Promise<SandboxResponse> {
    try {
      return await setup.answer(request);
    } catch (error) {
      if (error instanceof SandboxHttpError) return responseOf(error);
      console.error(`${setup.name} sandbox: unexpected error`, error);
      return serverError();
    }
  }

  return async (request, response) => {
    setup.traffic.requestCount += 1;
    const fault = nextFault();
    // A hanging request is never answered; listen() destroys its socket on close().
    if (fault === "hang") {
      setup.traffic.faultsInjected.hang += 1;
      return;
    }
    if (fault === "server_error") {
      setup.traffic.faultsInjected.serverError += 1;
      // Faults strike before any state change unless faultsAfterWrite asks for a lost response.
      if (!setup.options.faultsAfterWrite) return sendResponse(response, serverError());
    }
    const result = await answerOrError(request);
    // faultsAfterWrite: the request above was applied, but the client only sees a 500.
    sendResponse(response, fault === "server_error" ? serverError() : result);
  };
}

function responseOf(error: SandboxHttpError): SandboxResponse {
  return { status: error.status, body: error.body, headers: error.headers };
}

export type RunningSandbox = { url: string; port: number; close(): Promise<void> };

/** Listens on 127.0.0.1; hanging requests are destroyed on close so tests never leak sockets. */
export async function listen(handler: http.RequestListener, port: number): Promise<RunningSandbox> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs a sandbox from the command line: prints its URL when ready, stops cleanly on SIGTERM/SIGINT. */
export async function runSandboxFromCommandLine(
  name: string,
  defaults: SandboxDefaults & { port: number },
  start: (options: SandboxOptions) => Promise<RunningSandbox>,
) {
  let options: SandboxOptions;
  try {
    options = parseSandboxArgs(process.argv.slice(2), defaults);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const sandbox = await start(options);
  console.log(
    `${name} sandbox listening on ${sandbox.url} (seed: ${options.seed}, rate limit: ${options.rateLimit ? `${options.rateLimit} per ${options.rateWindowMs / 1000} s (${options.rateLimiter})` : "off"}, max batch: ${options.maxBatch}, faults: ${options.faults})`,
  );
  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
