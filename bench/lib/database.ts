// The benchmarks' PostgreSQL: DATABASE_URL's server when it is set, else an embedded PostgreSQL 17
// of their own under .data/bench-postgres (default, durable settings: what a user runs), started
// once per `npm run bench` and removed at the end. Every CLI run gets a fresh database on it.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedCluster } from "@/lib/embedded-postgres";

let server: Promise<{ baseUrl: string; cluster: EmbeddedCluster | null }> | null = null;

function benchServer() {
  server ??= (async () => {
    const configured = process.env.DATABASE_URL?.trim();
    if (configured) return { baseUrl: configured, cluster: null };
    const cluster = await startEmbeddedPostgres({ directory: path.join(".data", "bench-postgres"), temporary: true });
    return { baseUrl: cluster.url, cluster };
  })();
  return server;
}

async function onServer(baseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database for one benchmark; `drop` removes it. */
export async function createBenchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { baseUrl } = await benchServer();
  const name = `bench_${crypto.randomUUID().replaceAll("-", "")}`;
  await onServer(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function stopBenchServer(): Promise<void> {
  if (!server) return;
  const { cluster } = await server;
  await cluster?.stop();
  server = null;
}

/**
 * CPU seconds the embedded server has used so far: the postmaster and every backend that has
 * exited (a CLI's connections close when it exits), from /proc. Null with DATABASE_URL set.
 */
export async function serverCpuSeconds(): Promise<number | null> {
  const { cluster } = await benchServer();
  if (!cluster) return null;
  try {
    const pid = fs.readFileSync(`${cluster.directory}/postmaster.pid`, "utf8").split("\n")[0];
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime, stime, cutime, cstime: fields 14–17 of stat, 12–15 after the command name.
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
    return ticks / 100;
  } catch {
    return null;
  }
}
