"use client";

import { useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle, CheckCircle2, ExternalLink, Loader2, Wrench, XCircle } from "lucide-react";
import { applyFixAction, checkPrerequisitesAction, setConfirmationAction } from "@/app/actions/wizard-actions";
import { Alert, Badge, Button, Card } from "@/app/_components/ui";
import type { AutomatedCheck, PrerequisiteReport } from "@/connectors/types";
import { formatDateTime } from "@/lib/format-date";

const STATUS = {
  pass: { tone: "green", label: "pass", icon: CheckCircle2, color: "text-emerald-600" },
  warn: { tone: "amber", label: "warning", icon: AlertTriangle, color: "text-amber-600" },
  fail: { tone: "red", label: "fail", icon: XCircle, color: "text-red-600" },
} as const;

export function PrerequisitesView(props: {
  migrationId: string;
  targetName: string;
  /** What each fix the target offers changes, by fix id (its connector's FixDeclaration.effect). */
  fixEffects: Record<string, string>;
  checkedAt: string | null;
  report: PrerequisiteReport | null;
  confirmations: Record<string, string>;
}) {
  const { migrationId, report } = props;
  const router = useRouter();
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [fixing, setFixing] = useState<AutomatedCheck | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  function recheck() {
    setNotice(null);
    startTransition(async () => {
      const result = await checkPrerequisitesAction(migrationId);
      setNotice(result.ok ? { tone: "success", text: result.message ?? "Checked." } : { tone: "error", text: result.error });
      router.refresh();
    });
  }

  function askFix(check: AutomatedCheck) {
    setFixing(check);
    dialog.current?.showModal();
  }

  function applyFix() {
    const check = fixing;
    dialog.current?.close();
    if (!check?.fix) return;
    startTransition(async () => {
      const result = await applyFixAction({ migrationId, fixId: check.fix!.id });
      setNotice(
        result.ok
          ? {
              tone: "success",
              text: `${check.fix!.label}: done (${result.data?.changed.length ?? 0} change${result.data?.changed.length === 1 ? "" : "s"}). Checked again below.`,
            }
          : { tone: "error", text: result.error },
      );
      router.refresh();
    });
  }

  const blocking = report?.checks.filter((check) => check.blocking && check.status === "fail") ?? [];
  const unconfirmed = report?.confirmations.filter((confirmation) => !props.confirmations[confirmation.id]) ?? [];

  return (
    <div className="space-y-5">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {report && blocking.length > 0 ? (
        <Alert tone="error">
          The full run cannot start until {blocking.map((check) => `“${check.title}”`).join(", ")} {blocking.length === 1 ? "passes" : "pass"}. Fix{" "}
          {blocking.length === 1 ? "it" : "them"} below, then re-check.
        </Alert>
      ) : null}
      <Card
        title="Automated checks"
        description={
          props.checkedAt
            ? `Last checked ${formatDateTime(props.checkedAt)}.`
            : `Not checked yet: Ferry reads ${props.targetName}'s settings, it changes nothing.`
        }
        actions={
          <Button onClick={recheck} disabled={pending}>
            {pending ? <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> : null}
            {report ? "Re-check" : "Check the target"}
          </Button>
        }
      >
        {report ? (
          <ul className="divide-y divide-slate-100">
            {report.checks.map((check) => {
              const status = STATUS[check.status];
              const Icon = status.icon;
              return (
                <li key={check.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between">
                  <div className="flex min-w-0 gap-2">
                    <Icon aria-hidden className={`mt-0.5 h-4 w-4 shrink-0 ${status.color}`} />
                    <div className="min-w-0">
                      <div className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
                        {check.title}
                        <Badge tone={status.tone}>{status.label}</Badge>
                        {check.blocking && check.status === "fail" ? <Badge tone="red">blocks the full run</Badge> : null}
                      </div>
                      <ul className="mt-1 space-y-0.5 text-xs text-slate-600">
                        {check.evidence.map((line) => (
                          <li key={line}>{line}</li>
                        ))}
                      </ul>
                    </div>
                  </div>
                  {check.fix && check.status !== "pass" ? (
                    <Button variant="secondary" className="shrink-0" disabled={pending} onClick={() => askFix(check)}>
                      <Wrench aria-hidden className="h-3.5 w-3.5" />
                      {check.fix.label}
                    </Button>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">Run the checks to see what the target needs.</p>
        )}
      </Card>
      {report && report.confirmations.length > 0 ? (
        <Card
          title="Your part"
          description={
            unconfirmed.length > 0
              ? `${unconfirmed.length} step(s) to confirm before the full run. Ferry cannot check these through the API.`
              : "All confirmed."
          }
        >
          <ul className="space-y-4">
            {report.confirmations.map((confirmation) => (
              <li key={confirmation.id} className="rounded-md border border-slate-200 p-3">
                <label className="flex items-start gap-2 text-sm font-medium text-slate-900">
                  <input
                    type="checkbox"
                    className="mt-0.5 h-4 w-4 accent-indigo-600"
                    checked={!!props.confirmations[confirmation.id]}
                    disabled={pending}
                    onChange={(event) =>
                      startTransition(async () => {
                        const result = await setConfirmationAction({ migrationId, confirmationId: confirmation.id, confirmed: event.target.checked });
                        if (!result.ok) setNotice({ tone: "error", text: result.error });
                        router.refresh();
                      })
                    }
                  />
                  <span>I have done this: {confirmation.title}</span>
                </label>
                <ol className="mt-2 list-decimal space-y-1 pl-10 text-xs text-slate-600">
                  {confirmation.steps.map((step) => (
                    <li key={step}>{step}</li>
                  ))}
                </ol>
                {confirmation.link ? (
                  <a
                    href={confirmation.link}
                    target="_blank"
                    rel="noreferrer"
                    className="mt-2 ml-6 inline-flex items-center gap-1 text-xs font-medium text-indigo-700 hover:underline"
                  >
                    Open in {props.targetName} <ExternalLink aria-hidden className="h-3 w-3" />
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <dialog ref={dialog} aria-labelledby="fix-title" className="m-auto w-full max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        {fixing?.fix ? (
          <div className="space-y-3 p-5">
            <h2 id="fix-title" className="text-base font-semibold text-slate-900">
              {fixing.fix.label}?
            </h2>
            <p className="text-sm text-slate-700">
              {props.fixEffects[fixing.fix.id] ?? `Ferry changes ${props.targetName} through its API to fix “${fixing.title}”.`}
            </p>
            <ul className="list-disc space-y-0.5 pl-5 text-xs text-slate-600">
              {fixing.evidence.slice(0, 6).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <div className="flex justify-end gap-2 pt-2">
              <Button variant="secondary" onClick={() => dialog.current?.close()}>
                Cancel
              </Button>
              <Button onClick={applyFix}>Apply the fix</Button>
            </div>
          </div>
        ) : null}
      </dialog>
    </div>
  );
}
