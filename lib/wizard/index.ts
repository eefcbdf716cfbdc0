// The migration wizard (steps 1–6) and what the demo and run steps need from it.
export {
  WIZARD_STEPS,
  STEP_LABELS,
  computeSteps,
  createMigrationDraft,
  currentStep,
  demoReadiness,
  fullRunReadiness,
  listMigrations,
  loadWizard,
  migrationNameSchema,
  systemName,
} from "./load";
export type { ConnectionSummary, MigrationListRow, StepView, WizardStep, WizardView } from "./load";
export { findMigration, readWizard, writeWizard } from "./migration";
export { MAX_AUDIT_RECORDS_PER_OBJECT, parseWizardState, wizardStateSchema } from "./state";
export type { AppliedSuggestion, AuditProgress, AuditState, ConnectionTest, WizardState } from "./state";
export { countObject, selectConnection, selectSystem, sideSchema, systemAllowed, testConnection, type Side } from "./connections-step";
export { dependencySentence, ensurePlan, objectsInputSchema, objectsView, pairId, saveObjects, type ObjectsView } from "./plan-step";
export { AUDIT_STALE_MS, applySuggestion, auditInterrupted, findingsOf, invalidValueSentences, runAudit, startAudit, undoSuggestion } from "./audit-step";
export { applyPrerequisiteFix, checkPrerequisites, fixEffects, setConfirmation } from "./prerequisites-step";
export { PREVIEW_RECORDS, applyMappingInput, buildMappingView, mappingInputSchema, mappingView, previewRecords, saveMapping } from "./mapping-step";
export type { MappingInput, MappingPairView, MappingRow, MappingView, PreviewRecord } from "./mapping-step";
