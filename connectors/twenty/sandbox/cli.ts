// `tsx connectors/twenty/sandbox/cli.ts --port 4020 --api-key KEY [--rate-limit N] [--rate-window-ms 60000] [--rate-limiter v1|v2] [--max-batch 60|200] [--extra-api-key KEY2] [--faults 0.05] [--seed empty|sample]`
import { runSandboxFromCommandLine } from "@/connectors/shared/sandbox-kit";
import { startTwentySandbox } from "./index";

await runSandboxFromCommandLine("Twenty", { port: 4020, rateLimit: 100, maxBatch: 200 }, (options) => startTwentySandbox(options));
