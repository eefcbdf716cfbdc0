// A run's status as a coloured badge, with words a customer understands; a completed run that
// failed records reads "Completed with N failures", never a green "Completed".
import { runOutcome } from "@/lib/runs/outcome";
import { useTranslations } from "next-intl";
import { Badge } from "./ui";

export function RunStatusBadge({ status, failed = 0 }: { status: string; failed?: number }) {
  const t = useTranslations("runStatus");
  const outcome = runOutcome(status, failed);
  const label =
    status === "completed" && failed > 0 ? t("completedWithFailures", { count: failed }) : t.has(status as "queued") ? t(status as "queued") : outcome.label;
  return <Badge tone={outcome.tone}>{label}</Badge>;
}

/** A run's mode in the reader's language ("Full run", "Exécution complète"). */
export function useRunModeLabel(): (mode: string) => string {
  const t = useTranslations("runMode");
  return (mode) => (t.has(mode as "full") ? t(mode as "full") : mode);
}
