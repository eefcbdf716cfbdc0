// Next.js calls register() once when a server starts (node_modules/next/dist/docs/01-app/02-guides/instrumentation.md).
// The import sits inside the NEXT_RUNTIME check so the edge bundle never includes the runner.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Rate limits need each request's TCP peer, which Next.js does not pass on (lib/auth/client-address.ts).
    const { stampConnectionAddresses } = await import("./lib/auth/client-address");
    stampConnectionAddresses();
    // `next build` loads the server to prerender pages: no background loop there.
    if (process.env.NEXT_PHASE === "phase-production-build") return;
    const { startRunnerWithServer } = await import("./lib/jobs/start-with-server");
    startRunnerWithServer();
    // Whatever the job runner: mails are delivered and stalled runs reported from the server process.
    const [{ startNotificationWorker }, { db }] = await Promise.all([import("./lib/notifications/worker"), import("./lib/db")]);
    startNotificationWorker({ database: db() });
  }
}
