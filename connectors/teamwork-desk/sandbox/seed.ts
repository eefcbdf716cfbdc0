// Seeds a sandboxed site. Every site has the system defaults (ticket statuses 1 and 3–7,
// priorities low/medium/high, the "Question" type, a few sources) and the key owner.
//  - "empty": nothing else — in particular **no inbox**, like a brand-new Desk site before its
//    admin creates the first one (seed 003), so a connector's "at least one inbox" prerequisite
//    fails until a test adds one.
//  - "sample": the Sample source's help desk (agents, inboxes, companies, customers, tickets
//    with their threads and attachments, tags, custom fields), plus what only Desk has: agents
//    in every state (active, invited and not yet accepted, archived, part-time), triggers per
//    inbox (some active, one system, one manual), and old closed tickets archived (§2.4).
import { DEFAULT_SAMPLE_SEED, REFERENCE_DATE, sampleAttachmentContent, sampleRecords } from "@/connectors/sample";
import { PLATFORMS, PRODUCT_AREAS } from "@/connectors/sample/vocabulary";
import type { Address, CanonicalRecord, CanonicalValue, FullName, Phone, RelationRef, UserRef } from "@/connectors/types";
import { rfc3339 } from "./input";
import type { CustomFieldRow, CustomFieldValue, Ref } from "./model";
import { STATUS_ACTIVE_ID, type DeskStore } from "./store";

export type KeyOwner = { email: string; firstName: string; lastName: string; isAdmin: boolean };

export const DEFAULT_KEY_OWNER: KeyOwner = { email: "owner@sandbox.teamwork.example", firstName: "Sandbox", lastName: "Owner", isAdmin: true };
/** Default sample scale: 5 agents, 3 inboxes, 4 companies, 25 customers, 100 tickets. */
export const DEFAULT_SAMPLE_SCALE = 0.1;

const DAY_MS = 24 * 60 * 60 * 1_000;
/** Closed tickets untouched for this long are archived (hidden from lists unless archived=true). */
const ARCHIVE_AFTER_MS = 365 * DAY_MS;
const REFERENCE_MS = Date.parse(REFERENCE_DATE);

function seedDefaults(store: DeskStore) {
  // Reference §5.1: statuses 1 Active, 3 Waiting on customer (code `waiting`, #ffa785), 4 On-hold,
  // 5 Solved, 6 Closed, 7 Spam; codes other than `waiting` and the colours are [U].
  const statuses: [number, string, string, string][] = [
    [STATUS_ACTIVE_ID, "Active", "active", "#5fb6e6"],
    [3, "Waiting on customer", "waiting", "#ffa785"],
    [4, "On-hold", "onhold", "#b3a1e6"],
    [5, "Solved", "solved", "#8fd694"],
    [6, "Closed", "closed", "#9ba3ad"],
    [7, "Spam", "spam", "#e2888d"],
  ];
  statuses.forEach(([id, name, code, color], index) =>
    store.ticketstatuses.insert({
      id,
      ...store.base({ createdBy: null, createdAt: "2018-07-02T08:30:09Z" }),
      name,
      code,
      color,
      icon: `status-${code}`,
      displayOrder: index,
      isCustom: false,
    }),
  );
  // Reference §5.10: default priorities low/medium/high (lower-case names as in the §2.1 example).
  (["low", "medium", "high"] as const).forEach((name, index) =>
    store.ticketpriorities.insert({
      id: store.ticketpriorities.nextId(),
      ...store.base({ createdBy: null, createdAt: "2018-07-02T08:30:09Z" }),
      name,
      color: ["#8ec3a7", "#f2c26b", "#E2888D"][index],
      icon: `priority-${name}`,
      displayOrder: index + 1,
    }),
  );
  // Reference §5.10: "Question" is the default type, enabled for future inboxes.
  store.tickettypes.insert({
    id: store.tickettypes.nextId(),
    ...store.base({ createdBy: null }),
    name: "Question",
    displayOrder: 0,
    inboxIds: [],
    isDefault: true,
    enabledForFutureInboxes: true,
  });
  // Default sources [U]: not listed by the reference; tickets created through v2 get "API".
  ["Email", "Contact form", "Phone", "Chat", "API"].forEach((name, index) =>
    store.ticketsources.insert({
      id: store.ticketsources.nextId(),
      ...store.base({ createdBy: null }),
      name,
      icon: name.toLowerCase().replace(" ", "-"),
      displayOrder: index,
      isCustom: false,
    }),
  );
}

export function seedStore(store: DeskStore, options: { seed: "empty" | "sample"; keyOwner: KeyOwner; sampleScale: number }) {
  const owner = store.createUser({ ...options.keyOwner, state: "active" });
  store.keyOwnerId = owner.id;
  owner.createdBy = owner.updatedBy = { id: owner.id, type: "users" };
  seedDefaults(store);
  if (options.seed === "sample") seedSample(store, options.sampleScale);
}

// --- sample ------------------------------------------------------------------------------------
const text = (value: CanonicalValue | undefined): string | null => (typeof value === "string" ? value : null);
const relationId = (value: CanonicalValue | undefined): string | null =>
  value && typeof value === "object" && "id" in value ? (value as RelationRef | UserRef).id : null;

function addressText(value: CanonicalValue | undefined): string {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "";
  const address = value as Address;
  return [address.street1, address.city, address.postcode, address.country].filter(Boolean).join(", ");
}

function hostOf(domain: string | null): string[] {
  if (!domain) return [];
  return [
    domain
      .toLowerCase()
      .replace(/^https?:\/\//, "")
      .replace(/^www\./, "")
      .replace(/\/.*$/, ""),
  ];
}

const STATUS_IDS: Record<string, number> = { open: STATUS_ACTIVE_ID, waiting: 3, "on-hold": 4, solved: 5, closed: 6 };

type SampleRecords = (type: string) => CanonicalRecord[];
/** Sample record id → sandbox row id. */
type IdMap = Map<string, number>;
type TicketLookups = { priorityIds: Record<string, number>; typeIds: Record<string, number>; sourceIds: Record<string, number> };

function seedSample(store: DeskStore, scale: number) {
  const config = { seed: DEFAULT_SAMPLE_SEED, scale };
  const records: SampleRecords = (type) => [...sampleRecords(type, config)];
  const agentIds = seedAgents(store, records("agents"));
  const inboxIds = seedInboxes(store, records("inboxes"));
  const allInboxIds = [...inboxIds.values()];
  const companyIds = seedCompanies(store, records("companies"));
  const customerIds = seedCustomers(store, records("customers"), companyIds);
  const lookups = seedTicketLookups(store, allInboxIds);
  const customFieldsOf = seedCustomFields(store, allInboxIds);
  const tagId = tagsByName(store);
  for (const record of records("tickets")) seedTicket(store, record, { agentIds, inboxIds, customerIds, lookups, customFieldsOf, tagId });
  seedTriggers(store, { allInboxIds, agentIds, typeIds: lookups.typeIds, tagId });
}

/** The sample's admin, agents and the one who left (archived), one of them part-time, plus an agent invited and not accepted yet. */
function seedAgents(store: DeskStore, agents: CanonicalRecord[]): IdMap {
  const owner = store.owner();
  const agentIds: IdMap = new Map();
  agents.forEach((record, index) => {
    const name = record.fields.name as FullName;
    const email = text(record.fields.email)!;
    if (email.toLowerCase() === owner.email.toLowerCase()) {
      agentIds.set(record.id, owner.id);
      return;
    }
    const user = store.createUser({
      email,
      firstName: name.firstName,
      lastName: name.lastName,
      isAdmin: record.fields.role === "admin",
      state: record.fields.state === "inactive" ? "deleted" : "active",
      isPartTime: index === 3,
      createdAt: record.createdAt ?? undefined,
      updatedAt: record.updatedAt ?? undefined,
    });
    agentIds.set(record.id, user.id);
  });
  // Invited two hours ago and not accepted yet: cannot be assigned (reference §5.6).
  const invitedAt = rfc3339(store.nowMs() - 2 * 60 * 60 * 1_000);
  store.createUser({
    email: "new.hire@lumen-outfitters.example",
    firstName: "Robin",
    lastName: "Newhire",
    state: "invited",
    createdAt: invitedAt,
    updatedAt: invitedAt,
  });
  return agentIds;
}

/** Every active agent is a member of every inbox, the key owner first. */
function seedInboxes(store: DeskStore, inboxes: CanonicalRecord[]): IdMap {
  const owner = store.owner();
  const members = [
    owner.id,
    ...store.users
      .all()
      .filter((user) => user.state === "active" && user.id !== owner.id)
      .map((user) => user.id),
  ];
  const inboxIds: IdMap = new Map();
  for (const record of inboxes) {
    const inbox = store.createInbox({
      name: text(record.fields.name)!,
      email: text(record.fields.email)!,
      memberIds: members,
      createdAt: record.createdAt ?? undefined,
      updatedAt: record.updatedAt ?? undefined,
    });
    inboxIds.set(record.id, inbox.id);
  }
  return inboxIds;
}

function seedCompanies(store: DeskStore, companies: CanonicalRecord[]): IdMap {
  const companyIds: IdMap = new Map();
  for (const record of companies) {
    const domain = text(record.fields.domain);
    const company = store.createCompany({
      name: text(record.fields.name)!,
      website: domain ?? "",
      domains: hostOf(domain),
      industry: text(record.fields.industry) ?? "",
      createdAt: record.createdAt ?? undefined,
      updatedAt: record.updatedAt ?? undefined,
    });
    companyIds.set(record.id, company.id);
  }
  return companyIds;
}

/** One customer per email, as in Desk: the sample's re-typed duplicates merge into the original. */
function seedCustomers(store: DeskStore, customers: CanonicalRecord[], companyIds: IdMap): IdMap {
  const customerIds: IdMap = new Map();
  for (const record of customers) {
    const email = text(record.fields.email)?.trim() || null;
    const existing = email ? store.findCustomerByEmail(email) : undefined;
    if (existing) {
      customerIds.set(record.id, existing.id);
      continue;
    }
    const name = record.fields.name as FullName;
    const companyId = relationId(record.fields.company);
    const customer = store.createCustomer({
      email,
      firstName: name.firstName,
      lastName: name.lastName,
      companyIds: companyId && companyIds.has(companyId) ? [companyIds.get(companyId)!] : [],
      phone: (record.fields.phone as Phone | null)?.raw ?? "",
      jobTitle: text(record.fields.jobTitle) ?? "",
      createdAt: record.createdAt ?? undefined,
      updatedAt: record.updatedAt ?? undefined,
    });
    customer.address = addressText(record.fields.address);
    customerIds.set(record.id, customer.id);
  }
  return customerIds;
}

/** Ticket priorities, types and sources beyond the defaults, keyed by the sample's values. */
function seedTicketLookups(store: DeskStore, allInboxIds: number[]): TicketLookups {
  const urgent = store.ticketpriorities.insert({
    id: store.ticketpriorities.nextId(),
    ...store.base(),
    name: "urgent",
    color: "#d9534f",
    icon: "priority-urgent",
    displayOrder: 4,
  });
  const priorityIds: Record<string, number> = Object.fromEntries(store.ticketpriorities.all().map((row) => [row.name, row.id]));
  priorityIds.normal = priorityIds.medium;
  priorityIds.urgent = urgent.id;
  const typeIds: Record<string, number> = { question: store.tickettypes.all()[0].id };
  for (const [value, name] of [
    ["problem", "Problem"],
    ["incident", "Incident"],
    ["feature-request", "Feature request"],
  ] as const) {
    typeIds[value] = store.tickettypes.insert({
      id: store.tickettypes.nextId(),
      ...store.base(),
      name,
      displayOrder: store.tickettypes.size,
      inboxIds: allInboxIds,
      isDefault: false,
      enabledForFutureInboxes: true,
    }).id;
  }
  for (const type of store.tickettypes.all()) type.inboxIds = allInboxIds;
  for (const inbox of store.inboxes.all()) inbox.tickettypeIds = store.tickettypes.all().map((type) => type.id);
  const sourceIds: Record<string, number> = Object.fromEntries(
    (["email", "web", "phone", "chat"] as const).map((value, index) => [value, store.ticketsources.all()[index].id]),
  );
  return { priorityIds, typeIds, sourceIds };
}

/** One custom field per Desk kind (reference §5.8); returns how a sample ticket's fields fill them. */
function seedCustomFields(store: DeskStore, allInboxIds: number[]): (record: CanonicalRecord) => CustomFieldValue[] {
  const fields = {
    orderNumber: store.createCustomField({ agentLabel: "Order number", kind: "text", inboxIds: allInboxIds }),
    reproductionSteps: store.createCustomField({ agentLabel: "Steps to reproduce", kind: "textarea", inboxIds: allInboxIds }),
    seatCount: store.createCustomField({ agentLabel: "Group size", kind: "number", inboxIds: allInboxIds }),
    vipCustomer: store.createCustomField({ agentLabel: "VIP customer", kind: "dropdown", options: ["Yes", "No"], inboxIds: allInboxIds }),
    purchaseDate: store.createCustomField({ agentLabel: "Purchase date", kind: "date", inboxIds: allInboxIds }),
    productArea: store.createCustomField({
      agentLabel: "Product area",
      kind: "dropdown",
      options: PRODUCT_AREAS.map((option) => option.label),
      inboxIds: allInboxIds,
      agentRequired: true,
    }),
    platforms: store.createCustomField({
      agentLabel: "Platforms",
      kind: "checkboxes",
      options: PLATFORMS.map((option) => option.label),
      inboxIds: allInboxIds,
    }),
    legacyReference: store.createCustomField({ agentLabel: "Legacy reference", kind: "text", inboxIds: allInboxIds }),
  };
  const optionId = (field: CustomFieldRow, label: string) => store.optionsOf(field.id).find((option) => option.name === label)?.id;
  const labelOf = (options: readonly { value: string; label: string }[], value: string) => options.find((option) => option.value === value)?.label ?? value;

  return (record) => {
    const values: CustomFieldValue[] = [];
    const f = record.fields;
    if (text(f.orderNumber)) values.push({ fieldId: fields.orderNumber.id, value: text(f.orderNumber)! });
    if (text(f.reproductionSteps)) values.push({ fieldId: fields.reproductionSteps.id, value: text(f.reproductionSteps)! });
    if (typeof f.seatCount === "number") values.push({ fieldId: fields.seatCount.id, value: String(f.seatCount) });
    if (typeof f.vipCustomer === "boolean") values.push({ fieldId: fields.vipCustomer.id, value: optionId(fields.vipCustomer, f.vipCustomer ? "Yes" : "No")! });
    if (text(f.purchaseDate)) values.push({ fieldId: fields.purchaseDate.id, value: text(f.purchaseDate)! });
    if (text(f.productArea))
      values.push({ fieldId: fields.productArea.id, value: optionId(fields.productArea, labelOf(PRODUCT_AREAS, text(f.productArea)!))! });
    if (Array.isArray(f.platforms) && f.platforms.length > 0) {
      values.push({ fieldId: fields.platforms.id, value: (f.platforms as string[]).map((value) => optionId(fields.platforms, labelOf(PLATFORMS, value))!) });
    }
    return values;
  };
}

/** Tags by exact name, created on first use: the sample's near-duplicates ("billing"/"Billing") stay distinct. */
function tagsByName(store: DeskStore): (name: string) => number {
  const tagIds = new Map<string, number>();
  return (name) => {
    if (!tagIds.has(name)) tagIds.set(name, store.createTag({ name }).id);
    return tagIds.get(name)!;
  };
}

type TicketContext = {
  agentIds: IdMap;
  inboxIds: IdMap;
  customerIds: IdMap;
  lookups: TicketLookups;
  customFieldsOf: (record: CanonicalRecord) => CustomFieldValue[];
  tagId: (name: string) => number;
};

/** A sample ticket with its thread; closed tickets untouched for a year are archived (§2.4). */
function seedTicket(store: DeskStore, record: CanonicalRecord, context: TicketContext) {
  const { lookups } = context;
  const f = record.fields;
  const customerId = context.customerIds.get(relationId(f.customer)!)!;
  const status = STATUS_IDS[text(f.status) ?? "open"] ?? STATUS_ACTIVE_ID;
  const updatedMs = Date.parse(record.updatedAt!);
  const archived = status === 6 && updatedMs < REFERENCE_MS - ARCHIVE_AFTER_MS;
  const ticket = store.createTicket({
    subject: text(f.subject) ?? "",
    inboxId: context.inboxIds.get(relationId(f.inbox)!)!,
    customerId,
    agentId: relationId(f.assignee) ? (context.agentIds.get(relationId(f.assignee)!) ?? null) : null,
    statusId: status,
    priorityId: text(f.priority) ? lookups.priorityIds[text(f.priority)!] : null,
    typeId: text(f.type) ? lookups.typeIds[text(f.type)!] : null,
    sourceId: lookups.sourceIds[text(f.source) ?? "email"],
    tagIds: (Array.isArray(f.tags) ? (f.tags as string[]) : []).map(context.tagId),
    customFields: context.customFieldsOf(record),
    createdAt: record.createdAt!,
    updatedAt: record.updatedAt!,
    archivedAt: archived ? rfc3339(updatedMs + 30 * DAY_MS) : null,
  });
  for (const message of record.children?.messages ?? []) {
    const author = message.fields.author as UserRef | RelationRef;
    const authorRef: Ref =
      message.fields.authorType === "agent"
        ? { id: context.agentIds.get(author.id) ?? store.owner().id, type: "users" }
        : { id: context.customerIds.get(author.id) ?? customerId, type: "customers" };
    store.createMessage(ticket, {
      threadType: message.fields.kind === "note" ? "note" : "message",
      htmlBody: text(message.fields.body) ?? "",
      author: authorRef,
      createdAt: message.createdAt!,
      fileIds: seedAttachments(store, message, authorRef),
      keepTicketUpdatedAt: true,
    });
  }
}

/** A message's attachments as uploaded files; their bytes are generated when first downloaded. */
function seedAttachments(store: DeskStore, message: CanonicalRecord, author: Ref): number[] {
  return (message.attachments ?? []).map((attachment) => {
    const id = store.files.nextId();
    return store.files.insert({
      id,
      ...store.base({ createdBy: author, createdAt: message.createdAt! }),
      type: "attachment",
      filename: attachment.fileName,
      mimeType: attachment.contentType,
      disposition: "attachment",
      key: `desk/${id}/${attachment.fileName}`,
      sizeBytes: attachment.sizeBytes,
      content: null,
      lazyContent: () => sampleAttachmentContent(attachment),
      uploadedAt: message.createdAt!,
      completedAt: message.createdAt!,
      downloadUrl: null,
    }).id;
  });
}

/** Triggers per inbox (reference §5.11), in every state a migration meets. */
function seedTriggers(store: DeskStore, context: { allInboxIds: number[]; agentIds: IdMap; typeIds: Record<string, number>; tagId: (name: string) => number }) {
  const { allInboxIds, tagId } = context;
  const owner = store.owner();
  const [support, billing] = allInboxIds;
  const someAgent = [...context.agentIds.values()].find((id) => id !== owner.id && store.users.get(id)?.state === "active") ?? owner.id;
  store.createTrigger({
    name: "Tag VIP customers",
    inboxIds: [support],
    actions: [{ type: 5, tags: [{ id: tagId("vip") }] }],
    conditions: [{ field: 2, operator: 1, value: "@kestrel", matchRequirement: "ANY" }],
  });
  store.createTrigger({
    name: "Route billing problems",
    inboxIds: billing === undefined ? [support] : [billing],
    actions: [{ type: 4, user: { id: someAgent } }],
    conditions: [{ field: 4, operator: 3, value: String(context.typeIds.problem), matchRequirement: "ALL" }],
  });
  store.createTrigger({ name: "Escalate urgent tickets", inboxIds: allInboxIds, state: "inactive", actions: [{ type: 11, user: { id: owner.id } }] });
  store.createTrigger({ name: "Send auto-reply", inboxIds: allInboxIds, isSystem: true, description: "System trigger: acknowledges new tickets" });
  store.createTrigger({ name: "Mark as spam", inboxIds: allInboxIds, type: "Manual", actions: [{ type: 5, tags: [{ id: tagId("spam") }] }] });
}
