// Raw Teamwork Desk payloads, parsed with zod at the client edge
// (docs/reference/teamwork-desk-api.md). Loose objects and nullish fields wherever the
// reference marks a shape [U]; ids are numbers in Teamwork's SDK but accepted as strings too.
import { z } from "zod";

export const DeskIdSchema = z.union([z.number(), z.string().min(1)]);
export type DeskId = z.infer<typeof DeskIdSchema>;

/** §2.1: relationship reference `{ id, type, meta }`; `type` is the plural resource name. */
export const DeskRefSchema = z.looseObject({
  id: DeskIdSchema,
  type: z.string().nullish(),
  meta: z.record(z.string(), z.unknown()).nullish(),
});
export type DeskRef = z.infer<typeof DeskRefSchema>;

const refList = z.array(DeskRefSchema).nullish();
const stringList = z.array(z.string()).nullish();

/** Common fields (§2.1). */
const common = {
  id: DeskIdSchema,
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  state: z.string().nullish(),
  createdBy: DeskRefSchema.nullish(),
  updatedBy: DeskRefSchema.nullish(),
};

/** §2.1/§2.2: list envelope; the items sit under the plural key, side-loads under `included`. */
export const DeskListEnvelopeSchema = z.looseObject({
  included: z.record(z.string(), z.array(z.unknown())).nullish(),
  pagination: z
    .looseObject({
      records: z.number().nullish(),
      pageSize: z.number().nullish(),
      pages: z.number().nullish(),
      page: z.number().nullish(),
      hasMorePages: z.boolean().nullish(),
    })
    .nullish(),
  meta: z
    .looseObject({
      page: z
        .looseObject({
          count: z.number().nullish(),
          pageSize: z.number().nullish(),
          pageOffset: z.number().nullish(),
          pages: z.number().nullish(),
          hasMore: z.boolean().nullish(),
        })
        .nullish(),
    })
    .nullish(),
});
export type DeskListEnvelope = z.infer<typeof DeskListEnvelopeSchema>;

/** §4: `{"errors":[{"code","title","detail","source"}]}`. */
export const DeskErrorBodySchema = z.looseObject({
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
export type DeskErrorBody = z.infer<typeof DeskErrorBodySchema>;

/** §5.1 ticket (GET). */
export const DeskTicketSchema = z.looseObject({
  ...common,
  subject: z.string().nullish(),
  previewText: z.string().nullish(),
  status: DeskRefSchema.nullish(),
  priority: DeskRefSchema.nullish(),
  type: DeskRefSchema.nullish(),
  source: DeskRefSchema.nullish(),
  inbox: DeskRefSchema.nullish(),
  customer: DeskRefSchema.nullish(),
  contact: DeskRefSchema.nullish(),
  agent: DeskRefSchema.nullish(),
  company: DeskRefSchema.nullish(),
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
export type DeskTicket = z.infer<typeof DeskTicketSchema>;

/** §5.2 message / thread. `createdBy` is the author (users = agent, customers = customer). */
export const DeskMessageSchema = z.looseObject({
  ...common,
  threadType: z.string().nullish(),
  htmlBody: z.string().nullish(),
  textBody: z.string().nullish(),
  body: z.string().nullish(),
  editMethod: z.string().nullish(),
  ticket: DeskRefSchema.nullish(),
  cc: stringList,
  bcc: stringList,
  files: refList,
  isPinned: z.boolean().nullish(),
});
export type DeskMessage = z.infer<typeof DeskMessageSchema>;

/** §5.3 file (attachment) as side-loaded under `included.files`. Size and URL names are [U]. */
export const DeskFileSchema = z.looseObject({
  id: DeskIdSchema,
  filename: z.string().nullish(),
  mimeType: z.string().nullish(),
  size: z.number().nullish(),
  sizeBytes: z.number().nullish(),
  url: z.string().nullish(),
  downloadURL: z.string().nullish(),
  disposition: z.string().nullish(),
  ticket: DeskRefSchema.nullish(),
  message: DeskRefSchema.nullish(),
});
export type DeskFile = z.infer<typeof DeskFileSchema>;

/** §5.3 step 1 answer: the pre-signed form for the storage upload and the file record. */
export const DeskFileRefResponseSchema = z.looseObject({
  url: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).nullish(),
  file: DeskFileSchema,
});

/** §5.4 customer. Its emails are `contacts` (refs, side-loaded as `included.contacts`). */
export const DeskCustomerSchema = z.looseObject({
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
  company: DeskRefSchema.nullish(),
});
export type DeskCustomer = z.infer<typeof DeskCustomerSchema>;

/** §5.4 contact (an email or social handle of a customer). */
export const DeskContactSchema = z.looseObject({
  id: DeskIdSchema,
  value: z.string().nullish(),
  type: z.string().nullish(),
  isMain: z.boolean().nullish(),
  customer: DeskRefSchema.nullish(),
});
export type DeskContact = z.infer<typeof DeskContactSchema>;

/** §5.5 company. `domains` are refs to `domains` objects `{ name }`. */
export const DeskCompanySchema = z.looseObject({
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
  domains: z.array(z.union([DeskRefSchema, z.string()])).nullish(),
});
export type DeskCompany = z.infer<typeof DeskCompanySchema>;

export const DeskDomainSchema = z.looseObject({ id: DeskIdSchema, name: z.string().nullish() });
export type DeskDomain = z.infer<typeof DeskDomainSchema>;

/** §5.6 user (agent). */
export const DeskUserSchema = z.looseObject({
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
export type DeskUser = z.infer<typeof DeskUserSchema>;

/** §5.6 pending agent invitation. */
export const DeskAgentInviteSchema = z.looseObject({
  id: DeskIdSchema,
  state: z.string().nullish(),
  email: z.string().nullish(),
  user: DeskRefSchema.nullish(),
  isPartTime: z.boolean().nullish(),
  createdAt: z.string().nullish(),
});
export type DeskAgentInvite = z.infer<typeof DeskAgentInviteSchema>;

/** §5.7 inbox. */
export const DeskInboxSchema = z.looseObject({
  ...common,
  name: z.string().nullish(),
  email: z.string().nullish(),
  localPart: z.string().nullish(),
  type: z.string().nullish(),
  triggers: refList,
  users: refList,
});
export type DeskInbox = z.infer<typeof DeskInboxSchema>;

/** §5.9 tag, §5.10 status / priority / type / source: one shape with optional parts. */
export const DeskNamedSchema = z.looseObject({
  ...common,
  name: z.string().nullish(),
  code: z.string().nullish(),
  color: z.string().nullish(),
  displayOrder: z.number().nullish(),
  isCustom: z.boolean().nullish(),
  default: z.boolean().nullish(),
  inboxes: refList,
});
export type DeskNamed = z.infer<typeof DeskNamedSchema>;

/** §5.8 custom field; `kind` text | textarea | number | date | dropdown | checkbox(es) [U spelling]. */
export const DeskCustomFieldSchema = z.looseObject({
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
export type DeskCustomField = z.infer<typeof DeskCustomFieldSchema>;

export const DeskCustomFieldOptionSchema = z.looseObject({
  id: DeskIdSchema,
  name: z.string().nullish(),
  value: z.string().nullish(),
  displayOrder: z.number().nullish(),
  customfield: DeskRefSchema.nullish(),
});
export type DeskCustomFieldOption = z.infer<typeof DeskCustomFieldOptionSchema>;

/** §5.11 trigger. */
export const DeskTriggerSchema = z.looseObject({
  ...common,
  name: z.string().nullish(),
  type: z.string().nullish(),
  isSystem: z.boolean().nullish(),
  inboxes: refList,
});
export type DeskTrigger = z.infer<typeof DeskTriggerSchema>;

/** v1 `GET /desk/v1/me.json` (§5.6, [S]): the calling user, wrapped or bare [U]. */
export const DeskMeResponseSchema = z.looseObject({
  user: DeskUserSchema.nullish(),
  me: DeskUserSchema.nullish(),
  account: z.looseObject({ name: z.string().nullish(), companyName: z.string().nullish() }).nullish(),
  id: DeskIdSchema.nullish(),
});

/** §6 import answer: format [U]; these are the shapes Ferry understands. */
export const DeskImportResponseSchema = z.looseObject({
  tickets: z
    .array(
      z.looseObject({
        id: DeskIdSchema.nullish(),
        ticketId: DeskIdSchema.nullish(),
        importId: DeskIdSchema.nullish(),
        externalId: DeskIdSchema.nullish(),
        status: z.string().nullish(),
        error: z.string().nullish(),
      }),
    )
    .nullish(),
  imported: z.unknown().optional(),
  skipped: z.unknown().optional(),
});
export type DeskImportResponse = z.infer<typeof DeskImportResponseSchema>;
