import { describe, expect, it } from "vitest";
import { sampleUsers } from "@/connectors/sample";
import { describeSample } from "@/connectors/sample/schema";
import { describeCreatedAt } from "@/connectors/shared/record-dates";
import type { CanonicalFieldType, FieldDescription, ObjectTypeDescription, SchemaDescription, UserRef } from "@/connectors/types";
import { describeSite } from "@/connectors/teamwork-desk/describe";
import type { SiteModel } from "@/connectors/teamwork-desk/site-model";
import { TWENTY_TICKETS_OBJECT } from "@/connectors/twenty";
import { buildDefaultPlan, matchUsers } from "@/lib/plan";
import { parsePlan, serializePlan, toPlanForPrerequisites, validatePlan } from "@/lib/plan";
import type { MigrationPlan, ObjectPair } from "@/lib/plan";

// ---- factories -------------------------------------------------------------------------------
function field(key: string, type: CanonicalFieldType, extra: Partial<FieldDescription> = {}): FieldDescription {
  return { key, label: extra.label ?? key, type, nativeType: type.toUpperCase(), required: false, unique: false, readOnly: false, custom: false, ...extra };
}
function object(key: string, fields: FieldDescription[], extra: Partial<ObjectTypeDescription> = {}): ObjectTypeDescription {
  return { key, label: key.charAt(0).toUpperCase() + key.slice(1), custom: false, canRead: true, canWrite: true, fields, dependsOn: [], ...extra };
}
const options = (...values: [string, string][]) => values.map(([value, label]) => ({ value, label }));
const links = (prefix: string, extra: string[] = []) =>
  ["people", "companies", "opportunities", ...extra].map((target) =>
    field(`targets.${target}`, "relation", { label: `Linked ${target}`, nativeType: `${prefix}Targets`, relatesTo: target }),
  );

/** A Twenty workspace as its describe() reports it (keys and types from the Twenty sandbox). */
function twentySchema(extraObjects: ObjectTypeDescription[] = []): SchemaDescription {
  const system = () => [field("createdAt", "datetime", { label: "Creation date" }), field("updatedAt", "datetime", { label: "Last update", readOnly: true })];
  return {
    objectTypes: [
      object("companies", [
        ...system(),
        field("name", "text", { label: "Name" }),
        field("domainName", "url", { label: "Domain", unique: true }),
        field("employees", "number", { label: "Employees" }),
        field("annualRecurringRevenue", "currency", { label: "ARR" }),
        field("address", "address", { label: "Address" }),
        field("accountOwner", "user", { label: "Account Owner", relatesTo: "workspaceMembers" }),
      ]),
      object(
        "people",
        [
          ...system(),
          field("name", "fullname", { label: "Name" }),
          field("emails", "email", { label: "Emails", unique: true }),
          field("emails.additionalEmails", "tags", { label: "Emails (additional)" }),
          field("jobTitle", "text", { label: "Job Title" }),
          field("phones", "phone", { label: "Phones" }),
          field("city", "text", { label: "City" }),
          field("company", "relation", { label: "Company", relatesTo: "companies" }),
        ],
        { dependsOn: ["companies"] },
      ),
      object(
        "opportunities",
        [
          ...system(),
          field("name", "text", { label: "Name" }),
          field("amount", "currency", { label: "Amount" }),
          field("closeDate", "datetime", { label: "Close date" }),
          field("stage", "select", {
            label: "Stage",
            options: options(["NEW", "New"], ["SCREENING", "Screening"], ["MEETING", "Meeting"], ["PROPOSAL", "Proposal"], ["CUSTOMER", "Customer"]),
          }),
          field("company", "relation", { label: "Company", relatesTo: "companies" }),
          field("pointOfContact", "relation", { label: "Point of Contact", relatesTo: "people" }),
        ],
        { dependsOn: ["companies", "people"] },
      ),
      object(
        "notes",
        [
          ...system(),
          field("title", "text", { label: "Title" }),
          field("bodyV2", "html", { label: "Body" }),
          ...links(
            "note",
            extraObjects.map((extra) => extra.key),
          ),
        ],
        { dependsOn: ["people", "companies", "opportunities"] },
      ),
      object(
        "tasks",
        [
          ...system(),
          field("title", "text", { label: "Title" }),
          field("bodyV2", "html", { label: "Body" }),
          field("dueAt", "datetime", { label: "Due Date" }),
          field("status", "select", { label: "Status", options: options(["TODO", "To do"], ["IN_PROGRESS", "In progress"], ["DONE", "Done"]) }),
          field("assignee", "user", { label: "Assignee", relatesTo: "workspaceMembers" }),
          ...links("task"),
        ],
        { dependsOn: ["people", "companies", "opportunities"] },
      ),
      object("workspaceMembers", [field("name", "fullname", { readOnly: true }), field("userEmail", "text", { readOnly: true })], { canWrite: false }),
      ...extraObjects,
    ],
  };
}

/**
 * A Teamwork Desk site as its describe() may report it. The connector is not finished: keys
 * follow docs/reference/teamwork-desk-api.md §5 (subject, status, inbox, customer, agent…).
 */
const teamworkDesk: SchemaDescription = {
  objectTypes: [
    object("companies", [
      field("name", "text", { required: true }),
      field("website", "url", { label: "Website" }),
      field("industry", "text"),
      field("description", "longtext"),
    ]),
    object(
      "customers",
      [
        field("firstName", "text", { label: "First name" }),
        field("lastName", "text", { label: "Last name" }),
        field("email", "email", { label: "Email", required: true, unique: true }),
        field("phone", "phone", { label: "Phone" }),
        field("jobTitle", "text", { label: "Job title" }),
        field("company", "relation", { relatesTo: "companies" }),
      ],
      { dependsOn: ["companies"] },
    ),
    object(
      "tickets",
      [
        field("subject", "text", { label: "Subject", required: true }),
        field("body", "html", { label: "Message", required: true }),
        field("status", "select", {
          label: "Status",
          options: options(["active", "Active"], ["waiting", "Waiting on customer"], ["on-hold", "On-hold"], ["solved", "Solved"], ["closed", "Closed"]),
        }),
        field("inbox", "relation", { label: "Inbox", required: true, relatesTo: "inboxes" }),
        field("customer", "relation", { label: "Customer", required: true, relatesTo: "customers" }),
        field("agent", "user", { label: "Agent", relatesTo: "agents" }),
        field("tags", "tags", { label: "Tags" }),
      ],
      { dependsOn: ["customers", "inboxes"] },
    ),
    object(
      "messages",
      [
        field("body", "html", { required: true }),
        field("threadType", "select", { options: options(["message", "Message"], ["note", "Note"]) }),
        field("author", "user"),
      ],
      { canRead: false, dependsOn: ["tickets"] },
    ),
    object("agents", [field("name", "fullname"), field("email", "email")], { canWrite: false }),
    object("inboxes", [field("name", "text")], { canWrite: false }),
  ],
};

const TWENTY_MEMBERS: UserRef[] = [
  { id: "m-1", email: "tim@apple.dev", name: "Tim Apple" },
  { id: "m-2", email: sampleUsers()[1].email?.toUpperCase() ?? null, name: "Noor" },
];

const pairOf = (plan: MigrationPlan, source: string, target: string) =>
  plan.objects.find((pair) => pair.sourceObject === source && pair.targetObject === target) as ObjectPair;
const mapped = (pair: ObjectPair) =>
  pair.fieldMappings.filter((mapping) => !mapping.createField).map((mapping) => `${mapping.sourceField} → ${mapping.targetField}`);
const created = (pair: ObjectPair) => pair.fieldMappings.filter((mapping) => mapping.createField).map((mapping) => mapping.targetField);

describe("buildDefaultPlan: Sample → Twenty", () => {
  const plan = buildDefaultPlan({
    sourceSystem: "sample",
    targetSystem: "twenty",
    sourceSchema: describeSample(),
    targetSchema: twentySchema(),
    sourceUsers: sampleUsers(),
    targetUsers: TWENTY_MEMBERS,
  });

  it("pairs help desk objects with CRM objects in dependency order", () => {
    expect(plan.objects.map((pair) => `${pair.sourceObject} → ${pair.targetObject}`)).toEqual([
      "companies → companies",
      "customers → people",
      "tickets → tickets",
      "opportunities → opportunities",
      "tasks → tasks",
      "notes → notes",
    ]);
    expect(plan.objects.every((pair) => pair.enabled)).toBe(true);
  });

  it("links customers to their company and normalises their contact details", () => {
    expect(mapped(pairOf(plan, "customers", "people"))).toEqual([
      "name → name",
      "email → emails",
      "phone → phones",
      "company → company",
      "jobTitle → jobTitle",
      "address → city",
    ]);
    expect(pairOf(plan, "customers", "people").fieldMappings.find((mapping) => mapping.targetField === "city")?.transform).toEqual({ addressPart: "city" });
    expect(mapped(pairOf(plan, "companies", "companies"))).toEqual([
      "name → name",
      "domain → domainName",
      "employees → employees",
      "address → address",
      "accountOwner → accountOwner",
      "annualRevenue → annualRecurringRevenue",
    ]);
  });

  it("makes tickets a Tickets custom object with mapped statuses and new fields for the rest", () => {
    const tickets = pairOf(plan, "tickets", "tickets");
    expect(mapped(tickets)).toEqual(["subject → name", "status → status", "priority → priority", "customer → requester", "assignee → assignee"]);
    expect(tickets.fieldMappings.find((mapping) => mapping.sourceField === "status")?.valueMap).toEqual({
      open: "OPEN",
      waiting: "PENDING",
      "on-hold": "ON_HOLD",
      solved: "SOLVED",
      closed: "CLOSED",
    });
    expect(tickets.fieldMappings.find((mapping) => mapping.sourceField === "priority")?.valueMap).toEqual({
      low: "LOW",
      normal: "MEDIUM",
      high: "HIGH",
      urgent: "URGENT",
    });
    expect(created(tickets)).toEqual(expect.arrayContaining(["type", "tags", "orderNumber", "productArea", "platforms", "legacyReference"]));
    expect(created(tickets)).not.toContain("inbox");
    expect(tickets.fieldMappings.find((mapping) => mapping.targetField === "productArea")?.createField).toMatchObject({
      label: "Product area",
      type: "select",
    });
  });

  it("turns ticket threads into notes attached to the ticket and the person", () => {
    expect(pairOf(plan, "tickets", "tickets").childObjects).toEqual([
      {
        childKey: "messages",
        sourceObject: "messages",
        targetObject: "notes",
        enabled: true,
        mode: "records",
        fieldMappings: [{ sourceField: "body", targetField: "bodyV2", compatibility: "exact" }],
        parentLink: "targets.tickets",
        alsoLink: [{ parentField: "customer", targetField: "targets.people" }],
        titleField: "title",
        titleTemplate: "{kind} from {author} · {date}",
      },
    ]);
  });

  it("maps Sample's opportunities, tasks and notes onto Twenty's", () => {
    expect(mapped(pairOf(plan, "opportunities", "opportunities"))).toEqual([
      "name → name",
      "amount → amount",
      "stage → stage",
      "closeDate → closeDate",
      "company → company",
      "pointOfContact → pointOfContact",
    ]);
    expect(mapped(pairOf(plan, "notes", "notes"))).toEqual([
      "title → title",
      "body → bodyV2",
      "company → targets.companies",
      "customer → targets.people",
      "opportunity → targets.opportunities",
    ]);
  });

  it("matches agents to workspace members by email, ignoring case, never creating users", () => {
    expect(plan.userMappings.map((mapping) => mapping.targetUserId)).toEqual([null, "m-2", null, null, null]);
    expect(plan.userMappings[1]).toMatchObject({ sourceUserId: "agt_2", sourceEmail: sampleUsers()[1].email });
    expect(plan.fallbackUserId).toBeNull();
  });

  it("is a valid plan that survives storage, and says the Tickets object must be created first", () => {
    expect(parsePlan(serializePlan(plan))).toEqual(plan);
    expect(validatePlan(plan, describeSample(), twentySchema()).filter((issue) => issue.severity === "error")).toEqual([
      { severity: "error", sourceObject: "tickets", targetObject: "tickets", message: 'The target has no "tickets" object yet; create it before migrating' },
    ]);
    const withTickets = twentySchema([TWENTY_TICKETS_OBJECT]);
    expect(validatePlan(plan, describeSample(), withTickets).filter((issue) => issue.severity === "error")).toEqual([]);
    expect(toPlanForPrerequisites(plan).objectTypes).toEqual(["companies", "people", "tickets", "notes", "opportunities", "tasks"]);
  });

  it("makes tickets tasks when asked, their threads notes on the person", () => {
    const asTasks = buildDefaultPlan({
      sourceSystem: "sample",
      targetSystem: "twenty",
      sourceSchema: describeSample(),
      targetSchema: twentySchema(),
      sourceUsers: [],
      targetUsers: [],
      options: { ticketsAs: "tasks" },
    });
    const tickets = pairOf(asTasks, "tickets", "tasks");
    expect(asTasks.options.ticketsAs).toBe("tasks");
    expect(mapped(tickets)).toEqual(["subject → title", "status → status", "customer → targets.people", "assignee → assignee"]);
    expect(tickets.fieldMappings.find((mapping) => mapping.sourceField === "status")?.valueMap).toEqual({
      open: "TODO",
      waiting: "IN_PROGRESS",
      "on-hold": "IN_PROGRESS",
      solved: "DONE",
      closed: "DONE",
    });
    expect(tickets.childObjects[0]).toMatchObject({
      targetObject: "notes",
      parentLink: null,
      alsoLink: [{ parentField: "customer", targetField: "targets.people" }],
    });
  });
});

describe("buildDefaultPlan: original creation dates", () => {
  const sample = describeCreatedAt(describeSample());
  const mappingOf = (pair: { fieldMappings: ObjectPair["fieldMappings"] } | undefined) =>
    pair?.fieldMappings.find((mapping) => mapping.sourceField === "createdAt");

  it("maps the source's Created onto Twenty's creation date, for tickets, their messages and every other object", () => {
    const plan = buildDefaultPlan({
      sourceSystem: "sample",
      targetSystem: "twenty",
      sourceSchema: sample,
      targetSchema: twentySchema(),
      sourceUsers: [],
      targetUsers: [],
    });
    for (const pair of plan.objects)
      expect(mappingOf(pair), pair.sourceObject).toEqual({ sourceField: "createdAt", targetField: "createdAt", compatibility: "exact" });
    const messages = plan.objects.find((pair) => pair.sourceObject === "tickets")?.childObjects.find((child) => child.childKey === "messages");
    expect(mappingOf(messages)).toEqual({ sourceField: "createdAt", targetField: "createdAt", compatibility: "exact" });
  });

  it("keeps it in an 'Original creation date' field the plan creates where the target takes no creation date", () => {
    const sealed: SchemaDescription = {
      objectTypes: twentySchema().objectTypes.map((item) => ({
        ...item,
        fields: item.fields.map((entry) => (entry.key === "createdAt" ? { ...entry, readOnly: true } : entry)),
      })),
    };
    const plan = buildDefaultPlan({
      sourceSystem: "sample",
      targetSystem: "twenty",
      sourceSchema: sample,
      targetSchema: sealed,
      sourceUsers: [],
      targetUsers: [],
    });
    const companies = plan.objects.find((pair) => pair.sourceObject === "companies");
    expect(mappingOf(companies)).toEqual({
      sourceField: "createdAt",
      targetField: "originalCreatedAt",
      compatibility: "exact",
      createField: { label: "Original creation date", type: "datetime" },
    });
    expect(toPlanForPrerequisites(plan).customFields).toContainEqual(
      expect.objectContaining({ objectType: "companies", key: "originalCreatedAt", label: "Original creation date", type: "datetime" }),
    );
    // Once created, the field is mapped as it is.
    const withField: SchemaDescription = {
      objectTypes: sealed.objectTypes.map((item) => ({
        ...item,
        fields: [...item.fields, field("originalCreatedAt", "datetime", { label: "Original creation date", custom: true })],
      })),
    };
    const again = buildDefaultPlan({
      sourceSystem: "sample",
      targetSystem: "twenty",
      sourceSchema: sample,
      targetSchema: withField,
      sourceUsers: [],
      targetUsers: [],
    });
    expect(mappingOf(again.objects.find((pair) => pair.sourceObject === "companies"))).toEqual({
      sourceField: "createdAt",
      targetField: "originalCreatedAt",
      compatibility: "exact",
    });
  });
});

describe("buildDefaultPlan: Twenty → Teamwork Desk", () => {
  const source = twentySchema();
  const plan = buildDefaultPlan({
    sourceSystem: "twenty",
    targetSystem: "teamwork-desk",
    sourceSchema: source,
    targetSchema: teamworkDesk,
    sourceUsers: [{ id: "m-1", email: "Tim@Apple.dev", name: "Tim Apple" }],
    targetUsers: [{ id: "42", email: "tim@apple.dev" }],
  });

  it("pairs companies, people as customers, tasks (and optionally notes) as tickets", () => {
    expect(plan.objects.map((pair) => `${pair.sourceObject} → ${pair.targetObject} ${pair.enabled ? "on" : "off"}`)).toEqual([
      "companies → companies on",
      "people → customers on",
      "tasks → tickets on",
      "notes → tickets off",
    ]);
  });

  it("splits names, keeps emails and links people to their company", () => {
    const people = pairOf(plan, "people", "customers");
    expect(mapped(people)).toEqual(["name → firstName", "name → lastName", "emails → email", "jobTitle → jobTitle", "phones → phone", "company → company"]);
    expect(mapped(pairOf(plan, "companies", "companies"))).toEqual(["name → name", "domainName → website"]);
  });

  it("turns tasks into tickets with their status mapped and the person as customer", () => {
    const tasks = pairOf(plan, "tasks", "tickets");
    expect(mapped(tasks)).toEqual(["title → subject", "bodyV2 → body", "status → status", "assignee → agent", "targets.people → customer"]);
    expect(tasks.fieldMappings.find((mapping) => mapping.sourceField === "status")?.valueMap).toEqual({
      TODO: "active",
      IN_PROGRESS: "active",
      DONE: "solved",
    });
    expect(mapped(pairOf(plan, "notes", "tickets"))).toEqual(["title → subject", "bodyV2 → body", "targets.people → customer"]);
  });

  it("creates no fields in Teamwork Desk and reports the inbox every ticket needs", () => {
    expect(plan.objects.flatMap(created)).toEqual([]);
    expect(
      validatePlan(plan, source, teamworkDesk)
        .filter((issue) => issue.severity === "error")
        .map((issue) => issue.message),
    ).toEqual(["Inbox is required in Tickets and nothing is mapped to it"]);
  });

  it("matches workspace members to agents by email", () => {
    expect(plan.userMappings).toEqual([{ sourceUserId: "m-1", sourceEmail: "Tim@Apple.dev", sourceName: "Tim Apple", targetUserId: "42" }]);
  });
});

describe("buildDefaultPlan: same system", () => {
  it("maps every object one to one, custom fields included, creating the ones the target lacks", () => {
    const target = twentySchema();
    const source: SchemaDescription = {
      objectTypes: target.objectTypes.map((objectType) =>
        objectType.key === "companies"
          ? { ...objectType, fields: [...objectType.fields, field("tier", "select", { label: "Tier", custom: true, options: options(["GOLD", "Gold"]) })] }
          : objectType,
      ),
    };
    const plan = buildDefaultPlan({
      sourceSystem: "twenty",
      targetSystem: "twenty",
      sourceSchema: source,
      targetSchema: target,
      sourceUsers: [],
      targetUsers: [],
    });
    expect(plan.objects.map((pair) => pair.sourceObject)).toEqual(["companies", "people", "opportunities", "notes", "tasks"]);
    expect(plan.objects.every((pair) => pair.sourceObject === pair.targetObject)).toBe(true);
    const companies = pairOf(plan, "companies", "companies");
    expect(mapped(companies)).toEqual([
      "createdAt → createdAt",
      "name → name",
      "domainName → domainName",
      "employees → employees",
      "annualRecurringRevenue → annualRecurringRevenue",
      "address → address",
      "accountOwner → accountOwner",
    ]);
    expect(created(companies)).toEqual(["tier"]);
  });

  it("keeps ticket threads inside their tickets between help desks", () => {
    const plan = buildDefaultPlan({
      sourceSystem: "teamwork-desk",
      targetSystem: "teamwork-desk",
      sourceSchema: teamworkDesk,
      targetSchema: teamworkDesk,
      sourceUsers: [],
      targetUsers: [],
    });
    // Inboxes and agents are not writable: the user picks a target inbox for the tickets.
    expect(plan.objects.map((pair) => pair.sourceObject)).toEqual(["companies", "customers", "tickets"]);
    expect(pairOf(plan, "tickets", "tickets").childObjects[0]).toMatchObject({ childKey: "messages", mode: "children", targetObject: "messages" });
  });

  it("refuses the Sample source as a target", () => {
    expect(() =>
      buildDefaultPlan({
        sourceSystem: "twenty",
        targetSystem: "sample",
        sourceSchema: twentySchema(),
        targetSchema: describeSample(),
        sourceUsers: [],
        targetUsers: [],
      }),
    ).toThrow(/cannot be a migration target/);
  });
});

describe("matchUsers", () => {
  it("matches by trimmed, case-insensitive email and leaves the rest to the fallback user", () => {
    expect(
      matchUsers(
        [
          { id: "a", email: " Ana@Desk.example ", name: "Ana" },
          { id: "b", email: null },
          { id: "c", email: "gone@desk.example" },
          { id: "a", email: "ana@desk.example" },
        ],
        [{ id: "t1", email: "ana@desk.example" }],
      ),
    ).toEqual([
      { sourceUserId: "a", sourceEmail: " Ana@Desk.example ", sourceName: "Ana", targetUserId: "t1" },
      { sourceUserId: "b", sourceEmail: null, targetUserId: null },
      { sourceUserId: "c", sourceEmail: "gone@desk.example", targetUserId: null },
    ]);
  });
});

describe("buildDefaultPlan: Twenty after a help desk migration → Teamwork Desk", () => {
  // Ferry's Tickets object in Twenty (as the prerequisites fix creates it), and the notes linked to a ticket as its thread.
  const ticketNotes = object(
    "ticketNotes",
    [field("title", "text", { label: "Title" }), field("body", "html", { label: "Title and body" }), field("author", "user", { label: "Author" })],
    {
      label: "Notes on Tickets",
      canRead: false,
      canWrite: false,
      dependsOn: ["tickets"],
      recordsOf: "notes",
    },
  );
  const source = twentySchema([TWENTY_TICKETS_OBJECT, ticketNotes]);
  const named = (id: number, name: string) => ({ id, name });
  const site: SiteModel = {
    statuses: [named(1, "Active"), named(3, "Waiting on customer"), named(4, "On-hold"), named(5, "Solved"), named(6, "Closed")],
    priorities: [named(1, "low"), named(2, "medium"), named(3, "high")],
    types: [named(1, "Question")],
    sources: [named(1, "Email")],
    tags: [],
    inboxes: [
      { id: 7, name: "Support", email: "support@acme.example" },
      { id: 9, name: "Billing", email: "billing@acme.example" },
    ],
    customFields: [],
    users: [{ id: 42, email: "tim@apple.dev", firstName: "Tim", lastName: "Apple" }],
  };
  const target = describeSite(site);
  const plan = buildDefaultPlan({
    sourceSystem: "twenty",
    targetSystem: "teamwork-desk",
    sourceSchema: source,
    targetSchema: target,
    sourceUsers: TWENTY_MEMBERS,
    targetUsers: [{ id: "42", email: "tim@apple.dev" }],
  });
  const tickets = pairOf(plan, "tickets", "tickets");

  it("offers Ferry's Tickets object as a source and sends it to Desk tickets", () => {
    expect(plan.objects.map((pair) => `${pair.sourceObject} → ${pair.targetObject} ${pair.enabled ? "on" : "off"}`)).toEqual([
      "companies → companies on",
      "people → customers on",
      "tickets → tickets on",
      "tasks → tickets on",
      "notes → tickets off",
    ]);
    expect(mapped(tickets)).toEqual(
      expect.arrayContaining(["name → subject", "status → status", "priority → priority", "requester → customer", "assignee → assignee"]),
    );
    expect(tickets.fieldMappings.find((mapping) => mapping.sourceField === "status")?.valueMap).toEqual({
      OPEN: "Active",
      PENDING: "Waiting on customer",
      ON_HOLD: "On-hold",
      SOLVED: "Solved",
      CLOSED: "Closed",
    });
  });

  it("leaves no required Desk field unmapped: every ticket goes to the first inbox unless another is picked", () => {
    expect(validatePlan(plan, source, target).filter((issue) => issue.severity === "error")).toEqual([]);
    for (const pair of plan.objects.filter((candidate) => candidate.targetObject === "tickets")) {
      expect(pair.fieldMappings.find((mapping) => mapping.targetField === "inbox")).toEqual({
        sourceField: null,
        targetField: "inbox",
        defaultValue: { objectType: "inboxes", id: "7" },
        compatibility: "exact",
      });
    }
  });

  it("makes the notes linked to a ticket that ticket's thread, as private notes by the mapped agent", () => {
    expect(tickets.childObjects).toEqual([
      expect.objectContaining({ childKey: "ticketNotes", sourceObject: "ticketNotes", targetObject: "messages", enabled: true, mode: "children" }),
    ]);
    const thread = tickets.childObjects[0];
    expect(thread.fieldMappings.map((mapping) => `${mapping.sourceField ?? JSON.stringify(mapping.defaultValue)} → ${mapping.targetField}`)).toEqual([
      "body → body",
      "author → author",
      '"note" → kind',
      '"agent" → authorType',
    ]);
  });

  it("does not migrate notes twice when notes go over on their own", () => {
    const twentyToTwenty = buildDefaultPlan({
      sourceSystem: "twenty",
      targetSystem: "twenty",
      sourceSchema: source,
      targetSchema: source,
      sourceUsers: [],
      targetUsers: [],
    });
    expect(twentyToTwenty.objects.flatMap((pair) => pair.childObjects)).toEqual([]);
    expect(twentyToTwenty.objects.map((pair) => pair.sourceObject)).toContain("notes");
  });
});
