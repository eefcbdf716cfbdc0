// A run's status as a coloured badge, with words a customer understands.
import { Badge } from "./ui";

const STATUS: Record<string, { label: string; tone: "slate" | "green" | "amber" | "red" | "indigo" }> = {
  queued: { label: "Queued", tone: "slate" },
  running: { label: "Running", tone: "indigo" },
  paused: { label: "Paused", tone: "amber" },
  cancelling: { label: "Cancelling", tone: "amber" },
  cancelled: { label: "Cancelled", tone: "slate" },
  completed: { label: "Completed", tone: "green" },
  failed: { label: "Failed", tone: "red" },
  rolling_back: { label: "Rolling back", tone: "amber" },
  rolled_back: { label: "Rolled back", tone: "slate" },
};

export function RunStatusBadge({ status }: { status: string }) {
  const entry = STATUS[status] ?? { label: status, tone: "slate" as const };
  return <Badge tone={entry.tone}>{entry.label}</Badge>;
}

export const RUN_MODE_LABELS: Record<string, string> = { demo: "Demo", full: "Full run", delta: "Delta run", retry: "Retry of failed" };
