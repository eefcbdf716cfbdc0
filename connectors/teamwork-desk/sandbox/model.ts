// Rows the sandbox keeps in memory. Field names follow the reference's JSON (§5); relationships
// are stored as ids and rendered as refs `{"id": n, "type": "<plural>"}` by views.ts.

export type Ref = { id: number; type: string };

/** Fields every entity carries (reference §2.1). */
export type BaseRow = {
  id: number;
  createdAt: string;
  updatedAt: string;
  createdBy: Ref | null;
  updatedBy: Ref | null;
  state: string;
  deletedAt: string | null;
  deletedBy: Ref | null;
};

/**
 * Reference §5.6: `active` is confirmed; the strings for an invited (not yet accepted) agent and
 * an archived agent (left the team) are [U] — `invited` and `deleted` are the plausible ones.
 */
export type UserState = "active" | "invited" | "deleted";
/** Reference §5.6: `"Admin"` is confirmed; the value for a plain agent is [U]. */
export type UserRole = "Admin" | "Agent";

export type UserRow = BaseRow & {
  state: UserState;
  email: string;
  firstName: string;
  lastName: string;
  avatarURL: string;
  role: UserRole;
  isPartTime: boolean;
  editMethod: "html" | "markdown";
  reviewer: boolean;
  sendPushNotifications: boolean;
  sendWebNotifications: boolean;
  autoFollowOnCC: boolean;
  timezoneId: number;
  isAppOwner: boolean;
};

export type AgentInviteRow = BaseRow & { userId: number; expiresAt: string };

export type InboxMember = { userId: number; access: string; isAdmin: boolean; starred: boolean };

export type InboxRow = BaseRow & {
  name: string;
  email: string;
  localPart: string;
  type: string;
  displayOrder: number;
  signature: string;
  autoReplyEnabled: boolean;
  autoReplySubject: string;
  autoReplyMessage: string;
  happinessRatingEnabled: boolean;
  ticketstatusId: number | null;
  tickettypeIds: number[];
  members: InboxMember[];
  spamThreshold: number;
  sendEmailsFrom: string;
  languageCode: string;
};

export type CustomerRow = BaseRow & {
  firstName: string;
  lastName: string;
  organization: string;
  extraData: string;
  notes: string;
  verifiedEmail: boolean;
  permission: string;
  linkedinURL: string;
  facebookURL: string;
  twitterHandle: string;
  jobTitle: string;
  phone: string;
  mobile: string;
  address: string;
  externalId: string;
  avatarURL: string;
  trusted: boolean;
  contactIds: number[];
  companyIds: number[];
};

/** Reference §5.4: contact types email, twitter, facebook, linkedin (phone [U]). */
export const CONTACT_TYPES = ["email", "twitter", "facebook", "linkedin", "phone"] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];
export type ContactRow = BaseRow & { customerId: number; type: ContactType; value: string; isMain: boolean };

export type CompanyRow = BaseRow & {
  name: string;
  description: string;
  details: string;
  industry: string;
  website: string;
  email: string;
  permission: string;
  kind: string;
  note: string;
  domainIds: number[];
};
export type DomainRow = BaseRow & { name: string; companyId: number };

export type TagRow = BaseRow & { name: string; color: string; inboxIds: number[] };
export type TicketStatusRow = BaseRow & { name: string; code: string; color: string; icon: string; displayOrder: number; isCustom: boolean };
export type TicketPriorityRow = BaseRow & { name: string; color: string; icon: string; displayOrder: number };
export type TicketTypeRow = BaseRow & { name: string; displayOrder: number; inboxIds: number[]; isDefault: boolean; enabledForFutureInboxes: boolean };
export type TicketSourceRow = BaseRow & { name: string; icon: string; displayOrder: number; isCustom: boolean };

/**
 * Reference §5.8: kinds text, textarea, number, date, dropdown and a multi-select whose exact
 * spelling is [U] (`checkboxes` per the MCP description; the UI says "checkbox"): both accepted.
 */
export const CUSTOM_FIELD_KINDS = ["text", "textarea", "number", "date", "dropdown", "checkboxes", "checkbox"] as const;
export type CustomFieldKind = (typeof CUSTOM_FIELD_KINDS)[number];
export type CustomFieldApp = { name: string; canViewData: boolean; canEditData: boolean };

export type CustomFieldRow = BaseRow & {
  agentLabel: string;
  customerLabel: string;
  description: string;
  kind: CustomFieldKind;
  agentRequired: boolean;
  customerRequired: boolean;
  enabled: boolean;
  inboxIds: number[];
  addToNewInboxes: boolean;
  apps: CustomFieldApp[];
  placeholder: string;
  defaultValue: string;
  displayOrder: number;
  locked: boolean;
};
export type CustomFieldOptionRow = BaseRow & { customfieldId: number; name: string; displayOrder: number; selected: boolean };

/** Reference §5.8: text/number/date values are strings, dropdown an option id, multi-select [U] (option ids). */
export type CustomFieldValue = { fieldId: number; value: string | number | (string | number)[] };

export type TicketRow = BaseRow & {
  subject: string;
  previewText: string;
  statusId: number;
  priorityId: number | null;
  typeId: number | null;
  sourceId: number | null;
  inboxId: number;
  customerId: number;
  contactId: number | null;
  agentId: number | null;
  companyId: number | null;
  tagIds: number[];
  fileIds: number[];
  customFields: CustomFieldValue[];
  cc: string[];
  bcc: string[];
  isRead: boolean;
  originalRecipient: string;
  responseTimeMins: number;
  resolutionTimeMins: number;
  archivedAt: string | null;
  notifyCustomer: boolean;
};

/** Reference §5.2: threadType values that can be written; others are system "event info" rows. */
export const WRITABLE_THREAD_TYPES = ["message", "note", "forward"] as const;
export type ThreadType = (typeof WRITABLE_THREAD_TYPES)[number];

export type MessageRow = BaseRow & {
  ticketId: number;
  threadType: ThreadType;
  htmlBody: string;
  textBody: string;
  editMethod: "html" | "markdown";
  statusId: number | null;
  contactId: number | null;
  assigningUserId: number | null;
  cc: string[];
  bcc: string[];
  isPinned: boolean;
  isDraft: boolean;
  delayed: boolean;
  viewedByCustomerAt: string | null;
  fileIds: number[];
};

export type FileRow = BaseRow & {
  type: string;
  filename: string;
  mimeType: string;
  disposition: string;
  /** The fake S3 object key handed out by POST /files/ref.json. */
  key: string;
  sizeBytes: number | null;
  content: Uint8Array | null;
  /** Sample attachments: bytes generated on first download instead of held in memory. */
  lazyContent: (() => Uint8Array) | null;
  uploadedAt: string | null;
  completedAt: string | null;
  /** v1 import: the public URL the real importer would fetch (reference §6). */
  downloadUrl: string | null;
};

export type TriggerRow = BaseRow & {
  name: string;
  description: string;
  type: "Automatic" | "Manual";
  isShared: boolean;
  agentHasAccess: boolean;
  addToNewInboxes: boolean;
  isSystem: boolean;
  inboxIds: number[];
  actionIds: number[];
  conditionIds: number[];
};
/** Reference §5.11: action type codes 4 assign to user, 5 add tags, 11 add follower; others [U]. */
export type TriggerActionRow = BaseRow & { triggerId: number; actionType: number; data: Record<string, unknown> };
export type TriggerConditionRow = BaseRow & { triggerId: number; field: number; operator: number; value: string; matchRequirement: "ANY" | "ALL" };

export type WebhookEndpointRow = BaseRow & {
  url: string;
  token: string;
  allInboxes: boolean;
  allEvents: boolean;
  contentType: string;
  events: string[];
  inboxIds: number[];
};
