import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { loadWizard } from "@/lib/wizard";
import { StepNav, Stepper } from "@/app/_components/stepper";
import { Badge } from "@/app/_components/ui";

export default async function WizardLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const context = await requireOrgContext();
  const view = await loadWizard(db(), context, id).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-lg font-semibold text-slate-900">{view.migration.name}</h1>
        <Badge>{view.migration.status}</Badge>
        <span className="text-sm text-slate-500">
          {view.source ? `${view.source.label} (${view.source.systemName})` : "No source yet"} → {view.target ? `${view.target.label} (${view.target.systemName})` : "no target yet"}
        </span>
      </div>
      <Stepper steps={view.steps} />
      {children}
      <StepNav steps={view.steps} />
    </div>
  );
}
