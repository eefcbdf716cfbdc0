// A run's status as a coloured badge, with words a customer understands; a completed run that
// failed records reads "Completed with N failures", never a green "Completed".
import { runOutcome } from "@/lib/runs/outcome";
import { Badge } from "./ui";

export function RunStatusBadge({ status, failed = 0 }: { status: string; failed?: number }) {
  const outcome = runOutcome(status, failed);
  return <Badge tone={outcome.tone}>{outcome.label}</Badge>;
}

export const RUN_MODE_LABELS: Record<string, string> = { demo: "Demo", full: "Full run", delta: "Delta run", retry: "Retry of failed" };
