// Reading and writing a stored plan (Migration.plan): validated first, a clear PlanError when it is not a plan.
import { UserFacingError } from "@/lib/errors";
import { type MigrationPlan, type MigrationPlanInput, planSchema } from "./schema";

/** How many schema problems a parse error lists before "and N more". */
const MAX_LISTED_ISSUES = 5;

export class PlanError extends UserFacingError {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = "PlanError";
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`)).join("") || "(plan)";
}

/** Validates any value as a plan (defaults filled in), or throws a PlanError listing what is wrong. */
export function validatePlanShape(value: unknown): MigrationPlan {
  const result = planSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const listed = issues.slice(0, MAX_LISTED_ISSUES).join("; ");
  const more = issues.length > MAX_LISTED_ISSUES ? `; and ${issues.length - MAX_LISTED_ISSUES} more` : "";
  throw new PlanError(`The migration plan is not valid (${listed}${more}). Rebuild it from the mapping step.`, issues);
}

/** Reads a plan stored as JSON (Migration.plan). */
export function parsePlan(json: string): MigrationPlan {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new PlanError("The migration plan is not valid JSON. Rebuild it from the mapping step.");
  }
  return validatePlanShape(value);
}

/** JSON for Migration.plan; validated first so nothing invalid is ever stored. */
export function serializePlan(plan: MigrationPlanInput): string {
  return JSON.stringify(validatePlanShape(plan));
}
