// The Inngest endpoint: an explicit 404 with the embedded runner, Inngest's own handler otherwise;
// and the instrumentation hook that starts the embedded runner with the server.
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { generateKey } from "@/lib/crypto";
import { reloadEnvironment } from "@/lib/env";

const VARIABLES = [
  "JOB_RUNNER",
  "INNGEST_DEV",
  "INNGEST_SIGNING_KEY",
  "INNGEST_EVENT_KEY",
  "NEXTAUTH_SECRET",
  "ENCRYPTION_KEYS",
  "NEXT_RUNTIME",
  "NEXT_PHASE",
] as const;
let saved: Record<string, string | undefined>;

beforeEach(() => {
  saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of VARIABLES) delete process.env[name];
  process.env.NEXTAUTH_SECRET = "x".repeat(40);
  process.env.ENCRYPTION_KEYS = `1:${generateKey()}`;
  reloadEnvironment();
  vi.resetModules();
});
afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  reloadEnvironment();
  vi.doUnmock("@/lib/jobs/start-with-server");
});

async function route() {
  return import("@/app/api/inngest/route");
}

const request = (method: string) => new NextRequest("http://localhost:3000/api/inngest", { method });

describe("/api/inngest", () => {
  it("answers 404 with an explanation when the embedded runner is in use", async () => {
    const { GET, POST, PUT } = await route();
    for (const [handler, method] of [
      [GET, "GET"],
      [POST, "POST"],
      [PUT, "PUT"],
    ] as const) {
      const response = await handler(request(method), {});
      expect(response.status).toBe(404);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe("inngest_not_enabled");
      expect(body.message).toMatch(/embedded runner/);
      expect(body.message).toMatch(/JOB_RUNNER=inngest/);
    }
  });

  it("serves Inngest's handler when JOB_RUNNER is inngest (Dev Server mode)", async () => {
    process.env.JOB_RUNNER = "inngest";
    process.env.INNGEST_DEV = "1";
    reloadEnvironment();
    const { GET } = await route();
    const response = await GET(request("GET"), {});
    expect(response.status).toBe(200);
    const body = (await response.json()) as { function_count?: number; mode?: string };
    // run-migration, finish-cancelled-run, sweep-stalled-runs, resume-after-outage, sync-schedule.
    expect(body.function_count).toBe(5);
    expect(body.mode).toBe("dev");
  });
});

describe("instrumentation register()", () => {
  async function registerWith(environment: Record<string, string>) {
    Object.assign(process.env, environment);
    reloadEnvironment();
    const start = vi.fn(() => null);
    vi.doMock("@/lib/jobs/start-with-server", () => ({ startRunnerWithServer: start }));
    const { register } = await import("@/instrumentation");
    await register();
    return start;
  }

  it("starts the runner in the Node.js runtime", async () => {
    expect(await registerWith({ NEXT_RUNTIME: "nodejs" })).toHaveBeenCalledTimes(1);
  });

  it("does nothing in the edge runtime or during next build", async () => {
    expect(await registerWith({ NEXT_RUNTIME: "edge" })).not.toHaveBeenCalled();
    vi.resetModules();
    expect(await registerWith({ NEXT_RUNTIME: "nodejs", NEXT_PHASE: "phase-production-build" })).not.toHaveBeenCalled();
  });
});

describe("startRunnerWithServer()", () => {
  it("starts one embedded loop only when env().jobRunner is embedded", async () => {
    process.env.JOB_RUNNER = "inngest";
    reloadEnvironment();
    const { startRunnerWithServer } = await import("@/lib/jobs/start-with-server");
    expect(startRunnerWithServer()).toBeNull();

    process.env.NEXT_PHASE = "phase-production-build";
    process.env.JOB_RUNNER = "embedded";
    reloadEnvironment();
    expect(startRunnerWithServer()).toBeNull();
  });
});
