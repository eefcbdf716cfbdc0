// What the plan's per-field policy for invalid values (repair / drop / fail) will do to the
// records the audit found with such values: shown on the audit step and the full-run page before
// Start, so nobody learns after the run which records failed or lost a value.
import { invalidValuePolicy, type InvalidValuePolicy } from "@/lib/mapping/field-mapping";
import type { SchemaDescription } from "@/connectors/types";
import type { MigrationPlan } from "@/lib/plan";
import { PLACEHOLDER_EMAIL_DOMAIN } from "@/lib/migration/transform";
import type { AuditFinding } from "./audit-records";

/** Findings of values the target cannot hold as they are. */
const INVALID_VALUE_KINDS = new Set(["invalid-email", "invalid-url", "invalid-phone"]);

export type PolicyImpact = {
  objectType: string;
  field: string;
  /** Records with an invalid value in this field. */
  records: number;
  policy: InvalidValuePolicy;
  repaired: number;
  dropped: number;
  failed: number;
  /** Some of the records, as source ids ("which"). */
  examples: string[];
  sentence: string;
};

/** The mappings of a source field, in pairs and children of `objectType`, with the target object each writes. */
function mappingsOf(plan: MigrationPlan, objectType: string, field: string) {
  return plan.objects
    .filter((pair) => pair.enabled)
    .flatMap((pair) => [
      ...(pair.sourceObject === objectType ? pair.fieldMappings.map((mapping) => ({ mapping, targetObject: pair.targetObject })) : []),
      ...pair.childObjects
        .filter((child) => child.enabled && child.sourceObject === objectType)
        .flatMap((child) => child.fieldMappings.map((mapping) => ({ mapping, targetObject: child.targetObject }))),
    ])
    .filter(({ mapping }) => mapping.sourceField === field);
}

/** A required email in the target: a value left out is written as a placeholder address instead (lib/migration/transform.ts). */
function needsPlaceholder(target: SchemaDescription | null, targetObject: string, targetField: string): boolean {
  const field = target?.objectTypes.find((object) => object.key === targetObject)?.fields.find((candidate) => candidate.key === targetField);
  return field?.type === "email" && field.required;
}

function sentenceOf(impact: Omit<PolicyImpact, "sentence">, placeholder: boolean): string {
  const where = `${impact.objectType}.${impact.field}`;
  if (impact.failed > 0)
    return `${where}: ${impact.failed.toLocaleString("en")} records will fail (policy "fail record"): ${impact.examples.join(", ")}${impact.records > impact.examples.length ? ", …" : ""}.`;
  const withoutValue = placeholder
    ? `written under a placeholder address (no-email+<source id>@${PLACEHOLDER_EMAIL_DOMAIN}), since the target requires one`
    : "written without the value";
  const parts = [
    impact.repaired > 0 ? `${impact.repaired.toLocaleString("en")} repaired` : null,
    impact.dropped > 0 ? `${impact.dropped.toLocaleString("en")} ${withoutValue}` : null,
  ].filter(Boolean);
  return `${where}: ${parts.join(", ")}, each with a warning keeping the original value.`;
}

/**
 * Per mapped field with invalid values: how many records the policy repairs, writes without the
 * value (under a placeholder address where `target` requires an email), or fails. Phone numbers
 * are copied as typed unless the mapping requires valid ones.
 */
export function policyImpact(findings: readonly AuditFinding[], plan: MigrationPlan, target: SchemaDescription | null = null): PolicyImpact[] {
  const impacts: PolicyImpact[] = [];
  for (const finding of findings) {
    if (!INVALID_VALUE_KINDS.has(finding.kind) || !finding.field) continue;
    const mapped = mappingsOf(plan, finding.objectType, finding.field)[0];
    if (!mapped) continue;
    const { mapping, targetObject } = mapped;
    if (finding.kind === "invalid-phone" && !mapping.transform?.requireValidPhone) continue;
    const policy = invalidValuePolicy(mapping.transform);
    const repairable = policy === "repair" ? (finding.repairable ?? 0) : 0;
    const impact = {
      objectType: finding.objectType,
      field: finding.field,
      records: finding.count,
      policy,
      repaired: repairable,
      dropped: policy === "fail" ? 0 : finding.count - repairable,
      failed: policy === "fail" ? finding.count : 0,
      examples: finding.examples.map((example) => example.sourceId),
    };
    impacts.push({ ...impact, sentence: sentenceOf(impact, needsPlaceholder(target, targetObject, mapping.targetField)) });
  }
  return impacts;
}
