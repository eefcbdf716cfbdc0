// The progress endpoint as users reach it: a `next start` production server of this checkout
// (run `npm run build` first) on the benchmark's database, with a signed-in staff session cookie,
// polled over HTTP. JOB_RUNNER=inngest: a web server that runs no migrations itself (the hosted
// layout, README "Several servers"); the CLIs stand in for the workers.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import pg from "pg";
import type { Database } from "@/lib/db";
import { REPO_ROOT, stopChild } from "./processes";

const READY_TIMEOUT_MS = 120_000;
const APPLICATION_NAME = "ferry-bench-web";

export type ProgressServer = {
  pid: number;
  /** The server process and its children (Next may fork a worker). */
  pids(): number[];
  /** PostgreSQL backends serving the web server's connections. */
  backendPids(): Promise<number[]>;
  /** GET /api/runs/[runId]/progress?scope=staff; throws unless 200. */
  poll(runId: string): Promise<void>;
  stop(): Promise<void>;
};

function descendants(pid: number): number[] {
  const found = [pid];
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
      for (const child of children) found.push(...descendants(child));
    } catch {
      // the thread ended
    }
  }
  return found;
}

async function staffCookie(database: Database, secret: string): Promise<string> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const user = await database.user.create({
    data: { email: `bench-${suffix}@example.com`, name: "Bench staff", passwordHash: "-", isStaff: true, emailVerifiedAt: new Date() },
  });
  const organization = await database.organization.create({ data: { name: `Bench ${suffix}` } });
  await database.membership.create({ data: { userId: user.id, organizationId: organization.id, role: "admin" } });
  const token = await encode({ token: { sub: user.id, email: user.email, userId: user.id, sessionVersion: 0 }, secret });
  return `next-auth.session-token=${token}`;
}

async function waitUntilListening(child: ChildProcess, baseUrl: string): Promise<void> {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-5_000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-5_000)));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}): ${output}`);
    try {
      const response = await fetch(`${baseUrl}/sign-in`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`next start did not answer within ${READY_TIMEOUT_MS} ms: ${output}`);
}

export async function startProgressServer(options: { databaseUrl: string; database: Database; port: number }): Promise<ProgressServer> {
  if (!fs.existsSync(path.join(REPO_ROOT, ".next", "BUILD_ID")))
    throw new Error("No production build: run `npm run build` before the HTTP dashboard benchmark.");
  const secret = crypto.randomBytes(32).toString("base64url");
  const url = new URL(options.databaseUrl);
  url.searchParams.set("application_name", APPLICATION_NAME);
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const child = spawn(
    process.execPath,
    [path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(options.port), "-H", "127.0.0.1"],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: url.toString(),
        NEXTAUTH_SECRET: secret,
        NEXTAUTH_URL: baseUrl,
        ENCRYPTION_KEYS: `1:${crypto.randomBytes(32).toString("base64")}`,
        JOB_RUNNER: "inngest",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  try {
    await waitUntilListening(child, baseUrl);
  } catch (error) {
    await stopChild(child, "SIGKILL");
    throw error;
  }
  const cookie = await staffCookie(options.database, secret);
  const pid = child.pid!;
  return {
    pid,
    pids: () => descendants(pid),
    async backendPids() {
      const client = new pg.Client({ connectionString: options.databaseUrl });
      await client.connect();
      try {
        const result = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [APPLICATION_NAME]);
        return result.rows.map((row) => row.pid);
      } finally {
        await client.end();
      }
    },
    async poll(runId) {
      const response = await fetch(`${baseUrl}/api/runs/${encodeURIComponent(runId)}/progress?scope=staff`, { headers: { cookie } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`progress answered ${response.status}: ${body.slice(0, 200)}`);
    },
    stop: () => stopChild(child),
  };
}
