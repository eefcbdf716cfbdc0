// How a run's end reads for a user: a run that failed records never reads "Completed" in green,
// and every failure code says what to do next. Shared by the dashboard, the run list and the CLI.

export type OutcomeTone = "slate" | "green" | "amber" | "red" | "indigo";

const STATUS: Record<string, { label: string; tone: OutcomeTone }> = {
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

/** "Completed with 12 failures" (amber) for a completed run that failed records; the status's own words otherwise. */
export function runOutcome(status: string, failedRecords = 0): { label: string; tone: OutcomeTone } {
  if (status === "completed" && failedRecords > 0)
    return { label: `Completed with ${failedRecords.toLocaleString("en")} failure${failedRecords === 1 ? "" : "s"}`, tone: "amber" };
  return STATUS[status] ?? { label: status, tone: "slate" };
}

const RETRY = "then Retry failed records";

/** What the user does about a failed record, by its error code. */
export function nextStepFor(code: string | null): string {
  switch (code) {
    case "VALIDATION":
      return `Fix the value in the source, or set the field's policy to "Repair" or "Drop value" in the mapping (or apply the audit's fix), ${RETRY}.`;
    case "MISSING_REQUIRED":
      return `Give the mapping a default value for the required field (Mapping step), ${RETRY}.`;
    case "BROKEN_RELATION":
      return `Fix why the linked record failed (its own row says why), ${RETRY}: this record is written once that one lands.`;
    case "CONFLICT":
      return `Set the duplicate policy to skip or update (Objects step), or remove the duplicate in the target, ${RETRY}.`;
    case "NOT_FOUND":
      return "Retry failed records: the record is created again in the target.";
    case "PERMISSION_DENIED":
      return `Give the target key permission to write this object, ${RETRY}.`;
    default:
      return "Retry failed records; if it fails again with the same reason, send this row to support.";
  }
}
