// Schema description (ConnectorSession.describe) from the workspace model. The same field plans
// drive record mapping, so what describe() promises is exactly what read() and write() handle.
import type { FieldDescription, ObjectTypeDescription, SchemaDescription } from "@/connectors/types";
import { canonicalTypeFor } from "./field-types";
import { READ_ONLY_OBJECTS, exposedObjects } from "./metadata";
import type { TwentyFieldModel, TwentyObjectModel, TwentyWorkspaceModel } from "./metadata";

/**
 * One exposed field. Composite lists get a second key for their extra items so nothing is lost
 * between systems: "emails" (primary) + "emails.additionalEmails", "phones" +
 * "phones.additionalPhones", "domainName" + "domainName.secondaryLinks".
 */
export type TwentyFieldPlan = { key: string; field: TwentyFieldModel; part: "value" | "additional"; description: FieldDescription };

/** A note/task link to records of one object, created as noteTargets/taskTargets rows on write. */
export type TwentyTargetPlan = { key: string; target: string; column: string; description: FieldDescription };

export type TwentyObjectPlan = { object: TwentyObjectModel; fields: TwentyFieldPlan[]; targets: TwentyTargetPlan[]; description: ObjectTypeDescription };

export const TARGETS_KEY_PREFIX = "targets.";

const ADDITIONAL_PART: Record<string, { suffix: string; type: FieldDescription["type"] }> = {
  EMAILS: { suffix: "additionalEmails", type: "tags" },
  PHONES: { suffix: "additionalPhones", type: "phone" },
  LINKS: { suffix: "secondaryLinks", type: "tags" },
};

// Columns Twenty maintains itself; createdAt stays writable because recent builds accept it on create (§7).
const SYSTEM_READ_ONLY = new Set(["updatedAt", "createdBy", "updatedBy"]);
const HIDDEN_FIELDS = new Set(["id", "deletedAt", "searchVector"]);

function fieldPlans(object: TwentyObjectModel, model: TwentyWorkspaceModel): TwentyFieldPlan[] {
  const joinColumns = new Set(object.fields.map((field) => field.relation?.joinColumn).filter((column): column is string => Boolean(column)));
  const objectReadOnly = READ_ONLY_OBJECTS.has(object.namePlural);
  const plans: TwentyFieldPlan[] = [];
  for (const field of object.fields) {
    if (!field.active || HIDDEN_FIELDS.has(field.name)) continue;
    if (field.nativeType === "UUID" && joinColumns.has(field.name)) continue;
    if (field.nativeType === "MORPH_RELATION") continue;
    const mapping = canonicalTypeFor(field.nativeType, model.richTextIsComposite);
    if (mapping === null) continue;
    let type = mapping.type;
    let relatesTo: string | undefined;
    if (field.nativeType === "RELATION") {
      // Only the side holding the join column is a value; ONE_TO_MANY lists are the inverse view.
      if (field.relation?.kind !== "MANY_TO_ONE" || !field.relation.joinColumn || !field.relation.target) continue;
      relatesTo = field.relation.target;
      if (relatesTo === "workspaceMembers") type = "user";
    }
    const readOnly = objectReadOnly || mapping.readOnly || SYSTEM_READ_ONLY.has(field.name);
    const description: FieldDescription = {
      key: field.name,
      label: field.label,
      type,
      nativeType: field.nativeType,
      required: !readOnly && !field.nullable && field.defaultValue === null && !field.system,
      unique: field.unique,
      readOnly,
      custom: field.custom,
      ...(field.options.length > 0 && (type === "select" || type === "multiselect") ? { options: field.options } : {}),
      ...(relatesTo ? { relatesTo } : {}),
    };
    plans.push({ key: field.name, field, part: "value", description });
    const extra = ADDITIONAL_PART[field.nativeType];
    if (extra) {
      const key = `${field.name}.${extra.suffix}`;
      plans.push({
        key,
        field,
        part: "additional",
        description: { ...description, key, label: `${field.label} (additional)`, type: extra.type, required: false, unique: false },
      });
    }
  }
  return plans;
}

function targetPlans(object: TwentyObjectModel, model: TwentyWorkspaceModel, exposed: Set<string>): TwentyTargetPlan[] {
  const link = model.targetLinks.get(object.namePlural);
  if (!link) return [];
  const plans: TwentyTargetPlan[] = [];
  for (const [target, column] of link.columns) {
    if (!exposed.has(target) || target === "workspaceMembers") continue;
    const key = `${TARGETS_KEY_PREFIX}${target}`;
    const label = `Linked ${model.byPlural.get(target)?.label ?? target}`;
    plans.push({
      key,
      target,
      column,
      description: {
        key,
        label,
        type: "relation",
        nativeType: link.joinObject,
        required: false,
        unique: false,
        readOnly: false,
        custom: false,
        relatesTo: target,
      },
    });
  }
  return plans;
}

/** Field and target plans for every exposed object, keyed by namePlural. */
export function planWorkspace(model: TwentyWorkspaceModel): Map<string, TwentyObjectPlan> {
  const objects = exposedObjects(model);
  const exposed = new Set(objects.map((object) => object.namePlural));
  const plans = new Map<string, TwentyObjectPlan>();
  for (const object of objects) {
    const fields = fieldPlans(object, model);
    const targets = targetPlans(object, model, exposed);
    const dependsOn = new Set<string>();
    for (const plan of fields) {
      const target = plan.description.relatesTo;
      if (plan.description.type === "relation" && target && target !== object.namePlural && exposed.has(target) && !plan.description.readOnly)
        dependsOn.add(target);
    }
    for (const plan of targets) dependsOn.add(plan.target);
    const description: ObjectTypeDescription = {
      key: object.namePlural,
      label: object.label,
      custom: object.custom,
      canRead: true,
      canWrite: !READ_ONLY_OBJECTS.has(object.namePlural),
      fields: [...fields.map((plan) => plan.description), ...targets.map((plan) => plan.description)],
      dependsOn: [...dependsOn],
    };
    plans.set(object.namePlural, { object, fields, targets, description });
  }
  return plans;
}

/**
 * Notes linked to a record of a custom object, read as that record's thread (Ferry's Tickets
 * object: the notes a help desk migration wrote from the ticket's messages). One child type per
 * custom object notes can link to, keyed "<singular>Notes" ("ticketNotes"); read only when asked
 * (ReadOptions.children), written never: Twenty keeps notes as records of their own.
 */
export type TwentyNoteThreadPlan = { key: string; parent: TwentyObjectModel; column: string; description: ObjectTypeDescription };

export const NOTE_THREAD_FIELDS = { title: "title", body: "body", author: "author" } as const;

export function noteThreadPlans(model: TwentyWorkspaceModel, plans: Map<string, TwentyObjectPlan>): Map<string, TwentyNoteThreadPlan> {
  const result = new Map<string, TwentyNoteThreadPlan>();
  const link = model.targetLinks.get("notes");
  if (!link || !plans.has("notes")) return result;
  for (const plan of plans.values()) {
    const column = link.columns.get(plan.object.namePlural);
    if (!plan.object.custom || column === undefined) continue;
    const key = `${plan.object.nameSingular}Notes`;
    const field = (name: string, label: string, type: FieldDescription["type"], nativeType: string): FieldDescription => ({
      key: name,
      label,
      type,
      nativeType,
      required: false,
      unique: false,
      readOnly: false,
      custom: false,
    });
    result.set(key, {
      key,
      parent: plan.object,
      column,
      description: {
        key,
        label: `Notes on ${plan.object.label}`,
        custom: false,
        canRead: false,
        canWrite: false,
        dependsOn: [plan.object.namePlural],
        recordsOf: "notes",
        fields: [
          field(NOTE_THREAD_FIELDS.title, "Title", "text", "notes.title"),
          // The title leads the body too: the thread a help desk shows has no title of its own.
          field(NOTE_THREAD_FIELDS.body, "Title and body", "html", "notes.title + notes.bodyV2"),
          field(NOTE_THREAD_FIELDS.author, "Author", "user", "notes.createdBy (workspace member, else the API key or import)"),
        ],
      },
    });
  }
  return result;
}

export function describeWorkspace(model: TwentyWorkspaceModel): SchemaDescription {
  const plans = planWorkspace(model);
  return {
    objectTypes: [...[...plans.values()].map((plan) => plan.description), ...[...noteThreadPlans(model, plans).values()].map((plan) => plan.description)],
  };
}
