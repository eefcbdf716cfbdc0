// The Pipedrive sandbox's in-memory company: users, pipelines and stages, activity types, field
// definitions (built-in and custom, reference §6), and the records of each entity. Handlers read
// and change it; tests reach it through `state` to arrange data and check what was written.
import { createHash } from "node:crypto";
import type { SandboxTraffic } from "@/connectors/shared/sandbox-kit";

export const RECORD_ENTITIES = ["persons", "organizations", "deals", "activities"] as const;
export type RecordEntity = (typeof RECORD_ENTITIES)[number];

/** §1.3: the field collections, by record entity. */
export const FIELD_COLLECTIONS: Record<string, RecordEntity> = {
  personFields: "persons",
  organizationFields: "organizations",
  dealFields: "deals",
  activityFields: "activities",
};

export type FieldOption = { id: number; label: string; color: string | null };

/** §6.2: a field definition as v2 lists it. */
export type PipedriveField = {
  field_code: string;
  field_name: string;
  field_type: string;
  is_custom_field: boolean;
  is_optional_response_field: boolean;
  options: FieldOption[] | null;
  subfields: null;
};

/** A v2 record: `id`, times in ms (rendered per version), built-in values, and `custom_fields` by hash (§6.1). */
export type StoredRecord = {
  id: number;
  addTime: number;
  updateTime: number;
  isDeleted: boolean;
  values: Record<string, unknown>;
  customFields: Record<string, unknown>;
};

export type StoredNote = {
  id: number;
  content: string;
  person_id: number | null;
  org_id: number | null;
  deal_id: number | null;
  user_id: number;
  addTime: number;
  updateTime: number;
};

export type SandboxUser = { id: number; name: string; email: string; is_admin: boolean; active_flag: boolean };
export type Pipeline = { id: number; name: string; order_nr: number };
export type Stage = { id: number; name: string; pipeline_id: number; order_nr: number; deal_probability: number };
export type ActivityType = { id: number; name: string; key_string: string; active_flag: boolean };

/** §6.3: the types whose values search can find (§6.4). */
export const SEARCHABLE_FIELD_TYPES = new Set(["address", "varchar", "text", "varchar_auto", "double", "monetary", "phone"]);
export const FIELD_TYPES = new Set([
  "varchar",
  "varchar_auto",
  "text",
  "double",
  "monetary",
  "phone",
  "date",
  "daterange",
  "time",
  "timerange",
  "enum",
  "set",
  "address",
  "user",
  "org",
  "people",
]);

function builtIn(field_code: string, field_name: string, field_type: string): PipedriveField {
  return { field_code, field_name, field_type, is_custom_field: false, is_optional_response_field: false, options: null, subfields: null };
}

const BUILT_IN_FIELDS: Record<RecordEntity, PipedriveField[]> = {
  persons: [
    builtIn("name", "Name", "varchar"),
    builtIn("owner_id", "Owner", "user"),
    builtIn("org_id", "Organization", "org"),
    builtIn("emails", "Email", "varchar"),
    builtIn("phones", "Phone", "phone"),
  ],
  organizations: [builtIn("name", "Name", "varchar"), builtIn("owner_id", "Owner", "user"), builtIn("address", "Address", "address")],
  deals: [
    builtIn("title", "Title", "varchar"),
    builtIn("value", "Value", "monetary"),
    builtIn("owner_id", "Owner", "user"),
    builtIn("person_id", "Contact person", "people"),
    builtIn("org_id", "Organization", "org"),
    builtIn("stage_id", "Stage", "stage"),
    builtIn("status", "Status", "status"),
  ],
  activities: [
    builtIn("subject", "Subject", "varchar"),
    builtIn("type", "Type", "varchar"),
    builtIn("due_date", "Due date", "date"),
    builtIn("owner_id", "Assigned to user", "user"),
  ],
};

export class PipedriveStore implements SandboxTraffic {
  requestCount = 0;
  readonly faultsInjected = { serverError: 0, hang: 0 };
  readonly users: SandboxUser[] = [];
  readonly pipelines: Pipeline[] = [];
  readonly stages: Stage[] = [];
  readonly activityTypes: ActivityType[] = [];
  readonly fields: Record<RecordEntity, PipedriveField[]> = structuredClone(BUILT_IN_FIELDS);
  readonly records: Record<RecordEntity, Map<number, StoredRecord>> = { persons: new Map(), organizations: new Map(), deals: new Map(), activities: new Map() };
  readonly notes = new Map<number, StoredNote>();
  /** The user the API token belongs to (§1.2). */
  currentUserId = 1;
  companyName = "Sandbox Company";
  companyDomain = "sandbox";
  private nextId = 1;
  private nextOptionId = 1;
  private lastTime = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Ids are unique across entities, like a database sequence per company (any positive integer will do). */
  newId(): number {
    return this.nextId++;
  }

  /** Whole seconds (the API's resolution, §5), never going backwards. */
  now(): number {
    this.lastTime = Math.max(this.lastTime, Math.floor(this.clock() / 1000) * 1000);
    return this.lastTime;
  }

  addUser(user: Omit<SandboxUser, "id" | "active_flag"> & { active_flag?: boolean }): SandboxUser {
    const created = { id: this.newId(), active_flag: true, ...user };
    this.users.push(created);
    if (this.users.length === 1) this.currentUserId = created.id;
    return created;
  }

  addPipeline(name: string, stageNames: string[]): Pipeline {
    const pipeline = { id: this.newId(), name, order_nr: this.pipelines.length + 1 };
    this.pipelines.push(pipeline);
    stageNames.forEach((stageName, index) =>
      this.stages.push({ id: this.newId(), name: stageName, pipeline_id: pipeline.id, order_nr: index + 1, deal_probability: 100 }),
    );
    return pipeline;
  }

  addActivityType(name: string, key_string: string): ActivityType {
    const type = { id: this.newId(), name, key_string, active_flag: true };
    this.activityTypes.push(type);
    return type;
  }

  /** §6.1: custom fields get a 40-character hex key; §6.2: enum and set options get numeric ids. */
  addCustomField(entity: RecordEntity, field_name: string, field_type: string, optionLabels: string[] = []): PipedriveField {
    const field_code = createHash("sha1").update(`${entity}\n${field_name}\n${this.nextId++}`).digest("hex");
    const options = field_type === "enum" || field_type === "set" ? optionLabels.map((label) => ({ id: this.nextOptionId++, label, color: null })) : null;
    const field: PipedriveField = { field_code, field_name, field_type, is_custom_field: true, is_optional_response_field: false, options, subfields: null };
    this.fields[entity].push(field);
    return field;
  }

  addOption(field: PipedriveField, label: string): FieldOption {
    const option = { id: this.nextOptionId++, label, color: null };
    field.options = [...(field.options ?? []), option];
    return option;
  }

  customField(entity: RecordEntity, code: string): PipedriveField | undefined {
    return this.fields[entity].find((field) => field.is_custom_field && field.field_code === code);
  }

  /** Inserts a record as given (tests and the seed); handlers validate before calling it. */
  insert(entity: RecordEntity, values: Record<string, unknown>, customFields: Record<string, unknown> = {}, addTime?: number): StoredRecord {
    const time = this.now();
    const record: StoredRecord = { id: this.newId(), addTime: addTime ?? time, updateTime: addTime ?? time, isDeleted: false, values, customFields };
    this.records[entity].set(record.id, record);
    return record;
  }

  insertNote(note: Omit<StoredNote, "id" | "addTime" | "updateTime">, addTime?: number): StoredNote {
    const time = this.now();
    const stored = { ...note, id: this.newId(), addTime: addTime ?? time, updateTime: addTime ?? time };
    this.notes.set(stored.id, stored);
    return stored;
  }

  /** Live (not deleted) records of an entity, for tests. */
  live(entity: RecordEntity): StoredRecord[] {
    return [...this.records[entity].values()].filter((record) => !record.isDeleted);
  }
}
