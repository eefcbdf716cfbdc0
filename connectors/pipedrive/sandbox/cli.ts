// `tsx connectors/pipedrive/sandbox/cli.ts --port 4030 --api-token TOKEN [--rate-limit N] [--rate-window-ms 2000] [--faults 0.05] [--seed empty|sample]`
// (--api-key is accepted as another name for --api-token, like the other sandboxes).
import { runSandboxFromCommandLine } from "@/connectors/shared/sandbox-kit";
import { DEFAULT_RATE_LIMIT, RATE_WINDOW_MS, startPipedriveSandbox } from "./index";

const argv = process.argv
  .slice(2)
  .map((arg) => (arg === "--api-token" ? "--api-key" : arg.startsWith("--api-token=") ? arg.replace("--api-token=", "--api-key=") : arg));
// §4.2: Pipedrive's window is 2 seconds, not the shared default of a minute.
if (!argv.some((arg) => arg.startsWith("--rate-window-ms"))) argv.push("--rate-window-ms", String(RATE_WINDOW_MS));
process.argv.splice(2, process.argv.length - 2, ...argv);

await runSandboxFromCommandLine("Pipedrive", { port: 4030, rateLimit: DEFAULT_RATE_LIMIT, maxBatch: 1 }, (options) => startPipedriveSandbox(options));
