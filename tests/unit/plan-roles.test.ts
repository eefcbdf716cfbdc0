// A system Ferry has never seen gets default plans with the shipped ones from what its manifest
// declares (kind, object roles, writes), with nothing in lib/plan naming it: here a CRM shaped
// like Pipedrive (organizations, persons, deals, notes, activities, users), added to a copy of the
// registry the way connectors/registry.ts would list it.
import { describe, expect, it, vi } from "vitest";
import type * as Registry from "@/connectors/registry";
import type { CanonicalFieldType, Connector, FieldDescription, ObjectTypeDescription, SchemaDescription } from "@/connectors/types";

vi.mock("@/connectors/registry", async (importOriginal) => {
  const original = await importOriginal<typeof Registry>();
  const { twentyManifest } = await import("@/connectors/twenty");
  const newCrm: Connector = {
    manifest: {
      ...twentyManifest,
      id: "new-crm",
      name: "New CRM",
      kind: "crm",
      reads: ["organizations", "persons", "deals", "notes", "activities", "users"],
      writes: ["organizations", "persons", "deals", "notes", "activities"],
      objectRoles: { organizations: "company", persons: "person", deals: "deal", notes: "note", activities: "task", users: "user" },
      fieldRoles: { deals: { value: "amount", person_id: "person" }, activities: { due_date: "dueDate" } },
      sourceIdField: undefined,
      createsFields: false,
      objectTemplates: [],
      fixes: [],
    } as Connector["manifest"],
    connect: () => {
      throw new Error("not opened in this test");
    },
  };
  const connectors = { ...original.connectors, "new-crm": newCrm };
  return {
    ...original,
    connectors,
    isConnectorId: (id: string) => Object.hasOwn(connectors, id),
    getConnector: (id: string) => {
      if (!Object.hasOwn(connectors, id)) throw new Error(`Unknown connector "${id}"`);
      return connectors[id as keyof typeof connectors] as Connector;
    },
  };
});

const { buildDefaultPlan } = await import("@/lib/plan");
const { describeSample } = await import("@/connectors/sample/schema");

function field(key: string, type: CanonicalFieldType, extra: Partial<FieldDescription> = {}): FieldDescription {
  return { key, label: key, type, nativeType: type, required: false, unique: false, readOnly: false, custom: false, ...extra };
}
function object(key: string, fields: FieldDescription[], extra: Partial<ObjectTypeDescription> = {}): ObjectTypeDescription {
  return { key, label: key, custom: false, canRead: true, canWrite: true, fields, dependsOn: [], ...extra };
}

const newCrmSchema: SchemaDescription = {
  objectTypes: [
    object("organizations", [field("name", "text")]),
    object("persons", [field("name", "fullname"), field("emails", "email"), field("org_id", "relation", { relatesTo: "organizations" })], {
      dependsOn: ["organizations"],
    }),
    object("deals", [field("title", "text"), field("value", "currency"), field("person_id", "relation", { relatesTo: "persons" })], { dependsOn: ["persons"] }),
    object("notes", [field("content", "html"), field("deal_id", "relation", { relatesTo: "deals" })], { dependsOn: ["deals"] }),
    object("activities", [field("subject", "text"), field("due_date", "date")]),
    object("users", [field("name", "text"), field("email", "email")], { canWrite: false }),
  ],
};

const twentySchema: SchemaDescription = {
  objectTypes: [
    object("companies", [field("name", "text")]),
    object("people", [field("name", "fullname"), field("emails", "email"), field("company", "relation", { relatesTo: "companies" })], {
      dependsOn: ["companies"],
    }),
    object("opportunities", [field("name", "text"), field("amount", "currency")], { dependsOn: ["companies", "people"] }),
    object("notes", [field("title", "text"), field("bodyV2", "html")]),
    object("tasks", [field("title", "text"), field("dueAt", "datetime")]),
    object("workspaceMembers", [field("userEmail", "email")], { canWrite: false }),
  ],
};

/** Twenty's opportunities with their point of contact, a person (a relation no name matches). */
const twentyWithContact: SchemaDescription = {
  objectTypes: twentySchema.objectTypes.map((entry) =>
    entry.key === "opportunities"
      ? { ...entry, fields: [...entry.fields, field("pointOfContact", "relation", { relatesTo: "people" })], dependsOn: ["companies", "people"] }
      : entry,
  ),
};

const pairsOf = (sourceSystem: string, targetSystem: string, sourceSchema: SchemaDescription, targetSchema: SchemaDescription) =>
  buildDefaultPlan({ sourceSystem, targetSystem, sourceSchema, targetSchema, sourceUsers: [], targetUsers: [] }).objects.map(
    (pair) => `${pair.sourceObject} → ${pair.targetObject}${pair.enabled ? "" : " (off)"}`,
  );

describe("default plans for a system declared only in its own folder", () => {
  it("pairs a new CRM with Twenty by role, both ways, and leaves its users to the user mapping", () => {
    expect(pairsOf("new-crm", "twenty", newCrmSchema, twentySchema)).toEqual([
      "organizations → companies",
      "persons → people",
      "deals → opportunities",
      "notes → notes",
      "activities → tasks",
    ]);
    expect(pairsOf("twenty", "new-crm", twentySchema, newCrmSchema)).toEqual([
      "companies → organizations",
      "people → persons",
      "opportunities → deals",
      "notes → notes",
      "tasks → activities",
    ]);
  });

  it("maps the fields both declare the same role for, where names do not match", () => {
    const mappingsOf = (sourceSystem: string, targetSystem: string, sourceSchema: SchemaDescription, targetSchema: SchemaDescription, source: string) =>
      buildDefaultPlan({ sourceSystem, targetSystem, sourceSchema, targetSchema, sourceUsers: [], targetUsers: [] })
        .objects.find((pair) => pair.sourceObject === source)
        ?.fieldMappings.filter((mapping) => !mapping.createField)
        .map((mapping) => `${mapping.sourceField} → ${mapping.targetField}`);
    // value → amount by the roles both declare (no name or synonym matches); the others by name, synonym or relation.
    expect(mappingsOf("new-crm", "twenty", newCrmSchema, twentyWithContact, "deals")).toEqual(["title → name", "value → amount", "person_id → pointOfContact"]);
    expect(mappingsOf("twenty", "new-crm", twentyWithContact, newCrmSchema, "opportunities")).toEqual([
      "name → title",
      "amount → value",
      "pointOfContact → person_id",
    ]);
    expect(mappingsOf("new-crm", "twenty", newCrmSchema, twentyWithContact, "activities")).toEqual(["subject → title", "due_date → dueAt"]);
  });

  it("takes a help desk's companies and customers (tickets have no object of their role there)", () => {
    expect(pairsOf("sample", "new-crm", describeSample(), newCrmSchema)).toEqual([
      "companies → organizations",
      "customers → persons",
      "opportunities → deals",
      "tasks → activities",
      "notes → notes",
    ]);
  });

  it("migrates its tasks and notes into a help desk's tickets, notes off", () => {
    const deskLike: SchemaDescription = {
      objectTypes: [
        object("companies", [field("name", "text")]),
        object("customers", [field("email", "email")]),
        object("tickets", [field("subject", "text")]),
      ],
    };
    const plan = buildDefaultPlan({
      sourceSystem: "new-crm",
      targetSystem: "teamwork-desk",
      sourceSchema: newCrmSchema,
      targetSchema: deskLike,
      sourceUsers: [],
      targetUsers: [],
    });
    expect(plan.objects.map((pair) => `${pair.sourceObject} → ${pair.targetObject}${pair.enabled ? "" : " (off)"}`)).toEqual([
      "organizations → companies",
      "persons → customers",
      "activities → tickets",
      "notes → tickets (off)",
    ]);
  });
});
