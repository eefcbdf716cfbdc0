// `tsx connectors/teamwork-desk/sandbox/cli.ts --port 4010 --api-key KEY [--rate-limit N]
// [--faults 0.05] [--fault-seed 1] [--seed empty|sample]`: prints its URL when ready, stops
// cleanly on SIGTERM/SIGINT.
import { runSandboxFromCommandLine } from "@/connectors/shared/sandbox-kit";
import { startTeamworkDeskSandbox } from "./index";

await runSandboxFromCommandLine("Teamwork Desk", { port: 4010, rateLimit: 120, maxBatch: 100 }, (options) => startTeamworkDeskSandbox(options));
