"use client";

import { useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle, CheckCircle2, ExternalLink, Loader2, Wrench, XCircle } from "lucide-react";
import { applyFixAction, checkPrerequisitesAction, setConfirmationAction } from "@/app/actions/wizard-actions";
import { Alert, Badge, Button, Card } from "@/app/_components/ui";
import type { AutomatedCheck, PrerequisiteReport } from "@/connectors/types";
import { useLocale, useTranslations } from "next-intl";
import { formatDateTime } from "@/lib/format-date";
import { useConnectorText } from "@/app/_components/connector-text";

const STATUS = {
  pass: { tone: "green", icon: CheckCircle2, color: "text-emerald-600" },
  warn: { tone: "amber", icon: AlertTriangle, color: "text-amber-600" },
  fail: { tone: "red", icon: XCircle, color: "text-red-600" },
} as const;

export function PrerequisitesView(props: {
  migrationId: string;
  targetName: string;
  /** What each fix the target offers changes, by fix id (its connector's FixDeclaration.effect, in English). */
  fixEffects: Record<string, string>;
  targetSystemId: string;
  checkedAt: string | null;
  report: PrerequisiteReport | null;
  confirmations: Record<string, string>;
}) {
  const { migrationId, report } = props;
  const t = useTranslations("prerequisites");
  const locale = useLocale();
  const wording = useConnectorText(props.targetSystemId);
  const checkTitle = (check: AutomatedCheck) => wording.checks?.[check.id]?.title ?? check.title;
  const router = useRouter();
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [fixing, setFixing] = useState<AutomatedCheck | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  function recheck() {
    setNotice(null);
    startTransition(async () => {
      const result = await checkPrerequisitesAction(migrationId);
      setNotice(result.ok ? { tone: "success", text: result.message ?? t("checked") } : { tone: "error", text: result.error });
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
              text: t("fixDone", { fix: check.fix!.label, count: result.data?.changed.length ?? 0 }),
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
        <Alert tone="error">{t("blocked", { checks: blocking.map((check) => `“${checkTitle(check)}”`).join(", "), count: blocking.length })}</Alert>
      ) : null}
      <Card
        title={t("automated")}
        description={props.checkedAt ? t("lastChecked", { date: formatDateTime(props.checkedAt, locale) }) : t("notChecked", { target: props.targetName })}
        actions={
          <Button onClick={recheck} disabled={pending}>
            {pending ? <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> : null}
            {report ? t("recheck") : t("check")}
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
                        {checkTitle(check)}
                        <Badge tone={status.tone}>{t(`status.${check.status}`)}</Badge>
                        {check.blocking && check.status === "fail" ? <Badge tone="red">{t("blocks")}</Badge> : null}
                      </div>
                      {/* Evidence is still written in English by the connectors (lang marks it for readers and tests). */}
                      <ul lang="en" className="mt-1 space-y-0.5 text-xs text-slate-600">
                        {check.evidence.map((line) => (
                          <li key={line}>{line}</li>
                        ))}
                      </ul>
                    </div>
                  </div>
                  {check.fix && check.status !== "pass" ? (
                    <Button variant="secondary" className="shrink-0" disabled={pending} onClick={() => askFix(check)}>
                      <Wrench aria-hidden className="h-3.5 w-3.5" />
                      <span lang="en">{check.fix.label}</span>
                    </Button>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">{t("runChecks")}</p>
        )}
      </Card>
      {report && report.confirmations.length > 0 ? (
        <Card title={t("yourPart")} description={unconfirmed.length > 0 ? t("toConfirm", { count: unconfirmed.length }) : t("allConfirmed")}>
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
                  <span>{t("done", { title: wording.confirmations?.[confirmation.id]?.title ?? confirmation.title })}</span>
                </label>
                <ol className="mt-2 list-decimal space-y-1 pl-10 text-xs text-slate-600">
                  {(wording.confirmations?.[confirmation.id]?.steps ?? confirmation.steps).map((step) => (
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
                    {t("openIn", { target: props.targetName })} <ExternalLink aria-hidden className="h-3 w-3" />
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
              {t.rich("fixQuestion", { fix: fixing.fix.label, en: (chunks) => <span lang="en">{chunks}</span> })}
            </h2>
            <p className="text-sm text-slate-700">
              {wording.fixEffects?.[fixing.fix.id] ??
                props.fixEffects[fixing.fix.id] ??
                t("fixEffectOther", { target: props.targetName, check: checkTitle(fixing) })}
            </p>
            <ul lang="en" className="list-disc space-y-0.5 pl-5 text-xs text-slate-600">
              {fixing.evidence.slice(0, 6).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <div className="flex justify-end gap-2 pt-2">
              <Button variant="secondary" onClick={() => dialog.current?.close()}>
                {t("cancel")}
              </Button>
              <Button onClick={applyFix}>{t("apply")}</Button>
            </div>
          </div>
        ) : null}
      </dialog>
    </div>
  );
}
