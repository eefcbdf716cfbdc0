// Child processes of a benchmark: every one is tracked and stopped by its own pid when the
// benchmark ends (or is interrupted), so no sandbox or CLI outlives the suite.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..");
const STOP_GRACE_MS = 5_000;
const READY_TIMEOUT_MS = 60_000;

const children = new Set<ChildProcess>();

/** `node --import tsx …`: one process per child (no npx/npm wrapper), so its pid is the one measured and stopped. */
export function spawnTsx(
  args: string[],
  options: { env?: Record<string, string>; preload?: string[]; nodeFlags?: string[]; niceness?: number } = {},
): ChildProcess {
  const preload = (options.preload ?? []).flatMap((file) => ["--import", file]);
  const command = [process.execPath, ...(options.nodeFlags ?? []), "--import", "tsx", ...preload, ...args];
  // nice execs node: the pid stays the one measured, and every thread inherits the priority.
  const [file, ...rest] = options.niceness ? ["nice", "-n", String(options.niceness), ...command] : command;
  const child = spawn(file, rest, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

export type SandboxSystem = "twenty" | "teamwork-desk";
export type RunningSandbox = { system: SandboxSystem; url: string; apiKey: string; child: ChildProcess; stop(): Promise<void> };

export const SANDBOX_API_KEY = "bench-key";

/**
 * Starts a sandbox on a free loopback port (`--port 0`) and waits for its "listening on URL" line.
 * The limit is `rateLimit` requests per `windowMs` (0 = none).
 */
export async function startSandbox(
  system: SandboxSystem,
  rateLimit: number,
  options: { seed?: "empty" | "sample"; windowMs?: number; maxBatch?: number; rateLimiter?: "v1" | "v2"; niceness?: number } = {},
): Promise<RunningSandbox> {
  const extra = [
    ...(options.maxBatch ? ["--max-batch", String(options.maxBatch)] : []),
    ...(options.rateLimiter ? ["--rate-limiter", options.rateLimiter] : []),
  ];
  const child = spawnTsx(
    [
      `connectors/${system}/sandbox/cli.ts`,
      "--port",
      "0",
      "--api-key",
      SANDBOX_API_KEY,
      "--rate-limit",
      String(rateLimit),
      "--rate-window-ms",
      String(options.windowMs ?? 60_000),
      "--seed",
      options.seed ?? "empty",
      ...extra,
    ],
    { niceness: options.niceness },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${system} sandbox did not start within ${READY_TIMEOUT_MS} ms: ${output}`)), READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${system} sandbox exited (${code}) before listening: ${output}`));
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return { system, url, apiKey: SANDBOX_API_KEY, child, stop: () => stopChild(child) };
}
