import { describe, expect, it } from "vitest";
import { sampleRecord } from "@/connectors/sample";
import { describeSample } from "@/connectors/sample/schema";
import type { CanonicalFieldType, CanonicalRecord, FieldDescription, ObjectTypeDescription, RelationRef } from "@/connectors/types";
import { validatePlanShape } from "@/lib/plan";
import type { ChildObjectPair, MigrationPlan, ObjectPair } from "@/lib/plan";
import { isValidEmail } from "@/lib/mapping/normalize";
import { MIGRATED_TAG, placeholderEmail, planUserResolver, transformChildren, transformRecord } from "@/lib/migration/transform";
import type { Resolver } from "@/lib/migration/transform";

// ---- factories -------------------------------------------------------------------------------
function field(key: string, type: CanonicalFieldType, extra: Partial<FieldDescription> = {}): FieldDescription {
  return { key, label: extra.label ?? key, type, nativeType: type.toUpperCase(), required: false, unique: false, readOnly: false, custom: false, ...extra };
}
function object(key: string, label: string, fields: FieldDescription[]): ObjectTypeDescription {
  return { key, label, custom: false, canRead: true, canWrite: true, fields, dependsOn: [] };
}
function record(fields: CanonicalRecord["fields"], extra: Partial<CanonicalRecord> = {}): CanonicalRecord {
  return { id: "src-1", objectType: "customers", createdAt: "2025-01-02T03:04:05.000Z", updatedAt: "2025-02-03T04:05:06.000Z", fields, ...extra };
}
function plan(overrides: Partial<MigrationPlan> = {}): MigrationPlan {
  return { ...validatePlanShape({ sourceSystem: "sample", targetSystem: "twenty", objects: [] }), ...overrides };
}
function pair(fieldMappings: ObjectPair["fieldMappings"], childObjects: ChildObjectPair[] = []): ObjectPair {
  return { sourceObject: "customers", targetObject: "people", enabled: true, fieldMappings, childObjects };
}
/** Resolves relations from a small record map and users by a fixed table. */
function resolver(migrated: Record<string, string> = {}, users: Record<string, string> = {}): Resolver {
  return {
    relation: (ref: RelationRef) => migrated[`${ref.objectType}:${ref.id}`] ?? null,
    user: (ref) => users[ref.id] ?? null,
  };
}

const sample = Object.fromEntries(describeSample().objectTypes.map((objectType) => [objectType.key, objectType]));
const people = object("people", "People", [
  field("name", "fullname", { label: "Name" }),
  field("emails", "email", { label: "Emails" }),
  field("phones", "phone", { label: "Phones" }),
  field("jobTitle", "text", { label: "Job Title", maxLength: 20 }),
  field("city", "text", { label: "City" }),
  field("company", "relation", { label: "Company", relatesTo: "companies" }),
  field("tags", "tags", { label: "Tags" }),
  field("createdBy", "text", { label: "Created by", readOnly: true }),
]);
const CUSTOMER_TO_PERSON = pair([
  { sourceField: "name", targetField: "name" },
  { sourceField: "email", targetField: "emails" },
  { sourceField: "phone", targetField: "phones" },
  { sourceField: "jobTitle", targetField: "jobTitle" },
  { sourceField: "address", targetField: "city", transform: { addressPart: "city" } },
  { sourceField: "company", targetField: "company" },
]);
const schemas = { source: sample.customers, target: people };

describe("transformRecord", () => {
  it("shapes a customer as a person: normalised email and phone, city, company as a target id", () => {
    const source = record({
      name: { firstName: "Jane", lastName: "Doe" },
      email: "  Jane.Doe@Acme.EXAMPLE ",
      phone: { e164: null, countryCode: null, callingCode: null, national: null, raw: "0044 20 7946 0123" },
      jobTitle: "Buyer",
      address: { city: "London", country: "United Kingdom" },
      company: { objectType: "companies", id: "com_3" },
      tags: [],
    });
    const result = transformRecord(CUSTOMER_TO_PERSON, source, schemas, resolver({ "companies:com_3": "uuid-company-3" }), plan());
    expect(result).toEqual({
      record: {
        id: "src-1",
        objectType: "people",
        createdAt: "2025-01-02T03:04:05.000Z",
        updatedAt: "2025-02-03T04:05:06.000Z",
        fields: {
          name: { firstName: "Jane", lastName: "Doe" },
          emails: "jane.doe@acme.example",
          phones: { e164: "+442079460123", countryCode: "GB", callingCode: "+44", national: "2079460123", raw: "0044 20 7946 0123" },
          jobTitle: "Buyer",
          city: "London",
          company: { objectType: "companies", id: "uuid-company-3" },
        },
      },
      problems: [],
      warnings: [],
    });
  });

  it("writes a record whose related record was not migrated without the link, with a warning naming it", () => {
    const source = record({ name: { firstName: "Jo", lastName: "" }, company: { objectType: "companies", id: "com_9" } });
    const why = { ...resolver(), whyMissing: () => 'companies record com_9, which failed: Domain: "x" is not a domain' };
    const result = transformRecord(CUSTOMER_TO_PERSON, source, schemas, why, plan());
    expect(result.problems).toEqual([]);
    expect(result.record.fields).toEqual({ name: { firstName: "Jo", lastName: "" } });
    expect(result.warnings).toEqual([
      {
        field: "company",
        action: "dropped",
        original: "companies com_9",
        message: 'Company: written without the link to companies record com_9, which failed: Domain: "x" is not a domain',
      },
    ]);
  });

  it("fails a record whose related record was not migrated when the policy is strict or the link is required", () => {
    const source = record({ company: { objectType: "companies", id: "com_9" } });
    const strict = pair([{ sourceField: "company", targetField: "company", transform: { onInvalid: "fail" } }]);
    const result = transformRecord(strict, source, schemas, resolver(), plan());
    expect(result.problems).toEqual([
      {
        field: "company",
        code: "BROKEN_RELATION",
        message:
          "Company: companies com_9 was not migrated: links to companies record com_9, which was not migrated (it failed, was left out by a filter, or its object is not in the plan)",
      },
    ]);
    const required = {
      source: sample.customers,
      target: { ...people, fields: people.fields.map((item) => (item.key === "company" ? { ...item, required: true } : item)) },
    };
    expect(
      transformRecord(pair([{ sourceField: "company", targetField: "company" }]), source, required, resolver(), plan()).problems.map((problem) => problem.code),
    ).toEqual(["BROKEN_RELATION"]);
  });

  it("shortens text longer than the target takes with a marker by default, and fails it when strict", () => {
    const source = record({ jobTitle: "Senior Vice President of Procurement" });
    const repaired = transformRecord(CUSTOMER_TO_PERSON, source, schemas, resolver(), plan());
    expect(repaired.problems).toEqual([]);
    expect(repaired.record.fields.jobTitle).toBe("Senior Vice Pres […]");
    expect(repaired.warnings).toEqual([
      {
        field: "jobTitle",
        action: "repaired",
        original: "Senior Vice President of Procurement",
        message: 'Job title: shortened from 36 to 20 characters (written as "Senior Vice Pres […]")',
      },
    ]);
    const strict = pair([{ sourceField: "jobTitle", targetField: "jobTitle", transform: { onInvalid: "fail" } }]);
    expect(transformRecord(strict, source, schemas, resolver(), plan()).problems).toEqual([
      {
        field: "jobTitle",
        code: "VALIDATION",
        message: "Job title: 36 characters is over the limit of 20 for Job Title; shorten it in the source (or let Ferry shorten it with the truncate option)",
      },
    ]);
    const truncating = pair([{ sourceField: "jobTitle", targetField: "jobTitle", transform: { truncate: true } }]);
    expect(transformRecord(truncating, source, schemas, resolver(), plan())).toMatchObject({
      record: { fields: { jobTitle: "Senior Vice Preside…" } },
      warnings: [],
    });
  });

  describe("invalid emails", () => {
    const emailOnly = (policy?: "repair" | "drop" | "fail" | "empty") =>
      pair([{ sourceField: "email", targetField: "emails", ...(policy ? { transform: { onInvalid: policy } } : {}) }]);
    const emailOf = (email: string, policy?: "repair" | "drop" | "fail" | "empty") =>
      transformRecord(emailOnly(policy), record({ email }), schemas, resolver(), plan());

    it.each([
      ["inner spaces", "hannah nakamura@acme.example", "hannahnakamura@acme.example", "removed the spaces"],
      ["a doubled @", "ivan.petrov@@acme.example", "ivan.petrov@acme.example", 'collapsed "@@"'],
      ["a doubled dot", "jo.kim@acme..example", "jo.kim@acme.example", 'collapsed ".."'],
      ["a dot before the @", "lee.@acme.example", "lee@acme.example", "removed stray dots"],
      ["spaces around and inside", " Mo Ali@Acme.example ", "moali@acme.example", "removed the spaces"],
    ])("repairs %s by default, with a warning keeping the original", (_case, email, repaired, change) => {
      const result = emailOf(email);
      expect(result.problems).toEqual([]);
      expect(result.record.fields.emails).toBe(repaired);
      expect(result.warnings).toEqual([{ field: "email", action: "repaired", original: email, message: `Email: ${change} (written as "${repaired}")` }]);
    });

    it.each([["n/a"], ["freya.garcia@"], ["@acme.example"], ["no-at-sign.example"]])("writes the record without %s when nothing is safe to repair", (email) => {
      const result = emailOf(email);
      expect(result.problems).toEqual([]);
      expect(result.record.fields).toEqual({});
      expect(result.warnings).toEqual([
        {
          field: "email",
          action: "dropped",
          original: email,
          message: `Email: "${email}" is not a valid email address; written without it (the original value is kept in the run's warnings)`,
        },
      ]);
    });

    it("leaves a repairable value out under the drop policy (and its older name, empty)", () => {
      for (const policy of ["drop", "empty"] as const) {
        const result = emailOf("hannah nakamura@acme.example", policy);
        expect(result).toMatchObject({
          problems: [],
          record: { fields: {} },
          warnings: [{ field: "email", action: "dropped", original: "hannah nakamura@acme.example" }],
        });
      }
    });

    it("fails the record under the strict policy, as before", () => {
      const result = emailOf("hannah nakamura@acme.example", "fail");
      expect(result.problems).toEqual([{ field: "email", code: "VALIDATION", message: 'Email: "hannah nakamura@acme.example" is not a valid email address' }]);
      expect(result.warnings).toEqual([]);
    });
  });

  describe("an unusable email the target requires", () => {
    // Teamwork Desk customers: one unique, required email each.
    const deskCustomers = object("customers", "Customers", [field("email", "email", { label: "Email", required: true, unique: true })]);
    const emailOf = (email: string, policy?: "repair" | "drop" | "fail") =>
      transformRecord(
        pair([{ sourceField: "email", targetField: "email", ...(policy ? { transform: { onInvalid: policy } } : {}) }]),
        record({ email }, { id: "cus_17" }),
        { source: sample.customers, target: deskCustomers },
        resolver(),
        plan(),
      );

    it.each([["n/a"], ["freya.garcia@"]])("writes %s as a placeholder address unique to the record, with a warning keeping the original", (email) => {
      const result = emailOf(email);
      expect(result.problems).toEqual([]);
      expect(result.record.fields).toEqual({ email: "no-email+cus-17@ferry.invalid" });
      expect(result.warnings).toEqual([
        {
          field: "email",
          action: "dropped",
          original: email,
          message: `Email: "${email}" is not a valid email address; written as the placeholder no-email+cus-17@ferry.invalid, since Email is required (replace it with the real address in the target)`,
        },
      ]);
    });

    it("writes a record with no email at all under the placeholder too, unless the policy is strict", () => {
      const result = emailOf("");
      expect(result.problems).toEqual([]);
      expect(result.record.fields).toEqual({ email: "no-email+cus-17@ferry.invalid" });
      expect(result.warnings).toEqual([
        {
          field: "email",
          action: "dropped",
          original: "",
          message:
            "Email is empty in this record; written as the placeholder no-email+cus-17@ferry.invalid, since Email is required (replace it with the real address in the target)",
        },
      ]);
      expect(emailOf("", "fail").problems).toEqual([
        {
          field: "email",
          code: "MISSING_REQUIRED",
          message: "Email is required in Customers, but Email is empty in this record (set a default value on the mapping to fill it)",
        },
      ]);
    });

    it("still repairs what is safely repairable, and fails the record under the strict policy", () => {
      expect(emailOf("hannah nakamura@acme.example").record.fields).toEqual({ email: "hannahnakamura@acme.example" });
      const strict = emailOf("n/a", "fail");
      expect(strict.problems).toEqual([{ field: "email", code: "VALIDATION", message: 'Email: "n/a" is not a valid email address' }]);
      expect(strict.record.fields).toEqual({});
    });

    it("derives a valid, stable address from any source id", () => {
      expect(placeholderEmail("cus_17")).toBe("no-email+cus-17@ferry.invalid");
      expect(placeholderEmail("Some ID/with spaces")).toBe("no-email+some-id-with-spaces@ferry.invalid");
      expect(isValidEmail(placeholderEmail("__"))).toBe(true);
    });
  });

  describe("required fields", () => {
    const target = object("tickets", "Tickets", [
      field("name", "text", { label: "Subject", required: true }),
      field("inbox", "relation", { label: "Inbox", required: true, relatesTo: "inboxes" }),
      field("status", "select", { label: "Status", required: true }),
    ]);
    const ticketSchemas = { source: sample.tickets, target };

    it("fills an empty required value from the mapping's default", () => {
      const mappings = pair([
        { sourceField: "subject", targetField: "name", defaultValue: "(no subject)" },
        { sourceField: null, targetField: "inbox", defaultValue: { objectType: "inboxes", id: "inbox-1" } },
        { sourceField: "status", targetField: "status" },
      ]);
      const result = transformRecord(mappings, record({ subject: "  ", status: "open" }), ticketSchemas, resolver(), plan());
      expect(result).toMatchObject({
        problems: [],
        record: { fields: { name: "(no subject)", inbox: { objectType: "inboxes", id: "inbox-1" }, status: "open" } },
      });
    });

    it("reports an empty required value without a default, and a required field nothing maps to", () => {
      const mappings = pair([
        { sourceField: "subject", targetField: "name" },
        { sourceField: "status", targetField: "status" },
      ]);
      expect(transformRecord(mappings, record({ subject: null, status: "open" }), ticketSchemas, resolver(), plan()).problems).toEqual([
        {
          field: "subject",
          code: "MISSING_REQUIRED",
          message: "Subject is required in Tickets, but Subject is empty in this record (set a default value on the mapping to fill it)",
        },
        { field: "inbox", code: "MISSING_REQUIRED", message: "Inbox is required in Tickets and nothing is mapped to it" },
      ]);
    });

    it("says once why a required value failed", () => {
      const mappings = pair([
        { sourceField: "subject", targetField: "name" },
        { sourceField: null, targetField: "inbox", defaultValue: { objectType: "inboxes", id: "inbox-1" } },
        { sourceField: "status", targetField: "status" },
      ]);
      const longTarget = { ...target, fields: target.fields.map((item) => (item.key === "name" ? { ...item, maxLength: 5 } : item)) };
      const strict = mappings.fieldMappings.map((mapping) =>
        mapping.sourceField === "subject" ? { ...mapping, transform: { onInvalid: "fail" as const } } : mapping,
      );
      expect(
        transformRecord(
          { ...mappings, fieldMappings: strict },
          record({ subject: "Printer on fire", status: "open" }),
          { source: sample.tickets, target: longTarget },
          resolver(),
          plan(),
        ).problems,
      ).toEqual([
        {
          field: "subject",
          code: "VALIDATION",
          message: "Subject: 15 characters is over the limit of 5 for Subject; shorten it in the source (or let Ferry shorten it with the truncate option)",
        },
      ]);
    });

    it("fails a record when the value left out was required, naming the value", () => {
      const mappings = pair([
        { sourceField: "subject", targetField: "name" },
        { sourceField: null, targetField: "inbox", defaultValue: { objectType: "inboxes", id: "inbox-1" } },
        { sourceField: "status", targetField: "status" },
      ]);
      const statusTarget = {
        ...target,
        fields: target.fields.map((item) => (item.key === "status" ? { ...item, options: [{ value: "OPEN", label: "Open" }] } : item)),
      };
      expect(
        transformRecord(mappings, record({ subject: "Printer", status: "on-hold" }), { source: sample.tickets, target: statusTarget }, resolver(), plan())
          .problems,
      ).toEqual([
        {
          field: "status",
          code: "VALIDATION",
          message: 'Status: "on-hold" is not an option of Status (options: OPEN); map it to one in the value map, and Status is required in Tickets',
        },
      ]);
    });
  });

  describe("select value maps", () => {
    const target = object("tickets", "Tickets", [
      field("status", "select", {
        label: "Status",
        options: [
          { value: "OPEN", label: "Open" },
          { value: "PENDING", label: "Pending" },
          { value: "DONE", label: "Done" },
        ],
      }),
    ]);
    const ticketSchemas = { source: sample.tickets, target };

    it("maps values through the plan's value map", () => {
      const mappings = pair([{ sourceField: "status", targetField: "status", valueMap: { solved: "DONE", closed: "DONE" } }]);
      expect(transformRecord(mappings, record({ status: "closed" }), ticketSchemas, resolver(), plan()).record.fields.status).toBe("DONE");
      expect(transformRecord(mappings, record({ status: "waiting" }), ticketSchemas, resolver(), plan()).record.fields.status).toBe("PENDING");
    });

    it("leaves out a value the map and the options do not know (strict: fails), or uses the default", () => {
      const lenient = pair([{ sourceField: "status", targetField: "status", valueMap: { solved: "DONE" } }]);
      expect(transformRecord(lenient, record({ status: "on-hold" }), ticketSchemas, resolver(), plan())).toMatchObject({
        problems: [],
        record: { fields: {} },
        warnings: [{ field: "status", action: "dropped", original: "on-hold" }],
      });
      const strict = pair([{ sourceField: "status", targetField: "status", valueMap: { solved: "DONE" }, transform: { onInvalid: "fail" } }]);
      expect(transformRecord(strict, record({ status: "on-hold" }), ticketSchemas, resolver(), plan()).problems).toEqual([
        {
          field: "status",
          code: "VALIDATION",
          message: 'Status: "on-hold" is not an option of Status (options: OPEN, PENDING, DONE); map it to one in the value map',
        },
      ]);
      const withDefault = pair([{ sourceField: "status", targetField: "status", valueMap: { solved: "DONE" }, defaultValue: "OPEN" }]);
      expect(transformRecord(withDefault, record({ status: "on-hold" }), ticketSchemas, resolver(), plan())).toMatchObject({
        problems: [],
        record: { fields: { status: "OPEN" } },
      });
    });
  });

  it("resolves users through the plan's user mappings and fallback, leaving unmatched users empty", () => {
    const target = object("tasks", "Tasks", [field("assignee", "user", { label: "Assignee", relatesTo: "workspaceMembers" })]);
    const mappings = pair([{ sourceField: "assignee", targetField: "assignee" }]);
    const base = plan({
      userMappings: [
        { sourceUserId: "agt_1", sourceEmail: "ana@desk.example", targetUserId: "member-1" },
        { sourceUserId: "agt_2", sourceEmail: "bo@desk.example", targetUserId: null },
      ],
    });
    const users = { relation: () => null, user: planUserResolver(base) };
    const assignee = (id: string) => record({ assignee: { id, email: `${id}@desk.example`, name: id } });
    expect(transformRecord(mappings, assignee("agt_1"), { source: sample.tickets, target }, users, base).record.fields.assignee).toEqual({
      id: "member-1",
      email: "agt_1@desk.example",
      name: "agt_1",
    });
    expect(transformRecord(mappings, assignee("agt_2"), { source: sample.tickets, target }, users, base).record.fields).toEqual({});
    const withFallback = { ...base, fallbackUserId: "member-9" };
    expect(
      transformRecord(
        mappings,
        assignee("agt_2"),
        { source: sample.tickets, target },
        { relation: () => null, user: planUserResolver(withFallback) },
        withFallback,
      ).record.fields.assignee,
    ).toMatchObject({ id: "member-9" });
  });

  it("builds one full name from first and last name fields", () => {
    const source = object("customers", "Customers", [field("firstName", "text", { label: "First name" }), field("lastName", "text", { label: "Last name" })]);
    const mappings = pair([
      { sourceField: "firstName", targetField: "name", transform: { namePart: "firstName" } },
      { sourceField: "lastName", targetField: "name", transform: { namePart: "lastName" } },
    ]);
    expect(
      transformRecord(mappings, record({ firstName: "Ada", lastName: "Lovelace" }), { source, target: people }, resolver(), plan()).record.fields.name,
    ).toEqual({ firstName: "Ada", lastName: "Lovelace" });
  });

  it("writes into a field the plan creates, and tags migrated records when asked", () => {
    const mappings = pair([{ sourceField: "tags", targetField: "customerTags", createField: { label: "Customer tags", type: "tags" } }]);
    const result = transformRecord(
      mappings,
      record({ tags: ["vip", " churn-risk "] }),
      schemas,
      resolver(),
      plan({ options: { ...plan().options, tagMigratedRecords: true } }),
    );
    expect(result).toMatchObject({ problems: [], record: { fields: { customerTags: ["vip", "churn-risk"], tags: [MIGRATED_TAG] } } });
  });

  it("refuses a mapping onto a read-only or unknown target field", () => {
    const mappings = pair([
      { sourceField: "jobTitle", targetField: "createdBy" },
      { sourceField: "jobTitle", targetField: "nickname" },
      { sourceField: "shoeSize", targetField: "city" },
    ]);
    expect(transformRecord(mappings, record({ jobTitle: "x" }), schemas, resolver(), plan()).problems.map((problem) => problem.message)).toEqual([
      "Created by is read-only in People",
      'People has no field "nickname"',
      'Customers has no field "shoeSize"',
    ]);
  });
});

describe("transformChildren", () => {
  const notes = object("notes", "Notes", [
    field("title", "text", { label: "Title" }),
    field("bodyV2", "html", { label: "Body" }),
    field("targets.tickets", "relation", { label: "Linked tickets", nativeType: "noteTargets", relatesTo: "tickets" }),
    field("targets.people", "relation", { label: "Linked people", nativeType: "noteTargets", relatesTo: "people" }),
  ]);
  const threads: ChildObjectPair = {
    childKey: "messages",
    sourceObject: "messages",
    targetObject: "notes",
    enabled: true,
    mode: "records",
    fieldMappings: [{ sourceField: "body", targetField: "bodyV2" }],
    parentLink: "targets.tickets",
    alsoLink: [{ parentField: "customer", targetField: "targets.people" }],
    titleField: "title",
    titleTemplate: "{kind} from {author} · {date}",
  };
  const ticketPair: ObjectPair = { sourceObject: "tickets", targetObject: "tickets", enabled: true, fieldMappings: [], childObjects: [threads] };
  // A ticket whose thread has both the customer's and an agent's messages.
  const ticket = Array.from({ length: 50 }, (_, index) => sampleRecord("tickets", index)).find((candidate) => {
    const thread = candidate.children?.messages ?? [];
    return thread.length >= 3 && thread[0].fields.authorType === "customer" && thread.some((message) => message.fields.authorType === "agent");
  }) as CanonicalRecord;
  const messages = ticket.children?.messages ?? [];
  const customer = ticket.fields.customer as RelationRef;

  it("turns each message into a note on the ticket and the customer, titled by kind, author and date", () => {
    const result = transformChildren(
      ticketPair,
      threads,
      ticket,
      "ticket-uuid",
      { source: sample.messages, target: notes },
      resolver({ [`customers:${customer.id}`]: "person-uuid" }),
      plan(),
    );
    expect(result).toHaveLength(messages.length);
    const first = result[0];
    expect(first.problems).toEqual([]);
    expect(first.sourceId).toBe(messages[0].id);
    expect(first.record).toMatchObject({
      id: messages[0].id,
      objectType: "notes",
      createdAt: messages[0].createdAt,
      fields: {
        title: `Reply from the customer · ${messages[0].createdAt?.slice(0, 10)}`,
        bodyV2: messages[0].fields.body,
        "targets.tickets": [{ objectType: "tickets", id: "ticket-uuid" }],
        "targets.people": [{ objectType: "people", id: "person-uuid" }],
      },
    });
    const agentReply = result.find((_, index) => messages[index].fields.authorType === "agent");
    expect(agentReply?.record.fields.title).toMatch(/^(Reply|Internal note) from \S+ .+ · \d{4}-\d{2}-\d{2}$/);
  });

  it("keeps a note on its ticket when the customer was not migrated", () => {
    const result = transformChildren(ticketPair, threads, ticket, "ticket-uuid", { source: sample.messages, target: notes }, resolver(), plan());
    expect(result[0].problems).toEqual([]);
    expect(result[0].record.fields["targets.people"]).toBeUndefined();
  });

  it("reports a note that would hang on nothing", () => {
    const notesWithoutTickets = { ...notes, fields: notes.fields.filter((item) => item.key !== "targets.tickets") };
    const result = transformChildren(ticketPair, threads, ticket, "ticket-uuid", { source: sample.messages, target: notesWithoutTickets }, resolver(), plan());
    expect(result[0].problems).toEqual([
      {
        field: "targets.tickets",
        code: "BROKEN_RELATION",
        message: `Would be linked to no migrated record: ${ticket.id} and the records it points at were not migrated, or Notes cannot link to them`,
      },
    ]);
  });

  it("keeps a note on the customer when its ticket failed, with a warning naming the ticket and why", () => {
    const result = transformChildren(
      ticketPair,
      threads,
      ticket,
      null,
      { source: sample.messages, target: notes },
      resolver({ [`customers:${customer.id}`]: "person-uuid" }),
      plan(),
      "which failed: Subject: too long",
    );
    expect(result[0].problems).toEqual([]);
    expect(result[0].record.fields["targets.people"]).toEqual([{ objectType: "people", id: "person-uuid" }]);
    expect(result[0].record.fields["targets.tickets"]).toBeUndefined();
    expect(result[0].warnings).toEqual([
      {
        field: "targets.tickets",
        action: "dropped",
        original: `tickets ${ticket.id}`,
        message: `Written without the link to tickets record ${ticket.id}, which failed: Subject: too long`,
      },
    ]);
  });

  it("fails a note whose ticket failed and whose customer was not migrated, naming both, for the retry run", () => {
    const result = transformChildren(
      ticketPair,
      threads,
      ticket,
      null,
      { source: sample.messages, target: notes },
      { ...resolver(), whyMissing: (ref) => `${ref.objectType} record ${ref.id}, which failed: Email: "n/a"` },
      plan(),
      "which failed: Subject: too long",
    );
    expect(result[0].problems).toEqual([
      {
        field: "targets.tickets",
        code: "BROKEN_RELATION",
        message: `Would be linked to no migrated record: tickets record ${ticket.id}, which failed: Subject: too long; and customers record ${customer.id}, which failed: Email: "n/a"; Retry failed records writes it once its parent is migrated`,
      },
    ]);
  });

  it("carries threads inside their ticket between help desks", () => {
    const inside: ChildObjectPair = {
      ...threads,
      mode: "children",
      targetObject: "messages",
      parentLink: null,
      alsoLink: [],
      titleField: null,
      fieldMappings: [
        { sourceField: "body", targetField: "body" },
        { sourceField: "author", targetField: "author" },
      ],
    };
    const helpdeskMessages = object("messages", "Messages", [field("body", "html", { required: true }), field("author", "user")]);
    const helpdeskTickets = object("tickets", "Tickets", [field("subject", "text")]);
    const result = transformRecord(
      { ...ticketPair, fieldMappings: [{ sourceField: "subject", targetField: "subject" }], childObjects: [inside] },
      ticket,
      { source: sample.tickets, target: helpdeskTickets },
      { relation: () => null, user: (ref) => `target-${ref.id}` },
      plan(),
      { messages: { source: sample.messages, target: helpdeskMessages } },
    );
    expect(result.problems).toEqual([]);
    expect(result.record.children?.messages).toHaveLength(messages.length);
    const byAgent = result.record.children?.messages.find((_, index) => messages[index].fields.authorType === "agent");
    expect((byAgent?.fields.author as { id: string }).id).toMatch(/^target-agt_\d+$/);
    // A customer's message has no user author in a target whose authors are users only.
    expect(result.record.children?.messages[0].fields.author).toBeUndefined();
  });

  describe("into a help desk whose threads the customer can author (Teamwork Desk)", () => {
    const inside: ChildObjectPair = {
      ...threads,
      mode: "children",
      targetObject: "messages",
      parentLink: null,
      alsoLink: [],
      titleField: null,
      fieldMappings: [
        { sourceField: "body", targetField: "body" },
        { sourceField: "authorType", targetField: "authorType" },
        { sourceField: "author", targetField: "author" },
      ],
    };
    const deskMessages = object("messages", "Ticket threads", [
      field("body", "html", { required: true }),
      field("authorType", "select", { required: true, options: sample.messages.fields.find((candidate) => candidate.key === "authorType")?.options }),
      field("author", "user", { label: "Author", required: true, relatesTo: "customers" }),
    ]);
    const deskTickets = object("tickets", "Tickets", [field("subject", "text")]);
    // The plan writes the Sample's customers to Desk customers, the records Desk threads can be authored by.
    const customersToCustomers: ObjectPair = { sourceObject: "customers", targetObject: "customers", enabled: true, fieldMappings: [], childObjects: [] };
    const transformInto = (resolve: Resolver, target = deskMessages, pairs: ObjectPair[] = [customersToCustomers]) =>
      transformRecord(
        { ...ticketPair, fieldMappings: [{ sourceField: "subject", targetField: "subject" }], childObjects: [inside] },
        ticket,
        { source: sample.tickets, target: deskTickets },
        resolve,
        plan({ objects: pairs }),
        { messages: { source: sample.messages, target } },
      );

    it("keeps the customer as the author of the messages the customer wrote, and agents as users", () => {
      const result = transformInto({
        relation: (ref) => (ref.objectType === "customers" && ref.id === customer.id ? "desk-customer-7" : null),
        user: (ref) => `agent-of-${ref.id}`,
      });
      expect(result.problems).toEqual([]);
      const authors = result.record.children?.messages.map((message) => message.fields.author);
      messages.forEach((message, index) => {
        if (message.fields.authorType === "customer") expect(authors?.[index]).toEqual({ objectType: "customers", id: "desk-customer-7" });
        else expect(authors?.[index]).toMatchObject({ id: `agent-of-${(message.fields.author as { id: string }).id}` });
      });
    });

    it("sets no author for the customer where the author field holds other records (a Twenty workspace member)", () => {
      const memberAuthor = object("messages", "Notes", [
        field("body", "html", { required: true }),
        field("authorType", "select"),
        field("author", "user", { label: "Author", relatesTo: "workspaceMembers" }),
      ]);
      const result = transformInto({ relation: () => "person-uuid", user: (ref) => `member-of-${ref.id}` }, memberAuthor, [
        { ...customersToCustomers, targetObject: "people" },
      ]);
      expect(result.problems).toEqual([]);
      const first = result.record.children?.messages[0];
      expect(messages[0].fields.authorType).toBe("customer");
      expect(first?.fields.author).toBeUndefined();
    });

    it("fails a message whose customer was not migrated, naming the customer, instead of writing it unauthored", () => {
      const result = transformInto({ relation: () => null, user: (ref) => `agent-of-${ref.id}` });
      expect(result.problems).toContainEqual({
        field: `messages[${messages[0].id}].author`,
        code: "BROKEN_RELATION",
        message: expect.stringContaining(`Author: customers ${customer.id} was not migrated`),
      });
    });
  });
});
