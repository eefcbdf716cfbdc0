// How each resource is rendered, side-loaded, filtered and ordered (reference §2, §5). Handlers
// list and fetch rows through these views, so every endpoint shares one JSON shape per type.
import type { FilterField, FilterScalar, FilterSpec } from "./filter";
import type {
  AgentInviteRow,
  BaseRow,
  CompanyRow,
  ContactRow,
  CustomFieldOptionRow,
  CustomFieldRow,
  CustomerRow,
  DomainRow,
  FileRow,
  InboxRow,
  MessageRow,
  Ref,
  TagRow,
  TicketPriorityRow,
  TicketRow,
  TicketSourceRow,
  TicketStatusRow,
  TicketTypeRow,
  TriggerActionRow,
  TriggerConditionRow,
  TriggerRow,
  UserRow,
  WebhookEndpointRow,
} from "./model";
import type { DeskStore, Table } from "./store";

export const DESK_RESOURCES = [
  "tickets",
  "messages",
  "customers",
  "contacts",
  "companies",
  "domains",
  "users",
  "agentinvites",
  "inboxes",
  "tags",
  "ticketstatuses",
  "ticketpriorities",
  "tickettypes",
  "ticketsources",
  "customfields",
  "customfieldoptions",
  "files",
  "triggers",
  "triggeractions",
  "conditions",
  "webhookendpoints",
] as const;
export type DeskResource = (typeof DESK_RESOURCES)[number];

type JsonRecord = Record<string, unknown>;
type Related = Partial<Record<string, number[]>>;

export type View<T extends BaseRow> = {
  plural: DeskResource;
  /** Key of a single-object response (reference §2.1: `{"ticketpriority": {…}}`). */
  singular: string;
  table(store: DeskStore): Table<T>;
  render(store: DeskStore, row: T): JsonRecord;
  /** Types `includes=` may ask for (reference §2.5); `all` expands to these. */
  includes: readonly string[];
  related(store: DeskStore, row: T): Related;
  filters: FilterSpec<T>;
  orders: Record<string, FilterField<T>>;
  /** Rows a plain list leaves out (deleted, archived…) unless the filter asks about `state`. */
  hidden(store: DeskStore, row: T, params: URLSearchParams, filtersState: boolean): boolean;
};

// --- small builders ----------------------------------------------------------------------------
export function ref(id: number, type: string): Ref {
  return { id, type };
}

function refOrNull(id: number | null, type: string): Ref | null {
  return id === null || id === undefined ? null : { id, type };
}

function refs(ids: number[], type: string): Ref[] {
  return ids.map((id) => ({ id, type }));
}

function audit(row: BaseRow): JsonRecord {
  const result: JsonRecord = { state: row.state, createdAt: row.createdAt, updatedAt: row.updatedAt, createdBy: row.createdBy, updatedBy: row.updatedBy };
  if (row.deletedAt) {
    result.deletedAt = row.deletedAt;
    result.deletedBy = row.deletedBy;
  }
  return result;
}

function usersIn(...candidates: (Ref | null | undefined)[]): number[] {
  return candidates.filter((candidate): candidate is Ref => !!candidate && candidate.type === "users").map((candidate) => candidate.id);
}

const field = {
  id: <T>(get: (row: T) => FilterScalar | FilterScalar[]): FilterField<T> => ({ kind: "id", get }),
  date: <T>(get: (row: T) => FilterScalar): FilterField<T> => ({ kind: "date", get }),
  text: <T>(get: (row: T) => FilterScalar | FilterScalar[]): FilterField<T> => ({ kind: "string", get }),
  number: <T>(get: (row: T) => FilterScalar): FilterField<T> => ({ kind: "number", get }),
  boolean: <T>(get: (row: T) => FilterScalar): FilterField<T> => ({ kind: "boolean", get }),
};

/** Filter keys every entity has (reference §2.1 common fields). */
function common<T extends BaseRow>(): FilterSpec<T> {
  return {
    id: field.id((row: T) => row.id),
    state: field.text((row: T) => row.state),
    createdAt: field.date((row: T) => row.createdAt),
    updatedAt: field.date((row: T) => row.updatedAt),
    deletedAt: field.date((row: T) => row.deletedAt),
  };
}

function commonOrders<T extends BaseRow>(): Record<string, FilterField<T>> {
  const { id, createdAt, updatedAt } = common<T>();
  return { id, createdAt, updatedAt };
}

const isDeleted = (row: BaseRow, filtersState: boolean) => !filtersState && row.state === "deleted";

// --- people ------------------------------------------------------------------------------------
function inboxIdsOfUser(store: DeskStore, userId: number): number[] {
  return store.inboxes
    .all()
    .filter((inbox) => inbox.members.some((member) => member.userId === userId))
    .map((inbox) => inbox.id);
}

const users: View<UserRow> = {
  plural: "users",
  singular: "user",
  table: (store) => store.users,
  render: (store, row) => ({
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    avatarURL: row.avatarURL,
    role: row.role,
    isPartTime: row.isPartTime,
    editMethod: row.editMethod,
    reviewer: row.reviewer,
    sendPushNotifications: row.sendPushNotifications,
    sendWebNotifications: row.sendWebNotifications,
    autoFollowOnCC: row.autoFollowOnCC,
    timezoneId: row.timezoneId,
    isAppOwner: row.isAppOwner,
    inboxes: refs(inboxIdsOfUser(store, row.id), "inboxes"),
    ...audit(row),
  }),
  // Reference §2.5: user includes inboxes, permissionusers, trainingwheelsenrollments, users.
  includes: ["inboxes", "permissionusers", "trainingwheelsenrollments", "users"],
  related: (store, row) => ({ inboxes: inboxIdsOfUser(store, row.id), users: usersIn(row.createdBy, row.updatedBy) }),
  // Reference §2.4: user filter keys id, email, firstName, lastName, isPartTime, role, state, inboxes.id, triggers.id, createdAt, updatedAt.
  filters: {
    ...common<UserRow>(),
    email: field.text((row) => row.email),
    firstName: field.text((row) => row.firstName),
    lastName: field.text((row) => row.lastName),
    isPartTime: field.boolean((row) => row.isPartTime),
    role: field.text((row) => row.role),
  },
  orders: {
    ...commonOrders<UserRow>(),
    email: field.text((row) => row.email),
    firstName: field.text((row) => row.firstName),
    lastName: field.text((row) => row.lastName),
  },
  // Reference §5.6: archived agents are hidden unless includeArchived=true.
  hidden: (_store, row, params, filtersState) => !filtersState && row.state === "deleted" && params.get("includeArchived") !== "true",
};

const agentinvites: View<AgentInviteRow> = {
  plural: "agentinvites",
  singular: "agentinvite",
  table: (store) => store.agentinvites,
  render: (store, row) => ({
    id: row.id,
    user: ref(row.userId, "users"),
    email: store.users.get(row.userId)?.email ?? "",
    expiresAt: row.expiresAt,
    ...audit(row),
  }),
  includes: ["users"],
  related: (_store, row) => ({ users: [row.userId] }),
  filters: { ...common<AgentInviteRow>(), user: field.id((row) => row.userId) },
  orders: commonOrders<AgentInviteRow>(),
  // Pending invitations are `active` [U: the invite state strings are not documented]; accepted ones leave the list.
  hidden: (_store, row, _params, filtersState) => !filtersState && row.state !== "active",
};

function ticketCount(store: DeskStore, customerId: number): number {
  return store.tickets.all().filter((ticket) => ticket.customerId === customerId && ticket.state !== "deleted").length;
}

function contactValues(store: DeskStore, row: CustomerRow): string[] {
  return row.contactIds
    .map((id) => store.contacts.get(id))
    .filter((contact): contact is ContactRow => !!contact && contact.state !== "deleted")
    .map((contact) => contact.value);
}

const customers: View<CustomerRow> = {
  plural: "customers",
  singular: "customer",
  table: (store) => store.customers,
  render: (store, row) => ({
    id: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    email: store.mainEmail(row) ?? "",
    organization: row.organization,
    extraData: row.extraData,
    notes: row.notes,
    verifiedEmail: row.verifiedEmail,
    permission: row.permission,
    linkedinURL: row.linkedinURL,
    facebookURL: row.facebookURL,
    twitterHandle: row.twitterHandle,
    numTickets: ticketCount(store, row.id),
    jobTitle: row.jobTitle,
    phone: row.phone,
    mobile: row.mobile,
    address: row.address,
    externalId: row.externalId,
    avatarURL: row.avatarURL,
    trusted: row.trusted,
    contacts: refs(
      row.contactIds.filter((id) => store.contacts.get(id)?.state !== "deleted"),
      "contacts",
    ),
    companies: refs(row.companyIds, "companies"),
    ...audit(row),
  }),
  includes: ["companies", "contacts", "users"],
  related: (store, row) => ({
    companies: row.companyIds,
    contacts: row.contactIds.filter((id) => store.contacts.get(id)?.state !== "deleted"),
    users: usersIn(row.createdBy, row.updatedBy),
  }),
  // Reference §2.4/§5.4: lookup by `contacts.value`, company by `companies.id`.
  filters: {
    ...common<CustomerRow>(),
    firstName: field.text((row) => row.firstName),
    lastName: field.text((row) => row.lastName),
    externalId: field.text((row) => row.externalId),
    organization: field.text((row) => row.organization),
    trusted: field.boolean((row) => row.trusted),
  },
  orders: { ...commonOrders<CustomerRow>(), firstName: field.text((row) => row.firstName), lastName: field.text((row) => row.lastName) },
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

const contacts: View<ContactRow> = {
  plural: "contacts",
  singular: "contact",
  table: (store) => store.contacts,
  render: (_store, row) => ({ id: row.id, type: row.type, value: row.value, isMain: row.isMain, customer: ref(row.customerId, "customers"), ...audit(row) }),
  includes: ["customers"],
  related: (_store, row) => ({ customers: [row.customerId] }),
  filters: { ...common<ContactRow>(), value: field.text((row) => row.value), type: field.text((row) => row.type), customer: field.id((row) => row.customerId) },
  orders: commonOrders<ContactRow>(),
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

const companies: View<CompanyRow> = {
  plural: "companies",
  singular: "company",
  table: (store) => store.companies,
  render: (store, row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    details: row.details,
    industry: row.industry,
    website: row.website,
    email: row.email,
    permission: row.permission,
    kind: row.kind,
    note: row.note,
    domains: refs(row.domainIds, "domains"),
    customersCount: store.customers.all().filter((customer) => customer.state !== "deleted" && customer.companyIds.includes(row.id)).length,
    ...audit(row),
  }),
  includes: ["domains", "users"],
  related: (_store, row) => ({ domains: row.domainIds, users: usersIn(row.createdBy, row.updatedBy) }),
  // Reference §5.5: filter by name, kind, domains.
  filters: { ...common<CompanyRow>(), name: field.text((row) => row.name), kind: field.text((row) => row.kind) },
  orders: { ...commonOrders<CompanyRow>(), name: field.text((row) => row.name) },
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

const domains: View<DomainRow> = {
  plural: "domains",
  singular: "domain",
  table: (store) => store.domains,
  render: (_store, row) => ({ id: row.id, name: row.name, company: ref(row.companyId, "companies"), ...audit(row) }),
  includes: ["companies"],
  related: (_store, row) => ({ companies: [row.companyId] }),
  filters: { ...common<DomainRow>(), name: field.text((row) => row.name) },
  orders: commonOrders<DomainRow>(),
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

// --- inboxes and settings ----------------------------------------------------------------------
function triggersOfInbox(store: DeskStore, inboxId: number): TriggerRow[] {
  return store.triggers.all().filter((trigger) => trigger.state !== "deleted" && trigger.inboxIds.includes(inboxId));
}

const inboxes: View<InboxRow> = {
  plural: "inboxes",
  singular: "inbox",
  table: (store) => store.inboxes,
  render: (store, row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    localPart: row.localPart,
    type: row.type,
    displayOrder: row.displayOrder,
    signature: row.signature,
    autoReplyEnabled: row.autoReplyEnabled,
    autoReplySubject: row.autoReplySubject,
    autoReplyMessage: row.autoReplyMessage,
    happinessRatingEnabled: row.happinessRatingEnabled,
    ticketstatus: refOrNull(row.ticketstatusId, "ticketstatuses"),
    tickettypes: refs(row.tickettypeIds, "tickettypes"),
    // Reference §5.7/§5.11: an inbox lists its triggers with meta.displayOrder, its users with access meta.
    triggers: triggersOfInbox(store, row.id).map((trigger, index) => ({ id: trigger.id, type: "triggers", meta: { displayOrder: index } })),
    users: row.members.map((member) => ({
      id: member.userId,
      type: "users",
      meta: { access: member.access, isAdmin: member.isAdmin, starred: member.starred, state: store.users.get(member.userId)?.state ?? "active" },
    })),
    inboxaliases: [],
    spamThreshold: row.spamThreshold,
    sendEmailsFrom: row.sendEmailsFrom,
    languageCode: row.languageCode,
    ...audit(row),
  }),
  includes: ["users", "triggers", "tickettypes", "ticketstatuses"],
  related: (store, row) => ({
    users: row.members.map((member) => member.userId),
    triggers: triggersOfInbox(store, row.id).map((trigger) => trigger.id),
    tickettypes: row.tickettypeIds,
    ticketstatuses: row.ticketstatusId === null ? [] : [row.ticketstatusId],
  }),
  filters: {
    ...common<InboxRow>(),
    name: field.text((row) => row.name),
    email: field.text((row) => row.email),
    "users.id": field.id((row) => row.members.map((member) => member.userId)),
  },
  orders: { ...commonOrders<InboxRow>(), name: field.text((row) => row.name), displayOrder: field.number((row) => row.displayOrder) },
  // The key's user only sees the inboxes it can access (reference §1).
  hidden: (store, row, _params, filtersState) => isDeleted(row, filtersState) || !store.canAccessInbox(row.id),
};

const tags: View<TagRow> = {
  plural: "tags",
  singular: "tag",
  table: (store) => store.tags,
  render: (_store, row) => ({ id: row.id, name: row.name, color: row.color, inboxes: refs(row.inboxIds, "inboxes"), ...audit(row) }),
  includes: ["inboxes"],
  related: (_store, row) => ({ inboxes: row.inboxIds }),
  filters: { ...common<TagRow>(), name: field.text((row) => row.name), "inboxes.id": field.id((row) => row.inboxIds) },
  orders: { ...commonOrders<TagRow>(), name: field.text((row) => row.name) },
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

function lookupView<T extends BaseRow & { name: string; displayOrder: number }>(
  plural: DeskResource,
  singular: string,
  table: (store: DeskStore) => Table<T>,
  render: (row: T) => JsonRecord,
  extra: FilterSpec<T> = {},
): View<T> {
  return {
    plural,
    singular,
    table,
    render: (_store, row) => ({ id: row.id, ...render(row), ...audit(row) }),
    includes: ["users"],
    related: (_store, row) => ({ users: usersIn(row.createdBy, row.updatedBy) }),
    filters: { ...common<T>(), name: field.text((row: T) => row.name), ...extra },
    orders: { ...commonOrders<T>(), name: field.text((row: T) => row.name), displayOrder: field.number((row: T) => row.displayOrder) },
    hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
  };
}

// Reference §5.10.
const ticketstatuses = lookupView<TicketStatusRow>(
  "ticketstatuses",
  "ticketstatus",
  (store) => store.ticketstatuses,
  (row) => ({
    name: row.name,
    code: row.code,
    color: row.color,
    icon: row.icon,
    displayOrder: row.displayOrder,
    isCustom: row.isCustom,
  }),
  { code: field.text((row) => row.code) },
);
const ticketpriorities = lookupView<TicketPriorityRow>(
  "ticketpriorities",
  "ticketpriority",
  (store) => store.ticketpriorities,
  (row) => ({
    name: row.name,
    color: row.color,
    icon: row.icon,
    displayOrder: row.displayOrder,
  }),
);
const tickettypes = lookupView<TicketTypeRow>(
  "tickettypes",
  "tickettype",
  (store) => store.tickettypes,
  (row) => ({
    name: row.name,
    displayOrder: row.displayOrder,
    inboxes: refs(row.inboxIds, "inboxes"),
    default: row.isDefault,
    enabledForFutureInboxes: row.enabledForFutureInboxes,
  }),
  { "inboxes.id": field.id((row) => row.inboxIds) },
);
// Reference §5.10: the Go SDK decodes the list key as `ticketSources` [U]; the path's spelling is sent.
const ticketsources = lookupView<TicketSourceRow>(
  "ticketsources",
  "ticketsource",
  (store) => store.ticketsources,
  (row) => ({
    name: row.name,
    icon: row.icon,
    displayOrder: row.displayOrder,
    isCustom: row.isCustom,
  }),
);

const customfields: View<CustomFieldRow> = {
  plural: "customfields",
  singular: "customfield",
  table: (store) => store.customfields,
  render: (store, row) => ({
    id: row.id,
    agentLabel: row.agentLabel,
    customerLabel: row.customerLabel,
    description: row.description,
    kind: row.kind,
    agentRequired: row.agentRequired,
    customerRequired: row.customerRequired,
    enabled: row.enabled,
    inboxes: refs(row.inboxIds, "inboxes"),
    addToNewInboxes: row.addToNewInboxes,
    apps: row.apps,
    placeholder: row.placeholder,
    defaultValue: row.defaultValue,
    displayOrder: row.displayOrder,
    locked: row.locked,
    // Reference §5.8: options come back under included.customfieldoptions; the ref list's key is [U].
    options: refs(
      store.optionsOf(row.id).map((option) => option.id),
      "customfieldoptions",
    ),
    ...audit(row),
  }),
  includes: ["customfieldoptions", "inboxes"],
  related: (store, row) => ({ customfieldoptions: store.optionsOf(row.id).map((option) => option.id), inboxes: row.inboxIds }),
  // Reference §5.8: filter per inbox with `inboxes.id`.
  filters: {
    ...common<CustomFieldRow>(),
    kind: field.text((row) => row.kind),
    agentLabel: field.text((row) => row.agentLabel),
    enabled: field.boolean((row) => row.enabled),
    "inboxes.id": field.id((row) => row.inboxIds),
  },
  orders: { ...commonOrders<CustomFieldRow>(), displayOrder: field.number((row) => row.displayOrder), agentLabel: field.text((row) => row.agentLabel) },
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

const customfieldoptions: View<CustomFieldOptionRow> = {
  plural: "customfieldoptions",
  singular: "customfieldoption",
  table: (store) => store.customfieldoptions,
  render: (_store, row) => ({
    id: row.id,
    name: row.name,
    displayOrder: row.displayOrder,
    selected: row.selected,
    customfield: ref(row.customfieldId, "customfields"),
    ...audit(row),
  }),
  includes: ["customfields"],
  related: (_store, row) => ({ customfields: [row.customfieldId] }),
  filters: {
    ...common<CustomFieldOptionRow>(),
    name: field.text((row) => row.name),
    customfield: field.id((row) => row.customfieldId),
    "customfield.id": field.id((row) => row.customfieldId),
  },
  orders: { ...commonOrders<CustomFieldOptionRow>(), displayOrder: field.number((row) => row.displayOrder) },
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

// --- tickets and threads -----------------------------------------------------------------------
function visibleMessages(store: DeskStore, ticketId: number): MessageRow[] {
  return store.messagesOf(ticketId).filter((message) => message.state !== "deleted");
}

function optionIdsUsed(store: DeskStore, row: TicketRow): number[] {
  const ids: number[] = [];
  for (const value of row.customFields) {
    const kind = store.customfields.get(value.fieldId)?.kind;
    if (kind !== "dropdown" && kind !== "checkbox" && kind !== "checkboxes") continue;
    for (const entry of Array.isArray(value.value) ? value.value : [value.value]) ids.push(Number(entry));
  }
  return ids;
}

const tickets: View<TicketRow> = {
  plural: "tickets",
  singular: "ticket",
  table: (store) => store.tickets,
  render: (store, row) => {
    const messages = visibleMessages(store, row.id);
    return {
      id: row.id,
      subject: row.subject,
      previewText: row.previewText,
      status: ref(row.statusId, "ticketstatuses"),
      priority: refOrNull(row.priorityId, "ticketpriorities"),
      type: refOrNull(row.typeId, "tickettypes"),
      source: refOrNull(row.sourceId, "ticketsources"),
      inbox: ref(row.inboxId, "inboxes"),
      customer: ref(row.customerId, "customers"),
      contact: refOrNull(row.contactId, "contacts"),
      company: refOrNull(row.companyId, "companies"),
      // Reference §5.1: `agent` null = unassigned.
      agent: refOrNull(row.agentId, "users"),
      tags: refs(row.tagIds, "tags"),
      messages: refs(
        messages.map((message) => message.id),
        "messages",
      ),
      files: refs(row.fileIds, "files"),
      timelogs: [],
      activities: [],
      tasks: [],
      followers: [],
      // Reference §5.1: read shape of custom field values is [U]; this mirrors the write shape.
      customfields: row.customFields.map((value) => ({ id: value.fieldId, type: "customfields", meta: { value: value.value } })),
      cc: row.cc,
      bcc: row.bcc,
      // Reference §5.2: notes do not count toward messageCount.
      messageCount: messages.filter((message) => message.threadType !== "note").length,
      isRead: row.isRead,
      originalRecipient: row.originalRecipient,
      responseTimeMins: row.responseTimeMins,
      resolutionTimeMins: row.resolutionTimeMins,
      archivedAt: row.archivedAt,
      ...audit(row),
    };
  },
  // Reference §2.5: ticket includes.
  includes: [
    "companies",
    "contacts",
    "customers",
    "customfields",
    "customfieldoptions",
    "files",
    "inboxes",
    "messages",
    "tags",
    "ticketactivities",
    "ticketpriorities",
    "ticketsources",
    "ticketstatuses",
    "tickettypes",
    "timelogs",
    "users",
    "happinessratings",
    "scheduledemails",
  ],
  related: (store, row) => {
    const messages = visibleMessages(store, row.id);
    const customer = store.customers.get(row.customerId);
    return {
      companies: [...(row.companyId === null ? [] : [row.companyId]), ...(customer?.companyIds ?? [])],
      contacts: [...(row.contactId === null ? [] : [row.contactId]), ...messages.map((message) => message.contactId).filter((id): id is number => id !== null)],
      customers: [row.customerId, ...messages.filter((message) => message.createdBy?.type === "customers").map((message) => message.createdBy!.id)],
      customfields: row.customFields.map((value) => value.fieldId),
      customfieldoptions: optionIdsUsed(store, row),
      files: [...row.fileIds, ...messages.flatMap((message) => message.fileIds)],
      inboxes: [row.inboxId],
      messages: messages.map((message) => message.id),
      tags: row.tagIds,
      ticketpriorities: row.priorityId === null ? [] : [row.priorityId],
      ticketsources: row.sourceId === null ? [] : [row.sourceId],
      ticketstatuses: [row.statusId],
      tickettypes: row.typeId === null ? [] : [row.typeId],
      users: [
        ...(row.agentId === null ? [] : [row.agentId]),
        ...usersIn(row.createdBy, row.updatedBy),
        ...messages.flatMap((message) => usersIn(message.createdBy)),
      ],
    };
  },
  // Reference §2.4: ticket filter keys agent, company, contact, customer, createdAt, updatedAt,
  // deletedAt, id, inbox, priority, source, state, status, subject, type, responseTimeMins,
  // resolutionTimeMins, originalRecipient, … (relationships compare by id).
  filters: {
    ...common<TicketRow>(),
    agent: field.id((row) => row.agentId),
    company: field.id((row) => row.companyId),
    contact: field.id((row) => row.contactId),
    customer: field.id((row) => row.customerId),
    inbox: field.id((row) => row.inboxId),
    priority: field.id((row) => row.priorityId),
    source: field.id((row) => row.sourceId),
    status: field.id((row) => row.statusId),
    type: field.id((row) => row.typeId),
    tags: field.id((row) => row.tagIds),
    subject: field.text((row) => row.subject),
    responseTimeMins: field.number((row) => row.responseTimeMins),
    resolutionTimeMins: field.number((row) => row.resolutionTimeMins),
    originalRecipient: field.text((row) => row.originalRecipient),
    archivedAt: field.date((row) => row.archivedAt),
  },
  // Reference §2.3: ticket orderBy fields.
  orders: {
    ...commonOrders<TicketRow>(),
    subject: field.text((row) => row.subject),
    status: field.id((row) => row.statusId),
    priority: field.id((row) => row.priorityId),
    inbox: field.id((row) => row.inboxId),
    agent: field.id((row) => row.agentId),
    customer: field.id((row) => row.customerId),
    type: field.id((row) => row.typeId),
    source: field.id((row) => row.sourceId),
  },
  // Reference §2.4/§5.1: archived tickets are excluded unless `archived=true`; the default list
  // is `active` tickets only [U]. `archived=true` answers only the archived ones ([U] whether the
  // real API adds them to the rest): a client reading both lists and merging by id works either way.
  hidden: (store, row, params, filtersState) => {
    if (!store.canAccessInbox(row.inboxId)) return true;
    if (!filtersState && row.state !== "active") return true;
    const archived = params.get("archived") === "true";
    return archived ? row.archivedAt === null : row.archivedAt !== null;
  },
};

const messages: View<MessageRow> = {
  plural: "messages",
  singular: "message",
  table: (store) => store.messages,
  render: (_store, row) => ({
    id: row.id,
    threadType: row.threadType,
    htmlBody: row.htmlBody,
    textBody: row.textBody,
    editMethod: row.editMethod,
    ticket: ref(row.ticketId, "tickets"),
    status: refOrNull(row.statusId, "ticketstatuses"),
    contact: refOrNull(row.contactId, "contacts"),
    assigningUser: refOrNull(row.assigningUserId, "users"),
    cc: row.cc,
    bcc: row.bcc,
    isPinned: row.isPinned,
    isDraft: row.isDraft,
    delayed: row.delayed,
    viewedByCustomerAt: row.viewedByCustomerAt,
    files: refs(row.fileIds, "files"),
    // Reference §5.2: createdBy is the author, a user or a customer.
    ...audit(row),
  }),
  includes: ["users", "customers", "files", "tickets", "contacts"],
  related: (_store, row) => ({
    users: usersIn(row.createdBy, row.updatedBy),
    customers: row.createdBy?.type === "customers" ? [row.createdBy.id] : [],
    files: row.fileIds,
    tickets: [row.ticketId],
    contacts: row.contactId === null ? [] : [row.contactId],
  }),
  filters: {
    ...common<MessageRow>(),
    threadType: field.text((row) => row.threadType),
    ticket: field.id((row) => row.ticketId),
    "ticket.id": field.id((row) => row.ticketId),
  },
  orders: commonOrders<MessageRow>(),
  hidden: (store, row, _params, filtersState) => isDeleted(row, filtersState) || !store.canAccessInbox(store.tickets.get(row.ticketId)?.inboxId ?? -1),
};

const files: View<FileRow> = {
  plural: "files",
  singular: "file",
  table: (store) => store.files,
  render: (_store, row) => ({
    id: row.id,
    type: row.type,
    filename: row.filename,
    mimeType: row.mimeType,
    disposition: row.disposition,
    size: row.sizeBytes,
    ...audit(row),
  }),
  includes: [],
  related: () => ({}),
  filters: { ...common<FileRow>(), filename: field.text((row) => row.filename) },
  orders: commonOrders<FileRow>(),
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

// --- automations -------------------------------------------------------------------------------
const triggers: View<TriggerRow> = {
  plural: "triggers",
  singular: "trigger",
  table: (store) => store.triggers,
  render: (_store, row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type,
    isShared: row.isShared,
    agentHasAccess: row.agentHasAccess,
    addToNewInboxes: row.addToNewInboxes,
    isSystem: row.isSystem,
    inboxes: refs(row.inboxIds, "inboxes"),
    // Reference §5.11: actions and conditions are posted under `included`; their ref keys here are [U].
    triggeractions: refs(row.actionIds, "triggeractions"),
    conditions: refs(row.conditionIds, "conditions"),
    ...audit(row),
  }),
  includes: ["inboxes", "triggeractions", "conditions", "users"],
  related: (_store, row) => ({
    inboxes: row.inboxIds,
    triggeractions: row.actionIds,
    conditions: row.conditionIds,
    users: usersIn(row.createdBy, row.updatedBy),
  }),
  // Reference §5.11: filter keys id, name, type, isShared, agentHasAccess, description,
  // addToNewInboxes, state, isSystem, createdAt, updatedAt, deletedAt; `inboxes.id` per inbox [U].
  filters: {
    ...common<TriggerRow>(),
    name: field.text((row) => row.name),
    type: field.text((row) => row.type),
    isShared: field.boolean((row) => row.isShared),
    agentHasAccess: field.boolean((row) => row.agentHasAccess),
    description: field.text((row) => row.description),
    addToNewInboxes: field.boolean((row) => row.addToNewInboxes),
    isSystem: field.boolean((row) => row.isSystem),
    "inboxes.id": field.id((row) => row.inboxIds),
  },
  orders: { ...commonOrders<TriggerRow>(), name: field.text((row) => row.name) },
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

const triggeractions: View<TriggerActionRow> = {
  plural: "triggeractions",
  singular: "triggeraction",
  table: (store) => store.triggeractions,
  // Reference §5.11: an action's `type` is its numeric code.
  render: (_store, row) => ({ ...row.data, id: row.id, type: row.actionType, trigger: ref(row.triggerId, "triggers") }),
  includes: [],
  related: () => ({}),
  filters: common<TriggerActionRow>(),
  orders: commonOrders<TriggerActionRow>(),
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

const conditions: View<TriggerConditionRow> = {
  plural: "conditions",
  singular: "condition",
  table: (store) => store.conditions,
  render: (_store, row) => ({
    id: row.id,
    field: row.field,
    operator: row.operator,
    value: row.value,
    matchRequirement: row.matchRequirement,
    trigger: ref(row.triggerId, "triggers"),
  }),
  includes: [],
  related: () => ({}),
  filters: common<TriggerConditionRow>(),
  orders: commonOrders<TriggerConditionRow>(),
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

const webhookendpoints: View<WebhookEndpointRow> = {
  plural: "webhookendpoints",
  singular: "webhookendpoint",
  table: (store) => store.webhookendpoints,
  render: (_store, row) => ({
    id: row.id,
    url: row.url,
    token: row.token,
    allInboxes: row.allInboxes,
    allEvents: row.allEvents,
    contentType: row.contentType,
    // Reference §5.14: events and inboxes are posted under `included`; echoed inline here [U].
    webhookendpointevents: row.events.map((code) => ({ code })),
    webhookendpointinboxes: row.inboxIds.map((id) => ({ inbox: ref(id, "inboxes") })),
    ...audit(row),
  }),
  includes: ["inboxes"],
  related: (_store, row) => ({ inboxes: row.inboxIds }),
  filters: { ...common<WebhookEndpointRow>(), url: field.text((row) => row.url) },
  orders: commonOrders<WebhookEndpointRow>(),
  hidden: (_store, row, _params, filtersState) => isDeleted(row, filtersState),
};

// Customer and company filters that read other tables need the store; they are added here.
export function customerFilters(store: DeskStore): FilterSpec<CustomerRow> {
  return {
    ...customers.filters,
    email: field.text((row) => store.mainEmail(row)),
    "contacts.value": field.text((row) => contactValues(store, row)),
    "companies.id": field.id((row) => row.companyIds),
  };
}

export function companyFilters(store: DeskStore): FilterSpec<CompanyRow> {
  return { ...companies.filters, domains: field.text((row) => row.domainIds.map((id) => store.domains.get(id)?.name ?? null)) };
}

export function userFilters(store: DeskStore): FilterSpec<UserRow> {
  return {
    ...users.filters,
    "inboxes.id": field.id((row) => inboxIdsOfUser(store, row.id)),
    // Users of the inboxes a trigger runs in.
    "triggers.id": field.id((row) => {
      const inboxIds = new Set(inboxIdsOfUser(store, row.id));
      return store.triggers
        .all()
        .filter((trigger) => trigger.inboxIds.some((id) => inboxIds.has(id)))
        .map((trigger) => trigger.id);
    }),
  };
}

// --- registry ----------------------------------------------------------------------------------
/** A view with its row type erased, for side-loading any type by id. */
type AnyView = {
  plural: DeskResource;
  singular: string;
  includes: readonly string[];
  table(store: DeskStore): Table<BaseRow>;
  render(store: DeskStore, row: BaseRow): JsonRecord;
  related(store: DeskStore, row: BaseRow): Related;
};

export const VIEWS = {
  tickets,
  messages,
  customers,
  contacts,
  companies,
  domains,
  users,
  agentinvites,
  inboxes,
  tags,
  ticketstatuses,
  ticketpriorities,
  tickettypes,
  ticketsources,
  customfields,
  customfieldoptions,
  files,
  triggers,
  triggeractions,
  conditions,
  webhookendpoints,
} satisfies Record<DeskResource, unknown>;

function anyView(resource: string): AnyView | undefined {
  return (VIEWS as Record<string, unknown>)[resource] as AnyView | undefined;
}

export function rowsOf(store: DeskStore, resource: DeskResource): BaseRow[] {
  return anyView(resource)!.table(store).all();
}

export function renderRow(store: DeskStore, resource: DeskResource, id: number): JsonRecord | undefined {
  const view = anyView(resource)!;
  const row = view.table(store).get(id);
  return row ? view.render(store, row) : undefined;
}

/**
 * The `included` object (reference §2.5): for each requested type the view allows, the related
 * rows rendered once each, in first-seen order. Requested types with nothing to load are `[]`.
 */
export function buildIncluded(
  store: DeskStore,
  view: { includes: readonly string[]; related(store: DeskStore, row: never): Related },
  rows: BaseRow[],
  requested: Set<string>,
): JsonRecord {
  const included: JsonRecord = {};
  const wanted = requested.has("all") ? view.includes : view.includes.filter((type) => requested.has(type));
  const related = (view as unknown as AnyView).related;
  const perRow = rows.map((row) => related(store, row));
  for (const type of wanted) {
    const target = anyView(type);
    const seen = new Set<number>();
    const items: JsonRecord[] = [];
    for (const map of perRow) {
      for (const id of map[type] ?? []) {
        if (seen.has(id)) continue;
        seen.add(id);
        const row = target?.table(store).get(id);
        if (row && target) items.push(target.render(store, row));
      }
    }
    included[type] = items;
  }
  return included;
}
