import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { db } from "@/lib/db";
import { can } from "@/lib/auth/roles";
import { requireOrgContext } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { scopedDb } from "@/lib/org-scope";
import { listSettingChanges } from "@/lib/settings/changes";
import { loadWizard } from "@/lib/wizard";
import { StepNav, Stepper } from "@/app/_components/stepper";
import { Badge } from "@/app/_components/ui";
import { MigrationPageGate } from "@/app/_components/permissions";
import { DeleteMigration } from "./_components/delete-migration";
import { SettingsBanner } from "./_components/settings-banner";

const ACTIVE_RUN_STATUSES = ["queued", "running", "paused", "cancelling", "rolling_back"];

export default async function WizardLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const context = await requireOrgContext();
  const database = db();
  const view = await loadWizard(database, context, id).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  // loadWizard found the migration in the caller's organization.
  const [changes, activeRun] = await Promise.all([
    listSettingChanges(database, id),
    scopedDb(database, context.organization.id).run.findFirst({
      where: { migrationId: id, status: { in: ACTIVE_RUN_STATUSES } },
      select: { mode: true, status: true },
    }),
  ]);
  const canDelete = can(context, "rollback");
  const [t, status, mode, runStatus] = await Promise.all([
    getTranslations("migration"),
    getTranslations("migrationStatus"),
    getTranslations("runMode"),
    getTranslations("runStatus"),
  ]);
  const targetLabel = view.target?.label ?? t("theTarget");
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-lg font-semibold text-slate-900">{view.migration.name}</h1>
        <Badge>{status.has(view.migration.status as "draft") ? status(view.migration.status as "draft") : view.migration.status}</Badge>
        <span className="text-sm text-slate-500">
          {view.source ? `${view.source.label} (${view.source.systemName})` : t("noSource")} →{" "}
          {view.target ? `${view.target.label} (${view.target.systemName})` : t("noTarget")}
        </span>
        {canDelete ? (
          <div className="ml-auto">
            <DeleteMigration
              migrationId={id}
              name={view.migration.name}
              targetLabel={targetLabel}
              outstandingSettings={changes.outstanding.length}
              activeRun={
                activeRun
                  ? t("activeRun", {
                      mode: mode.has(activeRun.mode as "full") ? mode(activeRun.mode as "full") : activeRun.mode,
                      status: runStatus.has(activeRun.status as "queued") ? runStatus(activeRun.status as "queued") : activeRun.status,
                    })
                  : null
              }
            />
          </div>
        ) : null}
      </div>
      <SettingsBanner migrationId={id} changes={changes} canRestore={can(context, "migrations")} targetLabel={targetLabel} />
      <Stepper steps={view.steps} />
      <MigrationPageGate>{children}</MigrationPageGate>
      <StepNav steps={view.steps} />
    </div>
  );
}
