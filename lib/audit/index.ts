// Pre-migration data profiling of a source (duplicates, stale, invalid, unused fields).
import type { CanonicalRecord, RecordPage } from "@/connectors/types";

export {
  AUDIT_FINDING_KINDS,
  ActivityIndex,
  DEFAULT_MAX_EXAMPLES,
  DEFAULT_STALE_YEARS,
  MAX_LISTED_RECORDS,
  MAX_TRACKED_KEYS,
  auditRecords,
  auditSource,
  companyNameKey,
  createAuditor,
  isCompanyLike,
  isPeopleLike,
  type AuditExample,
  type AuditFinding,
  type AuditFindingKind,
  type AuditOptions,
  type AuditReport,
  type AuditSuggestion,
  type Auditor,
  type FieldFill,
} from "@/lib/audit/audit-records";

/** A connector's pages (session.read) as a stream of records, for auditRecords. */
export async function* recordsOf(pages: AsyncIterable<RecordPage>): AsyncGenerator<CanonicalRecord> {
  for await (const page of pages) yield* page.records;
}

export { policyImpact, type PolicyImpact } from "@/lib/audit/policy-impact";
