// Child processes for engine tests. The worker is bundled once with esbuild (packages stay
// external) so each restart starts in well under a second instead of compiling TypeScript again.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const WORKER_ENTRY = path.join(ROOT, "tests", "helpers", "engine-worker.ts");

/** Bundles a worker (default tests/helpers/engine-worker.ts) into the test run's folder and returns the file. */
export async function bundleWorker(entry = WORKER_ENTRY): Promise<string> {
  const directory = process.env.FERRY_TEST_DB_DIR ?? path.join(ROOT, ".data", "test");
  fs.mkdirSync(directory, { recursive: true });
  // Inside the repository, so bare imports resolve from node_modules.
  const outfile = path.join(directory, `engine-worker-${crypto.randomUUID().slice(0, 8)}.mjs`);
  const { build } = await import("esbuild");
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    alias: { "@": ROOT },
    outfile,
    logLevel: "warning",
  });
  return outfile;
}
