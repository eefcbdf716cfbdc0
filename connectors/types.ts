// The contract every external system implements. Ferry's engine, wizard and CLI talk only to
// this interface; everything about one system lives in its own folder (connectors/<id>/).
import type { z } from "zod";

export type ConnectorKind = "helpdesk" | "crm";

/** Ferry's canonical field types; mapping compatibility and value transforms are defined on these. */
export const CANONICAL_FIELD_TYPES = [
  "text",
  "longtext",
  "html",
  "number",
  "boolean",
  "date",
  "datetime",
  "email",
  "phone",
  "url",
  "select",
  "multiselect",
  "user",
  "relation",
  "currency",
  "fullname",
  "address",
  "tags",
] as const;
export type CanonicalFieldType = (typeof CANONICAL_FIELD_TYPES)[number];

// ---------------------------------------------------------------------------------------------
// Canonical values: the shape a record's field value has between a reader and a writer.
// ---------------------------------------------------------------------------------------------
export type FullName = { firstName: string; lastName: string };
/** number in E.164 where it could be parsed; raw keeps what the source held. */
export type Phone = { e164: string | null; countryCode: string | null; callingCode: string | null; national: string | null; raw: string };
export type Currency = { amountMicros: number; currencyCode: string };
export type Address = {
  street1?: string;
  street2?: string;
  city?: string;
  postcode?: string;
  state?: string;
  country?: string;
};
/** A reference to another record of the same system, by that system's id. */
export type RelationRef = { objectType: string; id: string };
/** A reference to a user (agent, workspace member) of the same system. */
export type UserRef = { id: string; email: string | null; name?: string };

export type CanonicalValue =
  string | number | boolean | null | string[] | FullName | Phone | Phone[] | Currency | Address | RelationRef | RelationRef[] | UserRef;

export type Attachment = { id: string; fileName: string; contentType: string; sizeBytes: number; url: string };

/** One record as read from a source or written to a target, in canonical form. */
export type CanonicalRecord = {
  /** The id in the system the record was read from. */
  id: string;
  objectType: string;
  createdAt: string | null;
  updatedAt: string | null;
  fields: Record<string, CanonicalValue>;
  /** Child records that travel with their parent (ticket threads). */
  children?: Record<string, CanonicalRecord[]>;
  attachments?: Attachment[];
};

// ---------------------------------------------------------------------------------------------
// Schema description
// ---------------------------------------------------------------------------------------------
export type SelectOption = { value: string; label: string };

export type FieldDescription = {
  key: string;
  label: string;
  type: CanonicalFieldType;
  /** The system's own type name (e.g. Twenty's EMAILS, Teamwork Desk's dropdown). */
  nativeType: string;
  required: boolean;
  unique: boolean;
  readOnly: boolean;
  custom: boolean;
  options?: SelectOption[];
  /** For relation fields: the object type pointed at. */
  relatesTo?: string;
  /** For text fields: the longest value the target accepts. */
  maxLength?: number;
  /**
   * For relations: what a constant default (no source field) may be. "option": one of `options`,
   * the records of an object only the target holds (Teamwork Desk inboxes), picked on the mapping
   * page. "email": a person by email address, created by the target when missing (a placeholder
   * customer the user types).
   */
  relationDefault?: "option" | "email";
};

export type ObjectTypeDescription = {
  key: string;
  label: string;
  custom: boolean;
  canRead: boolean;
  canWrite: boolean;
  fields: FieldDescription[];
  /** Object types whose records must exist before these can be written (relations). */
  dependsOn: string[];
  /**
   * Child types only (canRead false, one dependsOn): the readable object type these children are
   * records of, read through their parent (Twenty notes linked to a ticket are `notes`). A plan
   * migrates such records either as children or as that object type, never both.
   */
  recordsOf?: string;
  /**
   * The object has neither a unique field nor a source id stamp, but its records keep what was
   * written (content, links, creation date): a pending create is then reconciled by content. Its
   * ExistingKey.keys hold the whole written record under CONTENT_KEY (JSON of `{ createdAt, fields }`),
   * which findExisting compares with what the system holds (Pipedrive notes).
   */
  matchedByContent?: boolean;
};

/** The key of ExistingKey.keys that carries the written record of a `matchedByContent` object. */
export const CONTENT_KEY = "writtenRecord";

export type SchemaDescription = { objectTypes: ObjectTypeDescription[] };

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------
export type AccountInfo = {
  accountName: string;
  userName: string;
  userEmail: string | null;
  /** e.g. "administrator", "agent", "api key (workspace)" */
  permissionLevel: string;
  isAdministrator: boolean;
};

export type ReadOptions = {
  /** Opaque resume cursor from a previous page; absent for the first page. */
  cursor?: string | null;
  /** Only records created or updated at or after this ISO instant (delta runs). */
  since?: string | null;
  /** Read at most this many records in total (demo runs). */
  sample?: number;
  pageSize?: number;
  /**
   * Child types (keys of `children`) to attach to each record. Children that cost extra requests
   * (Twenty notes of a ticket) are attached only when asked; children that come with the parent
   * (ticket threads) may be attached anyway.
   */
  children?: string[];
  /**
   * false: leave out relations the target keeps as separate link rows (Twenty's noteTargets and
   * taskTargets: more requests per page); their fields are then absent from the records read.
   * Verification reads without them when the writer had each row confirmed (default true).
   */
  separateRelations?: boolean;
};

export type RecordPage = {
  records: CanonicalRecord[];
  /** Cursor to resume after this page; null when this was the last page. */
  nextCursor: string | null;
};

export type CountFilters = { since?: string | null };

export type WriteMode = "create" | "upsert" | "update";

export type WriteRequest = {
  /** Ferry's key for matching the result back (the source record's id). */
  sourceId: string;
  /** For update: the target id to update. */
  targetId?: string;
  record: CanonicalRecord;
};

/**
 * A record that exists in the target but whose write could not be finished for a reason that
 * passes (a rate limit, an outage): e.g. a Twenty note whose link rows were refused with 429.
 * The engine keeps the record (never failed, never deleted) and writes it again later as an
 * update of its targetId.
 */
export type UnfinishedWrite = { code: ConnectorErrorCode; message: string; retryAfterMs?: number };

export type WriteResult =
  | { sourceId: string; status: "created" | "updated"; targetId: string; unfinished?: UnfinishedWrite }
  | { sourceId: string; status: "failed"; error: { code: ConnectorErrorCode; message: string; field?: string } };

/** Natural keys used to find records already in the target after a crash (email, domain, external id). */
export type ExistingKey = { sourceId: string; keys: Record<string, string> };
export type ExistingMatch = { sourceId: string; targetId: string };

export type RemoveResult = { id: string; status: "removed" | "not_found" | "failed"; message?: string };

// ---------------------------------------------------------------------------------------------
// Prerequisites
// ---------------------------------------------------------------------------------------------
/** One source user of the plan and the target user who receives their records. */
export type PlannedUser = {
  sourceUserId: string;
  sourceEmail: string | null;
  /** How the user is named in words (name, else email, else id). */
  sourceLabel: string;
  /** The target user chosen for them in the mapping; null: the fallback user applies. */
  targetUserId: string | null;
};

export type PlanForPrerequisites = {
  objectTypes: string[];
  /**
   * Every source user of the plan with the target user chosen for them. A user is covered when
   * mapped to a target user or, unmapped, by the fallback user: the check is on the target users
   * who receive records, never on the source users' own emails (agents who left included).
   */
  users: PlannedUser[];
  /** Target user who receives the records of unmapped source users; null: none. */
  fallbackUserId: string | null;
  /** Custom fields the plan expects on the target. */
  customFields: { objectType: string; key: string; label: string; type: CanonicalFieldType; options?: SelectOption[] }[];
};

export type AutomatedCheck = {
  id: string;
  title: string;
  status: "pass" | "warn" | "fail";
  /** What was found, in words a support manager understands ("bob@example.com has not accepted"). */
  evidence: string[];
  /** Blocking checks keep the full run from starting while they fail. */
  blocking: boolean;
  /** A fix Ferry can apply through the API with the user's consent. */
  fix?: { id: string; label: string };
};

/**
 * One change a fix made to the system, reported so Ferry can record it, show it and undo it.
 * "setting": something the system had before (a trigger switched off); Ferry restores it from
 * `previous`. "addition": something Ferry created (a custom field, an object); listed, never removed.
 */
export type SystemChange = {
  kind: "setting" | "addition";
  /** The system's id of what changed (a trigger id); restoreSettings receives it back. */
  ref: string;
  /** What was done, for the user: "Switched off the trigger “Send auto-reply”". */
  label: string;
  /** What restoring needs (e.g. { state: "active" }); null for additions. */
  previous: Record<string, string | number | boolean | null> | null;
};

export type FixResult = {
  /** One line per change, for logs and notices. */
  changed: string[];
  /** What changed, as data; a connector whose fixes change settings must report them here. */
  changes?: SystemChange[];
};

export type SettingRestoreResult = {
  ref: string;
  /** "unchanged": already as it was before; "gone": no longer exists in the system. */
  status: "restored" | "unchanged" | "gone" | "failed";
  message?: string;
};

export type ManualConfirmation = { id: string; title: string; steps: string[]; link?: string };

export type PrerequisiteReport = { checks: AutomatedCheck[]; confirmations: ManualConfirmation[] };

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------
export const CONNECTOR_ERROR_CODES = [
  "AUTH_INVALID",
  "PERMISSION_DENIED",
  "NOT_FOUND",
  "RATE_LIMITED",
  "TEMPORARY",
  "VALIDATION",
  "CONFLICT",
  "UNKNOWN",
] as const;
export type ConnectorErrorCode = (typeof CONNECTOR_ERROR_CODES)[number];

/**
 * Codes that say "not now" rather than "not this": a rate limit, an outage, a timeout. A write
 * refused with one of them is sent again later, never reported as the record's failure.
 */
export const TRANSIENT_ERROR_CODES: readonly ConnectorErrorCode[] = ["RATE_LIMITED", "TEMPORARY"];

export function isTransientCode(code: string): boolean {
  return (TRANSIENT_ERROR_CODES as readonly string[]).includes(code);
}

const USER_MESSAGES: Record<ConnectorErrorCode, string> = {
  AUTH_INVALID: "The API key was rejected. Check that it is copied whole and has not been revoked.",
  PERMISSION_DENIED: "The API key works but lacks permission for this. Use a key that belongs to an administrator.",
  NOT_FOUND: "The record or address was not found. Check the site name or base URL.",
  RATE_LIMITED: "The system asked Ferry to slow down. Ferry waits and tries again.",
  TEMPORARY: "The system is temporarily unavailable. Ferry tries again shortly.",
  VALIDATION: "The system rejected the data. The message says which field.",
  CONFLICT: "A record with the same unique value already exists.",
  UNKNOWN: "Something unexpected happened while talking to the system.",
};

export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly field?: string;

  constructor(code: ConnectorErrorCode, message?: string, options?: { status?: number; retryAfterMs?: number; field?: string; cause?: unknown }) {
    super(message ?? USER_MESSAGES[code], { cause: options?.cause });
    this.name = "ConnectorError";
    this.code = code;
    this.status = options?.status;
    this.retryAfterMs = options?.retryAfterMs;
    this.field = options?.field;
  }

  /** The sentence to show a user for this kind of failure. */
  get userMessage(): string {
    return USER_MESSAGES[this.code];
  }
}

export function userMessageFor(code: ConnectorErrorCode): string {
  return USER_MESSAGES[code];
}

// ---------------------------------------------------------------------------------------------
// The connector
// ---------------------------------------------------------------------------------------------
export type ApiKeyHowTo = { steps: string[]; link: string };

/**
 * What an object means whatever the system calls it. Default plans pair the objects of two
 * different systems by role (a CRM's person is a help desk's customer), and default mappings use
 * it (a ticket's status becomes a task's). "message": a ticket's thread entries (child records);
 * "user": the system's users (agents, members), matched by email, never created.
 */
export const OBJECT_ROLES = ["company", "person", "ticket", "message", "deal", "note", "task", "user"] as const;
export type ObjectRole = (typeof OBJECT_ROLES)[number];

/**
 * What a field means whatever the system calls it, where names alone do not tell (a deal's
 * "value" is an opportunity's "amount"). Default mappings map a target field of a role that no
 * name matched from the source field of the same role, when their types are compatible.
 */
export const FIELD_ROLES = ["name", "body", "amount", "closeDate", "dueDate", "stage", "status", "company", "person", "owner"] as const;
export type FieldRole = (typeof FIELD_ROLES)[number];

/** A fix the connector's prerequisite checks may offer (AutomatedCheck.fix.id is its id). */
export type FixDeclaration = {
  id: string;
  /** What the fix does, in a few words; a check's own fix label may say more ("Create 3 missing fields"). */
  label: string;
  /** What the fix changes in the system, for the consent dialog. */
  effect: string;
  /** Whether it adds objects or fields: the plan then follows the fields as the system named them. */
  changesSchema: boolean;
  /** Fixes applied together run in this order, lowest first (objects, then their fields, then options). */
  order: number;
  /**
   * Applied by unattended setup (CLI, benchmarks, tests) even when no check offers it: the fix
   * that adds the source id field, so an interrupted write can always be reconciled.
   */
  alwaysApply?: boolean;
};

/**
 * What a system declares about itself. A new connector fills in every field (connectors/README.md
 * has the checklist): lib/ and app/ read these instead of naming the system.
 */
export type ConnectorManifest<Credentials> = {
  id: string;
  name: string;
  kind: ConnectorKind;
  /** zod schema for the credentials form; drives the wizard form and validation. */
  credentialSchema: z.ZodType<Credentials>;
  /** Form fields in display order; secret fields are never echoed back to the browser. */
  credentialFields: { key: string; label: string; secret: boolean; placeholder?: string; help?: string }[];
  apiKeyHowTo: ApiKeyHowTo;
  reads: string[];
  writes: string[];
  /** Published API limit, used for estimates and the client's limiter. */
  rateLimit: { requests: number; perMs: number };
  /** Largest number of records one write request carries. */
  maxBatchSize: number;
  /**
   * Records one write request carries for the target objects that take fewer than maxBatchSize
   * (e.g. one record per create); estimates count requests per object with it.
   */
  recordsPerWrite?: Record<string, number>;
  /** What a migration leaves behind in this system as a source, in words for the full-run page. */
  notRead: string[];
  /** What this system cannot receive as a target, in words for the full-run page. */
  notWritten: string[];
  /** Whether records read from this system carry their files (attachments). */
  readsAttachments: boolean;
  /** Whether this system's writer uploads records' files. */
  writesAttachments: boolean;
  /** Target objects whose writes keep a record's own creation date with no field mapping (Teamwork Desk's import). */
  keepsCreationDate: string[];
  /** The role of each object key the system describes; objects without one are paired only with the same key. */
  objectRoles: Record<string, ObjectRole>;
  /** Roles of the main fields, by object key then field key (FieldRole); fields names already match need none. */
  fieldRoles?: Record<string, Record<string, FieldRole>>;
  /**
   * The field a target object may hold each record's source id in (a unique custom text field on
   * Twenty, added by a fix). The writer stamps it on every write and findExisting matches
   * ExistingKey.sourceId against it: the one key never ambiguous. Absent: the system has none.
   */
  sourceIdField?: string;
  /** Whether a plan may map source fields onto new custom fields, which the system's fixes create. */
  createsFields: boolean;
  /**
   * Objects a fix creates when a plan needs them (Twenty's Tickets object), as describe() will
   * report them: a plan may pair with them before they exist. Their roles are in objectRoles.
   */
  objectTemplates: ObjectTypeDescription[];
  /** Every fix the system's prerequisite checks may offer. */
  fixes: FixDeclaration[];
  /** What this system offers a sync as a target (lib/sync); absent: neither. */
  sync?: SyncSupport;
};

/** Whether Ferry can write to the system at all (the Sample source cannot). */
export function canBeTarget(manifest: Pick<ConnectorManifest<unknown>, "writes">): boolean {
  return manifest.writes.length > 0;
}

/** Whether a connection to the system needs no account (no secret credential): a built-in source to try Ferry with. */
export function needsNoAccount(manifest: Pick<ConnectorManifest<unknown>, "credentialFields">): boolean {
  return manifest.credentialFields.every((field) => !field.secret);
}

/** The declaration of a fix id a check offered; undefined for one the system does not declare. */
export function declaredFix(manifest: Pick<ConnectorManifest<unknown>, "fixes">, fixId: string): FixDeclaration | undefined {
  return manifest.fixes.find((fix) => fix.id === fixId);
}

/**
 * What a target can do for sync until cutover. `reportsUpdatedAt`: its session's `versions` reads
 * each record's last change time, so Ferry sees edits made in the target since its own last write
 * (conflicts). `archive`: its session's `archive` hides records in a way a user can undo (null:
 * only delete or report are offered), in words for the sync settings.
 */
export type SyncSupport = { reportsUpdatedAt: boolean; archive: string | null };

/** A target record's last change time, as the target reports it (ISO instant). */
export type RecordVersion = { id: string; updatedAt: string };

export type ConnectorSession = {
  verify(): Promise<AccountInfo>;
  describe(): Promise<SchemaDescription>;
  count(objectType: string, filters?: CountFilters): Promise<number>;
  read(objectType: string, options?: ReadOptions): AsyncGenerator<RecordPage>;
  write(objectType: string, requests: WriteRequest[], mode?: WriteMode): Promise<WriteResult[]>;
  findExisting(objectType: string, keys: ExistingKey[]): Promise<ExistingMatch[]>;
  remove(objectType: string, ids: string[]): Promise<RemoveResult[]>;
  prerequisites(plan: PlanForPrerequisites): Promise<PrerequisiteReport>;
  /** Applies a fix offered by a prerequisite check (with the user's consent). */
  applyFix?(fixId: string, plan: PlanForPrerequisites): Promise<FixResult>;
  /** Puts back settings a fix changed (its SystemChanges of kind "setting"), one result per ref. */
  restoreSettings?(changes: Pick<SystemChange, "ref" | "previous">[]): Promise<SettingRestoreResult[]>;
  /** Sync: each record's last change time (manifest.sync.reportsUpdatedAt); ids not found are left out. */
  versions?(objectType: string, ids: string[]): Promise<RecordVersion[]>;
  /** Sync: hides records in a way a user can undo (manifest.sync.archive); like remove, one result per id. */
  archive?(objectType: string, ids: string[]): Promise<RemoveResult[]>;
  /** Lists the target's users so the plan can map them by email. */
  listUsers(): Promise<UserRef[]>;
  /** The limit this session's requests keep to: the published one, or the lower one the server showed (no request made); null when none. */
  rateLimit?(): { requests: number; perMs: number } | null;
};

export type ConnectOptions = {
  allowPrivateHosts?: boolean;
  /** Requests per window this session allows itself; default the system's published limit, null none. */
  rateLimit?: { requests: number; perMs: number } | null;
};

/**
 * A connector's own wording in each of Ferry's languages (connectors/<id>/messages/<locale>.json),
 * keyed by what it describes; the app shows it in place of the manifest's English where present.
 */
export type ConnectorMessages = {
  credentialFields?: Record<string, { label?: string; placeholder?: string; help?: string }>;
  /** Object types by key ("tickets" → "Tickets"); fields by "<object>.<field>" are not translated (they are the system's own names). */
  objects?: Record<string, string>;
  apiKeyHowTo?: { steps: string[] };
  /** By AutomatedCheck.id. */
  checks?: Record<string, { title?: string; fix?: string }>;
  /** By ManualConfirmation.id. */
  confirmations?: Record<string, { title?: string; steps?: string[] }>;
  notRead?: string[];
  notWritten?: string[];
  /** What a fix changes, by FixDeclaration.id, for the consent dialog (the declaration's `effect` is the English). */
  fixEffects?: Record<string, string>;
  /** What the sync's archive does in this target (manifest.sync.archive is the English). */
  syncArchive?: string;
};

export type Connector<Credentials = unknown> = {
  manifest: ConnectorManifest<Credentials>;
  /** Its strings in English and French; tests/unit/i18n-catalogues.test.ts requires both, with the same keys. */
  messages?: { en: ConnectorMessages; fr: ConnectorMessages };
  /** Opens a session with validated credentials; it owns one HTTP client and its rate limiter. */
  connect(credentials: Credentials, options?: ConnectOptions): ConnectorSession;
  /**
   * Where a user opens a record in the system's own web app, from the connection's base URL (the
   * address its API is reached at); null when the system has no such page or Ferry cannot know it.
   */
  recordUrl?(baseUrl: URL, objectType: string, id: string): string | null;
};
