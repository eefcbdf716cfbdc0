// Raw Teamwork Desk payloads, parsed with zod at the client edge
// (docs/reference/teamwork-desk-api.md). Loose objects and nullish fields wherever the
// reference marks a shape [U]; ids are numbers in Teamwork's SDK but accepted as strings too.
import { z } from "zod";

export const TwIdSchema = z.union([z.number(), z.string().min(1)]);
export type TwId = z.infer<typeof TwIdSchema>;

/** §2.1: relationship reference `{ id, type, meta }`; `type` is the plural resource name. */
export const TwRefSchema = z.looseObject({
  id: TwIdSchema,
  type: z.string().nullish(),
  meta: z.record(z.string(), z.unknown()).nullish(),
});
export type TwRef = z.infer<typeof TwRefSchema>;

const refList = z.array(TwRefSchema).nullish();
const stringList = z.array(z.string()).nullish();

/** Common fields (§2.1). */
const common = {
  id: TwIdSchema,
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  state: z.string().nullish(),
  createdBy: TwRefSchema.nullish(),
  updatedBy: TwRefSchema.nullish(),
};

/** §2.1/§2.2: list envelope; the items sit under the plural key, side-loads under `included`. */
export const TwListEnvelopeSchema = z.looseObject({
  included: z.record(z.string(), z.array(z.unknown())).nullish(),
  pagination: z
    .looseObject({ records: z.number().nullish(), pageSize: z.number().nullish(), pages: z.number().nullish(), page: z.number().nullish(), hasMorePages: z.boolean().nullish() })
    .nullish(),
  meta: z
    .looseObject({
      page: z.looseObject({ count: z.number().nullish(), pageSize: z.number().nullish(), pageOffset: z.number().nullish(), pages: z.number().nullish(), hasMore: z.boolean().nullish() }).nullish(),
    })
    .nullish(),
});
export type TwListEnvelope = z.infer<typeof TwListEnvelopeSchema>;

/** §4: `{"errors":[{"code","title","detail","source"}]}`. */
export const TwErrorBodySchema = z.looseObject({
  errors: z
    .array(
      z.looseObject({
        code: z.union([z.string(), z.number()]).nullish(),
        title: z.string().nullish(),
        detail: z.string().nullish(),
        source: z.union([z.string(), z.looseObject({ pointer: z.string().nullish(), parameter: z.string().nullish() })]).nullish(),
      }),
    )
    .nullish(),
  error: z.string().nullish(),
  message: z.string().nullish(),
});
export type TwErrorBody = z.infer<typeof TwErrorBodySchema>;

/** §5.1 ticket (GET). */
export const TwTicketSchema = z.looseObject({
  ...common,
  subject: z.string().nullish(),
  previewText: z.string().nullish(),
  status: TwRefSchema.nullish(),
  priority: TwRefSchema.nullish(),
  type: TwRefSchema.nullish(),
  source: TwRefSchema.nullish(),
  inbox: TwRefSchema.nullish(),
  customer: TwRefSchema.nullish(),
  contact: TwRefSchema.nullish(),
  agent: TwRefSchema.nullish(),
  company: TwRefSchema.nullish(),
  tags: refList,
  messages: refList,
  files: refList,
  customfields: refList,
  cc: stringList,
  bcc: stringList,
  messageCount: z.number().nullish(),
  originalRecipient: z.string().nullish(),
  archivedAt: z.string().nullish(),
});
export type TwTicket = z.infer<typeof TwTicketSchema>;

/** §5.2 message / thread. `createdBy` is the author (users = agent, customers = customer). */
export const TwMessageSchema = z.looseObject({
  ...common,
  threadType: z.string().nullish(),
  htmlBody: z.string().nullish(),
  textBody: z.string().nullish(),
  body: z.string().nullish(),
  editMethod: z.string().nullish(),
  ticket: TwRefSchema.nullish(),
  cc: stringList,
  bcc: stringList,
  files: refList,
  isPinned: z.boolean().nullish(),
});
export type TwMessage = z.infer<typeof TwMessageSchema>;

/** §5.3 file (attachment) as side-loaded under `included.files`. Size and URL names are [U]. */
export const TwFileSchema = z.looseObject({
  id: TwIdSchema,
  filename: z.string().nullish(),
  mimeType: z.string().nullish(),
  size: z.number().nullish(),
  sizeBytes: z.number().nullish(),
  url: z.string().nullish(),
  downloadURL: z.string().nullish(),
  disposition: z.string().nullish(),
  ticket: TwRefSchema.nullish(),
  message: TwRefSchema.nullish(),
});
export type TwFile = z.infer<typeof TwFileSchema>;

/** §5.3 step 1 answer: the pre-signed form for the storage upload and the file record. */
export const TwFileRefResponseSchema = z.looseObject({
  url: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).nullish(),
  file: TwFileSchema,
});

/** §5.4 customer. Its emails are `contacts` (refs, side-loaded as `included.contacts`). */
export const TwCustomerSchema = z.looseObject({
  ...common,
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
  organization: z.string().nullish(),
  extraData: z.string().nullish(),
  notes: z.string().nullish(),
  jobTitle: z.string().nullish(),
  phone: z.string().nullish(),
  mobile: z.string().nullish(),
  address: z.string().nullish(),
  externalId: z.string().nullish(),
  linkedinURL: z.string().nullish(),
  facebookURL: z.string().nullish(),
  twitterHandle: z.string().nullish(),
  trusted: z.boolean().nullish(),
  verifiedEmail: z.boolean().nullish(),
  contacts: refList,
  companies: refList,
  company: TwRefSchema.nullish(),
});
export type TwCustomer = z.infer<typeof TwCustomerSchema>;

/** §5.4 contact (an email or social handle of a customer). */
export const TwContactSchema = z.looseObject({
  id: TwIdSchema,
  value: z.string().nullish(),
  type: z.string().nullish(),
  isMain: z.boolean().nullish(),
  customer: TwRefSchema.nullish(),
});
export type TwContact = z.infer<typeof TwContactSchema>;

/** §5.5 company. `domains` are refs to `domains` objects `{ name }`. */
export const TwCompanySchema = z.looseObject({
  ...common,
  name: z.string().nullish(),
  description: z.string().nullish(),
  details: z.string().nullish(),
  industry: z.string().nullish(),
  website: z.string().nullish(),
  email: z.string().nullish(),
  kind: z.string().nullish(),
  note: z.string().nullish(),
  permission: z.string().nullish(),
  domains: z.array(z.union([TwRefSchema, z.string()])).nullish(),
});
export type TwCompany = z.infer<typeof TwCompanySchema>;

export const TwDomainSchema = z.looseObject({ id: TwIdSchema, name: z.string().nullish() });
export type TwDomain = z.infer<typeof TwDomainSchema>;

/** §5.6 user (agent). */
export const TwUserSchema = z.looseObject({
  ...common,
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  role: z.string().nullish(),
  isPartTime: z.boolean().nullish(),
  isAppOwner: z.boolean().nullish(),
  isAdmin: z.boolean().nullish(),
  isAdministrator: z.boolean().nullish(),
  inboxes: refList,
});
export type TwUser = z.infer<typeof TwUserSchema>;

/** §5.6 pending agent invitation. */
export const TwAgentInviteSchema = z.looseObject({
  id: TwIdSchema,
  state: z.string().nullish(),
  email: z.string().nullish(),
  user: TwRefSchema.nullish(),
  isPartTime: z.boolean().nullish(),
  createdAt: z.string().nullish(),
});
export type TwAgentInvite = z.infer<typeof TwAgentInviteSchema>;

/** §5.7 inbox. */
export const TwInboxSchema = z.looseObject({
  ...common,
  name: z.string().nullish(),
  email: z.string().nullish(),
  localPart: z.string().nullish(),
  type: z.string().nullish(),
  triggers: refList,
  users: refList,
});
export type TwInbox = z.infer<typeof TwInboxSchema>;

/** §5.9 tag, §5.10 status / priority / type / source: one shape with optional parts. */
export const TwNamedSchema = z.looseObject({
  ...common,
  name: z.string().nullish(),
  code: z.string().nullish(),
  color: z.string().nullish(),
  displayOrder: z.number().nullish(),
  isCustom: z.boolean().nullish(),
  default: z.boolean().nullish(),
  inboxes: refList,
});
export type TwNamed = z.infer<typeof TwNamedSchema>;

/** §5.8 custom field; `kind` text | textarea | number | date | dropdown | checkbox(es) [U spelling]. */
export const TwCustomFieldSchema = z.looseObject({
  ...common,
  name: z.string().nullish(),
  agentLabel: z.string().nullish(),
  customerLabel: z.string().nullish(),
  description: z.string().nullish(),
  kind: z.string().nullish(),
  type: z.string().nullish(),
  agentRequired: z.boolean().nullish(),
  customerRequired: z.boolean().nullish(),
  enabled: z.boolean().nullish(),
  options: z.array(z.unknown()).nullish(),
  customfieldoptions: refList,
  inboxes: refList,
});
export type TwCustomField = z.infer<typeof TwCustomFieldSchema>;

export const TwCustomFieldOptionSchema = z.looseObject({
  id: TwIdSchema,
  name: z.string().nullish(),
  value: z.string().nullish(),
  displayOrder: z.number().nullish(),
  customfield: TwRefSchema.nullish(),
});
export type TwCustomFieldOption = z.infer<typeof TwCustomFieldOptionSchema>;

/** §5.11 trigger. */
export const TwTriggerSchema = z.looseObject({
  ...common,
  name: z.string().nullish(),
  type: z.string().nullish(),
  isSystem: z.boolean().nullish(),
  inboxes: refList,
});
export type TwTrigger = z.infer<typeof TwTriggerSchema>;

/** v1 `GET /desk/v1/me.json` (§5.6, [S]): the calling user, wrapped or bare [U]. */
export const TwMeResponseSchema = z.looseObject({
  user: TwUserSchema.nullish(),
  me: TwUserSchema.nullish(),
  account: z.looseObject({ name: z.string().nullish(), companyName: z.string().nullish() }).nullish(),
  id: TwIdSchema.nullish(),
});

/** §6 import answer: format [U]; these are the shapes Ferry understands. */
export const TwImportResponseSchema = z.looseObject({
  tickets: z.array(z.looseObject({ id: TwIdSchema.nullish(), ticketId: TwIdSchema.nullish(), importId: TwIdSchema.nullish(), externalId: TwIdSchema.nullish(), status: z.string().nullish(), error: z.string().nullish() })).nullish(),
  imported: z.unknown().optional(),
  skipped: z.unknown().optional(),
});
export type TwImportResponse = z.infer<typeof TwImportResponseSchema>;
