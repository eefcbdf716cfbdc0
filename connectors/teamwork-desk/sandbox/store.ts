// In-memory state of one sandboxed Teamwork Desk site, plus the TeamworkDeskSandboxState API tests
// use to inspect and arrange data without going through HTTP (and without using the rate limit).
import { createHmac, randomBytes } from "node:crypto";
import type { SandboxTraffic } from "@/connectors/shared/sandbox-kit";
import { isEmail, normalizeEmail, rfc3339 } from "./input";
import type {
  AgentInviteRow,
  BaseRow,
  CompanyRow,
  ContactRow,
  CustomFieldKind,
  CustomFieldOptionRow,
  CustomFieldRow,
  CustomFieldValue,
  CustomerRow,
  DomainRow,
  FileRow,
  InboxRow,
  MessageRow,
  Ref,
  TagRow,
  ThreadType,
  TicketPriorityRow,
  TicketRow,
  TicketSourceRow,
  TicketStatusRow,
  TicketTypeRow,
  TriggerActionRow,
  TriggerConditionRow,
  TriggerRow,
  UserRow,
  UserState,
  WebhookEndpointRow,
} from "./model";
import { DESK_RESOURCES, renderRow, rowsOf, type DeskResource } from "./views";

/** Reference §5.6: invitations expire after 24 h. */
export const INVITE_LIFETIME_MS = 24 * 60 * 60 * 1_000;

/** Reference §5.1: default statuses seen in official examples (ids 1, 3–7; codes other than `waiting` [U]). */
export const STATUS_ACTIVE_ID = 1;
export const STATUS_CLOSED_ID = 6;

/** Rows keyed by id; ids grow from `firstId`. Each table starts elsewhere so ids of different types never coincide. */
export class Table<T extends { id: number }> {
  private readonly rows = new Map<number, T>();
  private next: number;

  constructor(firstId: number) {
    this.next = firstId;
  }

  nextId(): number {
    return this.next++;
  }

  insert(row: T): T {
    this.rows.set(row.id, row);
    if (row.id >= this.next) this.next = row.id + 1;
    return row;
  }

  get(id: number): T | undefined {
    return this.rows.get(id);
  }

  all(): T[] {
    return [...this.rows.values()];
  }

  get size(): number {
    return this.rows.size;
  }
}

export type SentEmail = { to: string; ticketId: number; messageId: number | null; reason: "ticket-created" | "reply" | "import" };
export type TriggerRun = { triggerId: number; ticketId: number; at: string };

export type AgentInput = {
  email: string;
  firstName: string;
  lastName: string;
  /** Default "active"; "invited" = invitation not accepted yet; "deleted" = archived (left). */
  state?: UserState;
  isPartTime?: boolean;
  isAdmin?: boolean;
  /** Inboxes the agent is a member of. */
  inboxIds?: number[];
};
export type InboxInput = { name: string; email?: string; localPart?: string; memberIds?: number[]; ticketstatusId?: number | null };
export type CustomerInput = {
  email?: string | null;
  firstName?: string;
  lastName?: string;
  companyIds?: number[];
  phone?: string;
  jobTitle?: string;
  createdAt?: string;
  updatedAt?: string;
};
export type CompanyInput = { name: string; website?: string; domains?: string[]; industry?: string; createdAt?: string; updatedAt?: string };
export type TagInput = { name: string; color?: string };
export type MessageInput = { body: string; threadType?: ThreadType; author?: Ref; createdAt?: string; fileIds?: number[] };
export type TicketInput = {
  subject: string;
  inboxId: number;
  customerId: number;
  agentId?: number | null;
  statusId?: number;
  priorityId?: number | null;
  typeId?: number | null;
  sourceId?: number | null;
  tagIds?: number[];
  customFields?: CustomFieldValue[];
  createdAt?: string;
  updatedAt?: string;
  archivedAt?: string | null;
  state?: "active" | "scheduled" | "merged" | "deleted";
  /** Threads in order; the author defaults to the ticket's customer. */
  messages?: MessageInput[];
};
export type TriggerActionInput = { type: number; [key: string]: unknown };
export type TriggerConditionInput = { field: number; operator: number; value: string; matchRequirement?: "ANY" | "ALL" };
export type TriggerInput = {
  name: string;
  inboxIds: number[];
  state?: "active" | "inactive" | "incomplete";
  type?: "Automatic" | "Manual";
  isSystem?: boolean;
  description?: string;
  actions?: TriggerActionInput[];
  conditions?: TriggerConditionInput[];
};
export type CustomFieldInput = {
  agentLabel: string;
  kind: CustomFieldKind;
  options?: string[];
  inboxIds?: number[];
  agentRequired?: boolean;
  customerLabel?: string;
};

export type JsonRecord = Record<string, unknown>;

/** What tests can see and arrange directly (exported from index.ts as TeamworkDeskSandboxState). */
export interface TeamworkDeskSandboxState extends SandboxTraffic {
  /** The user the API key belongs to. */
  readonly keyOwnerId: number;
  /** Emails the real site would have sent (ticket created with notifyCustomer, replies, imports asked to notify). */
  readonly outbox: readonly SentEmail[];
  /** Automatic triggers that ran on tickets created through v2 (never on v1 import). */
  readonly triggerRuns: readonly TriggerRun[];
  /** Every row of a resource as the API renders it, hidden ones (deleted, archived) included. */
  list(resource: DeskResource): JsonRecord[];
  get(resource: DeskResource, id: number): JsonRecord | undefined;
  addAgent(input: AgentInput): JsonRecord;
  updateAgent(id: number, patch: Partial<AgentInput>): JsonRecord;
  addInbox(input: InboxInput): JsonRecord;
  addCustomer(input: CustomerInput): JsonRecord;
  addCompany(input: CompanyInput): JsonRecord;
  addTag(input: TagInput): JsonRecord;
  addTicket(input: TicketInput): JsonRecord;
  addTrigger(input: TriggerInput): JsonRecord;
  setTriggerState(id: number, state: "active" | "inactive" | "incomplete"): JsonRecord;
  addCustomField(input: CustomFieldInput): JsonRecord;
  /** Bytes stored for a file (uploaded through the fake S3 or v1 upload); null if never uploaded. */
  fileContent(id: number): Uint8Array | null;
}

function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h\d)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const PREVIEW_LENGTH_CHARS = 100;

export class DeskStore implements TeamworkDeskSandboxState {
  requestCount = 0;
  readonly faultsInjected = { serverError: 0, hang: 0 };
  keyOwnerId = 0;
  readonly outbox: SentEmail[] = [];
  readonly triggerRuns: TriggerRun[] = [];
  /** v1 import idempotency: `${source}\u0000${id}` → Desk ticket id (reference §6). */
  readonly importIndex = new Map<string, number>();
  /** Signs the fake S3 upload policies handed out by POST /files/ref.json. */
  readonly uploadSecret = randomBytes(16).toString("hex");

  readonly users = new Table<UserRow>(238_001);
  readonly agentinvites = new Table<AgentInviteRow>(1);
  readonly inboxes = new Table<InboxRow>(9_701);
  readonly customers = new Table<CustomerRow>(550_001);
  readonly contacts = new Table<ContactRow>(700_001);
  readonly companies = new Table<CompanyRow>(1_601);
  readonly domains = new Table<DomainRow>(4_001);
  readonly tags = new Table<TagRow>(369_901);
  readonly ticketstatuses = new Table<TicketStatusRow>(1);
  readonly ticketpriorities = new Table<TicketPriorityRow>(20_301);
  readonly tickettypes = new Table<TicketTypeRow>(143_601);
  readonly ticketsources = new Table<TicketSourceRow>(1);
  readonly customfields = new Table<CustomFieldRow>(271);
  readonly customfieldoptions = new Table<CustomFieldOptionRow>(1_601);
  readonly tickets = new Table<TicketRow>(14_427_001);
  readonly messages = new Table<MessageRow>(80_054_001);
  readonly files = new Table<FileRow>(555);
  readonly triggers = new Table<TriggerRow>(8_001);
  readonly triggeractions = new Table<TriggerActionRow>(1);
  readonly conditions = new Table<TriggerConditionRow>(1);
  readonly webhookendpoints = new Table<WebhookEndpointRow>(1);

  constructor(private readonly clock: () => number = Date.now) {}

  // --- helpers used by handlers, the v1 importer and the seed -------------------------------
  now(): string {
    return rfc3339(this.clock());
  }

  nowMs(): number {
    return this.clock();
  }

  ownerRef(): Ref {
    return { id: this.keyOwnerId, type: "users" };
  }

  owner(): UserRow {
    const owner = this.users.get(this.keyOwnerId);
    if (!owner) throw new Error("The sandbox has no key owner");
    return owner;
  }

  isAdmin(): boolean {
    return this.owner().role === "Admin";
  }

  /** Reference §1: the key acts with its user's permissions; admins see every inbox. */
  canAccessInbox(inboxId: number): boolean {
    if (this.isAdmin()) return true;
    return this.inboxes.get(inboxId)?.members.some((member) => member.userId === this.keyOwnerId) ?? false;
  }

  base(options: { createdBy?: Ref | null; createdAt?: string; updatedAt?: string; state?: string } = {}): Omit<BaseRow, "id"> {
    const createdAt = options.createdAt ?? this.now();
    const createdBy = options.createdBy === undefined ? (this.keyOwnerId ? this.ownerRef() : null) : options.createdBy;
    return {
      createdAt,
      updatedAt: options.updatedAt ?? createdAt,
      createdBy,
      updatedBy: createdBy,
      state: options.state ?? "active",
      deletedAt: null,
      deletedBy: null,
    };
  }

  touch(row: BaseRow) {
    row.updatedAt = this.now();
    row.updatedBy = this.ownerRef();
  }

  softDelete(row: BaseRow) {
    this.touch(row);
    row.state = "deleted";
    row.deletedAt = row.updatedAt;
    row.deletedBy = this.ownerRef();
  }

  findUserByEmail(email: string): UserRow | undefined {
    const wanted = normalizeEmail(email);
    return this.users.all().find((user) => normalizeEmail(user.email) === wanted);
  }

  /** A live customer owning an email contact with this address (reference §5.4 lookup by `contacts.value`). */
  findCustomerByEmail(email: string): CustomerRow | undefined {
    const wanted = normalizeEmail(email);
    const contact = this.contacts.all().find((row) => row.type === "email" && row.state !== "deleted" && normalizeEmail(row.value) === wanted);
    const customer = contact ? this.customers.get(contact.customerId) : undefined;
    return customer && customer.state !== "deleted" ? customer : undefined;
  }

  mainEmail(customer: CustomerRow): string | null {
    const contacts = customer.contactIds
      .map((id) => this.contacts.get(id))
      .filter((row): row is ContactRow => !!row && row.type === "email" && row.state !== "deleted");
    return (contacts.find((row) => row.isMain) ?? contacts[0])?.value ?? null;
  }

  findTagByName(name: string): TagRow | undefined {
    const wanted = name.trim().toLowerCase();
    return this.tags.all().find((tag) => tag.state !== "deleted" && tag.name.trim().toLowerCase() === wanted);
  }

  createUser(input: AgentInput & { createdAt?: string; updatedAt?: string }): UserRow {
    const state = input.state ?? "active";
    const user = this.users.insert({
      id: this.users.nextId(),
      ...this.base({ createdAt: input.createdAt, updatedAt: input.updatedAt }),
      state,
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      avatarURL: "",
      role: input.isAdmin ? "Admin" : "Agent",
      isPartTime: input.isPartTime ?? false,
      editMethod: "html",
      reviewer: false,
      sendPushNotifications: true,
      sendWebNotifications: true,
      autoFollowOnCC: false,
      timezoneId: 1,
      isAppOwner: false,
    });
    if (state === "deleted") user.deletedAt = user.updatedAt;
    for (const inboxId of input.inboxIds ?? []) this.addMember(inboxId, user.id, input.isAdmin ?? false);
    if (state === "invited") this.invite(user);
    return user;
  }

  invite(user: UserRow): AgentInviteRow {
    return this.agentinvites.insert({
      id: this.agentinvites.nextId(),
      ...this.base({ createdAt: user.createdAt }),
      userId: user.id,
      expiresAt: rfc3339(Date.parse(user.createdAt) + INVITE_LIFETIME_MS),
    });
  }

  addMember(inboxId: number, userId: number, isAdmin = false) {
    const inbox = this.inboxes.get(inboxId);
    if (!inbox || inbox.members.some((member) => member.userId === userId)) return;
    inbox.members.push({ userId, access: "full", isAdmin, starred: false });
  }

  createInbox(input: InboxInput & { createdAt?: string; updatedAt?: string }): InboxRow {
    const localPart =
      input.localPart ??
      input.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
    const inbox = this.inboxes.insert({
      id: this.inboxes.nextId(),
      ...this.base({ createdAt: input.createdAt, updatedAt: input.updatedAt }),
      name: input.name,
      email: input.email ?? `${localPart}@sandbox.teamwork.example`,
      localPart,
      type: "email",
      displayOrder: this.inboxes.size,
      signature: "",
      autoReplyEnabled: false,
      autoReplySubject: "",
      autoReplyMessage: "",
      happinessRatingEnabled: false,
      ticketstatusId: input.ticketstatusId ?? STATUS_ACTIVE_ID,
      tickettypeIds: this.tickettypes
        .all()
        .filter((type) => type.enabledForFutureInboxes)
        .map((type) => type.id),
      members: [],
      spamThreshold: 5,
      sendEmailsFrom: input.email ?? `${localPart}@sandbox.teamwork.example`,
      languageCode: "en",
    });
    for (const userId of input.memberIds ?? [this.keyOwnerId]) if (userId) this.addMember(inbox.id, userId, userId === this.keyOwnerId && this.isAdmin());
    for (const field of this.customfields.all()) if (field.addToNewInboxes) field.inboxIds.push(inbox.id);
    for (const trigger of this.triggers.all()) if (trigger.addToNewInboxes) trigger.inboxIds.push(inbox.id);
    return inbox;
  }

  addContact(customer: CustomerRow, type: ContactRow["type"], value: string, isMain: boolean): ContactRow {
    const contact = this.contacts.insert({
      id: this.contacts.nextId(),
      ...this.base({ createdAt: customer.createdAt }),
      customerId: customer.id,
      type,
      value,
      isMain,
    });
    customer.contactIds.push(contact.id);
    return contact;
  }

  createCustomer(input: CustomerInput & { createdBy?: Ref | null }): CustomerRow {
    const customer = this.customers.insert({
      id: this.customers.nextId(),
      ...this.base({ createdBy: input.createdBy, createdAt: input.createdAt, updatedAt: input.updatedAt }),
      firstName: input.firstName ?? "",
      lastName: input.lastName ?? "",
      organization: "",
      extraData: "",
      notes: "",
      verifiedEmail: false,
      permission: "",
      linkedinURL: "",
      facebookURL: "",
      twitterHandle: "",
      jobTitle: input.jobTitle ?? "",
      phone: input.phone ?? "",
      mobile: "",
      address: "",
      externalId: "",
      avatarURL: "",
      trusted: false,
      contactIds: [],
      companyIds: [...(input.companyIds ?? [])],
    });
    if (input.email) this.addContact(customer, "email", input.email, true);
    return customer;
  }

  /** Finds a customer by email or creates one (reference §5.1: unknown email → auto-created). */
  customerForEmail(email: string, names: { firstName?: string; lastName?: string } = {}): CustomerRow {
    return this.findCustomerByEmail(email) ?? this.createCustomer({ email: email.trim(), firstName: names.firstName, lastName: names.lastName });
  }

  createCompany(input: CompanyInput): CompanyRow {
    const company = this.companies.insert({
      id: this.companies.nextId(),
      ...this.base({ createdAt: input.createdAt, updatedAt: input.updatedAt }),
      name: input.name,
      description: "",
      details: "",
      industry: input.industry ?? "",
      website: input.website ?? "",
      email: "",
      permission: "own",
      kind: "company",
      note: "",
      domainIds: [],
    });
    for (const name of input.domains ?? []) this.addDomain(company, name);
    return company;
  }

  addDomain(company: CompanyRow, name: string): DomainRow {
    const domain = this.domains.insert({ id: this.domains.nextId(), ...this.base({ createdAt: company.createdAt }), name, companyId: company.id });
    company.domainIds.push(domain.id);
    return domain;
  }

  createTag(input: TagInput): TagRow {
    return this.tags.insert({ id: this.tags.nextId(), ...this.base(), name: input.name, color: input.color ?? "#8f9bb3", inboxIds: [] });
  }

  createTicket(input: TicketInput & { createdBy?: Ref; notifyCustomer?: boolean; fileIds?: number[]; cc?: string[]; bcc?: string[] }): TicketRow {
    const customer = this.customers.get(input.customerId);
    const contactId = customer?.contactIds.find((id) => this.contacts.get(id)?.type === "email") ?? null;
    const createdAt = input.createdAt ?? this.now();
    const createdBy: Ref = input.createdBy ?? { id: input.customerId, type: "customers" };
    const ticket = this.tickets.insert({
      id: this.tickets.nextId(),
      ...this.base({ createdBy, createdAt, updatedAt: input.updatedAt ?? createdAt, state: input.state }),
      subject: input.subject,
      previewText: "",
      statusId: input.statusId ?? this.inboxes.get(input.inboxId)?.ticketstatusId ?? STATUS_ACTIVE_ID,
      priorityId: input.priorityId ?? null,
      typeId: input.typeId ?? null,
      sourceId: input.sourceId ?? null,
      inboxId: input.inboxId,
      customerId: input.customerId,
      contactId,
      agentId: input.agentId ?? null,
      companyId: customer?.companyIds[0] ?? null,
      tagIds: [...new Set(input.tagIds ?? [])],
      fileIds: [...(input.fileIds ?? [])],
      customFields: [...(input.customFields ?? [])],
      cc: input.cc ?? [],
      bcc: input.bcc ?? [],
      isRead: false,
      originalRecipient: this.inboxes.get(input.inboxId)?.email ?? "",
      responseTimeMins: 0,
      resolutionTimeMins: 0,
      archivedAt: input.archivedAt ?? null,
      notifyCustomer: input.notifyCustomer ?? false,
    });
    if (ticket.state === "deleted") ticket.deletedAt = ticket.updatedAt;
    for (const message of input.messages ?? []) {
      this.createMessage(ticket, {
        threadType: message.threadType ?? "message",
        htmlBody: message.body,
        author: message.author ?? { id: input.customerId, type: "customers" },
        createdAt: message.createdAt ?? createdAt,
        fileIds: message.fileIds,
        keepTicketUpdatedAt: input.updatedAt !== undefined,
      });
    }
    return ticket;
  }

  createMessage(
    ticket: TicketRow,
    input: {
      threadType: ThreadType;
      htmlBody: string;
      author: Ref;
      createdAt?: string;
      editMethod?: "html" | "markdown";
      statusId?: number | null;
      cc?: string[];
      bcc?: string[];
      fileIds?: number[];
      isPinned?: boolean;
      isDraft?: boolean;
      /** Seeds and imports set the ticket's updatedAt themselves. */
      keepTicketUpdatedAt?: boolean;
    },
  ): MessageRow {
    const createdAt = input.createdAt ?? this.now();
    const message = this.messages.insert({
      id: this.messages.nextId(),
      ...this.base({ createdBy: input.author, createdAt }),
      ticketId: ticket.id,
      threadType: input.threadType,
      htmlBody: input.htmlBody,
      textBody: htmlToText(input.htmlBody),
      editMethod: input.editMethod ?? "html",
      statusId: input.statusId ?? null,
      contactId: input.author.type === "customers" ? ticket.contactId : null,
      assigningUserId: null,
      cc: input.cc ?? [],
      bcc: input.bcc ?? [],
      isPinned: input.isPinned ?? false,
      isDraft: input.isDraft ?? false,
      delayed: false,
      viewedByCustomerAt: null,
      fileIds: [...(input.fileIds ?? [])],
    });
    if (ticket.previewText === "" && input.threadType !== "note") ticket.previewText = message.textBody.slice(0, PREVIEW_LENGTH_CHARS);
    if (!input.keepTicketUpdatedAt && createdAt > ticket.updatedAt) ticket.updatedAt = createdAt;
    return message;
  }

  messagesOf(ticketId: number): MessageRow[] {
    return this.messages.all().filter((message) => message.ticketId === ticketId);
  }

  /**
   * Automatic, active triggers of the ticket's inbox run on tickets created through v2 — the side
   * effect the migration guide (seed 003) disables triggers to avoid. Only the confirmed action
   * codes change the ticket: 4 assign to user, 5 add tags (reference §5.11); every run is logged.
   */
  runTriggers(ticket: TicketRow) {
    for (const trigger of this.triggers.all()) {
      if (trigger.state !== "active" || trigger.type !== "Automatic" || !trigger.inboxIds.includes(ticket.inboxId)) continue;
      this.triggerRuns.push({ triggerId: trigger.id, ticketId: ticket.id, at: this.now() });
      for (const actionId of trigger.actionIds) {
        const action = this.triggeractions.get(actionId);
        if (!action) continue;
        if (action.actionType === 5 && Array.isArray(action.data.tags)) {
          for (const tag of action.data.tags as { id?: unknown }[]) {
            if (typeof tag.id === "number" && this.tags.get(tag.id) && !ticket.tagIds.includes(tag.id)) ticket.tagIds.push(tag.id);
          }
        }
        if (action.actionType === 4) {
          const user = action.data.user as { id?: unknown } | undefined;
          if (typeof user?.id === "number" && this.users.get(user.id)?.state === "active") ticket.agentId = user.id;
        }
      }
    }
  }

  createTrigger(input: TriggerInput): TriggerRow {
    const trigger = this.triggers.insert({
      id: this.triggers.nextId(),
      ...this.base({ state: input.state ?? "active" }),
      name: input.name,
      description: input.description ?? "",
      type: input.type ?? "Automatic",
      isShared: true,
      agentHasAccess: true,
      addToNewInboxes: false,
      isSystem: input.isSystem ?? false,
      inboxIds: [...input.inboxIds],
      actionIds: [],
      conditionIds: [],
    });
    this.setTriggerRules(trigger, input.actions, input.conditions);
    return trigger;
  }

  setTriggerRules(trigger: TriggerRow, actions: TriggerActionInput[] | undefined, conditions: TriggerConditionInput[] | undefined) {
    if (actions) {
      trigger.actionIds = actions.map(
        ({ type, ...data }) =>
          this.triggeractions.insert({ id: this.triggeractions.nextId(), ...this.base(), triggerId: trigger.id, actionType: type, data }).id,
      );
    }
    if (conditions) {
      trigger.conditionIds = conditions.map(
        (condition) =>
          this.conditions.insert({
            id: this.conditions.nextId(),
            ...this.base(),
            triggerId: trigger.id,
            field: condition.field,
            operator: condition.operator,
            value: condition.value,
            matchRequirement: condition.matchRequirement ?? "ALL",
          }).id,
      );
    }
  }

  createCustomField(input: CustomFieldInput & Partial<Omit<CustomFieldRow, "id" | "kind" | "agentLabel">>): CustomFieldRow {
    const field = this.customfields.insert({
      id: this.customfields.nextId(),
      ...this.base(),
      agentLabel: input.agentLabel,
      customerLabel: input.customerLabel ?? input.agentLabel,
      description: input.description ?? "",
      kind: input.kind,
      agentRequired: input.agentRequired ?? false,
      customerRequired: input.customerRequired ?? false,
      enabled: input.enabled ?? true,
      inboxIds: [...(input.inboxIds ?? this.inboxes.all().map((inbox) => inbox.id))],
      addToNewInboxes: input.addToNewInboxes ?? true,
      apps: input.apps ?? [],
      placeholder: input.placeholder ?? "",
      defaultValue: input.defaultValue ?? "",
      displayOrder: input.displayOrder ?? this.customfields.size,
      locked: false,
    });
    (input.options ?? []).forEach((name, index) => this.createOption(field, name, index));
    return field;
  }

  createOption(field: CustomFieldRow, name: string, displayOrder?: number): CustomFieldOptionRow {
    return this.customfieldoptions.insert({
      id: this.customfieldoptions.nextId(),
      ...this.base(),
      customfieldId: field.id,
      name,
      displayOrder: displayOrder ?? this.optionsOf(field.id).length,
      selected: false,
    });
  }

  optionsOf(fieldId: number): CustomFieldOptionRow[] {
    return this.customfieldoptions.all().filter((option) => option.customfieldId === fieldId && option.state !== "deleted");
  }

  uploadSignature(policy: string): string {
    return createHmac("sha256", this.uploadSecret).update(policy).digest("hex");
  }

  fileBytes(file: FileRow): Uint8Array | null {
    if (!file.content && file.lazyContent) file.content = file.lazyContent();
    return file.content;
  }

  // --- TeamworkDeskSandboxState --------------------------------------------------------------
  list(resource: DeskResource): JsonRecord[] {
    return rowsOf(this, resource).map((row) => renderRow(this, resource, row.id) as JsonRecord);
  }

  get(resource: DeskResource, id: number): JsonRecord | undefined {
    return renderRow(this, resource, id);
  }

  addAgent(input: AgentInput): JsonRecord {
    if (this.findUserByEmail(input.email)) throw new Error(`An agent with email ${input.email} already exists`);
    return renderRow(this, "users", this.createUser(input).id)!;
  }

  updateAgent(id: number, patch: Partial<AgentInput>): JsonRecord {
    const user = this.users.get(id);
    if (!user) throw new Error(`No agent ${id}`);
    if (patch.email !== undefined) user.email = patch.email;
    if (patch.firstName !== undefined) user.firstName = patch.firstName;
    if (patch.lastName !== undefined) user.lastName = patch.lastName;
    if (patch.isPartTime !== undefined) user.isPartTime = patch.isPartTime;
    if (patch.isAdmin !== undefined) user.role = patch.isAdmin ? "Admin" : "Agent";
    if (patch.state !== undefined) {
      if (user.state === "invited" && patch.state !== "invited") {
        for (const invite of this.agentinvites.all()) if (invite.userId === id && invite.state === "active") invite.state = "accepted";
      }
      user.state = patch.state;
      user.deletedAt = patch.state === "deleted" ? this.now() : null;
    }
    for (const inboxId of patch.inboxIds ?? []) this.addMember(inboxId, id);
    this.touch(user);
    return renderRow(this, "users", id)!;
  }

  addInbox(input: InboxInput): JsonRecord {
    return renderRow(this, "inboxes", this.createInbox(input).id)!;
  }

  addCustomer(input: CustomerInput): JsonRecord {
    if (input.email && isEmail(input.email.trim()) && this.findCustomerByEmail(input.email))
      throw new Error(`A customer with email ${input.email} already exists`);
    return renderRow(this, "customers", this.createCustomer(input).id)!;
  }

  addCompany(input: CompanyInput): JsonRecord {
    return renderRow(this, "companies", this.createCompany(input).id)!;
  }

  addTag(input: TagInput): JsonRecord {
    return renderRow(this, "tags", this.createTag(input).id)!;
  }

  addTicket(input: TicketInput): JsonRecord {
    if (!this.inboxes.get(input.inboxId)) throw new Error(`No inbox ${input.inboxId}`);
    if (!this.customers.get(input.customerId)) throw new Error(`No customer ${input.customerId}`);
    return renderRow(this, "tickets", this.createTicket(input).id)!;
  }

  addTrigger(input: TriggerInput): JsonRecord {
    return renderRow(this, "triggers", this.createTrigger(input).id)!;
  }

  setTriggerState(id: number, state: "active" | "inactive" | "incomplete"): JsonRecord {
    const trigger = this.triggers.get(id);
    if (!trigger) throw new Error(`No trigger ${id}`);
    trigger.state = state;
    this.touch(trigger);
    return renderRow(this, "triggers", id)!;
  }

  addCustomField(input: CustomFieldInput): JsonRecord {
    return renderRow(this, "customfields", this.createCustomField(input).id)!;
  }

  fileContent(id: number): Uint8Array | null {
    const file = this.files.get(id);
    return file ? this.fileBytes(file) : null;
  }
}

export { DESK_RESOURCES, type DeskResource };
