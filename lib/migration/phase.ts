// What a run is doing right now, as data (for the dashboard poll and the CLI) and as one
// sentence. Pure and free of server imports: the dashboard renders it in the browser, with the
// viewer's clock format.

export const PHASE_KINDS = [
  "queued",
  "preparing",
  "reading",
  "writing",
  "waiting_rate_limit",
  "waiting_retry",
  "verifying",
  "paused",
  "cancelling",
  "rolling_back",
  "finished",
] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];

export type RunPhase = {
  kind: PhaseKind;
  /** When this phase began (ISO), when known. */
  since: string | null;
  /** Waits only: when the run goes on (ISO). */
  until: string | null;
  /** The system concerned: the source for reading, the target for writing, whose limit for a wait. */
  system: string | null;
  /** The object being read or written. */
  objectType: string | null;
  /** Reading or writing at the pace a system's rate limit allows (it made the run wait moments ago). */
  pacedBy?: string | null;
};

/** A rate-limit wait that ended this recently still paces the run: the next one is coming. */
export const PACED_RECENT_MS = 15_000;

export type PhaseInput = {
  status: string;
  phase: string | null;
  phaseAt: Date | null;
  waitingUntil: Date | null;
  waitingFor: string | null;
  retryAt: Date | null;
  sourceName: string;
  targetName: string;
  currentObject: string | null;
};

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The run's phase from its row; a wait counts only while it lies in the future. */
export function runPhase(input: PhaseInput, now: Date): RunPhase {
  const base = { since: null, until: null, system: null, objectType: null };
  if (input.status === "queued") return { ...base, kind: "queued" };
  if (input.status === "paused") return { ...base, kind: "paused" };
  if (input.status === "cancelling") return { ...base, kind: "cancelling" };
  if (input.status === "rolling_back") return { ...base, kind: "rolling_back" };
  if (input.status !== "running") return { ...base, kind: "finished" };
  if (input.retryAt && input.retryAt > now) return { ...base, kind: "waiting_retry", until: iso(input.retryAt) };
  const waiting = input.waitingUntil !== null && input.waitingUntil > now;
  if (input.phase === "verifying")
    return {
      ...base,
      kind: "verifying",
      since: iso(input.phaseAt),
      system: input.targetName,
      ...(waiting ? { until: iso(input.waitingUntil), pacedBy: input.waitingFor } : {}),
    };
  if (waiting) return { ...base, kind: "waiting_rate_limit", until: iso(input.waitingUntil), system: input.waitingFor, objectType: input.currentObject };
  const paced = input.waitingUntil !== null && now.getTime() - input.waitingUntil.getTime() < PACED_RECENT_MS ? input.waitingFor : null;
  if (input.phase === "writing")
    return { ...base, kind: "writing", since: iso(input.phaseAt), system: input.targetName, objectType: input.currentObject, pacedBy: paced };
  if (input.phase === "reading")
    return { ...base, kind: "reading", since: iso(input.phaseAt), system: input.sourceName, objectType: input.currentObject, pacedBy: paced };
  return { ...base, kind: "preparing", since: iso(input.phaseAt), system: input.sourceName };
}

/** One sentence for the phase; `time` formats an ISO instant as a clock time for the reader. */
export function describePhase(phase: RunPhase, time: (iso: string) => string): string {
  const object = phase.objectType ?? "records";
  const at = (value: string | null) => (value ? time(value) : "a moment");
  const paced = phase.pacedBy ? ` At the pace ${phase.pacedBy}'s rate limit allows.` : "";
  switch (phase.kind) {
    case "queued":
      return "Queued: starts as soon as a worker is free.";
    case "preparing":
      return `Preparing: counting the records to migrate in ${phase.system ?? "the source"}.`;
    case "reading":
      return `Reading ${object} from ${phase.system ?? "the source"} and checking what already exists in the target.${paced}`;
    case "writing":
      return `Writing ${object} to ${phase.system ?? "the target"}.${paced}`;
    case "waiting_rate_limit":
      return `Waiting for ${phase.system ? `${phase.system}'s` : "the"} rate limit until ${at(phase.until)}; nothing is wrong, the run goes on by itself.`;
    case "waiting_retry":
      return `Waiting after a temporary problem; writing resumes at ${at(phase.until)}.`;
    case "verifying":
      return `Verifying: reading ${phase.system ?? "the target"} back to compare it with what was written.${phase.until && phase.pacedBy ? ` Waiting for ${phase.pacedBy}'s rate limit until ${at(phase.until)}.` : ""}`;
    case "paused":
      return "Paused.";
    case "cancelling":
      return "Cancelling: the batch being written is finished and saved, then the run stops.";
    case "rolling_back":
      return "Rolling back: deleting what the run created.";
    case "finished":
      return "Finished.";
  }
}
