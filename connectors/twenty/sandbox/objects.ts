// Twenty's data model as the sandbox serves it: metadata types (reference §3.1, §3.3) and the
// standard objects with their key fields (reference §4). Field names, types, defaults and select
// values are Twenty's; the standard objects carry only the fields a migration touches.

export const FIELD_METADATA_TYPES = [
  "UUID",
  "TEXT",
  "NUMBER",
  "NUMERIC",
  "BOOLEAN",
  "DATE_TIME",
  "DATE",
  "SELECT",
  "MULTI_SELECT",
  "RATING",
  "RAW_JSON",
  "ARRAY",
  "POSITION",
  "CURRENCY",
  "FULL_NAME",
  "EMAILS",
  "PHONES",
  "LINKS",
  "ADDRESS",
  // Reference §3.3: RICH_TEXT_V2 is renamed RICH_TEXT in 2026 builds; both names carry {blocknote, markdown}.
  "RICH_TEXT_V2",
  "RICH_TEXT",
  "ACTOR",
  "RELATION",
  "MORPH_RELATION",
  "TS_VECTOR",
] as const;
export type FieldMetadataType = (typeof FIELD_METADATA_TYPES)[number];

export type RelationType = "MANY_TO_ONE" | "ONE_TO_MANY";
export type OnDeleteAction = "SET_NULL" | "CASCADE";

export type FieldOption = { id: string; label: string; value: string; color: string; position: number };

export type RelationSettings = { relationType: RelationType; joinColumnName?: string; onDelete?: OnDeleteAction };

export type FieldMetadata = {
  id: string;
  objectMetadataId: string;
  type: FieldMetadataType;
  name: string;
  label: string;
  description: string | null;
  icon: string | null;
  isCustom: boolean;
  isActive: boolean;
  isSystem: boolean;
  isNullable: boolean;
  isUnique: boolean;
  /** Twenty's SQL-ish default: `"'NEW'"`, `"now"`, `{ firstName: "''" }` (reference §3.1). */
  defaultValue: unknown;
  options: FieldOption[] | null;
  settings: Record<string, unknown> | null;
  isLabelSyncedWithName: boolean;
  createdAt: string;
  updatedAt: string;
  /** The other side of a RELATION / MORPH_RELATION field; rendered as `relation` in metadata answers. */
  relationTarget: { objectMetadataId: string; fieldMetadataId: string } | null;
};

export type ObjectMetadata = {
  id: string;
  nameSingular: string;
  namePlural: string;
  labelSingular: string;
  labelPlural: string;
  description: string | null;
  icon: string | null;
  isCustom: boolean;
  isActive: boolean;
  isSystem: boolean;
  createdAt: string;
  updatedAt: string;
  labelIdentifierFieldMetadataId: string | null;
  imageIdentifierFieldMetadataId: string | null;
};

export function isRelationField(field: FieldMetadata): boolean {
  return field.type === "RELATION" || field.type === "MORPH_RELATION";
}

/** The join column (`companyId`) of a MANY_TO_ONE relation field, or null for other fields. */
export function joinColumnOf(field: FieldMetadata): string | null {
  if (!isRelationField(field)) return null;
  const settings = field.settings as RelationSettings | null;
  return settings?.relationType === "MANY_TO_ONE" ? (settings.joinColumnName ?? `${field.name}Id`) : null;
}

// ---------------------------------------------------------------------------------------------
// Standard objects (reference §4)
// ---------------------------------------------------------------------------------------------

export type FieldSpec = {
  name: string;
  type: FieldMetadataType;
  label: string;
  icon?: string;
  description?: string;
  isNullable?: boolean;
  isUnique?: boolean;
  isSystem?: boolean;
  defaultValue?: unknown;
  /** [API value, label, color]; the value is what records carry (reference §3.1). */
  options?: Array<[string, string, string]>;
};

export type ObjectSpec = {
  nameSingular: string;
  namePlural: string;
  labelSingular: string;
  labelPlural: string;
  icon: string;
  description: string;
  isSystem: boolean;
  /** The field shown as the record's name in Twenty's UI. */
  labelIdentifier: string;
  fields: FieldSpec[];
};

/** A MANY_TO_ONE field on `source` (join column `<field>Id`) and its ONE_TO_MANY inverse on `target`. */
export type RelationSpec = {
  type: "RELATION" | "MORPH_RELATION";
  source: { object: string; field: string; label: string };
  target: { object: string; field: string; label: string };
  onDelete: OnDeleteAction;
};

/** Every object has these (reference §4: id, createdAt, updatedAt, deletedAt, createdBy, updatedBy, position). */
export const SYSTEM_FIELD_SPECS: FieldSpec[] = [
  { name: "id", type: "UUID", label: "Id", icon: "Icon123", isSystem: true, isNullable: false, defaultValue: "uuid" },
  { name: "createdAt", type: "DATE_TIME", label: "Creation date", icon: "IconCalendar", isNullable: false, defaultValue: "now" },
  { name: "updatedAt", type: "DATE_TIME", label: "Last update", icon: "IconCalendarClock", isNullable: false, defaultValue: "now" },
  { name: "deletedAt", type: "DATE_TIME", label: "Deleted at", icon: "IconCalendarMinus", isNullable: true, defaultValue: null },
  { name: "createdBy", type: "ACTOR", label: "Created by", icon: "IconCreativeCommonsSa", isNullable: false },
  { name: "updatedBy", type: "ACTOR", label: "Updated by", icon: "IconUserCircle", isNullable: false },
  { name: "position", type: "POSITION", label: "Position", icon: "IconHierarchy2", isSystem: true, isNullable: false, defaultValue: 0 },
];

export const STANDARD_OBJECT_SPECS: ObjectSpec[] = [
  {
    nameSingular: "company",
    namePlural: "companies",
    labelSingular: "Company",
    labelPlural: "Companies",
    icon: "IconBuildingSkyscraper",
    description: "A company",
    isSystem: false,
    labelIdentifier: "name",
    fields: [
      { name: "name", type: "TEXT", label: "Name", icon: "IconBuildingSkyscraper" },
      // Reference §4 / §6.3: unique on the domain (compared by host).
      { name: "domainName", type: "LINKS", label: "Domain", icon: "IconLink", isUnique: true },
      { name: "employees", type: "NUMBER", label: "Employees", icon: "IconUsers", defaultValue: null },
      { name: "linkedinLink", type: "LINKS", label: "Linkedin", icon: "IconBrandLinkedin" },
      { name: "xLink", type: "LINKS", label: "X", icon: "IconBrandX" },
      { name: "annualRecurringRevenue", type: "CURRENCY", label: "ARR", icon: "IconMoneybag" },
      { name: "address", type: "ADDRESS", label: "Address", icon: "IconMap" },
      { name: "idealCustomerProfile", type: "BOOLEAN", label: "ICP", icon: "IconTarget", defaultValue: false, isNullable: false },
    ],
  },
  {
    nameSingular: "person",
    namePlural: "people",
    labelSingular: "Person",
    labelPlural: "People",
    icon: "IconUser",
    description: "A person",
    isSystem: false,
    labelIdentifier: "name",
    fields: [
      { name: "name", type: "FULL_NAME", label: "Name", icon: "IconUser" },
      // Reference §4 / §6.3: unique on emails.primaryEmail.
      { name: "emails", type: "EMAILS", label: "Emails", icon: "IconMail", isUnique: true },
      { name: "linkedinLink", type: "LINKS", label: "Linkedin", icon: "IconBrandLinkedin" },
      { name: "xLink", type: "LINKS", label: "X", icon: "IconBrandX" },
      { name: "jobTitle", type: "TEXT", label: "Job Title", icon: "IconBriefcase" },
      { name: "phones", type: "PHONES", label: "Phones", icon: "IconPhone" },
      { name: "city", type: "TEXT", label: "City", icon: "IconMap" },
      { name: "avatarUrl", type: "TEXT", label: "Avatar", icon: "IconFileUpload", isSystem: true },
    ],
  },
  {
    nameSingular: "opportunity",
    namePlural: "opportunities",
    labelSingular: "Opportunity",
    labelPlural: "Opportunities",
    icon: "IconTargetArrow",
    description: "An opportunity",
    isSystem: false,
    labelIdentifier: "name",
    fields: [
      { name: "name", type: "TEXT", label: "Name", icon: "IconTargetArrow" },
      { name: "amount", type: "CURRENCY", label: "Amount", icon: "IconCurrencyDollar" },
      { name: "closeDate", type: "DATE_TIME", label: "Close date", icon: "IconCalendarEvent", defaultValue: null },
      {
        name: "stage",
        type: "SELECT",
        label: "Stage",
        icon: "IconProgressCheck",
        defaultValue: "'NEW'",
        options: [
          ["NEW", "New", "red"],
          ["SCREENING", "Screening", "purple"],
          ["MEETING", "Meeting", "sky"],
          ["PROPOSAL", "Proposal", "turquoise"],
          ["CUSTOMER", "Customer", "yellow"],
        ],
      },
    ],
  },
  {
    nameSingular: "note",
    namePlural: "notes",
    labelSingular: "Note",
    labelPlural: "Notes",
    icon: "IconNotes",
    description: "A note",
    isSystem: false,
    labelIdentifier: "title",
    fields: [
      { name: "title", type: "TEXT", label: "Title", icon: "IconNotes" },
      { name: "bodyV2", type: "RICH_TEXT_V2", label: "Body", icon: "IconFilePencil" },
    ],
  },
  {
    nameSingular: "noteTarget",
    namePlural: "noteTargets",
    labelSingular: "Note Target",
    labelPlural: "Note Targets",
    icon: "IconCheckbox",
    description: "A note target",
    isSystem: true,
    labelIdentifier: "id",
    fields: [],
  },
  {
    nameSingular: "task",
    namePlural: "tasks",
    labelSingular: "Task",
    labelPlural: "Tasks",
    icon: "IconCheckbox",
    description: "A task",
    isSystem: false,
    labelIdentifier: "title",
    fields: [
      { name: "title", type: "TEXT", label: "Title", icon: "IconNotes" },
      { name: "bodyV2", type: "RICH_TEXT_V2", label: "Body", icon: "IconFilePencil" },
      { name: "dueAt", type: "DATE_TIME", label: "Due Date", icon: "IconCalendarEvent", defaultValue: null },
      {
        name: "status",
        type: "SELECT",
        label: "Status",
        icon: "IconCheck",
        defaultValue: "'TODO'",
        options: [
          ["TODO", "To do", "sky"],
          ["IN_PROGRESS", "In progress", "purple"],
          ["DONE", "Done", "green"],
        ],
      },
    ],
  },
  {
    nameSingular: "taskTarget",
    namePlural: "taskTargets",
    labelSingular: "Task Target",
    labelPlural: "Task Targets",
    icon: "IconCheckbox",
    description: "A task target",
    isSystem: true,
    labelIdentifier: "id",
    fields: [],
  },
  {
    nameSingular: "workspaceMember",
    namePlural: "workspaceMembers",
    labelSingular: "Workspace Member",
    labelPlural: "Workspace Members",
    icon: "IconUserCircle",
    description: "A workspace member",
    isSystem: true,
    labelIdentifier: "name",
    fields: [
      { name: "name", type: "FULL_NAME", label: "Name", icon: "IconCircleUser" },
      { name: "userEmail", type: "TEXT", label: "User Email", icon: "IconMail" },
      { name: "userId", type: "UUID", label: "User Id", icon: "IconCircleUsers", defaultValue: null },
      { name: "locale", type: "TEXT", label: "Language", icon: "IconLanguage", defaultValue: "'en'" },
      { name: "colorScheme", type: "TEXT", label: "Color Scheme", icon: "IconColorSwatch", defaultValue: "'System'" },
      { name: "timeZone", type: "TEXT", label: "Time zone", icon: "IconTimezone", defaultValue: "'system'" },
      {
        name: "dateFormat",
        type: "SELECT",
        label: "Date format",
        icon: "IconCalendarEvent",
        defaultValue: "'SYSTEM'",
        options: [
          ["SYSTEM", "System", "turquoise"],
          ["MONTH_FIRST", "Month First", "red"],
          ["DAY_FIRST", "Day First", "purple"],
          ["YEAR_FIRST", "Year First", "sky"],
        ],
      },
      {
        name: "timeFormat",
        type: "SELECT",
        label: "Time format",
        icon: "IconClock2",
        defaultValue: "'SYSTEM'",
        options: [
          ["SYSTEM", "System", "sky"],
          ["HOUR_24", "24h", "red"],
          ["HOUR_12", "12h", "purple"],
        ],
      },
      { name: "avatarUrl", type: "TEXT", label: "Avatar Url", icon: "IconFileUpload" },
    ],
  },
  {
    nameSingular: "workflow",
    namePlural: "workflows",
    labelSingular: "Workflow",
    labelPlural: "Workflows",
    icon: "IconSettingsAutomation",
    description: "A workflow",
    isSystem: false,
    labelIdentifier: "name",
    fields: [
      { name: "name", type: "TEXT", label: "Name", icon: "IconSettingsAutomation" },
      { name: "lastPublishedVersionId", type: "TEXT", label: "Last published Version Id", icon: "IconVersions" },
      // Reference §5.1: statuses is a MULTI_SELECT subset of DRAFT, ACTIVE, DEACTIVATED.
      {
        name: "statuses",
        type: "MULTI_SELECT",
        label: "Statuses",
        icon: "IconStatusChange",
        defaultValue: null,
        options: [
          ["DRAFT", "Draft", "gray"],
          ["ACTIVE", "Active", "green"],
          ["DEACTIVATED", "Deactivated", "red"],
        ],
      },
    ],
  },
  {
    nameSingular: "workflowVersion",
    namePlural: "workflowVersions",
    labelSingular: "Workflow Version",
    labelPlural: "Workflow Versions",
    icon: "IconVersions",
    description: "A workflow version",
    isSystem: false,
    labelIdentifier: "name",
    fields: [
      { name: "name", type: "TEXT", label: "Name", icon: "IconSettingsAutomation" },
      { name: "trigger", type: "RAW_JSON", label: "Version trigger", icon: "IconSettingsAutomation", defaultValue: null },
      { name: "steps", type: "RAW_JSON", label: "Version steps", icon: "IconSettingsAutomation", defaultValue: null },
      {
        name: "status",
        type: "SELECT",
        label: "Version status",
        icon: "IconStatusChange",
        defaultValue: "'DRAFT'",
        options: [
          ["DRAFT", "Draft", "yellow"],
          ["ACTIVE", "Active", "green"],
          ["DEACTIVATED", "Deactivated", "red"],
          ["ARCHIVED", "Archived", "gray"],
        ],
      },
    ],
  },
];

/**
 * Reference §4: note/task targets point at their record through `target<Object>Id` since 1.17
 * (MORPH_RELATION, flags IS_NOTE_TARGET_MIGRATED / IS_TASK_TARGET_MIGRATED); older builds used
 * `personId`/`companyId`/`opportunityId`. The sandbox serves the current naming; a client must
 * read it from /rest/metadata/objects, as the reference advises.
 */
export function targetRelationSpecs(joinObject: "noteTarget" | "taskTarget", target: { nameSingular: string; labelSingular: string }): RelationSpec {
  const capitalised = target.nameSingular[0].toUpperCase() + target.nameSingular.slice(1);
  return {
    type: "MORPH_RELATION",
    source: { object: joinObject, field: `target${capitalised}`, label: target.labelSingular },
    target: { object: target.nameSingular, field: `${joinObject}s`, label: joinObject === "noteTarget" ? "Notes" : "Tasks" },
    onDelete: "CASCADE",
  };
}

export const STANDARD_RELATION_SPECS: RelationSpec[] = [
  {
    type: "RELATION",
    source: { object: "company", field: "accountOwner", label: "Account Owner" },
    target: { object: "workspaceMember", field: "accountOwnerForCompanies", label: "Account Owner For Companies" },
    onDelete: "SET_NULL",
  },
  {
    type: "RELATION",
    source: { object: "person", field: "company", label: "Company" },
    target: { object: "company", field: "people", label: "People" },
    onDelete: "SET_NULL",
  },
  {
    type: "RELATION",
    source: { object: "opportunity", field: "company", label: "Company" },
    target: { object: "company", field: "opportunities", label: "Opportunities" },
    onDelete: "SET_NULL",
  },
  {
    type: "RELATION",
    source: { object: "opportunity", field: "pointOfContact", label: "Point of Contact" },
    target: { object: "person", field: "pointOfContactForOpportunities", label: "Linked Opportunities" },
    onDelete: "SET_NULL",
  },
  {
    type: "RELATION",
    source: { object: "task", field: "assignee", label: "Assignee" },
    target: { object: "workspaceMember", field: "assignedTasks", label: "Assigned tasks" },
    onDelete: "SET_NULL",
  },
  {
    type: "RELATION",
    source: { object: "noteTarget", field: "note", label: "Note" },
    target: { object: "note", field: "noteTargets", label: "Relations" },
    onDelete: "CASCADE",
  },
  {
    type: "RELATION",
    source: { object: "taskTarget", field: "task", label: "Task" },
    target: { object: "task", field: "taskTargets", label: "Relations" },
    onDelete: "CASCADE",
  },
  {
    type: "RELATION",
    source: { object: "workflowVersion", field: "workflow", label: "Workflow" },
    target: { object: "workflow", field: "versions", label: "Versions" },
    onDelete: "CASCADE",
  },
  ...(["noteTarget", "taskTarget"] as const).flatMap((joinObject) =>
    [
      { nameSingular: "person", labelSingular: "Person" },
      { nameSingular: "company", labelSingular: "Company" },
      { nameSingular: "opportunity", labelSingular: "Opportunity" },
    ].map((target) => targetRelationSpecs(joinObject, target)),
  ),
];
