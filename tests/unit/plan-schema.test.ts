import { describe, expect, it } from "vitest";
import { describeSample } from "@/connectors/sample/schema";
import type { CanonicalFieldType, CanonicalRecord, FieldDescription, ObjectTypeDescription, SchemaDescription } from "@/connectors/types";
import {
  DependencyCycleError,
  PlanError,
  applyPlanPatch,
  dependencyOrder,
  orderObjectPairs,
  parsePlan,
  recordPassesFilters,
  serializePlan,
  toPlanForPrerequisites,
  validatePlan,
  validatePlanShape,
} from "@/lib/plan";
import type { MigrationPlan, MigrationPlanInput, ObjectPair } from "@/lib/plan";

// ---- factories -------------------------------------------------------------------------------
function field(key: string, type: CanonicalFieldType, extra: Partial<FieldDescription> = {}): FieldDescription {
  return { key, label: extra.label ?? key, type, nativeType: type, required: false, unique: false, readOnly: false, custom: false, ...extra };
}
function object(key: string, fields: FieldDescription[], dependsOn: string[] = []): ObjectTypeDescription {
  return { key, label: key, custom: false, canRead: true, canWrite: true, fields, dependsOn };
}
function pair(sourceObject: string, targetObject: string, fieldMappings: ObjectPair["fieldMappings"] = []): ObjectPair {
  return { sourceObject, targetObject, enabled: true, fieldMappings, childObjects: [] };
}
function planInput(overrides: Partial<MigrationPlanInput> = {}): MigrationPlanInput {
  return {
    sourceSystem: "sample",
    targetSystem: "twenty",
    objects: [
      {
        ...pair("customers", "people", [
          { sourceField: "name", targetField: "name", compatibility: "exact" },
          { sourceField: "email", targetField: "emails", transform: { onInvalid: "empty" } },
          { sourceField: "phone", targetField: "phones", transform: { defaultCountry: "US" } },
          { sourceField: null, targetField: "jobTitle", defaultValue: "Customer" },
          { sourceField: "tags", targetField: "tags", createField: { label: "Tags", type: "tags" } },
        ]),
        childObjects: [
          {
            childKey: "messages",
            sourceObject: "messages",
            targetObject: "notes",
            enabled: true,
            mode: "records",
            fieldMappings: [{ sourceField: "body", targetField: "bodyV2" }],
            parentLink: "targets.tickets",
            alsoLink: [{ parentField: "customer", targetField: "targets.people" }],
            titleField: "title",
          },
        ],
      },
    ],
    userMappings: [{ sourceUserId: "agt_1", sourceEmail: "Sam@Desk.example", targetUserId: "member-1" }],
    ...overrides,
  };
}
const record = (dates: { createdAt?: string | null; updatedAt?: string | null }, fields: CanonicalRecord["fields"] = {}): CanonicalRecord => ({
  id: "r1",
  objectType: "customers",
  createdAt: dates.createdAt ?? null,
  updatedAt: dates.updatedAt ?? null,
  fields,
});
const NOW = new Date("2026-11-01T00:00:00.000Z");

describe("plan schema", () => {
  it("round-trips through JSON with defaults filled in", () => {
    const json = serializePlan(planInput());
    const plan = parsePlan(json);
    expect(plan.options).toEqual({ duplicatePolicy: "skip", tagMigratedRecords: false, skipAttachments: false, ticketsAs: "custom-object" });
    expect(plan.filters).toMatchObject({ skipStaleYears: null, tags: [], staleObjects: [] });
    expect(plan.demoSampleSize).toBe(20);
    expect(plan.version).toBe(1);
    expect(plan.objects[0].childObjects[0].titleTemplate).toBe("{kind} from {author} · {date}");
    expect(parsePlan(serializePlan(plan))).toEqual(plan);
  });

  it("keeps canonical default values of every shape", () => {
    const values = [
      "x",
      3,
      true,
      null,
      ["a"],
      { firstName: "A", lastName: "B" },
      { amountMicros: 1, currencyCode: "USD" },
      { objectType: "companies", id: "c1" },
      { id: "u1", email: null },
      { city: "Paris" },
    ];
    for (const defaultValue of values) {
      const plan = parsePlan(serializePlan(planInput({ objects: [pair("customers", "people", [{ sourceField: null, targetField: "x", defaultValue }])] })));
      expect(plan.objects[0].fieldMappings[0].defaultValue).toEqual(defaultValue);
    }
  });

  it("rejects a corrupted plan with a message naming where it is wrong", () => {
    const plan = JSON.parse(serializePlan(planInput()));
    plan.objects[0].fieldMappings[1].targetField = 42;
    plan.options.duplicatePolicy = "merge";
    expect(() => parsePlan(JSON.stringify(plan))).toThrow(PlanError);
    expect(() => parsePlan(JSON.stringify(plan))).toThrow(/objects\[0\]\.fieldMappings\[1\]\.targetField: .*options\.duplicatePolicy/);
    try {
      parsePlan(JSON.stringify(plan));
    } catch (error) {
      expect((error as PlanError).issues).toHaveLength(2);
    }
  });

  it("rejects text that is not JSON, and a stored empty plan", () => {
    expect(() => parsePlan("{not json")).toThrow("The migration plan is not valid JSON. Rebuild it from the mapping step.");
    expect(() => parsePlan("{}")).toThrow(/sourceSystem/);
  });

  it("rejects a constant mapping without a value, unknown keys, and a pair listed twice", () => {
    expect(() => validatePlanShape(planInput({ objects: [pair("customers", "people", [{ sourceField: null, targetField: "jobTitle" }])] }))).toThrow(
      /needs a default value/,
    );
    expect(() => validatePlanShape({ ...planInput(), extra: true })).toThrow(/extra/);
    expect(() => validatePlanShape(planInput({ objects: [pair("customers", "people"), pair("customers", "people")] }))).toThrow(/listed twice/);
    expect(() => validatePlanShape(planInput({ demoSampleSize: 0 }))).toThrow(/demoSampleSize/);
    expect(() =>
      validatePlanShape(
        planInput({ objects: [pair("customers", "people", [{ sourceField: "phone", targetField: "phones", transform: { defaultCountry: "USA" } }])] }),
      ),
    ).toThrow(/two-letter country code/);
  });
});

describe("dependencyOrder", () => {
  const crm: SchemaDescription = {
    objectTypes: [
      object("notes", [
        field("targets.people", "relation", { relatesTo: "people" }),
        field("targets.opportunities", "relation", { relatesTo: "opportunities" }),
      ]),
      object("opportunities", [field("company", "relation", { relatesTo: "companies" }), field("pointOfContact", "relation", { relatesTo: "people" })]),
      object("people", [field("company", "relation", { relatesTo: "companies" }), field("owner", "user", { relatesTo: "workspaceMembers" })]),
      object("tickets", [], ["people"]),
      object("companies", [field("parent", "relation", { relatesTo: "companies" })]),
    ],
  };

  it("puts companies before people before tickets and opportunities before notes", () => {
    expect(dependencyOrder(["notes", "opportunities", "people", "tickets", "companies"], crm)).toEqual([
      "companies",
      "people",
      "opportunities",
      "notes",
      "tickets",
    ]);
  });

  it("ignores self-relations, users and objects that are not migrated", () => {
    expect(dependencyOrder(["people", "notes"], crm)).toEqual(["people", "notes"]);
  });

  it("orders the Sample source: companies, customers, tickets after inboxes", () => {
    const order = dependencyOrder(["tickets", "notes", "customers", "inboxes", "companies", "opportunities", "tasks"], describeSample());
    expect(order.indexOf("companies")).toBeLessThan(order.indexOf("customers"));
    expect(order.indexOf("customers")).toBeLessThan(order.indexOf("tickets"));
    expect(order.indexOf("inboxes")).toBeLessThan(order.indexOf("tickets"));
    expect(order.indexOf("opportunities")).toBeLessThan(order.indexOf("notes"));
  });

  it("names the loop when objects depend on each other", () => {
    const cyclic: SchemaDescription = {
      objectTypes: [
        object("companies", [field("mainContact", "relation", { relatesTo: "people" })]),
        object("people", [field("company", "relation", { relatesTo: "companies" })]),
        object("notes", [], ["people"]),
      ],
    };
    expect(() => dependencyOrder(["notes", "companies", "people"], cyclic)).toThrow(DependencyCycleError);
    expect(() => dependencyOrder(["notes", "companies", "people"], cyclic)).toThrow(
      "These objects depend on each other in a loop: companies → people → companies. Turn off one of the relation mappings in the loop so one of them can be migrated first.",
    );
  });

  it("orders object pairs by the relations their mappings use", () => {
    const source = { objectTypes: [object("customers", [field("company", "relation", { relatesTo: "companies" })]), object("companies", [])] };
    const target = { objectTypes: [object("people", [field("company", "relation", { relatesTo: "companies" })]), object("companies", [])] };
    const linked = orderObjectPairs(
      [pair("customers", "people", [{ sourceField: "company", targetField: "company" }]), pair("companies", "companies")],
      source,
      target,
    );
    expect(linked.map((item) => item.sourceObject)).toEqual(["companies", "customers"]);
    // Without the relation mapping nothing forces an order: the given one stays.
    const unlinked = orderObjectPairs([pair("customers", "people"), pair("companies", "companies")], source, target);
    expect(unlinked.map((item) => item.sourceObject)).toEqual(["customers", "companies"]);
  });
});

describe("recordPassesFilters", () => {
  const filters = validatePlanShape(planInput()).filters;

  it("skips stale records only for the objects the stale filter names", () => {
    const stale = { ...filters, skipStaleYears: 2, staleObjects: ["customers"] };
    expect(recordPassesFilters(record({ updatedAt: "2024-06-01T00:00:00Z" }), "customers", stale, NOW)).toEqual({
      pass: false,
      reason: "No activity for over 2 years (last on 2024-06-01)",
    });
    expect(recordPassesFilters(record({ updatedAt: "2025-06-01T00:00:00Z" }), "customers", stale, NOW)).toEqual({ pass: true });
    expect(recordPassesFilters(record({ updatedAt: "2020-01-01T00:00:00Z" }), "tickets", stale, NOW)).toEqual({ pass: true });
  });

  it("counts a related record's activity, so a customer with a recent ticket is kept", () => {
    const stale = { ...filters, skipStaleYears: 2, staleObjects: ["customers"] };
    expect(recordPassesFilters(record({ updatedAt: "2023-01-01T00:00:00Z" }), "customers", stale, NOW, Date.parse("2026-10-01T00:00:00Z"))).toEqual({
      pass: true,
    });
    // Old related activity does not keep it; the reason names the latest of the two dates.
    expect(recordPassesFilters(record({ updatedAt: "2022-01-01T00:00:00Z" }), "customers", stale, NOW, Date.parse("2023-03-04T00:00:00Z"))).toEqual({
      pass: false,
      reason: "No activity for over 2 years (last on 2023-03-04)",
    });
  });

  it("applies date bounds, a date-only 'to' including its whole day", () => {
    const dated = { ...filters, createdFrom: "2025-01-01", createdTo: "2025-06-30" };
    expect(recordPassesFilters(record({ createdAt: "2024-12-31T23:59:59Z" }), "customers", dated, NOW)).toEqual({
      pass: false,
      reason: "Created before 2025-01-01",
    });
    expect(recordPassesFilters(record({ createdAt: "2025-06-30T23:00:00Z" }), "customers", dated, NOW)).toEqual({ pass: true });
    expect(recordPassesFilters(record({ createdAt: "2025-07-01T00:00:00Z" }), "customers", dated, NOW)).toEqual({
      pass: false,
      reason: "Created after 2025-06-30",
    });
    expect(recordPassesFilters(record({ createdAt: "2020-01-01T00:00:00Z" }), "companies", { ...dated, appliesTo: ["customers"] }, NOW)).toEqual({
      pass: true,
    });
  });

  it("keeps records with one of the wanted tags and leaves out excluded tags, ignoring case", () => {
    const tagged = { ...filters, tags: ["VIP"], excludeTags: ["spam"] };
    expect(recordPassesFilters(record({}, { tags: ["vip", "billing"] }), "tickets", tagged, NOW)).toEqual({ pass: true });
    expect(recordPassesFilters(record({}, { tags: ["billing"] }), "tickets", tagged, NOW)).toEqual({ pass: false, reason: "Has none of the tags VIP" });
    expect(recordPassesFilters(record({}, { tags: ["vip", "Spam"] }), "tickets", tagged, NOW)).toEqual({ pass: false, reason: 'Tagged "spam"' });
    expect(recordPassesFilters(record({}, {}), "companies", tagged, NOW)).toEqual({ pass: true });
  });
});

describe("applyPlanPatch", () => {
  const plan = validatePlanShape(planInput());

  it("turns on the stale filter for one object", () => {
    const patched = applyPlanPatch(plan, { kind: "skipStale", objectType: "customers", years: 2 });
    expect(patched.filters).toMatchObject({ skipStaleYears: 2, staleObjects: ["customers"] });
    expect(plan.filters.skipStaleYears).toBeNull();
  });

  it("merges transform options into the mappings of a source field, children included", () => {
    const patched = applyPlanPatch(plan, { kind: "setTransform", objectType: "customers", field: "phone", transform: { requireValidPhone: true } });
    expect(patched.objects[0].fieldMappings.find((mapping) => mapping.sourceField === "phone")?.transform).toEqual({
      defaultCountry: "US",
      requireValidPhone: true,
    });
    const child = applyPlanPatch(plan, { kind: "setTransform", objectType: "messages", field: "body", transform: { truncate: true } });
    expect(child.objects[0].childObjects[0].fieldMappings[0].transform).toEqual({ truncate: true });
  });

  it("drops an unused field and sets options", () => {
    expect(
      applyPlanPatch(plan, { kind: "dropField", objectType: "customers", field: "tags" }).objects[0].fieldMappings.map((mapping) => mapping.sourceField),
    ).not.toContain("tags");
    expect(applyPlanPatch(plan, { kind: "setOptions", options: { duplicatePolicy: "update" } }).options.duplicatePolicy).toBe("update");
  });
});

describe("validatePlan", () => {
  const source: SchemaDescription = {
    objectTypes: [
      object("customers", [
        field("name", "fullname"),
        field("email", "email"),
        field("status", "select", {
          label: "Status",
          options: [
            { value: "vip", label: "VIP" },
            { value: "regular", label: "Regular" },
          ],
        }),
        field("company", "relation", { relatesTo: "companies" }),
      ]),
    ],
  };
  const target: SchemaDescription = {
    objectTypes: [
      object("people", [
        field("name", "fullname"),
        field("emails", "email"),
        field("birthday", "date", { label: "Birthday" }),
        field("kind", "select", { label: "Kind", options: [{ value: "VIP", label: "VIP" }] }),
        field("owner", "user", { label: "Owner", required: true }),
        field("createdBy", "text", { label: "Created by", readOnly: true }),
      ]),
    ],
  };

  it("lists what would make records fail before anything runs", () => {
    const plan = validatePlanShape(
      planInput({
        objects: [
          pair("customers", "people", [
            { sourceField: "name", targetField: "name" },
            { sourceField: "company", targetField: "birthday" },
            { sourceField: "status", targetField: "kind", transform: { onInvalid: "fail" } },
            { sourceField: "email", targetField: "createdBy" },
            { sourceField: "phone", targetField: "emails" },
            { sourceField: "name", targetField: "nickname" },
          ]),
          pair("customers", "contacts"),
        ],
      }),
    );
    const messages = validatePlan(plan, source, target).map((issue) => `${issue.severity}: ${issue.message}`);
    expect(messages).toEqual([
      "error: company cannot go into Birthday: A relation cannot become a date",
      'warning: Status: "Regular" has no matching option in Kind; records with it will fail',
      "error: Created by is read-only in the target",
      'error: customers has no field "phone"',
      'error: people has no field "nickname"',
      "error: Owner is required in people and nothing is mapped to it",
      'error: The target has no "contacts" object yet; create it before migrating',
    ]);
  });

  it("warns when nothing that identifies a person (name, email) is mapped", () => {
    const plan = validatePlanShape(
      planInput({ objects: [pair("customers", "people", [{ sourceField: null, targetField: "owner", defaultValue: { id: "m1", email: null } }])] }),
    );
    expect(validatePlan(plan, source, target)).toEqual([
      {
        severity: "warning",
        sourceObject: "customers",
        targetObject: "people",
        message:
          "Nothing identifies the people: neither name nor emails is mapped, so records would arrive without a name or an email that anyone can find them by. Map at least one.",
      },
    ]);
  });

  it("accepts fields the plan will create", () => {
    const plan = validatePlanShape(
      planInput({
        objects: [
          pair("customers", "people", [
            { sourceField: "email", targetField: "backupEmail", createField: { label: "Backup email", type: "email" } },
            { sourceField: null, targetField: "owner", defaultValue: { id: "m1", email: null } },
          ]),
        ],
      }),
    );
    expect(validatePlan(plan, source, target)).toEqual([]);
  });
});

describe("toPlanForPrerequisites", () => {
  it("lists target objects, each source user with the target user chosen for them, the fallback user and fields to create, once each", () => {
    const base = validatePlanShape(planInput());
    const plan: MigrationPlan = {
      ...base,
      objects: [
        ...base.objects,
        { ...pair("tickets", "people", [{ sourceField: "tags", targetField: "tags", createField: { label: "Tags", type: "tags" } }]) },
      ],
    };
    expect(toPlanForPrerequisites(plan)).toEqual({
      objectTypes: ["people", "notes"],
      users: [{ sourceUserId: "agt_1", sourceEmail: "sam@desk.example", sourceLabel: "Sam@Desk.example", targetUserId: "member-1" }],
      fallbackUserId: null,
      customFields: [{ objectType: "people", key: "tags", label: "Tags", type: "tags" }],
    });
  });

  it("hands the fallback user and unmapped users to the checks, named by their name", () => {
    const plan = validatePlanShape(
      planInput({
        userMappings: [{ sourceUserId: "agt_9", sourceEmail: "left@desk.example", sourceName: "Lee Left", targetUserId: null }],
        fallbackUserId: "member-2",
      }),
    );
    expect(toPlanForPrerequisites(plan)).toMatchObject({
      users: [{ sourceUserId: "agt_9", sourceEmail: "left@desk.example", sourceLabel: "Lee Left", targetUserId: null }],
      fallbackUserId: "member-2",
    });
  });
});
