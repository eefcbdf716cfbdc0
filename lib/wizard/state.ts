// The wizard's saved answers (Migration.wizardState): JSON validated with zod on every read, so a
// user can leave and come back, and an outdated or hand-edited state falls back to defaults
// instead of breaking the page.
import { z } from "zod";
import type { AuditReport } from "@/lib/audit";
import type { PrerequisiteReport } from "@/connectors/types";
import type { PlanPatch } from "@/lib/plan";

/** The audit reads at most this many records per object type; beyond it the report says it is partial. */
export const MAX_AUDIT_RECORDS_PER_OBJECT = 20_000;

const accountSchema = z.object({
  accountName: z.string(),
  userName: z.string(),
  userEmail: z.string().nullable(),
  permissionLevel: z.string(),
  isAdministrator: z.boolean(),
});

const connectionTestSchema = z.object({
  connectionId: z.string(),
  testedAt: z.string(),
  account: accountSchema,
  objects: z.array(z.object({ key: z.string(), label: z.string(), count: z.number().nullable(), error: z.string().optional() })),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

const auditProgressSchema = z.object({
  objectType: z.string(),
  label: z.string(),
  total: z.number().nullable(),
  read: z.number(),
  done: z.boolean(),
  capped: z.boolean(),
});
export type AuditProgress = z.infer<typeof auditProgressSchema>;

const auditStateSchema = z.object({
  status: z.enum(["running", "done", "failed"]),
  startedAt: z.string(),
  /** Updated while reading: a running audit whose heartbeat stopped was interrupted (server restart). */
  heartbeatAt: z.string(),
  finishedAt: z.string().nullable(),
  maxRecordsPerObject: z.number(),
  progress: z.array(auditProgressSchema),
  // Reports are produced by lib/audit; stored as they came, not re-validated field by field.
  reports: z.array(z.custom<AuditReport>((value) => typeof value === "object" && value !== null)),
  error: z.string().nullable(),
});
export type AuditState = z.infer<typeof auditStateSchema>;

const appliedSuggestionSchema = z.object({
  findingId: z.string(),
  label: z.string(),
  patch: z.custom<PlanPatch>((value) => typeof value === "object" && value !== null),
  /** The plan JSON before this suggestion: undo restores it and re-applies the later ones. */
  previousPlan: z.string(),
  appliedAt: z.string(),
});
export type AppliedSuggestion = z.infer<typeof appliedSuggestionSchema>;

const prerequisitesStateSchema = z.object({
  checkedAt: z.string(),
  report: z.custom<PrerequisiteReport>((value) => typeof value === "object" && value !== null && Array.isArray((value as PrerequisiteReport).checks)),
});

export const wizardStateSchema = z.object({
  /** The system chosen on each side before a connection is picked. */
  sourceSystemId: z.string().nullable().catch(null).default(null),
  targetSystemId: z.string().nullable().catch(null).default(null),
  sourceTest: connectionTestSchema.nullable().catch(null).default(null),
  targetTest: connectionTestSchema.nullable().catch(null).default(null),
  /** The connections the stored plan was built from; a change rebuilds the plan. */
  planBuiltFor: z.object({ source: z.string(), target: z.string() }).nullable().catch(null).default(null),
  objectsSavedAt: z.string().nullable().catch(null).default(null),
  audit: auditStateSchema.nullable().catch(null).default(null),
  appliedSuggestions: z.array(appliedSuggestionSchema).catch([]).default([]),
  prerequisites: prerequisitesStateSchema.nullable().catch(null).default(null),
  /** Manual confirmation id → when the user ticked it. */
  confirmations: z.record(z.string(), z.string()).catch({}).default({}),
  /** Unused since changes are SettingChange rows (lib/settings/changes.ts); kept so older saved states parse. */
  triggersToRestore: z.array(z.string()).catch([]).default([]),
  mappingSavedAt: z.string().nullable().catch(null).default(null),
});
export type WizardState = z.infer<typeof wizardStateSchema>;

export function parseWizardState(json: string | null | undefined): WizardState {
  let value: unknown = {};
  try {
    value = JSON.parse(json || "{}");
  } catch {
    value = {};
  }
  const parsed = wizardStateSchema.safeParse(value);
  return parsed.success ? parsed.data : wizardStateSchema.parse({});
}

/** The state with everything derived from the plan forgotten (connections changed); trigger ids are kept, they must still be restored. */
export function resetPlanState(state: WizardState): WizardState {
  return {
    ...state,
    planBuiltFor: null,
    objectsSavedAt: null,
    audit: null,
    appliedSuggestions: [],
    prerequisites: null,
    confirmations: {},
    mappingSavedAt: null,
  };
}
