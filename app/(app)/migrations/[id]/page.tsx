import { notFound, redirect } from "next/navigation";
import { db } from "@/lib/db";
import { requireOrgContext } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { currentStep, loadWizard } from "@/lib/wizard";

/** Opening a migration opens the step to continue with. */
export default async function MigrationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const view = await loadWizard(db(), await requireOrgContext(), id).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  redirect(currentStep(view).href);
}
