// The benchmarks' PostgreSQL: DATABASE_URL's server when it is set, else an embedded PostgreSQL 17
// of their own under .data/bench-postgres (default, durable settings: what a user runs), started
// once per `npm run bench` and removed at the end. Every CLI run gets a fresh database on it.
import crypto from "node:crypto";
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
