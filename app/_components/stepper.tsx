"use client";

// The wizard's steps as a list of links (aria-current on the open one) and the Back / Next bar.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Check, ChevronLeft, ChevronRight, Lock } from "lucide-react";
import { useTranslations } from "next-intl";
import { cx } from "./ui";

export type StepperStep = { step: string; label: string; href: string; ready: boolean; reason?: string; done: boolean };

/** The step's name in the reader's language (lib/wizard names the steps in English for logs). */
function stepLabel(t: ReturnType<typeof useTranslations<"wizard">>, step: StepperStep): string {
  const key = `steps.${step.step}` as "steps.source";
  return t.has(key) ? t(key) : step.label;
}

function currentIndex(steps: StepperStep[], pathname: string): number {
  return steps.findIndex((step) => pathname === step.href || pathname.startsWith(`${step.href}/`));
}

export function Stepper({ steps }: { steps: StepperStep[] }) {
  const t = useTranslations("wizard");
  const pathname = usePathname();
  const current = currentIndex(steps, pathname);
  return (
    <nav aria-label={t("stepsLabel")} className="mb-6">
      <ol className="grid grid-cols-4 gap-1.5 lg:grid-cols-8">
        {steps.map((step, index) => {
          const isCurrent = index === current;
          const body = (
            <>
              <span
                aria-hidden
                className={cx(
                  "flex h-5 w-5 shrink-0 items-center justify-center rounded-full text-[11px] font-semibold",
                  step.done
                    ? "bg-emerald-600 text-white"
                    : isCurrent
                      ? "bg-indigo-600 text-white"
                      : step.ready
                        ? "bg-slate-200 text-slate-700"
                        : "bg-slate-100 text-slate-400",
                )}
              >
                {step.done ? <Check className="h-3 w-3" /> : step.ready ? index + 1 : <Lock className="h-2.5 w-2.5" />}
              </span>
              <span className="min-w-0">
                <span className="block truncate">{stepLabel(t, step)}</span>
                <span className="sr-only">
                  {step.done
                    ? t("done")
                    : !step.ready && step.reason
                      ? t.rich("notYet", { reason: step.reason, en: (chunks) => <span lang="en">{chunks}</span> })
                      : ""}
                </span>
              </span>
            </>
          );
          const classes = cx(
            "flex h-full items-center gap-2 rounded-md border px-2 py-1.5 text-xs font-medium",
            isCurrent
              ? "border-indigo-500 bg-indigo-50 text-indigo-800"
              : step.ready
                ? "border-slate-200 bg-white text-slate-700 hover:border-indigo-300 hover:bg-slate-50"
                : "border-dashed border-slate-200 bg-slate-50 text-slate-400",
          );
          return (
            <li key={step.step}>
              {step.ready || isCurrent ? (
                <Link
                  href={step.href}
                  aria-current={isCurrent ? "step" : undefined}
                  className={cx(classes, "focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400")}
                >
                  {body}
                </Link>
              ) : (
                <span className={classes} title={step.reason} aria-disabled="true">
                  {body}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export function StepNav({ steps }: { steps: StepperStep[] }) {
  const t = useTranslations("wizard");
  const pathname = usePathname();
  const current = currentIndex(steps, pathname);
  if (current < 0) return null;
  const previous = steps[current - 1];
  const next = steps[current + 1];
  const linkClasses = "inline-flex items-center gap-1 rounded-md px-3 py-1.5 text-sm font-medium";
  return (
    <div className="mt-8 flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
      {previous ? (
        <Link href={previous.href} className={cx(linkClasses, "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50")}>
          <ChevronLeft aria-hidden className="h-4 w-4" />
          {t("back", { step: stepLabel(t, previous) })}
        </Link>
      ) : (
        <Link href="/migrations" className={cx(linkClasses, "text-slate-600 hover:bg-slate-100")}>
          <ChevronLeft aria-hidden className="h-4 w-4" />
          {t("allMigrations")}
        </Link>
      )}
      {next ? (
        next.ready ? (
          <Link href={next.href} className={cx(linkClasses, "bg-indigo-600 text-white hover:bg-indigo-700")}>
            {t("next", { step: stepLabel(t, next) })}
            <ChevronRight aria-hidden className="h-4 w-4" />
          </Link>
        ) : (
          <div className="flex flex-wrap items-center justify-end gap-2 text-right">
            <span lang="en" className="text-xs text-slate-500" id="next-step-reason">
              {next.reason}
            </span>
            <span aria-disabled="true" aria-describedby="next-step-reason" className={cx(linkClasses, "cursor-not-allowed bg-indigo-200 text-white")}>
              {t("next", { step: stepLabel(t, next) })}
              <ChevronRight aria-hidden className="h-4 w-4" />
            </span>
          </div>
        )
      ) : null}
    </div>
  );
}
