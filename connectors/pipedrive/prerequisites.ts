// ConnectorSession.prerequisites and applyFix for Pipedrive as a target: the users who receive
// records exist (reference §5.6: matched by email, never created), the custom fields the plan
// expects exist with a compatible type and every option (§6.2, §6.3), and each object has the
// "Ferry source id" field that makes a crashed run exactly-once (§8). Fixes create what is missing
// through POST /api/v2/{entity}Fields (and …/{field_code}/options).
import type { HttpClient } from "@/connectors/shared/http-client";
import { coverageSummary, describeTargetUser, receivesFrom, uncoveredEvidence, userCoverage } from "@/connectors/shared/user-coverage";
import { ConnectorError } from "@/connectors/types";
import type {
  AutomatedCheck,
  CanonicalFieldType,
  FixResult,
  ManualConfirmation,
  PlanForPrerequisites,
  PrerequisiteReport,
  SelectOption,
  UserRef,
} from "@/connectors/types";
import { canonicalTypeOf } from "./mappers/fields";
import { CREATABLE_FIELD_OBJECTS, FERRY_SOURCE_ID_LABEL, FIELD_COLLECTIONS, isFerrySourceIdField, type CompanyModel, type FieldedObjectType } from "./model";
import type { PipedriveField } from "./raw-schemas";

import { FIX_ADD_SELECT_OPTIONS, FIX_CREATE_FERRY_SOURCE_ID, FIX_CREATE_MISSING_FIELDS } from "./capabilities";

export type PrerequisiteDeps = {
  client: HttpClient;
  model: () => Promise<CompanyModel>;
  users: () => Promise<UserRef[]>;
  /** Called after fields changed, so the next describe() sees them. */
  invalidate: () => void;
};

type PlannedField = PlanForPrerequisites["customFields"][number];

/** §6.3: the Pipedrive field type Ferry creates for a canonical type; null: cannot be created by Ferry. */
export function fieldTypeFor(planned: Pick<PlannedField, "type" | "options">): string | null {
  switch (planned.type) {
    case "longtext":
    case "html":
      return "text";
    case "number":
      return "double";
    case "currency":
      return "monetary";
    case "phone":
      return "phone";
    case "date":
      return "date";
    case "select":
      return planned.options && planned.options.length > 0 ? "enum" : "varchar";
    case "multiselect":
    case "tags":
      return planned.options && planned.options.length > 0 ? "set" : "varchar";
    case "address":
      return "address";
    case "user":
      return "user";
    case "relation":
      return null;
    default:
      // text, email, url, boolean, datetime, fullname: kept as text (Pipedrive has no such types).
      return "varchar";
  }
}

const TEXT_TYPES = new Set<CanonicalFieldType>(["text", "longtext"]);
const HELD_AS_TEXT = new Set<CanonicalFieldType>([
  "text",
  "longtext",
  "html",
  "email",
  "url",
  "boolean",
  "datetime",
  "fullname",
  "select",
  "multiselect",
  "tags",
  "number",
  "date",
  "phone",
]);

/** Whether an existing field of `actual` type can take the plan's `planned` values without loss. */
export function isCompatible(planned: CanonicalFieldType, actual: CanonicalFieldType): boolean {
  if (planned === actual) return true;
  if (TEXT_TYPES.has(actual)) return HELD_AS_TEXT.has(planned);
  return (planned === "select" && actual === "multiselect") || (planned === "tags" && actual === "multiselect");
}

function findField(model: CompanyModel, planned: PlannedField): PipedriveField | undefined {
  const fields = model.customFields[planned.objectType as FieldedObjectType] ?? [];
  const label = planned.label.trim().toLowerCase();
  return fields.find((field) => field.field_code === planned.key) ?? fields.find((field) => field.field_name.trim().toLowerCase() === label);
}

type FieldAudit = {
  missing: PlannedField[];
  problems: string[];
  /** Planned fields of objects whose custom fields Ferry cannot create (notes, activities): their values are not kept. */
  notKept: PlannedField[];
  missingOptions: { planned: PlannedField; field: PipedriveField; labels: string[] }[];
};

function auditFields(model: CompanyModel, plan: PlanForPrerequisites): FieldAudit {
  const audit: FieldAudit = { missing: [], problems: [], notKept: [], missingOptions: [] };
  for (const planned of plan.customFields) {
    const field = planned.objectType in FIELD_COLLECTIONS ? findField(model, planned) : undefined;
    if (!field && !CREATABLE_FIELD_OBJECTS.has(planned.objectType)) {
      audit.notKept.push(planned);
      continue;
    }
    if (!field) {
      if (fieldTypeFor(planned) === null)
        audit.problems.push(
          `${planned.objectType}: "${planned.label}" (${planned.type}) must be created by hand in Pipedrive (Company settings → Data fields).`,
        );
      else audit.missing.push(planned);
      continue;
    }
    const actual = canonicalTypeOf(field.field_type)?.type;
    if (!actual || !isCompatible(planned.type, actual)) {
      audit.problems.push(`${planned.objectType}: "${field.field_name}" is a ${field.field_type} field in Pipedrive, the plan needs ${planned.type}.`);
      continue;
    }
    if ((actual === "select" || actual === "multiselect") && planned.options && planned.options.length > 0) {
      const have = new Set((field.options ?? []).map((option) => option.label.trim().toLowerCase()));
      const labels = planned.options.map((option) => option.label).filter((label) => !have.has(label.trim().toLowerCase()));
      // §6.2: options of activity fields are added by hand only.
      if (labels.length > 0 && !CREATABLE_FIELD_OBJECTS.has(planned.objectType))
        audit.problems.push(
          `${planned.objectType}: add ${labels.map((label) => `"${label}"`).join(", ")} to "${field.field_name}" by hand in Pipedrive (Company settings → Data fields).`,
        );
      else if (labels.length > 0) audit.missingOptions.push({ planned, field, labels });
    }
  }
  return audit;
}

async function usersCheck(deps: PrerequisiteDeps, plan: PlanForPrerequisites): Promise<AutomatedCheck> {
  const base = { id: "pipedrive-users", title: "Users exist in Pipedrive", blocking: true } as const;
  if (plan.users.length === 0) return { ...base, status: "pass", evidence: ["The plan maps no users."] };
  const users = await deps.users();
  const byId = new Map(users.map((user) => [user.id, user]));
  const coverage = userCoverage(plan);
  const describe = (id: string) => describeTargetUser(byId.get(id), id);
  const gone = [...coverage.receivers.entries()].filter(([id]) => !byId.has(id));
  const evidence = [
    ...gone.map(([id, entry]) => `${describe(id)} is not an active Pipedrive user any more (${receivesFrom(entry)}). Choose another user in step 6 (Mapping).`),
    ...uncoveredEvidence(coverage.uncovered, users, "add them in Pipedrive under Company settings → Manage users and map them once they have joined"),
  ];
  if (evidence.length === 0) return { ...base, status: "pass", evidence: [coverageSummary(coverage, plan.users.length, describe)] };
  return { ...base, status: "fail", evidence };
}

function fieldChecks(audit: FieldAudit, plan: PlanForPrerequisites): AutomatedCheck[] {
  const problems = [...audit.missing.map((planned) => `${planned.objectType}: "${planned.label}" (${planned.type}) is missing.`), ...audit.problems];
  return [
    {
      id: "custom-fields",
      title: "Custom fields exist with a compatible type",
      status: problems.length > 0 ? "fail" : "pass",
      blocking: true,
      evidence: problems.length > 0 ? problems : [`All ${plan.customFields.length} custom fields exist.`],
      ...(audit.missing.length > 0
        ? { fix: { id: FIX_CREATE_MISSING_FIELDS, label: `Create ${audit.missing.length} missing field${audit.missing.length > 1 ? "s" : ""}` } }
        : {}),
    },
    {
      id: "select-options",
      title: "Choice fields have every option the data uses",
      status: audit.missingOptions.length > 0 ? "fail" : "pass",
      blocking: true,
      evidence:
        audit.missingOptions.length > 0
          ? audit.missingOptions.map(
              ({ planned, field, labels }) => `${planned.objectType}: "${field.field_name}" lacks ${labels.map((label) => `"${label}"`).join(", ")}.`,
            )
          : ["Every planned option exists."],
      ...(audit.missingOptions.length > 0 ? { fix: { id: FIX_ADD_SELECT_OPTIONS, label: "Add the missing options" } } : {}),
    },
  ];
}

/** §6.2: notes have no custom fields; activity fields are created by hand only. */
function notKeptCheck(audit: FieldAudit): AutomatedCheck {
  return {
    id: "fields-not-kept",
    title: "Every mapped field has a place in Pipedrive",
    status: audit.notKept.length > 0 ? "warn" : "pass",
    blocking: false,
    evidence:
      audit.notKept.length > 0
        ? audit.notKept.map((planned) =>
            planned.objectType === "activities"
              ? `activities: "${planned.label}" is missing. Pipedrive creates activity fields only by hand (Company settings → Data fields → Activity); create it there with this name, or its values are not kept.`
              : `${planned.objectType}: Pipedrive ${planned.objectType} have no custom fields, so "${planned.label}" is not kept. Unmap it in step 6 (Mapping) if you do not need it.`,
          )
        : ["Every mapped field has a place in Pipedrive."],
  };
}

/** The planned objects whose "Ferry source id" field Ferry can create (§6.2) and that lack it. */
function unstamped(model: CompanyModel, plan: PlanForPrerequisites): FieldedObjectType[] {
  return plan.objectTypes.filter(
    (objectType): objectType is FieldedObjectType =>
      CREATABLE_FIELD_OBJECTS.has(objectType) && !model.customFields[objectType as FieldedObjectType].some(isFerrySourceIdField),
  );
}

/** Planned objects that can get the field only by hand (activities) or not at all (notes). */
/** Activities without the hand-made field: found after an interruption by what was written, which a user's own identical activity could fool. */
function unstampable(model: CompanyModel, plan: PlanForPrerequisites): string[] {
  return plan.objectTypes.filter((objectType) => objectType === "activities" && !model.customFields.activities.some(isFerrySourceIdField));
}

function sourceIdCheck(model: CompanyModel, plan: PlanForPrerequisites): AutomatedCheck {
  const missing = unstamped(model, plan);
  const byHand = unstampable(model, plan);
  return {
    id: "ferry-source-id",
    title: "Imported records can be recognised after an interruption",
    status: missing.length > 0 || byHand.length > 0 ? "warn" : "pass",
    blocking: false,
    evidence: [
      ...(missing.length > 0
        ? [
            `${missing.join(", ")} have no key Ferry can find them by: Pipedrive chooses every id itself.`,
            `Ferry can add a text field "${FERRY_SOURCE_ID_LABEL}" holding each record's id in the source system, so an interrupted run never creates a record twice.`,
          ]
        : []),
      ...(byHand.includes("activities")
        ? [
            `activities: create a text field "${FERRY_SOURCE_ID_LABEL}" by hand in Pipedrive (Company settings → Data fields → Activity); Pipedrive lets no app create activity fields. Without it, an activity whose write was interrupted is recognised by its subject, type, due date and links.`,
          ]
        : []),
      ...(missing.length === 0 && byHand.length === 0 && !plan.objectTypes.includes("notes") ? ["Every planned object has a Ferry source id field."] : []),
      ...(plan.objectTypes.includes("notes") ? ["notes cannot hold a source id: an interrupted note is recognised by its text, links and creation date."] : []),
    ],
    ...(missing.length > 0 ? { fix: { id: FIX_CREATE_FERRY_SOURCE_ID, label: "Add a Ferry source id field" } } : {}),
  };
}

const MANUAL_CONFIRMATIONS: ManualConfirmation[] = [
  {
    id: "users-joined",
    title: "Everyone who owns or is assigned records is a Pipedrive user",
    steps: [
      "In Pipedrive, open Company settings → Manage users and add the users who should keep their records (the others go to the fallback user).",
      "Wait until they have accepted the invitation: only active users can own records.",
    ],
    link: "https://support.pipedrive.com/en/article/adding-users",
  },
  {
    id: "automations-off",
    title: "Automations will not act on imported records",
    steps: [
      "In Pipedrive, open Automations and switch off the ones triggered when a person, organization, deal or activity is added, for the time of the migration.",
    ],
    link: "https://support.pipedrive.com/en/article/workflow-automation",
  },
];

export async function checkPrerequisites(deps: PrerequisiteDeps, plan: PlanForPrerequisites): Promise<PrerequisiteReport> {
  const model = await deps.model();
  const audit = auditFields(model, plan);
  return {
    checks: [await usersCheck(deps, plan), ...fieldChecks(audit, plan), notKeptCheck(audit), sourceIdCheck(model, plan)],
    confirmations: MANUAL_CONFIRMATIONS,
  };
}

async function createField(client: HttpClient, objectType: FieldedObjectType, body: { field_name: string; field_type: string; options?: { label: string }[] }) {
  // §6.2: POST /api/v2/{entity}Fields.
  await client.request({ method: "POST", path: `/api/v2/${FIELD_COLLECTIONS[objectType]}`, body });
}

const optionBodies = (options: SelectOption[] | undefined) => (options ?? []).map((option) => ({ label: option.label }));

export async function applyPrerequisiteFix(deps: PrerequisiteDeps, fixId: string, plan: PlanForPrerequisites): Promise<FixResult> {
  const model = await deps.model();
  const changed: string[] = [];
  const failed: string[] = [];
  const attempt = async (description: string, action: () => Promise<unknown>) => {
    try {
      await action();
      changed.push(description);
    } catch (error) {
      if (!(error instanceof ConnectorError) || ["AUTH_INVALID", "RATE_LIMITED", "TEMPORARY"].includes(error.code)) throw error;
      failed.push(`${description}: ${error.message}`);
    }
  };
  try {
    if (fixId === FIX_CREATE_MISSING_FIELDS) {
      for (const planned of auditFields(model, plan).missing) {
        const fieldType = fieldTypeFor(planned) as string;
        const options = ["enum", "set"].includes(fieldType) ? optionBodies(planned.options) : undefined;
        await attempt(`Created ${planned.objectType} field "${planned.label}" (${fieldType})`, () =>
          createField(deps.client, planned.objectType as FieldedObjectType, {
            field_name: planned.label,
            field_type: fieldType,
            ...(options ? { options } : {}),
          }),
        );
      }
    } else if (fixId === FIX_ADD_SELECT_OPTIONS) {
      for (const { planned, field, labels } of auditFields(model, plan).missingOptions) {
        // §6.2: POST …Fields/{field_code}/options with [{ label }].
        await attempt(`Added ${labels.length} option${labels.length > 1 ? "s" : ""} to ${planned.objectType} "${field.field_name}"`, () =>
          deps.client.request({
            method: "POST",
            path: `/api/v2/${FIELD_COLLECTIONS[planned.objectType as FieldedObjectType]}/${field.field_code}/options`,
            body: labels.map((label) => ({ label })),
          }),
        );
      }
    } else if (fixId === FIX_CREATE_FERRY_SOURCE_ID) {
      for (const objectType of unstamped(model, plan)) {
        await attempt(`Added "${FERRY_SOURCE_ID_LABEL}" to ${objectType}`, () =>
          createField(deps.client, objectType, { field_name: FERRY_SOURCE_ID_LABEL, field_type: "varchar" }),
        );
      }
    } else {
      throw new ConnectorError("VALIDATION", `Unknown fix "${fixId}" for Pipedrive`);
    }
  } finally {
    deps.invalidate();
  }
  if (failed.length > 0) {
    const done = changed.length > 0 ? ` Done: ${changed.join("; ")}.` : "";
    throw new ConnectorError("VALIDATION", `Pipedrive refused part of the fix: ${failed.join("; ")}.${done}`);
  }
  return { changed, changes: changed.map((line) => ({ kind: "addition", ref: line, label: line, previous: null })) };
}
