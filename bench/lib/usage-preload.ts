// Preloaded into the measured CLI process (`node --import tsx --import ./bench/lib/usage-preload.ts
// scripts/migrate.ts …`): on exit it writes this process's own CPU time and peak RSS to the file
// named by FERRY_BENCH_USAGE_FILE. Child processes (the CLI's `prisma migrate deploy`) and the
// sandboxes are not counted: the benchmark measures the CLI alone.
import { writeFileSync } from "node:fs";

const USAGE_FILE = process.env.FERRY_BENCH_USAGE_FILE;
const startedAtMs = Date.now();

if (USAGE_FILE) {
  process.once("exit", (code) => {
    const usage = process.resourceUsage();
    writeFileSync(
      USAGE_FILE,
      JSON.stringify({
        exitCode: code,
        wallMs: Date.now() - startedAtMs,
        userCpuMs: usage.userCPUTime / 1_000,
        systemCpuMs: usage.systemCPUTime / 1_000,
        maxRssKb: usage.maxRSS,
      }),
    );
  });
}
