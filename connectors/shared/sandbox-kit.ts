// Shared plumbing for the API sandboxes (connectors/*/sandbox): an HTTP server on loopback,
// the command line every sandbox accepts, fault injection and a clean stop on SIGTERM.
// What each API answers (paths, envelopes, error bodies, rate-limit headers) stays in the
// system's own sandbox folder, written from docs/reference/<system>-api.md.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { z } from "zod";

export const DEFAULT_RATE_WINDOW_MS = 60_000;

export type SandboxSeed = "empty" | "sample";

export type SandboxOptions = {
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
};

const sandboxArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  apiKey: z.string().min(1, "--api-key is required"),
  rateLimit: z.coerce.number().int().min(0),
  rateWindowMs: z.coerce.number().int().min(100),
  faults: z.coerce.number().min(0).max(1),
  seed: z.enum(["empty", "sample"]),
  faultSeed: z.coerce.number().int(),
});

/** Parses `--port 4020 --api-key KEY [--rate-limit N] [--rate-window-ms 60000] [--faults 0.05] [--seed empty|sample]`. */
export function parseSandboxArgs(argv: string[], defaults: { port: number; rateLimit: number }): SandboxOptions {
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

export async function readJsonBody(request: http.IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
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
  defaults: { port: number; rateLimit: number },
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
  console.log(`${name} sandbox listening on ${sandbox.url} (seed: ${options.seed}, rate limit: ${options.rateLimit ? `${options.rateLimit} per ${options.rateWindowMs / 1000} s` : "off"}, faults: ${options.faults})`);
  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
