// Whether a person arrives with anything anyone can find them by. A Twenty person mapped with no
// name and no email lands as a blank row nobody can search for; the mapping step warns instead of
// saying "No problems." Applies to objects describing people (they have a full-name or an email
// field, per the target's description); what identifies one: its full name, an email, a unique
// web address, or a text field keyed name, title or subject.
import type { CanonicalValue, FieldDescription, ObjectTypeDescription } from "@/connectors/types";
import { describeValue } from "./values";

const NAME_KEYS = new Set(["name", "title", "subject"]);

function identifies(field: FieldDescription): boolean {
  if (field.readOnly) return false;
  return (
    field.type === "fullname" ||
    field.type === "email" ||
    (field.type === "url" && field.unique) ||
    (field.type === "text" && NAME_KEYS.has(field.key.toLowerCase()))
  );
}

/** The target's identifying fields, for objects that describe people; none for other objects. */
export function identifyingFields(target: ObjectTypeDescription): FieldDescription[] {
  const describesPeople = target.fields.some((field) => field.type === "fullname" || field.type === "email");
  return describesPeople ? target.fields.filter(identifies) : [];
}

function labels(fields: FieldDescription[]): string {
  const names = fields.map((field) => field.label);
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} nor ${names[names.length - 1]}`;
}

/** A warning when the mapping writes none of the target's identifying fields (its own, or one the plan creates); null otherwise. */
export function unidentifiedMappingWarning(target: ObjectTypeDescription, mappedFields: FieldDescription[]): string | null {
  const identifying = identifyingFields(target);
  if (identifying.length === 0 || mappedFields.some(identifies)) return null;
  return `Nothing identifies the ${target.label.toLowerCase()}: neither ${labels(identifying)} is mapped, so records would arrive without a name or an email that anyone can find them by. Map at least one.`;
}

const isEmpty = (value: CanonicalValue | undefined) => {
  const text = describeValue(value).trim();
  return text === "" || text === "(empty)";
};

/** A problem for one record that arrives with every identifying field empty; null otherwise. */
export function unidentifiedRecordProblem(target: ObjectTypeDescription, fields: Record<string, CanonicalValue>): string | null {
  const identifying = identifyingFields(target);
  if (identifying.length === 0 || identifying.some((field) => !isEmpty(fields[field.key]))) return null;
  return `Arrives with no ${identifying.map((field) => field.label).join(" and no ")}: nobody will find it in the target by name or email.`;
}
