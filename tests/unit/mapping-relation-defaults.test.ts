import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { describeSite } from "@/connectors/teamwork-desk/describe";
import type { SiteModel } from "@/connectors/teamwork-desk/site-model";
import type { FieldDescription, ObjectTypeDescription, SchemaDescription } from "@/connectors/types";
import { buildDefaultPlan } from "@/lib/plan";
import { validatePlan } from "@/lib/plan";
import type { MigrationPlan } from "@/lib/plan";
import { applyMappingInput, buildMappingView, mappingInputSchema } from "@/lib/wizard/mapping-step";

// ---- factories -------------------------------------------------------------------------------
function field(key: string, type: FieldDescription["type"], extra: Partial<FieldDescription> = {}): FieldDescription {
  return { key, label: extra.label ?? key, type, nativeType: type, required: false, unique: false, readOnly: false, custom: false, ...extra };
}
function object(key: string, fields: FieldDescription[], extra: Partial<ObjectTypeDescription> = {}): ObjectTypeDescription {
  return { key, label: key, custom: false, canRead: true, canWrite: true, fields, dependsOn: [], ...extra };
}

/** A Twenty workspace after a help desk migration: people, Ferry's Tickets object and the notes on them. */
const twenty: SchemaDescription = {
  objectTypes: [
    object("people", [field("name", "fullname", { label: "Name" }), field("emails", "email", { label: "Emails", unique: true })]),
    object("tickets", [field("name", "text", { label: "Name" }), field("requester", "relation", { label: "Requester", relatesTo: "people" })], {
      custom: true,
    }),
    object("ticketNotes", [field("title", "text"), field("body", "html"), field("author", "user")], {
      canRead: false,
      canWrite: false,
      dependsOn: ["tickets"],
      recordsOf: "notes",
    }),
    object("notes", [field("title", "text"), field("bodyV2", "html")]),
  ],
};
const site: SiteModel = {
  statuses: [{ id: 1, name: "Active" }],
  priorities: [],
  types: [],
  sources: [],
  tags: [],
  inboxes: [
    { id: 7, name: "Support", email: "support@acme.example" },
    { id: 9, name: "Billing", email: "billing@acme.example" },
  ],
  customFields: [],
  users: [{ id: 42, email: "owner@acme.example", firstName: "Olive", lastName: "Owner" }],
};
const desk = describeSite(site);
const plan: MigrationPlan = buildDefaultPlan({
  sourceSystem: "twenty",
  targetSystem: "teamwork-desk",
  sourceSchema: twenty,
  targetSchema: desk,
  sourceUsers: [],
  targetUsers: [{ id: "42", email: "owner@acme.example" }],
});
const TICKETS = "tickets→tickets";

function submit(fields: { targetField: string; sourceField: string | null; defaultValue: string }[], fallbackUserId: string | null = null): MigrationPlan {
  const input = mappingInputSchema.parse({ migrationId: "m1", pairs: [{ id: TICKETS, fields }], fallbackUserId });
  return applyMappingInput(plan, twenty, desk, [{ id: "42", email: "owner@acme.example" }], input);
}

function errorsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ZodError) return error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw error;
  }
  return [];
}

const ticketMapping = (result: MigrationPlan, target: string) =>
  result.objects.find((pair) => pair.sourceObject === "tickets")?.fieldMappings.find((mapping) => mapping.targetField === target);

describe("mapping page: defaults of relations into Teamwork Desk", () => {
  it("shows the inbox as a picker of the site's inboxes with the first one chosen, and the customer as a placeholder email", () => {
    const rows = buildMappingView(plan, twenty, desk, []).pairs.find((pair) => pair.id === TICKETS)?.rows ?? [];
    const inbox = rows.find((row) => row.key === "inbox");
    expect(inbox).toMatchObject({
      defaultable: true,
      defaultLabel: "Default inbox",
      defaultValue: "7",
      options: [
        { value: "7", label: "Support" },
        { value: "9", label: "Billing" },
      ],
    });
    expect(rows.find((row) => row.key === "customer")).toMatchObject({
      defaultable: true,
      defaultLabel: "Placeholder customer (email)",
      defaultInput: "email",
      sourceField: "requester",
    });
  });

  it("stores the picked inbox as a reference and the placeholder as an email", () => {
    const saved = submit([
      { targetField: "inbox", sourceField: null, defaultValue: "9" },
      { targetField: "customer", sourceField: "requester", defaultValue: " Nobody@Acme.example " },
    ]);
    expect(ticketMapping(saved, "inbox")?.defaultValue).toEqual({ objectType: "inboxes", id: "9" });
    expect(ticketMapping(saved, "customer")).toMatchObject({ sourceField: "requester", defaultValue: "nobody@acme.example" });
    expect(validatePlan(saved, twenty, desk).filter((issue) => issue.severity === "error")).toEqual([]);
  });

  it("refuses an inbox the site does not have and a placeholder that is not an email, changing nothing", () => {
    expect(
      errorsOf(() =>
        submit([
          { targetField: "inbox", sourceField: null, defaultValue: "8" },
          { targetField: "customer", sourceField: "requester", defaultValue: "someone" },
        ]),
      ),
    ).toEqual([
      `${TICKETS}.inbox: Choose one of the target's inbox options.`,
      `${TICKETS}.customer: Enter an email address, such as unknown-customer@yourcompany.com.`,
    ]);
    expect(ticketMapping(plan, "inbox")?.defaultValue).toEqual({ objectType: "inboxes", id: "7" });
  });

  it("says when a stored inbox no longer exists on the site", () => {
    const withoutSupport = describeSite({ ...site, inboxes: site.inboxes.slice(1) });
    expect(
      validatePlan(plan, twenty, withoutSupport)
        .filter((issue) => issue.severity === "error")
        .map((issue) => issue.message),
    ).toEqual(["The default inbox (7) is not in the target any more; pick another on the mapping page"]);
  });

  it("warns that thread authors mapped to no agent fail until a fallback user is chosen", () => {
    const warning = "Author is required in Ticket threads: records whose author is not mapped to a user of the target fail. Choose a fallback user.";
    expect(validatePlan(plan, twenty, desk).map((issue) => issue.message)).toContain(warning);
    expect(validatePlan({ ...plan, fallbackUserId: "42" }, twenty, desk).map((issue) => issue.message)).not.toContain(warning);
  });
});
