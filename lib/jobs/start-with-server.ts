// Starts the embedded runner with the Next.js server (instrumentation.ts): Node.js runtime only,
// only when env().jobRunner is "embedded", and never while `next build` prerenders pages.
import { shareApiBudgetsThrough } from "@/lib/api-budget";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { startEmbeddedRunner, type EmbeddedRunner } from "./embedded-runner";

export function startRunnerWithServer(): EmbeddedRunner | null {
  if (process.env.NEXT_PHASE === "phase-production-build") return null;
  if (env().jobRunner !== "embedded") return null;
  // The singleton guard in startEmbeddedRunner keeps dev-server reloads from starting a second loop.
  // No signal handlers: Next owns SIGTERM; if the process dies mid-slice, the lease expires and
  // the next server (or another instance on the same database) takes the run over.
  // Several servers may run on one database: they spend each target's budget together.
  shareApiBudgetsThrough(db());
  const runner = startEmbeddedRunner({ database: db() });
  console.info(`[ferry] embedded job runner started (${runner.ownerId})`);
  return runner;
}
