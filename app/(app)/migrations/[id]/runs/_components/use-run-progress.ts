"use client";

// Polls GET /api/runs/[runId]/progress while the run is active (every PROGRESS_POLL_MS, within the
// 2 s the dashboard promises) and refreshes the server-rendered parts when the status changes.
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { RunProgressJson } from "@/lib/runs/progress";

const POLL_MS = 1_500;

export function useRunProgress(initial: RunProgressJson, options: { staff?: boolean } = {}): { progress: RunProgressJson; error: string | null } {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const lastStatus = useRef(initial.status);
  // A server refresh (after an action here, such as deleting the demo data) brings newer data than
  // this state holds, and may make an idle run active again: start from it.
  const [serverData, setServerData] = useState(initial);
  if (initial !== serverData) {
    setServerData(initial);
    setProgress(initial);
  }
  const active = progress.active;
  const runId = initial.runId;
  const staff = options.staff ?? false;

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const url = `/api/runs/${encodeURIComponent(runId)}/progress${staff ? "?scope=staff" : ""}`;
    async function poll() {
      try {
        const response = await fetch(url, { cache: "no-store" });
        if (!response.ok)
          throw new Error(response.status === 404 ? "This run is no longer visible to you." : `Progress could not be loaded (${response.status}).`);
        const next = (await response.json()) as RunProgressJson;
        if (stopped) return;
        setProgress(next);
        setError(null);
        if (next.status !== lastStatus.current) {
          lastStatus.current = next.status;
          router.refresh();
        }
      } catch (caught) {
        if (!stopped) setError(caught instanceof Error ? caught.message : "Progress could not be loaded.");
      }
    }
    const timer = setInterval(poll, POLL_MS);
    void poll();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [active, runId, staff, router]);

  return { progress, error };
}
