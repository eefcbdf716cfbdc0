// Each Pipedrive object type's fields as Ferry sees them: the built-in ones (reference §5) and the
// company's custom fields (§6), each with its description, how it is read from a raw record and
// how it is written into a create or update body.
import { CREATED_AT_FIELD } from "@/connectors/shared/record-dates";
import { escapeHtml, invalidField } from "@/connectors/shared/values";
import type { CanonicalFieldType, CanonicalValue, FieldDescription, SelectOption } from "@/connectors/types";
import type { CompanyModel } from "../model";
import { PIPEDRIVE_SOURCE_ID_FIELD } from "../capabilities";
import { FIELD_COLLECTIONS, isFerrySourceIdField, type FieldedObjectType } from "../model";
import type { PipedriveField } from "../raw-schemas";
import * as v from "./values";
import type { UserDirectory } from "./values";

export type MapperContext = { model: CompanyModel; users: UserDirectory };
export type Raw = Record<string, unknown>;
export type Body = Record<string, unknown>;

export type FieldPlan = {
  description: FieldDescription;
  read: (raw: Raw, ctx: MapperContext) => CanonicalValue;
  /** Puts the value into the body (several fields may share one property: emails, value + currency). */
  write: (value: CanonicalValue, body: Body, ctx: MapperContext) => void;
};

function describe(key: string, label: string, type: CanonicalFieldType, nativeType: string, extra: Partial<FieldDescription> = {}): FieldDescription {
  return { key, label, type, nativeType, required: false, unique: false, readOnly: false, custom: false, ...extra };
}

const VARCHAR_MAX = 255;

const text = (key: string, label: string, property: string, extra: Partial<FieldDescription> = {}): FieldPlan => ({
  description: describe(key, label, "text", "varchar", { maxLength: VARCHAR_MAX, ...extra }),
  read: (raw) => v.textOrNull(raw[property]),
  write: (value, body) => {
    body[property] = v.asText(value, key, VARCHAR_MAX);
  },
});

const owner = (key: string, label: string, property: string): FieldPlan => ({
  description: describe(key, label, "user", "user"),
  read: (raw, ctx) => v.userRefOf(raw[property], ctx.users),
  write: (value, body, ctx) => {
    body[property] = v.asUserId(value, key, ctx.users);
  },
});

const link = (key: string, label: string, property: string, objectType: string): FieldPlan => ({
  description: describe(key, label, "relation", property, { relatesTo: objectType }),
  read: (raw) => v.relationOf(objectType, raw[property]),
  write: (value, body) => {
    body[property] = v.asRelationId(value, key);
  },
});

const date = (key: string, label: string, property: string): FieldPlan => ({
  description: describe(key, label, "date", "date"),
  read: (raw) => v.textOrNull(raw[property]),
  write: (value, body) => {
    body[property] = v.asDate(value, key);
  },
});

function contacts(raw: Raw, plural: string, singular: string): { value: string; primary: boolean }[] {
  const list = Array.isArray(raw[plural]) ? raw[plural] : Array.isArray(raw[singular]) ? raw[singular] : [];
  return (list as Raw[])
    .filter((item) => typeof item?.value === "string" && item.value !== "")
    .map((item) => ({ value: item.value as string, primary: item.primary === true }))
    .sort((a, b) => Number(b.primary) - Number(a.primary));
}

/** Emails or phones: the primary one and the others share one array property (§5.1). */
function contactPair(kind: "email" | "phone"): FieldPlan[] {
  const plural = `${kind}s`;
  const label = kind === "email" ? "Email" : "Phone";
  const item = kind === "email" ? (entry: CanonicalValue, key: string) => v.asText(entry, key) : v.asPhoneText;
  const setPart = (body: Body, index: 0 | 1, values: string[]) => {
    const parts = (body[`__${plural}`] as [string[], string[]] | undefined) ?? [[], []];
    parts[index] = values;
    body[`__${plural}`] = parts;
  };
  return [
    {
      description: describe(kind, label, kind, plural),
      read: (raw) => {
        const first = contacts(raw, plural, kind)[0]?.value ?? null;
        return kind === "email" ? first : v.phoneOf(first);
      },
      write: (value, body) => setPart(body, 0, asPrimary(value, kind, item)),
    },
    {
      description: describe(`additional${label}s`, `Other ${kind === "email" ? "emails" : "phones"}`, "text", plural),
      read: (raw) =>
        contacts(raw, plural, kind)
          .slice(1)
          .map((entry) => entry.value)
          .join(", ") || null,
      write: (value, body) => setPart(body, 1, v.asList(value, `additional${label}s`, item)),
    },
  ];
}

function asPrimary(value: CanonicalValue, key: string, item: (entry: CanonicalValue, key: string) => string | null): string[] {
  if (Array.isArray(value)) return v.asList(value as CanonicalValue, key, item);
  const one = item(value, key);
  return one ? [one] : [];
}

/** Joins the primary and the other emails or phones into the one array property they share. */
export function finishContacts(body: Body) {
  for (const plural of ["emails", "phones"]) {
    const parts = body[`__${plural}`] as [string[], string[]] | undefined;
    if (!parts) continue;
    delete body[`__${plural}`];
    const values = [...new Set([...parts[0], ...parts[1]])];
    body[plural] = values.map((value, index) => ({ value, primary: index === 0, label: "work" }));
  }
}

function stageOptions(ctx: MapperContext): SelectOption[] {
  const names = [...new Set(ctx.model.stages.map((stage) => stage.name))];
  return names.map((name) => ({ value: name, label: name }));
}

/** §5.3: a stage by name, in the body's pipeline when one is set, else in any pipeline (first by order). */
function stageByName(ctx: MapperContext, name: string, pipelineId: unknown) {
  const wanted = name.trim().toLowerCase();
  const matching = ctx.model.stages.filter((stage) => stage.name.trim().toLowerCase() === wanted);
  return matching.find((stage) => stage.pipeline_id === pipelineId) ?? (pipelineId === undefined ? matching[0] : undefined);
}

function dealFields(ctx: MapperContext): FieldPlan[] {
  const STATUSES: SelectOption[] = ["open", "won", "lost"].map((status) => ({ value: status, label: status[0].toUpperCase() + status.slice(1) }));
  return [
    text("title", "Title", "title", { required: true }),
    {
      // Keyed "amount" like the other CRMs' deal amount, so default plans pair them by name.
      description: describe("amount", "Value", "currency", "monetary"),
      read: (raw) => v.currencyOf(raw.value, raw.currency),
      write: (value, body) => {
        const money = v.asCurrency(value, "amount");
        body.value = money?.value ?? null;
        if (money?.currency) body.currency = money.currency;
      },
    },
    {
      description: describe("status", "Status", "select", "status", { options: STATUSES }),
      read: (raw) => v.textOrNull(raw.status),
      write: (value, body) => {
        const status = v.asText(value, "status")?.toLowerCase() ?? null;
        if (status !== null && !["open", "won", "lost"].includes(status)) throw invalidField("status", `"${status}" is not open, won or lost`);
        body.status = status;
      },
    },
    {
      description: describe("pipeline", "Pipeline", "select", "pipeline", {
        options: ctx.model.pipelines.map((pipeline) => ({ value: pipeline.name, label: pipeline.name })),
      }),
      read: (raw, context) => context.model.pipelines.find((pipeline) => pipeline.id === raw.pipeline_id)?.name ?? null,
      write: (value, body, context) => {
        const name = v.asText(value, "pipeline");
        if (name === null) return;
        const pipeline = context.model.pipelines.find((candidate) => candidate.name.trim().toLowerCase() === name.trim().toLowerCase());
        if (!pipeline) throw invalidField("pipeline", `Pipedrive has no pipeline "${name}"`);
        body.pipeline_id = pipeline.id;
      },
    },
    {
      description: describe("stage", "Stage", "select", "stage", { options: stageOptions(ctx) }),
      read: (raw, context) => context.model.stages.find((stage) => stage.id === raw.stage_id)?.name ?? null,
      write: (value, body) => {
        // Resolved in finishDeal, once the pipeline is known whatever the field order.
        body.__stage = v.asText(value, "stage");
      },
    },
    date("expectedCloseDate", "Expected close date", "expected_close_date"),
    {
      description: describe("probability", "Probability", "number", "double"),
      read: (raw) => (typeof raw.probability === "number" ? raw.probability : null),
      write: (value, body) => {
        body.probability = v.asNumber(value, "probability");
      },
    },
    text("lostReason", "Lost reason", "lost_reason"),
    link("person", "Contact person", "person_id", "persons"),
    link("organization", "Organization", "org_id", "organizations"),
    owner("owner", "Owner", "owner_id"),
  ];
}

/** §5.5: a source note's title as the bold first line of its content. */
export function finishNote(body: Body) {
  if (!("__title" in body)) return;
  const title = body.__title as string | null;
  delete body.__title;
  if (title === null || title.trim() === "") return;
  body.content = `<p><strong>${escapeHtml(title.trim())}</strong></p>${typeof body.content === "string" ? body.content : ""}`;
}

/** §5.1, §5.5: the objects whose create takes the record's creation date (add_time), and in which form. */
export const ADD_TIME_FORMAT: Record<string, "v1" | "v2"> = { persons: "v2", notes: "v1" };

/** The creation date as a writable field where Pipedrive takes one, so a plan maps the source's onto it. */
function creationDate(objectType: string): FieldPlan[] {
  if (!ADD_TIME_FORMAT[objectType]) return [];
  return [
    {
      description: describe(CREATED_AT_FIELD, "Created", "datetime", "add_time"),
      read: (raw) => v.instantOf(raw.add_time),
      write: (value, body) => {
        const instant = value === null ? null : v.instantOf(v.asText(value, CREATED_AT_FIELD));
        if (instant !== null) body.add_time = ADD_TIME_FORMAT[objectType] === "v2" ? instant.replace(/\.\d{3}Z$/, "Z") : instant.slice(0, 19).replace("T", " ");
      },
    },
  ];
}

/** Resolves the stage name set by the stage field (§5.3). */
export function finishDeal(body: Body, ctx: MapperContext) {
  if (!("__stage" in body)) return;
  const name = body.__stage as string | null;
  delete body.__stage;
  if (name === null) return;
  const stage = stageByName(ctx, name, body.pipeline_id);
  if (!stage) throw invalidField("stage", `Pipedrive has no stage "${name}"${body.pipeline_id === undefined ? "" : " in the deal's pipeline"}`);
  body.stage_id = stage.id;
  body.pipeline_id = stage.pipeline_id;
}

function activityFields(ctx: MapperContext): FieldPlan[] {
  const types = ctx.model.activityTypes.map((type) => ({ value: type.key_string, label: type.name }));
  return [
    text("subject", "Subject", "subject"),
    {
      description: describe("type", "Type", "select", "activity_type", { options: types }),
      read: (raw) => v.textOrNull(raw.type),
      write: (value, body, context) => {
        const wanted = v.asText(value, "type");
        if (wanted === null) return;
        const type = context.model.activityTypes.find((candidate) => candidate.key_string === wanted || candidate.name.toLowerCase() === wanted.toLowerCase());
        if (!type) throw invalidField("type", `Pipedrive has no activity type "${wanted}"`);
        body.type = type.key_string;
      },
    },
    date("dueDate", "Due date", "due_date"),
    text("dueTime", "Due time", "due_time", { maxLength: 5 }),
    text("duration", "Duration", "duration", { maxLength: 5 }),
    {
      description: describe("done", "Done", "boolean", "boolean"),
      read: (raw) => (typeof raw.done === "boolean" ? raw.done : null),
      write: (value, body) => {
        body.done = v.asBoolean(value, "done") ?? false;
      },
    },
    {
      description: describe("note", "Note", "html", "text"),
      read: (raw) => v.textOrNull(raw.note),
      write: (value, body) => {
        body.note = v.asText(value, "note");
      },
    },
    owner("assignee", "Assigned to", "owner_id"),
    link("person", "Person", "person_id", "persons"),
    link("organization", "Organization", "org_id", "organizations"),
    link("deal", "Deal", "deal_id", "deals"),
  ];
}

function builtInFields(objectType: string, ctx: MapperContext): FieldPlan[] {
  switch (objectType) {
    case "organizations":
      return [
        text("name", "Name", "name", { required: true }),
        {
          description: describe("address", "Address", "address", "address"),
          read: (raw) => v.addressOf(raw.address),
          write: (value, body) => {
            body.address = v.asAddress(value, "address");
          },
        },
        owner("owner", "Owner", "owner_id"),
      ];
    case "persons":
      return [
        {
          description: describe("name", "Name", "fullname", "varchar", { required: true }),
          read: (raw) => v.fullNameOf(raw.name),
          write: (value, body) => {
            body.name = v.asFullName(value, "name");
          },
        },
        ...contactPair("email"),
        ...contactPair("phone"),
        link("organization", "Organization", "org_id", "organizations"),
        owner("owner", "Owner", "owner_id"),
      ];
    case "deals":
      return dealFields(ctx);
    case "activities":
      return activityFields(ctx);
    case "notes":
      return [
        {
          description: describe("content", "Content", "html", "text", { required: true }),
          read: (raw) => v.textOrNull(raw.content),
          write: (value, body) => {
            body.content = v.asText(value, "content");
          },
        },
        {
          // §5.5: a note has no title; one from the source becomes the content's bold first line (finishNote).
          description: describe("title", "Title", "text", "title"),
          read: () => null,
          write: (value, body) => {
            body.__title = v.asText(value, "title");
          },
        },
        link("person", "Person", "person_id", "persons"),
        link("organization", "Organization", "org_id", "organizations"),
        link("deal", "Deal", "deal_id", "deals"),
        owner("author", "Author", "user_id"),
      ];
    default:
      return [];
  }
}

/** §6.3: a custom field's canonical type; null for types Ferry only reads as text. */
export function canonicalTypeOf(fieldType: string): { type: CanonicalFieldType; relatesTo?: string } | null {
  switch (fieldType) {
    case "varchar":
    case "varchar_auto":
    case "varchar_options":
    case "time":
      return { type: "text" };
    case "text":
      return { type: "longtext" };
    case "double":
      return { type: "number" };
    case "monetary":
      return { type: "currency" };
    case "phone":
      return { type: "phone" };
    case "date":
      return { type: "date" };
    case "enum":
      return { type: "select" };
    case "set":
      return { type: "multiselect" };
    case "address":
      return { type: "address" };
    case "user":
      return { type: "user" };
    case "org":
      return { type: "relation", relatesTo: "organizations" };
    case "people":
      return { type: "relation", relatesTo: "persons" };
    default:
      return null;
  }
}

function optionId(field: PipedriveField, value: CanonicalValue, key: string): number {
  const wanted = v.asText(value, key) ?? "";
  const option =
    field.options?.find((candidate) => String(candidate.id) === wanted) ??
    field.options?.find((candidate) => candidate.label.trim().toLowerCase() === wanted.trim().toLowerCase());
  if (!option) throw invalidField(key, `"${wanted}" is not an option of "${field.field_name}" in Pipedrive`);
  return option.id;
}

function readCustom(field: PipedriveField, raw: unknown, ctx: MapperContext): CanonicalValue {
  if (raw === null || raw === undefined) return null;
  switch (field.field_type) {
    case "double":
      return typeof raw === "number" ? raw : v.asNumber(v.textOrNull(raw), field.field_code);
    case "monetary":
      return v.isObject(raw) ? v.currencyOf(raw.value, raw.currency) : v.currencyOf(raw, null);
    case "phone":
      return v.phoneOf(raw);
    case "enum":
      return v.idOf(raw);
    case "set":
      return (Array.isArray(raw) ? raw : String(raw).split(",")).map((id) => String(id).trim());
    case "address":
      return v.addressOf(raw);
    case "user":
      return v.userRefOf(raw, ctx.users);
    case "org":
      return v.relationOf("organizations", raw);
    case "people":
      return v.relationOf("persons", raw);
    default:
      return typeof raw === "string" || typeof raw === "number" ? String(raw) : JSON.stringify(raw);
  }
}

function writeCustom(field: PipedriveField, value: CanonicalValue, key: string, ctx: MapperContext): unknown {
  if (value === null) return null;
  switch (field.field_type) {
    case "varchar":
    case "varchar_auto":
      return v.asText(value, key, VARCHAR_MAX);
    case "text":
      return v.asText(value, key);
    case "double":
      return v.asNumber(value, key);
    case "monetary":
      return v.asCurrency(value, key);
    case "phone":
      return v.asPhoneText(value, key);
    case "date":
      return v.asDate(value, key);
    case "time":
      return v.asText(value, key);
    case "enum":
      return optionId(field, value, key);
    case "set":
      return v.asList(value, key, (entry) => v.asText(entry, key)).map((entry) => optionId(field, entry, key));
    case "address":
      return v.asAddress(value, key);
    case "user":
      return v.asUserId(value, key, ctx.users);
    case "org":
    case "people":
      return v.asRelationId(value, key);
    default:
      throw invalidField(key, `Pipedrive ${field.field_type} fields cannot be written by Ferry`);
  }
}

function customFieldPlan(field: PipedriveField): FieldPlan {
  const canonical = canonicalTypeOf(field.field_type);
  // §8: Ferry's own field, stamped by the writer, described under the contract's key.
  const ferry = isFerrySourceIdField(field);
  const key = ferry ? PIPEDRIVE_SOURCE_ID_FIELD : field.field_code;
  const options = field.options?.map((option) => ({ value: String(option.id), label: option.label }));
  return {
    description: describe(key, field.field_name, canonical?.type ?? "text", field.field_type, {
      custom: true,
      readOnly: ferry || canonical === null,
      ...(options && options.length > 0 ? { options } : {}),
      ...(canonical?.relatesTo ? { relatesTo: canonical.relatesTo } : {}),
      ...(["varchar", "varchar_auto"].includes(field.field_type) ? { maxLength: VARCHAR_MAX } : {}),
    }),
    read: (raw, ctx) => readCustom(field, (raw.custom_fields as Raw | undefined)?.[field.field_code] ?? raw[field.field_code], ctx),
    write: (value, body, ctx) => {
      const custom = (body.custom_fields as Body | undefined) ?? {};
      custom[field.field_code] = writeCustom(field, value, key, ctx);
      body.custom_fields = custom;
    },
  };
}

/** Every field of an object type: built-in first, then the company's custom fields. */
export function fieldPlans(objectType: string, ctx: MapperContext): FieldPlan[] {
  const custom = objectType in FIELD_COLLECTIONS ? ctx.model.customFields[objectType as FieldedObjectType] : [];
  return [...builtInFields(objectType, ctx), ...creationDate(objectType), ...custom.map(customFieldPlan)];
}
