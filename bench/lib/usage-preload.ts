// Preloaded into the measured CLI process (`node --import tsx --import ./bench/lib/usage-preload.ts
// scripts/migrate.ts …`): on exit it writes this process's own CPU time and peak RSS to the file
// named by FERRY_BENCH_USAGE_FILE. Child processes (the CLI's `prisma migrate deploy`) and the
// sandboxes are not counted: the benchmark measures the CLI alone. The peaks of V8's heap (used
// and reserved) and of memory outside it (wasm, buffers) say what the RSS is made of.
import { writeFileSync } from "node:fs";

const USAGE_FILE = process.env.FERRY_BENCH_USAGE_FILE;
const startedAtMs = Date.now();
const MEMORY_SAMPLE_MS = 1_000;
const peaks = { heapUsedMb: 0, heapTotalMb: 0, externalMb: 0 };

if (USAGE_FILE) {
  const sample = () => {
    const memory = process.memoryUsage();
    peaks.heapUsedMb = Math.max(peaks.heapUsedMb, Math.round(memory.heapUsed / 2 ** 20));
    peaks.heapTotalMb = Math.max(peaks.heapTotalMb, Math.round(memory.heapTotal / 2 ** 20));
    peaks.externalMb = Math.max(peaks.externalMb, Math.round(memory.external / 2 ** 20));
  };
  setInterval(sample, MEMORY_SAMPLE_MS).unref();
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
        ...peaks,
      }),
    );
  });
}
