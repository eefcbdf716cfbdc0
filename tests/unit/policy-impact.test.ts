import { describe, expect, it } from "vitest";
import { REFERENCE_DATE } from "@/connectors/sample";
import type { CanonicalRecord, FieldDescription, ObjectTypeDescription } from "@/connectors/types";
import { auditRecords, policyImpact } from "@/lib/audit";
import type { InvalidValuePolicy } from "@/lib/mapping/field-mapping";
import { validatePlanShape } from "@/lib/plan";

// ---- factories -------------------------------------------------------------------------------
const email: FieldDescription = {
  key: "email",
  label: "Email",
  type: "email",
  nativeType: "email",
  required: false,
  unique: false,
  readOnly: false,
  custom: false,
};
const customers: ObjectTypeDescription = {
  key: "customers",
  label: "Customers",
  custom: false,
  canRead: true,
  canWrite: false,
  fields: [email],
  dependsOn: [],
};
const record = (id: string, value: string): CanonicalRecord => ({
  id,
  objectType: "customers",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  fields: { email: value },
});
function plan(policy?: InvalidValuePolicy) {
  return validatePlanShape({
    sourceSystem: "sample",
    targetSystem: "twenty",
    objects: [
      {
        sourceObject: "customers",
        targetObject: "people",
        enabled: true,
        fieldMappings: [{ sourceField: "email", targetField: "emails", ...(policy ? { transform: { onInvalid: policy } } : {}) }],
      },
    ],
  });
}

describe("policyImpact", async () => {
  // Two repairable slips, two values nothing can repair, one valid email.
  const report = await auditRecords(
    customers,
    [record("c1", "ann lee@acme.example"), record("c2", "bo@@acme.example"), record("c3", "n/a"), record("c4", "cy@"), record("c5", "ok@acme.example")],
    new Date(REFERENCE_DATE),
  );

  it("counts what the default policy repairs and writes without the value: no record fails", () => {
    expect(policyImpact(report.findings, plan())).toEqual([
      {
        objectType: "customers",
        field: "email",
        records: 4,
        policy: "repair",
        repaired: 2,
        dropped: 2,
        failed: 0,
        examples: ["c1", "c2", "c3", "c4"],
        sentence: "customers.email: 2 repaired, 2 written without the value, each with a warning keeping the original value.",
      },
    ]);
  });

  it("counts every invalid value as dropped under the drop policy, and as a failed record, naming them, when strict", () => {
    expect(policyImpact(report.findings, plan("drop"))[0]).toMatchObject({ repaired: 0, dropped: 4, failed: 0 });
    expect(policyImpact(report.findings, plan("fail"))[0]).toMatchObject({
      repaired: 0,
      dropped: 0,
      failed: 4,
      sentence: 'customers.email: 4 records will fail (policy "fail record"): c1, c2, c3, c4.',
    });
  });

  it("says that a required email in the target is written under a placeholder address instead of left out", () => {
    const deskCustomers: ObjectTypeDescription = {
      ...customers,
      key: "people",
      canWrite: true,
      fields: [{ ...email, key: "emails", required: true, unique: true }],
    };
    expect(policyImpact(report.findings, plan(), { objectTypes: [deskCustomers] })[0]).toMatchObject({
      dropped: 2,
      sentence:
        "customers.email: 2 repaired, 2 written under a placeholder address (no-email+<source id>@ferry.invalid), since the target requires one, each with a warning keeping the original value.",
    });
  });

  it("ignores fields the plan does not map", () => {
    expect(
      policyImpact(
        report.findings,
        validatePlanShape({
          sourceSystem: "sample",
          targetSystem: "twenty",
          objects: [{ sourceObject: "customers", targetObject: "people", enabled: true, fieldMappings: [] }],
        }),
      ),
    ).toEqual([]);
  });
});
