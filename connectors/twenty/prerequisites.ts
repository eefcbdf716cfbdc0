// ConnectorSession.prerequisites/applyFix for Twenty, following Twenty's own migration guide
// (shared/seeds/001: create fields and objects before importing, invite members first, select
// values by API name) and the reference (§3.1 metadata API, §4 workspace members, §5
// workflows and webhooks).
import type { HttpClient } from "@/connectors/shared/http-client";
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
import { coverageSummary, describeTargetUser, receivesFrom, uncoveredEvidence, userCoverage } from "@/connectors/shared/user-coverage";
import { fetchAllRecords, metadataItem } from "./api";
import { planWorkspace } from "./describe";
import { nativeTypeFor, isCompatibleType } from "./field-types";
import { toApiValue, toFieldName } from "./mappers/api-names";
import type { TwentyFieldModel, TwentyObjectModel, TwentyWorkspaceModel } from "./metadata";
import { READ_ONLY_OBJECTS } from "./metadata";
import { TwentyWebhookSchema, TwentyWorkflowSchema, TwentyWorkflowVersionSchema } from "./raw-schemas";
import type { TwentyWebhook } from "./raw-schemas";
import {
  FERRY_SOURCE_ID_FIELD,
  FIX_ADD_SELECT_OPTIONS,
  FIX_CREATE_FERRY_SOURCE_ID,
  FIX_CREATE_MISSING_FIELDS,
  FIX_CREATE_TICKETS_OBJECT,
} from "./capabilities";

const DOCS_LINK = "https://docs.twenty.com/user-guide/data-migration/how-tos/import-data-via-api";
/** Objects whose records Ferry recognises by a natural key Twenty keeps unique (§6.3). */
const NATURAL_KEY_OBJECTS = new Set(["people", "companies"]);
/** Option colours Twenty's UI offers; cycled for options Ferry creates (color is required, §3.1). */
const OPTION_COLORS = ["green", "turquoise", "sky", "blue", "purple", "pink", "red", "orange", "yellow", "gray"];

export type PrerequisiteDeps = {
  client: HttpClient;
  model: () => Promise<TwentyWorkspaceModel>;
  users: () => Promise<UserRef[]>;
  /** Called after the data model changed in a way the answers do not show (an object created, a fix partly refused): the next describe() reads it again. */
  invalidate: () => void;
  /** A field a fix created or changed, as Twenty answered it: patched into the loaded model instead of reading the whole data model again. */
  fieldChanged: (answer: Record<string, unknown>, objectMetadataId: string) => Promise<void>;
  /** Reads no fix changes (workflows, webhooks), done once per session: the checks run again after each round of fixes. */
  once: <T>(key: string, load: () => Promise<T>) => Promise<T>;
};

type PlannedField = PlanForPrerequisites["customFields"][number];

const LINK_FIELD_TYPES = new Set(["RELATION", "MORPH_RELATION"]);

/**
 * The existing field a planned field corresponds to: same API name, the name Ferry would create,
 * or the same label. A label match on a link field does not count for a planned value field:
 * standard objects carry links labelled like ordinary data ("Notes" on people is the link to
 * note records), and a customer's notes text must not be taken for it.
 */
export function findPlannedField(object: TwentyObjectModel, planned: PlannedField): TwentyFieldModel | undefined {
  const name = toFieldName(planned.key);
  const label = planned.label.trim().toLowerCase();
  const labelMatchCounts = (field: TwentyFieldModel) => planned.type === "relation" || !LINK_FIELD_TYPES.has(field.nativeType);
  return (
    object.fields.find((field) => field.name === planned.key) ??
    object.fields.find((field) => field.name === name) ??
    object.fields.find((field) => field.label.trim().toLowerCase() === label && labelMatchCounts(field))
  );
}

function optionPresent(options: SelectOption[], wanted: SelectOption): boolean {
  const generated = toApiValue(wanted.value);
  return options.some(
    (option) => option.value === wanted.value || option.value === generated || option.label.trim().toLowerCase() === wanted.label.trim().toLowerCase(),
  );
}

type FieldAudit = {
  missing: { planned: PlannedField; object: TwentyObjectModel }[];
  missingObjects: string[];
  wrongType: string[];
  uncreatable: string[];
  missingOptions: { planned: PlannedField; field: TwentyFieldModel; options: SelectOption[] }[];
};

function auditFields(model: TwentyWorkspaceModel, plan: PlanForPrerequisites): FieldAudit {
  const plans = planWorkspace(model);
  const audit: FieldAudit = { missing: [], missingObjects: [], wrongType: [], uncreatable: [], missingOptions: [] };
  for (const planned of plan.customFields) {
    const object = model.byPlural.get(planned.objectType);
    if (!object) {
      if (!audit.missingObjects.includes(planned.objectType)) audit.missingObjects.push(planned.objectType);
      continue;
    }
    const field = findPlannedField(object, planned);
    if (!field) {
      if (nativeTypeFor(planned.type, model.richTextType) === null)
        audit.uncreatable.push(
          `${planned.objectType}: "${planned.label}" (${planned.type}) must be created by hand in Settings → Data model (relations need a target object)`,
        );
      else audit.missing.push({ planned, object });
      continue;
    }
    const described = plans.get(object.namePlural)?.fields.find((candidate) => candidate.field.id === field.id && candidate.part === "value")?.description;
    const actual: CanonicalFieldType | undefined = described?.type;
    if (!actual || !isCompatibleType(planned.type, actual)) {
      audit.wrongType.push(`${planned.objectType}: "${field.label}" (${field.name}) is ${field.nativeType} in Twenty, the plan needs ${planned.type}`);
      continue;
    }
    if ((actual === "select" || actual === "multiselect") && planned.options && planned.options.length > 0) {
      const options = planned.options.filter((option) => !optionPresent(field.options, option));
      if (options.length > 0) audit.missingOptions.push({ planned, field, options });
    }
  }
  return audit;
}

async function workflowCheck(deps: PrerequisiteDeps, model: TwentyWorkspaceModel, plan: PlanForPrerequisites): Promise<AutomatedCheck> {
  const base = { id: "workflows", title: "Workflows that would run on imported records", blocking: false } as const;
  const client = deps.client;
  try {
    // §5.1: GET /rest/workflows, statuses ⊇ ACTIVE; triggers from the active versions.
    const workflows = (await deps.once("workflows", () => fetchAllRecords(client, "workflows", null))).map((raw) => TwentyWorkflowSchema.parse(raw));
    const active = workflows.filter((workflow) => workflow.statuses?.includes("ACTIVE"));
    if (active.length === 0) return { ...base, status: "pass", evidence: ["No workflow is active."] };
    let versions: ReturnType<typeof TwentyWorkflowVersionSchema.parse>[] = [];
    try {
      versions = (await deps.once("workflowVersions", () => fetchAllRecords(client, "workflowVersions", "status[eq]:ACTIVE"))).map((raw) =>
        TwentyWorkflowVersionSchema.parse(raw),
      );
    } catch {
      versions = [];
    }
    const planned = new Set(plan.objectTypes.map((plural) => model.byPlural.get(plural)?.nameSingular).filter(Boolean));
    const evidence = active.map((workflow) => {
      const events = versions
        .filter((version) => version.workflowId === workflow.id && version.trigger?.type === "DATABASE_EVENT")
        .map((version) => version.trigger?.settings?.eventName ?? "");
      const firing = events.filter((event) => planned.has(event.split(".")[0]));
      const name = workflow.name ?? workflow.id;
      if (firing.length > 0) return `"${name}" is active and runs on ${firing.join(", ")}: it would run once for every imported record.`;
      return `"${name}" is active${events.length > 0 ? ` (runs on ${events.join(", ")})` : ""}.`;
    });
    return {
      ...base,
      status: "warn",
      evidence: [
        ...evidence,
        "Twenty does not let an API key switch workflows off: open Workflows in Twenty, open each one above and click Deactivate, then reactivate it after the migration.",
      ],
    };
  } catch (error) {
    return {
      ...base,
      status: "warn",
      evidence: [
        `Ferry could not read the workflows (${error instanceof Error ? error.message : String(error)}). Check by hand that no workflow runs on record creation.`,
      ],
    };
  }
}

async function listWebhooks(client: HttpClient): Promise<TwentyWebhook[]> {
  // §5.2: /rest/metadata/webhooks answers {data:[…]}; the legacy /rest/webhooks a raw array or {data:{webhooks:[…]}}.
  const parse = (body: unknown): TwentyWebhook[] => {
    const data = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as { data?: unknown }).data : body;
    const list = Array.isArray(data) ? data : data !== null && typeof data === "object" ? (Object.values(data).find(Array.isArray) ?? []) : [];
    return (list as unknown[]).map((item) => TwentyWebhookSchema.parse(item));
  };
  try {
    return parse((await client.request({ method: "GET", path: "/rest/metadata/webhooks", query: { limit: 200 } })).data);
  } catch (error) {
    if (!(error instanceof ConnectorError) || (error.code !== "NOT_FOUND" && error.code !== "VALIDATION")) throw error;
    return parse((await client.request({ method: "GET", path: "/rest/webhooks" })).data);
  }
}

async function webhookCheck(deps: PrerequisiteDeps): Promise<AutomatedCheck> {
  const base = { id: "webhooks", title: "Webhooks that would receive every imported record", blocking: false } as const;
  try {
    const webhooks = await deps.once("webhooks", () => listWebhooks(deps.client));
    if (webhooks.length === 0) return { ...base, status: "pass", evidence: ["No webhook is registered."] };
    return {
      ...base,
      status: "warn",
      evidence: [
        ...webhooks.map((webhook) => `Webhook to ${webhook.targetUrl ?? "(no address)"} for ${(webhook.operations ?? ["*.*"]).join(", ")}.`),
        "Each imported record is sent to these addresses. Twenty has no pause switch for webhooks: note their settings, delete them in Settings → APIs & Webhooks, and create them again after the migration.",
      ],
    };
  } catch (error) {
    return {
      ...base,
      status: "warn",
      evidence: [`Ferry could not read the webhooks (${error instanceof Error ? error.message : String(error)}). Check Settings → APIs & Webhooks by hand.`],
    };
  }
}

/** Every target user who receives records (mapped, or the fallback user) is a workspace member; every source user is covered. */
async function membersCheck(deps: PrerequisiteDeps, plan: PlanForPrerequisites): Promise<AutomatedCheck> {
  const base = { id: "workspace-members", title: "Users are members of the Twenty workspace", blocking: true } as const;
  if (plan.users.length === 0) return { ...base, status: "pass", evidence: ["The plan maps no users."] };
  const users = await deps.users();
  const members = new Map(users.map((user) => [user.id, user]));
  const coverage = userCoverage(plan);
  const describe = (id: string) => describeTargetUser(members.get(id), id);
  const gone = [...coverage.receivers.entries()].filter(([id]) => !members.has(id));
  const evidence = [
    ...gone.map(
      ([id, entry]) => `${describe(id)} is not a member of the workspace any more (${receivesFrom(entry)}). Choose another member in step 6 (Mapping).`,
    ),
    ...uncoveredEvidence(coverage.uncovered, users, "invite them in Twenty under Settings → Members and map them once they have accepted"),
  ];
  if (evidence.length === 0) return { ...base, status: "pass", evidence: [coverageSummary(coverage, plan.users.length, describe)] };
  return { ...base, status: "fail", evidence };
}

export async function checkPrerequisites(deps: PrerequisiteDeps, plan: PlanForPrerequisites): Promise<PrerequisiteReport> {
  const model = await deps.model();
  const checks: AutomatedCheck[] = [await membersCheck(deps, plan)];
  const missingObjects = plan.objectTypes.filter((plural) => !model.byPlural.has(plural));
  checks.push(objectTypesCheck(plan, missingObjects));
  checks.push(...fieldChecks(model, plan, missingObjects));
  checks.push(ferrySourceIdCheck(model, plan));
  checks.push(await workflowCheck(deps, model, plan));
  checks.push(await webhookCheck(deps));
  return { checks, confirmations: MANUAL_CONFIRMATIONS };
}

function objectTypesCheck(plan: PlanForPrerequisites, missingObjects: string[]): AutomatedCheck {
  const readOnly = plan.objectTypes.filter((plural) => READ_ONLY_OBJECTS.has(plural));
  return {
    id: "object-types",
    title: "Objects to import into exist",
    status: missingObjects.length > 0 || readOnly.length > 0 ? "fail" : "pass",
    blocking: true,
    evidence:
      missingObjects.length > 0 || readOnly.length > 0
        ? [
            ...missingObjects.map((plural) =>
              plural === "tickets"
                ? `There is no Tickets object yet; Ferry can create it.`
                : `There is no "${plural}" object; create it in Settings → Data model.`,
            ),
            ...readOnly.map((plural) => `${plural} cannot be imported: Twenty adds members only by invitation.`),
          ]
        : [`${plan.objectTypes.join(", ") || "No objects"} found.`],
    ...(missingObjects.includes("tickets") ? { fix: { id: FIX_CREATE_TICKETS_OBJECT, label: "Create a Tickets object" } } : {}),
  };
}

/** The planned custom fields exist with a compatible type, and their select fields have every option the data uses. */
function fieldChecks(model: TwentyWorkspaceModel, plan: PlanForPrerequisites, missingObjects: string[]): AutomatedCheck[] {
  const audit = auditFields(model, plan);
  const fieldProblems = [
    ...audit.missing.map(({ planned }) => `${planned.objectType}: "${planned.label}" (${planned.type}) is missing.`),
    ...audit.missingObjects.filter((plural) => !missingObjects.includes(plural)).map((plural) => `${plural}: the object does not exist.`),
    ...audit.wrongType,
    ...audit.uncreatable,
  ];
  const customFields: AutomatedCheck = {
    id: "custom-fields",
    title: "Custom fields exist with a compatible type",
    status: fieldProblems.length > 0 ? "fail" : "pass",
    blocking: true,
    evidence: fieldProblems.length > 0 ? fieldProblems : [`All ${plan.customFields.length} custom fields exist.`],
    ...(audit.missing.length > 0
      ? { fix: { id: FIX_CREATE_MISSING_FIELDS, label: `Create ${audit.missing.length} missing field${audit.missing.length > 1 ? "s" : ""}` } }
      : {}),
  };
  const selectOptions: AutomatedCheck = {
    id: "select-options",
    title: "Select fields have every option the data uses",
    status: audit.missingOptions.length > 0 ? "fail" : "pass",
    blocking: true,
    evidence:
      audit.missingOptions.length > 0
        ? audit.missingOptions.map(
            ({ planned, field, options }) => `${planned.objectType}: "${field.label}" lacks ${options.map((option) => `"${option.label}"`).join(", ")}.`,
          )
        : ["Every planned option exists."],
    ...(audit.missingOptions.length > 0 ? { fix: { id: FIX_ADD_SELECT_OPTIONS, label: "Add the missing options" } } : {}),
  };
  return [customFields, selectOptions];
}

function ferrySourceIdCheck(model: TwentyWorkspaceModel, plan: PlanForPrerequisites): AutomatedCheck {
  const unstamped = plan.objectTypes.filter((plural) => {
    const object = model.byPlural.get(plural);
    return object && !READ_ONLY_OBJECTS.has(plural) && !NATURAL_KEY_OBJECTS.has(plural) && !object.fields.some((field) => field.name === FERRY_SOURCE_ID_FIELD);
  });
  return {
    id: "ferry-source-id",
    title: "Imported records can be recognised after an interruption",
    status: unstamped.length > 0 ? "warn" : "pass",
    blocking: false,
    evidence:
      unstamped.length > 0
        ? [
            `${unstamped.join(", ")} have no unique key Ferry can rely on (people have their email, companies their domain).`,
            `Ferry can add a unique text field "Ferry source id" (${FERRY_SOURCE_ID_FIELD}) holding each record's id in the source system, so an interrupted run never creates a record twice.`,
          ]
        : ["Every planned object has a natural key or a Ferry source id field."],
    ...(unstamped.length > 0 ? { fix: { id: FIX_CREATE_FERRY_SOURCE_ID, label: "Add a Ferry source id field" } } : {}),
  };
}

const MANUAL_CONFIRMATIONS: ManualConfirmation[] = [
  {
    id: "members-accepted",
    title: "Everyone who owns or is assigned records has joined Twenty",
    steps: [
      "In Twenty, open Settings → Members and invite the users who should keep their records (the others go to the fallback user).",
      "Ask them to accept the invitation: a pending invitation is not a member yet.",
      "Check that each of them appears in the member list, with the same email address as in the old system.",
    ],
    link: DOCS_LINK,
  },
  {
    id: "automations-paused",
    title: "Workflows and webhooks will not react to the import",
    steps: [
      "Deactivate workflows triggered when records are created or updated (Workflows → open the workflow → Deactivate).",
      "Delete webhooks you do not want to receive every imported record (Settings → APIs & Webhooks); recreate them afterwards.",
    ],
    link: DOCS_LINK,
  },
  {
    id: "after-migration",
    title: "Recreate what a migration does not carry",
    steps: [
      "Views (filters, sorts, kanban boards), workflows, roles and permissions must be set up again by hand in Twenty.",
      "Attachments are not copied by Ferry's Twenty connector; upload the important ones by hand.",
      "Each user connects their own email and calendar account in Settings → Accounts.",
    ],
    link: DOCS_LINK,
  },
];

// ---------------------------------------------------------------------------------------------
// Fixes
// ---------------------------------------------------------------------------------------------

/** Option payloads for new options; API values derive from the source value so both value and label match on write. */
function newOptions(options: SelectOption[], existing: { value: string }[]): { label: string; value: string; color: string; position: number }[] {
  const taken = new Set(existing.map((option) => option.value));
  return options.map((option, index) => {
    let value = toApiValue(option.value);
    for (let suffix = 2; taken.has(value); suffix += 1) value = `${toApiValue(option.value)}_${suffix}`;
    taken.add(value);
    const position = existing.length + index;
    return { label: option.label || option.value, value, color: OPTION_COLORS[position % OPTION_COLORS.length], position };
  });
}

async function createField(client: HttpClient, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  // §3.1: POST /rest/metadata/fields; answer {data:{createOneField:{…}}} or the bare field.
  const response = await client.request({ method: "POST", path: "/rest/metadata/fields", body });
  return metadataItem(response.data);
}

async function addOptions(client: HttpClient, field: TwentyFieldModel, options: SelectOption[]): Promise<Record<string, unknown>> {
  // §3.1: PATCH /rest/metadata/fields/{id} with the whole option list; existing options keep their ids.
  const kept = field.rawOptions.map((option) => ({ ...option }));
  const response = await client.request({
    method: "PATCH",
    path: `/rest/metadata/fields/${field.id}`,
    body: { options: [...kept, ...newOptions(options, kept)] },
  });
  return metadataItem(response.data);
}

/** A field created on an existing object, and noted in the session's loaded model (no re-read of the data model). */
async function createKnownField(deps: PrerequisiteDeps, body: Record<string, unknown> & { objectMetadataId: string }): Promise<void> {
  await deps.fieldChanged(await createField(deps.client, body), body.objectMetadataId);
}

/** Missing options added to a select field of an existing object, noted in the loaded model. */
async function addKnownOptions(deps: PrerequisiteDeps, model: TwentyWorkspaceModel, missing: FieldAudit["missingOptions"][number]): Promise<void> {
  const answer = await addOptions(deps.client, missing.field, missing.options);
  const object = model.byPlural.get(missing.planned.objectType);
  if (object) await deps.fieldChanged(answer, object.id);
  else deps.invalidate();
}

type FixRun = { changed: string[]; failed: string[] };

async function attempt(run: FixRun, description: string, action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    run.changed.push(description);
    return true;
  } catch (error) {
    if (error instanceof ConnectorError && (error.code === "AUTH_INVALID" || error.code === "PERMISSION_DENIED")) throw error;
    run.failed.push(`${description}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

function plannedFieldBody(model: TwentyWorkspaceModel, object: TwentyObjectModel, planned: PlannedField): Record<string, unknown> | null {
  const type = nativeTypeFor(planned.type, model.richTextType);
  if (type === null) return null;
  return {
    objectMetadataId: object.id,
    type,
    name: toFieldName(planned.key),
    label: planned.label,
    description: "Created by Ferry for a migration",
    icon: "IconTag",
    isNullable: true,
    isLabelSyncedWithName: false,
    ...(type === "SELECT" || type === "MULTI_SELECT" ? { options: newOptions(planned.options ?? [], []) } : {}),
  };
}

async function createTicketsObject(client: HttpClient, model: TwentyWorkspaceModel, run: FixRun): Promise<void> {
  if (model.byPlural.has("tickets")) return;
  let objectId: string | null = null;
  await attempt(run, "Created the Tickets object", async () => {
    // §3.1: POST /rest/metadata/objects; Twenty adds name, position, createdBy and timestamps.
    const response = await client.request({
      method: "POST",
      path: "/rest/metadata/objects",
      body: {
        nameSingular: "ticket",
        namePlural: "tickets",
        labelSingular: "Ticket",
        labelPlural: "Tickets",
        icon: "IconTicket",
        description: "Help desk tickets imported by Ferry",
      },
    });
    const id = metadataItem(response.data).id;
    if (typeof id !== "string") throw new ConnectorError("UNKNOWN", "Twenty did not return the new object's id");
    objectId = id;
  });
  if (objectId === null) return;
  const selects: [string, string, string[]][] = [
    ["status", "Status", ["Open", "Pending", "On hold", "Solved", "Closed"]],
    ["priority", "Priority", ["Low", "Medium", "High", "Urgent"]],
  ];
  for (const [name, label, labels] of selects) {
    await attempt(run, `Added "${label}" to Tickets`, () =>
      createField(client, {
        objectMetadataId: objectId,
        type: "SELECT",
        name,
        label,
        icon: "IconTag",
        isNullable: true,
        options: newOptions(
          labels.map((text) => ({ value: text, label: text })),
          [],
        ),
      }),
    );
  }
  await attempt(run, `Added "Description" to Tickets`, () =>
    createField(client, {
      objectMetadataId: objectId,
      type: model.richTextType,
      name: "description",
      label: "Description",
      icon: "IconFileText",
      isNullable: true,
    }),
  );
  await attempt(run, `Added "Ferry source id" to Tickets`, () =>
    createField(client, {
      objectMetadataId: objectId,
      type: "TEXT",
      name: FERRY_SOURCE_ID_FIELD,
      label: "Ferry source id",
      icon: "IconKey",
      isNullable: true,
      isUnique: true,
    }),
  );
  const relations: [string, string, string, string][] = [
    ["requester", "Requester", "people", "Requested tickets"],
    ["company", "Company", "companies", "Tickets"],
    ["assignee", "Assignee", "workspaceMembers", "Assigned tickets"],
  ];
  for (const [name, label, target, inverseLabel] of relations) {
    const targetObject = model.byPlural.get(target);
    if (!targetObject) continue;
    // §3.1: a RELATION field with relationCreationPayload; the MANY_TO_ONE side gets `<name>Id`.
    await attempt(run, `Linked Tickets to ${targetObject.label} ("${label}")`, () =>
      createField(client, {
        objectMetadataId: objectId,
        type: "RELATION",
        name,
        label,
        icon: "IconLink",
        isNullable: true,
        relationCreationPayload: {
          targetObjectMetadataId: targetObject.id,
          targetFieldLabel: inverseLabel,
          targetFieldIcon: "IconTicket",
          type: "MANY_TO_ONE",
        },
      }),
    );
  }
}

/** Every Twenty fix creates (objects, fields, options): additions, listed for the user, never removed by Ferry. */
export async function applyPrerequisiteFix(deps: PrerequisiteDeps, fixId: string, plan: PlanForPrerequisites): Promise<FixResult> {
  const run: FixRun = { changed: [], failed: [] };
  let model = await deps.model();
  try {
    switch (fixId) {
      case FIX_CREATE_TICKETS_OBJECT:
        await createTicketsObject(deps.client, model, run);
        // A new object comes with fields Twenty adds itself (and inverse relations on others): read it once.
        deps.invalidate();
        model = await deps.model();
        await createMissingFields(deps, model, plan, run, "tickets");
        break;
      case FIX_CREATE_MISSING_FIELDS:
        await createMissingFields(deps, model, plan, run, null);
        break;
      case FIX_ADD_SELECT_OPTIONS:
        for (const missing of auditFields(model, plan).missingOptions) {
          const { field, options, planned } = missing;
          await attempt(run, `Added ${options.length} option${options.length > 1 ? "s" : ""} to ${planned.objectType} "${field.label}"`, () =>
            addKnownOptions(deps, model, missing),
          );
        }
        break;
      case FIX_CREATE_FERRY_SOURCE_ID:
        for (const plural of plan.objectTypes) {
          const object = model.byPlural.get(plural);
          if (!object || READ_ONLY_OBJECTS.has(plural) || object.fields.some((field) => field.name === FERRY_SOURCE_ID_FIELD)) continue;
          await attempt(run, `Added "Ferry source id" to ${object.label}`, () =>
            createKnownField(deps, {
              objectMetadataId: object.id,
              type: "TEXT",
              name: FERRY_SOURCE_ID_FIELD,
              label: "Ferry source id",
              description: "Id of the record in the system it was migrated from (Ferry)",
              icon: "IconKey",
              isNullable: true,
              isUnique: true,
            }),
          );
        }
        break;
      default:
        throw new ConnectorError("VALIDATION", `Unknown fix "${fixId}" for Twenty`);
    }
  } finally {
    // A refused or unanswered request may still have changed something: read the model again next time.
    if (run.failed.length > 0) deps.invalidate();
  }
  if (run.failed.length > 0) {
    const done = run.changed.length > 0 ? ` Done: ${run.changed.join("; ")}.` : "";
    throw new ConnectorError("VALIDATION", `Twenty refused part of the fix: ${run.failed.join("; ")}.${done}`);
  }
  return { changed: run.changed, changes: run.changed.map((line) => ({ kind: "addition", ref: line, label: line, previous: null })) };
}

async function createMissingFields(
  deps: PrerequisiteDeps,
  model: TwentyWorkspaceModel,
  plan: PlanForPrerequisites,
  run: FixRun,
  onlyObject: string | null,
): Promise<void> {
  const audit = auditFields(model, plan);
  for (const { planned, object } of audit.missing) {
    if (onlyObject !== null && planned.objectType !== onlyObject) continue;
    const body = plannedFieldBody(model, object, planned);
    if (body === null) continue;
    await attempt(run, `Created ${object.label} field "${planned.label}" (${String(body.type)})`, () =>
      createKnownField(deps, { ...body, objectMetadataId: object.id }),
    );
  }
  // Options of existing select fields belong to the same request from the user's point of view.
  for (const missing of audit.missingOptions) {
    const { field, options, planned } = missing;
    if (onlyObject !== null && planned.objectType !== onlyObject) continue;
    await attempt(run, `Added ${options.length} option${options.length > 1 ? "s" : ""} to ${planned.objectType} "${field.label}"`, () =>
      addKnownOptions(deps, model, missing),
    );
  }
}
