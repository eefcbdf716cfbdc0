// Shared by the wizard's step pages: load the wizard for the URL's migration (404 for another
// organization's id), and say why a step cannot be opened yet.
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { NotFoundError, UserFacingError } from "@/lib/errors";
import { loadWizard, type StepView, type WizardStep, type WizardView } from "@/lib/wizard";
import type { OrgContext } from "@/lib/team";
import { Alert } from "@/app/_components/ui";

export async function openStep(params: Promise<{ id: string }>, step: WizardStep): Promise<{ context: OrgContext; view: WizardView; step: StepView }> {
  const { id } = await params;
  const context = await requireOrgContext();
  const view = await loadWizard(db(), context, id).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return { context, view, step: view.steps.find((candidate) => candidate.step === step) as StepView };
}

export async function NotReady({ view, step }: { view: WizardView; step: StepView }) {
  const t = await getTranslations("wizard");
  const label = (candidate: StepView) => t(`steps.${candidate.step}`);
  const next = view.steps.find((candidate) => candidate.ready && !candidate.done);
  return (
    <Alert tone="info">
      {t.rich("notAvailable", { step: label(step), reason: step.reason ?? "", en: (chunks) => <span lang="en">{chunks}</span> })}{" "}
      {next ? (
        <Link href={next.href} className="font-medium text-indigo-700 underline">
          {t("goTo", { step: label(next) })}
        </Link>
      ) : null}
    </Alert>
  );
}

/** Runs a loader that talks to the systems; a user-facing failure is shown instead of crashing the page. */
export async function loadOrProblem<T>(work: () => Promise<T>): Promise<{ data: T; problem: null } | { data: null; problem: string }> {
  try {
    return { data: await work(), problem: null };
  } catch (error) {
    if (error instanceof UserFacingError) return { data: null, problem: error.message };
    throw error;
  }
}

export function StepHeading({ title, description }: { title: string; description: string }) {
  return (
    <div className="mb-4">
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      <p className="mt-0.5 text-sm text-slate-500">{description}</p>
    </div>
  );
}
