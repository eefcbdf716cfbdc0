import { pageTitle } from "@/app/_components/page-title";
import { getLocale, getTranslations } from "next-intl/server";
import { formatNumber } from "@/lib/format-date";
import { db } from "@/lib/db";
import { auditInterrupted, findingsOf, invalidValueSentences, MAX_AUDIT_RECORDS_PER_OBJECT } from "@/lib/wizard";
import { NotReady, openStep, StepHeading } from "../source/step-guard";
import { AuditView } from "./audit-view";

export const generateMetadata = pageTitle("auditMigration");

export default async function AuditStepPage({ params }: { params: Promise<{ id: string }> }) {
  const { context, view, step } = await openStep(params, "audit");
  if (!step.ready) return <NotReady view={view} step={step} />;
  const [t, locale] = await Promise.all([getTranslations("audit"), getLocale()]);
  const audit = view.state.audit;
  const labels = new Map((audit?.reports ?? []).map((report) => [report.objectType, report.label]));
  const applied = new Map(view.state.appliedSuggestions.map((suggestion) => [suggestion.findingId, suggestion.appliedAt]));
  return (
    <>
      <StepHeading title={t("heading")} description={t("headingDescription", { max: formatNumber(MAX_AUDIT_RECORDS_PER_OBJECT, locale) })} />
      <AuditView
        // A new or finished audit remounts the view with the stored state.
        key={`${audit?.startedAt ?? "none"}-${audit?.status ?? "none"}`}
        migrationId={view.migration.id}
        status={audit ? (auditInterrupted(audit) ? "interrupted" : audit.status) : null}
        error={audit?.error ?? null}
        finishedAt={audit?.finishedAt ?? null}
        maxRecords={audit?.maxRecordsPerObject ?? MAX_AUDIT_RECORDS_PER_OBJECT}
        progress={audit?.progress ?? []}
        invalidValues={await invalidValueSentences(db(), context, view)}
        findings={findingsOf(audit).map((finding) => ({
          id: finding.id,
          kind: finding.kind,
          object: labels.get(finding.objectType) ?? finding.objectType,
          field: finding.field ?? "",
          count: finding.count,
          severity: finding.severity,
          message: finding.message,
          examples: finding.examples.map(
            (example) => `${example.value}${example.duplicateOf ? ` ${t("sameAs", { record: example.duplicateOf })}` : ""} · ${example.sourceId}`,
          ),
          suggestion: finding.suggestion?.label ?? null,
          skips: finding.suggestion?.skips ?? 0,
          skipped: finding.suggestion?.skips
            ? (finding.records ?? []).map((record) => ({ sourceId: record.sourceId, value: record.value, sameAs: record.duplicateOf ?? null }))
            : [],
          appliedAt: applied.get(finding.id) ?? null,
        }))}
      />
    </>
  );
}
