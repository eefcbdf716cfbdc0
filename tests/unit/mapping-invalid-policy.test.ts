import { describe, expect, it } from "vitest";
import type { CanonicalFieldType, FieldDescription, ObjectTypeDescription } from "@/connectors/types";
import { validatePlanShape } from "@/lib/plan";
import { applyMappingInput, buildMappingView, mappingInputSchema } from "@/lib/wizard/mapping-step";
import { pairId } from "@/lib/wizard/plan-step";

function field(key: string, type: CanonicalFieldType): FieldDescription {
  return { key, label: key, type, nativeType: type, required: false, unique: false, readOnly: false, custom: false };
}
function object(key: string, fields: FieldDescription[]): ObjectTypeDescription {
  return { key, label: key, custom: false, canRead: true, canWrite: true, fields, dependsOn: [] };
}
const source = { objectTypes: [object("customers", [field("email", "email")])] };
const target = { objectTypes: [object("people", [field("emails", "email")])] };
const plan = validatePlanShape({
  sourceSystem: "sample",
  targetSystem: "twenty",
  objects: [
    {
      sourceObject: "customers",
      targetObject: "people",
      enabled: true,
      fieldMappings: [{ sourceField: "email", targetField: "emails", transform: { onInvalid: "empty", truncate: true } }],
    },
  ],
});
const id = pairId(plan.objects[0]);
const save = (invalidValue?: "repair" | "drop" | "fail") =>
  applyMappingInput(
    plan,
    source,
    target,
    [],
    mappingInputSchema.parse({
      migrationId: "m1",
      pairs: [{ id, fields: [{ targetField: "emails", sourceField: "email", ...(invalidValue ? { invalidValue } : {}) }] }],
    }),
  );

describe("the mapping's policy for invalid values", () => {
  it("shows a saved plan's older 'empty' as 'drop', and a mapping without one as 'repair'", () => {
    expect(buildMappingView(plan, source, target, []).pairs[0].rows.find((row) => row.key === "emails")?.invalidValue).toBe("drop");
    expect(buildMappingView(save("repair"), source, target, []).pairs[0].rows.find((row) => row.key === "emails")?.invalidValue).toBe("repair");
  });

  it("stores the chosen policy on the mapping, keeping its other transform options", () => {
    expect(save("fail").objects[0].fieldMappings[0].transform).toEqual({ truncate: true, onInvalid: "fail" });
    expect(save("drop").objects[0].fieldMappings[0].transform).toEqual({ truncate: true, onInvalid: "drop" });
    expect(save("repair").objects[0].fieldMappings[0].transform).toEqual({ truncate: true });
    expect(save().objects[0].fieldMappings[0].transform).toEqual({ truncate: true, onInvalid: "empty" });
  });

  it("refuses a policy that does not exist", () => {
    expect(() =>
      mappingInputSchema.parse({ migrationId: "m1", pairs: [{ id, fields: [{ targetField: "emails", sourceField: "email", invalidValue: "ignore" }] }] }),
    ).toThrow(/invalidValue|Invalid option/);
  });
});
